"""The spaced review (lessons/review.ipynb): one due self-check question at a time, its feedback, and when it comes
back. The rules are in widgets/models/review.py; the schedule is saved in the progress store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import ipywidgets as w

from widgets.content.loader import Content
from widgets.models import review as rv
from widgets.models.selfcheck import SelfCheckModel
from widgets.render import review as rr
from widgets.render.lessons import feedback_html
from widgets.render.progress import questions_by_lesson, status_html
from widgets.stores import progress
from widgets.views.base import Described


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _local_date(when: datetime):
    """The day of WHEN on this computer's clock (the learner's, when they run the course themselves)."""
    return when.astimezone().date()


class ReviewSession(Described, w.VBox):
    """How many questions are due and from which lessons; the first due question with its choices; Check answer
    shows its feedback and when it comes back; Next shows the next due question (from another lesson when one is
    due). Saving off, no lesson done or nothing due each get a sentence instead of a question."""

    description_text = "Spaced review"

    def __init__(self, content: Content, clock: Callable[[], datetime] = _utc_now, **kwargs):
        from widgets.views.progress import PageShown  # imported here, as the self-check does

        self.content = content
        self.clock = clock
        self._known = questions_by_lesson(content)
        self._models: dict[str, SelfCheckModel] = {}
        self._current: rv.DueQuestion | None = None
        self._answered = False  # the current question was checked: Next moves on
        self._last_lesson: str | None = None
        self._done_here = 0
        self._summary = w.HTML()
        self._summary.add_class("lb-review-head")
        self._prompt = w.HTML()
        self._choices = w.RadioButtons(options=[], index=None, description="Your answer",
                                       style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self._check = w.Button(description="Check answer", tooltip="Check your answer and see when it comes back")
        self._feedback = w.HTML()
        self._feedback.add_class("lb-feedback-box")
        self._next_review = w.HTML()
        self._next = w.Button(description="Next due question", layout=w.Layout(width="auto"),
                              tooltip="Show the next question that is due for review")
        self._card = w.VBox([self._prompt, self._choices, self._check, self._feedback, self._next_review, self._next])
        self._card.add_class("lb-question")
        self._status = w.HTML()
        self._status.add_class("lb-progress-line")
        self._references = w.HTML(rr.references_html(content))
        self._check.on_click(lambda _b: self.check())
        self._next.on_click(lambda _b: self.next())
        self._page = PageShown()
        self._page.on_shown(self.refresh_if_idle)  # a waiting kernel ran this page earlier: use the time it opens
        super().__init__([self._summary, self._card, self._status, self._references, self._page], **kwargs)
        self.add_class("lb-review")
        self.refresh()

    # --- what is shown ----------------------------------------------------------------------------------------

    def _model(self, lesson: str) -> SelfCheckModel:
        if lesson not in self._models:
            self._models[lesson] = SelfCheckModel(self.content, lesson)
        return self._models[lesson]

    def _hide_card(self) -> None:
        self._card.layout.display = "none"
        self._current = None

    def _read(self) -> tuple[progress.ProgressStore, rv.Schedule] | None:
        """The store and the schedule now; or None, with the reason shown instead of a question."""
        store, message = progress.open_store()
        if store is None:
            self._summary.value = rr.not_saving_html(message)
            self._hide_card()
            return None
        try:
            plan = rv.schedule(self._known, store.completed_at(), store.review_cards(), self.clock(),
                               self._last_lesson, store.review_counts())
        except progress.ProgressError as e:
            self._summary.value = rr.unreadable_html(str(e))
            self._hide_card()
            return None
        if message:  # a broken file was moved aside when it was opened
            self._status.value = status_html(message, "notice")
        return store, plan

    def refresh_if_idle(self) -> None:
        """Read the schedule again, unless the learner has chosen an answer and not yet checked it."""
        if self._current is None or self._answered or self._choices.value is None:
            self.refresh()

    def refresh(self) -> None:
        """Show what is due now, and the first due question."""
        read = self._read()
        if read is None:
            return
        _store, plan = read
        self._answered = False
        if not plan.done_lessons:
            self._summary.value = rr.no_lessons_html()
            self._hide_card()
            return
        if not plan.due:
            if self._done_here:
                self._summary.value = rr.all_done_today_html(self._done_here) + self._upcoming_html(plan)
            else:
                self._summary.value = self._upcoming_html(plan)
            self._hide_card()
            return
        self._summary.value = rr.due_summary_html(self.content, plan.due_by_lesson())
        self._show(plan.due[0], len(plan.due))

    def _upcoming_html(self, plan: rv.Schedule) -> str:
        nxt = plan.upcoming
        if nxt is None:
            return ""
        now = rv.utc(self.clock())
        days = max(0, (_local_date(nxt.due) - _local_date(now)).days)
        return rr.nothing_due_html(self.content, nxt.lesson, days, _local_date(nxt.due), plan.scheduled)

    def _show(self, item: rv.DueQuestion, remaining: int) -> None:
        self._current = item
        model = self._model(item.lesson)
        q = next(x for x in model.questions if x.id == item.question)
        self._prompt.value = rr.question_html(self.content, item.lesson, item.question, item.reviews, remaining)
        self._choices.options = [(q.choices[i].text, i) for i in model.order(q.id)]
        self._choices.index = None
        self._choices.disabled = False
        self._check.disabled = False
        self._feedback.value = '<p class="lb-feedback-empty"><em>Choose an answer, then check it.</em></p>'
        self._next_review.value = ""
        self._next.layout.display = "none"
        self._card.layout.display = None

    # --- actions ----------------------------------------------------------------------------------------------

    def check(self) -> rv.Rescheduled | None:
        """Mark the chosen answer, show its feedback, reschedule the question and save both."""
        item = self._current
        if item is None or self._answered:
            return None
        if self._choices.value is None:
            self._feedback.value = '<p role="status"><em>Choose an answer first.</em></p>'
            return None
        choice = self._choices.value
        fb = self._model(item.lesson).answer(item.question, choice)
        store, _ = progress.open_store()
        try:
            stored = store.review_cards().get(item.key) if store is not None else None
            completed = store.completed_at().get(item.lesson) if store is not None else None
        except progress.ProgressError:
            stored = completed = None
        result = rv.review(item.lesson, item.question, fb.correct, self.clock(), stored, completed)
        ok, why = progress.save(lambda s: s.record_review(item.lesson, item.question, choice, fb.correct,
                                                          int(result.rating), result.card, result.reviewed_at))
        self._feedback.value = feedback_html(fb)
        self._answered = True
        self._choices.disabled = self._check.disabled = True
        self._last_lesson = item.lesson
        if ok:
            self._done_here += 1
            days = max(0, (_local_date(result.due) - _local_date(result.reviewed_at)).days)
            self._next_review.value = rr.rescheduled_html(days, _local_date(result.due), fb.correct)
            self._status.value = status_html("Saved: your answer and this question's next review.", "saved")
        else:
            self._next_review.value = ""
            self._status.value = status_html(why, "problem")
        self._next.layout.display = None
        return result

    def next(self) -> None:
        """Move on to the next due question (or say that nothing more is due)."""
        self.refresh()
