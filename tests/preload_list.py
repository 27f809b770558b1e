"""The scripts a lesson page asks for, kept in config/preload.txt so the page can preload them (see
`widgets/publish/landing.py`). `make preload-list` runs `python -m tests.preload_list` after an upgrade of Voila
or a widget package: it serves the lessons, opens one in Chromium and writes down every script the page
ran, in the order it asked for them. A browser test (tests/browser/test_dashboards.py) fails when the list no
longer matches what a page runs, or when a page fetches a script twice (a preload it could not use)."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.pages import LESSON
from tests.servers import ROOT, launch_chromium, serve_voila
from widgets.publish.landing import PRELOAD_LIST

HEADER = (
    "# Voila's front-end scripts, in the order a lesson page asked for them; the page preloads them\n"
    "# (widgets/publish/landing.py). Written by `make preload-list`; a browser test checks it still matches.\n"
)

# Added to a page before its own scripts run: notes the address of every <script> put into the page,
# by the HTML or by the scripts themselves (webpack removes its chunk tags once they have run).
WATCH_SCRIPTS_JS = """window.__lbScripts = [];
new MutationObserver(ms => { for (const m of ms) for (const n of m.addedNodes)
  if (n.tagName === 'SCRIPT' && n.src) window.__lbScripts.push(n.src); })
  .observe(document, {childList: true, subtree: true});"""
# Every file the page fetched, preloaded or not, in the order it asked for it.
FETCHED_JS = "() => performance.getEntriesByType('resource').map(r => r.name)"


def _under_voila(urls: list[str], origin: str) -> list[str]:
    """Paths under /voila/ of the .js files among URLS, leaving out the template's own script (the
    page names it in its head already)."""
    paths = [u.removeprefix(origin) for u in urls]
    return [p.removeprefix("/voila/") for p in paths
            if p.startswith("/voila/") and not p.startswith("/voila/templates/") and p.split("?")[0].endswith(".js")]


class NotDrawn(AssertionError):
    """A lesson page that did not draw its widgets in time, with what the page showed instead."""


# What a page that has not drawn shows: Voila's loading text, whether the cells are shown, how many widget views.
STATE_JS = """() => { const cells = document.getElementById('rendered_cells');
  return {loading: (document.getElementById('loading_text') || {}).innerText || null,
          cells_shown: cells ? getComputedStyle(cells).display !== 'none' : null,
          views: document.querySelectorAll('.jupyter-widgets').length,
          errors: document.querySelectorAll(
            '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]').length};
}"""


def scripts_of(page, base: str, file: str) -> tuple[list[str], list[str]]:
    """Open lesson FILE in PAGE (its context watching scripts: `watch`), wait until its widgets are drawn
    and nothing more is being fetched. Returns (the scripts the page ran, in order; every script file it
    fetched, repeats kept), as paths under /voila/."""
    page.goto(f"{base}/voila/render/{file}", timeout=90_000)
    try:
        page.wait_for_selector(".lb-selfcheck, .lb-problem", timeout=90_000)
    except PlaywrightTimeout:
        raise NotDrawn(f"{file} was not drawn within 90 s; the page then showed {page.evaluate(STATE_JS)}") from None
    page.wait_for_load_state("networkidle", timeout=90_000)
    return (_under_voila(page.evaluate("window.__lbScripts"), base),
            _under_voila(page.evaluate(FETCHED_JS), base))


def watch(context):
    context.add_init_script(WATCH_SCRIPTS_JS)
    return context


def listed() -> list[str]:
    return [ln.strip() for ln in PRELOAD_LIST.read_text().splitlines() if ln.strip() and not ln.startswith("#")]


def main() -> None:
    with serve_voila() as (base, _proc), launch_chromium() as browser:
        page = watch(browser.new_context()).new_page()
        scripts = list(dict.fromkeys(scripts_of(page, base, LESSON["01"])[0]))
    PRELOAD_LIST.write_text(HEADER + "\n".join(scripts) + "\n")
    print(f"{len(scripts)} scripts written to {PRELOAD_LIST.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
