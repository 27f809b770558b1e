"""The spaced review in Chromium, on a learners' Voila whose progress file has lesson 01 marked done and one of its
questions due again: the landing page says one question is due and links to the review; the review page asks it;
the learner answers; the page shows the feedback and the next review date; the saved card's due date moved on."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.test_accessibility import axe_problems
from tests.pages import wait_text
from tests.servers import LOAD_TIMEOUT_MS, voila_or_fail
from widgets.content.loader import load_content
from widgets.models import review as rv
from widgets.render.review import day_words
from widgets.stores.progress import ProgressStore

pytestmark = pytest.mark.browser
serving = contextlib.contextmanager(voila_or_fail)


def prepare(file, lesson: str, question: str) -> datetime:
    """Lesson marked done an hour ago (its other questions are first due tomorrow); QUESTION reviewed right three
    days ago, so it came due a day ago. Returns that due time."""
    now = datetime.now(UTC).replace(microsecond=0)
    with ProgressStore(file, clock=lambda: now - timedelta(hours=1)) as store:
        store.complete_lesson(lesson)
        first = rv.review(lesson, question, True, now - timedelta(days=3), None, now - timedelta(days=4))
        store.record_review(lesson, question, 0, True, int(first.rating), first.card, first.reviewed_at)
    assert first.due < now
    return first.due


def test_a_due_question_is_asked_answered_and_rescheduled(browser, tmp_path):
    file = tmp_path / "progress.sqlite"
    content = load_content()
    q = content.questions["01"][0]
    old_due = prepare(file, "01", q.id)
    right = next(c.text for c in q.choices if c.correct)
    with serving({"LOWBACK_PROGRESS": str(file), "LOWBACK_POOL_SIZE": "0"}) as base:
        page = browser.new_page()
        page.goto(base + "/", timeout=LOAD_TIMEOUT_MS)
        link = page.locator("a.lb-review-link")
        assert "1 question due for review" in link.inner_text()
        assert link.get_attribute("href").split("?")[0].endswith("/voila/render/review.ipynb")
        link.click()
        wait_text(page, ".lb-review .lb-review-head", "1 question due for review", timeout=LOAD_TIMEOUT_MS)
        review = page.locator(".lb-review").first
        assert q.prompt in review.inner_text()
        assert "Lesson 01" in review.locator(".lb-review-from").inner_text()
        review.get_by_role("radio", name=right, exact=True).check()
        review.get_by_role("button", name="Check answer").click()
        shown = wait_text(page, ".lb-review .lb-review-next", "Next review of this question:")
        assert "Correct." in review.locator(".lb-feedback-box").inner_text()
        assert "Saved: your answer and this question" in review.locator(".lb-progress-line").inner_text()
        with ProgressStore(file) as store:
            card = store.review_cards()[("01", q.id)]
            assert len(store.review_answers()) == 2
        new_due = rv.utc(card["due"])
        assert new_due > old_due + timedelta(days=2) and new_due > datetime.now(UTC)
        assert day_words(new_due.astimezone().date()) in shown  # the date on the page is the saved one
        problems = axe_problems(page)
        assert not problems, "review page after an answer:\n  " + "\n  ".join(problems)
        # Nothing else is due: the next button says so, with the date of the next question.
        review.get_by_role("button", name="Next due question").click()
        wait_text(page, ".lb-review .lb-review-head", "Nothing due")
        page.close()
