"""Self-check model: feedback explains the chosen answer; the score counts the latest answers."""

from __future__ import annotations

import pytest

from widgets.models.selfcheck import SelfCheckModel


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


def test_choices_are_shown_in_a_stable_shuffled_order(fixture_content):
    quiz = SelfCheckModel(fixture_content, "01")
    assert sorted(quiz.order("q_facet")) == [0, 1]
    assert quiz.order("q_facet") == SelfCheckModel(fixture_content, "01").order("q_facet")


def test_shipped_questions_do_not_always_put_the_right_answer_first():
    from widgets.content.loader import load_content

    content = load_content()
    for lesson in content.questions:
        quiz = SelfCheckModel(content, lesson)
        first_shown = [q.choices[quiz.order(q.id)[0]].correct for q in quiz.questions]
        assert not all(first_shown), f"lesson {lesson}: the right answer is always shown first"


def test_saved_answers_are_restored_with_their_feedback_and_count_in_the_score(fixture_content):
    m = SelfCheckModel(fixture_content, "01")
    qs = [q.id for q in m.questions]
    right = {q.id: next(i for i, c in enumerate(q.choices) if c.correct) for q in m.questions}
    shown = m.restore({qs[0]: right[qs[0]], "gone_from_the_lesson": 0})
    assert list(shown) == [qs[0]] and shown[qs[0]][0] == right[qs[0]] and shown[qs[0]][1].correct
    assert m.score == (1, 1, len(qs))


def test_restore_leaves_out_a_question_being_chosen_again_and_a_choice_that_no_longer_exists(fixture_content):
    m = SelfCheckModel(fixture_content, "01")
    first = m.questions[0]
    shown = m.restore({first.id: 0}, skip={first.id})
    assert shown == {} and m.score[1] == 0
    assert m.restore({first.id: len(first.choices) + 3}) == {} and m.score[1] == 0
