"""The decision engine's two lenses (issue 14): red flags with their urgency and timing, the documents' rules
D1-D20 beside the guidelines' rules G1-G11, and every conflict between them. Each case below is a finding
combination a learner can tick; together they cover each red flag alone and with others, and each rule's
boundary. Figures and stances come from sections 3 and 7 of the reference sheet."""

from __future__ import annotations

import json

import pytest

from tests.cli import run as lowback
from widgets.content.loader import load_content
from widgets.models.ladder import advise, triage

CONTENT = load_content()
TRIED = "conservative_care_tried"

# (findings, mbb_relief, prior_surgeries, expected). Expected keys:
#   urgency: "emergency" | "urgent" | "routine"           kinds: the flag kinds raised (exactly)
#   steps / gsteps: subsets of the documents' / guidelines' next steps
#   no_gsteps: treatments that must not be guideline steps  refused: subset of the guidelines' do-not-offer list
#   conflicts: exactly these treatments conflict            text: a phrase the flags or referral must contain
CASES = [
    # --- each red flag alone ---
    (["bladder_bowel_dysfunction"], None, None, dict(urgency="emergency", kinds={"cauda_equina"}, text="4 hours")),
    (["saddle_numbness"], None, None, dict(urgency="emergency", kinds={"cauda_equina"}, text="200 mL")),
    (["progressive_neuro_deficit"], None, None, dict(urgency="emergency", kinds={"cauda_equina"})),
    (["fever_or_immunosuppression"], None, None,
     dict(urgency="emergency", kinds={"infection"}, text="whole spine with gadolinium")),
    (["major_trauma"], None, None, dict(urgency="emergency", kinds={"major_trauma"}, text="CT")),
    (["pulsatile_abdominal_mass"], None, None, dict(urgency="emergency", kinds={"aneurysm"}, text="rupture")),
    (["history_of_cancer"], None, None, dict(urgency="urgent", kinds={"malignancy"}, text="within 24 hours")),
    (["unexplained_weight_loss"], None, None, dict(urgency="urgent", kinds={"malignancy"})),
    (["significant_trauma"], None, None, dict(urgency="urgent", kinds={"fracture"}, text="Downie")),
    (["new_pain_over_50"], None, None,
     dict(urgency="routine", kinds={"weak"}, steps={"movement_exercise"}, text="shifts the probability")),
    (["night_pain"], None, None, dict(urgency="routine", kinds={"weak"}, gsteps={"movement_exercise"})),
    (["inflammatory_back_pain"], None, None,
     dict(urgency="routine", kinds={"inflammatory"}, gsteps={"movement_exercise"}, text="rheumatology")),
    # --- red flags together ---
    (["history_of_cancer", "progressive_neuro_deficit"], None, None,
     dict(urgency="emergency", kinds={"cauda_equina", "cord_compression", "malignancy"}, text="immediately")),
    (["history_of_cancer", "saddle_numbness"], None, None,
     dict(urgency="emergency", kinds={"cauda_equina", "cord_compression", "malignancy"})),
    (["new_pain_over_50", "night_pain"], None, None, dict(urgency="urgent", kinds={"several_weak_flags"})),
    (["night_pain", "history_of_cancer"], None, None,
     dict(urgency="urgent", kinds={"several_weak_flags", "malignancy"})),
    (["new_pain_over_50", "significant_trauma"], None, None,
     dict(urgency="urgent", kinds={"several_weak_flags", "fracture"})),
    (["fever_or_immunosuppression", "saddle_numbness"], None, None,
     dict(urgency="emergency", kinds={"cauda_equina", "infection"})),
    (["fever_or_immunosuppression", "facet_pattern", TRIED], 80, None,
     dict(urgency="emergency", kinds={"infection"}, conflicts=set())),
    (["major_trauma", "osteoporotic_fracture"], None, None, dict(urgency="emergency", kinds={"major_trauma"})),
    (["pulsatile_abdominal_mass", "history_of_cancer"], None, None,
     dict(urgency="emergency", kinds={"aneurysm", "malignancy"})),
    (["significant_trauma", "osteoporotic_fracture"], None, None, dict(urgency="urgent", kinds={"fracture"})),
    (["inflammatory_back_pain", "chronic", TRIED], None, None,
     dict(urgency="routine", kinds={"inflammatory"}, gsteps={"cbt"}, text="rheumatology")),
    (["inflammatory_back_pain", "night_pain"], None, None, dict(urgency="routine", kinds={"inflammatory", "weak"})),
    # --- facet pain: the block and ablation at each boundary ---
    (["facet_pattern"], 80, None,
     dict(steps={"radiofrequency_ablation"}, refused={"radiofrequency_ablation", "medial_branch_block",
                                                      "facet_injection"}, conflicts={"radiofrequency_ablation"})),
    (["facet_pattern", TRIED], 50, None,
     dict(gsteps={"radiofrequency_ablation"}, no_steps={"radiofrequency_ablation"},
          conflicts={"radiofrequency_ablation"})),
    (["facet_pattern", TRIED], 51, None,
     dict(steps={"radiofrequency_ablation"}, gsteps={"radiofrequency_ablation"}, conflicts=set())),
    (["facet_pattern", TRIED], 49, None,
     dict(no_steps={"radiofrequency_ablation"}, refused={"radiofrequency_ablation"}, conflicts=set())),
    (["facet_pattern", TRIED], None, None,
     dict(steps={"medial_branch_block"}, gsteps={"medial_branch_block", "cbt"}, conflicts=set())),
    (["facet_pattern"], None, None,
     dict(no_steps={"medial_branch_block"}, refused={"radiofrequency_ablation", "medial_branch_block"},
          conflicts=set())),
    # --- failed conservative care, first line ---
    ([TRIED, "chronic"], None, None,
     dict(steps=set(), gsteps={"movement_exercise", "cbt"}, refused={"stronger_analgesics", "spinal_fusion",
                                                                    "total_disc_replacement"}, conflicts=set())),
    ([], None, None, dict(gsteps={"movement_exercise", "nsaids"}, refused={"spinal_fusion", "total_disc_replacement"},
                          conflicts=set())),
    # --- injections for low back pain ---
    (["trigger_points"], None, None, dict(refused={"trigger_point_injection"}, conflicts=set())),
    (["trigger_points", TRIED], None, None, dict(steps={"trigger_point_injection"},
                                                 conflicts={"trigger_point_injection"})),
    (["trigger_points", TRIED, "chronic"], None, None,
     dict(conflicts={"trigger_point_injection"}, refused={"stronger_analgesics"})),
    (["trigger_points", "tpi_failed", TRIED], None, None, dict(refused={"trigger_point_injection"}, conflicts=set())),
    (["si_joint_pattern", "ligament_laxity", TRIED], None, None,
     dict(steps={"prolotherapy"}, conflicts={"prolotherapy"})),
    (["multifidus_atrophy", TRIED, "chronic"], None, None, dict(steps={"prp"}, conflicts={"prp"})),
    (["esi_failed", "fascia_crest_pattern", TRIED], None, None, dict(steps={"prp"}, conflicts={"prp"})),
    (["osteoporotic_fracture"], None, None,
     dict(steps={"vertebroplasty_kyphoplasty"}, refused={"vertebroplasty_kyphoplasty", "kyphoplasty"},
          conflicts={"vertebroplasty_kyphoplasty"}, no_gsteps={"nsaids"}, text="NG59 excludes fractures")),
    # --- sciatica: the epidural's boundary, drugs, surgery ---
    (["pain_below_knee", "root_compression_on_imaging"], None, None,
     dict(steps={"epidural_steroid_injection"}, conflicts={"epidural_steroid_injection"},
          refused={"gabapentinoids", "oral_corticosteroids", "benzodiazepines"})),
    (["pain_below_knee", "root_compression_on_imaging", "severe_leg_pain"], None, None,
     dict(steps={"epidural_steroid_injection"}, gsteps={"epidural_steroid_injection"}, conflicts=set())),
    (["pain_below_knee", "severe_leg_pain"], None, None,
     dict(no_steps={"epidural_steroid_injection"}, gsteps={"epidural_steroid_injection"}, conflicts=set())),
    (["pain_below_knee", "root_compression_on_imaging", "severe_leg_pain", "chronic"], None, None,
     dict(steps={"epidural_steroid_injection"}, refused={"epidural_steroid_injection"},
          conflicts={"epidural_steroid_injection"})),
    (["pain_below_knee", "chronic"], None, None,
     dict(refused={"stronger_analgesics", "gabapentinoids", "epidural_steroid_injection"}, no_gsteps={"nsaids"})),
    (["pain_below_knee", "root_compression_on_imaging", TRIED], None, None,
     dict(conflicts={"epidural_steroid_injection"}, text="surgical opinion on decompression")),
    (["pain_below_knee", "chronic", TRIED], None, 2,
     dict(steps={"prp"}, conflicts={"prp"}, text="TA159")),
    (["neurogenic_claudication", "pain_below_knee", "severe_leg_pain"], None, None,
     dict(refused={"epidural_steroid_injection"}, no_gsteps={"epidural_steroid_injection"}, conflicts=set())),
    # --- after failed surgery ---
    ([TRIED], None, 1, dict(steps={"prp"}, gsteps={"cbt"}, conflicts={"prp"})),
    ([TRIED, "chronic", "multifidus_atrophy", "facet_pattern", "trigger_points"], 80, 1,
     dict(conflicts={"prp"}, gsteps={"radiofrequency_ablation"}, steps={"radiofrequency_ablation"})),
]


