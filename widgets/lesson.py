"""What lesson cells call: each function returns something that displays itself, or, when the
content does not load, a short readable message in its place (never a traceback)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from IPython.display import HTML

from . import render
from .content import ContentError, load_content


def _friendly(what: str, check: str = "widgets.content") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a cell function so a content problem shows as a message naming the file and field, and the
    command (`python -m CHECK check`) that lists every problem; the instructor's notebooks use it too."""

    def wrap(build: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(build)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return build(*args, **kwargs)
            except ContentError as exc:
                return _panel(render.problem_html(exc.problems, what, check=check))
            except KeyError as exc:
                return _panel(render.problem_html([], what, f" It asked for {exc}, which the content does not have.",
                                                  headline="could not be shown", check=check))
            except ValueError as exc:  # a lesson asked for something that does not exist
                return _panel(render.problem_html([], what, f" {exc}.", headline="could not be shown", check=check))

        return inner

    return wrap


def _panel(html: str) -> Any:
    import ipywidgets as w

    panel = w.HTML(html)
    panel.add_class("lb-problem-panel")
    return panel


@_friendly("disclaimer")
def disclaimer() -> HTML:
    return HTML(render.disclaimer_html())


@_friendly("course map")
def course_map() -> HTML:
    return HTML(render.course_map_html(load_content()))


@_friendly("table of source documents")
def source_documents() -> HTML:
    return HTML(render.source_documents_html(load_content()))


@_friendly("table of evidence grades")
def evidence_grades() -> HTML:
    return HTML(render.evidence_grades_html())


@_friendly("figure table")
def figure_table(*figure_ids: str) -> HTML:
    return HTML(render.figure_table_html(load_content(), figure_ids))


@_friendly("reference list")
def reference_list(lesson: str) -> HTML:
    return HTML(render.reference_list_html(load_content(), lesson))


@_friendly("glossary")
def glossary(*term_ids: str) -> HTML:
    return HTML(render.glossary_html(load_content(), term_ids))


@_friendly("table of nerve roots")
def root_table() -> HTML:
    return HTML(render.root_table_html(load_content()))


_VIEW_MODULES = ("views", "progressviews", "simviews")  # simviews (NumPy, the simulator) only when needed


def _view(name: str, *args: Any, **kwargs: Any):
    """Build one of the interactive views on the loaded content. The view modules are imported when a
    view is first asked for, and only as far as needed: a lesson without the simulator never imports
    NumPy (about 0.1 s of every page rendered without a preheated kernel)."""
    from .guard import guard

    for module in _VIEW_MODULES:
        view = getattr(importlib.import_module(f"{__package__}.{module}"), name, None)
        if view is not None:
            return guard(view(load_content(), *args, **kwargs))  # bad widget messages get a message, not a crash
    raise AttributeError(f"no view named {name!r} in widgets.{', widgets.'.join(_VIEW_MODULES)}")


@_friendly("anatomy explorer")
def anatomy_explorer():
    return _view("AnatomyExplorer")


@_friendly("pain-pattern explorer")
def pain_pattern_explorer():
    return _view("PainPatternExplorer")


@_friendly("self-check")
def self_check(lesson: str):
    return _view("SelfCheck", lesson)


@_friendly("treatment cards")
def treatment_cards(*treatment_ids: str) -> HTML:
    content = load_content()
    return HTML("".join(render.treatment_card_html(content, content.treatments[t]) for t in treatment_ids))


@_friendly("guideline view")
def guideline_view(*treatment_ids: str) -> HTML:
    content = load_content()
    for t in treatment_ids:
        content.treatments[t]  # noqa: B018 - an unknown id becomes the friendly message
    return HTML(render.guideline_table_html(content, treatment_ids))


@_friendly("ladder explorer")
def ladder_explorer(rung: str | None = None, treatment: str | None = None):
    return _view("LadderExplorer", rung=rung, treatment=treatment)


@_friendly("triage widget")
def triage():
    return _view("TriageWidget")


@_friendly("advise-me widget")
def advise_me():
    return _view("AdviseMe")


@_friendly("dosing check")
def tpi_dose_check():
    return _view("DoseCheck")


@_friendly("case simulator")
def case_player(case: str | None = None):
    return _view("CasePlayer", case=case)


@_friendly("cohort view")
def cohort_view(case: str = "twist_at_the_warehouse_shelf", a: str = "ladder", b: str = "early_fusion"):
    return _view("CohortView", case=case, a=a, b=b)


@_friendly("progress panel")
def progress_panel():
    """What the learner has done, scores, finished cases and what to review next, from the progress file."""
    return _view("ProgressPanel")


@_friendly("table of the simulator's assumptions")
def simulation_assumptions() -> HTML:
    from . import render_sim
    from .simulator import Model

    return HTML(render_sim.assumptions_html(Model.from_content(load_content())))


@_friendly("live session")
def live_session():
    from . import liveviews
    from .guard import guard

    return guard(liveviews.LiveJoin())  # like _view, for a view that needs no content
