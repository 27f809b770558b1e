"""How long a lesson takes: one rule, computed from the lesson's notebook, so that the time a lesson states
("**Time to learn:** about N minutes." in its objectives cell, and `minutes:` in assets/lessons.yaml) can be
checked instead of guessed.

    minutes = words of the markdown cells / READING_WORDS_PER_MINUTE
            + INTERACTIVE_TOOL_MINUTES for each interactive tool the code cells show
            + DISPLAY_MINUTES for each table, card or glossary box they show
            + QUESTION_MINUTES for each self-check question of the lesson
    rounded up to a multiple of ROUND_TO.

The constants are the course's working assumptions, not measured values; docs/content-authoring.md says why
each was chosen. Recompute every lesson (and rewrite the stated times) with

    .venv/bin/python -m widgets.content.lesson_time            # print the table, exit 1 if a time is out of date
    .venv/bin/python -m widgets.content.lesson_time --write    # rewrite lessons.yaml and the notebooks' lines

Pure Python: the notebook is read as JSON; only `--write` uses nbformat.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

READING_WORDS_PER_MINUTE = 150  # dense clinical text read to be understood, not skimmed
INTERACTIVE_TOOL_MINUTES = 5  # trying the suggested cases in one explorer, widget or player
DISPLAY_MINUTES = 1  # reading one figure table, treatment card, guideline view or glossary box
QUESTION_MINUTES = 2  # answering one self-check question and reading its feedback
ROUND_TO = 5

# What a code cell calls (widgets/__init__.py). Tools the learner works with:
INTERACTIVE_TOOLS = frozenset({
    "advise_me", "anatomy_explorer", "case_player", "cohort_view", "ladder_explorer", "leg_map",
    "pain_pattern_explorer", "post_test_probability", "progress_panel", "review_session", "root_localiser",
    "scoring_tools", "tpi_dose_check", "triage",
})
# Static content the learner reads, whose words are in the output rather than in a markdown cell:
DISPLAYS = frozenset({
    "course_map", "evidence_grades", "figure_table", "glossary", "guideline_view", "root_table",
    "simulation_assumptions", "source_documents", "treatment_cards",
})
# Not counted as such: disclaimer() (the same banner on every lesson), reference_list() (looked up, not read
# through), live_session() (used only in a class an instructor runs); self_check() counts by its questions.
NOT_COUNTED = frozenset({"disclaimer", "live_session", "reference_list", "self_check"})

WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
CALL = re.compile(r"^\s*([A-Za-z_]\w*)\(", re.M)
SELF_CHECK = re.compile(r"\bself_check\(\s*['\"]([0-9]{2})['\"]")
TIME_LINE = re.compile(r"\*\*Time to learn:\*\* about (\d+) minutes")
OBJECTIVES_HEADING = "## What you will learn"


@dataclass(frozen=True)
class LessonTime:
    """What the rule counted in one notebook, and the minutes it gives."""

    words: int
    tools: int
    displays: int
    questions: int

    @property
    def exact(self) -> float:
        return (self.words / READING_WORDS_PER_MINUTE + self.tools * INTERACTIVE_TOOL_MINUTES
                + self.displays * DISPLAY_MINUTES + self.questions * QUESTION_MINUTES)

    @property
    def minutes(self) -> int:
        return round_up(self.exact)


def round_up(minutes: float, step: int = ROUND_TO) -> int:
    """Up to the next multiple of `step` (at least one step): 41 -> 45, 45 -> 45, 0 -> 5."""
    return max(step, step * math.ceil(round(minutes, 6) / step))


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def count_words(markdown: str) -> int:
    """Words a reader reads: runs of letters or digits (so 'L4/5' is two, 'non-specific' one); link targets
    and markup such as table rules are not words."""
    return len(WORD.findall(LINK_TARGET.sub("]", markdown)))


def calls(code: str) -> list[str]:
    """The functions a code cell calls at the start of a line, in order (`triage()` -> ['triage'])."""
    return CALL.findall(code)


def lesson_time(notebook: Mapping[str, Any], questions: Mapping[str, int]) -> LessonTime:
    """Count a notebook (its JSON as a dict) by the rule. `questions` is the number of self-check questions per
    lesson id, for the notebook's `self_check("NN")` cells."""
    words = tools = displays = asked = 0
    for cell in notebook.get("cells", []):
        text = _source(cell)
        if cell.get("cell_type") == "markdown":
            words += count_words(text)
        elif cell.get("cell_type") == "code":
            names = calls(text)
            tools += sum(n in INTERACTIVE_TOOLS for n in names)
            displays += sum(n in DISPLAYS for n in names)
            asked += sum(questions.get(lesson, 0) for lesson in SELF_CHECK.findall(text))
    return LessonTime(words=words, tools=tools, displays=displays, questions=asked)


