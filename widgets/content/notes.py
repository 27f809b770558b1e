"""Instructor notes and answer keys: content for instructors only, never served to learners.

The notes live in instructor/notes/ beside the lessons, one file per lesson (`NN.yaml`: teaching
points, a timing plan, discussion questions) and one for the virtual patients (`cases.yaml`: what
each case teaches). The answer keys are not stored anywhere: they are built from the course content
when they are shown (each case's `truth`, each self-check question's correct choice).

Checked by `lowback check [--notes DIR]`.
Prints one line per problem, `FILE: field.path: what is wrong`, and exits 1; or a one-line summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from widgets.content import schema as s
from widgets.content.loader import Content, ContentError, Problem, Refs, humaniser, load_content, parse, read_yaml

NOTES_DIR = Path(__file__).resolve().parents[2] / "instructor" / "notes"
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


def _check_sources(refs: Refs, rel: str, path: str, ids: list[str], known: set[str]) -> None:
    for j, sid in enumerate(ids):
        if not REF_SECTION.match(sid):
            refs.check(rel, f"{path}.sources[{j}]", sid, known, "source")  # S0-S4, REF, 'REF 3.5' or a reference id


def _humanise(content: Content):
    return humaniser([s.ReferencesFile.model_construct(references=list(content.references.values()))])


def load_checked_notes(root: Path, content: Content, case_ids: list[str]) -> tuple[Notes | None, list[Problem]]:
    problems: list[Problem] = []
    refs = Refs(problems)
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
        notes = parse(LessonNotes, humanise(read_yaml(path, rel, problems)), rel, problems)
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
    parsed = parse(CaseNotesFile, humanise(read_yaml(root / CASES_FILE, rel, problems)), rel, problems)
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
    from widgets.content.cases import load_cases

    content = content or load_content()
    return content, list(load_cases(content))


def check(root: str | Path | None = None, content: Content | None = None) -> list[Problem]:
    """Every problem in the notes under ROOT (default instructor/notes), checked against CONTENT."""
    try:
        content, case_ids = _course(content)
    except ContentError as exc:
        return exc.problems
    return load_checked_notes(Path(root).resolve() if root else NOTES_DIR, content, case_ids)[1]


def load_notes(root: str | Path | None = None, content: Content | None = None) -> Notes:
    """The validated notes; raises ContentError listing every problem (course content problems too)."""
    content, case_ids = _course(content)
    notes, problems = load_checked_notes(Path(root).resolve() if root else NOTES_DIR, content, case_ids)
    if notes is None:
        raise ContentError(problems)
    return notes
