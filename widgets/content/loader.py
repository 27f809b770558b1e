"""Load and check the course content in assets/: one loader, clear one-line problems.

Checked by `lowback check [--assets DIR]`.
Prints one line per problem, `FILE: field.path: what is wrong`, and exits 1; or a one-line
summary and exit 0 when everything is valid.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import pickle
import platform
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml
from pydantic import BaseModel, ValidationError

from widgets.content import schema as s

ASSETS_ENV = "LOWBACK_ASSETS"
CACHE_ENV = "LOWBACK_CACHE"  # folder for validated content between kernels; "off" for none
PACKAGE_ASSETS = Path(__file__).resolve().parents[2] / "assets"
DIAGRAM = "diagrams/lumbar.svg"

# file name -> schema; all required. A list kind named in SPLIT may instead (or also) be kept as
# several files in a folder of the same name (treatments/*.yaml), so each lesson's content has a home.
FILES: dict[str, type[BaseModel]] = {
    "documents.yaml": s.DocumentsFile,
    "references.yaml": s.ReferencesFile,
    "structures.yaml": s.StructuresFile,
    "roots.yaml": s.RootsFile,
    "conditions.yaml": s.ConditionsFile,
    "treatments.yaml": s.TreatmentsFile,
    "glossary.yaml": s.GlossaryFile,
    "figures.yaml": s.FiguresFile,
    "lessons.yaml": s.LessonsFile,
    "pain_patterns.yaml": s.PainPatternsFile,
    "findings.yaml": s.FindingsFile,
    "ladder.yaml": s.LadderFile,
    "dosing.yaml": s.DosingFile,
    "simulation.yaml": s.SimulationFile,
}
SPLIT = {"references.yaml": "references", "treatments.yaml": "treatments", "figures.yaml": "figures",
         "glossary.yaml": "terms", "findings.yaml": "findings"}
Located = tuple[str, int, Any]  # (file, index in that file's list, item)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, printed as `FILE: field.path: what is wrong`."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class ContentError(Exception):
    """Raised when content does not load; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Content:
    """All course content, validated and indexed by id."""

    root: Path
    documents: dict[str, s.Document]
    references: dict[str, s.Reference]
    structures: dict[str, s.Structure]
    roots: dict[str, s.NerveRoot]
    conditions: dict[str, s.Condition]
    treatments: dict[str, s.Treatment]
    terms: dict[str, s.Term]
    figures: dict[str, s.Figure]
    lessons: dict[str, s.Lesson]
    pain_patterns: s.PainPatternsFile
    findings: dict[str, s.Finding] = field(default_factory=dict)
    ladder: s.LadderFile | None = None
    dosing: s.DosingFile | None = None
    parameters: dict[str, s.Parameter] = field(default_factory=dict)
    simulation: s.SimulationFile | None = None
    questions: dict[str, list[s.Question]] = field(default_factory=dict)  # by lesson id
    diagram: str = ""  # the SVG text
    root_exam: s.RootsFile | None = None  # roots.yaml whole: the localiser's findings, caveats and patients

    def source_label(self, source_id: str) -> str:
        """A short human label for a document or reference id."""
        if source_id in self.documents:
            return source_id
        ref = self.references[source_id]
        return ref.short or short_citation(ref.citation)

    def humanise(self, text: str) -> str:
        """Reference ids inside prose ("(nice_ng59)") written as their labels ("(NICE NG59 2016)"), as every content
        file is when it loads; for text from elsewhere, such as a case file."""
        labels = {rid: self.source_label(rid) for rid in self.references}
        if not labels:
            return text
        pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\b")
        return pattern.sub(lambda m: labels[m.group(1)], text)

    def treatments_for(self, structure_id: str) -> list[s.Treatment]:
        return [t for t in self.treatments.values() if structure_id in t.targets]


