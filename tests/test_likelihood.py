"""Pre-test to post-test arithmetic (reference sheet section 9) and the exam-test content behind it."""

from __future__ import annotations

import itertools

import pytest

from widgets.content.examination import ExamTestsFile, check_exam, load_exam_tests
from widgets.content.loader import load_content
from widgets.models.likelihood import LikelihoodModel, odds, post_test, probability, ratios
from widgets.render.likelihood import chain_html, pct

CONTENT = load_content()
EXAM = load_exam_tests(CONTENT)
MODEL = LikelihoodModel(EXAM)


@pytest.mark.parametrize(("pre", "lr", "post"), [
    (0.5, 2.0, 2 / 3),  # even odds doubled: 2 to 1
    (0.2, 1.0, 0.2),  # a ratio of 1 changes nothing
    (0.1, 10.0, 10 / 19),  # odds 1/9 x 10 = 10/9
    (0.9, 0.1, 0.9 / 1.9),  # odds 9 x 0.1 = 0.9
])
def test_post_test_goes_through_odds(pre, lr, post):
    assert post_test(pre, lr) == pytest.approx(post)
    assert post_test(pre, lr) == pytest.approx(probability(odds(pre) * lr))


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5])
def test_a_certainty_or_nonsense_is_refused(bad):
    with pytest.raises(ValueError, match="between 0 and 1"):
        post_test(bad, 2.0)


@pytest.mark.parametrize(("test_id", "lr_pos", "lr_neg"), [
    ("slr", 1.3, 0.29),  # the sheet's own calculation for van der Windt's pooled figures
    ("crossed_slr", 2.8, 0.8),
    ("laslett_cluster", 4.3, 0.08),
    ("neurogenic_claudication", 3.7, 0.23),  # reported by Suri 2010, not calculated
])
def test_ratios_match_the_sheet(test_id, lr_pos, lr_neg):
    pos, neg = ratios(MODEL.tests[test_id])
    assert pos == pytest.approx(lr_pos, abs=0.05)
    assert neg == pytest.approx(lr_neg, abs=0.01)


def test_a_negative_residual_lands_near_venkatesans_observed_probability():
    """From Venkatesan's 18% prevalence, a residual under 200 mL (meta-analysis Sn 83%, Sp 93.5%) leaves about
    3.8%; Venkatesan observed 3.6% in their own patients: the two sources agree."""
    chain = MODEL.chain("cauda_equina_compression", 0.18, [("pvr_over_200", "negative")])
    assert chain.final == pytest.approx(0.036, abs=0.005)


def test_the_final_probability_does_not_depend_on_the_order():
    results = [("slr", "positive"), ("crossed_slr", "positive"), ("sensory_loss", "negative")]
    finals = {round(MODEL.chain("disc_root_compression", 0.3, list(p)).final, 12)
              for p in itertools.permutations(results)}
    assert len(finals) == 1


def test_each_step_starts_where_the_last_one_ended():
    chain = MODEL.chain("spinal_stenosis", 0.25, [("no_pain_seated", "positive"),
                                                   ("neurogenic_claudication", "negative")])
    assert chain.steps[0].before == 0.25
    assert chain.steps[1].before == chain.steps[0].after
    assert chain.steps[0].after == pytest.approx(post_test(0.25, 7.4))
    assert chain.final < chain.steps[0].after  # an absent claudication (LR 0.23) pulls it back down
    assert not chain.steps[0].calculated and chain.assumes_independence


def test_a_side_the_sheet_gives_no_ratio_for_is_not_offered_or_accepted():
    assert MODEL.results_for("wide_based_gait") == ("positive",)
    with pytest.raises(ValueError, match="no likelihood ratio for a negative result"):
        MODEL.chain("spinal_stenosis", 0.3, [("wide_based_gait", "negative")])


def test_a_cluster_and_its_own_parts_are_not_counted_twice():
    with pytest.raises(ValueError, match="cannot be counted twice"):
        MODEL.chain("sij_pain", 0.2, [("laslett_cluster", "positive"), ("sij_thigh_thrust", "positive")])


def test_bad_inputs_name_the_control():
    with pytest.raises(ValueError, match="^Pre-test probability"):
        MODEL.chain("sij_pain", 0.999, [])
    with pytest.raises(ValueError, match="not a test for this condition"):
        MODEL.chain("sij_pain", 0.2, [("slr", "positive")])


