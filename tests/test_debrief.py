"""The debrief names the generator, compares the path with the engine and guidelines, and scores it
with reasons."""

from __future__ import annotations

from widgets.models.debrief import VERDICTS, debrief, untreated_pain
from widgets.models.simulator import play
from widgets.render.html import escape
from widgets.render.simulation import debrief_html


def by_name(d):
    return {s.name: s for s in d.scores}


def test_every_case_plays_to_a_debrief_with_five_reasoned_scores(model, cases):
    from widgets.models.ladder import advise

    for case in cases.values():
        advice = advise(case.findings, case.mbb_relief, case.prior_surgeries, content=model.content)
        course = play(model, case, ["examine"] + advice.next_steps + ["finish"], seed=1)
        d = debrief(model, course)
        assert [s.name for s in d.scores] == ["relief", "function", "risk", "cost", "time"]
        assert all(s.verdict in VERDICTS and s.reason for s in d.scores)
        assert d.generators == [model.content.conditions[g].name for g in case.truth.generators]
        assert all(p.engine == "advised" for p in d.path), case.id
        html = debrief_html(d)
        assert "hidden pain generator" in html and escape(d.generators[0]) in html


def test_a_missed_red_flag_scores_risk_poor_and_says_why(model, cases):
    d = debrief(model, play(model, cases["sciatica_on_day_ten"], ["nsaids"], seed=1))
    assert d.outcome == "missed_red_flag"
    assert by_name(d)["risk"].verdict == "poor"
    assert any("missed red flag" in n for n in d.notes)


def test_the_right_referral_is_praised_and_not_scored_on_relief(model, cases):
    d = debrief(model, play(model, cases["sciatica_on_day_ten"], ["examine", "emergency_referral"], seed=1))
    assert by_name(d)["relief"].verdict == "not scored"
    assert by_name(d)["time"].verdict == "good"
    assert any("you referred at once" in n for n in d.notes)


def test_surgery_on_a_scan_finding_is_called_out_with_the_guideline_and_the_engine(model, cases):
    case = cases["twist_at_the_warehouse_shelf"]
    d = debrief(model, play(model, case, ["imaging", "spinal_fusion", "finish"], seed=1))
    fusion = next(p for p in d.path if p.treatment == "spinal_fusion")
    assert not fusion.fits and fusion.engine.startswith("avoid:")
    assert "NICE: does not offer" in fusion.guidelines
    assert any("not this patient's pain generator" in n for n in d.notes)
    assert any("without examining" in n for n in d.notes)
    assert by_name(d)["cost"].verdict == "poor"
    # the strain settled on its own: the debrief says so, with the counterfactual for the same patient
    assert any("With no treatment at all" in n for n in d.notes)
    assert any(i.incidental for i in d.imaging)


def test_imaging_without_a_reason_is_noted(model, cases):
    d = debrief(model, play(model, cases["first_episode_after_moving_flat"],
                            ["examine", "imaging", "movement_exercise", "finish"], seed=1))
    assert any("QS155" in n for n in d.notes)


def test_starting_high_on_the_ladder_is_noted(model, cases):
    d = debrief(model, play(model, cases["first_episode_after_moving_flat"],
                            ["examine", "prp", "finish"], seed=1))
    assert any("before any conservative care" in n for n in d.notes)


def test_untreated_counterfactual_uses_the_same_patient(model, cases):
    case = cases["twist_at_the_warehouse_shelf"]
    course = play(model, case, ["wait", "finish"], seed=4)
    # the same simulated patient with no care at all: no better than with advice and a review, which in the
    # trials' world brings the non-specific response every arm shares
    assert untreated_pain(model, case, course) >= course.pain[-1]
    documents = model.with_world("documents")
    course = play(documents, case, ["wait", "finish"], seed=4)
    assert untreated_pain(documents, case, course) == course.pain[-1]


def test_every_case_debrief_has_the_attending_start_back_and_the_step_by_step_path(model, cases):
    from widgets.models.ladder import advise

    assert len(cases) >= 17
    for case in cases.values():
        assert case.start_back is not None and case.attending is not None, case.id
        advice = advise(case.findings, case.mbb_relief, case.prior_surgeries, content=model.content)
        course = play(model, case, ["examine"] + advice.guidelines.next_steps + ["finish"], seed=1)
        d = debrief(model, course)
        assert d.start_back.group in ("low", "medium", "high") and d.start_back.care
        assert d.attending.words and d.attending.safety_net and d.attending.document
        assert all(src and "_" not in src for src in d.attending.sources), d.attending.sources  # labels, not ids
        assert d.side_by_side and all(v == "on the guidelines' path" for _, _, v in d.side_by_side), case.id
        html = debrief_html(d)
        for words in ("What an attending would add", "The words to use", "Safety-netting", "What to document",
                      "STarT Back group", "step by step"):
            assert words in html, (case.id, words)


def test_the_step_by_step_path_says_where_a_choice_leaves_the_guidelines(model, cases):
    d = debrief(model, play(model, cases["stiff_back_at_the_workbench"], ["examine", "prp", "imaging", "finish"],
                            seed=1))
    verdicts = [v for _, _, v in d.side_by_side]
    assert verdicts[0] == "the guidelines would not offer it"
    assert verdicts[1].startswith("not on the guidelines' path: imaging")


def test_the_high_risk_case_is_scored_high_with_its_matched_care(model, cases):
    d = debrief(model, play(model, cases["care_assistant_off_work"], ["examine", "cbt", "finish"], seed=1))
    assert d.start_back.group == "high" and "psychologically informed" in d.start_back.care


def test_the_run_record_keeps_the_outcome_and_each_verdict(model, cases):
    from widgets.models.debrief import run_record

    case = cases["twist_at_the_warehouse_shelf"]
    course = play(model, case, ["examine", "movement_exercise", "finish"], seed=3)
    report = debrief(model, course)
    record = run_record(course, report)
    assert record["outcome"] == course.outcome == "finished"
    assert record["scores"] == {sc.name: sc.verdict for sc in report.scores} and record["scores"]


def test_the_debrief_names_studies_by_author_and_year_and_scans_by_their_name(model, cases, content):
    import re

    keys = re.compile(r"\b(" + "|".join(sorted(map(re.escape, content.references), key=len, reverse=True)) + r")\b")
    for case in cases.values():
        for choices in (["examine", "finish"], ["examine", "imaging", "finish"]):
            try:
                course = play(model, case, choices, seed=1)
            except ValueError:
                continue
            report = debrief(model, course)
            html = debrief_html(report)
            assert not keys.search(html), f"{case.id}: a raw reference id in the debrief: {keys.search(html)}"
            assert "XRAY" not in html and "ULTRASOUND" not in html
            if case.imaging:
                ordered = "imaging" in course.choices
                assert report.imaged == ordered
                assert ("What the scans showed" in html) == ordered and ("You ordered no scan" in html) != ordered
