"""Cohort model: many simulated patients at once, vectorised with NumPy (no Python loop per patient).
Every parameter comes from assets/simulation.yaml, with its source.

On the command line: `lowback cohort calibrate [--patients N] [--seed S] [--json]` and `lowback cohort compare
--case ID --strategy ID [--strategy ID ...] [--patients N] [--seed S] [--world trials|documents] [--json]`.
`calibrate` prints, for each published figure the model is built on, its world, the source, the published
value, the tolerance and the simulated value. `compare` runs strategies on patients like one case and prints,
for each, the share improved (pain at least 30% below the start, no red-flag stop) and the mean pain at 0, 6,
12, 26 and 52 weeks, operations and complications per patient. Same seed, same output. Exit status 2 for
input it cannot use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from widgets.content.loader import Content, load_content

DEFAULT_PATIENTS = 20_000
DEFAULT_SEED = 2026
ORDINALS = ("first", "second", "third", "fourth")


@dataclass(frozen=True)
class Calibration:
    figure: str  # what the figure measures
    source: str  # document and study behind it
    published: float  # as a fraction (a share, or a difference on a 0-100 scale divided by 100)
    simulated: float  # as a fraction
    n: int  # simulated patients the estimate rests on
    world: str = "documents"  # the world the figure belongs to
    tolerance: float = 0.02  # how far the simulated value may be from the published one, as a fraction

    @property
    def gap_points(self) -> float:
        """Absolute difference in percentage points (or points of 100)."""
        return abs(self.simulated - self.published) * 100

    @property
    def within(self) -> bool:
        return abs(self.simulated - self.published) <= self.tolerance + 1e-12


def _values(content: Content, pid: str) -> list[float]:
    if pid not in content.parameters:
        raise ValueError(f"simulation.yaml: parameters: {pid!r} is missing")
    return content.parameters[pid].values


def _source(content: Content, pid: str) -> str:
    return "; ".join(content.source_label(s) for s in content.parameters[pid].sources)


def repeat_surgery(n: int, rng: np.random.Generator, success: list[float]) -> np.ndarray:
    """Operations until success or the last attempt, for n patients. Returns an (n, attempts) array:
    1 = this operation succeeded, 0 = it failed, -1 = not operated (an earlier one had succeeded)."""
    attempts = len(success)
    out = np.full((n, attempts), -1, dtype=np.int8)
    waiting = np.ones(n, dtype=bool)
    draws = rng.random((n, attempts))
    for k, p in enumerate(success):  # a loop over attempts (4), not over patients
        ok = draws[:, k] < p
        out[waiting, k] = ok[waiting]
        waiting &= ~ok
    return out


def prp_improvement(sessions: np.ndarray, rng: np.random.Generator, means: list[float],
                    concentration: float) -> np.ndarray:
    """Self-rated improvement (0-1) of each patient after 1, 2 or 3 sessions: beta draws whose mean is
    the published mean for that number of sessions."""
    m = np.asarray(means)[sessions - 1]
    return rng.beta(m * concentration, (1 - m) * concentration)


def _prp_concentration(content: Content) -> float:
    """The spread of PRP relief between patients: the concentration of the effect that lists PRP."""
    for eff in content.simulation.effects if content.simulation else []:
        if "prp" in eff.treatments:
            return eff.concentration
    raise ValueError("simulation.yaml: effects: no effect lists the treatment 'prp'")


def _natural_rows(content: Content, patients: int, seed: int) -> list[Calibration]:
    """The natural courses against the figures they are fitted to: PACE's median time to recovery from
    acute back pain, and NICE's share still troubled by sciatica a year after it began."""
    from widgets.models.simulator import Model

    model = Model.from_content(content, world="documents")
    rows = []
    rng = np.random.default_rng([seed, 99])
    for nc in model.courses:
        if nc.world != "documents" or nc.recovery_median_weeks is None:
            continue
        times = nc.recovery_median_weeks * np.exp(nc.recovery_sigma * rng.standard_normal(patients))
        src = "; ".join(content.source_label(s) for s in nc.sources)
        if "pace_paracetamol_recovery" in nc.figures:
            rows.append(Calibration("acute back pain recovered by 17 days (the median)", src, 0.50,
                                    float((times <= 17 / 7).mean()), patients))
        elif "nice_sciatica_one_year" in nc.figures:
            rows.append(Calibration("sciatica not recovered a year after it began", src, 0.30,
                                    float((times > 52).mean()), patients))
    return rows


