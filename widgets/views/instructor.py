"""The instructor's views: pick a lesson, read its notes, timing plan, discussion questions and
self-check key. Thin ipywidgets over widgets/content/notes.py; notebooks get them from instructor_lesson."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.loader import Content
from widgets.content.notes import Notes
from widgets.models.answer_keys import self_check_key
from widgets.render import instructor as ri
from widgets.views.base import Described


class InstructorGuide(Described, w.VBox):
    """A lesson picker above that lesson's notes and, below them, its self-check key."""

    description_text = "Instructor guide"

    def __init__(self, content: Content, notes: Notes, lesson: str = "00", **kwargs):
        if lesson not in notes.lessons:
            raise ValueError(f"there are no instructor notes for lesson {lesson!r}")
        self.content = content
        self.notes = notes
        self._lesson = w.Dropdown(
            options=[(f"{les} {content.lessons[les].title}", les) for les in notes.lessons],
            value=lesson,
            description="Lesson",
            style={"description_width": "initial"},
            layout=w.Layout(width="max-content"),
        )
        self._notes = w.HTML()
        self._notes.add_class("lb-instructor-panel")
        self._key = w.HTML()
        self._key.add_class("lb-instructor-key")
        self._show(lesson)
        self._lesson.observe(lambda change: self._show(change["new"]), names="value")
        super().__init__([self._lesson, self._notes, self._key], **kwargs)
        self.add_class("lb-instructor-guide")

    def _show(self, lesson: str) -> None:
        self._notes.value = ri.lesson_notes_html(self.content, self.notes.lessons[lesson])
        if lesson in self.content.questions:
            self._key.value = ri.self_check_key_html(self.content, lesson, self_check_key(self.content, lesson))
        else:
            self._key.value = "<p><em>This lesson has no self-check.</em></p>"
