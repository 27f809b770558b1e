"""What each bedside test is worth (assets/exam_tests.yaml, reference sheet section 9): the target conditions, the
pre-test probabilities the sheet gives for them, and each test's sensitivity and specificity or its likelihood
ratios. Loaded and cross-checked apart from the core content, like the cases, so that a problem here names this
file and never stops the other lessons loading."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, model_validator

from widgets.content import schema as s
from widgets.content.loader import (
    Content,
    ContentError,
    Problem,
    Refs,
    check_unique_and_sourced,
    kept,
    load_content,
    parse,
    read_yaml,
)

EXAM_FILE = "exam_tests.yaml"
Fraction = float  # a proportion between 0 and 1, exclusive


class PretestSuggestion(s.Sourced):
    probability: float = Field(gt=0, lt=1)
    label: str  # what the figure is, with its study: "11.6%: share of 1,005 suspected cases ..."


class TargetCondition(s.Sourced):
    id: s.Id
    label: str
    reference_standard: str  # what the studies counted as having the condition
    suggestions: list[PretestSuggestion] = []  # pre-test probabilities the sheet gives; none = the learner sets one
    note: str  # what the result should (and should not) change, shown under the result


class ExamTest(s.Sourced):
    id: s.Id
    condition: s.Id
    label: str
    group: str = ""  # tests sharing a group overlap (a cluster and its parts): only one of them per chain
    sn: float | None = Field(default=None, gt=0, lt=1)
    sp: float | None = Field(default=None, gt=0, lt=1)
    lr_pos: float | None = Field(default=None, gt=0)  # as reported; used when sn and sp are not given
    lr_neg: float | None = Field(default=None, gt=0)
    lr_pos_ci: str = ""  # the reported 95% interval, as text
    study: str  # design, size and reference standard in one line
    caution: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> ExamTest:
        accuracy = (self.sn is not None, self.sp is not None)
        if any(accuracy) and not all(accuracy):
            raise ValueError("give both sn and sp, or neither")
        if all(accuracy) and (self.lr_pos is not None or self.lr_neg is not None):
            raise ValueError("give sn and sp, or likelihood ratios, not both (ratios are calculated from sn and sp)")
        if not all(accuracy) and self.lr_pos is None and self.lr_neg is None:
            raise ValueError("needs sn and sp, or at least one likelihood ratio")
        return self


class ExamTestsFile(s.Strict):
    conditions: list[TargetCondition] = Field(min_length=1)
    tests: list[ExamTest] = Field(min_length=1)


def check_exam(exam: ExamTestsFile, rel: str, content: Content) -> list[Problem]:
    """Sources exist, every test names a known condition, ids are unique, every condition has a test."""
    problems: list[Problem] = []
    refs = Refs(problems)
    sources = set(content.documents) | set(content.references)
    conditions = {c.id for c in exam.conditions}

    def check_sources(file: str, path: str, ids: list[str]) -> None:
        for j, sid in enumerate(ids):
            refs.check(file, f"{path}.sources[{j}]", sid, sources, "source (document or reference id)")

    check_unique_and_sourced(rel, (("conditions", exam.conditions), ("tests", exam.tests)), check_sources, problems)
    for i, c in enumerate(exam.conditions):
        for k, sug in enumerate(c.suggestions):
            check_sources(rel, f"conditions[{i}].suggestions[{k}]", sug.sources)
        if not any(t.condition == c.id for t in exam.tests):
            problems.append(Problem(rel, f"conditions[{i}]", f"condition {c.id!r} has no test"))
    for i, t in enumerate(exam.tests):
        refs.check(rel, f"tests[{i}].condition", t.condition, conditions, "condition")
    return problems


def load_exam_tests(content: Content | None = None) -> ExamTestsFile:
    """The checked exam_tests.yaml of CONTENT's assets folder; raises ContentError naming the file and field."""
    content = content or load_content()
    return _kept_exam(content.root) if _is_canonical(content) else _load_exam(content)


def _is_canonical(content: Content) -> bool:
    try:
        return load_content(content.root) is content
    except ContentError:
        return False


@functools.lru_cache(maxsize=4)
def _kept_exam(root: Path) -> ExamTestsFile:
    return kept("exam_tests", root, lambda: _load_exam(load_content(root)))


def _load_exam(content: Content) -> ExamTestsFile:
    path = content.root / EXAM_FILE
    problems: list[Problem] = []
    exam = parse(ExamTestsFile, read_yaml(path, EXAM_FILE, problems), EXAM_FILE, problems)
    if exam is not None:
        problems += check_exam(exam, EXAM_FILE, content)
    if problems or exam is None:
        raise ContentError(problems or [Problem(EXAM_FILE, "(file)", "could not be read")])
    return exam
