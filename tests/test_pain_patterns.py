"""Pain-pattern model: scores are the sum of the weights of the rules that fire."""

from __future__ import annotations

import pytest

from widgets.models.pain_patterns import PainPatternModel


def test_nothing_selected_ranks_nothing(fixture_content):
    result = PainPatternModel(fixture_content).rank({})
    assert result.candidates == () and not result.emergency


def test_ranking_and_reasons(fixture_content):
    result = PainPatternModel(fixture_content).rank(
        {"location": "one_side", "exam": ["facet_tender", "wasting"]}
    )
    assert [(c.id, c.score) for c in result.candidates] == [("facet", 3), ("multifidus_atrophy", 3)]
    facet = result.candidates[0]
    assert [r.text for r in facet.reasons] == ["Tenderness over the joint.", "One-sided pain fits."]
    assert facet.reasons[0].sources == ("Smith 2020",)
    assert facet.caveat == "No sign predicts block response."
    assert facet.structures == ("Facet joints",)


def test_negative_rules_can_drop_a_candidate(fixture_content):
    model = PainPatternModel(fixture_content)
    assert model.rank({"location": "midline"}).candidates == ()
    (only,) = model.rank({"location": "midline", "exam": ["facet_tender"]}).candidates
    assert only.score == 1 and [r.weight for r in only.reasons] == [2, -1]


def test_red_flag_is_an_emergency(fixture_content):
    result = PainPatternModel(fixture_content).rank({"red_flags": ["saddle_numbness"]})
    assert result.emergency and result.red_flags == ("Saddle numbness",)


@pytest.mark.parametrize(
    "selection,message",
    [
        ({"mood": "sad"}, "unknown control 'mood'"),
        ({"location": "knee"}, "Where it hurts: 'knee' is not one of its options"),
        ({"location": ["midline", "one_side"]}, "Where it hurts: choose one option, got 2"),
    ],
)
def test_bad_selection_is_refused_naming_the_control(fixture_content, selection, message):
    with pytest.raises(ValueError, match=message):
        PainPatternModel(fixture_content).rank(selection)


def test_the_explorer_puts_the_controls_and_the_ranking_in_two_panes(fixture_content):
    from widgets.views.anatomy import PainPatternExplorer

    view = PainPatternExplorer(fixture_content)
    caution, panes = view.children
    assert "not a validated diagnostic tool" in caution.value
    controls, result = panes.children
    assert "lb-panes" in panes._dom_classes
    assert "lb-pane-controls" in controls._dom_classes and view._controls["location"] in controls.children
    assert "lb-pane-result" in result._dom_classes and view._result in result.children
    assert "Candidate pain generators" in result.children[0].value
    view._controls["location"].value = "one_side"  # the ranking in its pane follows the controls
    view._controls["exam"][0].value = True
    assert 'data-generator="facet"' in view._result.value
