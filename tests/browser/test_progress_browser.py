"""Progress survives a server restart, seen in Chromium: answer a self-check question on one learners' Voila,
stop that server entirely, start a new one on the same progress file, and the answer, its feedback and the
score are back; lesson 00's progress panel then reports lesson 01 in words."""

from __future__ import annotations

import contextlib

import pytest

from tests.pages import LESSON, wait_text
from tests.servers import LOAD_TIMEOUT_MS, voila_or_fail
from widgets.content.loader import load_content
from widgets.stores.progress import ProgressStore

pytestmark = pytest.mark.browser
serving = contextlib.contextmanager(voila_or_fail)  # one server at a time, stopped when the block ends


def open_lesson(page, base: str, lesson: str, ready: str) -> None:
    page.goto(f"{base}/voila/render/{LESSON[lesson]}", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(ready, timeout=LOAD_TIMEOUT_MS)


def choice_text(lesson: str, n: int, correct: bool) -> str:
    """The text of the right answer to question N, or of its first wrong one."""
    q = load_content().questions[lesson][n - 1]
    return next(c.text for c in q.choices if c.correct is correct)


def answer(page, n: int, text: str) -> None:
    """Choose TEXT in question N of the page's self-check and press Check answer."""
    question = page.locator(".lb-selfcheck .lb-question").nth(n - 1)
    question.get_by_role("radio", name=text, exact=True).check()
    question.get_by_role("button", name="Check answer").click()
    wait_text(page, ".lb-selfcheck .lb-progress-line", f"Saved: your answer to question {n}.")


def test_a_saved_answer_is_back_after_a_server_restart_and_the_panel_reports_it(browser, tmp_path):
    file = tmp_path / "progress.sqlite"
    total = len(load_content().questions["01"])
    right = choice_text("01", 1, correct=True)
    # First server: no waiting kernels (LOWBACK_POOL_SIZE=0), the lesson runs when the page asks for it.
    with serving({"LOWBACK_PROGRESS": str(file), "LOWBACK_POOL_SIZE": "0"}) as base:
        page = browser.new_page()
        open_lesson(page, base, "01", ".lb-selfcheck .lb-progress-line")
        assert "saved as you check them" in page.locator(".lb-selfcheck .lb-progress-line").inner_text()
        answer(page, 1, right)
        assert "Correct." in page.locator(".lb-selfcheck .lb-question").first.locator(".lb-feedback-box").inner_text()
        page.close()
    with ProgressStore(file) as store:
        assert [(a.lesson, a.correct) for a in store.answers()] == [("01", True)]

    # A new server on the same file, configured as `make dashboards` (each lesson waiting in a kernel started
    # before the page asks).
    with serving({"LOWBACK_PROGRESS": str(file)}) as base:
        page = browser.new_page()
        open_lesson(page, base, "01", ".lb-selfcheck .lb-progress-line")
        first = page.locator(".lb-selfcheck .lb-question").first
        wait_text(page, ".lb-selfcheck .lb-score", f"Answered 1 of {total}; 1 correct so far.")
        assert first.get_by_role("radio", name=right, exact=True).is_checked()
        assert "Correct." in first.locator(".lb-feedback-box").inner_text()
        assert f"shown again (1 of {total})" in page.locator(".lb-selfcheck .lb-progress-line").inner_text()
        # One more answer, saved after lesson 00 was already run in its waiting kernel: the panel must show it.
        answer(page, 2, choice_text("01", 2, correct=False))
        open_lesson(page, base, "00", ".lb-progress-panel .lb-progress-report")
        row = page.locator(".lb-progress-panel tr", has_text="Lesson 01, Anatomy of the lumbar spine and pelvis")
        wait_text(page, ".lb-progress-panel .lb-progress-report", f"1 correct of 2 answered, out of {total} questions")
        assert f"1 correct of 2 answered, out of {total} questions" in row.inner_text()
        review = page.locator(".lb-progress-panel ol").inner_text()
        assert "Lesson 01, Anatomy of the lumbar spine and pelvis: your latest answer to question 2" in review
        assert str(file) in page.locator(".lb-progress-panel").inner_text()
        page.close()
