"""Progress -> escaped HTML: the status line under a self-check and the progress panel (what is done, scores,
finished cases, what to review next, where the file is). Pure: no ipywidgets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from widgets.content.loader import Content
from widgets.render.html import escape, html_table
from widgets.stores.progress import Answer, CaseRun, ProgressStore, Review, Summary, moved_aside, review_next, summarize

STATUS_KINDS = ("saved", "info", "off", "problem", "notice")
OUTCOMES = {
    "finished": "Followed up to the end",
    "referred": "Referred at once to the emergency or urgent team",
    "missed_red_flag": "A red flag was missed",
    "ongoing": "Not finished",
}
PROMPT_CHARS = 70


def status_html(message: str, kind: str = "info") -> str:
    """One status line (read out by screen readers when it changes). KIND only styles it: the words say it all."""
    if kind not in STATUS_KINDS:
        raise ValueError(f"unknown status kind {kind!r}")
    border = "var(--jp-warn-color1,#c77700)" if kind in ("off", "problem", "notice") else "transparent"
    return (f'<p class="lb-progress-status lb-progress-{kind}" role="status" '
            f'style="border-left:4px solid {border};padding-left:6px;margin:4px 0">{escape(message)}</p>')


def lessons_in_order(content: Content) -> list[str]:
    """Lesson ids in teaching order (the order of assets/lessons.yaml)."""
    return list(content.lessons)


def questions_by_lesson(content: Content) -> dict[str, list[str]]:
    """Each lesson's self-check question ids, lessons in teaching order, questions in the order they are asked."""
    return {lid: [q.id for q in content.questions.get(lid, [])] for lid in content.lessons}


def lesson_name(content: Content, lesson: str) -> str:
    les = content.lessons.get(lesson)
    return f"Lesson {lesson}, {les.title}" if les else f"Lesson {lesson} (no longer in the course)"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def questions_in_words(content: Content, lesson: str, question_ids: Iterable[str], quote: bool = True) -> str:
    """'question 2 ("Numbness over the dorsum...")' or 'questions 1 and 3 ("..."; "...")', numbered as asked;
    without QUOTE only the numbers."""
    asked = content.questions.get(lesson, [])
    position = {q.id: i for i, q in enumerate(asked, start=1)}
    prompt = {q.id: q.prompt for q in asked}
    ids = [q for q in question_ids if q in position]
    if not ids:
        return "its questions"
    words = f"{'question' if len(ids) == 1 else 'questions'} {_and([str(position[q]) for q in ids])}"
    if not quote:
        return words
    return words + " (" + "; ".join(f"\u201c{_shorten(prompt[q])}\u201d" for q in ids) + ")"


