"""The case player and the cohort view as a learner drives them (widget level; the browser tests in
test_dashboards.py do the same through Voila and Chromium)."""

from __future__ import annotations

from widgets.notebook import learner as lesson
from widgets.views.simulation import CasePlayer, CohortView


def test_case_player_from_first_visit_to_debrief(content):
    p = CasePlayer(content, case="garden_weekend_flank_ache")
    assert "Examination" not in p._exam.value and p._debrief.value == ""
    p._exam_btn.click()
    assert "taut band" in p._exam.value and p._exam_btn.disabled
    p._rung.value = "interventional"
    p._treatment.value = "trigger_point_injection"
    p._give.click()
    assert "Trigger point injection" in p._course.value
    p._rung.value = "conservative"
    p._treatment.value = "physical_therapy"
    p._give.click()
    p._finish.click()
    assert "Myofascial trigger points" in p._debrief.value
    assert "Your path, scored" in p._debrief.value
    assert p._give.disabled and p._finish.disabled
    assert p.choices == ["examine", "trigger_point_injection", "physical_therapy", "finish"]
    p._restart.click()
    assert p.choices == [] and p._debrief.value == "" and not p._give.disabled


def test_each_case_step_brings_what_it_did_into_view(content):
    """The page is asked to show the findings after Examine, the reports after imaging, the course after a treatment
    or a wait, and the debrief at the end; a refused step asks for nothing."""
    p = CasePlayer(content, case="garden_weekend_flank_ache")
    shown = []
    p._reveal.observe(lambda change: shown.append(p._reveal.target), names="count")
    p._exam_btn.click()
    p._img_btn.click()
    p._wait_btn.click()
    p.choose(None)
    p._finish.click()
    assert shown == ["lb-exam-panel", "lb-imaging-panel", "lb-course-panel", "lb-debrief-panel"]
    for target in shown:  # each names a panel the view really has
        assert any(target in box._dom_classes for box in (p._exam, p._imaging, p._course, p._debrief))


def test_case_player_refuses_an_empty_choice_and_keeps_the_path(content):
    p = CasePlayer(content, case="driver_with_leg_pain")
    p.choose("nsaids")
    p.choose(None)
    assert "Not accepted" in p._status.value and p.choices == ["nsaids"]
    p.choose("no_such_treatment")
    assert "unknown choice" in p._status.value and p.choices == ["nsaids"]


def test_case_player_new_case_and_another_patient(content):
    p = CasePlayer(content, case="driver_with_leg_pain")
    p.choose("nsaids")
    p._another.click()
    assert p.seed == 2 and p.choices == []
    p._case.value = "sciatica_on_day_ten"
    assert p.seed == 1 and "A delivery driver" not in p._intro.value


def test_imaging_shows_the_reports_but_not_the_answer(content):
    p = CasePlayer(content, case="twist_at_the_warehouse_shelf")
    p._img_btn.click()
    report = p._imaging.value
    assert "MRI" in report and "incidental" not in report.lower()


def test_cohort_view_redraws_when_a_slider_moves(content):
    v = CohortView(content, case="back_that_gives_way", a="ladder", b="early_fusion", patients=2000)
    before = v._result.value
    assert "Operations per patient" in before and "The documents&#39; ladder" in before
    v._surgery.value = 0.1
    assert v._result.value != before
    v._b.value = "wait_and_see"
    assert "Advice and review only" in v._result.value


def test_lesson_calls_give_a_readable_message_for_unknown_ids():
    assert "could not be shown" in lesson.case_player("no_such_case").value
    assert "could not be shown" in lesson.cohort_view(a="no_such_strategy").value
    html = lesson.simulation_assumptions().data
    assert "Assumption" in html and "Darrow 2019" in html


def test_each_cohort_outcome_has_its_own_axis():
    """The bug this guards: one scale for every row drew 'share improved 100%' at 17 px and 'mean cost 12.8' at
    220 px, so the main outcome looked the smallest."""
    import re

    from widgets.render.simulation import BAR_PX, bar_px, bar_rows, row_peak

    assert row_peak(1.0, 0.4, share=True) == row_peak(0.1, 0.05, share=True) == 1.0
    assert row_peak(12.8, 3.0, share=False) == 12.8
    assert bar_px(1.0, 1.0) == BAR_PX and bar_px(0.5, 1.0) == BAR_PX // 2 and bar_px(0.0, 1.0) == 0
    assert bar_px(1e-6, 1.0) == 2  # above zero always shows
    html = bar_rows("t", [("Share improved", 1.0, 0.5, "{:.0%}"), ("Mean cost", 12.8, 3.2, "{:.1f}"),
                          ("Operations", 0.02, 0.01, "{:.2f}")], "units")
    widths = [int(w) for w in re.findall(r'class="lb-bar" style="display:inline-block;height:12px;width:(\d+)px', html)]
    assert widths == [BAR_PX, BAR_PX // 2, BAR_PX, round(BAR_PX * 3.2 / 12.8), BAR_PX, BAR_PX // 2]
    assert "Each row has its own scale" in html


def test_the_cohort_view_warns_that_a_missed_red_flag_is_not_a_better_curve(model, cases):
    """Patients like one with a spinal infection: the ladder refers them (pain held at 9), advice alone misses the
    flag (pain held lower). The lower curve must not read as the better outcome."""
    from widgets.models.simulator import simulate_strategy, summarise
    from widgets.render.simulation import cohort_html

    case = cases["asking_for_something_stronger"]
    a, b = (summarise(model, simulate_strategy(model, case, sid, 500, 1), sid) for sid in ("ladder", "wait_and_see"))
    assert a.referred == 1.0 and b.missed == 1.0 and b.mean_pain[-1] < a.mean_pain[-1]
    html = cohort_html(a, b, case.title, 1)
    assert "READ THE CURVES WITH CARE" in html and "100% of patients had their red flag missed" in html
    assert "is not a better outcome" in html and 'role="status"' in html
    quiet = summarise(model, simulate_strategy(model, cases["twist_at_the_warehouse_shelf"], "ladder", 500, 1), "x")
    assert "READ THE CURVES WITH CARE" not in cohort_html(quiet, quiet, "t", 1)
