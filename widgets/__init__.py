"""The low back course: content loader, pure models, and the views lessons display.

Lesson cells import from here, e.g. `from widgets import anatomy_explorer`. The views are imported
lazily so that `lowback check` does not need a notebook stack.
"""

from __future__ import annotations

__all__ = [
    "advise_me",
    "anatomy_explorer",
    "case_player",
    "cohort_view",
    "course_map",
    "disclaimer",
    "evidence_grades",
    "figure_table",
    "glossary",
    "guideline_view",
    "ladder_explorer",
    "leg_map",
    "live_session",
    "pain_pattern_explorer",
    "post_test_probability",
    "progress_panel",
    "reference_list",
    "review_session",
    "root_localiser",
    "root_table",
    "scoring_tools",
    "self_check",
    "simulation_assumptions",
    "source_documents",
    "tpi_dose_check",
    "treatment_cards",
    "triage",
]


def __getattr__(name: str):
    if name in __all__:
        from widgets.notebook import learner as lesson

        return getattr(lesson, name)
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")
