"""STarT Back scoring (reference sheet 3.6) against worked examples, the matched care (7.7), and a learner's own
entries with items left unanswered."""

from __future__ import annotations

import pytest

from widgets.content.cases import load_cases
from widgets.content.loader import load_content
from widgets.content.schema import BOTHER, StartBackAnswers
from widgets.models import odi
from widgets.models.startback import (
    BOTHER_WORDS,
    QUESTIONS,
    WORDING,
    Incomplete,
    StartBackResult,
    score,
    score_partial,
)

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


# --- the learner's own entries: missing answers give no score (the sheet has no rule for prorating) -------------

ALL = NO | {"bothersome": "slightly"}


def test_a_complete_set_of_own_entries_scores_as_the_case_answers_do():
    own = ALL | {"leg_pain": "agree", "worrying_thoughts": "agree", "not_enjoyed_things": "agree",
                 "dressed_more_slowly": "agree"}
    r = score_partial(own, CONTENT)
    assert isinstance(r, StartBackResult) and (r.total, r.psychosocial, r.group) == (4, 2, "medium")
    assert r == score(StartBackAnswers(**own), CONTENT)


@pytest.mark.parametrize(
    ("unanswered", "numbers"),
    [
        (["leg_pain"], [1]),
        (["walked_only_short_distances", "bothersome"], [3, 9]),
        (list(QUESTIONS), list(range(1, 10))),
    ],
)
def test_unanswered_items_are_named_by_number_and_wording_and_no_score_is_given(unanswered, numbers):
    r = score_partial(ALL | dict.fromkeys(unanswered), CONTENT)
    assert isinstance(r, Incomplete)
    assert [n for n, _ in r.missing] == numbers
    assert [text for _, text in r.missing] == [WORDING[q] for q in unanswered]
    for n, text in r.missing:
        assert f"item {n}, {text}" in r.message
    assert "no score" in r.message and "gives no rule" in r.message


def test_a_missing_item_that_could_not_change_the_group_still_gives_no_score():
    """Eight items agreed would make the group high whatever item 9 says, but the course still gives no score:
    it does not invent a rule for incomplete answers."""
    r = score_partial(dict.fromkeys(NO, "agree") | {"bothersome": None}, CONTENT)
    assert isinstance(r, Incomplete) and r.missing == ((9, WORDING["bothersome"]),)


def test_absent_items_count_as_unanswered():
    r = score_partial({"leg_pain": "agree"}, CONTENT)
    assert isinstance(r, Incomplete) and [n for n, _ in r.missing] == list(range(2, 10))


@pytest.mark.parametrize(("bad", "message"), [
    ({"leg_pain": "maybe"}, "item 1: 'maybe' is not one of its answers"),
    ({"bothersome": "agree"}, "item 9: 'agree' is not one of its answers"),
    ({"jogging": "agree"}, "no item called 'jogging'"),
])
def test_answers_the_tool_does_not_offer_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        score_partial(ALL | bad, CONTENT)


def test_the_wording_covers_all_nine_items_and_the_five_answers_to_item_nine():
    assert list(WORDING) == list(QUESTIONS) and len(QUESTIONS) == 9
    assert tuple(BOTHER_WORDS) == BOTHER


def test_every_shipped_case_has_odi_answers_and_a_start_back_group():
    """Every case patient can fill the scoring tools: a STarT Back group, and ODI answers whose index agrees with
    the case's baseline function (the Oswestry index, %) to within a point."""
    cases = load_cases(CONTENT)
    assert cases
    for case in cases.values():
        assert case.start_back is not None and case.odi is not None, case.id
        assert score(case.start_back, CONTENT).group in ("low", "medium", "high")
        r = odi.score(case.odi.model_dump())
        assert isinstance(r, odi.OdiResult), case.id
        assert abs(r.index - case.baseline.function) <= 1, (case.id, r.index, case.baseline.function)
