"""Spaced review: which self-check questions are due again, in what order, and when each one comes back.

The rules (docs/progress-and-privacy.md, "The spaced review", says the same in words):

- **Done** means *marked as done*: the learner pressed "Mark this lesson as done" under the lesson's self-check
  (the `lessons` table of the progress file). Answering every question is not enough; the button is the learner
  saying "I have finished this lesson", and it carries the time the schedule starts from.
- **Entering the schedule.** Every self-check question of a done lesson is in the review. Until it is first
  reviewed it has no stored card and is due one day after its lesson was marked done (`FIRST_GAP`): a gap of a day
  or more is what the spacing studies found helpful (clinical reference sheet §10, Adesope 2017, Cepeda 2006). A
  question added to a lesson later is due at once if that day has passed.
- **Rating.** One answer per showing: right → `Rating.Good`, wrong → `Rating.Again`. Hard and Easy are not used:
  the course cannot tell how hard a right answer felt, and asking would add a step to every question.
- **Scheduler.** FSRS-6 with its published default weights (`fsrs` 6.3.2), desired retention 0.9, no fuzzing (the
  same answers give the same dates, so tests and stored notebooks are deterministic), and no minute-long learning
  steps: the lesson's self-check was the learning, so a first right answer graduates at once (2 days) and a wrong
  one comes back the next day, instead of after 1 or 10 minutes.
- **Order.** Most overdue first, but never two questions from the same lesson in a row while another lesson has
  one due (the issue asks for lessons to be mixed; the evidence in §10 is mixed too: Monteiro 2017 found blocked
  practice beat interleaved at a delay, and the interleaving meta-analysis is marked unverified); ties go by
  teaching order, then the order the questions are asked in.

Pure: times come in as UTC-aware datetimes (the caller's clock), cards as `Card.to_dict()` data.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

DESIRED_RETENTION = 0.9
FIRST_GAP = timedelta(days=1)  # from "lesson marked done" to the first review of its questions
RATING = {True: Rating.Good, False: Rating.Again}  # right at the first try of a showing -> Good; wrong -> Again
SCHEDULER_NAME = "FSRS-6, with the fsrs package's default weights and a desired retention of 90%"

Key = tuple[str, str]  # (lesson id, question id)


def scheduler() -> Scheduler:
    """The course's FSRS scheduler (see the module's docstring for why these settings)."""
    return Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(), relearning_steps=(),
                     enable_fuzzing=False)


def utc(value: datetime | str) -> datetime:
    """A saved time (ISO text or datetime) as an aware UTC datetime; a time without a zone is taken as UTC."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def card_id(lesson: str, question: str) -> int:
    """A stable card id for a question (the fsrs default would be the creation time, which differs per run)."""
    return zlib.crc32(f"{lesson}:{question}".encode())


def new_card(lesson: str, question: str, completed_at: datetime | str) -> Card:
    """The card of a question never reviewed: due FIRST_GAP after its lesson was marked done."""
    return Card(card_id=card_id(lesson, question), due=utc(completed_at) + FIRST_GAP)


def read_card(data: Any) -> Card | None:
    """A stored card (`Card.to_dict()` data), or None when it cannot be read (the question is then new again)."""
    try:
        card = Card.from_dict(data)
        card.due = utc(card.due)
        if card.last_review is not None:
            card.last_review = utc(card.last_review)
        return card
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class DueQuestion:
    lesson: str
    question: str
    due: datetime  # UTC
    reviews: int  # 0: never reviewed (due since its lesson was done); else reviewed before

    @property
    def key(self) -> Key:
        return self.lesson, self.question


