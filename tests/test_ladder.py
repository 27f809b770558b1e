"""Decision engine, the documents' lens: each explicit rule D1-D20 of the reference sheet (section 2.2), the
repeat-surgery figures, and the command line. The guidelines' lens and the conflicts: tests/test_two_lenses.py."""

from __future__ import annotations

import json

import pytest

from tests.cli import run as lowback
from widgets.models.ladder import advise

TRIED = "conservative_care_tried"


def rules(advice) -> set[str]:
    return {line.split(":")[0] for line in advice.rationale}


def avoided(advice) -> dict[str, str]:
    return {a.treatment: a.reason for a in advice.avoid}


@pytest.mark.parametrize("flag", ["bladder_bowel_dysfunction", "saddle_numbness", "progressive_neuro_deficit"])
def test_d1_red_flags_are_an_emergency_and_stop_the_climb(flag):
    a = advise([flag, "facet_pattern", TRIED])
    assert a.emergency and a.next_steps == ["emergency_referral"] and rules(a) == {"D1"}
    assert "S2" in a.rationale[0]


def test_d2_foundations_first():
    a = advise([])
    assert not a.emergency and a.next_steps == ["movement_exercise", "physical_therapy"] and "D2" in rules(a)


def test_d3_surgery_is_never_the_next_step_after_pt():
    assert "last resort" in avoided(advise([TRIED, "chronic"]))["spinal_fusion"]


def test_d4_regenerative_injections_come_with_rehabilitation():
    a = advise([TRIED, "chronic", "multifidus_atrophy"])
    assert "prp" in a.next_steps and "physical_therapy" in a.next_steps and "D4" in rules(a)


def test_d5_regenerative_candidates_are_chronic_and_failed_conservative_care():
    assert "prolotherapy" in advise([TRIED, "chronic", "ligament_laxity"]).next_steps
    assert "D5" in rules(advise([TRIED, "chronic", "ligament_laxity"]))
    assert "prolotherapy" not in advise(["chronic", "ligament_laxity"]).next_steps


def test_d6_si_joint_glutes_first_then_ligament():
    a = advise(["si_joint_pattern"])
    assert "physical_therapy" in a.next_steps and "prolotherapy" not in a.next_steps and "D6" in rules(a)
    assert "prolotherapy" in advise(["si_joint_pattern", "ligament_laxity", TRIED]).next_steps


def test_d7_cortisone_short_term_for_an_inflamed_joint_or_nerve():
    assert "D7" in rules(advise(["facet_pattern", TRIED]))
    assert "D7" not in rules(advise(["trigger_points", TRIED]))


def test_d8_failed_epidural_reassess_fascia():
    a = advise(["esi_failed", "fascia_crest_pattern", TRIED])
    assert "D8" in rules(a) and "prp" in a.next_steps and "epidural_steroid_injection" in avoided(a)


def test_d9_staged_escalation_once_conservative_care_is_tried():
    assert "D9" in rules(advise([TRIED]))


def test_d10_medial_branch_block_decides_on_ablation():
    a = advise(["facet_pattern", TRIED])
    assert "medial_branch_block" in a.next_steps and "D10" in rules(a)
    assert "radiofrequency_ablation" not in a.next_steps


def test_d11_trigger_points_get_injections_when_muscular():
    a = advise(["trigger_points", TRIED])
    assert "trigger_point_injection" in a.next_steps and "D11" in rules(a)


def test_d12_conservative_care_before_trigger_point_injections():
    a = advise(["trigger_points"])
    assert "trigger_point_injection" in avoided(a) and "D12" in rules(a)


def test_d13_pain_below_the_knee_is_not_for_trigger_point_injections():
    a = advise(["trigger_points", "pain_below_knee", TRIED])
    assert "radicular" in avoided(a)["trigger_point_injection"] and "D13" in rules(a)


@pytest.mark.parametrize("relief,expect_rfa", [(70, True), (50.0, False), (20, False)])
def test_d14_ablation_only_after_more_than_50_percent_relief(relief, expect_rfa):
    a = advise(["facet_pattern", TRIED], mbb_relief=relief)
    assert ("radiofrequency_ablation" in a.next_steps) is expect_rfa
    assert ("radiofrequency_ablation" in avoided(a)) is not expect_rfa
    assert "trigger_point_injection" in avoided(a)


def test_d15_trigger_point_injections_never_alone():
    a = advise(["trigger_points", TRIED])
    assert "physical_therapy" in a.next_steps and "D15" in rules(a)


@pytest.mark.parametrize("chronic,sessions", [(False, "1-4"), (True, "2-8")])
def test_d16_sessions_and_dose(chronic, sessions):
    a = advise(["trigger_points", TRIED] + (["chronic"] if chronic else []))
    (line,) = [x for x in a.rationale if x.startswith("D16")]
    assert f"{sessions} sessions" in line and "400 mg in 24 hours" in line


