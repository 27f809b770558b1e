"""Red flags on time: which warnings a set of findings carries, how urgent they are, what to do now and how
fast. The meaning of each kind of flag is data (assets/ladder.yaml, red_flags.kinds); this module only
decides which kinds apply, including the two combinations the reference sheet singles out: a deficit in
someone with cancer (metastatic cord compression, NICE NG234) and several weak flags together (Downie 2013).
Pure: no widgets. Teaching material, not clinical advice."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content.loader import Content

# How the kinds' urgencies read in the engine's one-word answer (`urgency` in the JSON).
URGENCY_ORDER = ("emergency", "urgent", "review", "referral")
JSON_URGENCY = {"emergency": "emergency", "urgent": "urgent", "review": "routine", "referral": "routine"}
URGENT_KINDS = ("malignancy", "fracture")  # a weak flag beside one of these makes "several flags together"


@dataclass(frozen=True)
class FlagAction:
    kind: str  # a flag kind, or cord_compression / several_weak_flags
    label: str
    urgency: str  # emergency, urgent, review or referral
    findings: tuple[str, ...]  # the labels of the findings behind it
    now: str  # what to do now
    timing: str  # how fast
    documents: str  # what the five documents say about it
    sources: tuple[str, ...]  # source labels

    def to_json(self) -> dict:
        return {"kind": self.kind, "label": self.label, "urgency": self.urgency, "findings": list(self.findings),
                "now": self.now, "timing": self.timing, "documents": self.documents, "sources": list(self.sources)}


@dataclass(frozen=True)
class Safety:
    urgency: str  # emergency, urgent or routine
    flags: tuple[FlagAction, ...]  # most urgent first

    @property
    def stops(self) -> bool:
        """An emergency or urgent flag takes the patient off the ladder."""
        return self.urgency in ("emergency", "urgent")

    def of(self, *urgencies: str) -> list[FlagAction]:
        return [a for a in self.flags if a.urgency in urgencies]


def assess(findings: set[str] | list[str], content: Content) -> Safety:
    """The flags these findings raise, most urgent first, and the overall urgency."""
    by_kind: dict[str, list[str]] = {}
    for fid in sorted(set(findings)):
        fnd = content.findings[fid]
        if fnd.flag:
            by_kind.setdefault(fnd.flag, []).append(fid)
    weak = by_kind.pop("weak", [])
    if weak:
        beside = [f for k in URGENT_KINDS for f in by_kind.get(k, [])]
        if len(weak) > 1 or beside:
            by_kind["several_weak_flags"] = weak + beside
        else:
            by_kind["weak"] = weak
    if "malignancy" in by_kind and "cauda_equina" in by_kind:
        by_kind["cord_compression"] = by_kind["malignancy"] + by_kind["cauda_equina"]

    kinds = {k.id: k for k in content.ladder.red_flags.kinds}
    order = [k.id for k in content.ladder.red_flags.kinds]
    actions = []
    for kind_id, fids in by_kind.items():
        k = kinds[kind_id]
        actions.append(FlagAction(
            kind=k.id, label=k.label, urgency=k.urgency,
            findings=tuple(content.findings[f].label for f in fids),
            now=k.now, timing=k.timing, documents=k.documents,
            sources=tuple(content.source_label(s) for s in k.sources),
        ))
    actions.sort(key=lambda a: (URGENCY_ORDER.index(a.urgency), order.index(a.kind)))
    urgency = JSON_URGENCY[actions[0].urgency] if actions else "routine"
    return Safety(urgency, tuple(actions))


def referral_lines(safety: Safety) -> list[str]:
    """Where the flags send the patient, one line each: what kind of care, for what, how fast."""
    words = {"emergency": "Emergency", "urgent": "Urgent", "referral": "Refer", "review": "Review"}
    return [f"{words[a.urgency]}: {a.label.lower()}. {a.timing}" for a in safety.flags if a.urgency != "review"]