def _population(generators: list[str], weeks: int, pain: float = 6.0, odi: float = 40.0,
                mbb_relief: float | None = None):
    """A trial's population as a case: the hidden generator the trial enrolled for, how long the pain has lasted,
    and a typical baseline. Not one of the course's patients."""
    from widgets.content import schema as s

    return s.Case(id="trial_population", title="A trial population", summary="-",
                  presentation=s.Presentation(age=45, sex="female", history="-", where="-", spreads="-",
                                              worse_with="-", weeks=weeks),
                  exam=["-"], baseline=s.Baseline(pain=pain, function=odi), mbb_relief=mbb_relief,
                  truth=s.Truth(generators=generators, explanation="-"), sources=["REF"])


def trial_rows(content: Content, patients: int, seed: int) -> list[Calibration]:
    """The trials' world against the contrasts of reference sheet section 8: natural courses (8.1) and treatment
    against control (8.2), each simulated as its trial was run, arm against arm, on a population like the
    trial's. Differences in pain are on a 0-100 scale, divided by 100."""
    from widgets.content.schema import StrategyStep
    from widgets.models.simulator import Model, run

    model = Model.from_content(content, world="trials")
    mcid = model.value("mcid_pain_share")
    recovered = model.value("recovered_share")
    rows: list[Calibration] = []

    def arm(case, steps: list[str], m: Model = model, horizon: float = 52):
        st = [StrategyStep(treatment=x, only_if_not_improved=False) for x in steps]
        return run(m, case, st, n=patients, seed=seed, horizon=horizon)

    def share_at(cohort, week: float):
        return cohort.pain[:, int(week)] / cohort.baseline_pain

    def row(figure: str, refs: tuple[str, ...], published: float, simulated: float, tolerance: float) -> None:
        src = "; ".join(content.source_label(r) for r in ("REF",) + refs)
        rows.append(Calibration(figure, src, published, float(simulated), patients, "trials", tolerance))

    def pain_gap(control, treated, week: float, case) -> float:  # 0-100 scale / 100
        return float((share_at(control, week) - share_at(treated, week)).mean() * case.baseline.pain / 10)

    acute, persistent = _population(["muscle_spasm_strain"], 1), _population(["facet_arthropathy"], 12)
    none_acute, none_persistent = arm(acute, []), arm(persistent, [])
    for week, value in ((6, 23), (26, 12), (52, 6)):
        row(f"acute back pain, untreated course: mean pain at {week} weeks as a share of the start",
            ("menezes_costa2012",), value / 52, share_at(none_acute, week).mean(), 0.03)
    for week, value in ((6, 33), (26, 26), (52, 23)):
        row(f"persistent back pain, untreated course: mean pain at {week} weeks as a share of the start",
            ("menezes_costa2012",), value / 51, share_at(none_persistent, week).mean(), 0.03)
    row("acute back pain recovered at 12 months", ("henschke2008",), 0.72,
        (share_at(none_acute, 52) <= recovered).mean(), 0.05)
    sciatica = _population(["radicular_pain"], 4)
    row("back-related leg pain improved by 30% or more at 12 months", ("konstantinou2018",), 0.55,
        (share_at(arm(sciatica, []), 52) <= 1 - mcid).mean(), 0.03)

    exercise = arm(persistent, ["movement_exercise"])
    row("exercise against no treatment: pain difference at 13 weeks (0-100)", ("hayden2021",), 0.15,
        pain_gap(none_persistent, exercise, 13, persistent), 0.03)
    for tid, week, refs, target, tol, label in (
        ("nsaids", 2, ("enthoven2016",), 0.033, 0.02, "NSAIDs against placebo: pain difference while taken"),
        ("stronger_analgesics", 4, ("abdel_shaheed2016",), 0.101, 0.027,
         "opioids against placebo: pain difference while taken"),
    ):
        treated = arm(persistent, [tid])
        row(f"{label} (0-100)", refs, target, pain_gap(arm(persistent, [tid], model.with_sham(tid)), treated,
                                                        week, persistent), tol)
    facet = _population(["facet_arthropathy"], 26, mbb_relief=80)
    rf = arm(facet, ["radiofrequency_ablation", "movement_exercise"])
    rf_sham = arm(facet, ["radiofrequency_ablation", "movement_exercise"], model.with_sham("radiofrequency_ablation"))
    row("ablation plus exercise against exercise, facet pain (MINT): pain difference at 13 weeks (0-100)",
        ("juch2017",), 0.018, pain_gap(rf_sham, rf, 13, facet), 0.03)
    not_facet = _population(["myofascial_trigger_points"], 26)
    blocks = arm(not_facet, ["medial_branch_block"])
    row("single diagnostic facet blocks that are false positives (positive when the facets are not the source)",
        ("schwarzer1994",), 0.38, (blocks.block_relief[:, 0] >= 0.5).mean(), 0.03)
    leg = _population(["radicular_pain"], 4)
    esi = arm(leg, ["epidural_steroid_injection"])
    esi_sham = arm(leg, ["epidural_steroid_injection"], model.with_sham("epidural_steroid_injection"))
    row("epidural steroid against placebo, sciatica: leg pain difference at 6 weeks, small (0-100)",
        ("oliveira2020",), 0.05, pain_gap(esi_sham, esi, 6, leg), 0.05)
    row("pregabalin against placebo, sciatica: leg pain difference at 8 weeks (0-100; PRECISE: none)",
        ("mathieson2017",), 0.0, pain_gap(arm(leg, ["gabapentinoids"], model.with_sham("gabapentinoids")),
                                          arm(leg, ["gabapentinoids"]), 8, leg), 0.05)
    disc = _population(["herniated_disc"], 8)
    early = arm(disc, ["endoscopic_discectomy"])
    wait = arm(disc, ["wait", "wait", "wait"])  # prolonged conservative care: advice and review
    row("early surgery against prolonged conservative care for sciatica: difference in improved at 52 weeks",
        ("peul2007",), 0.0, (share_at(early, 52) <= 1 - mcid).mean() - (share_at(wait, 52) <= 1 - mcid).mean(),
        0.05)
    unstable = _population(["segmental_instability"], 104, odi=45.0)
    fusion, rehab = arm(unstable, ["spinal_fusion"]), arm(unstable, ["movement_exercise", "cbt"])
    row("fusion against intensive rehabilitation: ODI difference at 52 weeks (0-100; the trial reported 2 years)",
        ("fairbank2005",), 0.041, float((rehab.function[:, 52] - fusion.function[:, 52]).mean() / 100), 0.04)
    ligament = _population(["segmental_instability"], 52)
    prp, saline = arm(ligament, ["prp"]), arm(ligament, ["prp"], model.with_sham("prp"))
    row("PRP against saline: difference in improved at 52 weeks (trial: 48% against 36%, not significant)",
        ("intradiscal_prp_rct",), 0.06, (share_at(prp, 52) <= 1 - mcid).mean()
        - (share_at(saline, 52) <= 1 - mcid).mean(), 0.06)
    prolo, control = arm(ligament, ["prolotherapy"]), arm(ligament, ["prolotherapy"], model.with_sham("prolotherapy"))
    row("prolotherapy against a control injection: difference in more than half the pain relieved at 26 weeks",
        ("dagenais2007",), 0.0, (share_at(prolo, 26) <= 0.5).mean() - (share_at(control, 26) <= 0.5).mean(), 0.05)
    fracture = _population(["osteoporotic_compression_fracture"], 4)
    vp = arm(fracture, ["vertebroplasty_kyphoplasty"])
    vp_sham = arm(fracture, ["vertebroplasty_kyphoplasty"], model.with_sham("vertebroplasty_kyphoplasty"))
    row("vertebroplasty against a sham procedure: pain difference at 4 weeks (0-100)", ("buchbinder2018",), 0.0,
        pain_gap(vp_sham, vp, 4, fracture), 0.05)
    return rows


