"""The case presenter's model: a virtual patient shown one step at a time on the projector, with the
decision points a live session asks the room (instructor/live_steps/*.yaml, which hold the answers).

Pure Python (no ipywidgets): the steps files' schema and loader, their conversion to live-session steps
(`widgets.live.Step`), the slide order, and the HTML for slides, the live bar chart and the session code.
`widgets/liveviews.py` puts the views on top.

Usage: python -m widgets.presenter check [FILE ...]
Prints `FILE: field.path: what is wrong` for every problem and exits 1, or one line per valid file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from . import live
from .cases import load_cases
from .content import Content, ContentError, Problem, _parse, _read_yaml, _Refs, load_content
from .render import escape
from .schema import Case, Id, Strict

REPO = Path(__file__).resolve().parent.parent
STEPS_DIR = REPO / "instructor" / "live_steps"  # instructor only: these files hold the documents' answers
STAGES = ("history", "exam", "imaging")
LETTERS = "ABCDEFGHIJKL"
PROJECTOR = "font-size:1.7em;line-height:1.45"  # the presenter's body type: readable from the back row

# --- the steps files ---------------------------------------------------------------------------------


class Option(Strict):
    id: Id
    label: str = Field(min_length=1, max_length=live.MAX_LABEL)


class Decision(Strict):
    """One decision point: what the room is asked, the options, the documents' answer and why."""

    id: Id
    after: Literal[STAGES] = "imaging"  # type: ignore[valid-type]  # the stage it follows in the presentation
    prompt: str = Field(min_length=1, max_length=live.MAX_PROMPT)
    options: list[Option] = Field(min_length=3, max_length=4)
    answer: Id
    evidence: str = Field(min_length=1, max_length=live.MAX_EVIDENCE)
    sources: list[str] = Field(min_length=1)  # S0-S4, REF, reference ids; each named in the evidence

    @field_validator("options")
    @classmethod
    def _option_ids_unique(cls, options: list[Option]) -> list[Option]:
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"option ids repeat ({', '.join(ids)})")
        return options

    @field_validator("answer")
    @classmethod
    def _answer_is_an_option(cls, answer: str, info: ValidationInfo) -> str:
        ids = [o.id for o in info.data.get("options", [])]
        if ids and answer not in ids:
            raise ValueError(f"{answer!r} is not one of the options ({', '.join(ids)})")
        return answer


class CaseSteps(Strict):
    case: Id  # the case file's id; the steps file is named after it
    minutes: int = Field(default=10, ge=1, le=120)  # time suggested for the case (shown beside the timer)
    decisions: list[Decision] = Field(min_length=1, max_length=10)

    @field_validator("decisions")
    @classmethod
    def _ids_unique_and_in_order(cls, decisions: list[Decision]) -> list[Decision]:
        ids = [d.id for d in decisions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"decision ids repeat ({', '.join(ids)})")
        stages = [STAGES.index(d.after) for d in decisions]
        if stages != sorted(stages):
            raise ValueError("list the decisions in the order they are presented: those after the history, "
                             "then after the exam, then after the imaging")  # fmt: skip
        return decisions


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def check_steps(steps: CaseSteps, rel: str, path: Path, cases: dict[str, Case], content: Content) -> list[Problem]:
    """Cross references: the case exists and names the file; every source exists and is named in the evidence."""
    problems: list[Problem] = []
    refs = _Refs(problems)
    refs.check(rel, "case", steps.case, cases, "case")
    if path.stem != steps.case:
        problems.append(Problem(rel, "case", f"the file is named {path.name} but holds case {steps.case!r}: "
                                             f"name it {steps.case}.yaml"))  # fmt: skip
    known = set(content.documents) | set(content.references)
    for i, d in enumerate(steps.decisions):
        for j, sid in enumerate(d.sources):
            where = f"decisions[{i}].sources[{j}]"
            refs.check(rel, where, sid, known, "source (document or reference id)")
            if sid == "REF" and not re.search(r"\bREF \d+(\.\d+)?\b", d.evidence):
                problems.append(Problem(rel, where, "name the reference sheet's section in the evidence "
                                                    "(for example 'REF 3.5')"))  # fmt: skip
            elif sid != "REF" and sid in known and not re.search(rf"\b{re.escape(sid)}\b", d.evidence):
                problems.append(Problem(rel, where, f"{sid!r} is listed but not named in the evidence"))
    return problems


def load_steps_file(path: Path, cases: dict[str, Case], content: Content) -> tuple[CaseSteps | None, list[Problem]]:
    rel = _rel(path)
    problems: list[Problem] = []
    steps = _parse(CaseSteps, _read_yaml(path, rel, problems), rel, problems)
    if steps is None:
        return None, problems
    problems += check_steps(steps, rel, path, cases, content)
    return (steps if not problems else None), problems


