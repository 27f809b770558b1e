"""The local anaesthetic dose check: drug, concentration and volume give the dose in mg, checked against each
limit in assets/dosing.yaml (lidocaine and bupivacaine, plain and with adrenaline, per kg and absolute, with
the same drug given in the last 4 hours counted), against trigger point practice, and with the 20% lipid
emulsion dose for the weight. A limit in mg/kg needs the weight: without one the check will not call a dose
safe. Pure: no widgets here. Teaching material, not a prescription.

On the command line: `lowback dose --drug {lidocaine,bupivacaine} --percent P --ml V [--adrenaline]
[--weight KG] [--earlier-mg MG] [--points N] [--json]`. Exit status 0 with a verdict (within, over or
cannot_judge); 2 for input that cannot be a dose (one line on stderr); 1 if the course content does not load.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from widgets.content.loader import Content
from widgets.content.numbers import number

MG_PER_ML_PER_PERCENT = 10  # a 1% solution holds 1 g per 100 mL, i.e. 10 mg per mL
MAX_WEIGHT_KG = 400
VERDICTS = ("within", "over", "cannot_judge")


@dataclass(frozen=True)
class Check:
    limit: str  # which limit, e.g. "per kg in any 4 hours, plain"
    figure: str  # the limit as a figure, e.g. "2 mg/kg x 60 kg = 120 mg", or "2 mg/kg (needs the weight)"
    limit_mg: float | None  # None: a per-kg limit with no weight given
    amount_mg: float  # the amount compared: this dose, or this dose plus the same drug in the last 4 hours
    within: bool | None  # None: cannot be judged (no weight)
    source: str


@dataclass(frozen=True)
class Lipid:
    """20% lipid emulsion for local anaesthetic toxicity, for the weight entered (ASRA 2020)."""

    bolus: str
    infusion: str
    ceiling: str
    unstable: str
    source: str


@dataclass
class DoseResult:
    drug: str
    drug_id: str
    percent: float
    ml: float
    adrenaline: bool
    weight_kg: float | None
    earlier_mg: float
    dose_mg: float
    mg_per_ml: float
    checks: list[Check] = field(default_factory=list)
    verdict: str = "within"  # within, over or cannot_judge
    reason: str = ""  # the verdict in a sentence
    points: int = 1
    ml_per_point: float = 0.0
    practice: str = ""  # how the volume compares with trigger point practice
    far_above_practice: bool = False
    lipid: Lipid | None = None
    note: str = ""

    @property
    def within_all(self) -> bool:
        return self.verdict == "within"

    def to_json(self) -> dict:
        out = asdict(self)
        out["limits"] = out.pop("checks")
        return out


def _number(value: float | None, what: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{what}: {value} is not a number")
    return value


class DoseModel:
    def __init__(self, content: Content):
        if content.dosing is None:
            raise ValueError("the dosing content did not load")
        self.dosing = content.dosing
        self.drugs = {d.id: d for d in content.dosing.drugs}
        self._label = content.source_label

    def options(self) -> list[tuple[str, str]]:
        return [(d.name, d.id) for d in self.dosing.drugs]

    def sources(self, ids) -> str:
        return "; ".join(self._label(s) for s in ids)

    def validate(self, drug: str, percent: float | None, ml: float | None, weight_kg: float | None,
                 earlier_mg: float | None, points: int | None) -> None:
        """Raise ValueError, naming the control, for input that cannot be a dose."""
        if drug not in self.drugs:
            raise ValueError(f"Drug: unknown drug {drug!r}; choose one of {', '.join(self.drugs)}")
        if percent is None or ml is None:
            raise ValueError("Concentration and Volume: both are needed")
        for value, what in ((percent, "Concentration"), (ml, "Volume"), (weight_kg, "Weight"),
                            (earlier_mg, "Same drug in the last 4 hours")):
            _number(value, what)
        if not 0 <= percent <= 100:
            raise ValueError(f"Concentration: {number(percent)}% is impossible; a solution is 0 to 100%")
        if ml < 0:
            raise ValueError(f"Volume: {number(ml)} mL is negative; a volume is 0 mL or more")
        if earlier_mg is None or earlier_mg < 0:
            raise ValueError("Same drug in the last 4 hours: enter 0 mg or more")
        if weight_kg is not None and not 0 < weight_kg <= MAX_WEIGHT_KG:
            raise ValueError(f"Weight: {number(weight_kg)} kg is not a body weight "
                             f"(over 0, at most {MAX_WEIGHT_KG} kg)")
        if points is not None and points < 1:
            raise ValueError(f"Trigger points: {points} is not a number of points; give 1 or more")

    @staticmethod
    def read_number(what: str, text: object, empty: float | None = None) -> float:
        """The number typed into the field WHAT. An empty field gives EMPTY, or, when the field needs a number,
        a ValueError that says so (a field that quietly went back to its old value would hide the mistake)."""
        typed = str(text).strip()
        if not typed:
            if empty is None:
                raise ValueError(f"{what}: the field is empty; type a number")
            return empty
        if "," in typed:  # "1,000" could be a thousand or one: a dose check must not guess
            raise ValueError(f"{what}: {typed[:20]!r} has a comma; write decimals with a point (8.5) and no "
                             "thousands separator (1000)")
        try:
            value = float(typed)
        except ValueError:
            raise ValueError(f"{what}: {typed[:20]!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{what}: {typed[:20]!r} is not a number")
        return value

    def calculate(
        self,
        drug: str,
        concentration_pct: float,
        volume_ml: float,
        with_adrenaline: bool = False,
        earlier_mg: float = 0.0,
        weight_kg: float | None = None,
        points: int = 1,
    ) -> DoseResult:
        """The dose, each limit, the verdict, the comparison with trigger point practice and the lipid dose.
        EARLIER_MG is the same drug given in the last 4 hours; it counts against every limit but a single dose."""
        self.validate(drug, concentration_pct, volume_ml, weight_kg, earlier_mg, points)
        d = self.drugs[drug]
        mg_per_ml = concentration_pct * MG_PER_ML_PER_PERCENT
        dose = round(mg_per_ml * volume_ml, 3)
        kind = "with adrenaline" if with_adrenaline else "plain"
        out = DoseResult(drug=d.name, drug_id=d.id, percent=concentration_pct, ml=volume_ml,
                         adrenaline=with_adrenaline, weight_kg=weight_kg, earlier_mg=earlier_mg, dose_mg=dose,
                         mg_per_ml=mg_per_ml, points=points, note=d.note)
        for lim in d.limits:
            per = lim.with_adrenaline if with_adrenaline else lim.plain
            amount = round(dose + (earlier_mg if lim.counts_earlier else 0.0), 3)
            label, src = f"{lim.label}, {kind}", self.sources(lim.sources)
            if not lim.per_kg:
                out.checks.append(Check(label, f"{number(per)} mg", per, amount, amount <= per, src))
            elif weight_kg is None:
                out.checks.append(Check(label, f"{number(per)} mg/kg (needs the weight)", None, amount, None, src))
            else:
                limit_mg = round(per * weight_kg, 3)
                figure = f"{number(per)} mg/kg x {number(weight_kg)} kg = {number(limit_mg)} mg"
                out.checks.append(Check(label, figure, limit_mg,
                                        amount, amount <= limit_mg, src))
        self._verdict(out)
        self._practice(out)
        out.lipid = self.lipid(weight_kg)
        return out

    def _verdict(self, r: DoseResult) -> None:
        over = [c for c in r.checks if c.within is False]
        unknown = [c for c in r.checks if c.within is None]
        earlier = f" with the {number(r.earlier_mg)} mg given in the last 4 hours" if r.earlier_mg else ""
        if over:
            r.verdict = "over"
            r.reason = (f"{number(r.dose_mg)} mg{earlier} is over the limit: " + "; ".join(
                f"{c.limit} ({c.figure})" for c in over) + ". This dose should not be given.")
            if unknown:
                r.reason += " A weight is also needed for the per-kg limit."
        elif unknown:
            r.verdict = "cannot_judge"
            r.reason = (f"Cannot judge without the patient's weight: the limit of {unknown[0].figure.split(' (')[0]} "
                        f"({unknown[0].limit}) depends on it, and in lighter patients it is the one that binds first. "
                        "Enter the weight.")
        else:
            r.verdict = "within"
            r.reason = f"{number(r.dose_mg)} mg{earlier} is within every limit for this weight."

    def _practice(self, r: DoseResult) -> None:
        tp = self.dosing.trigger_point_practice
        r.ml_per_point = round(r.ml / r.points, 3)
        far = tp.ml_per_point * tp.far_above_factor
        src = self.sources(tp.sources)
        per = f"{number(r.ml_per_point)} mL per point over {r.points} point{'s' if r.points != 1 else ''}"
        if r.ml_per_point > far:
            r.far_above_practice = True
            r.practice = (f"{per}: far above trigger point practice, about {number(tp.ml_per_point)} mL per point "
                          f"[{src}], even if the milligrams are within the limit. Check the plan before injecting.")
        else:
            r.practice = (f"{per}: in the range of trigger point practice, about {number(tp.ml_per_point)} mL "
                          "per point "
                          f"[{src}].")

    def lipid(self, weight_kg: float | None) -> Lipid:
        lp = self.dosing.lipid
        src = self.sources(lp.sources)
        if weight_kg is None:
            return Lipid(
                f"over {number(lp.heavy_over_kg)} kg, {number(lp.heavy_bolus_ml)} mL over 2-3 minutes; "
                f"at {number(lp.heavy_over_kg)} kg or less, {number(lp.bolus_ml_per_kg)} mL/kg of lean body weight "
                "over 2-3 minutes (enter the weight to work it out).",
                f"over {number(lp.heavy_over_kg)} kg, {lp.heavy_infusion}; otherwise "
                f"{number(lp.infusion_ml_per_kg_min)} mL/kg/min.",
                f"About {number(lp.ceiling_ml_per_kg)} mL/kg in all.", lp.unstable, src)
        ceiling = (f"About {number(lp.ceiling_ml_per_kg)} mL/kg in all: {lp.ceiling_ml_per_kg * weight_kg:.0f} mL at "
                   f"{number(weight_kg)} kg.")
        if weight_kg > lp.heavy_over_kg:
            return Lipid(f"{number(lp.heavy_bolus_ml)} mL over 2-3 minutes (over {number(lp.heavy_over_kg)} kg).",
                         lp.heavy_infusion + ".", ceiling, lp.unstable, src)
        bolus = lp.bolus_ml_per_kg * weight_kg
        rate = lp.infusion_ml_per_kg_min * weight_kg
        return Lipid(
            f"{number(lp.bolus_ml_per_kg)} mL/kg of lean body weight over 2-3 minutes: at most {bolus:.0f} mL at "
            f"{number(weight_kg)} kg (lean body weight is lower than total weight in obesity).",
            f"{number(lp.infusion_ml_per_kg_min)} mL/kg/min: at most {rate:.1f} mL/min at {number(weight_kg)} kg.",
            ceiling, lp.unstable, src)

    def volume_for(self, drug: str, concentration_pct: float, dose_mg: float) -> float:
        """The volume of a solution that holds dose_mg (for exercises: 'what volume reaches the limit?')."""
        if not 0 < concentration_pct <= 100:
            raise ValueError(f"Concentration: {number(concentration_pct)}% must be above 0 and at most 100%")
        if drug not in self.drugs:
            raise ValueError(f"Drug: unknown drug {drug!r}")
        return dose_mg / (concentration_pct * MG_PER_ML_PER_PERCENT)
