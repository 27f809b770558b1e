"""The ladder explorer: model and view, driven as a learner would, on the fixture content."""

from __future__ import annotations

import pytest

from widgets.content.schema import RUNGS
from widgets.models.ladder_explorer import LadderModel
from widgets.notebook import learner as lesson
from widgets.render.ladder import treatment_card_html
from widgets.views.ladder import AdviseMe, LadderExplorer, TriageWidget


def test_rungs_in_the_order_of_ladder_yaml(fixture_content):
    m = LadderModel(fixture_content)
    assert [r.id for r in m.rungs()] == list(RUNGS)
    assert m.rung == "lifestyle"
    assert [t.id for t in m.select_rung("interventional").treatments] == ["medial_branch_block"]


def test_selecting_a_treatment_moves_to_its_rung_and_a_rung_change_clears_it(fixture_content):
    m = LadderModel(fixture_content)
    assert m.select_treatment("medial_branch_block").name == "Medial branch block"
    assert m.rung == "interventional"
    m.select_rung("surgery")
    assert m.treatment is None


def test_unknown_ids_are_refused_naming_the_control(fixture_content):
    m = LadderModel(fixture_content)
    with pytest.raises(ValueError, match="^Rung"):
        m.select_rung("roof")
    with pytest.raises(ValueError, match="^Treatment"):
        m.select_treatment("<script>")
    with pytest.raises(ValueError, match="^Compare with"):
        m.compare("magic")
    with pytest.raises(ValueError, match="^Red flags"):
        m.set_flags(["pain_below_knee"])


def test_a_red_flag_stops_the_climb(fixture_content):
    m = LadderModel(fixture_content)
    assert m.stopped is None
    stop = m.set_flags(["saddle_numbness"])
    assert stop.level == "emergency" and any(line.startswith("D1") for line in stop.reasons)
    m.set_flags([])
    assert m.stopped is None


def test_view_rung_treatment_compare_guidelines_and_flags(fixture_content):
    view = LadderExplorer(fixture_content)
    assert "Choose a rung" in view._details.value
    view._rung.value = "interventional"
    assert [v for _, v in view._treatment.options] == ["", "medial_branch_block"]
    assert "The interventional rung." in view._rung_details.value
    assert "Medial branch block <span" in view._rung_details.value  # the rung lists its treatments
    assert 'data-rung="interventional"' in view._ladder.value and "selected" in view._ladder.value
    view._treatment.value = "medial_branch_block"
    details = view._details.value
    assert "Numbs the medial branch." in details and "Low certainty: small benefit over sham" in details
    assert "Guideline view" not in details
    view._guidelines.value = True
    assert "NICE fixture" in view._details.value and "Before ablation." in view._details.value
    view._compare.value = "physical_therapy"
    assert "lb-compare" in view._details.value and "Physical therapy" in view._details.value
    assert "Not stated in the documents." in view._details.value  # the fixture's physical therapy is bare
    view._flags[0].value = True
    assert "CLIMB STOPPED" in view._ladder.value and "lb-rung-blocked" in view._ladder.value
    view._flags[0].value = False
    assert "Climb stopped" not in view._ladder.value


def test_view_opens_at_a_rung_and_a_bad_rung_is_a_message(fixture_content, monkeypatch):
    view = LadderExplorer(fixture_content, rung="conservative")
    assert view._rung.value == "conservative"
    assert [v for _, v in view._treatment.options] == ["", "physical_therapy"]
    monkeypatch.setattr(lesson, "load_content", lambda: fixture_content)
    panel = lesson.ladder_explorer(rung="attic")
    assert "unknown rung" in panel.value and "could not be shown" in panel.value


def test_triage_view(fixture_content):
    view = TriageWidget(fixture_content)
    assert "NOT AN EMERGENCY" in view._result.value
    view._boxes.boxes["saddle_numbness"].value = True
    assert "EMERGENCY" in view._result.value and "cauda equina" in view._result.value


def test_advise_me_view_block_relief_and_surgeries(fixture_content):
    view = AdviseMe(fixture_content)
    assert view._relief.disabled and "opens once you tick" in view._relief_hint.value  # greyed out, and why
    assert view.inputs() == ([], None, None)
    view._block_done.value = True
    assert not view._relief.disabled and view._relief_hint.value == ""
    view._relief.value = 70
    view._surgeries.value = 2
    assert view.inputs() == ([], 70.0, 2)
    assert "15%" in view._result.value  # S2's figure for a third operation
    view._boxes.boxes["saddle_numbness"].value = True
    assert "Emergency" in view._result.value


def test_cards_escape_content(fixture_content):
    t = fixture_content.treatments["medial_branch_block"].model_copy(update={"mechanism": "<script>x</script>"})
    html = treatment_card_html(fixture_content, t)
    assert "<script>" not in html and "&lt;script&gt;" in html
