"""The self-check quiz at the end of each lesson, with its feedback and saved score."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.loader import Content
from widgets.models.selfcheck import SelfCheckModel
from widgets.render.html import escape
from widgets.render.lessons import feedback_html, score_html
from widgets.render.progress import status_html
from widgets.stores import progress
from widgets.views.base import Described


class SelfCheck(Described, w.VBox):
    """Every question of a lesson: pick an answer, press Check, read why. Each checked answer is saved to the
    learner's progress (widgets/stores/progress.py) and shown again, with its feedback, when the lesson is next
    opened."""

    description_text = "Self-check"

    def __init__(self, content: Content, lesson: str, **kwargs):
        from widgets.views.progress import PageShown  # imported here: progressviews imports this module

        self.model = SelfCheckModel(content, lesson)
        self._score = w.HTML(score_html(*self.model.score))
        self._score.add_class("lb-score")
        self._answers: dict[str, tuple[w.RadioButtons, w.HTML]] = {}  # question id -> its choices and feedback
        self._checked: dict[str, int] = {}  # question id -> the choice whose feedback is shown
        cards = [self._card(i, q) for i, q in enumerate(self.model.questions, start=1)]
        self._done = w.Button(description="Mark this lesson as done", layout=w.Layout(width="16em"),
                              tooltip="Save this lesson as done in your progress (lesson 00 lists what is done)")
        self._done.on_click(lambda _b: self.mark_done())
        self._saved = w.HTML()  # one status line: saved, or why not
        self._saved.add_class("lb-progress-line")
        self._page = PageShown()
        self._page.on_shown(self.restore)  # a page opened a lesson run in advance: show what was saved since
        super().__init__(cards + [self._score, self._done, self._saved, self._page], **kwargs)
        self.add_class("lb-selfcheck")
        self.restore()

    def _status(self, message: str, ok: bool) -> None:
        kind = "saved" if ok else "off" if progress.saving_off() else "problem"
        self._saved.value = status_html(message, kind)

    def _save(self, write, saved: str) -> bool:
        ok, why = progress.save(write)
        self._status(saved if ok else why, ok)
        return ok

    def _show_done(self, done: bool) -> None:
        self._done.description = "Lesson marked as done" if done else "Mark this lesson as done"
        self._done.disabled = done

    def mark_done(self) -> None:
        if self._save(lambda store: store.complete_lesson(self.model.lesson),
                      f"Saved: lesson {self.model.lesson} is marked as done (the progress panel in lesson 00 lists "
                      "what you have done)."):
            self._show_done(True)

    def restore(self) -> None:
        """Show the saved answers (latest choice, its feedback, the score) and whether the lesson is done. A question
        whose choice the learner has changed on this page without checking it is left as it is."""
        store, message = progress.open_store()
        if store is None:
            self._done.disabled = True
            self._status(message, False)
            return
        try:
            saved = {a.question: a.choice for a in store.answers() if a.lesson == self.model.lesson}
            done = self.model.lesson in store.completed_lessons()
        except progress.ProgressError as exc:
            self._status(str(exc), False)
            return
        choosing = {qid for qid, (choices, _fb) in self._answers.items()
                    if choices.value not in (None, self._checked.get(qid))}
        shown = self.model.restore(saved, skip=choosing)
        for qid, (choice, fb) in shown.items():
            choices, feedback = self._answers[qid]
            choices.value = self._checked[qid] = choice
            feedback.value = feedback_html(fb)
        restored = len(shown)
        self._score.value = score_html(*self.model.score)
        self._show_done(done)
        if message:
            self._saved.value = status_html(message, "notice")
        elif restored:
            self._status(f"Your saved answers are shown again ({restored} of {len(self.model.questions)}). "
                         "New answers are saved as you check them.", True)
        else:
            self._status("Your answers are saved as you check them.", True)

    def _card(self, number: int, q) -> w.VBox:
        prompt = w.HTML(f"<p><strong>Question {number}.</strong> {escape(q.prompt)}</p>")
        choices = w.RadioButtons(
            options=[(q.choices[i].text, i) for i in self.model.order(q.id)],
            index=None,
            description="Your answer",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        button = w.Button(description="Check answer", tooltip=f"Check your answer to question {number}")
        feedback = w.HTML('<p class="lb-feedback-empty"><em>Choose an answer, then check it.</em></p>')
        feedback.add_class("lb-feedback-box")

        def check(_button) -> None:
            if choices.value is None:
                feedback.value = '<p role="status"><em>Choose an answer first.</em></p>'
                return
            choice = choices.value
            fb = self.model.answer(q.id, choice)
            feedback.value = feedback_html(fb)
            self._score.value = score_html(*self.model.score)
            self._checked[q.id] = choice
            self._save(lambda store: store.record_answer(self.model.lesson, q.id, choice, fb.correct),
                       f"Saved: your answer to question {number}.")

        button.on_click(check)
        self._answers[q.id] = (choices, feedback)
        card = w.VBox([prompt, choices, button, feedback], layout=w.Layout(margin="0 0 12px 0"))
        card.add_class("lb-question")
        return card