def _id(case) -> str:
    findings, mbb, prior, _ = case
    return "+".join(findings or ["none"]) + (f"@mbb{mbb:g}" if mbb is not None else "") + \
        (f"@ops{prior}" if prior is not None else "")


def test_at_least_forty_combinations():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_both_lenses(case):
    findings, mbb, prior, want = case
    a = advise(findings, mbb, prior, CONTENT)
    g = a.guidelines
    refused = {d.treatment for d in g.do_not_offer}
    conflicts = {c.treatment for c in a.conflicts}
    assert a.urgency == want.get("urgency", "routine")
    assert a.emergency is (a.urgency == "emergency")
    if "kinds" in want:
        assert {fl.kind for fl in a.flags} == want["kinds"]
    else:
        assert not a.flags
    assert want.get("steps", set()) <= set(a.next_steps), a.next_steps
    assert not (want.get("no_steps", set()) & set(a.next_steps)), a.next_steps
    assert want.get("gsteps", set()) <= set(g.next_steps), g.next_steps
    assert not (want.get("no_gsteps", set()) & set(g.next_steps)), g.next_steps
    assert want.get("refused", set()) <= refused, refused
    if "conflicts" in want:
        assert conflicts == want["conflicts"], a.conflicts
    if "text" in want:
        said = " ".join([fl.now + " " + fl.timing for fl in a.flags] + a.referral + g.rationale)
        assert want["text"] in said, said
    if "steps" in want and not want["steps"]:
        assert a.next_steps == []


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_invariants_of_every_combination(case):
    findings, mbb, prior, _ = case
    a = advise(findings, mbb, prior, CONTENT)
    g = a.guidelines
    refused = {d.treatment for d in g.do_not_offer}
    # a treatment a guideline refuses is never a plain next step of the guidelines, and every documents' step the
    # guidelines refuse is a conflict, shown beside the documents' advice
    assert not (refused & set(g.next_steps))
    assert {t for t in a.next_steps if t in refused} <= {c.treatment for c in a.conflicts}
    # a flag that stops the climb stops both lenses, with one referral step each
    if a.urgency in ("emergency", "urgent"):
        step = "emergency_referral" if a.urgency == "emergency" else "urgent_investigation"
        assert a.next_steps == [step] and g.next_steps == [step] and not a.conflicts
        assert a.referral and all(fl.now and fl.timing for fl in a.flags)
    elif "osteoporotic_fracture" in findings:  # NICE NG59 excludes fractures: a referral, not an invented step
        assert "movement_exercise" not in g.next_steps and any("Fracture care" in r for r in a.referral)
    else:
        assert g.next_steps, "the guidelines always name a next step"
        assert "movement_exercise" in g.next_steps
    for line in a.rationale + g.rationale:
        assert line.endswith("]") and "[" in line, line  # every line names its source
    for d in g.do_not_offer:
        assert d.reason and d.source
    for c in a.conflicts:
        assert c.documents and c.guidelines and c.source
    for t in a.next_steps + g.next_steps + [x.treatment for x in a.avoid] + list(refused):
        assert t in CONTENT.treatments, t
    json.dumps(a.to_json())


