"""What the instructor notebooks (instructor/*.ipynb) call: each function returns something that
displays itself or, when the notes or the content do not load, a short readable message naming the
file and field (never a traceback). The lessons' own wrappers are in widgets/lesson.py."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from IPython.display import HTML

from . import render_instructor as ri
from .content import ContentError, load_content
from .instructor import case_key as build_case_key
from .instructor import load_notes, self_check_key


def _friendly(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(build: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(build)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return build(*args, **kwargs)
            except ContentError as exc:
                return _panel(ri.problem_html(exc.problems, what))
            except KeyError as exc:  # asked for a lesson or case the content does not have
                return _panel(ri.problem_html([], what, f"it asked for {exc}, which the content does not have"))
            except ValueError as exc:
                return _panel(ri.problem_html([], what, str(exc)))

        return inner

    return wrap


def _panel(html: str) -> Any:
    import ipywidgets as w

    panel = w.HTML(html)
    panel.add_class("lb-problem-panel")
    return panel


@_friendly("instructor guide")
def instructor_guide(lesson: str = "00"):
    """The lesson picker with notes, timing plan, discussion questions and self-check key."""
    from .guard import guard
    from .instructorviews import InstructorGuide

    return guard(InstructorGuide(load_content(), load_notes(), lesson))


@_friendly("case key")
def case_key() -> HTML:
    """Every virtual patient with its hidden answer, built from the case files."""
    content = load_content()
    return HTML(ri.case_key_html(build_case_key(content, load_notes(content=content))))


@_friendly("self-check key")
def self_check_keys(*lessons: str) -> HTML:
    """The self-check key of the LESSONS given (default: every lesson), built from assets/questions."""
    content = load_content()
    chosen = lessons or tuple(sorted(content.questions))
    return HTML("".join(ri.self_check_key_html(content, les, self_check_key(content, les), heading="h3")
                        for les in chosen))