@dataclass(frozen=True)
class Schedule:
    """The review at one moment: what is due (in the order to ask it), what comes next, and what it is drawn from."""

    due: tuple[DueQuestion, ...]
    upcoming: DueQuestion | None  # the question due soonest after now, when nothing more is due
    done_lessons: tuple[str, ...]  # lessons marked done that have questions, in teaching order
    scheduled: int  # every question in the review, due or not

    def due_by_lesson(self) -> dict[str, int]:
        """How many are due from each lesson, lessons in teaching order."""
        counts: dict[str, int] = {}
        for lesson in self.done_lessons:
            n = sum(q.lesson == lesson for q in self.due)
            if n:
                counts[lesson] = n
        return counts


def interleave(items: Sequence[DueQuestion], after_lesson: str | None = None) -> list[DueQuestion]:
    """ITEMS (already in priority order) reordered so that no two from one lesson follow each other while another
    lesson still has one: each step takes the first remaining item from a lesson other than the one just asked
    (AFTER_LESSON before the first), or the first remaining item if only that lesson is left."""
    left = list(items)
    out: list[DueQuestion] = []
    last = after_lesson
    while left:
        pick = next((i for i, q in enumerate(left) if q.lesson != last), 0)
        chosen = left.pop(pick)
        out.append(chosen)
        last = chosen.lesson
    return out


def schedule(questions_by_lesson: Mapping[str, Sequence[str]], completed_at: Mapping[str, datetime | str],
             cards: Mapping[Key, Any], now: datetime, after_lesson: str | None = None,
             reviews: Mapping[Key, int] | None = None) -> Schedule:
    """The review at NOW. QUESTIONS_BY_LESSON: question ids per lesson, in teaching order (the content's); a lesson
    or question not in it is left out. COMPLETED_AT: lesson -> when it was marked done. CARDS: (lesson, question)
    -> stored `Card.to_dict()` data. AFTER_LESSON: the lesson of the question just answered, so the next differs.
    REVIEWS: how many times each question was reviewed (0 when absent)."""
    now = utc(now)
    order = {lesson: i for i, lesson in enumerate(questions_by_lesson)}
    done = tuple(lesson for lesson in questions_by_lesson if lesson in completed_at and questions_by_lesson[lesson])
    everything: list[tuple[datetime, int, int, DueQuestion]] = []
    for lesson in done:
        for position, question in enumerate(questions_by_lesson[lesson]):
            card = read_card(cards[(lesson, question)]) if (lesson, question) in cards else None
            if card is None:
                card = new_card(lesson, question, completed_at[lesson])
            count = (reviews or {}).get((lesson, question), 0)
            item = DueQuestion(lesson, question, card.due, count)
            everything.append((card.due, order[lesson], position, item))
    everything.sort(key=lambda row: row[:3])
    due = [row[3] for row in everything if row[0] <= now]
    later = [row[3] for row in everything if row[0] > now]
    return Schedule(tuple(interleave(due, after_lesson)), later[0] if later else None, done, len(everything))


@dataclass(frozen=True)
class Rescheduled:
    """What one review answer did to a question's schedule."""

    lesson: str
    question: str
    correct: bool
    rating: Rating
    reviewed_at: datetime
    due: datetime  # the next review
    card: dict[str, Any]  # the new card, as `Card.to_dict()` data, to store

    @property
    def days(self) -> int:
        """Whole days from this review to the next."""
        return (self.due - self.reviewed_at).days


def review(lesson: str, question: str, correct: bool, now: datetime, stored: Any = None,
           completed_at: datetime | str | None = None) -> Rescheduled:
    """Schedule a question again after one answer at NOW. STORED: its card data, if it has one; else a new card is
    made from COMPLETED_AT (when its lesson was marked done; NOW if not given)."""
    now = utc(now)
    card = read_card(stored) if stored is not None else None
    if card is None:
        card = new_card(lesson, question, completed_at if completed_at is not None else now - FIRST_GAP)
    rating = RATING[bool(correct)]
    card, _log = scheduler().review_card(card, rating, now)
    return Rescheduled(lesson, question, bool(correct), rating, now, card.due, card.to_dict())
