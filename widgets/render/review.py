"""The spaced review -> escaped HTML: what is due and from which lessons, the question shown, when it comes back,
why nothing is shown, and the studies behind the idea. Pure: no ipywidgets; dates come in already chosen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from widgets.content.loader import Content
from widgets.models.review import SCHEDULER_NAME
from widgets.render.html import DESIGN_LABELS, escape, sources, status_word, verdict_html
from widgets.render.progress import lesson_name

# The studies the review page's "why" paragraph names (assets/references/learning.yaml).
REVIEW_REFERENCES = ("larsen2009", "kerfoot2007", "kerfoot_urology2007", "cepeda2006", "fsrs_benchmark")
SOURCE = "Source: your progress file, scheduled by " + SCHEDULER_NAME + "."


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def day_words(when: date) -> str:
    """'Tuesday 3 March 2026'."""
    return f"{when:%A} {when.day} {when:%B %Y}"


def in_days(days: int) -> str:
    return "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"


def due_summary_html(content: Content, due_by_lesson: Mapping[str, int]) -> str:
    """How many questions are due, and how many from each lesson (teaching order)."""
    total = sum(due_by_lesson.values())
    parts = "".join(f"<li>{escape(lesson_name(content, lesson))}: {_count(n, 'question')}</li>"
                    for lesson, n in due_by_lesson.items())
    return (f'<div class="lb-review-summary"><p>{status_word("info", _count(total, "question") + " due")} '
            f"for review, from {_count(len(due_by_lesson), 'lesson')}:</p><ul>{parts}</ul>"
            f"<p><small>{escape(SOURCE)}</small></p></div>")


def question_html(content: Content, lesson: str, question: str, reviews: int, remaining: int) -> str:
    """The prompt of the question shown, with the lesson it comes from and whether it was reviewed before."""
    q = next(x for x in content.questions[lesson] if x.id == question)
    seen = ("first review since you marked the lesson done" if reviews == 0
            else f"reviewed {_count(reviews, 'time')} before")
    return (f'<p class="lb-review-from"><small>From {escape(lesson_name(content, lesson))}; {escape(seen)}. '
            f"{escape(_count(remaining, 'question'))} due, this one included.</small></p>"
            f"<p><strong>{escape(q.prompt)}</strong></p>")


def rescheduled_html(days: int, when: date, correct: bool) -> str:
    """When the question just answered comes back, and why that soon."""
    why = ("A right answer spaces it further out." if correct
           else "A wrong answer brings it back sooner, so you meet it again before it fades.")
    return (f'<p class="lb-review-next" role="status"><strong>Next review of this question: {escape(in_days(days))} '
            f"({escape(day_words(when))}).</strong> {escape(why)} <small>(Scheduled by {escape(SCHEDULER_NAME)}; "
            "rated Good when right, Again when wrong.)</small></p>")


def nothing_due_html(content: Content, lesson: str, days: int, when: date, scheduled: int) -> str:
    """Nothing is due now: say when the next question is."""
    return verdict_html(
        "ok", "Nothing due",
        f"You are up to date with all {_count(scheduled, 'question')} of the lessons you have marked done. The next "
        f"one, from {lesson_name(content, lesson)}, is due {in_days(days)} ({day_words(when)}). {SOURCE}",
        css="lb-review-none")


def all_done_today_html(answered: int) -> str:
    return verdict_html("ok", "Done for now", f"You reviewed {_count(answered, 'question')} on this visit, and "
                        "nothing else is due.", css="lb-review-none")


def no_lessons_html() -> str:
    """No lesson is marked as done: the review has nothing to draw from yet."""
    return verdict_html(
        "info", "Nothing to review yet",
        "The review brings back the self-check questions of the lessons you have marked as done, starting the day "
        "after. No lesson is marked as done yet: the button under each lesson's self-check does that.",
        css="lb-review-empty")


def not_saving_html(message: str) -> str:
    """Saving is off or the progress file cannot be opened: the review needs it, so say why it is not here."""
    return verdict_html(
        "warn", "Review not available",
        "The spaced review keeps its schedule in your progress file, and it cannot use it here. " + message,
        css="lb-review-off")


def unreadable_html(message: str) -> str:
    return verdict_html("bad", "Could not read your progress", message, css="lb-review-off", alert=True)


def _design(content: Content, rid: str) -> str:
    ref = content.references[rid]
    return DESIGN_LABELS[ref.design] + (f", {ref.size}" if ref.size else "")


def references_html(content: Content) -> str:
    """The studies behind the review, from the references file."""
    items = "".join(f"<li>{escape(content.references[r].citation)} <em>[{escape(_design(content, r))}]</em></li>"
                    for r in REVIEW_REFERENCES if r in content.references)
    if not items:
        return ""
    return (f'<details class="lb-review-references"><summary>The studies behind spaced review '
            f"({sources(content.source_label(r) for r in REVIEW_REFERENCES if r in content.references)})"
            f"</summary><ol>{items}</ol></details>")
