"""The trigger point injection dosing check: drug, concentration and volume give the dose in mg, checked
against the limits in assets/dosing.yaml (S4 and the reference sheet). Pure: no widgets here.
Teaching material, not a prescription."""

from __future__ import annotations

from dataclasses import dataclass, field

from .content import Content

MG_PER_ML_PER_PERCENT = 10  # a 1% solution holds 1 g per 100 mL, i.e. 10 mg per mL


@dataclass(frozen=True)
class Check:
    limit: str  # what the dose is compared with
    limit_mg: float
    total_mg: float  # the amount compared (this dose, or this dose plus earlier doses)
    within: bool
    source: str


@dataclass
class DoseResult:
    drug: str
    dose_mg: float
    mg_per_ml: float
    checks: list[Check] = field(default_factory=list)
    not_given: list[str] = field(default_factory=list)  # limits the sources do not give
    note: str = ""

    @property
    def within_all(self) -> bool:
        return all(c.within for c in self.checks)


class DoseModel:
    def __init__(self, content: Content):
        if content.dosing is None:
            raise ValueError("the dosing content did not load")
        self.dosing = content.dosing
        self.drugs = {d.id: d for d in content.dosing.drugs}
        self._label = content.source_label

    def options(self) -> list[tuple[str, str]]:
        return [(d.name, d.id) for d in self.dosing.drugs]

    def calculate(
        self,
        drug: str,
        concentration_pct: float,
        volume_ml: float,
        with_adrenaline: bool = False,
        given_24h_mg: float = 0.0,
        weight_kg: float | None = None,
    ) -> DoseResult:
        """The dose and its checks; ValueError (naming the control) for input that cannot be a dose."""
        if drug not in self.drugs:
            raise ValueError(f"Drug: unknown drug {drug!r}; choose one of {', '.join(self.drugs)}")
        if concentration_pct is None or volume_ml is None:
            raise ValueError("Concentration and Volume: both are needed")
        if not 0 <= concentration_pct <= 100:
            raise ValueError(f"Concentration: {concentration_pct:g}% is impossible; a solution is 0 to 100%")
        if volume_ml < 0:
            raise ValueError(f"Volume: {volume_ml:g} mL is negative; a volume is 0 mL or more")
        if given_24h_mg is None or given_24h_mg < 0:
            raise ValueError("Already given in the last 24 hours: enter 0 mg or more")
        if weight_kg is not None and not 0 < weight_kg <= 400:
            raise ValueError(f"Weight: {weight_kg:g} kg is not a body weight; leave it empty if unknown")
        d = self.drugs[drug]
        src = "; ".join(self._label(s) for s in d.sources)
        mg_per_ml = concentration_pct * MG_PER_ML_PER_PERCENT
        dose = round(mg_per_ml * volume_ml, 3)
        out = DoseResult(drug=d.name, dose_mg=dose, mg_per_ml=mg_per_ml, note=d.note)
        single = d.single_dose_with_adrenaline_mg if with_adrenaline else d.single_dose_mg
        kind = "with adrenaline" if with_adrenaline else "plain"
        if single is not None:
            out.checks.append(Check(f"single dose ({kind})", single, dose, dose <= single, src))
        else:
            out.not_given.append(f"single-dose limit ({kind})")
        if d.daily_max_mg is not None:
            total = round(dose + given_24h_mg, 3)
            out.checks.append(Check("total in 24 hours", d.daily_max_mg, total, total <= d.daily_max_mg, src))
        else:
            out.not_given.append("24-hour limit")
        if d.mg_per_kg_per_4h is not None and weight_kg is not None:
            limit = round(d.mg_per_kg_per_4h * weight_kg, 3)
            out.checks.append(Check(f"{d.mg_per_kg_per_4h:g} mg/kg in any 4 hours at {weight_kg:g} kg", limit, dose,
                                    dose <= limit, src))
        elif d.mg_per_kg_per_4h is None:
            out.not_given.append("weight-based limit")
        return out

    def volume_for(self, drug: str, concentration_pct: float, dose_mg: float) -> float:
        """The volume of a solution that holds dose_mg (for exercises: 'what volume reaches the limit?')."""
        if not 0 < concentration_pct <= 100:
            raise ValueError(f"Concentration: {concentration_pct:g}% must be above 0 and at most 100%")
        if drug not in self.drugs:
            raise ValueError(f"Drug: unknown drug {drug!r}")
        return dose_mg / (concentration_pct * MG_PER_ML_PER_PERCENT)
