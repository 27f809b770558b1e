"""Case simulator: a pure model of what happens to a virtual patient, or to many at once.

One vectorised core (`run`) simulates n patients like one case through a list of steps; the
interactive player is the same core with n = 1, and the cohort view is the same core with n up to
100,000. Every number comes from assets/simulation.yaml, with its source; `Model.with_changes`
lets a lesson's sliders change the key assumptions without touching the files.

Two worlds (`Model.world`):
- "trials" (the default): each patient has their own natural course, fitted to the cohorts of the
  reference sheet (section 8.1), a non-specific response to any treatment, and for each treatment a
  chance of responding (higher when it fits the hidden generator, never certain) with relief that
  starts, lasts and fades as the trials report; calibrated against the contrasts of section 8.2.
- "documents": the documents' own claims held true: chronic pain never changes untreated, a fitting
  treatment gives the relief the clinics report (PRP 36-55%), operations succeed 50/30/15/5%.

Same case, same seed, same choices: same course. Each step draws from its own random stream
(seeded by the seed and the step's position), so adding a step never changes what came before.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from widgets.content import schema as s
from widgets.content.loader import Content, load_content
from widgets.models.ladder import MBB_THRESHOLD, advise

IMAGING, WAIT, ADVICE = "imaging", "wait", "advice"
WORLDS = s.WORLDS
STOP_NONE, STOP_REFERRED, STOP_MISSED = 0, 1, 2
BLOCK_POSITIVE = MBB_THRESHOLD / 100  # relief after a diagnostic block that counts as positive (S4; NHS policies)


# --- the model: parameters and effects from assets, with optional overrides -----------------------


@dataclass(frozen=True)
class Model:
    """Everything the simulator assumes, from assets/simulation.yaml (or changed by a slider)."""

    content: Content
    parameters: dict[str, s.Parameter]
    effects: dict[str, s.Effect]  # by effect id
    effect_of: dict[str, str]  # treatment id -> effect id
    courses: list[s.NaturalCourse]
    strategies: dict[str, s.Strategy]
    world: str = "trials"  # "trials" or "documents"

    @classmethod
    def from_content(cls, content: Content | None = None, world: str = "trials") -> Model:
        content = content or load_content()
        sim = content.simulation
        if sim is None or not sim.effects:
            raise ValueError("simulation.yaml: effects: the simulator needs at least one effect")
        _check_world(world)
        effects = {e.id: e for e in sim.effects}
        effect_of = {t: e.id for e in sim.effects for t in e.treatments}
        return cls(content, dict(content.parameters), effects, effect_of, list(sim.natural_course),
                   {st.id: st for st in sim.strategies}, world)

    def with_world(self, world: str) -> Model:
        """The same model in the other world: "trials" (what controlled trials found) or "documents" (the
        documents' claims held true)."""
        _check_world(world)
        return Model(self.content, self.parameters, self.effects, self.effect_of, self.courses, self.strategies,
                     world)

    def with_sham(self, treatment: str) -> Model:
        """The same model with a treatment's specific effect removed in the trials' world: what its placebo or
        sham arm gets (the non-specific response, nothing else). For the calibration's trial contrasts."""
        eff = self.effect(treatment)
        if eff.trials is None:
            raise ValueError(f"simulation.yaml: effects: {eff.id!r} has no trials' world to make a sham of")
        sham = eff.model_copy(update={"trials": eff.trials.model_copy(update={"response_fit": 0.0,
                                                                             "response_other": 0.0})})
        return Model(self.content, self.parameters, self.effects | {eff.id: sham}, self.effect_of, self.courses,
                     self.strategies, self.world)

    def value(self, pid: str, index: int = 0) -> float:
        if pid not in self.parameters:
            raise ValueError(f"simulation.yaml: parameters: {pid!r} is missing")
        return float(self.parameters[pid].values[index])

    def values(self, pid: str) -> list[float]:
        if pid not in self.parameters:
            raise ValueError(f"simulation.yaml: parameters: {pid!r} is missing")
        return [float(v) for v in self.parameters[pid].values]

    def effect(self, treatment: str) -> s.Effect:
        if treatment not in self.effect_of:
            raise ValueError(f"simulation.yaml: effects: no effect lists the treatment {treatment!r}")
        return self.effects[self.effect_of[treatment]]

    def with_changes(self, surgery_first: float | None = None, foundations_fit: float | None = None,
                     relief_duration: float | None = None) -> Model:
        """The key assumptions a lesson's sliders change, in the model's world:
        surgery_first: chance a first operation succeeds (documents' world: later ones keep their ratio to it;
          trials' world: the chance a fusion helps, with decompression scaled alike);
        foundations_fit: exercise and physiotherapy when they fit (documents' world: mean relief; trials' world:
          the chance of a response);
        relief_duration: multiplies how long injection and procedure relief lasts and fades."""
        params, effects = dict(self.parameters), dict(self.effects)
        trials = self.world == "trials"
        if surgery_first is not None:
            _check_share("surgery_first", surgery_first)
            if trials:
                ref = self.effect("spinal_fusion").trials
                scale = surgery_first / ref.response_fit if ref and ref.response_fit else 0.0
                for eid, e in effects.items():
                    if e.surgery and e.trials is not None:
                        te = e.trials.model_copy(update={"response_fit": min(1.0, e.trials.response_fit * scale)})
                        effects[eid] = e.model_copy(update={"trials": te})
            else:
                old = self.values("surgery_success")
                scale = surgery_first / old[0] if old[0] else 0.0
                params["surgery_success"] = params["surgery_success"].model_copy(
                    update={"values": [min(1.0, v * scale) for v in old]})
        if foundations_fit is not None:
            _check_share("foundations_fit", foundations_fit)
            eid = self.effect_of.get("physical_therapy")
            if eid and trials and effects[eid].trials is not None:
                te = effects[eid].trials.model_copy(update={"response_fit": foundations_fit})
                effects[eid] = effects[eid].model_copy(update={"trials": te})
            elif eid:
                effects[eid] = effects[eid].model_copy(update={"fit_relief": foundations_fit})
        if relief_duration is not None:
            if not 0.1 <= relief_duration <= 10:
                raise ValueError(f"relief_duration must be between 0.1 and 10 times, got {relief_duration:g}")
            for eid, e in effects.items():
                if e.invasive == 1 and not e.diagnostic:
                    upd = {"fade_weeks": e.fade_weeks * relief_duration}
                    if e.lasts_weeks is not None:
                        upd["lasts_weeks"] = e.lasts_weeks * relief_duration
                    if e.trials is not None:
                        tupd = {"fade_weeks": e.trials.fade_weeks * relief_duration}
                        if e.trials.lasts_weeks is not None:
                            tupd["lasts_weeks"] = e.trials.lasts_weeks * relief_duration
                        upd["trials"] = e.trials.model_copy(update=tupd)
                    effects[eid] = e.model_copy(update=upd)
        return Model(self.content, params, effects, self.effect_of, self.courses, self.strategies, self.world)

    def slider_defaults(self) -> tuple[float, float]:
        """The values the cohort view's two sliders start from in this world: first operation, exercise."""
        if self.world == "trials":
            return self.effect("spinal_fusion").trials.response_fit, self.effect("physical_therapy").trials.response_fit
        return self.values("surgery_success")[0], self.effect("physical_therapy").fit_relief


def _check_world(world: str) -> None:
    if world not in WORLDS:
        raise ValueError(f"world must be one of {', '.join(WORLDS)}, got {world!r}")


def _check_share(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value:g}")


def natural_course(model: Model, case: s.Case) -> s.NaturalCourse:
    """The natural course that applies to this case in the model's world: the first whose generators match the
    hidden ones and whose age limit the episode is under; otherwise the world's default (no generators)."""
    default = None
    for nc in (c for c in model.courses if c.world == model.world):
        if not nc.generators and nc.max_case_weeks is None:
            default = default or nc
            continue
        young = nc.max_case_weeks is None or case.presentation.weeks <= nc.max_case_weeks
        if young and (not nc.generators or set(nc.generators) & set(case.truth.generators)):
            return nc
    if default is None:
        raise ValueError("simulation.yaml: natural_course: a default course (no generators) is needed")
    return default


def fits(model: Model, case: s.Case, treatment: str) -> bool:
    """A treatment fits when the documents aim it at one of the case's hidden generators."""
    return bool(set(model.content.treatments[treatment].conditions) & set(case.truth.generators))


def failed_kinds(model: Model, case: s.Case) -> set[str]:
    """The kinds of treatment (effect ids) this patient's history says did not help, and none of that kind did: they
    help less now (prior_failure_factor)."""
    tried = [(model.effect_of[p.treatment], p.helped) for p in case.prior_treatments if p.treatment in model.effect_of]
    return {eid for eid, helped in tried if not helped} - {eid for eid, helped in tried if helped}


def expand(model: Model, case: s.Case, steps: list[s.StrategyStep]) -> list[s.StrategyStep]:
    """Replace an "advice" step by the decision engine's next steps for the case, in order."""

    out: list[s.StrategyStep] = []
    for step in steps:
        if step.treatment != ADVICE:
            out.append(step)
            continue
        advice = advise(case.findings, case.mbb_relief, case.prior_surgeries, content=model.content)
        # the engine's steps are one package (S4: trigger point injections never alone, always with
        # physiotherapy), so every patient gets all of them
        out += [s.StrategyStep(treatment=t, only_if_not_improved=False) for t in advice.next_steps]
    return out


# --- the vectorised core --------------------------------------------------------------------------


@dataclass
class Cohort:
    """n simulated patients like one case. Arrays are per patient (n) or per patient and step (n, k)."""

    case_id: str
    steps: list[str]  # treatment or action id of each step
    fit: list[bool]  # does each step fit the hidden generator
    grid: np.ndarray  # weeks at which pain and function are reported
    pain: np.ndarray  # (n, len(grid)) 0-10
    function: np.ndarray  # (n, len(grid)) ODI 0-100
    applied: np.ndarray  # (n, k) bool: the patient had this step
    start: np.ndarray  # (n, k) week the step began
    relief: np.ndarray  # (n, k) share of pain the step removed at its peak (0 if it failed)
    succeeded: np.ndarray  # (n, k) bool: a procedure that worked
    complication: np.ndarray  # (n, k) bool
    block_relief: np.ndarray  # (n, k) relief reported after a diagnostic block (nan otherwise)
    cost: np.ndarray  # (n,) cost units
    patient_days: np.ndarray  # (n,)
    end_week: np.ndarray  # (n,) week the last step ended
    stop: np.ndarray  # (n,) STOP_NONE, STOP_REFERRED or STOP_MISSED
    surgeries: np.ndarray  # (n,) operations in the simulation
    fbss: np.ndarray  # (n,) bool: an operation failed
    baseline_pain: float = 0.0
    baseline_function: float = 0.0

    @property
    def n(self) -> int:
        return int(self.pain.shape[0])


def _shape(t: np.ndarray | float, start, weeks, lasts, fade) -> np.ndarray:
    """How much of a step's relief is felt at time t: rises over the course, holds `lasts` weeks after
    it ends (forever if lasts is None), then halves every `fade` weeks."""
    t = np.asarray(t, dtype=np.float64)
    end = start + weeks
    rise = np.clip((t - start) / max(weeks, 1e-9) if weeks else (t >= start), 0.0, 1.0)
    if lasts is None:
        return rise
    after = np.maximum(t - end - lasts, 0.0)
    return rise * np.exp2(-after / fade)


def _natural(t: np.ndarray, recovery: np.ndarray, residual: float) -> np.ndarray:
    """Share of the baseline pain left with no treatment at time t, for patients who recover at `recovery`
    weeks: it falls in a straight line to `residual`, then stays there."""
    return residual + (1 - residual) * np.clip(1 - t / recovery, 0.0, 1.0)


@dataclass(frozen=True)
class Natural:
    """One world's natural course for n patients: `share(t)` is the share of baseline pain left untreated."""

    recovery: np.ndarray | None = None  # documents' world: weeks to recovery (None: never)
    residual: float = 1.0
    floor: np.ndarray | None = None  # trials' world: each patient's floor and time constant
    tau: np.ndarray | None = None

    def share(self, t: np.ndarray | float, n: int) -> np.ndarray:
        if self.floor is not None:
            return self.floor + (1 - self.floor) * np.exp(-np.asarray(t, dtype=np.float64) / self.tau)
        if self.recovery is not None:
            return _natural(t, self.recovery, self.residual)
        return np.ones(n)


def _natural_for(nc: s.NaturalCourse, world: str, rng: np.random.Generator, n: int) -> Natural:
    if world == "trials":
        floor = _beta(rng, nc.floor_mean, nc.floor_concentration, n)
        tau = nc.tau_median_weeks * np.exp(nc.tau_sigma * rng.standard_normal(n))
        return Natural(floor=floor, tau=tau)
    if nc.recovery_median_weeks is None:
        return Natural(residual=nc.residual)
    return Natural(nc.recovery_median_weeks * np.exp(nc.recovery_sigma * rng.standard_normal(n)), nc.residual)


def _grid_share(grid: np.ndarray, natural: Natural, n: int, start: np.ndarray, relief: np.ndarray,
                timing: list) -> np.ndarray:
    """Share of baseline pain felt by each patient at each grid week, as an (n, len(grid)) float32 array.
    Written for speed (in-place float32, one shape row per distinct start week): the cohort view calls it
    for 100,000 patients every time a slider moves."""
    g = grid.astype(np.float32)
    recovery, residual = natural.recovery, natural.residual
    if natural.floor is not None:
        share = np.empty((n, g.size), dtype=np.float32)
        np.divide(-g[None, :], natural.tau.astype(np.float32)[:, None], out=share)
        np.exp(share, out=share)
        floor = natural.floor.astype(np.float32)[:, None]
        share *= 1 - floor
        share += floor
    elif recovery is None:
        share = np.ones((n, g.size), dtype=np.float32)
    else:
        share = np.empty((n, g.size), dtype=np.float32)
        np.divide(g[None, :], recovery.astype(np.float32)[:, None], out=share)
        np.subtract(1, share, out=share)
        np.clip(share, 0, 1, out=share)
        share *= np.float32(1 - residual)
        share += np.float32(residual)
    tmp = np.empty_like(share)
    for j, (weeks, lasts, fade) in enumerate(timing):
        r = relief[:, j]
        if not r.any():
            continue
        starts, which = _distinct(start[:, j], [w for w, _, _ in timing[:j]])
        rows = _shape(grid[None, :], starts[:, None], weeks, lasts, fade).astype(np.float32)
        if starts.size == 1:  # everyone started this step at the same week (a first step, the first care)
            tmp[:] = rows[0]
            tmp *= -r.astype(np.float32)[:, None]
            tmp += 1
            share *= tmp
            continue
        who = np.flatnonzero(r)
        if who.size < n // 3:  # few responders (the trials' world): touch only their rows
            share[who] *= 1 - r[who].astype(np.float32)[:, None] * rows[which.ravel()[who]]
            continue
        np.take(rows, which.ravel(), axis=0, out=tmp)
        tmp *= -r.astype(np.float32)[:, None]
        tmp += 1
        share *= tmp
    return share


def _distinct(values: np.ndarray, earlier_weeks: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True) without sorting 100,000 numbers: a start week is always a
    sum of a subset of the earlier steps' lengths, so look values up among those sums."""
    if len(earlier_weeks) > 10:
        return np.unique(values, return_inverse=True)
    sums = np.zeros(1)
    for w in earlier_weeks:
        sums = np.concatenate([sums, sums + w])
    sums = np.unique(np.round(sums, 9))
    which = np.clip(np.searchsorted(sums, values - 1e-6), 0, sums.size - 1)
    if np.abs(sums[which] - values).max(initial=0.0) > 1e-6:
        return np.unique(values, return_inverse=True)
    return sums, which


QUANTILES = 4097  # points of each beta distribution's quantile table
TABLE_FROM = 50_000  # draws at least this many from a table; fewer straight from NumPy (a table costs ~30 ms once)


@functools.lru_cache(maxsize=256)
def _beta_table(mean: float, concentration: float) -> np.ndarray:
    """The quantile function of a beta distribution, tabulated once from a large fixed sample (deterministic):
    drawing by inverse transform from it costs a uniform draw, about a tenth of NumPy's beta sampler."""
    sample = np.random.default_rng(20_260_101).beta(mean * concentration, (1 - mean) * concentration, 400_000)
    return np.quantile(sample, np.linspace(0, 1, QUANTILES))


def _beta(rng: np.random.Generator, mean: float, concentration: float, n: int) -> np.ndarray:
    """n draws from a beta distribution with this mean and concentration (a + b)."""
    if mean <= 0:
        return np.zeros(n)
    if mean >= 1:
        return np.ones(n)
    if n < TABLE_FROM:  # a lesson's kernel: building the table would cost more than it saves
        return rng.beta(mean * concentration, (1 - mean) * concentration, size=n)
    table = _beta_table(round(float(mean), 9), round(float(concentration), 9))
    pos = rng.random(n) * (QUANTILES - 1)
    i = pos.astype(np.int64)
    np.minimum(i, QUANTILES - 2, out=i)
    lo = table[i]
    return lo + (pos - i) * (table[i + 1] - lo)


def run(model: Model, case: s.Case, steps: list[s.StrategyStep], n: int = 1, seed: int = 0,
        horizon: float | None = None, grid_step: float = 1.0, grid: np.ndarray | None = None) -> Cohort:
    """Simulate n patients like `case` through `steps` (already expanded: no "advice"), in the model's world,
    reported every `grid_step` weeks up to `horizon`, or at the weeks in `grid`."""
    if not 1 <= n <= 1_000_000:
        raise ValueError(f"the number of patients must be between 1 and 1,000,000, got {n}")
    k = len(steps)
    trials = model.world == "trials"
    base_pain, base_fn = case.baseline.pain, case.baseline.function
    mcid = model.value("mcid_pain_share")
    link = model.value("function_pain_link")
    success_by_op = model.values("surgery_success")
    visit_cost, _, visit_days = model.values("visit")
    img_cost, img_weeks, img_days = model.values("imaging")
    wait_weeks = model.value("wait_weeks")
    failure_factor = model.value("prior_failure_factor")
    red_flags = bool(case.red_flags)
    failed = failed_kinds(model, case)

    nc = natural_course(model, case)
    natural = _natural_for(nc, model.world, np.random.default_rng([seed, 0]), n)

    t = np.zeros(n)
    stop = np.zeros(n, dtype=np.int8)
    # per step and patient, stored one row per step so that a step's column is contiguous, and shown as (n, k)
    applied = np.zeros((k, n), dtype=bool).T
    # one column per step, and a last one for the non-specific response (the trials' world)
    start_all = np.zeros((k + 1, n)).T
    relief_all = np.zeros((k + 1, n)).T
    start, relief = start_all[:, :k], relief_all[:, :k]
    ns_start, ns_relief = start_all[:, k], relief_all[:, k]
    succeeded = np.zeros((k, n), dtype=bool).T
    complication = np.zeros((k, n), dtype=bool).T
    block_relief = np.full((k, n), np.nan).T
    cost = np.zeros(n)
    days = np.zeros(n)
    ops = np.full(n, case.prior_surgeries, dtype=np.int64)
    surgeries = np.zeros(n, dtype=np.int64)
    fbss = np.zeros(n, dtype=bool)
    # a block already done (the case's mbb_relief) counts towards radiofrequency ablation's success
    prior_block = case.mbb_relief is not None and case.mbb_relief >= BLOCK_POSITIVE * 100
    positive_blocks = np.full(n, int(prior_block), dtype=np.int64)
    sessions: dict[str, np.ndarray] = {}
    timing: list[tuple[float, float | None, float]] = []  # weeks, lasts, fade of each step
    fit_list: list[bool] = []
    # the trials' world: a non-specific response to the first care, whatever it is (Artus 2014), drawn in the
    # stream of the step that brings it
    contacted = np.zeros(n, dtype=bool)
    ns_mean = model.value("nonspecific_relief") if trials else 0.0

    def first_care(rng: np.random.Generator, active: np.ndarray) -> None:
        first = active & ~contacted
        if ns_mean and first.any():
            ns_start[first] = t[first]
            ns_relief[first] = _beta(rng, ns_mean, 4.0, int(first.sum()))
        contacted[:] |= active

    def pain_share(at: np.ndarray) -> np.ndarray:
        share = natural.share(at, n)
        for j in range(len(timing)):
            if relief[:, j].any():
                w, lasts, fade = timing[j]
                share = share * (1 - relief[:, j] * _shape(at, start[:, j], w, lasts, fade))
        if ns_mean:
            share = share * (1 - ns_relief * _shape(at, ns_start, 1.0, None, 1.0))
        return share

    for j, step in enumerate(steps):
        rng = np.random.default_rng([seed, j + 1])
        tid = step.treatment
        active = stop == STOP_NONE
        if step.only_if_not_improved:
            active &= pain_share(t) > 1 - mcid
        applied[:, j] = active
        start[:, j] = t
        if tid in (IMAGING, WAIT):
            weeks = img_weeks if tid == IMAGING else wait_weeks
            timing.append((weeks, 0.0, 1.0))
            fit_list.append(False)
            if tid == WAIT:  # advice and review is care too: it brings the non-specific response
                first_care(rng, active)
            cost += active * (img_cost if tid == IMAGING else visit_cost)
            days += active * (img_days if tid == IMAGING else visit_days)
            if red_flags:
                stop[active] = STOP_MISSED
            t = t + active * weeks
            continue
        if tid not in model.content.treatments:
            raise ValueError(f"unknown treatment {tid!r}")
        eff = model.effect(tid)
        te = eff.trials if trials else None
        fit = fits(model, case, tid)
        fit_list.append(fit)
        timing.append((eff.weeks, te.lasts_weeks, te.fade_weeks) if te else (eff.weeks, eff.lasts_weeks,
                                                                               eff.fade_weeks))
        cost += active * (eff.cost + visit_cost)
        days += active * (eff.patient_days + visit_days)
        u_success, u_comp = rng.random(n), rng.random(n)
        factor = failure_factor if eff.id in failed else 1.0

        if eff.referral:
            if fit:
                stop[active] = STOP_REFERRED
            elif red_flags:  # the wrong pathway for this flag: counted as a miss
                stop[active] = STOP_MISSED
            t = t + active * eff.weeks
            continue
        if red_flags:
            stop[active] = STOP_MISSED

        if not eff.diagnostic:  # the first care brings the non-specific response (trials' world)
            first_care(rng, active)

        if te is not None:
            ok, r = _trial_step(rng, te, eff, fit, factor, active, u_success, ops, model, n)
        else:
            ok, r = _documents_step(rng, eff, fit, factor, active, u_success, ops, success_by_op,
                                    positive_blocks, sessions, model, n)
        if eff.surgery:
            ops += active
            surgeries += active
            fbss |= active & ~ok
        if eff.diagnostic:
            if case.mbb_relief is not None:
                reported = np.full(n, case.mbb_relief / 100)
            elif te is not None:  # a positive block reports at least half the pain gone, a negative one less
                reported = np.where(ok, 0.5 + 0.5 * _beta(rng, 0.5, 6.0, n), 0.5 * _beta(rng, 0.4, 6.0, n))
            else:
                reported = r
            block_relief[active, j] = reported[active]
            positive_blocks += active & (reported >= BLOCK_POSITIVE)
            r = np.zeros(n)
        succeeded[:, j] = active & ok
        relief[:, j] = np.where(active & ok, r, 0.0)
        complication[:, j] = active & (u_comp < eff.complication)
        t = t + active * eff.weeks

    end = t
    if horizon is None:
        horizon = float(end.max()) + model.value("follow_up_weeks")
    if grid is None:
        grid = np.arange(0.0, horizon + 1e-9, grid_step)
    # the non-specific response joins the steps as one more lasting component (the last column)
    share = _grid_share(grid, natural, n, start_all, relief_all, timing + [(1.0, None, 1.0)])
    stopped = stop != STOP_NONE  # after a referral or a missed flag the simulated course stops changing
    if stopped.any():
        frozen = np.clip(np.searchsorted(grid, end[stopped], side="right") - 1, 0, grid.size - 1)
        held = share[stopped, frozen]
        share[stopped] = np.where(grid[None, :] > end[stopped, None], held[:, None], share[stopped])
    # failed back surgery syndrome: an operation failed and the pain is still there at the end
    fbss &= share[:, -1] > 1 - mcid
    pain = share * np.float32(base_pain)
    function = (1 - link * (1 - share)) * np.float32(base_fn)
    return Cohort(case.id, [st.treatment for st in steps], fit_list, grid, pain, function, applied, start,
                  relief, succeeded, complication, block_relief, cost, days, end, stop, surgeries, fbss,
                  base_pain, base_fn)


def _trial_step(rng, te: s.TrialEffect, eff: s.Effect, fit: bool, factor: float, active: np.ndarray,
                u_success: np.ndarray, ops: np.ndarray, model: Model, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The trials' world: a chance of responding (higher when the treatment fits, lower after a failed course of
    the same kind), and relief drawn for those who respond. An operation after an earlier one succeeds at most as
    often as Waddell's second operations did."""
    p = te.response_fit if fit else te.response_other
    if eff.surgery and fit:
        p = np.where(ops > 0, min(p, model.value("later_operation_success")), p)
    ok = u_success < p * factor
    r = np.zeros(n)
    who = active & ok  # relief is drawn only for those who respond
    r[who] = _beta(rng, te.relief, te.concentration, int(who.sum()))
    return ok, r


def _documents_step(rng, eff: s.Effect, fit: bool, factor: float, active: np.ndarray, u_success: np.ndarray,
                    ops: np.ndarray, success_by_op: list[float], positive_blocks: np.ndarray,
                    sessions: dict[str, np.ndarray], model: Model, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The documents' world: a fitting treatment gives the relief the documents report (PRP by session from the
    clinic's series), operations succeed by S2's figures, ablation by the number of positive blocks."""
    if eff.session_parameter and fit:
        # the c-th course adds what takes the combined mean relief from the (c-1)-th figure to the
        # c-th; beyond the last reported course no further gain is assumed
        means = model.values(eff.session_parameter)
        gains = [1 - (1 - m) / (1 - (means[c - 1] if c else 0.0)) for c, m in enumerate(means)] + [0.0]
        count = sessions.setdefault(eff.id, np.zeros(n, dtype=np.int64))
        r = np.zeros(n)
        for c, gain in enumerate(gains):
            who = active & (np.minimum(count, len(gains) - 1) == c)
            if who.any():
                r[who] = _beta(rng, gain, eff.concentration, int(who.sum()))
        count += active
    else:
        r = np.zeros(n)
        r[active] = _beta(rng, eff.fit_relief if fit else eff.other_relief, eff.concentration, int(active.sum()))
    r *= factor
    if eff.surgery:
        p = np.asarray(success_by_op)[np.minimum(ops, len(success_by_op) - 1)] if fit else np.zeros(n)
        ok = u_success < p
    elif eff.success_by_blocks:
        p = np.asarray(eff.success_by_blocks)[np.minimum(positive_blocks, len(eff.success_by_blocks) - 1)]
        ok = u_success < (p if fit else 1.0)
    else:
        ok = u_success < (eff.success if fit else 1.0)
    return ok, r


# --- cohort summaries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    label: str
    n: int
    grid: list[float]
    mean_pain: list[float]
    p10_pain: list[float]
    p90_pain: list[float]
    improved: float  # share with pain down by the MCID at the end of the horizon
    surgeries: float  # operations per patient
    fbss: float  # share with a failed operation
    complications: float  # per patient
    cost: float  # mean cost units
    cost_p90: float
    missed: float  # share with a red flag missed
    referred: float


def summarise(model: Model, cohort: Cohort, label: str) -> Summary:
    mcid = model.value("mcid_pain_share")
    final = cohort.pain[:, -1]
    improved = final <= cohort.baseline_pain * (1 - mcid) + 1e-6
    improved &= cohort.stop == STOP_NONE
    # the 10th-90th percentile band is estimated from the first 10,000 patients (already a random sample):
    # sorting 100,000 rows for every slider move would cost more than the whole simulation
    pct = np.percentile(cohort.pain[:10_000], [10, 90], axis=0)
    return Summary(
        label, cohort.n, [float(x) for x in cohort.grid],
        [round(float(x), 3) for x in cohort.pain.mean(axis=0)],
        [round(float(x), 3) for x in pct[0]], [round(float(x), 3) for x in pct[1]],
        float(improved.mean()), float(cohort.surgeries.mean()), float(cohort.fbss.mean()),
        float(cohort.complication.sum(axis=1).mean()), float(cohort.cost.mean()),
        float(np.percentile(cohort.cost, 90)), float((cohort.stop == STOP_MISSED).mean()),
        float((cohort.stop == STOP_REFERRED).mean()))


def strategy_steps(model: Model, case: s.Case, strategy_id: str) -> list[s.StrategyStep]:
    if strategy_id not in model.strategies:
        raise ValueError(f"unknown strategy {strategy_id!r}; simulation.yaml lists {sorted(model.strategies)}")
    return expand(model, case, model.strategies[strategy_id].steps)


COHORT_WEEKS = (0, 2, 4, 6, 8, 10, 12, 16, 20, 26, 32, 39, 45, 52)  # the weeks the cohort view and compare report


def simulate_strategy(model: Model, case: s.Case, strategy_id: str, n: int, seed: int = 2026) -> Cohort:
    """n patients like `case` through a strategy, reported at COHORT_WEEKS (every two weeks early on, when most
    changes, then more sparsely: the cohort view redraws 100,000 patients each time a slider moves)."""
    steps = strategy_steps(model, case, strategy_id)
    horizon = model.value("horizon_weeks")
    grid = np.array([w for w in COHORT_WEEKS if w <= horizon] + ([horizon] if horizon not in COHORT_WEEKS else []),
                    dtype=float)
    return run(model, case, steps, n=n, seed=seed, grid=grid)


# --- one patient, step by step ----------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    week: float
    text: str


@dataclass
class Course:
    """What happened to one simulated patient, as the learner sees it."""

    case: s.Case
    choices: list[str]
    weeks: list[float]
    pain: list[float]
    function: list[float]
    events: list[Event]
    examined: bool
    imaged: bool
    finished: bool
    outcome: str  # "ongoing", "referred", "missed_red_flag" or "finished"
    cost: float
    patient_days: float
    weeks_elapsed: float
    procedures: list[str]
    complications: list[str]
    surgeries: int
    fbss: bool
    block_relief: list[float] = field(default_factory=list)
    seed: int = 0

    @property
    def treatments(self) -> list[str]:
        return [c for c in self.choices if c not in ("examine", "finish")]


def _label(model: Model, tid: str) -> str:
    if tid == IMAGING:
        return "Imaging"
    if tid == WAIT:
        return "Advice and review later"
    return model.content.treatments[tid].name


def play(model: Model, case: s.Case, choices: list[str], seed: int = 0) -> Course:
    """The course of one patient given the learner's choices so far: "examine", "imaging", "wait",
    treatment ids, and "finish" (follow up and end). Same case, seed and choices: same course."""
    known = set(model.content.treatments) | {"examine", "finish", IMAGING, WAIT}
    for c in choices:
        if c not in known:
            raise ValueError(f"unknown choice {c!r}")
    finished = "finish" in choices
    plan = [c for c in choices if c not in ("examine", "finish")]
    steps = [s.StrategyStep(treatment=c, only_if_not_improved=False) for c in plan]
    cohort = run(model, case, steps, n=1, seed=seed)
    end = float(cohort.end_week[0])
    stop = int(cohort.stop[0])
    # after "finish" the patient is followed up; a referral or a missed red flag ends the story at once
    shown_until = end + model.value("follow_up_weeks") if finished and not stop else end
    keep = cohort.grid <= shown_until + 1e-9
    weeks = [float(w) for w in cohort.grid[keep]]
    pain = [round(float(p), 1) for p in cohort.pain[0, keep]]
    function = [round(float(f)) for f in cohort.function[0, keep]]

    events: list[Event] = []
    procedures: list[str] = []
    complications: list[str] = []
    blocks: list[float] = []
    for j, tid in enumerate(cohort.steps):
        wk = float(cohort.start[0, j])
        name = _label(model, tid)
        if tid == IMAGING:
            events.append(Event(wk, "Imaging requested; the reports are below."))
            continue
        if tid == WAIT:
            events.append(Event(wk, "Advice to stay active, and a review in a few weeks."))
            continue
        eff = model.effect(tid)
        if eff.invasive:
            procedures.append(name)
        text = f"{name} ({model.content.treatments[tid].rung.replace('_', ' ')} rung)."
        if eff.surgery:
            text += " The operation succeeded." if cohort.succeeded[0, j] else " The operation did not succeed."
        elif eff.diagnostic:
            b = float(cohort.block_relief[0, j]) * 100
            blocks.append(b)
            text += f" Relief in the hours after the block: {b:.0f}% " + (
                "(positive: 50% or more)." if b >= BLOCK_POSITIVE * 100 else "(negative: under 50%).")
        if cohort.complication[0, j]:
            complications.append(f"{name}: {eff.complication_text}")
            text += f" Complication: {eff.complication_text}."
        events.append(Event(wk, text))
    outcome = "ongoing"
    if stop == STOP_REFERRED:
        outcome = "referred"
        events.append(Event(end, "Referred: the patient is now in the care of the emergency or urgent team."))
    elif stop == STOP_MISSED:
        outcome = "missed_red_flag"
        events.append(Event(end, "A red flag was missed: the patient needed urgent assessment, not this "
                                 "treatment. The simulation stops here."))
    elif finished:
        outcome = "finished"
        events.append(Event(shown_until, "Follow-up visit: the course ends here." + (
            " The pain persists after a failed operation: failed back surgery syndrome." if cohort.fbss[0] else "")))
    return Course(case, list(choices), weeks, pain, function, events, "examine" in choices,
                  IMAGING in plan, finished or bool(stop), outcome, float(cohort.cost[0]),
                  float(cohort.patient_days[0]), shown_until, procedures, complications,
                  int(cohort.surgeries[0]), bool(cohort.fbss[0]), blocks, seed)


def rung_treatments(content: Content, rung: str) -> list[tuple[str, str]]:
    """The treatments on one rung of the ladder as (name, id), in the content's order: the case player's menu."""
    return [(t.name, t.id) for t in content.treatments.values() if t.rung == rung]
