"""The scoring tools as a learner uses them: choose a case patient, change answers, enter an earlier index."""

from __future__ import annotations

import html
import re

import pytest

from widgets.content.cases import load_cases
from widgets.content.loader import load_content
from widgets.notebook import learner as lesson
from widgets.views.guard import guard
from widgets.views.scoring import NO_LEVEL, NOT_ANSWERED, ScoringTools


@pytest.fixture(scope="module")
def content():
    return load_content()


def text(view: ScoringTools) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", view._result.value)))


def test_own_entries_start_blank_and_name_what_is_missing(content):
    view = ScoringTools(content)
    assert view._who.value == "" and view._who.label == "Your own entries"
    assert all(c.value == NOT_ANSWERED for c in view._items.values())
    assert all(c.value == NO_LEVEL for c in view._sections.values())
    shown = text(view)
    assert "Incomplete" in shown and "item 9, how bothersome" in shown and "No index" in shown
    assert "Traceback" not in shown


def test_the_patient_list_shows_titles_never_diagnoses(content):
    view = ScoringTools(content)
    cases = load_cases(content)
    labels = [label for label, _ in view._who.options]
    assert labels[0] == "Your own entries" and sorted(labels[1:]) == sorted(c.title for c in cases.values())
    generators = {g for c in cases.values() for g in c.truth.generators}
    assert not any(g.replace("_", " ") in label.lower() for g in generators for label in labels)


def test_choosing_a_patient_fills_the_controls_and_shows_the_group_and_matched_care(content):
    view = ScoringTools(content)
    case = load_cases(content)["care_assistant_off_work"]
    view._who.value = "care_assistant_off_work"
    assert view.startback_answers() == case.start_back.model_dump()
    assert view.odi_answers() == case.odi.model_dump()
    shown = text(view)
    assert "as in the case file" in shown and case.title in shown
    assert "Total score: 8 of 9" in shown and "psychosocial subscale: 5 of 5" in shown and "High risk" in shown
    assert "psychologically informed physiotherapy" in shown and "Hill 2011" in shown and "REF 7.7" in shown
    assert "difference 1.81" in shown and "difference 1.06" in shown and "851 patients" in shown
    assert "Index: 46%" in shown and "Band: moderate disability" not in shown and "severe disability" in shown


def test_changing_an_answer_rescores_and_says_the_answers_were_changed(content):
    view = ScoringTools(content, case="twist_at_the_warehouse_shelf")
    assert "Medium risk" in text(view) and "physiotherapy for the signs and symptoms" in text(view)
    view._items["walked_only_short_distances"].value = "disagree"
    view._items["dressed_more_slowly"].value = "disagree"
    shown = text(view)
    assert "with your changes" in shown and "Total score: 2 of 9" in shown and "Low risk" in shown
    assert "the Back Book" in shown
    view._items["bothersome"].value = NOT_ANSWERED
    assert "item 9, how bothersome" in text(view) and "Total score" not in text(view)


def test_a_patient_who_left_out_sex_life_is_scored_on_nine_sections(content):
    view = ScoringTools(content, case="sudden_pain_after_sitting_down_hard")
    shown = text(view)
    assert "Index: 62.2%" in shown and "Sections used: 9 of 10. Left out: sex life." in shown
    assert "\u201ccrippled\u201d" in shown and "own old label" in shown


def test_too_few_sections_are_refused_with_the_courses_rule(content):
    view = ScoringTools(content, case="twist_at_the_warehouse_shelf")
    for key in list(view._sections)[:6]:
        view._sections[key].value = NO_LEVEL
    shown = text(view)
    assert "No index" in shown and "Only 4 of the 10 sections" in shown and "course's own choice" in shown


def test_an_earlier_index_is_judged_against_the_mic(content):
    view = ScoringTools(content, case="twist_at_the_warehouse_shelf")  # index 32
    assert "Enter an earlier index" in text(view)
    view._earlier.value = "46"
    shown = text(view)
    assert "from 46% to 32%: 14 points better" in shown and "minimal important change of 10 points" in shown
    assert shown.count("reached") == 2 and "not reached" not in shown and "Ostelo 2008" in shown
    view._earlier.value = "40"
    assert "8 points better" in text(view) and "not reached" in text(view)
    view._earlier.value = "forty"
    assert "Not accepted: the earlier ODI must be a number" in text(view)
    view._earlier.value = "140"
    assert "Not accepted: the earlier ODI index is 0 to 100, got 140" in text(view)


def test_going_back_to_own_entries_clears_every_control(content):
    view = ScoringTools(content, case="driver_with_leg_pain")
    view._who.value = ""
    assert all(c.value == NOT_ANSWERED for c in view._items.values())
    assert all(c.value == NO_LEVEL for c in view._sections.values())
    assert "Your own entries" in text(view)


def test_a_value_the_menu_does_not_offer_is_refused_by_the_guard(content):
    view = guard(ScoringTools(content))
    view._sections["lifting"].set_state({"index": 99})  # as a tampered page might send it
    assert view._sections["lifting"].value == NO_LEVEL


def test_the_lesson_function_builds_the_view_and_an_unknown_case_gives_a_message():
    view = lesson.scoring_tools()
    assert repr(view).startswith("<Scoring tools") or "lb-scoring-tools" in view._dom_classes
    panel = lesson.scoring_tools("no_such_patient")
    assert "unknown case" in panel.value and "Traceback" not in panel.value