def calibrate(patients: int = DEFAULT_PATIENTS, seed: int = DEFAULT_SEED,
              content: Content | None = None) -> list[Calibration]:
    if patients < 100:
        raise ValueError(f"--patients must be at least 100, got {patients}")
    content = content or load_content()
    rng = np.random.default_rng(seed)
    out: list[Calibration] = []

    success = _values(content, "surgery_success")
    ops = repeat_surgery(patients, rng, success)
    src = _source(content, "surgery_success")
    for k, p in enumerate(success):
        operated = ops[:, k] >= 0
        n = int(operated.sum())
        rate = float(ops[operated, k].mean()) if n else float("nan")
        out.append(Calibration(f"success of a {ORDINALS[k]} operation", src, p, rate, n))

    means = _values(content, "prp_improvement")
    conc = _prp_concentration(content)
    sessions = rng.integers(1, len(means) + 1, size=patients)
    improvement = prp_improvement(sessions, rng, means, conc)
    src = _source(content, "prp_improvement")
    for k, m in enumerate(means, start=1):
        group = sessions == k
        word = "session" if k == 1 else "sessions"
        out.append(Calibration(f"overall improvement after {k} PRP {word}", src, m,
                               float(improvement[group].mean()), int(group.sum())))
    return out + _natural_rows(content, patients, seed) + trial_rows(content, patients, seed)


