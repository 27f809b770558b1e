"""The local anaesthetic dose check: arithmetic, each limit at and across its threshold (assets/dosing.yaml, from
section 7.1 of the reference sheet), no verdict of "within" without a weight, earlier doses in both windows,
trigger point volumes, the lipid dose, the refusals, the view and the command line."""

from __future__ import annotations

import json

import pytest

from tests.cli import run as lowback
from widgets.content.loader import load_content
from widgets.models.dosing import DoseModel
from widgets.views.dosing import DoseCheck


@pytest.fixture(scope="module")
def model():
    """The shipped limits: the figures under test are the course's own."""
    return DoseModel(load_content())


def limits(r) -> dict[str, tuple[float | None, float, bool | None]]:
    return {c.limit: (c.limit_mg, c.amount_mg, c.within) for c in r.checks}


def test_percent_to_mg(model):
    r = model.calculate("bupivacaine", 0.25, 10, weight_kg=70)
    assert r.mg_per_ml == 2.5 and r.dose_mg == 25 and r.verdict == "within"
    assert model.calculate("lidocaine", 1, 3, weight_kg=70).dose_mg == 30


@pytest.mark.parametrize(("ml", "verdict"), [(35, "within"), (35.2, "over")])  # 0.5% x 35 mL = 175 mg
def test_bupivacaine_single_dose_plain_at_and_across_175(model, ml, verdict):
    r = model.calculate("bupivacaine", 0.5, ml, weight_kg=100)
    assert limits(r)["single dose, plain"][0] == 175 and r.verdict == verdict


@pytest.mark.parametrize(("ml", "verdict"), [(45, "within"), (45.2, "over")])  # 225 mg with adrenaline
def test_bupivacaine_single_dose_with_adrenaline_at_and_across_225(model, ml, verdict):
    r = model.calculate("bupivacaine", 0.5, ml, with_adrenaline=True, weight_kg=120)
    assert limits(r)["single dose, with adrenaline"][0] == 225 and r.verdict == verdict


@pytest.mark.parametrize(("mg", "verdict"), [(100, "within"), (100.5, "over")])  # 2 mg/kg x 50 kg
def test_bupivacaine_per_kg_in_4_hours_at_and_across_the_weight_limit(model, mg, verdict):
    r = model.calculate("bupivacaine", 0.5, mg / 5, weight_kg=50)
    limit_mg, amount, within = limits(r)["per kg in any 4 hours, plain"]
    assert limit_mg == 100 and amount == mg and within is (verdict == "within") and r.verdict == verdict


def test_bupivacaine_24_hour_ceiling_counts_earlier_doses(model):
    r = model.calculate("bupivacaine", 0.25, 20, earlier_mg=350, weight_kg=200)  # 50 + 350 = 400: at the line
    assert limits(r)["in 24 hours, plain"] == (400, 400, True)
    r = model.calculate("bupivacaine", 0.25, 20, earlier_mg=351, weight_kg=200)
    assert limits(r)["in 24 hours, plain"][2] is False and r.verdict == "over"


def test_earlier_doses_count_against_both_windows_but_not_the_single_dose(model):
    r = model.calculate("bupivacaine", 0.25, 20, earlier_mg=80, weight_kg=60)  # 50 + 80 = 130 > 120
    got = limits(r)
    assert got["single dose, plain"] == (175, 50, True)
    assert got["per kg in any 4 hours, plain"] == (120, 130, False)
    assert got["in 24 hours, plain"] == (400, 130, True)
    assert r.verdict == "over" and "80 mg given in the last 4 hours" in r.reason


@pytest.mark.parametrize(("weight", "ml", "verdict"), [(60, 27, "within"), (60, 27.1, "over")])  # 4.5 x 60 = 270
def test_lidocaine_plain_per_kg_at_and_across(model, weight, ml, verdict):
    r = model.calculate("lidocaine", 1, ml, weight_kg=weight)
    assert limits(r)["maximum per kg, plain"][0] == 270 and r.verdict == verdict


@pytest.mark.parametrize(("ml", "verdict"), [(30, "within"), (30.1, "over")])  # 300 mg absolute, plain
def test_lidocaine_plain_absolute_300_binds_in_a_heavy_patient(model, ml, verdict):
    r = model.calculate("lidocaine", 1, ml, weight_kg=100)  # 4.5 x 100 = 450: the 300 mg cap binds first
    got = limits(r)
    assert got["maximum in total, plain"][0] == 300 and got["maximum per kg, plain"][2] is True
    assert r.verdict == verdict