def short_citation(citation: str) -> str:
    """'Brinjikji W, Luetmer PH, ... AJNR 2015;36:811' -> 'Brinjikji 2015' (best effort)."""
    first = citation.split(",")[0].split(" ")[0].strip(". ")
    year = next((w[:4] for w in citation.replace(";", " ").replace(".", " ").split() if w[:4].isdigit()
                 and w[:2] in ("19", "20")), "")
    return f"{first} {year}".strip()


def assets_root(root: str | Path | None = None) -> Path:
    """The assets folder: the argument, else $LOWBACK_ASSETS, else the one beside the package."""
    if root is not None:
        return Path(root).resolve()
    env = os.environ.get(ASSETS_ENV)
    return Path(env).resolve() if env else PACKAGE_ASSETS


def location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling)"
    msg = err["msg"].removeprefix("Value error, ")
    if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type", "model_type", "int_parsing"):
        return f"{msg}, got {type(got).__name__} {got!r}"[:200]
    if kind == "literal_error":
        return f"{msg}, got {got!r}"[:300]
    return msg


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UNREADABLE = object()  # the file could not be read or parsed; already reported


def read_yaml(path: Path, rel: str, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(rel, "(file)", "file is missing"))
        return _UNREADABLE
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "(file)", f"cannot be read: {exc}"))
        return _UNREADABLE
    try:
        # libyaml's loader when PyYAML has it (about 0.35 s less on every lesson start); on an error the
        # pure-Python loader reads the file again, because its messages are more specific (it names a tab).
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(yaml)"
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(rel, where, f"not valid YAML: {what}"))
        return _UNREADABLE


