"""What the browser tests share about the lessons and their pages: which lesson is which file, how to
wait for a view's text to change, and how the case list names a patient."""

from __future__ import annotations

import yaml

from tests.servers import ROOT
from widgets.content.cases import load_cases
from widgets.content.loader import load_content

LESSONS_YAML = yaml.safe_load((ROOT / "assets" / "lessons.yaml").read_text())["lessons"]
LESSON_FILES = [les["file"] for les in LESSONS_YAML]
LESSON = {les["id"]: les["file"] for les in LESSONS_YAML}


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
