"""The case presenter's model: a virtual patient shown one step at a time on the projector, with the
decision points a live session asks the room (their files and schema are in widgets/content/steps.py).

Pure Python (no ipywidgets): the decision points as live-session steps, and the slide order with a deck that
moves through it. widgets/render/presenter.py draws the slides; widgets/views/live.py puts the views on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from widgets.content.loader import Content
from widgets.content.schema import Case
from widgets.content.steps import STAGES, CaseSteps, Decision, LiveStep

LETTERS = "ABCDEFGHIJKL"


def to_live_steps(decisions: Iterable[Decision], content: Content) -> list[LiveStep]:
    """The decision points as live-session steps; options are lettered A, B, C... as on the slides."""
    return [
        LiveStep(id=d.id, prompt=content.humanise(d.prompt),
                 options=tuple((o.id, f"{LETTERS[k]}. {o.label}") for k, o in enumerate(d.options)),
                 answer=d.answer, evidence=content.humanise(d.evidence))
        for d in decisions
    ]  # fmt: skip


# --- the slides ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    kind: Literal["history", "exam", "imaging", "decision", "answer"]
    title: str
    decision: Decision | None = None
    number: int = 0  # for decisions: 1, 2, ... in presentation order


def slides_for(decisions: Iterable[Decision] = ()) -> tuple[Slide, ...]:
    """History, exam and imaging, each followed by the decisions that come after it, then the answer."""
    decisions = list(decisions)
    out: list[Slide] = []
    titles = {"history": "The patient", "exam": "Examination", "imaging": "Imaging"}
    for stage in STAGES:
        out.append(Slide(stage, titles[stage]))  # type: ignore[arg-type]
        for d in decisions:
            if d.after == stage:
                n = decisions.index(d) + 1
                out.append(Slide("decision", f"Decision {n} of {len(decisions)}", d, n))
    out.append(Slide("answer", "The documents' answer and the teaching"))
    return tuple(out)


class Deck:
    """A case revealed one slide at a time: next, back, and jumps to a decision's slide."""

    def __init__(self, case: Case, steps: CaseSteps | None = None) -> None:
        self.case = case
        self.steps = steps
        self.decisions: list[Decision] = list(steps.decisions) if steps else []
        self.slides = slides_for(self.decisions)
        self.position = 0

    @property
    def slide(self) -> Slide:
        return self.slides[self.position]

    @property
    def at_start(self) -> bool:
        return self.position == 0

    @property
    def at_end(self) -> bool:
        return self.position == len(self.slides) - 1

    def next(self) -> Slide:
        self.position = min(self.position + 1, len(self.slides) - 1)
        return self.slide

    def back(self) -> Slide:
        self.position = max(self.position - 1, 0)
        return self.slide

    def go_to_decision(self, decision_id: str) -> Slide:
        for i, s in enumerate(self.slides):
            if s.decision is not None and s.decision.id == decision_id:
                self.position = i
                return s
        raise ValueError(f"case {self.case.id!r} has no decision {decision_id!r}")

    def progress(self) -> str:
        return f"Step {self.position + 1} of {len(self.slides)}: {self.slide.title}"
