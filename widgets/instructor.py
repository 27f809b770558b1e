"""Instructor notes and answer keys: content for instructors only, never served to learners.

The notes live in instructor/notes/ beside the lessons, one file per lesson (`NN.yaml`: teaching
points, a timing plan, discussion questions) and one for the virtual patients (`cases.yaml`: what
each case teaches). The answer keys are not stored anywhere: they are built from the course content
when they are shown (each case's `truth`, each self-check question's correct choice).

Usage: python -m widgets.instructor check [--notes DIR]
Prints one line per problem, `FILE: field.path: what is wrong`, and exits 1; or a one-line summary.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from . import schema as s
from .content import Content, ContentError, Problem, _humaniser, _parse, _read_yaml, _Refs, load_content

NOTES_DIR = Path(__file__).resolve().parent.parent / "instructor" / "notes"
CASES_FILE = "cases.yaml"
LESSON_FILE = re.compile(r"^[0-9]{2}\.yaml$")
REF_SECTION = re.compile(r"^REF [0-9][0-9A-Za-z.]*$")  # "REF 3.5": a section of the reference sheet

Text = Annotated[str, Field(min_length=3)]


class TeachingPoint(s.Strict):
    point: Text  # the headline, one line
    detail: Text  # what to stress, and why
    sources: list[str]  # required; may be [] only for a point that makes no clinical claim


class Segment(s.Strict):
    minutes: int = Field(gt=0, le=120)
    activity: Text


class Timing(s.Strict):
    total: int = Field(gt=0, le=240)  # minutes; must be the sum of the segments
    segments: list[Segment] = Field(min_length=2)

    @model_validator(mode="after")
    def _adds_up(self) -> Timing:
        added = sum(seg.minutes for seg in self.segments)
        if added != self.total:
            raise ValueError(f"the segments add up to {added} minutes, not the total of {self.total}")
        return self


class Discussion(s.Strict):
    question: Text
    good_answer: list[Text] = Field(min_length=1)  # the points a good answer covers
    sources: list[str]


class LessonNotes(s.Strict):
    lesson: str = Field(pattern=r"^[0-9]{2}$")
    teaching_points: list[TeachingPoint] = Field(min_length=3, max_length=5)
    timing: Timing
    discussion: list[Discussion] = Field(min_length=2, max_length=4)


class CaseNote(s.Strict):
    case: s.Id
    teaches: Text  # one line: what the case is for
    sources: list[str]


class CaseNotesFile(s.Strict):
    cases: list[CaseNote] = Field(min_length=1)


@dataclass
class Notes:
    """Every lesson's notes by lesson id, and the case notes by case id, in file order."""

    root: Path
    lessons: dict[str, LessonNotes]
    cases: dict[str, CaseNote]


def _check_sources(refs: _Refs, rel: str, path: str, ids: list[str], known: set[str]) -> None:
    for j, sid in enumerate(ids):
        if not REF_SECTION.match(sid):
            refs.check(rel, f"{path}.sources[{j}]", sid, known, "source")  # S0-S4, REF, 'REF 3.5' or a reference id


def _humanise(content: Content):
    return _humaniser([s.ReferencesFile.model_construct(references=list(content.references.values()))])


def _load(root: Path, content: Content, case_ids: list[str]) -> tuple[Notes | None, list[Problem]]:
    problems: list[Problem] = []
    refs = _Refs(problems)
    known = set(content.documents) | set(content.references)
    humanise = _humanise(content)
    shown = f"{root.parent.name}/{root.name}"  # "instructor/notes"
    lessons: dict[str, LessonNotes] = {}
    if not root.is_dir():
        return None, [Problem(shown, "(folder)", "folder is missing")]
    for path in sorted(root.glob("*.yaml")):
        rel = f"{shown}/{path.name}"
        if path.name == CASES_FILE:
            continue
        if not LESSON_FILE.match(path.name):
            problems.append(Problem(rel, "(file)", "name it after its lesson, e.g. 03.yaml, or cases.yaml"))
            continue
        notes = _parse(LessonNotes, humanise(_read_yaml(path, rel, problems)), rel, problems)
        if notes is None:
            continue
        if notes.lesson != path.stem:
            problems.append(Problem(rel, "lesson", f"the file is for lesson {path.stem!r} but says {notes.lesson!r}"))
        refs.check(rel, "lesson", notes.lesson, content.lessons, "lesson")
        for i, tp in enumerate(notes.teaching_points):
            _check_sources(refs, rel, f"teaching_points[{i}]", tp.sources, known)
        for i, dq in enumerate(notes.discussion):
            _check_sources(refs, rel, f"discussion[{i}]", dq.sources, known)
        lessons[notes.lesson] = notes
    for lesson_id in sorted(content.lessons):
        if lesson_id not in lessons and not (root / f"{lesson_id}.yaml").exists():
            problems.append(Problem(f"{shown}/{lesson_id}.yaml", "(file)",
                                    f"file is missing: lesson {lesson_id} needs instructor notes"))

    rel = f"{shown}/{CASES_FILE}"
    cases: dict[str, CaseNote] = {}
    parsed = _parse(CaseNotesFile, humanise(_read_yaml(root / CASES_FILE, rel, problems)), rel, problems)
    if parsed is not None:
        for i, note in enumerate(parsed.cases):
            refs.check(rel, f"cases[{i}].case", note.case, set(case_ids), "case")
            if note.case in cases:
                problems.append(Problem(rel, f"cases[{i}].case", f"case {note.case!r} is listed twice"))
            _check_sources(refs, rel, f"cases[{i}]", note.sources, known)
            cases[note.case] = note
        for cid in case_ids:
            if cid not in cases:
                problems.append(Problem(rel, "cases", f"case {cid!r} has no entry: add what it teaches"))
    if problems:
        return None, problems
    ordered = {k: lessons[k] for k in sorted(lessons)}
    return Notes(root=root, lessons=ordered, cases=cases), []


