"""STarT Back scoring (reference sheet 3.6) against worked examples, and the matched care (7.7)."""

from __future__ import annotations

import pytest

from widgets.content.loader import load_content
from widgets.content.schema import StartBackAnswers
from widgets.models.startback import score

CONTENT = load_content()
NO = dict.fromkeys(("leg_pain", "shoulder_or_neck_pain", "walked_only_short_distances", "dressed_more_slowly",
                    "not_safe_to_be_active", "worrying_thoughts", "terrible_never_better", "not_enjoyed_things"),
                   "disagree")


def answers(bother="slightly", **agree) -> StartBackAnswers:
    return StartBackAnswers(**(NO | {k: "agree" for k in agree}), bothersome=bother)


@pytest.mark.parametrize(
    ("given", "total", "psychosocial", "group"),
    [
        (answers(), 0, 0, "low"),
        # three physical items: total 3 is still low risk
        (answers(leg_pain=1, walked_only_short_distances=1, dressed_more_slowly=1), 3, 0, "low"),
        # four items, two of them psychosocial: medium
        (answers(leg_pain=1, dressed_more_slowly=1, worrying_thoughts=1, not_enjoyed_things=1), 4, 2, "medium"),
        # item 9 counts only when very much or extremely bothersome: 3 psychosocial + bothersome = 4 -> high
        (answers("very_much", leg_pain=1, not_safe_to_be_active=1, worrying_thoughts=1, terrible_never_better=1),
         5, 4, "high"),
        (answers("moderately", leg_pain=1, not_safe_to_be_active=1, worrying_thoughts=1, terrible_never_better=1),
         4, 3, "medium"),
        (answers("extremely", **dict.fromkeys(NO, 1)), 9, 5, "high"),
    ],
)
def test_scores_and_groups(given, total, psychosocial, group):
    r = score(given, CONTENT)
    assert (r.total, r.psychosocial, r.group) == (total, psychosocial, group)
    assert r.care and r.sources


def test_matched_care_follows_the_group():
    assert "Back Book" in score(answers(), CONTENT).care
    assert "psychologically informed" in score(answers("extremely", **dict.fromkeys(NO, 1)), CONTENT).care
