"""The ladder explorer's model: rungs in the documents' order, the treatments on each, a selected
treatment and an optional second one to compare, the guideline view on or off, and the red-flag
overlay that stops the climb. Pure: no widgets here."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content import schema as s
from widgets.content.loader import Content
from widgets.models.ladder import Triage, triage


@dataclass(frozen=True)
class RungInfo:
    id: str
    label: str
    summary: str
    step_up: str
    sources: list[str]
    treatments: list[s.Treatment]


class LadderModel:
    def __init__(self, content: Content):
        if content.ladder is None:
            raise ValueError("the ladder content did not load")
        self.content = content
        self.ladder = content.ladder
        self.rung: str = self.ladder.rungs[0].id
        self.treatment: str | None = None
        self.compare_with: str | None = None
        self.guidelines = False
        self.flags: list[str] = []

    # --- what there is --------------------------------------------------------------------------

    def rungs(self) -> list[RungInfo]:
        return [self.rung_info(r.id) for r in self.ladder.rungs]

    def rung_info(self, rung: str) -> RungInfo:
        r = next((x for x in self.ladder.rungs if x.id == rung), None)
        if r is None:
            raise ValueError(f"Rung: unknown rung {rung!r}")
        treatments = [t for t in self.content.treatments.values() if t.rung == rung]
        labels = [self.content.source_label(x) for x in r.sources]
        return RungInfo(r.id, r.label, r.summary, r.step_up, labels, treatments)

    def treatment_options(self) -> list[tuple[str, str]]:
        return [(t.name, t.id) for t in self.rung_info(self.rung).treatments]

    def all_treatment_options(self) -> list[tuple[str, str]]:
        """Every treatment, grouped by rung in ladder order (for the compare list)."""
        return [(f"{t.name} ({r.label})", t.id) for r in self.rungs() for t in r.treatments]

    def flag_options(self) -> list[tuple[str, str]]:
        return [(self.content.findings[f].label, f) for f in self.ladder.red_flags.findings]

    # --- what the learner does ---------------------------------------------------------------------

    def select_rung(self, rung: str) -> RungInfo:
        info = self.rung_info(rung)
        self.rung = rung
        if self.treatment not in {t.id for t in info.treatments}:
            self.treatment = None
        return info

    def select_treatment(self, treatment: str | None) -> s.Treatment | None:
        if not treatment:
            self.treatment = None
            return None
        t = self._treatment(treatment, "Treatment")
        self.rung = t.rung
        self.treatment = treatment
        return t

    def compare(self, treatment: str | None) -> s.Treatment | None:
        if not treatment:
            self.compare_with = None
            return None
        t = self._treatment(treatment, "Compare with")
        self.compare_with = treatment
        return t

    def set_guidelines(self, on: bool) -> None:
        self.guidelines = bool(on)

    def set_flags(self, flags: list[str]) -> Triage | None:
        """Tick red flags: any one stops the climb; returns the triage that says why (None if no flags)."""
        unknown = [f for f in flags if f not in self.ladder.red_flags.findings]
        if unknown:
            raise ValueError(f"Red flags: unknown finding {unknown[0]!r}")
        self.flags = list(flags)
        return self.stopped

    @property
    def stopped(self) -> Triage | None:
        return triage(self.flags, self.content) if self.flags else None

    def pair(self) -> tuple[s.Treatment | None, s.Treatment | None]:
        t = self.content.treatments.get(self.treatment) if self.treatment else None
        c = self.content.treatments.get(self.compare_with) if self.compare_with else None
        return t, c

    def _treatment(self, tid: str, control: str) -> s.Treatment:
        if tid not in self.content.treatments:
            raise ValueError(f"{control}: unknown treatment {tid!r}")
        return self.content.treatments[tid]
