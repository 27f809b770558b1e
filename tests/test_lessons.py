"""Lessons as files: the skeleton every lesson follows, text that reads well without code,
and the shared course checks (clean Restart & Run All, no copied sentences)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from widgets.content.loader import PACKAGE_ASSETS, load_content

SHARED = ROOT.parent / "shared"
LESSONS = load_content(PACKAGE_ASSETS).lessons
CODE_TALK = re.compile(r"\b(run (this|the) cell|cell (above|below)|the code (above|below)|execute the cell)\b", re.I)


def cells(file: str) -> list[dict]:
    return json.loads((ROOT / "lessons" / file).read_text())["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_every_lesson_file_is_listed_and_every_listed_lesson_exists():
    on_disk = sorted(p.name for p in (ROOT / "lessons").glob("[0-9]*.ipynb"))
    assert on_disk == sorted(les.file for les in LESSONS.values())
    for les in LESSONS.values():
        assert les.file.startswith(les.id + "_")


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_skeleton(lesson):
    les = LESSONS[lesson]
    cs = cells(les.file)
    markdown = "\n".join(source(c) for c in cs if c["cell_type"] == "markdown")
    assert markdown.lstrip().startswith(f"# {lesson}"), "the lesson opens with its number and title"
    for heading in ("What you will learn", "Self-check", "Summary", "References"):
        assert re.search(rf"^#+ .*{heading}", markdown, re.M | re.I), f"missing section {heading!r}"
    assert re.search(r"time|minutes", markdown, re.I) and re.search(r"prerequisite", markdown, re.I)
    code = [source(c) for c in cs if c["cell_type"] == "code"]
    assert code[0].startswith("from widgets import"), "the first code cell imports the lesson's widgets"
    assert code[1].strip() == "disclaimer()"
    assert any(f'self_check("{lesson}")' in c for c in code)
    assert any(f'reference_list("{lesson}")' in c for c in code)


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_text_does_not_depend_on_seeing_code(lesson):
    for c in cells(LESSONS[lesson].file):
        if c["cell_type"] == "markdown":
            assert not CODE_TALK.search(source(c)), source(c)[:200]


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_cells_are_short_and_outputs_clean(lesson):
    for c in cells(LESSONS[lesson].file):
        if c["cell_type"] != "code":
            continue
        assert len([x for x in source(c).splitlines() if x.strip()]) <= 15
        for out in c.get("outputs", []):
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream"), "no prints or warnings in a lesson"


def test_lesson_08_explains_the_debrief_before_the_case_player():
    """Issue 17: learners met the debrief before being told how to read it. The guide now comes first, and the
    player stays inside section 3, so the lesson's and the notes' section numbers still hold."""
    srcs = [source(c) for c in cells(LESSONS["08"].file)]
    at = {name: next(i for i, s in enumerate(srcs) if s.startswith(start)) for name, start in
          (("play", "## 2 Playing a case"), ("debrief", "## 3 Reading the debrief"), ("cohort", "## 4 "))}  # fmt: skip
    player = srcs.index("case_player()")
    assert at["play"] < at["debrief"] < player < at["cohort"]
    assert "**Good outcomes after poor choices" in "".join(srcs[player:at["cohort"]])  # played first, then read


def _shared_tool(name: str) -> Path:
    tool = SHARED / "tools" / name
    if not tool.exists():
        pytest.skip(f"{tool} not found: the course's shared checks live beside the repository")
    return tool


def test_lessons_are_stored_as_a_clean_run():
    tool = _shared_tool("notebook_hygiene.py")
    result = subprocess.run([sys.executable, str(tool), str(ROOT / "lessons")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_sentence_is_copied_from_the_sources():
    tool = _shared_tool("originality.py")
    result = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_no_execution_timestamps_are_stored(lesson):
    for c in cells(LESSONS[lesson].file):
        assert "execution" not in c.get("metadata", {}), "run `make lessons` (it does not record timing)"
