"""What lesson cells call: each function returns something that displays itself, or, when the
content does not load, a short readable message in its place (never a traceback)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from IPython.display import HTML

from widgets.content.loader import ContentError, load_content
from widgets.render.ladder import guideline_table_html, treatment_card_html
from widgets.render.lessons import (
    course_map_html,
    disclaimer_html,
    evidence_grades_html,
    figure_table_html,
    glossary_html,
    problem_html,
    reference_list_html,
    root_table_html,
    source_documents_html,
)


def friendly(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a cell function so a content problem shows as a message naming the file and field, and the
    command (`lowback check`) that lists every problem; the instructor's notebooks use it too."""

    def wrap(build: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(build)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return build(*args, **kwargs)
            except ContentError as exc:
                return _panel(problem_html(exc.problems, what))
            except KeyError as exc:
                return _panel(problem_html([], what, f" It asked for {exc}, which the content does not have.",
                                                  headline="could not be shown"))
            except ValueError as exc:  # a lesson asked for something that does not exist
                return _panel(problem_html([], what, f" {exc}.", headline="could not be shown"))

        return inner

    return wrap


def _panel(html: str) -> Any:
    import ipywidgets as w

    panel = w.HTML(html)
    panel.add_class("lb-problem-panel")
    return panel


@friendly("disclaimer")
def disclaimer() -> HTML:
    return HTML(disclaimer_html())


@friendly("course map")
def course_map() -> HTML:
    return HTML(course_map_html(load_content()))


@friendly("table of source documents")
def source_documents() -> HTML:
    return HTML(source_documents_html(load_content()))


@friendly("table of evidence grades")
def evidence_grades() -> HTML:
    return HTML(evidence_grades_html())


@friendly("figure table")
def figure_table(*figure_ids: str) -> HTML:
    return HTML(figure_table_html(load_content(), figure_ids))


@friendly("reference list")
def reference_list(lesson: str) -> HTML:
    return HTML(reference_list_html(load_content(), lesson))


@friendly("glossary")
def glossary(*term_ids: str) -> HTML:
    return HTML(glossary_html(load_content(), term_ids))


@friendly("table of nerve roots")
def root_table() -> HTML:
    return HTML(root_table_html(load_content()))


# Where each view lives. A view's module is imported when the view is first asked for, and only that one:
# a lesson without the simulator never imports NumPy (about 0.1 s of every page rendered without a preheated kernel).
VIEWS = {
    "AnatomyExplorer": "widgets.views.anatomy",
    "PainPatternExplorer": "widgets.views.anatomy",
    "SelfCheck": "widgets.views.selfcheck",
    "LadderExplorer": "widgets.views.ladder",
    "TriageWidget": "widgets.views.ladder",
    "AdviseMe": "widgets.views.ladder",
    "DoseCheck": "widgets.views.dosing",
    "CasePlayer": "widgets.views.simulation",
    "CohortView": "widgets.views.simulation",
    "ProgressPanel": "widgets.views.progress",
    "ReviewSession": "widgets.views.review",
    "RootLocaliserView": "widgets.views.roots",
    "LegMapPanel": "widgets.views.roots",
    "ScoringTools": "widgets.views.scoring",
    "PostTestView": "widgets.views.likelihood",
}


def _view(name: str, *args: Any, **kwargs: Any):
    """Build one of the interactive views on the loaded content, guarded so that a bad message from the
    page gets a message, not a crash."""
    from widgets.views.guard import guard

    view = getattr(importlib.import_module(VIEWS[name]), name)
    return guard(view(load_content(), *args, **kwargs))


@friendly("pre-test to post-test widget")
def post_test_probability():
    from widgets.content.examination import load_exam_tests

    return _view("PostTestView", load_exam_tests(load_content()))


@friendly("root localiser")
def root_localiser():
    """Localise the root: tick examination findings, name the root and the disc, check against the root table."""
    return _view("RootLocaliserView")


@friendly("leg map")
def leg_map():
    """The L4, L5 and S1 dermatomes on a drawing of the leg, with each root's muscles and reflex."""
    return _view("LegMapPanel")


@friendly("anatomy explorer")
def anatomy_explorer():
    return _view("AnatomyExplorer")


@friendly("pain-pattern explorer")
def pain_pattern_explorer():
    return _view("PainPatternExplorer")


@friendly("self-check")
def self_check(lesson: str):
    return _view("SelfCheck", lesson)


@friendly("treatment cards")
def treatment_cards(*treatment_ids: str) -> HTML:
    content = load_content()
    return HTML("".join(treatment_card_html(content, content.treatments[t]) for t in treatment_ids))


@friendly("guideline view")
def guideline_view(*treatment_ids: str) -> HTML:
    content = load_content()
    for t in treatment_ids:
        content.treatments[t]  # noqa: B018 - an unknown id becomes the friendly message
    return HTML(guideline_table_html(content, treatment_ids))


@friendly("ladder explorer")
def ladder_explorer(rung: str | None = None, treatment: str | None = None):
    return _view("LadderExplorer", rung=rung, treatment=treatment)


@friendly("triage widget")
def triage():
    return _view("TriageWidget")


@friendly("advise-me widget")
def advise_me():
    return _view("AdviseMe")


@friendly("dosing check")
def tpi_dose_check():
    return _view("DoseCheck")


@friendly("case simulator")
def case_player(case: str | None = None):
    return _view("CasePlayer", case=case)


@friendly("cohort view")
def cohort_view(case: str = "twist_at_the_warehouse_shelf", a: str = "ladder", b: str = "early_fusion"):
    return _view("CohortView", case=case, a=a, b=b)


@friendly("progress panel")
def progress_panel():
    """What the learner has done, scores, finished cases and what to review next, from the progress file."""
    return _view("ProgressPanel")


@friendly("spaced review")
def review_session():
    """The spaced review: the self-check questions of the lessons marked done, brought back when FSRS says they
    are due (lessons/review.ipynb)."""
    return _view("ReviewSession")


@friendly("scoring tools")
def scoring_tools(case: str | None = None):
    """STarT Back and the Oswestry Disability Index, filled from a case patient's answers (CASE, or chosen on
    screen) or from the learner's own entries."""
    return _view("ScoringTools", case=case)


@friendly("table of the simulator's assumptions")
def simulation_assumptions() -> HTML:
    from widgets.models.simulator import Model
    from widgets.render import simulation as render_sim

    return HTML(render_sim.assumptions_html(Model.from_content(load_content())))


@friendly("live session")
def live_session():
    from widgets.views import live as liveviews
    from widgets.views.guard import guard

    return guard(liveviews.LiveJoin())  # like _view, for a view that needs no content
