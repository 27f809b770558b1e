"""Answer keys for the instructor, built from the course content when they are shown and never stored: each
self-check question's correct choice and explanation, and each case's hidden truth with its teaching notes."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content.loader import Content
from widgets.content.notes import Notes


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
    from widgets.models.selfcheck import SelfCheckModel

    model = SelfCheckModel(content, lesson)
    keys = []
    for number, q in enumerate(model.questions, start=1):
        right = next(i for i, c in enumerate(q.choices) if c.correct)
        keys.append(QuestionKey(number, q.prompt, q.choices[right].text, model.order(q.id).index(right) + 1,
                                len(q.choices), q.choices[right].feedback, source_labels(content, q.sources)))
    return keys


def case_key(content: Content, notes: Notes) -> list[CaseKey]:
    """Every shipped case, in the order of the case notes: the hidden answer and what it teaches."""
    from widgets.content.cases import load_cases

    humanise = content.humanise
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
