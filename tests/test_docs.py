"""The documentation stays true to the repository: every relative link in README.md, CONTRIBUTING.md, docs/*.md and
deploy/README.md reaches a file (and a `#heading` in a Markdown file, by GitHub's slug rule); the README stays short
enough to read in five minutes; every `lowback COMMAND` the README and docs/ name is a real command; and
docs/benchmarks.md keeps the markers `make bench` writes its table between."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import ROOT
from widgets.cli import parser

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINKED = [README, ROOT / "CONTRIBUTING.md", *DOCS, ROOT / "deploy" / "README.md"]  # every relative link checked
NAMING = [README, ROOT / "CONTRIBUTING.md", *DOCS]  # every `lowback COMMAND` checked
README_MAX_BYTES = 9_000

FENCE = re.compile(r"^\s*(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto:, ...
COMMAND = re.compile(r"(?:^|(?<=[\s`/(]))lowback ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def prose_lines(path: Path) -> list[str]:
    """The lines of a Markdown file outside fenced code blocks."""
    out, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text without link targets, lowercased, punctuation dropped except
    hyphens and spaces (letters, digits and underscores stay), spaces turned into hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows only its text
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor the headings of PATH make; a repeated heading gets -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for line in prose_lines(path):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(path: Path) -> list[str]:
    return [m.group(1) for line in prose_lines(path) for m in LINK.finditer(line)]


def test_the_files_the_links_are_checked_in_exist():
    missing = [_rel(p) for p in LINKED if not p.is_file()]
    assert not missing, f"missing: {missing}"
    assert DOCS, "docs/ has no Markdown pages"


def test_the_slug_rule_is_githubs():
    assert slug("Two commands") == "two-commands"
    assert slug("Asking it: `lowback advise` and `lowback findings`") == "asking-it-lowback-advise-and-lowback-findings"
    assert slug("Old module, new module") == "old-module-new-module"
    assert slug("The [decision engine](x.md): two lenses") == "the-decision-engine-two-lenses"


@pytest.mark.parametrize("doc", LINKED, ids=_rel)
def test_every_relative_link_resolves(doc):
    problems = []
    for target in links(doc):
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (doc.parent / unquote(file_part)).resolve() if file_part else doc
        if not dest.exists():
            problems.append(f"{target}: no such file")
            continue
        if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading #{anchor} in {_rel(dest)}")
    assert not problems, f"{_rel(doc)}: " + "; ".join(problems)


def test_the_readme_reads_in_five_minutes():
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes (at most {README_MAX_BYTES}): move detail to docs/"


def _commands() -> dict[str, set[str] | None]:
    """lowback's commands -> the names of their own subcommands (None for a command that takes none)."""
    def sub(p: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
        return next((a for a in p._actions if isinstance(a, argparse._SubParsersAction)), None)

    top = sub(parser())
    assert top is not None
    out: dict[str, set[str] | None] = {}
    for name, p in top.choices.items():
        inner = sub(p)
        out[name] = set(inner.choices) if inner else None
    return out


def test_every_lowback_command_named_in_the_readme_and_docs_exists():
    commands = _commands()
    assert {"check", "advise", "dose", "cohort", "schemas"} <= set(commands)
    problems, named = [], 0
    for doc in NAMING:
        for m in COMMAND.finditer(doc.read_text(encoding="utf-8")):
            name, action = m.group(1), m.group(2)
            named += 1
            if name not in commands:
                problems.append(f"{_rel(doc)}: `lowback {name}` is not a command")
            elif commands[name] is not None and action is not None and action not in commands[name]:
                problems.append(f"{_rel(doc)}: `lowback {name} {action}` is not a command")
    assert named, "no `lowback COMMAND` found: the pattern no longer matches the docs"
    assert not problems, "; ".join(problems)


def test_docs_benchmarks_has_the_markers_the_bench_writes_between():
    bench = ROOT / "benchmarks" / "bench_dashboards.py"
    tree = ast.parse(bench.read_text(encoding="utf-8"))
    markers = next(
        ast.literal_eval(node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple)
        and [getattr(t, "id", None) for t in node.targets[0].elts] == ["START", "END"]
    )
    start, end = markers
    assert '"docs" / "benchmarks.md"' in bench.read_text(encoding="utf-8"), "the bench should write docs/benchmarks.md"
    page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert page.count(start) == 1 and page.count(end) == 1, f"docs/benchmarks.md needs one {start} and one {end}"
    assert page.index(start) < page.index(end)
    assert start not in README.read_text(encoding="utf-8"), "the bench's table lives in docs/benchmarks.md now"
