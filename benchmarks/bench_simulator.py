"""Speed of the cohort model (`make bench`; not collected by `make test`).

Target from issue 4: 100,000 patients through a strategy in under 100 ms on one core, so the cohort
view's charts follow its sliders. Each benchmark runs one strategy for 100,000 patients like one case,
including the summary the view draws (mean curve, percentile band, outcome shares). The last line of
each test checks the result is the full cohort, so a fast wrong answer cannot pass as a fast one.
"""

from __future__ import annotations

import pytest

from widgets.content.cases import load_cases
from widgets.content.loader import load_content
from widgets.models.simulator import Model, simulate_strategy, summarise

# NumPy's element-wise operations and random draws used here run on one thread, so this measures one core.
PATIENTS = 100_000
TARGET_MS = 100
CASES = [
    ("twist_at_the_warehouse_shelf", "early_fusion"),
    ("stiff_back_at_the_workbench", "ladder"),
    ("garden_weekend_flank_ache", "injections_first"),
    ("back_that_gives_way", "regenerative_first"),
    ("driver_with_leg_pain", "early_discectomy"),
]


@pytest.fixture(scope="module", params=["trials", "documents"])
def model(request):
    """Both worlds: the trials' world draws more per step (a response and a non-specific response)."""
    return Model.from_content(load_content(), world=request.param)


@pytest.fixture(scope="module")
def cases(model):
    return load_cases(model.content)


@pytest.mark.parametrize(("case_id", "strategy"), CASES)
def test_100k_patients_through_a_strategy(benchmark, model, cases, case_id, strategy):
    case = cases[case_id]

    def one_strategy():
        return summarise(model, simulate_strategy(model, case, strategy, PATIENTS, seed=2026), strategy)

    summary = benchmark.pedantic(one_strategy, rounds=15, warmup_rounds=2)
    benchmark.extra_info["world"] = model.world
    assert summary.n == PATIENTS
    median_ms = benchmark.stats.stats.median * 1000
    benchmark.extra_info["median_ms"] = round(median_ms, 1)
    assert median_ms < TARGET_MS, f"{case_id}/{strategy}: median {median_ms:.1f} ms, target {TARGET_MS} ms"
