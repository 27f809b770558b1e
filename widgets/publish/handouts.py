"""`make handouts`: every lesson as a standalone HTML page and an A4 PDF, in build/handouts/.

A handout is what a learner sees: the lesson as the learners' Voila (config/voila.py) serves it, with
every view drawn in its starting state. This tool starts that Voila on a free loopback port (its own
throwaway progress and live-session files), opens each lesson in Debian's Chromium through Playwright,
waits until every widget view has drawn, and saves a snapshot: the page's DOM with the controls' current
values written into it, and the CSS rules the page uses, made safe and self-contained by
`widgets.publish.handout` (no script, nothing fetched). Chromium then prints that file, offline, to a PDF.

Why a browser: the widgets draw themselves in JavaScript, so only a browser knows what they look like.
nbconvert's HTML export keeps the widget state but loads the widget manager from a CDN, so its pages
show no widgets offline; it is not a fallback here.

    lowback handouts [--out DIR] [--jobs N] [--no-pdf] [LESSON_ID ...]

Exit status 0 when every handout was written, 1 when a lesson failed (named on stderr), 2 when the tool
cannot run (no Chromium, an unknown lesson id).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from widgets.content.loader import load_content
from widgets.content.schema import Lesson
from widgets.publish.handout import handout_html, handout_name
from widgets.publish.serving import FLAGS, LESSONS, ServerError, chromium_path, voila
from widgets.render.html import escape

OUT = Path(__file__).resolve().parents[2] / "build" / "handouts"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LOAD_TIMEOUT_MS = 150_000
PROGRESS_WHERE = "<Jupyter data folder>/lowback-course/progress.sqlite"
NO_CHROMIUM = (
    "no Chromium at {path}: a handout needs a browser to draw the lesson's widgets. `make handouts` installs "
    "Debian's chromium (through `make chromium`); elsewhere set CHROMIUM_PATH to a Chromium or Chrome. "
    "(nbconvert's HTML export is no offline substitute: its pages load the widget manager from a CDN.)"
)

# Runs in the lesson's page once every view has drawn: write the controls' state into attributes (a DOM
# serialization keeps attributes, not live values), inline images, and collect the CSS rules that match
# something on the page. Returns the lesson's HTML, that CSS and the <body> attributes.
SNAPSHOT_JS = r"""
async () => {
  for (const el of document.querySelectorAll('input')) {
    if (el.type === 'checkbox' || el.type === 'radio') el.toggleAttribute('checked', el.checked);
    else if (el.type !== 'password' && el.type !== 'file') el.setAttribute('value', el.value);
  }
  for (const el of document.querySelectorAll('option')) el.toggleAttribute('selected', el.selected);
  for (const el of document.querySelectorAll('textarea')) el.textContent = el.value;
  for (const img of document.querySelectorAll('img[src]:not([src^="data:"])')) {
    try {
      const blob = await (await fetch(img.src)).blob();
      img.setAttribute('src', await new Promise(done => {
        const reader = new FileReader(); reader.onload = () => done(reader.result); reader.readAsDataURL(blob);
      }));
    } catch (e) { img.removeAttribute('src'); }
  }
  const pseudo = /::?[a-zA-Z-]+(\([^()]*\))?/g;
  const used = selector => {
    const plain = selector.replace(pseudo, '').trim();
    if (!plain || /^[>+~]|[>+~]$/.test(plain)) return true;
    try { return document.querySelector(plain) !== null; } catch (e) { return true; }
  };
  const keep = rule => {
    if (rule instanceof CSSStyleRule) return rule.selectorText.split(',').some(used) ? rule.cssText : '';
    if (rule instanceof CSSMediaRule) {
      const inner = Array.from(rule.cssRules).map(keep).filter(Boolean).join('\n');
      return inner ? `@media ${rule.conditionText} {\n${inner}\n}` : '';
    }
    if (rule instanceof CSSImportRule || rule instanceof CSSFontFaceRule || rule instanceof CSSKeyframesRule) return '';
    return rule.cssText;
  };
  const css = [];
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (e) { continue; }
    for (const rule of rules) { const text = keep(rule); if (text) css.push(text); }
  }
  const root = document.querySelector('#rendered_cells main') || document.querySelector('#rendered_cells')
    || document.body;
  const attrs = {};
  for (const a of document.body.attributes) attrs[a.name] = a.value;
  return {html: root.innerHTML, css: css.join('\n'), bodyAttrs: attrs};
}
"""
DRAWN_JS = """
n => document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length >= n
     && !Array.from(document.querySelectorAll('.jp-OutputArea-output .lm-Widget'))
           .some(el => !el.hasChildNodes() && !el.closest('[hidden]'))
