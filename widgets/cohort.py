"""Cohort model: many simulated patients at once, vectorised with NumPy (no Python loop per patient).
Every parameter comes from assets/simulation.yaml, with its source.

Usage: python -m widgets.cohort calibrate [--patients N] [--seed S] [--json]
Prints, for each published figure the model is built on, the source, the published value and the
simulated value.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass

import numpy as np

from .content import Content, ContentError, load_content

DEFAULT_PATIENTS = 20_000
DEFAULT_SEED = 2026
ORDINALS = ("first", "second", "third", "fourth")


@dataclass(frozen=True)
class Calibration:
    figure: str  # what the figure measures
    source: str  # document and study behind it
    published: float  # as a fraction
    simulated: float  # as a fraction
    n: int  # simulated patients the estimate rests on

    @property
    def gap_points(self) -> float:
        """Absolute difference in percentage points."""
        return abs(self.simulated - self.published) * 100


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
    from .simulator import Model

    model = Model.from_content(content)
    rows = []
    rng = np.random.default_rng([seed, 99])
    for nc in model.courses:
        if nc.recovery_median_weeks is None:
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
    return out + _natural_rows(content, patients, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m widgets.cohort", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    cal = sub.add_parser("calibrate", help="compare simulated values with the published figures")
    cal.add_argument("--patients", type=int, default=DEFAULT_PATIENTS, metavar="N")
    cal.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S")
    cal.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        rows = calibrate(args.patients, args.seed)
    except (ValueError, ContentError) as exc:
        print(f"python -m widgets.cohort calibrate: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([asdict(r) | {"gap_points": round(r.gap_points, 3)} for r in rows], indent=2))
        return 0
    print(f"{'figure':<42} {'published':>9} {'simulated':>9} {'gap (pp)':>8}  source")
    for r in rows:
        print(f"{r.figure:<42} {r.published:>9.1%} {r.simulated:>9.1%} {r.gap_points:>8.2f}  {r.source}")
    print(f"{args.patients} simulated patients, seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