def test_d17_failed_trigger_point_injections_reconsider_the_diagnosis():
    a = advise(["trigger_points", "tpi_failed", TRIED])
    assert "trigger_point_injection" in avoided(a) and "D17" in rules(a)
    assert "D17" in rules(advise(["facet_pattern", TRIED], mbb_relief=30))


def test_d18_root_compression_with_radicular_pain_gets_an_epidural():
    a = advise(["pain_below_knee", "root_compression_on_imaging", TRIED])
    assert "epidural_steroid_injection" in a.next_steps and "D18" in rules(a)
    assert "epidural_steroid_injection" not in advise(["pain_below_knee", TRIED]).next_steps


@pytest.mark.parametrize("prior,success", [(0, 0.50), (1, 0.30), (2, 0.15), (3, 0.05), (7, 0.05)])
def test_d19_repeat_surgery_figures_and_second_opinion(prior, success):
    a = advise([TRIED], prior_surgeries=prior)
    assert a.next_surgery_success == success and "D19" in rules(a)
    assert "Waddell" in next(x for x in a.rationale if x.startswith("D19"))


def test_d20_after_failed_surgery_regenerative_is_not_too_late():
    a = advise([TRIED], prior_surgeries=2)
    assert "D20" in rules(a) and "prp" in a.next_steps
    assert "D20" not in rules(advise([TRIED], prior_surgeries=0))


def test_every_rationale_line_names_its_source():
    a = advise(["trigger_points", "facet_pattern", "si_joint_pattern", "ligament_laxity", TRIED, "chronic"],
               mbb_relief=80, prior_surgeries=1)
    assert all(line.endswith("]") and "[" in line for line in a.rationale)


def test_every_treatment_id_the_engine_names_exists():
    from widgets.content.loader import load_content

    treatments = load_content().treatments
    combos = [[], ["facet_pattern", TRIED], ["trigger_points", TRIED],
              ["pain_below_knee", "root_compression_on_imaging"], ["osteoporotic_fracture"], ["saddle_numbness"],
              [TRIED, "chronic", "multifidus_atrophy"]]
    for c in combos:
        a = advise(c, mbb_relief=80, prior_surgeries=1)
        for t in a.next_steps + [x.treatment for x in a.avoid]:
            assert t in treatments, t


def cli(*args: str):
    return lowback(*args)


def test_cli_json():
    r = cli("advise", "--finding", "pain_below_knee", "--finding", "root_compression_on_imaging",
            "--prior-surgeries", "1", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"emergency", "next_steps", "avoid", "rationale", "next_surgery_success", "urgency", "referral",
                        "flags", "guidelines", "conflicts"}
    assert out["emergency"] is False and "epidural_steroid_injection" in out["next_steps"]
    assert out["next_surgery_success"] == 0.3
    assert all({"treatment", "reason"} == set(x) for x in out["avoid"])


def test_cli_lists_findings():
    r = cli("findings")
    assert r.returncode == 0 and "bladder_bowel_dysfunction: " in r.stdout and "--mbb-relief" in r.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--finding", "sore_back"], "unknown finding 'sore_back'"),
        (["--mbb-relief", "101"], "between 0 and 100"),
        (["--mbb-relief", "-5"], "between 0 and 100"),
        (["--prior-surgeries", "-1"], "cannot be negative"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, message):
    r = cli("advise", *args)
    assert r.returncode == 2 and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("finding", "kind"),
    [("history_of_cancer", "possible spinal cancer"), ("unexplained_weight_loss", "possible spinal cancer"),
     ("significant_trauma", "possible fragility fracture")],
)
def test_serious_pathology_is_urgent_not_an_emergency_and_stops_the_climb(finding, kind):
    a = advise([finding, "trigger_points", TRIED])
    assert not a.emergency and a.urgency == "urgent" and a.next_steps == ["urgent_investigation"]
    assert rules(a) == {"Serious pathology"} and kind in a.rationale[0] and "REF 3.5" in a.rationale[0]
    assert "Downie" in a.rationale[0]


@pytest.mark.parametrize("finding", ["fever_or_immunosuppression", "major_trauma", "pulsatile_abdominal_mass"])
def test_infection_major_trauma_and_aneurysm_are_emergencies_the_documents_never_name(finding):
    a = advise([finding, "trigger_points", TRIED])
    assert a.emergency and a.urgency == "emergency" and a.next_steps == ["emergency_referral"]
    assert rules(a) == {"Safety"} and "the documents do not mention it" in a.rationale[0]


def test_cauda_equina_outranks_serious_pathology():
    a = advise(["history_of_cancer", "saddle_numbness"])
    assert a.emergency and a.next_steps == ["emergency_referral"]


def test_triage_levels():
    from widgets.models.ladder import triage

    assert triage(["saddle_numbness"]).level == "emergency"
    assert triage(["fever_or_immunosuppression"]).level == "emergency"
    assert triage(["significant_trauma"]).level == "urgent"
    t = triage(["pain_below_knee"])
    assert t.level == "ladder" and "No red flag" in t.headline and not t.flags
