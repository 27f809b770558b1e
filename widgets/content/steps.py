"""The live-session steps: the decision points a live session asks the room.

Two schemas, one for each side of a session. `instructor/live_steps/CASE.yaml` holds a case's decision
points as the instructor writes them (`CaseSteps`: when each is asked, the options, the documents' answer,
the evidence and its sources; checked against the cases and references). `LiveStep` is what a live session
stores and serves, whoever opens it: the store validates every step with it, so a session opened from a
notebook, a test or a file meets the same rules and the same messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from widgets.content.cases import load_cases
from widgets.content.loader import Content, ContentError, Problem, Refs, load_content, parse, read_yaml
from widgets.content.schema import Case, Id, Strict

REPO = Path(__file__).resolve().parents[2]
STEPS_DIR = REPO / "instructor" / "live_steps"  # instructor only: these files hold the documents' answers
STAGES = ("history", "exam", "imaging")
MAX_TITLE, MAX_PROMPT, MAX_LABEL, MAX_EVIDENCE, MAX_STEPS, MAX_OPTIONS = 200, 2000, 300, 10_000, 100, 12

# --- what a live session stores ------------------------------------------------------------------------

STEP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _ident(value: Any) -> str:
    if not isinstance(value, str) or not STEP_ID.match(value):
        raise ValueError(f"{value!r} is not an id (letters, digits, '_', '.', '-', at most 64)")
    return value


def checked_text(value: Any, limit: int, allow_empty: bool = False) -> str:
    """Text within LIMIT characters, stripped; a ValueError says what is wrong in words."""
    if not isinstance(value, str) or (not value.strip() and not allow_empty):
        raise ValueError("expected some text")
    if len(value) > limit:
        raise ValueError(f"{len(value)} characters, at most {limit}")
    return value.strip()


class LiveStep(BaseModel):
    """One decision point of a live session: options as (id, label) pairs; `answer` is the documents' option id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    prompt: str
    options: tuple[tuple[str, str], ...]
    answer: str
    evidence: str

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        return _ident(value)

    @field_validator("prompt", mode="before")
    @classmethod
    def _prompt(cls, value: Any) -> str:
        return checked_text(value, MAX_PROMPT)

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, value: Any) -> str:
        return checked_text(value, MAX_EVIDENCE, allow_empty=True)

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, value: Any) -> tuple[tuple[str, str], ...]:
        pairs = list(value.items()) if isinstance(value, dict) else value
        if isinstance(pairs, str) or not isinstance(pairs, list | tuple):
            raise ValueError("expected (id, label) pairs")
        if not 2 <= len(pairs) <= MAX_OPTIONS:
            raise ValueError(f"give 2 to {MAX_OPTIONS} options, not {len(pairs)}")
        options = []
        for i, pair in enumerate(pairs):
            if isinstance(pair, str) or not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ValueError(f"option {i + 1}: expected an (id, label) pair")
            options.append((_ident(pair[0]), checked_text(pair[1], MAX_LABEL)))
        ids = [o for o, _ in options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"option ids repeat ({', '.join(ids)})")
        return tuple(options)

    @field_validator("answer")
    @classmethod
    def _answer(cls, answer: str, info: ValidationInfo) -> str:
        ids = [o for o, _ in info.data.get("options", ())]
        if ids and answer not in ids:
            raise ValueError(f"{answer!r} is not one of the options ({', '.join(ids)})")
        return answer


# --- the steps files -----------------------------------------------------------------------------------


class Option(Strict):
    id: Id
    label: str = Field(min_length=1, max_length=MAX_LABEL)


class Decision(Strict):
    """One decision point: what the room is asked, the options, the documents' answer and why."""

    id: Id
    after: Literal[STAGES] = "imaging"  # type: ignore[valid-type]  # the stage it follows in the presentation
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT)
    options: list[Option] = Field(min_length=3, max_length=4)
    answer: Id
    evidence: str = Field(min_length=1, max_length=MAX_EVIDENCE)
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


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def check_steps(steps: CaseSteps, rel: str, path: Path, cases: dict[str, Case], content: Content) -> list[Problem]:
    """Cross references: the case exists and names the file; every source exists and is named in the evidence."""
    problems: list[Problem] = []
    refs = Refs(problems)
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
    rel = shown_path(path)
    problems: list[Problem] = []
    steps = parse(CaseSteps, read_yaml(path, rel, problems), rel, problems)
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
