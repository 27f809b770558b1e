"""Virtual patients: load and check assets/cases/*.yaml (one patient per file).

Checked by `lowback cases validate FILE [FILE ...]`.
Prints `FILE: field.path: what is wrong` for every problem and exits 1, or one line per valid file
and exit 0. The case format is documented in assets/cases/README.md.
"""

from __future__ import annotations

import functools
from pathlib import Path

from widgets.content import schema as s
from widgets.content.loader import Content, ContentError, Problem, Refs, kept, load_content, parse, read_yaml

CASES_DIR = "cases"


def check_case(case: s.Case, rel: str, content: Content) -> list[Problem]:
    """Cross references of one parsed case against the course content."""
    problems: list[Problem] = []
    refs = Refs(problems)
    sources = set(content.documents) | set(content.references)
    for j, sid in enumerate(case.sources):
        refs.check(rel, f"sources[{j}]", sid, sources, "source (document or reference id)")
    for j, fid in enumerate(case.findings):
        refs.check(rel, f"findings[{j}]", fid, content.findings, "finding")
    for j, fid in enumerate(case.red_flags):
        refs.check(rel, f"red_flags[{j}]", fid, content.findings, "finding")
        f = content.findings.get(fid)
        if f is not None and not f.red_flag:
            problems.append(Problem(rel, f"red_flags[{j}]", f"finding {fid!r} is not a flag that stops the climb in "
                                    "findings.yaml (its flag is " + repr(f.flag) + ")"))
    if case.attending is not None:
        for j, sid in enumerate(case.attending.sources):
            refs.check(rel, f"attending.sources[{j}]", sid, sources, "source (document or reference id)")
    for j, pt in enumerate(case.prior_treatments):
        refs.check(rel, f"prior_treatments[{j}].treatment", pt.treatment, content.treatments, "treatment")
    for j, gid in enumerate(case.truth.generators):
        refs.check(rel, f"truth.generators[{j}]", gid, content.conditions, "generator (condition id)")
    return problems


def load_case(path: Path, content: Content) -> tuple[s.Case | None, list[Problem]]:
    problems: list[Problem] = []
    case = parse(s.Case, read_yaml(path, str(path), problems), str(path), problems)
    if case is None:
        return None, problems
    problems += check_case(case, str(path), content)
    return (case if not problems else None), problems


def load_cases(content: Content | None = None) -> dict[str, s.Case]:
    """Every shipped case, by id; raises ContentError listing every problem. For the course's own loaded
    content the result is kept between kernels (see content.kept); any other content is checked afresh."""
    content = content or load_content()
    try:
        canonical = load_content(content.root) is content
    except ContentError:
        canonical = False
    if canonical:
        return dict(_kept_cases(content.root))
    return _load_cases(content)


@functools.lru_cache(maxsize=4)
def _kept_cases(root: Path) -> dict[str, s.Case]:
    return kept("cases", root, lambda: _load_cases(load_content(root)))


def _load_cases(content: Content) -> dict[str, s.Case]:
    cases: dict[str, s.Case] = {}
    problems: list[Problem] = []
    for path in sorted((content.root / CASES_DIR).glob("*.yaml")):
        case, found = load_case(path, content)
        problems += found
        if case is not None:
            if case.id in cases:
                problems.append(Problem(str(path), "id", f"duplicate case id {case.id!r}"))
            cases[case.id] = case
    if problems:
        raise ContentError(problems)
    return cases
