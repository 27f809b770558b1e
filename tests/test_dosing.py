"""The trigger point injection dosing check: arithmetic, the limits from assets/dosing.yaml, refusals."""

from __future__ import annotations

import pytest

from widgets.dosing import DoseModel
from widgets.views import DoseCheck


@pytest.fixture
def model(fixture_content):
    return DoseModel(fixture_content)


def test_percent_to_mg(model):
    r = model.calculate("bupivacaine", 0.5, 20)
    assert r.mg_per_ml == 5 and r.dose_mg == 100
    assert [(c.limit, c.limit_mg, c.within) for c in r.checks] == [
        ("single dose (plain)", 175, True),
        ("total in 24 hours", 400, True),
    ]
    assert r.within_all


def test_single_dose_plain_and_with_adrenaline(model):
    over = model.calculate("bupivacaine", 0.25, 80)  # 200 mg
    assert over.dose_mg == 200 and not over.checks[0].within and not over.within_all
    ok = model.calculate("bupivacaine", 0.25, 80, with_adrenaline=True)
    assert ok.checks[0].limit == "single dose (with adrenaline)" and ok.checks[0].limit_mg == 225
    assert ok.checks[0].within


def test_24_hour_total_counts_earlier_doses(model):
    r = model.calculate("bupivacaine", 0.5, 30, given_24h_mg=300)  # 150 + 300
    daily = r.checks[1]
    assert daily.total_mg == 450 and not daily.within
    assert r.checks[0].within  # the single dose itself is fine


def test_weight_based_limit_only_when_weight_given(model):
    r = model.calculate("bupivacaine", 0.5, 30, weight_kg=50)  # 150 mg vs 2 mg/kg x 50 = 100
    assert r.checks[-1].limit.startswith("2 mg/kg") and r.checks[-1].limit_mg == 100 and not r.checks[-1].within
    assert len(model.calculate("bupivacaine", 0.5, 30).checks) == 2


def test_a_drug_without_limits_says_so_instead_of_guessing(model):
    r = model.calculate("lidocaine", 0.5, 10)
    assert r.dose_mg == 50 and r.checks == []
    assert "24-hour limit" in r.not_given and "single-dose limit (plain)" in r.not_given


@pytest.mark.parametrize(
    ("kwargs", "control"),
    [
        ({"volume_ml": -1}, "Volume"),
        ({"concentration_pct": 101}, "Concentration"),
        ({"concentration_pct": -0.5}, "Concentration"),
        ({"given_24h_mg": -10}, "Already given"),
        ({"weight_kg": -70}, "Weight"),
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


def test_view_shows_the_dose_and_refuses_a_negative_volume(fixture_content):
    view = DoseCheck(fixture_content)
    view._conc.value = 0.5
    view._volume.value = 20
    assert "Bupivacaine: 100 mg" in view._result.value and "within the limit" in view._result.value
    assert "tinnitus" in view._result.value  # the toxicity signs are always shown
    view._volume.value = 40
    assert "OVER the limit" in view._result.value
    view._volume.value = -5
    assert "Not accepted" in view._result.value and "Volume" in view._result.value
    assert "mg</strong>" not in view._result.value  # nothing computed
    view._volume.value = 10
    view._conc.value = 150
    assert "Concentration" in view._result.value and "impossible" in view._result.value
    view._conc.value = 0.5
    view._weight.value = 40
    assert "2 mg/kg in any 4 hours at 40 kg" in view._result.value
    view._drug.value = "lidocaine"
    assert "no limit for this drug" in view._result.value
