"""What the instructor notebooks (instructor/*.ipynb) call: each function returns something that
displays itself or, when the notes or the content do not load, a short readable message naming the
file and field (never a traceback), through the same wrapper as the lessons (widgets/notebook/learner.py)."""

from __future__ import annotations

from IPython.display import HTML

from widgets.content.loader import load_content
from widgets.content.notes import load_notes
from widgets.models.answer_keys import case_key as build_case_key
from widgets.models.answer_keys import self_check_key
from widgets.notebook.learner import friendly
from widgets.render import instructor as ri


@friendly("instructor guide")
def instructor_guide(lesson: str = "00"):
    """The lesson picker with notes, timing plan, discussion questions and self-check key."""
    from widgets.views.guard import guard
    from widgets.views.instructor import InstructorGuide

    return guard(InstructorGuide(load_content(), load_notes(), lesson))


@friendly("case key")
def case_key() -> HTML:
    """Every virtual patient with its hidden answer, built from the case files."""
    content = load_content()
    return HTML(ri.case_key_html(build_case_key(content, load_notes(content=content))))


@friendly("self-check key")
def self_check_keys(*lessons: str) -> HTML:
    """The self-check key of the LESSONS given (default: every lesson), built from assets/questions."""
    content = load_content()
    chosen = lessons or tuple(sorted(content.questions))
    return HTML("".join(ri.self_check_key_html(content, les, self_check_key(content, les), heading="h3")
                        for les in chosen))


@friendly("case presenter")
def case_presenter(case: str | None = None):
    """The case presenter and live-session console (instructor/02_case_presenter.ipynb)."""
    from widgets.views.guard import guard
    from widgets.views.live import CasePresenter

    return guard(CasePresenter(load_content(), case=case))