def _shorten(text: str, limit: int = PROMPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def review_line(content: Content, review: Review) -> str:
    """One suggestion from `review_next`, in words (plain text; escape it to show it)."""
    name = lesson_name(content, review.lesson)
    if review.kind == "wrong":
        return (f"{name}: your latest answer to {questions_in_words(content, review.lesson, review.questions)} "
                "is not right. Read its feedback again and try the other answers.")
    if review.kind == "unanswered":
        n = len(review.questions)
        return (f"{name}: {questions_in_words(content, review.lesson, review.questions, quote=False)} "
                f"{'is' if n == 1 else 'are'} not answered yet.")
    return f"Next lesson to work through: {name}."


def outcome_words(outcome: Any) -> str:
    """A saved case outcome ({"outcome": ..., "scores": {name: verdict}}) in words."""
    if not isinstance(outcome, Mapping):
        return "No outcome saved"
    text = OUTCOMES.get(str(outcome.get("outcome", "")), str(outcome.get("outcome", "")).replace("_", " ") or
                        "Outcome not saved")
    scores = outcome.get("scores")
    if isinstance(scores, Mapping) and scores:
        text += ". Your path scored: " + ", ".join(f"{name} {verdict}" for name, verdict in scores.items())
    return text + "."


def _done_html(content: Content, completed: Sequence[str]) -> str:
    order = lessons_in_order(content)
    done = [lid for lid in order if lid in completed] + [lid for lid in completed if lid not in order]
    if not done:
        return ("<p>No lesson is marked as done yet. The button under each lesson's self-check marks it "
                "done.</p>")
    items = "".join(f"<li>{escape(lesson_name(content, lid))}</li>" for lid in done)
    return f"<p>You have marked {len(done)} of {_count(len(order), 'lesson')} as done:</p><ul>{items}</ul>"


def _scores_html(content: Content, summary: Summary, answers: Sequence[Answer]) -> str:
    known = questions_by_lesson(content)
    rows = []
    for score in summary.lessons:
        if score.lesson not in known or not known[score.lesson]:
            continue  # a lesson without questions, or one no longer in the course
        total = _count(score.total or 0, "question")
        if score.answered:
            first = sum(a.first_correct for a in answers if a.lesson == score.lesson and a.question in
                        known[score.lesson])
            result = f"{score.correct} correct of {score.answered} answered, out of {total}"
            first_try = f"{first} of {score.answered}"
        else:
            result, first_try = f"Not started ({total})", "No answers yet"
        rows.append([escape(lesson_name(content, score.lesson)), "Yes" if score.completed else "Not yet",
                     escape(result), escape(first_try)])
    return html_table("Your latest answers to each lesson's self-check",
                  ["Lesson", "Marked as done", "Score", "Right the first time"], rows)


def _cases_html(runs: Sequence[CaseRun], case_titles: Mapping[str, str]) -> str:
    if not runs:
        return ("<p>No case finished yet. The case simulator in lesson 08 saves each case you follow to its "
                "debrief.</p>")
    rows = [[escape(case_titles.get(r.case, r.case)), f"Patient {r.seed}", escape(outcome_words(r.outcome)),
             escape(r.updated_at[:10])] for r in runs]
    return html_table("The cases you have finished, oldest first", ["Case", "Patient", "Outcome", "Finished on"], rows)


def _review_html(content: Content, reviews: Sequence[Review]) -> str:
    if not reviews:
        return "<p>Nothing to review: every lesson is marked as done and every latest answer is right.</p>"
    items = "".join(f"<li>{escape(review_line(content, r))}</li>" for r in reviews)
    return f"<ol>{items}</ol>"


def where_html(path: Path, notices: Sequence[str] = ()) -> str:
    """Where the progress file is, that nothing leaves it, and any notice about a file moved aside."""
    extra = "".join(f"<p><strong>Note:</strong> {escape(n)}</p>" for n in notices)
    return (f"<p>Your progress is kept in one file, on the computer that runs the course: <code>{escape(str(path))}"
            "</code>. Nothing is sent anywhere. To keep it in another file, set the environment variable "
            "<code>LOWBACK_PROGRESS</code> to that file's path before starting the course.</p>" + extra)


def panel_html(content: Content, summary: Summary, answers: Sequence[Answer], reviews: Sequence[Review],
               case_titles: Mapping[str, str], path: Path, notices: Sequence[str] = ()) -> str:
    """The whole progress report: done, scores, finished cases, what to review next, where it is kept."""
    return (
        f'<div class="lb-progress-report"><h3>Lessons done</h3>{_done_html(content, summary.completed)}'
        f"<h3>Self-check scores</h3>{_scores_html(content, summary, answers)}"
        f"<h3>Cases finished</h3>{_cases_html(summary.cases, case_titles)}"
        f"<h3>What to review next</h3>{_review_html(content, reviews)}"
        f"<h3>Where your progress is kept</h3>{where_html(path, notices)}</div>"
    )


def store_panel_html(content: Content, store: ProgressStore, case_titles: Mapping[str, str],
                     notice: str = "") -> str:
    """The progress report of STORE. Raises ProgressError if the file cannot be read."""
    answers, completed, runs = store.answers(), store.completed_lessons(), store.case_runs()
    known = questions_by_lesson(content)
    summary = summarize(answers, completed, runs, known)
    reviews = review_next(answers, completed, known, lessons_in_order(content))
    notices = [notice] if notice else []
    aside = moved_aside(store.path)
    if aside and not notice:
        notices.append("Earlier progress files that could not be read were kept as "
                       + _and([str(p) for p in aside]) + ".")
    return panel_html(content, summary, answers, reviews, case_titles, store.path, notices)


def unavailable_html(message: str) -> str:
    """The panel's body when nothing is saved: why, and nothing else."""
    return f'<div class="lb-progress-report"><h3>Your progress</h3><p>{escape(message)}</p></div>'