def test_nothing_nice_does_not_offer_is_a_guideline_step():
    """Across every case, a guideline step never carries a NICE 'does not offer' stance on its card, and the two
    treatments NICE says to consider (ablation after a block, an epidural for acute severe sciatica) are steps only
    inside their conditions."""
    for findings, mbb, prior, _ in CASES:
        g = advise(findings, mbb, prior, CONTENT).guidelines
        for t in g.next_steps:
            stances = {x.stance for x in CONTENT.treatments[t].guidelines if x.body == "nice"}
            assert "does_not_offer" not in stances, (findings, t)
        if "radiofrequency_ablation" in g.next_steps:
            assert TRIED in findings and mbb is not None and mbb >= 50
        if "epidural_steroid_injection" in g.next_steps:
            assert {"pain_below_knee", "severe_leg_pain"} <= set(findings) and "chronic" not in findings
            assert "neurogenic_claudication" not in findings


def test_a_conflict_names_each_side_and_the_source():
    a = advise(["facet_pattern"], mbb_relief=80)
    (c,) = a.conflicts
    assert c.treatment == "radiofrequency_ablation"
    assert "D14" in c.documents and "80%" in c.documents
    assert "not yet" in c.guidelines and "non-surgical treatment has failed" in c.guidelines
    assert "NICE NG59" in c.source