@pytest.mark.parametrize(("ml", "verdict"), [(49, "within"), (49.1, "over")])  # 7 mg/kg x 70 kg = 490
def test_lidocaine_with_adrenaline_per_kg_and_500_total(model, ml, verdict):
    r = model.calculate("lidocaine", 1, ml, with_adrenaline=True, weight_kg=70)
    got = limits(r)
    assert got["maximum per kg, with adrenaline"][0] == 490 and got["maximum in total, with adrenaline"][0] == 500
    assert r.verdict == verdict


def test_lidocaine_earlier_doses_count(model):
    r = model.calculate("lidocaine", 0.5, 10, earlier_mg=260, weight_kg=80)  # 50 + 260 = 310 > 300
    assert limits(r)["maximum in total, plain"] == (300, 310, False) and r.verdict == "over"


def test_without_a_weight_the_check_will_not_call_a_dose_safe(model):
    r = model.calculate("bupivacaine", 0.25, 8)  # 20 mg, far under every absolute limit
    assert r.verdict == "cannot_judge" and "weight" in r.reason
    per_kg = limits(r)["per kg in any 4 hours, plain"]
    assert per_kg[0] is None and per_kg[2] is None
    assert "Cannot judge" in r.reason and "2 mg/kg" in r.reason


def test_an_absolute_limit_is_over_even_without_a_weight(model):
    r = model.calculate("bupivacaine", 0.5, 100)  # 500 mg
    assert r.verdict == "over" and "weight is also needed" in r.reason


@pytest.mark.parametrize(("ml", "points", "far"), [(8, 4, False), (16, 4, False), (16.4, 4, True), (20, 1, True)])
def test_volume_far_above_trigger_point_practice_is_flagged_even_within_the_limit(model, ml, points, far):
    r = model.calculate("lidocaine", 0.5, ml, weight_kg=80, points=points)
    assert r.verdict == "within" and r.far_above_practice is far
    assert ("far above trigger point practice" in r.practice) is far and "2 mL per point" in r.practice


@pytest.mark.parametrize(
    ("weight", "bolus", "infusion", "ceiling"),
    [(50, "at most 75 mL", "12.5 mL/min", "600 mL"), (70, "at most 105 mL", "17.5 mL/min", "840 mL"),
     (90, "100 mL over 2-3 minutes", "200-250 mL over 15-20 minutes", "1080 mL")],
)
def test_lipid_emulsion_dose_by_weight(model, weight, bolus, infusion, ceiling):
    lp = model.calculate("bupivacaine", 0.25, 10, weight_kg=weight).lipid
    assert bolus in lp.bolus and infusion in lp.infusion and ceiling in lp.ceiling and "ASRA" in lp.source


def test_lipid_without_a_weight_gives_both_regimens(model):
    lp = model.calculate("bupivacaine", 0.25, 10).lipid
    assert "100 mL" in lp.bolus and "1.5 mL/kg" in lp.bolus and "enter the weight" in lp.bolus


@pytest.mark.parametrize(
    ("kwargs", "control"),
    [
        ({"volume_ml": -1}, "Volume"),
        ({"concentration_pct": 101}, "Concentration"),
        ({"concentration_pct": -0.5}, "Concentration"),
        ({"concentration_pct": float("nan")}, "Concentration"),
        ({"earlier_mg": -10}, "Same drug in the last 4 hours"),
        ({"weight_kg": -70}, "Weight"),
        ({"weight_kg": 0}, "Weight"),
        ({"weight_kg": 401}, "Weight"),
        ({"points": 0}, "Trigger points"),
        ({"drug": "cocaine"}, "Drug"),
    ],
)
def test_impossible_input_is_refused_naming_the_control(model, kwargs, control):
    args = {"drug": "bupivacaine", "concentration_pct": 0.5, "volume_ml": 10} | kwargs
    with pytest.raises(ValueError, match=f"^{control}"):
        model.calculate(**args)


def test_volume_for_a_dose(model):
    assert model.volume_for("bupivacaine", 0.25, 175) == pytest.approx(70)
    with pytest.raises(ValueError, match="Concentration"):
        model.volume_for("bupivacaine", 0, 175)


def test_view_refuses_to_judge_without_a_weight_and_shows_the_toxicity_panel():
    view = DoseCheck(load_content())
    html = view._result.value
    assert "CANNOT JUDGE" in html and "Lidocaine: 40 mg" in html  # the defaults: 0.5% x 8 mL, weight not known
    assert "lipid emulsion" in html and "benzodiazepine" in html.lower() and "seizures" in html
    assert "tinnitus" in html  # S4's signs beside the sheet's fuller list
    view._weight.value = "70"
    assert "WITHIN EVERY LIMIT" in view._result.value and "at most 105 mL" in view._result.value
    view._drug.value = "bupivacaine"
    view._volume.value = "40"  # 0.5% x 40 = 200 mg
    assert "OVER THE LIMIT" in view._result.value and "FAR ABOVE TRIGGER POINT PRACTICE" in view._result.value
    view._volume.value = "-5"
    assert "Not accepted" in view._result.value and "Volume" in view._result.value
    assert "mg</strong>" not in view._result.value  # nothing computed
    view._volume.value = "10"
    view._conc.value = "150"
    assert "Concentration" in view._result.value and "impossible" in view._result.value