def lesson_minutes(notebook: Mapping[str, Any], questions: Mapping[str, int]) -> int:
    """The rule: minutes to learn the lesson, rounded up to ROUND_TO."""
    return lesson_time(notebook, questions).minutes


def objectives_cell(notebook: Mapping[str, Any]) -> int | None:
    """Index of the markdown cell that starts with "## What you will learn", or None."""
    for i, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") == "markdown" and _source(cell).lstrip().startswith(OBJECTIVES_HEADING):
            return i
    return None


def notebook_objectives(notebook: Mapping[str, Any]) -> list[str]:
    """The bullets of the "What you will learn" cell, each joined to one line."""
    i = objectives_cell(notebook)
    if i is None:
        return []
    bullets: list[str] = []
    for line in _source(notebook["cells"][i]).splitlines():
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif bullets and line.startswith("  ") and line.strip():
            bullets[-1] += " " + line.strip()
        elif bullets and not line.strip():
            break  # the bullet list ends at the first blank line
    return bullets


def stated_minutes(notebook: Mapping[str, Any]) -> int | None:
    """N from "**Time to learn:** about N minutes" in the objectives cell, or None."""
    i = objectives_cell(notebook)
    m = TIME_LINE.search(_source(notebook["cells"][i])) if i is not None else None
    return int(m.group(1)) if m else None


# --- recompute, and rewrite the stated times --------------------------------------------------------------


def _question_counts(assets: Path) -> dict[str, int]:
    import yaml

    counts: dict[str, int] = {}
    for path in sorted((assets / "questions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        counts[str(data.get("lesson"))] = counts.get(str(data.get("lesson")), 0) + len(data.get("questions") or [])
    return counts


def _write_notebook_minutes(path: Path, minutes: int) -> bool:
    """Change N in the objectives cell's "Time to learn" line, leaving every other cell as it was."""
    import nbformat

    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    i = objectives_cell(nb)
    if i is None:
        return False
    cell = nb.cells[i]
    new = TIME_LINE.sub(f"**Time to learn:** about {minutes} minutes", cell.source, count=1)
    if new == cell.source:
        return False
    cell.source = new
    nbformat.write(nb, path)
    return True


def _write_yaml_minutes(path: Path, lesson: str, minutes: int) -> bool:
    """Change `minutes:` in one lesson's entry of lessons.yaml, keeping the rest of the text."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f'  - id: "{lesson}"\n')
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end
    block = re.sub(r"(?m)^(    minutes: )\d+$", rf"\g<1>{minutes}", text[start:end], count=1)
    if block == text[start:end]:
        return False
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="python -m widgets.content.lesson_time", description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson ids (default: all)")
    parser.add_argument("--write", action="store_true",
                        help="rewrite minutes in assets/lessons.yaml and the notebooks' 'Time to learn' lines")
    parser.add_argument("--yaml-only", action="store_true", help="with --write: leave the notebooks alone")
    args = parser.parse_args(argv)
    import yaml

    assets, lessons_dir = root / "assets", root / "lessons"
    counts = _question_counts(assets)
    stale = 0
    print("lesson  words  tools  displays  questions  rule  lessons.yaml  notebook")
    for les in yaml.safe_load((assets / "lessons.yaml").read_text(encoding="utf-8"))["lessons"]:
        if args.lessons and les["id"] not in args.lessons:
            continue
        path = lessons_dir / les["file"]
        nb = json.loads(path.read_text(encoding="utf-8"))
        t = lesson_time(nb, counts)
        said = stated_minutes(nb)
        print(f"{les['id']:>6}  {t.words:>5}  {t.tools:>5}  {t.displays:>8}  {t.questions:>9}  {t.minutes:>4}  "
              f"{les['minutes']:>12}  {said if said is not None else '-':>8}")
        if args.write:
            _write_yaml_minutes(assets / "lessons.yaml", les["id"], t.minutes)
            if not args.yaml_only:
                _write_notebook_minutes(path, t.minutes)
        elif t.minutes != les["minutes"] or said != t.minutes:
            stale += 1
    if stale:
        print(f"{stale} lesson(s) state a time the rule does not give; run with --write", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