def test_failed_conservative_care_of_chronic_pain_is_never_answered_with_none():
    a = advise([TRIED, "chronic"])
    assert a.next_steps == [] and {"movement_exercise", "cbt"} <= set(a.guidelines.next_steps)
    assert any(line.startswith("G3") and "combined physical and psychological" in line
               for line in a.guidelines.rationale)


def test_the_documents_lens_is_unchanged_by_the_guidelines():
    """D1-D20 as before: the guidelines sit beside the documents' advice, they do not rewrite it."""
    a = advise(["trigger_points", TRIED, "chronic"])
    assert a.next_steps == ["trigger_point_injection", "physical_therapy"]
    assert {"D11", "D15", "D16"} <= {line.split(":")[0] for line in a.rationale}


def test_triage_shows_an_infection_as_an_emergency_with_what_to_do():
    t = triage(["fever_or_immunosuppression"], CONTENT)
    assert t.level == "emergency" and "spinal infection" in t.headline
    (fl,) = t.flags
    assert fl.urgency == "emergency" and "Same day" in fl.timing and "CRP and ESR" in fl.now
    assert "whole spine" in fl.now and fl.documents.startswith("None of the five documents")


def test_triage_weak_flag_and_referral_are_not_emergencies_but_say_why():
    t = triage(["night_pain"], CONTENT)
    assert t.level == "ladder" and t.flags[0].urgency == "review" and "Downie" in t.flags[0].now
    t = triage(["inflammatory_back_pain"], CONTENT)
    assert t.level == "ladder" and "rheumatology" in t.flags[0].now and "HLA-B27" in t.flags[0].now


def cli(*args: str):
    return lowback(*args)


def test_cli_json_has_both_lenses_and_the_conflicts():
    r = cli("advise", "--finding", "facet_pattern", "--mbb-relief", "80", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"emergency", "next_steps", "avoid", "rationale", "urgency", "referral", "guidelines",
            "conflicts"} <= set(out)
    assert out["urgency"] == "routine" and out["emergency"] is False
    assert {"next_steps", "do_not_offer"} <= set(out["guidelines"])
    assert all({"treatment", "source", "reason"} <= set(d) for d in out["guidelines"]["do_not_offer"])
    assert [c["treatment"] for c in out["conflicts"]] == ["radiofrequency_ablation"]
    assert set(out["conflicts"][0]) == {"treatment", "documents", "guidelines", "source"}


def test_cli_json_emergency_with_timing():
    r = cli("advise", "--finding", "fever_or_immunosuppression", "--finding", "trigger_points", "--json")
    out = json.loads(r.stdout)
    assert out["emergency"] is True and out["urgency"] == "emergency"
    assert out["next_steps"] == ["emergency_referral"] and out["guidelines"]["next_steps"] == ["emergency_referral"]
    assert any("Same day" in line for line in out["referral"])


def test_cli_text_shows_both_lenses():
    r = cli("advise", "--finding", "conservative_care_tried", "--finding", "chronic")
    assert r.returncode == 0
    assert "none named by the documents" in r.stdout and "the guidelines' lens" in r.stdout and "cbt" in r.stdout
