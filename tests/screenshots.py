"""`make screenshots` (issue 17): the landing page and every lesson at a phone's 390x844 and a desktop's 1280x900,
in the light and the dark theme, saved as PNGs under build/screenshots/ so anyone can look.

    python -m tests.screenshots [--out DIR] [--lesson ID ...] [--full-page | --no-full-page]

It starts the learners' Voila as the browser tests do (`serve_voila`, tests/servers.py), opens each page in Debian's
Chromium (`launch_chromium`) at the tests' two sizes (`SIZES`, tests/pages.py), waits as the tests do until the page
is drawn in its theme (`open_page`: every widget view drawn, the theme's colours applied), then until Voila's
loading spinner is gone and the fonts and images are in, and saves <page>-<width>x<height>-<theme>.png, the first
screen, and with --full-page (the default) <page>-<width>x<height>-<theme>-full.png, the whole lesson.
<page> is "landing" or a lesson's id ("05"). --lesson picks pages ("landing" is one); all of them by default.
Files are overwritten, never deleted.

Time is bounded per page: each step waits at most LOAD_TIMEOUT_MS (tests/servers.py), and a lesson is loaded at most
twice (`open_page` reloads a page hit by the known fault it describes, which is then said on stderr).
Exit status 0 when every file was saved; 1, with one line naming the cause (Voila, Chromium, or the page that did
not draw), otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import struct
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.pages import PAGES, SIZES, open_page
from tests.servers import LOAD_TIMEOUT_MS, ROOT, ServerError, launch_chromium, serve_voila

OUT = ROOT / "build" / "screenshots"
SHOT_SIZES = ("phone", "desktop")  # keys of tests.pages.SIZES, in the order they are taken
THEMES = ("light", "dark")
VOILA_LOG = Path(tempfile.gettempdir()) / "lowback-screenshots-voila.log"

# Voila's loading spinner gone and the lesson's cells shown (the landing page has neither).
NO_SPINNER_JS = """() => { const loading = document.getElementById('loading'),
  cells = document.getElementById('rendered_cells');
  return (!loading || getComputedStyle(loading).display === 'none')
    && (!cells || getComputedStyle(cells).display !== 'none'); }"""
# Fonts ready and images loaded, so the picture is the settled page.
SETTLED_JS = """async () => { await document.fonts.ready;
  return Array.from(document.images).every(i => i.complete || i.loading === 'lazy'); }"""
# How much of a lesson is hidden below its scrolling panel (0 for the landing page, which scrolls as a document).
SCROLLED_BY_JS = """() => { const c = document.getElementById('rendered_cells');
  return c ? Math.ceil(c.scrollHeight - c.clientHeight) : 0; }"""
# A lesson scrolls inside #rendered_cells, a Lumino panel as tall as the window: these rules let it scroll as a
# document, so a full-page screenshot takes the whole lesson. (Making the window as tall as the lesson does the same,
# much more slowly: the lesson reflows at each new height.)
UNROLL_CSS = """#main, #jp-main-content-panel, #rendered_cells {
  position: static !important; contain: none !important; height: auto !important; overflow: visible !important; }
