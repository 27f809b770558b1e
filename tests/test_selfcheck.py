"""Self-check model: feedback explains the chosen answer; the score counts the latest answers."""

from __future__ import annotations

import pytest

from widgets.selfcheck import SelfCheckModel


def test_right_and_wrong_answers_get_their_own_feedback(fixture_content):
    quiz = SelfCheckModel(fixture_content, "01")
    wrong = quiz.answer("q_facet", 1)
    assert (wrong.correct, wrong.explanation) == (False, "Wrong because that is marrow.")
    right = quiz.answer("q_facet", 0)
    assert (right.correct, right.chosen, right.sources) == (True, "Guide motion", ("S1",))
    assert quiz.score == (1, 1, 2)  # a second answer replaces the first


def test_score_over_several_questions(fixture_content):
    quiz = SelfCheckModel(fixture_content, "01")
    quiz.answer("q_facet", 0)
    quiz.answer("q_multifidus", 1)
    assert quiz.score == (1, 2, 2)


@pytest.mark.parametrize("choice", [-1, 2, True, "0"])
def test_impossible_choice_is_refused(fixture_content, choice):
    with pytest.raises(ValueError, match="choose one of the 2 answers"):
        SelfCheckModel(fixture_content, "01").answer("q_facet", choice)


def test_unknown_question_or_lesson(fixture_content):
    with pytest.raises(ValueError, match="no question 'q_x'"):
        SelfCheckModel(fixture_content, "01").answer("q_x", 0)
    with pytest.raises(ValueError, match="no self-check questions for lesson '07'"):
        SelfCheckModel(fixture_content, "07")