def _course(content: Content | None) -> tuple[Content, list[str]]:
    from .cases import load_cases

    content = content or load_content()
    return content, list(load_cases(content))


def check(root: str | Path | None = None, content: Content | None = None) -> list[Problem]:
    """Every problem in the notes under ROOT (default instructor/notes), checked against CONTENT."""
    try:
        content, case_ids = _course(content)
    except ContentError as exc:
        return exc.problems
    return _load(Path(root).resolve() if root else NOTES_DIR, content, case_ids)[1]


def load_notes(root: str | Path | None = None, content: Content | None = None) -> Notes:
    """The validated notes; raises ContentError listing every problem (course content problems too)."""
    content, case_ids = _course(content)
    notes, problems = _load(Path(root).resolve() if root else NOTES_DIR, content, case_ids)
    if notes is None:
        raise ContentError(problems)
    return notes


# --- the answer keys, built from the content when shown -----------------------------------------


@dataclass(frozen=True)
class QuestionKey:
    number: int  # as the self-check numbers it
    prompt: str
    answer: str  # the correct choice
    position: int  # where the correct choice appears on the learner's screen (1-based; fixed order)
    choices: int
    why: str  # the feedback written for the correct choice
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Scan:
    modality: str
    report: str
    explains: bool  # false: incidental, does not explain the pain
    teaching: str


@dataclass(frozen=True)
class CaseKey:
    id: str
    title: str
    summary: str
    generators: tuple[str, ...]  # condition names
    red_flags: tuple[str, ...]  # finding labels
    teaches: str
    teaches_sources: tuple[str, ...]
    explanation: str
    scans: tuple[Scan, ...]
    sources: tuple[str, ...]


def source_labels(content: Content, ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Reference ids as their short labels; documents and 'REF 3.5' as they are."""
    return tuple(sid if sid not in content.references else content.source_label(sid) for sid in ids)


def self_check_key(content: Content, lesson: str) -> list[QuestionKey]:
    """The correct answer to every self-check question of LESSON, with the feedback that says why."""
    from .selfcheck import SelfCheckModel

    model = SelfCheckModel(content, lesson)
    keys = []
    for number, q in enumerate(model.questions, start=1):
        right = next(i for i, c in enumerate(q.choices) if c.correct)
        keys.append(QuestionKey(number, q.prompt, q.choices[right].text, model.order(q.id).index(right) + 1,
                                len(q.choices), q.choices[right].feedback, source_labels(content, q.sources)))
    return keys


def case_key(content: Content, notes: Notes) -> list[CaseKey]:
    """Every shipped case, in the order of the case notes: the hidden answer and what it teaches."""
    from .cases import load_cases

    humanise = _humanise(content)
    cases = load_cases(content)
    out = []
    for cid, note in notes.cases.items():
        case = cases[cid]
        out.append(CaseKey(
            id=case.id,
            title=case.title,
            summary=case.summary,
            generators=tuple(content.conditions[g].name for g in case.truth.generators),
            red_flags=tuple(content.findings[f].label for f in case.red_flags),
            teaches=note.teaches,
            teaches_sources=source_labels(content, note.sources),
            explanation=humanise(case.truth.explanation),
            scans=tuple(Scan(im.modality, im.report, not im.incidental, humanise(im.teaching)) for im in case.imaging),
            sources=source_labels(content, case.sources),
        ))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m widgets.instructor", description="Check the instructor notes.")
    sub = ap.add_subparsers(dest="command", required=True)
    chk = sub.add_parser("check", help="validate instructor/notes/*.yaml against the course content")
    chk.add_argument("--notes", help="notes folder (default: instructor/notes beside the package)")
    args = ap.parse_args(argv)
    try:
        content, case_ids = _course(None)
    except ContentError as exc:
        for p in exc.problems:
            print(p)
        print("the course content does not load, so the notes cannot be checked (python -m widgets.content check)")
        return 1
    notes, problems = _load(Path(args.notes).resolve() if args.notes else NOTES_DIR, content, case_ids)
    for p in problems:
        print(p)
    if notes is None:
        return 1
    n_points = sum(len(n.teaching_points) for n in notes.lessons.values())
    n_disc = sum(len(n.discussion) for n in notes.lessons.values())
    n_q = sum(len(self_check_key(content, les)) for les in content.questions)
    print(f"instructor notes OK: {len(notes.lessons)} lessons, {n_points} teaching points, {n_disc} discussion "
          f"questions, {len(notes.cases)} cases in the case key, {n_q} self-check questions in the key")
    return 0


if __name__ == "__main__":
    sys.exit(main())
