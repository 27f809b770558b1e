"""The shipped ladder content: every treatment complete, every rung populated, the guideline view honest."""

from __future__ import annotations

import pytest

from widgets.content.loader import PACKAGE_ASSETS, load_content
from widgets.content.schema import RUNGS

CONTENT = load_content(PACKAGE_ASSETS)
ISSUE_IDS = ["physical_therapy", "trigger_point_injection", "epidural_steroid_injection", "medial_branch_block",
             "radiofrequency_ablation", "prolotherapy", "prp", "vertebroplasty_kyphoplasty", "spinal_fusion",
             "emergency_referral"]


def test_the_treatment_ids_the_engine_and_issue_rely_on_exist():
    assert set(ISSUE_IDS) <= set(CONTENT.treatments)


def test_every_rung_has_treatments_and_the_ladder_lists_every_rung_once():
    assert sorted(r.id for r in CONTENT.ladder.rungs) == sorted(RUNGS)
    for rung in RUNGS:
        assert any(t.rung == rung for t in CONTENT.treatments.values()), rung


@pytest.mark.parametrize("tid", sorted(CONTENT.treatments))
def test_every_treatment_is_complete_for_the_explorer(tid):
    t = CONTENT.treatments[tid]
    for name in ("mechanism", "indications", "limits", "sessions", "step_up", "evidence", "agreement_note"):
        assert getattr(t, name).strip(), f"{tid}: {name} is empty"
    for g in t.guidelines:
        assert g.text.strip()
    bodies = [g.body for g in t.guidelines]
    assert len(bodies) == len(set(bodies)) or t.agreement != "no_guidance"


def test_acupuncture_is_where_guidelines_disagree():
    t = CONTENT.treatments["acupuncture"]
    stances = {g.body: g.stance for g in t.guidelines}
    assert t.agreement == "guidelines_conflict"
    assert stances["acp"] == "recommends" and stances["nice"] == "does_not_offer"


def test_guideline_positions_the_reference_sheet_records():
    def stance(tid, body):
        return {g.body: g.stance for g in CONTENT.treatments[tid].guidelines}.get(body)

    assert stance("spinal_fusion", "nice") == "does_not_offer"
    assert stance("tens", "nice") == "does_not_offer"
    assert stance("trigger_point_injection", "nice") == "does_not_offer"
    assert stance("epidural_steroid_injection", "cochrane") == "small_benefit"
    assert stance("vertebroplasty_kyphoplasty", "cochrane") == "no_clear_benefit"
    assert CONTENT.treatments["vertebroplasty_kyphoplasty"].grade == "high"  # certain evidence of no benefit