def cli(*args: str):
    return lowback("dose", *args)


def test_cli_json_names_the_mg_each_limit_and_the_verdict():
    r = cli("--drug", "bupivacaine", "--percent", "0.25", "--ml", "10", "--weight", "60", "--earlier-mg", "100",
            "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["dose_mg"] == 25 and out["verdict"] == "over"  # 25 + 100 > 2 mg/kg x 60 = 120
    assert [x["limit"] for x in out["limits"]] == ["single dose, plain", "per kg in any 4 hours, plain",
                                                   "in 24 hours, plain"]
    assert all({"limit", "figure", "limit_mg", "amount_mg", "within", "source"} == set(x) for x in out["limits"])
    assert "lipid" in out and out["lipid"]["bolus"]


def test_cli_without_a_weight_cannot_judge():
    r = cli("--drug", "lidocaine", "--percent", "0.5", "--ml", "8", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "cannot_judge"
    r = cli("--drug", "lidocaine", "--percent", "0.5", "--ml", "8")
    assert "verdict: cannot_judge" in r.stdout and "lipid emulsion" in r.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--drug", "cocaine", "--percent", "1", "--ml", "1"], "unknown drug 'cocaine'"),
        (["--drug", "lidocaine", "--percent", "150", "--ml", "1"], "Concentration"),
        (["--drug", "lidocaine", "--percent", "-1", "--ml", "1"], "Concentration"),
        (["--drug", "lidocaine", "--percent", "1", "--ml", "-3"], "Volume"),
        (["--drug", "lidocaine", "--percent", "1", "--ml", "3", "--weight", "0"], "Weight"),
        (["--drug", "lidocaine", "--percent", "1", "--ml", "3", "--weight", "900"], "Weight"),
        (["--drug", "lidocaine", "--percent", "1", "--ml", "3", "--earlier-mg", "-5"], "Same drug"),
        (["--drug", "lidocaine", "--percent", "x", "--ml", "3"], "invalid float"),
        (["--percent", "1", "--ml", "3"], "--drug"),
    ],
)
def test_cli_impossible_input_is_one_line_and_exit_2(args, message):
    r = cli(*args)
    assert r.returncode == 2 and message in r.stderr and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_a_huge_dose_is_written_as_a_number_not_in_scientific_notation(model):
    from widgets.content.numbers import number
    from widgets.render.dosing import dose_html

    assert (number(1e9), number(7.50), number(0.025), number(300.0), number(-0.0)) == (
        "1,000,000,000", "7.5", "0.025", "300", "0")
    r = model.calculate("lidocaine", 1.0, 100_000_000.0, False, 0.0, 70.0, 1)
    html = dose_html(r, model.dosing, load_content().source_label)
    assert "1,000,000,000 mg" in html and "e+0" not in html and "e+0" not in r.reason
    assert r.verdict == "over"


def test_an_emptied_or_mistyped_field_gets_a_message_naming_it_and_keeps_what_was_typed():
    view = DoseCheck(load_content())
    view._volume.value = ""
    assert "Not accepted" in view._result.value and "Volume (mL): the field is empty" in view._result.value
    assert view._volume.value == ""  # not quietly put back to 8
    view._volume.value = "8 mL"
    assert "&#39;8 mL&#39; is not a number" in view._result.value or "'8 mL' is not a number" in view._result.value
    view._volume.value = "8"
    view._given.value = "1,000"  # a thousand, or one? The check refuses to guess
    assert "has a comma" in view._result.value and "mg</strong>" not in view._result.value
    view._given.value = "0"
    view._volume.value = "8.5"
    assert "Lidocaine: 42.5 mg" in view._result.value
    view._weight.value = ""  # an empty weight means not known, as 0 does
    assert "CANNOT JUDGE" in view._result.value


@pytest.mark.parametrize(("text", "empty", "value"), [("8", None, 8.0), (" 0.5 ", None, 0.5), ("", 0.0, 0.0)])
def test_read_number(text, empty, value):
    assert DoseModel.read_number("Volume (mL)", text, empty) == value


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", "1e999", "1,000", "8,5"])
def test_read_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError, match="^Volume \\(mL\\): "):
        DoseModel.read_number("Volume (mL)", text)
