"""Pre-test to post-test probability: a learner's starting probability, then bedside tests one after another,
each moving the odds by its likelihood ratio (reference sheet section 9; assets/exam_tests.yaml). Pure.
Teaching material, not clinical advice.

Arithmetic: odds = p / (1 - p); post-test odds = pre-test odds x LR; p = odds / (1 + odds).
From a study's sensitivity (Sn) and specificity (Sp): LR+ = Sn / (1 - Sp), LR- = (1 - Sn) / Sp.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from widgets.content.examination import ExamTest, ExamTestsFile, TargetCondition

RESULTS = ("positive", "negative")
LOWEST, HIGHEST = 0.01, 0.99  # the pre-test probabilities a learner may set (a certainty needs no test)


def odds(p: float) -> float:
    return p / (1 - p)


def probability(o: float) -> float:
    return o / (1 + o)


def post_test(pre: float, lr: float) -> float:
    """The probability after one result with likelihood ratio LR, from probability PRE (0 < PRE < 1)."""
    if not 0 < pre < 1:
        raise ValueError(f"a probability must lie between 0 and 1, not {pre:g}")
    if lr <= 0:
        raise ValueError(f"a likelihood ratio must be above 0, not {lr:g}")
    return probability(odds(pre) * lr)


def ratios(test: ExamTest) -> tuple[float | None, float | None]:
    """(LR+, LR-): calculated from Sn and Sp when the study gave them, else as reported (None: not reported)."""
    if test.sn is not None and test.sp is not None:
        return test.sn / (1 - test.sp), (1 - test.sn) / test.sp
    return test.lr_pos, test.lr_neg


@dataclass(frozen=True)
class Step:
    test: ExamTest
    result: str  # positive or negative
    lr: float
    calculated: bool  # True when the ratio was worked out from Sn and Sp rather than reported
    before: float
    after: float


@dataclass(frozen=True)
class Chain:
    condition: TargetCondition
    pretest: float
    steps: tuple[Step, ...]

    @property
    def final(self) -> float:
        return self.steps[-1].after if self.steps else self.pretest

    @property
    def assumes_independence(self) -> bool:
        """Two or more results multiplied together: right only if each test adds information the others lack."""
        return len(self.steps) > 1


class LikelihoodModel:
    """The target conditions and their tests, and the chain of results a learner builds."""

    def __init__(self, exam: ExamTestsFile):
        self.exam = exam
        self.conditions = {c.id: c for c in exam.conditions}
        self.tests = {t.id: t for t in exam.tests}

    def tests_for(self, condition: str) -> list[ExamTest]:
        return [t for t in self.exam.tests if t.condition == condition]

    def results_for(self, test_id: str) -> tuple[str, ...]:
        """The results a test can be entered as: a side with no likelihood ratio in the sheet is not offered."""
        pos, neg = ratios(self.tests[test_id])
        return tuple(r for r, lr in zip(RESULTS, (pos, neg), strict=True) if lr is not None)

    def chain(self, condition: str, pretest: float, results: Sequence[tuple[str, str]]) -> Chain:
        """The probability after each (test id, result) in turn. Raises ValueError naming the control at fault."""
        if condition not in self.conditions:
            raise ValueError(f"Condition: no condition {condition!r}")
        if not LOWEST <= pretest <= HIGHEST:
            raise ValueError(f"Pre-test probability: {pretest:.0%} is outside {LOWEST:.0%} to {HIGHEST:.0%}")
        steps: list[Step] = []
        groups: dict[str, str] = {}
        p = pretest
        for test_id, result in results:
            test = self.tests.get(test_id)
            if test is None or test.condition != condition:
                raise ValueError(f"{test_id}: not a test for this condition")
            if result not in self.results_for(test_id):
                raise ValueError(f"{test.label}: the sheet gives no likelihood ratio for a {result} result")
            if test.group and test.group in groups:
                raise ValueError(f"{test.label}: overlaps with {groups[test.group]}, already counted "
                                 "(the same evidence cannot be counted twice)")
            if test.group:
                groups[test.group] = test.label
            pos, neg = ratios(test)
            lr = pos if result == "positive" else neg
            assert lr is not None  # results_for offered only the sides with a ratio
            after = post_test(p, lr)
            steps.append(Step(test, result, lr, test.sn is not None, p, after))
            p = after
        return Chain(self.conditions[condition], pretest, tuple(steps))