def load_steps(folder: Path | None = None, content: Content | None = None) -> dict[str, CaseSteps]:
    """Every case's decision points (instructor/live_steps/*.yaml), by case id; ContentError lists every problem."""
    content = content or load_content()
    cases = load_cases(content)
    found: dict[str, CaseSteps] = {}
    problems: list[Problem] = []
    for path in sorted(Path(folder or STEPS_DIR).glob("*.yaml")):
        steps, more = load_steps_file(path, cases, content)
        problems += more
        if steps is not None:
            found[steps.case] = steps
    if problems:
        raise ContentError(problems)
    return found


def humanise(text: str, content: Content) -> str:
    """Reference ids in prose ("(nice_ng59)") as their short labels ("(NICE NG59 2016)")."""
    labels = {rid: content.source_label(rid) for rid in content.references}
    if not labels:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: labels[m.group(1)], text)


def to_live_steps(decisions: Iterable[Decision], content: Content) -> list[live.Step]:
    """The decision points as live-session steps; options are lettered A, B, C... as on the slides."""
    return [
        live.Step(d.id, humanise(d.prompt, content),
                  tuple((o.id, f"{LETTERS[k]}. {o.label}") for k, o in enumerate(d.options)), d.answer,
                  humanise(d.evidence, content))
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


# --- HTML ---------------------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text))


def _options_html(options: Iterable[tuple[str, str]]) -> str:
    items = "".join(f"<li>{_e(label)}</li>" for _oid, label in options)
    return f'<ul class="lb-presenter-options" style="list-style:none;padding-left:0.5em">{items}</ul>'


def slide_html(deck: Deck, content: Content) -> str:
    """The current slide for the projector, in large type; the answer only on the last slide."""
    case, slide = deck.case, deck.slide
    p = case.presentation
    if slide.kind == "history":
        prior = "".join(f"<li>{_e(content.treatments[t.treatment].name)}: {_e(t.outcome)}</li>"
                        for t in case.prior_treatments) or "<li>Nothing yet.</li>"  # fmt: skip
        surgeries = f"<p>Earlier back operations: {case.prior_surgeries}.</p>" if case.prior_surgeries else ""
        body = (f'<p><strong>{_e(case.title)}</strong>. {_e(case.summary)}</p>'
                f"<p>{p.age}-year-old {_e(p.sex)}, for {p.weeks} week{'s' if p.weeks != 1 else ''}.</p>"
                f"<blockquote>{_e(p.history)}</blockquote>"
                f"<ul><li>Where: {_e(p.where)}</li><li>Spreads: {_e(p.spreads)}</li>"
                f"<li>Worse with: {_e(p.worse_with)}</li>"
                f"<li>Pain {case.baseline.pain:g} of 10; Oswestry Disability Index {case.baseline.function:g}%</li>"
                f"</ul><p>Tried so far:</p><ul>{prior}</ul>{surgeries}")  # fmt: skip
    elif slide.kind == "exam":
        body = "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in case.exam) + "</ul>"
    elif slide.kind == "imaging":
        body = ("<ul>" + "".join(f"<li><strong>{_e(r.modality.upper())}</strong>: {_e(r.report)}</li>"
                                 for r in case.imaging) + "</ul>"
                if case.imaging else "<p>No scan has been done for this patient.</p>")  # fmt: skip
    elif slide.kind == "decision":
        d = slide.decision
        assert d is not None
        opts = [(o.id, f"{LETTERS[k]}. {o.label}") for k, o in enumerate(d.options)]
        body = f"<p><strong>{_e(humanise(d.prompt, content))}</strong></p>{_options_html(opts)}"
    else:
        body = answer_html(deck, content)
    return (f'<div class="lb-presenter-slide lb-slide-{slide.kind}" style="{PROJECTOR}">'
            f"<h3>{_e(slide.title)}</h3>{body}</div>")  # fmt: skip


def answer_html(deck: Deck, content: Content) -> str:
    """The last slide: the hidden generator, the case's explanation, what the scans showed, each decision's answer."""
    case = deck.case
    gens = ", ".join(content.conditions[g].name for g in case.truth.generators)
    flags = ", ".join(content.findings[f].label for f in case.red_flags)
    scans = "".join(
        f"<li><strong>{_e(r.modality.upper())}</strong> ({'incidental' if r.incidental else 'part of the answer'}): "
        f"{_e(humanise(r.teaching, content))}</li>"
        for r in case.imaging
    )
    decisions = ""
    for k, d in enumerate(deck.decisions):
        letter = LETTERS[[o.id for o in d.options].index(d.answer)]
        label = next(o.label for o in d.options if o.id == d.answer)
        decisions += (f"<li><strong>Decision {k + 1}:</strong> {_e(letter)}. {_e(label)}. "
                      f"{_e(humanise(d.evidence, content))}</li>")  # fmt: skip
    return (f"<p><strong>What was causing the pain:</strong> {_e(gens)}.</p>"
            + (f"<p><strong>Red flags present:</strong> {_e(flags)}.</p>" if flags else "")
            + f"<p>{_e(humanise(case.truth.explanation, content))}</p>"
            + (f"<p><strong>What the scans showed, and what they missed</strong></p><ul>{scans}</ul>" if scans else "")
            + (f"<p><strong>The decision points</strong></p><ol style=\"list-style:none;padding-left:0\">"
               f"{decisions}</ol>" if decisions else "")
            + "<p><small>Teaching material, not clinical advice.</small></p>")  # fmt: skip


def code_html(code: str, title: str) -> str:
    """The session code in very large type, spelled out for screen readers."""
    spelled = " ".join(code)
    return (f'<div class="lb-live-code" style="text-align:center;margin:0.3em 0">'
            f'<p style="font-size:1.6em;margin:0">Join the live session in lesson 08 with the code</p>'
            f'<p class="lb-live-code-value" aria-label="Session code {_e(spelled)}" style="font-size:6em;'
            f'font-weight:bold;letter-spacing:0.15em;font-family:monospace;margin:0;line-height:1.1">{_e(code)}</p>'
            f'<p style="font-size:1.3em;margin:0">{_e(title)}</p></div>')  # fmt: skip


def chart_html(step: live.StepState, large: bool = False) -> str:
    """The answers to one step as bars with the count and share in words; the documents' answer is named
    (with a tick and the words, never by colour alone) once the step state carries it."""
    counts = step.counts or {}
    total = sum(counts.values())
    rows = ""
    for oid, label in step.options:
        n = counts.get(oid, 0)
        pct = round(100 * n / total) if total else 0
        is_answer = step.answer == oid and step.revealed
        mark = " <strong>✓ the documents' answer</strong>" if is_answer else ""
        colour = "#1b6e3c" if is_answer else "#2f5d8a"
        rows += (f'<li class="lb-live-row" data-option="{_e(oid)}" style="margin:0.35em 0">'
                 f'<span class="lb-live-label">{_e(label)}</span>{mark}: '
                 f'<span class="lb-live-count">{n} answer{"" if n == 1 else "s"} ({pct}%)</span>'
                 f'<span aria-hidden="true" style="display:block;height:0.9em;width:{max(pct, 0.5):g}%;'
                 f'background:{colour};border:1px solid #222;margin-top:2px"></span></li>')  # fmt: skip
    size = ' style="font-size:1.5em"' if large else ""
    return (f'<div class="lb-live-chart" role="region" aria-label="Answers so far"{size}>'
            f'<p class="lb-live-total">{total} answer{"" if total == 1 else "s"} so far</p>'
            f'<ul style="list-style:none;padding-left:0;max-width:48em">{rows}</ul></div>')  # fmt: skip


def reveal_html(step: live.StepState, large: bool = False) -> str:
    """The documents' answer and the evidence for a revealed step ('' before the reveal)."""
    if not step.revealed or step.answer is None:
        return ""
    label = dict(step.options).get(step.answer, step.answer)
    size = ' style="font-size:1.5em"' if large else ""
    return (f'<div class="lb-live-reveal" role="region" aria-label="The documents\' answer"{size}>'
            f"<p><strong>The documents' answer: {_e(label)}</strong></p>"
            f'<p class="lb-live-evidence">{_e(step.evidence or "")}</p>'
            "<p><small>Teaching material, not clinical advice.</small></p></div>")  # fmt: skip


# --- command line ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m widgets.presenter", description="Check live-session steps files.")
    sub = ap.add_subparsers(dest="command", required=True)
    chk = sub.add_parser("check", help="check instructor/live_steps/*.yaml, or the files named")
    chk.add_argument("files", nargs="*", metavar="FILE")
    args = ap.parse_args(argv)
    try:
        content = load_content()
        cases = load_cases(content)
    except ContentError as exc:
        print(f"the course content does not load: {exc.problems[0]}")
        return 1
    files = [Path(f) for f in args.files] or sorted(STEPS_DIR.glob("*.yaml"))
    bad = 0
    for path in files:
        steps, problems = load_steps_file(path, cases, content)
        for p in problems:
            print(p)
        if steps is None:
            bad += 1
        else:
            print(f"{_rel(path)}: OK: {len(steps.decisions)} decision point(s) for case {steps.case!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
