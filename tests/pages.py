"""What the browser tests share about the lessons and their pages: which lesson is which file, how to
wait for a view's text to change, and how the case list names a patient."""

from __future__ import annotations

import contextlib
import json

import yaml

from tests.servers import LESSONS, LOAD_TIMEOUT_MS, ROOT
from widgets.content.cases import load_cases
from widgets.content.loader import load_content

LESSONS_YAML = yaml.safe_load((ROOT / "assets" / "lessons.yaml").read_text())["lessons"]
LESSON_FILES = [les["file"] for les in LESSONS_YAML]
LESSON = {les["id"]: les["file"] for les in LESSONS_YAML}
# Pages that are not lessons: not in lessons.yaml, so no previous or next lesson (lesson.js leaves them out).
EXTRA_PAGES = {"review": "review.ipynb"}
PAGE_FILE = {**LESSON, **EXTRA_PAGES}  # page name -> notebook
PAGES = {"landing": "/", **{name: f"/voila/render/{file}" for name, file in PAGE_FILE.items()}}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# The two screens the course is checked at: a laptop, and a phone held upright.
SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@contextlib.contextmanager
def sized_page(browser, size: str):
    """A fresh page at one of SIZES, closed afterwards."""
    context = browser.new_context(**SIZES[size])
    try:
        yield context.new_page()
    finally:
        context.close()



def wait_text(page, selector: str, text: str, timeout: int = 15_000) -> str:
    """Wait until the first element matching SELECTOR shows TEXT; return its text."""
    page.wait_for_function(
        "([sel, txt]) => { const el = document.querySelector(sel); return !!el && el.innerText.includes(txt); }",
        arg=[selector, text],
        timeout=timeout,
    )
    return page.locator(selector).first.inner_text()


def wait_changed(page, selector: str, before: str, timeout: int = 15_000) -> str:
    """Wait until the first element matching SELECTOR no longer shows BEFORE; return its new text."""
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel); return !!el && el.innerText !== old; }",
        arg=[selector, before],
        timeout=timeout,
    )
    return page.locator(selector).first.inner_text()


def case_label(case_id: str) -> str:
    """The case list shows "title: summary" (never the diagnosis)."""
    case = load_cases(load_content())[case_id]
    return f"{case.title}: {case.summary}"


def widget_outputs(file: str) -> int:
    """How many interactive views the lesson shows (its stored outputs say)."""
    nb = json.loads((LESSONS / file).read_text())
    return sum(WIDGET_MIME in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))


MODEL_LOST = "widget model not found"


def open_page(page, base: str, name: str, theme: str = "light") -> None:
    """Open the landing page or a lesson in THEME and wait until every view has drawn itself.

    On a freshly started server the first page of a lesson sometimes never draws its views: the browser's console
    says "widget model not found" (the page and its kernel disagree; seen only while every lesson's waiting kernel
    is still being prepared, cause not found). Such a page is loaded once more, with a warning, so the run says it
    happened; any other failure to draw fails the test."""
    import warnings

    import pytest
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    address = base + PAGES[name] + ("?theme=dark" if theme == "dark" else "")
    page.goto(address, timeout=LOAD_TIMEOUT_MS)
    if name == "landing":
        page.wait_for_selector(".lb-lessons", timeout=LOAD_TIMEOUT_MS)
    else:
        # Every view is on the page and none is still empty (the diagram and sliders draw themselves late).
        expected = widget_outputs(PAGE_FILE[name])
        state = """() => [document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length,
                          Array.from(document.querySelectorAll('.jp-OutputArea-output .lm-Widget'))
                               .filter(el => !el.hasChildNodes() && !el.hidden)
                               .map(el => el.outerHTML.slice(0, 120))]"""
        drawn = f"n => {{ const [views, empty] = ({state})(); return views >= n && empty.length === 0; }}"
        for attempt in (1, 2):
            try:
                page.wait_for_function(drawn, arg=expected, timeout=LOAD_TIMEOUT_MS)
                break
            except PlaywrightTimeout:
                views, empty = page.evaluate(state)
                lost = any(MODEL_LOST in e for e in errors)
                if attempt == 1 and lost:
                    warnings.warn(f"{name} ({theme}): {views} of {expected} views drawn and the page logged "
                                  f"'{MODEL_LOST}'; loading it once more", stacklevel=2)
                    errors.clear()
                    page.goto(address, timeout=LOAD_TIMEOUT_MS)
                    continue
                pytest.fail(f"{name} ({theme}): {views} of {expected} views drawn, still empty: {empty[:3]}; "
                            f"console errors: {errors[:3]}; page ends: {page.inner_text('body')[-300:]!r}")
    light, luminance = page.evaluate(
        """() => {
          const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number)
            .map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          return [document.body.dataset.jpThemeLight, 0.2126 * r + 0.7152 * g + 0.0722 * b];
        }"""
    )
    assert light == ("true" if theme == "light" else "false"), f"{name}: the {theme} theme was not applied"
    if theme == "dark":
        assert luminance < 0.05, f"{name}: the page background stays light ({luminance:.2f}) in the dark theme"
    else:
        assert luminance > 0.8, f"{name}: the page background is dark ({luminance:.2f}) in the light theme"