def parse(model: type[BaseModel], data: Any, rel: str, problems: list[Problem]) -> Any:
    if data is _UNREADABLE:
        return None
    if data is None:
        problems.append(Problem(rel, "(top level)", "file is empty"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(Problem(rel, location(err["loc"]), describe(err)))
        return None


# Fields that hold ids; everything else is prose, where a reference id is shown as its label.
ID_FIELDS = {"id", "sources", "targets", "conditions", "structures", "structure", "reference", "references",
             "cited_by", "when", "lesson", "document", "file", "prerequisites", "figures", "findings",
             "toxicity_sources"}


def humaniser(parts: list[s.ReferencesFile | None]):
    """Returns a function that rewrites reference ids inside prose ("(nice_ng59)") as their labels."""
    if any(p is None for p in parts):
        return lambda data: data
    labels = {r.id: r.short or short_citation(r.citation) for p in parts for r in p.references}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\b")

    def walk(data: Any, key: str = "") -> Any:
        if key in ID_FIELDS and (isinstance(data, str) or
                                 (isinstance(data, list) and all(isinstance(x, str) for x in data))):
            return data
        if isinstance(data, str):
            return pattern.sub(lambda m: labels[m.group(1)], data)
        if isinstance(data, list):
            return [walk(x, key) for x in data]
        if isinstance(data, dict):
            return {k: walk(v, k if isinstance(k, str) else "") for k, v in data.items()}
        return data

    return walk


def _index(items: list[Located], key: str, problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rel, i, item in items:
        if item.id in out:
            problems.append(Problem(rel, f"{key}[{i}].id", f"duplicate id {item.id!r}"))
        out[item.id] = item
    return out


ACTIONS = ("advice", "imaging", "wait")  # strategy steps that are not treatments


def check_unique_and_sourced(rel: str, groups, check_sources, problems: list[Problem]) -> None:
    """For each (key, items) of GROUPS: every item names known sources and no two share an id."""
    for key, items in groups:
        seen: set[str] = set()
        for i, item in enumerate(items):
            check_sources(rel, f"{key}[{i}]", item.sources)
            if item.id in seen:
                problems.append(Problem(rel, f"{key}[{i}].id", f"duplicate id {item.id!r}"))
            seen.add(item.id)


def _check_simulation(sim: s.SimulationFile, idx: dict, refs: Refs, check_sources, problems: list[Problem]) -> None:
    """Effects, natural courses and strategies point at real treatments, conditions and figures."""
    rel = "simulation.yaml"
    owner: dict[str, str] = {}
    groups = (("effects", sim.effects), ("natural_course", sim.natural_course), ("strategies", sim.strategies))
    check_unique_and_sourced(rel, groups, check_sources, problems)
    for key, items in groups:
        for i, item in enumerate(items):
            for j, fid in enumerate(getattr(item, "figures", [])):
                refs.check(rel, f"{key}[{i}].figures[{j}]", fid, idx["figures"], "figure")
    for i, eff in enumerate(sim.effects):
        for j, tid in enumerate(eff.treatments):
            refs.check(rel, f"effects[{i}].treatments[{j}]", tid, idx["treatments"], "treatment")
            if tid in owner:
                problems.append(Problem(rel, f"effects[{i}].treatments[{j}]",
                                        f"treatment {tid!r} already belongs to effect {owner[tid]!r}"))
            owner.setdefault(tid, eff.id)
    for i, nc in enumerate(sim.natural_course):
        for j, gid in enumerate(nc.generators):
            refs.check(rel, f"natural_course[{i}].generators[{j}]", gid, idx["conditions"], "condition")
        if nc.world == "trials" and (nc.floor_mean is None or nc.tau_median_weeks is None):
            problems.append(Problem(rel, f"natural_course[{i}]", "a course of the trials' world needs floor_mean "
                                    "and tau_median_weeks"))
    for world in s.WORLDS:
        courses = [nc for nc in sim.natural_course if nc.world == world]
        if sim.natural_course and not any(not nc.generators and nc.max_case_weeks is None for nc in courses):
            problems.append(Problem(rel, "natural_course", f"the {world}' world needs one course with no generators "
                                    "and no max_case_weeks: the default for the rest"))
    for i, eff in enumerate(sim.effects):
        if eff.trials is not None:
            check_sources(rel, f"effects[{i}].trials", eff.trials.sources)
            for j, fid in enumerate(eff.trials.figures):
                refs.check(rel, f"effects[{i}].trials.figures[{j}]", fid, idx["figures"], "figure")
    for i, st in enumerate(sim.strategies):
        for j, step in enumerate(st.steps):
            known = set(idx["treatments"]) | set(ACTIONS)
            refs.check(rel, f"strategies[{i}].steps[{j}].treatment", step.treatment, known, "treatment or action")
    for i, eff in enumerate(sim.effects):
        if eff.session_parameter:
            refs.check(rel, f"effects[{i}].session_parameter", eff.session_parameter, idx["parameters"], "parameter")


class Refs:
    """Checks that ids point at something that exists, with a 'did you mean' hint."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def check(self, rel: str, path: str, value: str, known: dict[str, Any] | set[str], what: str) -> None:
        if value in known:
            return
        close = difflib.get_close_matches(value, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.problems.append(Problem(rel, path, f"unknown {what} {value!r}{hint}"))


def _check_flags(ladder: s.LadderFile, findings: dict, refs: Refs, check_sources, problems: list[Problem]) -> None:
    """Every kind of flag a finding carries has its entry (urgency, what to do now, how fast), and the red-flag
    overlay lists only flags that stop the climb."""
    combos = ("cord_compression", "several_weak_flags")
    kinds = {k.id for k in ladder.red_flags.kinds}
    for i, k in enumerate(ladder.red_flags.kinds):
        if k.id not in s.FLAGS and k.id not in combos:
            refs.check("ladder.yaml", f"red_flags.kinds[{i}].id", k.id, set(s.FLAGS) | set(combos), "flag kind")
        check_sources("ladder.yaml", f"red_flags.kinds[{i}]", k.sources)
    for fid, fnd in findings.items():
        if fnd.flag and fnd.flag not in kinds:
            problems.append(Problem("ladder.yaml", "red_flags.kinds",
                                    f"no entry for flag kind {fnd.flag!r} (finding {fid!r})"))
    used = {f.flag for f in findings.values()}
    for combo, needs in (("cord_compression", "malignancy"), ("several_weak_flags", "weak")):
        if needs in used and combo not in kinds:
            problems.append(Problem("ladder.yaml", "red_flags.kinds", f"no entry for {combo!r} ({needs} flags exist)"))
    for j, fid in enumerate(ladder.red_flags.findings):
        if fid in findings and not findings[fid].red_flag:
            problems.append(Problem("ladder.yaml", f"red_flags.findings[{j}]",
                                    f"{fid!r} does not stop the climb (its flag is {findings[fid].flag!r})"))


def _check_root_exam(exam: s.RootsFile, roots: dict, refs: Refs, check_sources, problems: list[Problem]) -> None:
    """The localiser's findings point at roots in the table, its caveats at something that can happen, and its
    practice patients at findings, a root and a disc the quiz offers."""
    rel = "roots.yaml"
    findings: dict[str, s.RootFinding] = {}
    check_unique_and_sourced(rel, (("findings", exam.findings), ("caveats", exam.caveats),
                                   ("vignettes", exam.vignettes)), check_sources, problems)
    for i, fnd in enumerate(exam.findings):
        findings[fnd.id] = fnd
        for j, rid in enumerate(fnd.roots):
            refs.check(rel, f"findings[{i}].roots[{j}]", rid, roots, "root")
    events = {"always", "nothing", "localised", "tie", "mixed", *s.ROOT_FINDING_KINDS, *findings}
    for i, cav in enumerate(exam.caveats):
        refs.check(rel, f"caveats[{i}].when", cav.when, events, "caveat condition")
    discs = {r.disc for r in roots.values() if r.disc} | {s.CANT_TELL}
    for i, vig in enumerate(exam.vignettes):
        for j, fid in enumerate(vig.findings):
            refs.check(rel, f"vignettes[{i}].findings[{j}]", fid, findings, "finding")
        refs.check(rel, f"vignettes[{i}].root", vig.root, set(roots) | {s.CANT_TELL}, "root")
        refs.check(rel, f"vignettes[{i}].disc", vig.disc, discs, "disc")


def _diagram_ids(svg_text: str, rel: str, problems: list[Problem]) -> set[str]:
    try:
        tree = ET.fromstring(svg_text)
    except ET.ParseError as exc:
        problems.append(Problem(rel, "(file)", f"not valid SVG/XML: {exc}"))
        return set()
    return {el.attrib["data-structure"] for el in tree.iter() if "data-structure" in el.attrib}


def _parts(root: Path, name: str) -> list[str]:
    """The files that hold one kind: X.yaml and/or X/*.yaml (relative names, main file first)."""
    folder = name.removesuffix(".yaml")
    rels = [name] if (root / name).exists() or name not in SPLIT else []
    rels += [f"{folder}/{p.name}" for p in sorted((root / folder).glob("*.yaml"))] if name in SPLIT else []
    return rels or [name]


def load_checked(root: Path) -> tuple[Content | None, list[Problem]]:
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    located: dict[str, list[Located]] = {}
    raw = {rel: read_yaml(root / rel, rel, problems) for name in FILES for rel in _parts(root, name)}
    ref_parts = [parse(s.ReferencesFile, raw[rel], rel, problems) for rel in _parts(root, "references.yaml")]
    humanise = humaniser(ref_parts)
    for name, model in FILES.items():
        rels = _parts(root, name)
        models = (ref_parts if name == "references.yaml"
                  else [parse(model, humanise(raw[r]), r, problems) for r in rels])
        if any(m is None for m in models):
            parsed[name] = None
            continue
        parsed[name] = models[0]
        if name in SPLIT:
            key = SPLIT[name]
            located[name] = [(rel, i, item) for rel, m in zip(rels, models, strict=True)
                             for i, item in enumerate(getattr(m, key))]
            parsed[name] = model.model_construct(**{key: [item for _, _, item in located[name]]})
        else:
            key = next(iter(model.model_fields))
            items = getattr(models[0], key)
            if isinstance(items, list):
                located[name] = [(name, i, item) for i, item in enumerate(items)]

    questions: dict[str, list[s.Question]] = {}
    qfiles = sorted((root / "questions").glob("*.yaml"))
    if not qfiles:
        problems.append(Problem("questions/", "(folder)", "no question files found"))
    qparsed: dict[str, s.QuestionsFile] = {}
    for path in qfiles:
        rel = f"questions/{path.name}"
        q = parse(s.QuestionsFile, humanise(read_yaml(path, rel, problems)), rel, problems)
        if q is not None:
            qparsed[rel] = q

    svg_rel = DIAGRAM
    try:
        svg_text = (root / DIAGRAM).read_text(encoding="utf-8")
    except OSError:
        svg_text = ""
        problems.append(Problem(svg_rel, "(file)", "file is missing"))

    if any(v is None for v in parsed.values()):
        return None, problems  # cross references need every file

    idx = {
        "documents": _index(located["documents.yaml"], "documents", problems),
        "references": _index(located["references.yaml"], "references", problems),
        "structures": _index(located["structures.yaml"], "structures", problems),
        "roots": _index(located["roots.yaml"], "roots", problems),
        "conditions": _index(located["conditions.yaml"], "conditions", problems),
        "treatments": _index(located["treatments.yaml"], "treatments", problems),
        "terms": _index(located["glossary.yaml"], "terms", problems),
        "figures": _index(located["figures.yaml"], "figures", problems),
        "lessons": _index(located["lessons.yaml"], "lessons", problems),
        "findings": _index(located["findings.yaml"], "findings", problems),
        "parameters": _index(located["simulation.yaml"], "parameters", problems),
    }
    refs = Refs(problems)
    sources = set(idx["documents"]) | set(idx["references"])
    structures, docs = idx["structures"], idx["documents"]

    def check_sources(rel: str, path: str, ids: list[str]) -> None:
        for j, sid in enumerate(ids):
            refs.check(rel, f"{path}.sources[{j}]", sid, sources, "source (document or reference id)")

    for rel, i, r in located["references.yaml"]:
        for j, d in enumerate(r.cited_by):
            refs.check(rel, f"references[{i}].cited_by[{j}]", d, docs, "document")
    for rel, i, st in located["structures.yaml"]:
        check_sources(rel, f"structures[{i}]", st.sources)
    for rel, i, rt in located["roots.yaml"]:
        refs.check(rel, f"roots[{i}].structure", rt.structure, structures, "structure")
        check_sources(rel, f"roots[{i}]", rt.sources)
    _check_root_exam(parsed["roots.yaml"], idx["roots"], refs, check_sources, problems)
    for rel, i, c in located["conditions.yaml"]:
        for j, sid in enumerate(c.structures):
            refs.check(rel, f"conditions[{i}].structures[{j}]", sid, structures, "structure")
        check_sources(rel, f"conditions[{i}]", c.sources)
    for rel, i, t in located["treatments.yaml"]:
        for j, sid in enumerate(t.targets):
            refs.check(rel, f"treatments[{i}].targets[{j}]", sid, structures, "structure")
        for j, cid in enumerate(t.conditions):
            refs.check(rel, f"treatments[{i}].conditions[{j}]", cid, idx["conditions"], "condition")
        for j, fid in enumerate(t.figures):
            refs.check(rel, f"treatments[{i}].figures[{j}]", fid, idx["figures"], "figure")
        for j, g in enumerate(t.guidelines):
            refs.check(rel, f"treatments[{i}].guidelines[{j}].reference", g.reference, idx["references"],
                       "reference")
        check_sources(rel, f"treatments[{i}]", t.sources)
        for j, h in enumerate(t.harms):
            check_sources(rel, f"treatments[{i}].harms[{j}]", h.sources)
        if t.rung in s.HARM_RUNGS and not t.harms:
            problems.append(Problem(rel, f"treatments[{i}].harms", f"{t.rung} treatments list their harms (the "
                                    "reference sheet's figure, or an empty frequency where it gives none)"))
        if t.grade != "not_graded" and t.direction == "not_applicable":
            problems.append(Problem(rel, f"treatments[{i}].direction", "a graded treatment says which way the "
                                    "evidence points (benefit, small_benefit, no_benefit, conflicting, "
                                    "uncontrolled_only)"))
    for rel, i, fnd in located["findings.yaml"]:
        check_sources(rel, f"findings[{i}]", fnd.sources)
    for rel, i, term in located["glossary.yaml"]:
        check_sources(rel, f"terms[{i}]", term.sources)
    for rel, i, f in located["figures.yaml"]:
        refs.check(rel, f"figures[{i}].document", f.document, docs, "document")
        refs.check(rel, f"figures[{i}].reference", f.reference, idx["references"], "reference")
    for rel, i, les in located["lessons.yaml"]:
        for j, rid in enumerate(les.references):
            refs.check(rel, f"lessons[{i}].references[{j}]", rid, idx["references"], "reference")
        seen_objectives: set[str] = set()
        for j, obj in enumerate(les.objectives):
            if obj.id in seen_objectives:
                problems.append(Problem(rel, f"lessons[{i}].objectives[{j}].id",
                                        f"duplicate objective id {obj.id!r} in lesson {les.id}"))
            seen_objectives.add(obj.id)

    ladder = parsed["ladder.yaml"]
    rung_ids = [r.id for r in ladder.rungs]
    for rung in s.RUNGS:
        if rung not in rung_ids:
            problems.append(Problem("ladder.yaml", "rungs", f"rung {rung!r} is missing"))
    for i, rung in enumerate(ladder.rungs):
        check_sources("ladder.yaml", f"rungs[{i}]", rung.sources)
    for j, fid in enumerate(ladder.red_flags.findings):
        refs.check("ladder.yaml", f"red_flags.findings[{j}]", fid, idx["findings"], "finding")
    check_sources("ladder.yaml", "red_flags", ladder.red_flags.sources)
    for i, sc in enumerate(ladder.stratified_care):
        check_sources("ladder.yaml", f"stratified_care[{i}]", sc.sources)
    _check_flags(ladder, idx["findings"], refs, check_sources, problems)
    dosing = parsed["dosing.yaml"]
    for i, drug in enumerate(dosing.drugs):
        check_sources("dosing.yaml", f"drugs[{i}]", drug.sources)
        for j, lim in enumerate(drug.limits):
            check_sources("dosing.yaml", f"drugs[{i}].limits[{j}]", lim.sources)
    for part in ("toxicity", "lipid", "trigger_point_practice"):
        check_sources("dosing.yaml", part, getattr(dosing, part).sources)
    for rel, i, prm in located["simulation.yaml"]:
        check_sources(rel, f"parameters[{i}]", prm.sources)
        for j, fid in enumerate(prm.figures):
            refs.check(rel, f"parameters[{i}].figures[{j}]", fid, idx["figures"], "figure")
    _check_simulation(parsed["simulation.yaml"], idx, refs, check_sources, problems)
    for i, body in enumerate(ladder.guidelines):
        refs.check("ladder.yaml", f"guidelines[{i}].reference", body.reference, idx["references"], "reference")

    pp = parsed["pain_patterns.yaml"]
    options = {o.id: o for inp in pp.inputs for o in inp.options}
    for g_i, g in enumerate(pp.generators):
        for j, sid in enumerate(g.structures):
            refs.check("pain_patterns.yaml", f"generators[{g_i}].structures[{j}]", sid, structures, "structure")
        for r_i, rule in enumerate(g.rules):
            path = f"generators[{g_i}].rules[{r_i}]"
            refs.check("pain_patterns.yaml", f"{path}.when", rule.when, options, "pattern option")
            check_sources("pain_patterns.yaml", path, rule.sources)

    for rel, qf in qparsed.items():
        refs.check(rel, "lesson", qf.lesson, idx["lessons"], "lesson")
        objectives = {o.id for o in idx["lessons"][qf.lesson].objectives} if qf.lesson in idx["lessons"] else None
        for i, q in enumerate(qf.questions):
            check_sources(rel, f"questions[{i}]", q.sources)
            for j, oid in enumerate(q.objectives if objectives is not None else []):
                if oid not in objectives:
                    close = difflib.get_close_matches(oid, sorted(objectives), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    problems.append(Problem(rel, f"questions[{i}].objectives[{j}]",
                                            f"lesson {qf.lesson} has no objective {oid!r} in lessons.yaml{hint}"))
        questions.setdefault(qf.lesson, []).extend(qf.questions)

    if svg_text:
        drawn = _diagram_ids(svg_text, svg_rel, problems)
        for sid in sorted(drawn - set(structures)):
            refs.check(svg_rel, f"data-structure={sid!r}", sid, structures, "structure")
        for sid in sorted(set(structures) - drawn) if drawn else []:
            problems.append(Problem(svg_rel, f"data-structure={sid!r}", "structure is not drawn in the diagram"))

    if problems:
        return None, problems
    return (
        Content(
            root=root,
            documents=idx["documents"],
            references=idx["references"],
            structures=structures,
            roots=idx["roots"],
            conditions=idx["conditions"],
            treatments=idx["treatments"],
            terms=idx["terms"],
            figures=idx["figures"],
            lessons=idx["lessons"],
            pain_patterns=pp,
            findings=idx["findings"],
            ladder=ladder,
            dosing=parsed["dosing.yaml"],
            parameters=idx["parameters"],
            simulation=parsed["simulation.yaml"],
            questions=questions,
            diagram=svg_text,
            root_exam=parsed["roots.yaml"],
        ),
        [],
    )


def check(root: str | Path | None = None) -> list[Problem]:
    """Every problem in the content under `root` (empty list when valid)."""
    return load_checked(assets_root(root))[1]


T = TypeVar("T")
_CODE = [Path(__file__).with_name(n) for n in ("schema.py", "loader.py", "cases.py", "examination.py")]


def cache_folder() -> Path | None:
    """Where validated content is kept between kernels: `$LOWBACK_CACHE` (`off`: nowhere), else
    `$XDG_CACHE_HOME/lowback-course`, else `~/.cache/lowback-course`."""
    raw = os.environ.get(CACHE_ENV, "").strip()
    if raw == "off":
        return None
    if raw:
        return Path(raw).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lowback-course"


def _fingerprint(root: Path) -> str:
    """Changes whenever any file under `root`, the code that parses it, Python or pydantic changes."""
    h = hashlib.sha256(f"{platform.python_version()} {pydantic.VERSION}".encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()) + _CODE:
        h.update(f"\0{path.name if path in _CODE else path.relative_to(root)}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def kept(kind: str, root: Path, build: Callable[[], T]) -> T:
    """`build()`, or what it returned before for the same files. Every lesson kernel parses and validates
    the same content (about 0.2 s, a part of every page that has no preheated kernel), so the result is
    pickled in `cache_folder()`, named by a hash of every file it came from and of the code that read
    them; any edit gives a new name, so a stale result is never read. Like Python's own __pycache__,
    the folder is the user's, and a file there is trusted as their code is. Content that does not load
    is never kept, and a cache that cannot be read or written only costs the time."""
    folder = cache_folder()
    if folder is None:
        return build()
    where = hashlib.sha256(str(root).encode()).hexdigest()[:12]
    file = folder / f"{kind}-{where}-{_fingerprint(root)[:32]}.pickle"
    try:
        with file.open("rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 (missing, half-written or from other code: build it again)
        pass
    value = build()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)  # another kernel reads the old file or the whole new one, never half
        for old in folder.glob(f"{kind}-{where}-*.pickle"):
            if old != file:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value


def _validated(root: Path) -> Content:
    content, problems = load_checked(root)
    if content is None:
        raise ContentError(problems)
    return content


@functools.lru_cache(maxsize=4)
def _cached(root: Path) -> Content:
    return kept("content", root, lambda: _validated(root))


def load_content(root: str | Path | None = None) -> Content:
    """The validated content; raises ContentError listing every problem."""
    return _cached(assets_root(root))
