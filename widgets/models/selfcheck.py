"""Self-check model: questions from assets/questions, an answer in, feedback that explains why out."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from widgets.content.loader import Content


@dataclass(frozen=True)
class Feedback:
    correct: bool
    chosen: str
    explanation: str  # the feedback written for the chosen answer
    sources: tuple[str, ...]


class SelfCheckModel:
    """The questions of one lesson and the learner's latest answer to each."""

    def __init__(self, content: Content, lesson: str):
        if lesson not in content.questions:
            raise ValueError(f"no self-check questions for lesson {lesson!r}")
        self.content = content
        self.lesson = lesson
        self.questions = content.questions[lesson]
        self._by_id = {q.id: q for q in self.questions}
        self.answers: dict[str, bool] = {}

    def order(self, question_id: str) -> list[int]:
        """The order to show a question's choices in: shuffled, so the right answer is not always in
        the same place, but seeded by lesson and question so every learner and every run sees the same."""
        q = self._by_id[question_id]
        order = list(range(len(q.choices)))
        random.Random(f"{self.lesson}:{question_id}").shuffle(order)
        return order

    def answer(self, question_id: str, choice: int) -> Feedback:
        """Record an answer (choice index) and return the feedback for it."""
        q = self._by_id.get(question_id)
        if q is None:
            raise ValueError(f"there is no question {question_id!r} in lesson {self.lesson}")
        if not isinstance(choice, int) or isinstance(choice, bool) or not 0 <= choice < len(q.choices):
            raise ValueError(f"choose one of the {len(q.choices)} answers")
        c = q.choices[choice]
        self.answers[question_id] = c.correct
        return Feedback(c.correct, c.text, c.feedback, tuple(self.content.source_label(s) for s in q.sources))

    @property
    def score(self) -> tuple[int, int, int]:
        """(correct, answered, total)."""
        return sum(self.answers.values()), len(self.answers), len(self.questions)

    def restore(self, saved: Mapping[str, int], skip: Collection[str] = ()) -> dict[str, tuple[int, Feedback]]:
        """Record the learner's saved answers again (question id -> choice) and return those to show, with their
        feedback. Left out: a question no longer in the lesson, one in SKIP (the learner is choosing again on the
        page and has not checked it yet), and a choice the question no longer has (its choices were edited)."""
        shown: dict[str, tuple[int, Feedback]] = {}
        for qid, choice in saved.items():
            if qid not in self._by_id or qid in skip:
                continue
            try:
                shown[qid] = (choice, self.answer(qid, choice))
            except ValueError:
                continue
        return shown
