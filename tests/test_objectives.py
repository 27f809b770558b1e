"""Objectives as data: each lesson's objectives in assets/lessons.yaml are its notebook's "What you will learn" bullets,
word for word; every objective is assessed by at least one self-check question; every lesson has at least two bedside
questions; and a question naming an objective its lesson does not have is refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from widgets.content import loader as content_mod
from widgets.content.lesson_time import notebook_objectives

MIN_BEDSIDE = 2
CONTENT = content_mod.load_content()
LESSONS = sorted(CONTENT.lessons)


def notebook(lesson: str) -> dict:
    return json.loads((ROOT / "lessons" / CONTENT.lessons[lesson].file).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lesson", LESSONS)
def test_objectives_are_the_notebooks_bullets_word_for_word(lesson):
    bullets = notebook_objectives(notebook(lesson))
    assert bullets, f"lesson {lesson}: no bullets under '## What you will learn'"
    assert [o.text for o in CONTENT.lessons[lesson].objectives] == bullets, (
        f"lesson {lesson}: assets/lessons.yaml objectives differ from the notebook's 'What you will learn' bullets")


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_objective_is_assessed_by_a_question(lesson):
    assessed = {oid for q in CONTENT.questions.get(lesson, []) for oid in q.objectives}
    missing = [o.id for o in CONTENT.lessons[lesson].objectives if o.id not in assessed]
    assert not missing, f"lesson {lesson}: no self-check question assesses {missing}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_bedside_questions(lesson):
    bedside = [q.id for q in CONTENT.questions.get(lesson, []) if q.kind == "bedside"]
    assert len(bedside) >= MIN_BEDSIDE, f"lesson {lesson}: {len(bedside)} bedside question(s), at least {MIN_BEDSIDE}"


def test_the_bullet_parser_joins_wrapped_lines_and_stops_at_the_list_end():
    nb = {"cells": [
        {"cell_type": "markdown", "source": "# Title\n\n- not an objective"},
        {"cell_type": "markdown", "source": ["## What you will learn\n", "\n", "- One short aim.\n",
                                             "- A longer aim that wraps\n", "  onto a second line.\n", "\n",
                                             "**Time to learn:** about 5 minutes.\n", "- not a bullet of the list"]},
    ]}
    assert notebook_objectives(nb) == ["One short aim.", "A longer aim that wraps onto a second line."]
    assert notebook_objectives({"cells": []}) == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_question_naming_an_unknown_objective_is_refused_clearly(assets_copy):
    _edit(assets_copy / "questions" / "01.yaml", "objectives: [facet_joints]", "objectives: [facet_joint]")
    assert [str(p) for p in content_mod.check(assets_copy)] == [
        "questions/01.yaml: questions[0].objectives[0]: lesson 01 has no objective 'facet_joint' in lessons.yaml "
        "(did you mean 'facet_joints'?)"]


def test_a_question_without_kind_or_objectives_is_refused(assets_copy):
    _edit(assets_copy / "questions" / "01.yaml", "    kind: reading\n    objectives: [facet_joints]\n", "")
    assert [str(p) for p in content_mod.check(assets_copy)] == [
        "questions/01.yaml: questions[0].kind: required field is missing",
        "questions/01.yaml: questions[0].objectives: required field is missing"]


def test_a_kind_outside_the_two_is_refused(assets_copy):
    _edit(assets_copy / "questions" / "01.yaml", "kind: reading", "kind: recall")
    problems = [str(p) for p in content_mod.check(assets_copy)]
    assert len(problems) == 1 and problems[0].startswith("questions/01.yaml: questions[0].kind: Input should be "
                                                         "'bedside' or 'reading'"), problems


def test_a_duplicate_objective_id_is_refused(assets_copy):
    _edit(assets_copy / "lessons.yaml", "{id: multifidus,", "{id: facet_joints,")
    problems = [str(p) for p in content_mod.check(assets_copy)]
    assert "lessons.yaml: lessons[0].objectives[1].id: duplicate objective id 'facet_joints' in lesson 01" in problems