"""


class HandoutError(RuntimeError):
    """A handout could not be made; the message says which lesson or server and why."""


def widget_views(lesson: Lesson) -> int:
    """How many widget views the lesson shows (its stored outputs say)."""
    nb = json.loads((LESSONS / lesson.file).read_text(encoding="utf-8"))
    return sum(WIDGET_MIME in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))


@contextlib.contextmanager
def learners_voila(log: Path, timeout: float = 120) -> Iterator[tuple[str, Path]]:
    """The learners' Voila (as `make dashboards` starts it, kernels started per page rather than preheated)
    on a free loopback port, with throwaway progress and live-session files. Yields its base URL and the
    progress file."""
    scratch = Path(tempfile.mkdtemp(prefix="lowback-handouts-"))
    env = {"LOWBACK_PROGRESS": str(scratch / "progress.sqlite"),
           "LOWBACK_LIVE_URL": f"sqlite:///{scratch / 'live.sqlite'}"}
    try:
        with voila(env, args=["--VoilaConfiguration.preheat_kernel=False"], log=log, timeout=timeout) as (base, _):
            yield base, scratch / "progress.sqlite"
    except ServerError as e:
        raise HandoutError(f"the learners' Voila did not start: {e}") from e
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


async def _offline(page, allowed: str) -> None:
    """Let PAGE load ALLOWED (a file URL) and nothing else."""
    async def route(r):
        await (r.continue_() if r.request.url == allowed else r.abort())

    await page.route("**/*", route)


async def _one(browser, server: tuple[str, Path], lesson: Lesson, documents, out: Path, pdf: bool) -> list[Path]:
    base, progress_file = server
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        address = f"{base}/voila/render/{lesson.file}"
        await page.goto(address, timeout=LOAD_TIMEOUT_MS)
        expected = widget_views(lesson)
        for attempt in (1, 2):
            try:
                await page.wait_for_function(DRAWN_JS, arg=expected, timeout=LOAD_TIMEOUT_MS)
                break
            except Exception as e:  # Playwright's TimeoutError, or the page closing under us
                drawn = await page.evaluate(
                    "document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length")
                # A page whose kernel lost track of its widgets ("widget model not found", seen on a busy machine)
                # draws when loaded again: once.
                if attempt == 1 and any("widget model not found" in x for x in errors):
                    print(f"lesson {lesson.id}: {drawn} of {expected} views drew; loading it once more", flush=True)
                    errors.clear()
                    await page.goto(address, timeout=LOAD_TIMEOUT_MS)
                    continue
                raise HandoutError(f"lesson {lesson.id}: {drawn} of {expected} views drew within "
                                   f"{LOAD_TIMEOUT_MS // 1000} s ({type(e).__name__}; console errors: "
                                   f"{errors[:2]})") from e
        await page.evaluate("document.fonts.ready.then(() => true)")
        snap = await page.evaluate(SNAPSHOT_JS)
        # The progress panel names the progress file: say where a learner's is, not this run's throwaway one.
        body = snap["html"].replace(escape(str(progress_file)), escape(PROGRESS_WHERE))
        html_path = out / handout_name(lesson)
        html_path.write_text(handout_html(lesson, documents, body, snap["css"], snap["bodyAttrs"]), encoding="utf-8")
        written = [html_path]
        if pdf:
            printer = await context.new_page()
            url = html_path.resolve().as_uri()
            await _offline(printer, url)
            await printer.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
            pdf_path = html_path.with_suffix(".pdf")
            await printer.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)
            written.append(pdf_path)
        return written
    finally:
        await context.close()


async def _build(lessons: Sequence[Lesson], out: Path, jobs: int, pdf: bool, log: Path) -> tuple[list[Path], list[str]]:
    from playwright.async_api import async_playwright

    documents = list(load_content().documents.values())
    written: list[Path] = []
    failed: list[str] = []
    with learners_voila(log) as server:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(), args=FLAGS, headless=True)
            gate = asyncio.Semaphore(max(1, jobs))

            async def run(lesson: Lesson) -> None:
                async with gate:
                    start = time.monotonic()
                    try:
                        paths = await _one(browser, server, lesson, documents, out, pdf)
                    except HandoutError as e:
                        failed.append(str(e))
                        return
                    written.extend(paths)
                    names = ", ".join(p.name for p in paths)
                    print(f"lesson {lesson.id}: {names} ({time.monotonic() - start:.1f} s)", flush=True)

            try:
                await asyncio.gather(*(run(les) for les in lessons))
            finally:
                await browser.close()
    return written, failed


def build(out: str | Path = OUT, ids: Sequence[str] = (), jobs: int = 2, pdf: bool = True,
          log: str | Path | None = None) -> list[Path]:
    """Write the handouts of the lessons IDS (all when empty) into OUT; returns the files written.
    Raises HandoutError when Chromium is missing, an id is unknown, or a lesson fails."""
    if not Path(chromium_path()).exists():
        raise HandoutError(NO_CHROMIUM.format(path=chromium_path()))
    lessons = load_content().lessons
    unknown = [i for i in ids if i not in lessons]
    if unknown:
        raise HandoutError(f"unknown lesson id {', '.join(unknown)}; the lessons are {', '.join(sorted(lessons))}")
    chosen = [lessons[i] for i in (ids or sorted(lessons))]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    log = Path(log) if log else Path(tempfile.gettempdir()) / "lowback-handouts-voila.log"
    # In a thread of its own, so a caller that already runs an event loop (Playwright's sync API does) is fine.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        written, failed = pool.submit(asyncio.run, _build(chosen, out, jobs, pdf, log)).result()
    if failed:
        raise HandoutError("\n".join(failed) + f"\n(the Voila log is {log})")
    return sorted(written)
