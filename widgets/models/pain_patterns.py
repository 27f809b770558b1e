"""Pain-pattern explorer model: a pattern of findings in, candidate pain generators ranked out."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content.loader import Content


@dataclass(frozen=True)
class Reason:
    text: str
    weight: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    score: int
    reasons: tuple[Reason, ...]  # every rule that fired, for and against
    caveat: str
    structures: tuple[str, ...]  # structure names


@dataclass(frozen=True)
class PatternResult:
    red_flags: tuple[str, ...]  # labels of selected red-flag options
    candidates: tuple[Candidate, ...]  # score > 0, highest first

    @property
    def emergency(self) -> bool:
        return bool(self.red_flags)


class PainPatternModel:
    """Scores each generator as the sum of the weights of its rules whose finding is selected."""

    def __init__(self, content: Content):
        self.content = content
        self.patterns = content.pain_patterns
        self._inputs = {i.id: i for i in self.patterns.inputs}
        self._options = {o.id: o for i in self.patterns.inputs for o in i.options}

    @property
    def inputs(self):
        return self.patterns.inputs

    @property
    def red_flag_message(self) -> str:
        return self.patterns.red_flag_message

    def _selected(self, selection: dict[str, str | list[str] | tuple[str, ...] | None]) -> set[str]:
        chosen: set[str] = set()
        for input_id, value in selection.items():
            inp = self._inputs.get(input_id)
            if inp is None:
                raise ValueError(f"unknown control {input_id!r}")
            values = [] if value is None else [value] if isinstance(value, str) else list(value)
            if inp.kind == "single" and len(values) > 1:
                raise ValueError(f"{inp.label}: choose one option, got {len(values)}")
            allowed = {o.id for o in inp.options}
            for v in values:
                if v not in allowed:
                    raise ValueError(f"{inp.label}: {v!r} is not one of its options")
            chosen.update(values)
        return chosen

    def rank(self, selection: dict[str, str | list[str] | tuple[str, ...] | None]) -> PatternResult:
        """Rank generators for a selection {input id: option id or list of option ids}."""
        chosen = self._selected(selection)
        red = tuple(self._options[o].label for o in sorted(chosen) if self._options[o].red_flag)
        names = self.content.structures
        out = []
        for g in self.patterns.generators:
            fired = [r for r in g.rules if r.when in chosen]
            score = sum(r.weight for r in fired)
            if score <= 0:
                continue
            reasons = tuple(
                Reason(r.reason, r.weight, tuple(self.content.source_label(s) for s in r.sources))
                for r in sorted(fired, key=lambda r: -r.weight)
            )
            out.append(
                Candidate(g.id, g.name, score, reasons, g.caveat, tuple(names[s].name for s in g.structures))
            )
        out.sort(key=lambda c: (-c.score, c.name))
        return PatternResult(red, tuple(out))
