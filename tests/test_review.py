"""The spaced review (widgets/models/review.py, its store tables, its view and its landing-page line), on a fixed clock.

The expected dates were computed once by running the fsrs package (6.3.2) with the course's scheduler: a question
reviewed exactly when due comes back after 2, 11, 46 days when always right; 1 then 2, 6 days after a first wrong
answer. Nothing here reads the real clock."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating, Scheduler

from widgets.models import review as rv
from widgets.stores import progress
from widgets.stores.progress import ProgressStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
QUESTIONS = {"01": ["a1", "a2"], "02": ["b1"], "03": ["c1", "c2", "c3"]}
DAY = timedelta(days=1)


def text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def plan(store: ProgressStore, now: datetime, after: str | None = None) -> rv.Schedule:
    return rv.schedule(QUESTIONS, store.completed_at(), store.review_cards(), now, after, store.review_counts())


def answer(store: ProgressStore, item: rv.DueQuestion, correct: bool, now: datetime) -> rv.Rescheduled:
    """What the view does on Check answer: schedule again, then save the answer and the card together."""
    done = store.completed_at()[item.lesson]
    result = rv.review(item.lesson, item.question, correct, now, store.review_cards().get(item.key), done)
    store.record_review(item.lesson, item.question, 0, correct, int(result.rating), result.card, now)
    return result


def due_keys(p: rv.Schedule) -> list[tuple[str, str]]:
    return [q.key for q in p.due]


# --- the scheduler the course uses ------------------------------------------------------------------------------


def test_scheduler_settings_and_rating_mapping():
    s = rv.scheduler()
    assert isinstance(s, Scheduler)
    assert s.desired_retention == 0.9 and s.enable_fuzzing is False
    assert s.learning_steps == () and s.relearning_steps == ()  # days, not minutes: see the module docstring
    assert rv.RATING == {True: Rating.Good, False: Rating.Again}


def test_intervals_for_right_and_wrong_answers_are_fsrs_own():
    """Reviewed when due each time: right -> 2, 11, 46 days; wrong first -> 1, then right 2, 6 days."""
    def gaps(answers: list[bool]) -> list[int]:
        now, stored, out = T0 + DAY, None, []
        for correct in answers:
            r = rv.review("01", "a1", correct, now, stored, T0)
            out.append(r.days)
            assert r.rating == (Rating.Good if correct else Rating.Again)
            stored, now = r.card, r.due
        return out

    assert gaps([True, True, True]) == [2, 11, 46]
    assert gaps([False, True, True]) == [1, 2, 6]
    assert gaps([True, False, True]) == [2, 1, 2]  # a lapse shortens the gap again
    assert gaps([False])[0] < gaps([True])[0]


def test_a_question_enters_the_schedule_a_day_after_its_lesson_is_done():
    assert rv.schedule(QUESTIONS, {}, {}, T0 + 30 * DAY).done_lessons == ()  # nothing done: nothing scheduled
    p = rv.schedule(QUESTIONS, {"01": T0.isoformat()}, {}, T0 + DAY - timedelta(seconds=1))
    assert p.due == () and p.scheduled == 2 and p.upcoming.due == T0 + DAY
    p = rv.schedule(QUESTIONS, {"01": T0.isoformat()}, {}, T0 + DAY)
    assert due_keys(p) == [("01", "a1"), ("01", "a2")] and all(q.reviews == 0 for q in p.due)
    # A lesson no longer in the content, or one with no questions, brings nothing.
    assert rv.schedule({"01": []}, {"01": T0, "99": T0}, {}, T0 + 5 * DAY).scheduled == 0


def test_times_without_a_zone_are_utc_and_a_damaged_card_counts_as_new():
    assert rv.utc("2026-03-02T09:00:00") == T0 == rv.utc("2026-03-02T10:00:00+01:00")
    assert rv.read_card({"due": "not a date"}) is None and rv.read_card("nonsense") is None
    p = rv.schedule(QUESTIONS, {"02": T0}, {("02", "b1"): {"card_id": 1}}, T0 + DAY)
    assert due_keys(p) == [("02", "b1")]


# --- a simulated learner over several weeks ----------------------------------------------------------------------


def test_a_learner_over_five_weeks(tmp_path):
    clock = Clock()
    with ProgressStore(tmp_path / "progress.sqlite", clock=clock) as store:
        store.complete_lesson("01")  # Monday 2 March, 09:00
        assert plan(store, T0).due == ()

        # Tuesday: both questions of lesson 01 are due; a1 right, a2 wrong.
        now = T0 + DAY
        p = plan(store, now)
        assert due_keys(p) == [("01", "a1"), ("01", "a2")]
        assert answer(store, p.due[0], True, now).due == T0 + 3 * DAY
        assert answer(store, p.due[1], False, now).due == T0 + 2 * DAY  # wrong: back sooner than right
        assert plan(store, now).due == ()

        # Wednesday: lesson 02 is marked done; a2 (wrong yesterday) is due again and is right this time.
        clock.now = now = T0 + 2 * DAY
        store.complete_lesson("02")
        p = plan(store, now)
        assert due_keys(p) == [("01", "a2")]
        assert answer(store, p.due[0], True, now).due == T0 + 4 * DAY  # Again then Good: 2 days

        # Thursday: a1 (due today) and b1 (a day after lesson 02) are both due; a1 right, b1 wrong.
        now = T0 + 3 * DAY
        p = plan(store, now)
        assert due_keys(p) == [("01", "a1"), ("02", "b1")]
        assert answer(store, p.due[0], True, now).due == T0 + 14 * DAY  # Good, Good: 11 days
        assert answer(store, p.due[1], False, now).due == T0 + 4 * DAY

        # Friday: a2 and b1 are due, both right.
        now = T0 + 4 * DAY
        p = plan(store, now)
        assert due_keys(p) == [("01", "a2"), ("02", "b1")]
        assert answer(store, p.due[0], True, now).due == T0 + 10 * DAY  # Again, Good, Good: 6 days
        assert answer(store, p.due[1], True, now).due == T0 + 6 * DAY  # Again, Good: 2 days

        # A learner who stays away a week finds all three due, the most overdue first.
        now = T0 + 15 * DAY
        p = plan(store, now)
        assert due_keys(p) == [("02", "b1"), ("01", "a2"), ("01", "a1")]
        assert [q.reviews for q in p.due] == [2, 3, 2]  # how often each was reviewed
        # Right at day 15, b1 (due day 6, nine days late) gets a longer gap than it would have on time.
        late = answer(store, p.due[0], True, now)
        assert late.due == T0 + 15 * DAY + timedelta(days=late.days) and late.days > 6

        cards = store.review_cards()
        assert {k: rv.utc(c["due"]) for k, c in cards.items()} == {
            ("01", "a1"): T0 + 14 * DAY, ("01", "a2"): T0 + 10 * DAY, ("02", "b1"): late.due}
        log = store.review_answers()
        assert [(a.question, a.correct, a.rating) for a in log] == [
            ("a1", True, 3), ("a2", False, 1), ("a2", True, 3), ("a1", True, 3), ("b1", False, 1),
            ("a2", True, 3), ("b1", True, 3), ("b1", True, 3)]
        assert store.answers() == []  # the review never touches the self-check's own answers


# --- interleaving ----------------------------------------------------------------------------------------------


def item(lesson: str, question: str, days_overdue: int) -> rv.DueQuestion:
    return rv.DueQuestion(lesson, question, T0 - days_overdue * DAY, 1)


def test_lessons_take_turns_most_overdue_first():
    items = [item("01", "a", 9), item("01", "b", 8), item("01", "c", 7), item("02", "d", 6), item("03", "e", 5)]
    order = [q.question for q in rv.interleave(items)]
    assert order == ["a", "d", "b", "e", "c"]
    # After a question from lesson 01, the next comes from another lesson even if 01 has the most overdue.
    assert [q.question for q in rv.interleave(items, after_lesson="01")] == ["d", "a", "e", "b", "c"]
    # Only one lesson left: its questions follow each other (nothing else is due).
    assert [q.question for q in rv.interleave(items[:3], after_lesson="01")] == ["a", "b", "c"]


def test_schedule_interleaves_and_breaks_ties_by_teaching_order():
    done = {"01": T0, "02": T0, "03": T0}
    p = rv.schedule(QUESTIONS, done, {}, T0 + 2 * DAY)
    assert due_keys(p) == [("01", "a1"), ("02", "b1"), ("01", "a2"), ("03", "c1"), ("03", "c2"), ("03", "c3")]
    assert p.due_by_lesson() == {"01": 2, "02": 1, "03": 3}
    assert [q.lesson for q in rv.schedule(QUESTIONS, done, {}, T0 + 2 * DAY, after_lesson="01").due][:2] == \
        ["02", "01"]


# --- the store: round trip, migration, reset, export --------------------------------------------------------------


def test_store_round_trip_of_cards_and_answers(tmp_path):
    path = tmp_path / "progress.sqlite"
    with ProgressStore(path, clock=Clock()) as store:
        store.complete_lesson("01")
        r = rv.review("01", "a1", True, T0 + DAY, None, T0)
        store.record_review("01", "a1", 2, True, int(r.rating), r.card, T0 + DAY)
    with ProgressStore(path) as store:  # a new process
        assert store.review_cards() == {("01", "a1"): r.card}
        assert store.completed_at() == {"01": T0.isoformat()}
        [a] = store.review_answers()
        assert (a.lesson, a.question, a.choice, a.correct, a.rating, a.reviewed_at) == (
            "01", "a1", 2, True, 3, (T0 + DAY).isoformat())
        assert rv.read_card(store.review_cards()[("01", "a1")]).due == T0 + 3 * DAY
    with pytest.raises(ValueError, match="JSON data with a due date"):
        with ProgressStore(path) as store:
            store.record_review("01", "a1", 0, True, 3, {"no": "due"})


def test_a_failed_write_saves_neither_the_answer_nor_the_card(tmp_path):
    with ProgressStore(tmp_path / "progress.sqlite", clock=Clock()) as store:
        store._conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON review_cards BEGIN SELECT RAISE(ABORT, 'no'); END")
        r = rv.review("01", "a1", True, T0 + DAY, None, T0)
        with pytest.raises(progress.ProgressError):
            store.record_review("01", "a1", 0, True, 3, r.card, T0 + DAY)
        assert store.review_answers() == [] and store.review_cards() == {}


def test_an_old_progress_file_gains_the_review_tables_and_keeps_everything(tmp_path):
    path = tmp_path / "progress.sqlite"
    conn = sqlite3.connect(path)  # a file written before the review: schema version 1
    for statement in progress.SCHEMA_V1:
        conn.execute(statement)
    conn.execute("INSERT INTO answers VALUES ('01', 'a1', 1, 0, 2, 0, '2026-01-05T10:00:00+00:00')")
    conn.execute("INSERT INTO lessons VALUES ('01', '2026-01-05T10:05:00+00:00')")
    conn.execute("INSERT INTO cases (case_id, seed, path, outcome, finished, updated_at) "
                 "VALUES ('c', 1, '[]', NULL, 1, '2026-01-05T11:00:00+00:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with ProgressStore(path) as store:
        assert store.notice is None  # migrated, not moved aside
        assert [(a.lesson, a.question, a.choice, a.attempts) for a in store.answers()] == [("01", "a1", 1, 2)]
        assert store.completed_at() == {"01": "2026-01-05T10:05:00+00:00"}
        assert len(store.case_runs()) == 1
        assert store.review_cards() == {} and store.review_answers() == []
        # ... and the review can start from it at once: lesson 01 was done long ago.
        assert due_keys(plan(store, T0)) == [("01", "a1"), ("01", "a2")]
    assert not list(tmp_path.glob("*.corrupt-*"))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION == 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"answers", "lessons", "cases", "review_cards", "reviews"} <= tables
    conn.close()


def test_reset_clears_the_schedule_and_export_includes_it(tmp_path):
    path = tmp_path / "progress.sqlite"
    with ProgressStore(path, clock=Clock()) as store:
        store.complete_lesson("01")
        r = rv.review("01", "a1", False, T0 + DAY, None, T0)
        store.record_review("01", "a1", 1, False, int(r.rating), r.card, T0 + DAY)
        exported = store.export()
        assert exported["schema"] == 2
        assert exported["review_cards"] == [{"lesson": "01", "question": "a1", "card": r.card}]
        assert exported["reviews"][0] | {"review": 0} == {
            "review": 0, "lesson": "01", "question": "a1", "choice": 1, "correct": False, "rating": 1,
            "reviewed_at": (T0 + DAY).isoformat()}
        json.dumps(exported)  # plain JSON data
        backup = store.reset()
        assert store.review_cards() == {} and store.review_answers() == [] and store.completed_at() == {}
    with ProgressStore(backup) as kept:  # the backup still has the schedule
        assert kept.review_cards() == {("01", "a1"): r.card}


def test_a_learner_who_never_opens_the_review_loses_nothing_and_gains_no_rows(tmp_path):
    path = tmp_path / "progress.sqlite"
    with ProgressStore(path, clock=Clock()) as store:
        store.record_answer("01", "a1", 0, True)
        store.complete_lesson("01")
        before = (store.answers(), store.completed_lessons(), store.summary(QUESTIONS))
        exported = store.export()
    with ProgressStore(path) as store:
        assert (store.answers(), store.completed_lessons(), store.summary(QUESTIONS)) == before
        assert store.review_cards() == {} and store.review_answers() == []
    assert exported["review_cards"] == [] and exported["reviews"] == []
    assert {"format", "schema", "exported_at", "answers", "completed_lessons", "cases"} <= set(exported)


# --- the view, without a browser ---------------------------------------------------------------------------------


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.sqlite"
    monkeypatch.setenv(progress.ENV, str(path))
    monkeypatch.delenv(progress.CLASS_ENV, raising=False)
    progress.close_stores()
    yield path
    progress.close_stores()


def right_choice(content, lesson: str, question: str, correct: bool) -> int:
    q = next(q for q in content.questions[lesson] if q.id == question)
    return next(i for i, c in enumerate(q.choices) if c.correct is correct)


def test_view_opened_with_nothing_done_writes_nothing(content, progress_file):
    from widgets.views.review import ReviewSession

    with ProgressStore(progress_file) as store:
        store.record_answer("01", content.questions["01"][0].id, 0, True)
    view = ReviewSession(content, clock=Clock())
    assert "Nothing to review yet" in text(view._summary.value)
    assert view._card.layout.display == "none"
    with ProgressStore(progress_file) as store:
        assert store.review_cards() == {} and store.review_answers() == [] and len(store.answers()) == 1


def test_view_asks_a_due_question_saves_it_and_says_when_it_comes_back(content, progress_file):
    from widgets.views.review import ReviewSession

    with ProgressStore(progress_file, clock=Clock()) as store:
        store.complete_lesson("01")
        store.complete_lesson("03")
    clock = Clock(T0 + DAY)
    view = ReviewSession(content, clock=clock)
    n01, n03 = len(content.questions["01"]), len(content.questions["03"])
    summary = text(view._summary.value)
    assert f"{n01 + n03} questions due for review, from 2 lessons" in summary
    assert f"Lesson 01, {content.lessons['01'].title}: {n01} questions" in summary
    assert "Source: your progress file, scheduled by FSRS-6" in summary
    first = view._current
    assert first.key == ("01", content.questions["01"][0].id)
    view.check()  # nothing chosen
    assert "Choose an answer first" in text(view._feedback.value)
    view._choices.value = right_choice(content, "01", first.question, False)
    result = view.check()
    assert result.days == 1 and "Not quite." in text(view._feedback.value)
    assert "Next review of this question: tomorrow (Wednesday 4 March 2026)" in text(view._next_review.value)
    assert view._choices.disabled and view._check.disabled
    view.next()
    assert view._current.lesson == "03"  # the lessons take turns
    view._choices.value = right_choice(content, "03", view._current.question, True)
    result = view.check()
    assert result.days == 2 and "Correct." in text(view._feedback.value)
    assert "in 2 days (Thursday 5 March 2026)" in text(view._next_review.value)
    with ProgressStore(progress_file) as store:
        assert [(a.lesson, a.correct) for a in store.review_answers()] == [("01", False), ("03", True)]
        assert rv.utc(store.review_cards()[first.key]["due"]) == T0 + 2 * DAY
    # Everything answered: the view says when the next one is due.
    while view._current is not None:
        view._choices.index = 0
        view.check()
        view.next()
    assert "Done for now" in text(view._summary.value) and "is due tomorrow (Wednesday 4 March 2026)" in text(
        view._summary.value)


def test_view_says_so_when_saving_is_off(content, monkeypatch):
    from widgets.views.review import ReviewSession

    monkeypatch.setenv(progress.ENV, "off")
    progress.close_stores()
    try:
        view = ReviewSession(content, clock=Clock())
    finally:
        progress.close_stores()
    words = text(view._summary.value)
    assert "Review not available" in words and "saving is turned off" in words
    assert view._card.layout.display == "none"


def test_learner_function_and_export():
    import widgets
    from widgets.notebook import learner

    assert "review_session" in widgets.__all__ and widgets.review_session is learner.review_session


# --- the landing page's line --------------------------------------------------------------------------------------


def test_landing_line_counts_what_is_due(content, tmp_path):
    from widgets.publish.landing import review_line

    with ProgressStore(tmp_path / "progress.sqlite", clock=Clock()) as store:
        assert "starts once you mark a lesson as done" in text(review_line(store, content, T0))
        store.complete_lesson("01")
        assert "No questions due for review today" in text(review_line(store, content, T0))
        n = len(content.questions["01"])
        assert text(review_line(store, content, T0 + DAY)).endswith(
            f"{n} questions due for review (your progress file, scheduled by FSRS)")


def test_view_reads_the_schedule_again_when_a_page_shows_it(content, progress_file):
    """A waiting kernel ran the page earlier: when it is shown, what is due is read again (not mid-answer)."""
    from widgets.views.review import ReviewSession

    with ProgressStore(progress_file, clock=Clock()) as store:
        store.complete_lesson("01")
    clock = Clock(T0 + DAY - timedelta(hours=1))
    view = ReviewSession(content, clock=clock)
    assert "Nothing due" in text(view._summary.value) and view._current is None
    clock.now = T0 + DAY
    view.refresh_if_idle()
    assert view._current is not None and "due for review" in text(view._summary.value)
    shown = view._current
    view._choices.index = 0  # chosen, not checked: left alone
    clock.now = T0 + 9 * DAY
    view.refresh_if_idle()
    assert view._current == shown and view._choices.index == 0
