"""Widget tests: build a view, change a control as a learner would, check the text shown."""

from __future__ import annotations

from widgets.notebook import learner as lesson
from widgets.views.anatomy import AnatomyExplorer, PainPatternExplorer
from widgets.views.guard import guard
from widgets.views.selfcheck import SelfCheck


def test_clicking_a_structure_on_the_diagram_shows_its_details(fixture_content):
    view = AnatomyExplorer(fixture_content)
    assert "Select a structure" in view._details.value
    view._diagram.selected = "facet_joints"  # what the front end sends on a click
    assert "<h3" in view._details.value and "Facet joints" in view._details.value
    assert "Medial branch block" in view._details.value
    assert view._choice.value == "facet_joints"


def test_choosing_from_the_list_selects_on_the_diagram(fixture_content):
    view = AnatomyExplorer(fixture_content)
    view._choice.value = "multifidus"
    assert view._diagram.selected == "multifidus"
    assert "Stabilises segments." in view._details.value


def test_hiding_a_layer(fixture_content):
    view = AnatomyExplorer(fixture_content)
    view._choice.value = "multifidus"
    view._layer_boxes["muscle"].value = False
    assert "muscle" not in view._diagram.layers
    assert [v for _, v in view._choice.options] == ["", "facet_joints"]
    assert view._diagram.selected == "" and "Select a structure" in view._details.value


def test_a_bad_selection_from_the_front_end_gives_a_message_not_an_error(fixture_content):
    view = guard(AnatomyExplorer(fixture_content))
    view._diagram.selected = "multifidus"
    view._diagram.set_state({"selected": "<img src=x onerror=alert(1)>"})  # as the page would send it
    refusal = view.children[-1].value
    assert "no structure called" in refusal and "<img" not in refusal  # shown, escaped
    assert view._diagram.selected == view._choice.value == "multifidus" and "Multifidus" in view._details.value
    view._diagram.selected = "facet_joints"  # and it keeps working
    assert view._choice.value == "facet_joints" and "Multifidus" not in view._details.value


def test_pain_pattern_explorer_updates_on_each_change(fixture_content):
    view = PainPatternExplorer(fixture_content)
    assert "No candidate generator" in view._result.value
    view._controls["location"].value = "one_side"
    view._controls["exam"][0].value = True
    assert 'data-generator="facet"' in view._result.value and "score 3" in view._result.value
    view._controls["red_flags"][0].value = True
    assert "Red flag: Saddle numbness" in view._result.value


def test_self_check_feedback_and_score(fixture_content):
    view = SelfCheck(fixture_content, "01")
    card = view.children[0]
    _prompt, choices, button, feedback = card.children
    button.click()
    assert "Choose an answer first" in feedback.value
    choices.value = 1  # values are the authored choice indices, whatever order they are shown in
    button.click()
    assert "Not quite." in feedback.value and "marrow" in feedback.value
    choices.value = 0
    button.click()
    assert "Correct." in feedback.value
    assert "Answered 1 of 2; 1 correct so far." in view._score.value


def test_views_print_as_a_sentence(fixture_content):
    assert repr(AnatomyExplorer(fixture_content)).startswith("<Anatomy explorer:")


def test_lesson_functions_show_a_message_when_content_is_broken(assets_copy, monkeypatch):
    (assets_copy / "structures.yaml").write_text("structures: [\n")
    monkeypatch.setenv("LOWBACK_ASSETS", str(assets_copy))
    for build in (lesson.anatomy_explorer, lesson.pain_pattern_explorer, lambda: lesson.self_check("01"),
                  lambda: lesson.figure_table("facet_share")):
        panel = build()
        assert "could not load its content" in panel.value
        assert "structures.yaml: line 2, column 1: not valid YAML" in panel.value
        assert "Traceback" not in panel.value


def test_lesson_function_asking_for_missing_content(monkeypatch):
    from tests.conftest import FIXTURE

    monkeypatch.setenv("LOWBACK_ASSETS", str(FIXTURE))
    panel = lesson.figure_table("no_such_figure")
    assert "could not be shown" in panel.value and "no_such_figure" in panel.value