html, body { height: auto !important; overflow: visible !important; }"""
# ...and a sticky element (the lesson's bar of sections, the anatomy explorer's details on a phone) is shown where it
# sits in the lesson, not pinned to the first screen or to the top of its container.
UNSTICK_JS = """() => new Promise(done => {
  for (const el of document.querySelectorAll('#rendered_cells *'))
    if (getComputedStyle(el).position === 'sticky') el.style.setProperty('position', 'static', 'important');
  requestAnimationFrame(() => done());
})"""


class ScreenshotError(RuntimeError):
    """A screenshot could not be taken; the message (one line) says which page or server and why."""


def _line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def size_name(size: str) -> str:
    """"390x844" for "phone"."""
    viewport = SIZES[size]["viewport"]
    return f"{viewport['width']}x{viewport['height']}"


def file_name(page: str, size: str, theme: str, full: bool = False) -> str:
    return f"{page}-{size_name(size)}-{theme}{'-full' if full else ''}.png"


def page_names(ids: Sequence[str] = ()) -> list[str]:
    """"landing" and every lesson id, or only IDS (in the course's order); ScreenshotError names an unknown one."""
    unknown = [i for i in ids if i not in PAGES]
    if unknown:
        raise ScreenshotError(f"unknown page {', '.join(unknown)}; the pages are {', '.join(PAGES)}")
    return [name for name in PAGES if not ids or name in ids]


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG file's header; ValueError if it is not a PNG."""
    head = Path(path).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def _shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


def _open(page, base: str, name: str, theme: str, what: str) -> None:
    """`open_page`, then the spinner, fonts and images; its warnings said on stderr, its failures a ScreenshotError."""
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            try:
                open_page(page, base, name, theme)
            finally:
                for w in said:
                    print(f"screenshots: {w.message}", file=sys.stderr, flush=True)
        page.wait_for_function(NO_SPINNER_JS, timeout=LOAD_TIMEOUT_MS, polling=250)
        with contextlib.suppress(PlaywrightError):  # a late request must not fail the picture, nor hold it long
            page.wait_for_load_state("networkidle", timeout=10_000)
        page.wait_for_function(SETTLED_JS, timeout=LOAD_TIMEOUT_MS, polling=250)
    except (pytest.fail.Exception, AssertionError, PlaywrightError) as e:
        raise ScreenshotError(f"{what} was not drawn: {_line(e)} (Voila's log: {VOILA_LOG})") from None


def _whole_lesson(page) -> None:
    if page.evaluate(SCROLLED_BY_JS) > 0:
        page.add_style_tag(content=UNROLL_CSS)
        page.evaluate(UNSTICK_JS)


def shoot(browser, base: str, out: Path, pages: Sequence[str] = (), sizes: Sequence[str] = SHOT_SIZES,
          themes: Sequence[str] = THEMES, full_page: bool = True, say: Callable[[str], None] = print) -> list[Path]:
    """Save screenshots of PAGES ("landing" and lesson ids; every page when empty) from the Voila at BASE into OUT,
    at each of SIZES ("phone", "desktop") in each of THEMES, with BROWSER (a Playwright Chromium). Returns the files
    saved, in order; SAY is told each one. Raises ScreenshotError naming the page that did not draw."""
    names = page_names(pages)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    # Every page in one size and theme before the next: a light lesson then finds a preheated kernel, refilled while
    # the other pages were taken (a dark one, which Voila never preheats, renders in a fresh kernel).
    for size in sizes:
        for theme in themes:
            for name in names:
                what = f"{name} at {size_name(size)} in the {theme} theme"
                # The device prefers THEME too, so the landing page keeps it.
                context = browser.new_context(**SIZES[size], color_scheme=theme)
                try:
                    page = context.new_page()
                    start = time.monotonic()
                    _open(page, base, name, theme, what)
                    for full in (False, True)[:1 + full_page]:
                        file = out / file_name(name, size, theme, full)
                        try:
                            if full:
                                _whole_lesson(page)
                            page.screenshot(path=str(file), full_page=full, animations="disabled",
                                            timeout=LOAD_TIMEOUT_MS)
                        except PlaywrightError as e:
                            raise ScreenshotError(f"{what}: no screenshot: {_line(e)}") from None
                        saved.append(file)
                        width, height = png_size(file)
                        say(f"saved {_shown(file)} ({width}x{height}, {time.monotonic() - start:.0f} s)")
                finally:
                    context.close()
    return saved


def run(out: Path = OUT, pages: Sequence[str] = (), full_page: bool = True,
        say: Callable[[str], None] = print) -> list[Path]:
    """Start Chromium and the learners' Voila, then `shoot`. Raises ScreenshotError (one line) on any failure."""
    page_names(pages)  # an unknown page is said before anything starts
    with contextlib.ExitStack() as stack:
        try:
            browser = stack.enter_context(launch_chromium())
        except (ServerError, PlaywrightError) as e:
            raise ScreenshotError(f"Chromium did not start: {_line(e)}") from e
        try:
            base, _proc = stack.enter_context(serve_voila(log=VOILA_LOG))
        except ServerError as e:  # its first line names the log, its last the log's last word
            lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()] or [type(e).__name__]
            raise ScreenshotError(f"Voila did not start: {' '.join(lines[:1] + lines[1:][-1:])}") from e
        return shoot(browser, base, out, pages, full_page=full_page, say=say)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, metavar="DIR",
                        help="folder for the PNGs (default build/screenshots)")
    parser.add_argument("--lesson", dest="pages", metavar="ID", nargs="+", action="extend", default=[],
                        help='only these pages: lesson ids ("05") or "landing" (default: every page)')
    parser.add_argument("--full-page", action=argparse.BooleanOptionalAction, default=True,
                        help="also save the whole page as <...>-full.png (default: on)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        saved = run(args.out, args.pages, args.full_page)
    except ScreenshotError as e:
        print(f"screenshots: {e}", file=sys.stderr)
        return 1
    except PlaywrightError as e:  # Chromium went away mid-run
        print(f"screenshots: Chromium failed: {_line(e)}", file=sys.stderr)
        return 1
    pages = len({p.name.split("-")[0] for p in saved})
    print(f"{len(saved)} screenshots of {pages} pages saved in {_shown(Path(args.out))} "
          f"in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
