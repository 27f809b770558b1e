"""The case simulator in the documents' world: deterministic, honest to its parameters, and each mechanism
of the documents' claims. The trials' world: tests/test_trials_world.py."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.content.schema import StrategyStep
from widgets.models.simulator import (
    STOP_MISSED,
    STOP_NONE,
    STOP_REFERRED,
    expand,
    fits,
    natural_course,
    play,
    run,
    simulate_strategy,
    summarise,
)


@pytest.fixture(scope="module")
def model():
    """The simulator in the documents' world (the cohort view's second world)."""
    from widgets.content.loader import load_content
    from widgets.models.simulator import Model

    return Model.from_content(load_content(), world="documents")


def steps(*ids: str, conditional: bool = False) -> list[StrategyStep]:
    return [StrategyStep(treatment=t, only_if_not_improved=conditional) for t in ids]


def test_same_seed_and_choices_give_the_same_course_and_another_seed_differs(model, cases):
    case = cases["garden_weekend_flank_ache"]
    choices = ["examine", "trigger_point_injection", "physical_therapy", "finish"]
    a, b = play(model, case, choices, seed=5), play(model, case, choices, seed=5)
    assert (a.pain, a.function, a.events, a.cost) == (b.pain, b.function, b.events, b.cost)
    assert play(model, case, choices, seed=6).pain != a.pain


def test_adding_a_step_never_rewrites_what_already_happened(model, cases):
    case = cases["garden_weekend_flank_ache"]
    short = play(model, case, ["trigger_point_injection"], seed=2)
    longer = play(model, case, ["trigger_point_injection", "nsaids"], seed=2)
    assert longer.pain[: len(short.pain)] == short.pain


def test_every_treatment_has_exactly_one_effect_and_every_number_has_a_source(model):
    content = model.content
    assert set(model.effect_of) == set(content.treatments)
    for e in model.effects.values():
        assert e.sources and (e.note or not e.assumption), e.id
    for p in model.parameters.values():
        assert p.sources, p.id
    for nc in model.courses:
        assert nc.sources and nc.note, nc.id


def test_a_fitting_treatment_helps_with_the_size_the_parameters_give_and_a_misfit_helps_little(model, cases):
    fit_case, misfit_case = cases["garden_weekend_flank_ache"], cases["driver_with_leg_pain"]
    assert fits(model, fit_case, "trigger_point_injection")
    assert not fits(model, misfit_case, "trigger_point_injection")
    eff = model.effect("trigger_point_injection")
    fit = run(model, fit_case, steps("trigger_point_injection"), n=20_000, seed=1)
    misfit = run(model, misfit_case, steps("trigger_point_injection"), n=20_000, seed=1)
    assert fit.relief[:, 0].mean() == pytest.approx(eff.fit_relief, abs=0.01)
    assert misfit.relief[:, 0].mean() == pytest.approx(eff.other_relief, abs=0.01)


def test_trigger_point_relief_fades_but_exercise_relief_lasts(model, cases):
    case = cases["garden_weekend_flank_ache"]  # chronic: no natural recovery to blur the picture
    tpi = run(model, case, steps("trigger_point_injection"), n=5000, seed=3, horizon=26)
    mean = tpi.pain.mean(axis=0)
    assert mean[1] < case.baseline.pain * 0.6  # helps soon after the injection
    assert mean[26] > case.baseline.pain * 0.9  # and is nearly gone half a year later
    ex = run(model, case, steps("physical_therapy"), n=5000, seed=3, horizon=26)
    held = ex.pain.mean(axis=0)
    assert held[26] == pytest.approx(held[8], abs=0.05)


def test_surgery_succeeds_with_the_documents_figures_and_each_repeat_succeeds_less(model, cases):
    success = model.values("surgery_success")
    first = cases["back_that_gives_way"]  # fusion fits segmental instability; no earlier operation
    assert fits(model, first, "spinal_fusion")
    c = run(model, first, steps("spinal_fusion", "spinal_fusion"), n=40_000, seed=4)
    assert c.succeeded[:, 0].mean() == pytest.approx(success[0], abs=0.01)
    failed_first = ~c.succeeded[:, 0]
    assert c.succeeded[failed_first, 1].mean() == pytest.approx(success[1], abs=0.015)
    third = cases["offered_a_third_operation"]  # two earlier operations: the next is the third
    assert third.prior_surgeries == 2 and fits(model, third, "spinal_fusion")
    c3 = run(model, third, steps("spinal_fusion"), n=40_000, seed=4)
    assert c3.succeeded[:, 0].mean() == pytest.approx(success[2], abs=0.01)


def test_an_operation_on_the_wrong_structure_never_succeeds_and_failure_can_leave_fbss(model, cases):
    case = cases["buttock_pain_after_a_missed_step"]  # SI joint laxity: a discectomy does not fit
    assert not fits(model, case, "endoscopic_discectomy")
    c = run(model, case, steps("endoscopic_discectomy"), n=2000, seed=1)
    assert not c.succeeded.any()
    assert c.fbss.all() and (c.surgeries == 1).all()


def test_a_missed_red_flag_is_an_outcome_of_its_own_and_the_right_referral_is_not(model, cases):
    ces = cases["sciatica_on_day_ten"]
    missed = play(model, ces, ["examine", "nsaids"], seed=1)
    assert missed.outcome == "missed_red_flag" and missed.finished
    referred = play(model, ces, ["examine", "emergency_referral"], seed=1)
    assert referred.outcome == "referred"
    wrong_path = play(model, ces, ["urgent_investigation"], seed=1)  # urgent is not an emergency
    assert wrong_path.outcome == "missed_red_flag"
    cancer = cases["pain_that_wakes_her_at_night"]
    assert play(model, cancer, ["urgent_investigation"], seed=1).outcome == "referred"
    assert play(model, cancer, ["imaging"], seed=1).outcome == "missed_red_flag"


def test_natural_course_acute_strain_settles_and_chronic_pain_does_not(model, cases):
    acute, chronic = cases["twist_at_the_warehouse_shelf"], cases["stiff_back_at_the_workbench"]
    assert natural_course(model, acute).recovery_median_weeks is not None
    assert natural_course(model, chronic).recovery_median_weeks is None
    a = run(model, acute, steps("wait"), n=5000, seed=1, horizon=12)
    assert a.pain[:, -1].mean() < acute.baseline.pain * 0.3
    c = run(model, chronic, steps("wait"), n=100, seed=1, horizon=12)
    assert np.allclose(c.pain, chronic.baseline.pain)


def test_prp_courses_reproduce_the_clinic_series_means(model, cases):
    case = cases["landscaper_after_an_epidural"]  # PRP fits fascia attachment pain
    assert fits(model, case, "prp")
    means = model.values("prp_improvement")
    c = run(model, case, steps("prp", "prp", "prp"), n=40_000, seed=9)
    combined = 1 - np.cumprod(1 - c.relief, axis=1)
    for k in range(3):
        assert combined[:, k].mean() == pytest.approx(means[k], abs=0.02)


def test_ablation_succeeds_more_after_positive_blocks(model, cases):
    case = cases["stiff_back_at_the_workbench"]  # one positive block already on file (mbb_relief 70)
    by_blocks = model.effect("radiofrequency_ablation").success_by_blocks
    one = run(model, case, steps("radiofrequency_ablation"), n=40_000, seed=2)
    two = run(model, case, steps("medial_branch_block", "radiofrequency_ablation"), n=40_000, seed=2)
    assert one.succeeded[:, 0].mean() == pytest.approx(by_blocks[1], abs=0.01)
    assert np.nanmean(two.block_relief[:, 0]) == pytest.approx(0.70)
    assert two.succeeded[:, 1].mean() == pytest.approx(by_blocks[2], abs=0.01)


def test_conditional_steps_only_reach_patients_who_have_not_improved(model, cases):
    case = cases["back_that_gives_way"]
    c = run(model, case, steps("physical_therapy", "spinal_fusion", conditional=True), n=5000, seed=1)
    improved_after_pt = c.pain[:, 6] <= case.baseline.pain * (1 - model.value("mcid_pain_share"))
    assert not c.applied[improved_after_pt, 1].any()
    assert c.applied[~improved_after_pt, 1].all()


def test_every_strategy_runs_for_every_case(model, cases):
    for case in cases.values():
        for sid in model.strategies:
            c = simulate_strategy(model, case, sid, n=200, seed=1)
            s = summarise(model, c, sid)
            assert 0 <= s.improved <= 1 and s.cost >= 0
            assert (s.cost > 0) == bool(c.steps)  # a strategy with no step for this case (the documents name none)
            assert len(s.mean_pain) == len(s.grid)
            if case.red_flags:
                assert set(np.unique(c.stop)) <= {STOP_MISSED, STOP_REFERRED}
            else:
                assert (c.stop == STOP_NONE).all()


def test_the_ladder_strategy_is_the_engines_advice(model, cases):
    case = cases["driver_with_leg_pain"]
    expanded = [st.treatment for st in expand(model, case, model.strategies["ladder"].steps)]
    assert expanded == ["epidural_steroid_injection"]


def test_sliders_change_the_assumptions_and_refuse_impossible_values(model, cases):
    case = cases["back_that_gives_way"]
    never = model.with_changes(surgery_first=0.0)
    c = run(never, case, steps("spinal_fusion"), n=1000, seed=1)
    assert not c.succeeded.any()
    always = model.with_changes(surgery_first=1.0)
    assert run(always, case, steps("spinal_fusion"), n=1000, seed=1).succeeded.all()
    with pytest.raises(ValueError, match="surgery_first"):
        model.with_changes(surgery_first=1.5)
    with pytest.raises(ValueError, match="relief_duration"):
        model.with_changes(relief_duration=0)
    assert model.values("surgery_success")[0] == 0.5  # the original model is untouched


def test_bad_input_is_refused_with_a_message(model, cases):
    case = cases["driver_with_leg_pain"]
    with pytest.raises(ValueError, match="unknown choice 'surgery_now'"):
        play(model, case, ["surgery_now"])
    with pytest.raises(ValueError, match="number of patients"):
        run(model, case, steps("nsaids"), n=0)
    with pytest.raises(ValueError, match="unknown strategy"):
        simulate_strategy(model, case, "magic", n=10)


def test_the_case_players_menu_lists_each_rungs_treatments_in_order(model):
    from widgets.models.simulator import rung_treatments

    content = model.content
    for rung in {t.rung for t in content.treatments.values()}:
        menu = rung_treatments(content, rung)
        assert [tid for _, tid in menu] == [t.id for t in content.treatments.values() if t.rung == rung]
        assert all(name == content.treatments[tid].name for name, tid in menu)
    assert rung_treatments(content, "no_such_rung") == []
