"""A live session in real browsers: the instructor's server (`make instructor`) presents a case and opens a
session; three learners on the learners' server (`make dashboards`) join it from lesson 08, each in a
browser context of their own, and answer. Both servers share one live-session database, as a room's
would. Everything asserted is text on the pages; no page is reloaded and no refresh is clicked."""

from __future__ import annotations

import re

import pytest

from tests.pages import LESSON, wait_text
from tests.servers import LOAD_TIMEOUT_MS, ROOT, voila_or_fail

pytestmark = pytest.mark.browser

CASE_LABEL = "First ever back pain, a week after moving flat (3 decision points)"
A = "A. Request an MRI of the lumbar spine now"
B = "B. Request an X-ray of the lumbar spine now"
C = "C. No scan: explain why, and look again if a red flag appears"
CHART = ".lb-case-presenter .lb-live-chart"
LIVE_WAIT_MS = 30_000  # the pages poll about once a second; allow for a loaded machine


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory):
    return {"LOWBACK_LIVE_URL": f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}"}


@pytest.fixture(scope="module")
def instructor_server(shared_env):
    yield from voila_or_fail(shared_env, root=ROOT / "instructor", config=ROOT / "config" / "instructor")


@pytest.fixture(scope="module")
def learner_server(shared_env):
    yield from voila_or_fail(shared_env)


