"""Time to learn: one rule (widgets/content/lesson_time.py) gives each lesson's minutes from its notebook, and both
places a lesson states its time (assets/lessons.yaml and the notebook's "Time to learn" line) say what the rule
gives."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from widgets.content import lesson_time as lt
from widgets.content.loader import load_content

CONTENT = load_content()
QUESTIONS = {lesson: len(qs) for lesson, qs in CONTENT.questions.items()}
RECOMPUTE = "run `.venv/bin/python -m widgets.content.lesson_time --write {}` (docs/content-authoring.md#time-to-learn)"


@pytest.mark.parametrize("lesson", sorted(CONTENT.lessons))
def test_lesson_states_the_time_the_rule_gives(lesson):
    nb = json.loads((ROOT / "lessons" / CONTENT.lessons[lesson].file).read_text(encoding="utf-8"))
    rule = lt.lesson_minutes(nb, QUESTIONS)
    assert CONTENT.lessons[lesson].minutes == rule, f"lessons.yaml says {CONTENT.lessons[lesson].minutes} for " \
        f"lesson {lesson}; the rule gives {rule}: " + RECOMPUTE.format(lesson)
    assert lt.stated_minutes(nb) == rule, f"lesson {lesson}'s 'Time to learn' line says {lt.stated_minutes(nb)}; " \
        f"the rule gives {rule}: " + RECOMPUTE.format(lesson)


def test_readme_table_shows_each_lessons_minutes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for les in CONTENT.lessons.values():
        assert f"| {les.id} | {les.title} | {les.minutes} |" in readme, f"README's lesson table: lesson {les.id}"


# --- the rule on a tiny notebook ---------------------------------------------------------------------------


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "source": text}


def _code(text: str) -> dict:
    return {"cell_type": "code", "source": text, "outputs": []}


def _notebook(words: int, *code: str, minutes: int = 5) -> dict:
    return {"cells": [
        _md(f"## What you will learn\n\n- One aim.\n\n**Time to learn:** about {minutes} minutes.\n"),
        _md(" ".join(["word"] * words)),
        *(_code(c) for c in code),
    ]}


def test_words_only_are_read_at_the_stated_rate_and_rounded_up():
    header = lt.count_words(_notebook(0)["cells"][0]["source"])
    nb = _notebook(lt.READING_WORDS_PER_MINUTE * 3 - header)  # exactly three minutes of reading
    t = lt.lesson_time(nb, {})
    assert (t.words, t.tools, t.displays, t.questions) == (lt.READING_WORDS_PER_MINUTE * 3, 0, 0, 0)
    assert t.exact == pytest.approx(3) and t.minutes == 5
    assert lt.lesson_time(_notebook(lt.READING_WORDS_PER_MINUTE * 5 - header), {}).minutes == 5  # 5 stays 5
    assert lt.lesson_time(_notebook(lt.READING_WORDS_PER_MINUTE * 5 - header + 1), {}).minutes == 10


def test_tools_tables_and_questions_each_add_their_fixed_time():
    nb = _notebook(0, "from widgets import triage, figure_table, self_check, disclaimer, reference_list",
                   "disclaimer()", "triage()", "figure_table(\"a\", \"b\")\nglossary(\"x\")",
                   "self_check(\"07\")", "reference_list(\"07\")", "live_session()")
    t = lt.lesson_time(nb, {"07": 3, "08": 10})
    assert (t.tools, t.displays, t.questions) == (1, 2, 3)
    expected = (t.words / lt.READING_WORDS_PER_MINUTE + lt.INTERACTIVE_TOOL_MINUTES + 2 * lt.DISPLAY_MINUTES
                + 3 * lt.QUESTION_MINUTES)
    assert t.exact == pytest.approx(expected)
    assert lt.lesson_minutes(nb, {"07": 3}) == lt.round_up(expected)


def test_every_view_a_lesson_can_call_is_counted_one_way():
    import widgets

    kinds = (lt.INTERACTIVE_TOOLS, lt.DISPLAYS, lt.NOT_COUNTED)
    for name in widgets.__all__:
        assert sum(name in k for k in kinds) == 1, (
            f"widgets.{name}: add it to one of INTERACTIVE_TOOLS, DISPLAYS or NOT_COUNTED in "
            "widgets/content/lesson_time.py")


def test_round_up_and_the_parsers():
    assert [lt.round_up(x) for x in (0, 0.1, 5, 5 + 1e-9, 5.01, 41, 45)] == [5, 5, 5, 5, 10, 45, 45]
    assert lt.count_words("An **L4/5** disc, see [NICE](https://example.org/a-b) | --- |") == 6  # L4/5 is two
    assert lt.calls("x = 1\ntriage()\n  case_player(case='a')\n# cohort_view()") == ["triage", "case_player"]
    assert lt.stated_minutes(_notebook(0, minutes=35)) == 35
    assert lt.stated_minutes({"cells": [_md("## What you will learn\n\n- aim")]}) is None


def test_write_changes_only_the_time_line(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_markdown_cell("## What you will learn\n\n- Aim.\n\n**Time to learn:** about 5 minutes, "
                                      "mostly playing.\n**Prerequisites:** none."),
        nbformat.v4.new_code_cell("triage()"),
    ])
    path = tmp_path / "99_x.ipynb"
    nbformat.write(nb, path)
    before = path.read_text(encoding="utf-8")
    assert lt._write_notebook_minutes(path, 15)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("about 5 minutes, ", "about 15 minutes, ")
    assert not lt._write_notebook_minutes(path, 15)  # already right: the file is left alone