REPORT_WEEKS = (6, 12, 26, 52)


def compare(case_id: str, strategies: list[str], patients: int = 10_000, seed: int = DEFAULT_SEED,
            world: str = "trials", content: Content | None = None) -> dict:
    """Strategies side by side on patients like one case, in one world, as the compare command's JSON."""
    from widgets.content.cases import load_cases
    from widgets.models.simulator import STOP_NONE, Model, simulate_strategy

    if not 1 <= patients <= 100_000:
        raise ValueError(f"--patients must be between 1 and 100,000, got {patients}")
    if not strategies:
        raise ValueError("give at least one --strategy")
    content = content or load_content()
    model = Model.from_content(content, world=world)
    cases = load_cases(content)
    if case_id not in cases:
        raise ValueError(f"unknown case {case_id!r}; the cases are {', '.join(sorted(cases))}")
    case = cases[case_id]
    for sid in strategies:
        if sid not in model.strategies:
            raise ValueError(f"unknown strategy {sid!r}; the strategies are {', '.join(model.strategies)}")
    mcid = model.value("mcid_pain_share")
    out = []
    for sid in strategies:
        c = simulate_strategy(model, case, sid, patients, seed)
        col = {w: int(np.flatnonzero(c.grid == w)[0]) for w in (0,) + REPORT_WEEKS}
        ok = c.stop == STOP_NONE
        out.append({
            "id": sid,
            "improved": {str(w): round(float(((c.pain[:, col[w]] <= c.baseline_pain * (1 - mcid) + 1e-6) & ok)
                                              .mean()), 4) for w in REPORT_WEEKS},
            "mean_pain": {str(w): round(float(c.pain[:, col[w]].mean()), 3) for w in (0,) + REPORT_WEEKS},
            "operations_per_patient": round(float(c.surgeries.mean()), 4),
            "complications_per_patient": round(float(c.complication.sum(axis=1).mean()), 4),
        })
    return {"case": case_id, "world": world, "patients": patients, "seed": seed, "strategies": out}