def open_learner(browser, base: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/voila/render/{LESSON['08']}", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(".lb-live-join", timeout=LOAD_TIMEOUT_MS)
    # A resident told "type the code" finds the box at the top of the lesson, within the first two screens
    # (it once sat after the references, about 20,000 px down).
    top = page.evaluate("document.querySelector('.lb-live-join').getBoundingClientRect().top + window.scrollY")
    assert top < 2 * 900, f"the live-session box starts {top:.0f} px down lesson 08"
    return context, page


def join(page, code: str) -> None:
    panel = page.locator(".lb-live-join")
    panel.get_by_label("Session code").fill(code)
    panel.get_by_role("button", name="Join", exact=True).click()


def answer(page, label: str) -> None:
    panel = page.locator(".lb-live-join")
    panel.get_by_label(label).check()
    panel.get_by_role("button", name="Submit answer").click()


def chart_counts(page) -> dict[str, str]:
    """Option label -> the count shown beside it, e.g. 'A. ...' -> '2 answers (67%)'."""
    rows = page.locator(f"{CHART} .lb-live-row")
    return {rows.nth(i).locator(".lb-live-label").inner_text(): rows.nth(i).locator(".lb-live-count").inner_text()
            for i in range(rows.count())}  # fmt: skip


def wait_counts(page, expected: dict[str, int]) -> dict[str, str]:
    """Wait until the instructor's chart shows EXPECTED (label -> number of answers), read from its text."""
    words = {label: f"{n} answer{'' if n == 1 else 's'} (" for label, n in expected.items()}
    page.wait_for_function(
        """([sel, words]) => {
             const rows = [...document.querySelectorAll(sel + ' .lb-live-row')];
             return Object.entries(words).every(([label, count]) => rows.some(r =>
               r.querySelector('.lb-live-label').innerText === label &&
               r.querySelector('.lb-live-count').innerText.startsWith(count)));
           }""",
        arg=[CHART, words],
        timeout=LIVE_WAIT_MS,
    )
    return chart_counts(page)


def test_one_instructor_and_three_learners_run_a_live_session(browser, instructor_server, learner_server):
    contexts = []
    try:
        # The instructor presents the case on the projector and opens a session at its first decision point.
        teacher_context = browser.new_context(viewport={"width": 1600, "height": 1000})
        contexts.append(teacher_context)
        teacher = teacher_context.new_page()
        teacher.goto(f"{instructor_server}/voila/render/02_case_presenter.ipynb", timeout=LOAD_TIMEOUT_MS)
        teacher.wait_for_selector(".lb-case-presenter", timeout=LOAD_TIMEOUT_MS)
        assert "from widgets" not in teacher.content()
        console = teacher.locator(".lb-case-presenter")
        console.get_by_label("Case").select_option(label=CASE_LABEL)
        wait_text(teacher, ".lb-presenter-slide", "First ever back pain")
        assert console.get_by_role("button", name="Open live session").is_disabled()  # not a decision point yet
        console.get_by_role("button", name="Next", exact=True).click()
        wait_text(teacher, ".lb-presenter-slide", "Decision 1 of 3")
        slide = teacher.locator(".lb-presenter-slide").inner_text()
        assert "He asks for a scan" in slide and A in slide and "documents' answer" not in slide
        console.get_by_role("button", name="Open live session").click()
        teacher.wait_for_selector(".lb-live-code-value", timeout=LIVE_WAIT_MS)
        code = teacher.locator(".lb-live-code-value").inner_text().strip()
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code), code
        font_px = teacher.locator(".lb-live-code-value").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert font_px >= 60  # readable from the back of the room
        wait_text(teacher, ".lb-live-room", "0 joined; 0 answered")

        # Three learners, each in their own browser context; the first mistypes the code at first.
        learners = []
        for _ in range(3):
            context, page = open_learner(browser, learner_server)
            contexts.append(context)
            learners.append(page)
        one, two, three = learners
        join(one, "ZZZZZZ")
        unknown = "No open session with code ZZZZZZ — check the code on the screen"
        wait_text(one, ".lb-live-join .lb-live-status", unknown, timeout=LIVE_WAIT_MS)
        for page in learners:
            join(page, code)
        for page in learners:
            wait_text(page, ".lb-live-join .lb-live-status", f"You have joined session {code}")
            wait_text(page, ".lb-live-join .lb-live-prompt", "He asks for a scan")
            assert "documents' answer" not in page.locator(".lb-live-join").inner_text()
        wait_text(teacher, ".lb-live-room", "3 joined; 0 answered", timeout=LIVE_WAIT_MS)

        # Two choose A, one B: the projector's chart follows without anyone touching it.
        answer(one, A)
        answer(two, A)
        answer(three, B)
        for page in learners:
            wait_text(page, ".lb-live-join .lb-live-status", "is in. You can change it")
        counts = wait_counts(teacher, {A: 2, B: 1, C: 0})
        assert counts[A] == "2 answers (67%)" and counts[B] == "1 answer (33%)", counts
        wait_text(teacher, ".lb-live-room", "3 joined; 3 answered")

        # One learner changes their mind before the reveal: the tally moves, nothing is double counted.
        answer(two, C)
        wait_text(two, ".lb-live-join .lb-live-status", "Your answer was changed to C")
        counts = wait_counts(teacher, {A: 1, B: 1, C: 1})
        assert "3 answers so far" in teacher.locator(CHART).inner_text(), counts

        # Reveal: every learner sees the documents' answer and the evidence, with the room's counts.
        console.get_by_role("button", name="Reveal the answer").click()
        wait_text(teacher, ".lb-live-answer-box", "The documents' answer: " + C)
        for page in learners:
            text = wait_text(page, ".lb-live-join .lb-live-result", "The documents' answer: " + C,
                             timeout=LIVE_WAIT_MS)  # fmt: skip
            assert "NICE QS155" in text and "1 answer (33%)" in text
            assert page.locator(".lb-live-join").get_by_role("button", name="Submit answer").is_disabled()

        # Next decision: the learners' pages move on by themselves; then the session closes.
        console.get_by_role("button", name="Next decision").click()
        wait_text(teacher, ".lb-presenter-slide", "Decision 2 of 3")
        for page in learners:
            wait_text(page, ".lb-live-join .lb-live-prompt", "STarT Back", timeout=LIVE_WAIT_MS)
        answer(three, "A. Low risk")
        wait_counts(teacher, {"A. Low risk": 1, "B. Medium risk": 0, "C. High risk": 0})
        console.get_by_role("button", name="Close session").click()
        for page in learners:
            wait_text(page, ".lb-live-join .lb-live-status", f"The instructor has closed session {code}",
                      timeout=LIVE_WAIT_MS)  # fmt: skip
        # Each panel now says the session has closed and how many of the two decisions put to the room that
        # learner answered (an icon and words, not colour), and no longer offers options or a Submit button.
        for page, answered in ((one, "1 of 2 decisions; your answer was"), (two, "1 of 2 decisions; your answer was"),
                               (three, "2 of 2 decisions; your answers were")):  # fmt: skip
            mine = wait_text(page, ".lb-live-join .lb-live-mine", "SESSION CLOSED", timeout=LIVE_WAIT_MS)
            assert mine.startswith("ℹ SESSION CLOSED.") and f"You answered {answered} kept." in mine, mine
            panel = page.locator(".lb-live-join")
            shown = panel.inner_text()
            assert "Closed after decision 2 of 3" in shown and "not answered this decision" not in shown, shown
            assert panel.get_by_role("radio").count() == 0
            assert panel.get_by_role("button", name="Submit answer").count() == 0
        join(one, code)
        wait_text(one, ".lb-live-join .lb-live-status", "has been closed by the instructor: it takes no more answers")
        assert "You answered 1 of 2 decisions" in one.locator(".lb-live-join .lb-live-mine").inner_text()
        for page in (teacher, *learners):
            assert "Traceback" not in page.inner_text("body")
    finally:
        for context in contexts:
            context.close()