def test_every_condition_has_tests_with_usable_ratios_and_a_study():
    for c in EXAM.conditions:
        tests = MODEL.tests_for(c.id)
        assert tests, c.id
        for t in tests:
            assert MODEL.results_for(t.id), t.id
            assert t.study and t.sources, t.id


def test_the_result_shows_every_step_the_plot_and_the_safety_note():
    chain = MODEL.chain("cauda_equina_compression", 0.116, [("pvr_over_200", "negative"),
                                                            ("reduced_anal_tone", "negative")])
    page = chain_html(chain, CONTENT.source_label)
    assert f"{pct(0.116)} before testing, {pct(chain.final)} after 2 results" in page
    assert page.count("<circle") == 3  # pre-test and two results
    assert "lb-verdict-warn" in page and "emergency MRI" in page  # the tests never replace the scan
    assert "overstates" in page  # two results multiplied: the independence caution
    assert "Curtis Lopez 2022" in page and "PVR meta-analysis 2022" in page  # each ratio names its study


def test_one_result_has_no_independence_caution_and_a_calm_note():
    page = chain_html(MODEL.chain("sij_pain", 0.2, [("laslett_cluster", "negative")]), CONTENT.source_label)
    assert "overstates" not in page and "lb-verdict-info" in page
    assert "calculated from Sn 94% and Sp 78%" in page


def test_a_broken_exam_file_names_the_file_and_field():
    data = EXAM.model_dump()
    data["tests"][0]["condition"] = "no_such_condition"
    data["tests"][1]["sources"] = ["nobody2099"]
    problems = [str(p) for p in check_exam(ExamTestsFile.model_validate(data), "exam_tests.yaml", CONTENT)]
    assert any(p.startswith("exam_tests.yaml: tests[0].condition") for p in problems)
    assert any(p.startswith("exam_tests.yaml: tests[1].sources[0]") for p in problems)


def test_a_test_needs_accuracy_or_ratios_not_both():
    base = {"id": "x", "condition": "c", "label": "X", "study": "s", "sources": ["REF"]}
    from widgets.content.examination import ExamTest

    with pytest.raises(ValueError, match="both sn and sp"):
        ExamTest.model_validate(base | {"sn": 0.5})
    with pytest.raises(ValueError, match="not both"):
        ExamTest.model_validate(base | {"sn": 0.5, "sp": 0.5, "lr_pos": 2})
    with pytest.raises(ValueError, match="at least one likelihood ratio"):
        ExamTest.model_validate(base)


def test_the_view_chains_results_in_the_order_entered():
    from widgets.views.likelihood import PostTestView

    view = PostTestView(CONTENT, EXAM)
    view._condition.value = "cauda_equina_compression"
    assert view._pretest_value() == pytest.approx(0.116)  # the first figure the sheet gives, as given
    assert view._pretest.value == pytest.approx(0.116)  # and the slider shows it
    view._menus["reduced_anal_tone"].value = "negative"
    view._menus["pvr_over_200"].value = "negative"
    text = view._result.value
    assert text.index("Reduced anal tone") < text.index("Post-void residual")
    assert "Safety first" in text
    view._menus["reduced_anal_tone"].value = ""  # undone: leaves the chain
    assert "Reduced anal tone" not in view._result.value
    view._pretest.value = 0.5  # moving the slider makes the estimate the learner's own
    assert view._start.value == "own" and "50% before testing" in view._result.value


def test_the_view_reports_a_double_count_without_a_traceback():
    from widgets.views.likelihood import PostTestView

    view = PostTestView(CONTENT, EXAM)
    view._condition.value = "sij_pain"
    view._menus["laslett_cluster"].value = "positive"
    view._menus["sij_compression"].value = "positive"
    assert "Not accepted" in view._result.value and "counted twice" in view._result.value


def test_start_from_shows_only_where_the_sheet_gives_a_starting_point():
    """A condition with no measured starting point has no "Start from"; the condition menu stays."""
    from widgets.views.likelihood import PostTestView

    view = PostTestView(CONTENT, EXAM)
    view._condition.value = "sij_pain"
    assert view._start_box.children == (view._start,) and view._start.layout.display == "none"
    assert view._condition.layout.display != "none"
    view._condition.value = "cauda_equina_compression"
    assert view._start_box.children == (view._start,) and view._start.value == pytest.approx(0.116)


@pytest.mark.parametrize(("p", "shown"), [(0.2, "20%"), (0.116, "11.6%"), (0.0233, "2.3%"), (0.7366, "73.7%")])
def test_percentages_keep_the_studys_decimal(p, shown):
    assert pct(p) == shown
