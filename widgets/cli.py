"""The course's one command line: `lowback COMMAND ...` (or `python -m widgets COMMAND ...`, the same).

    lowback check [--assets DIR] [--notes DIR]          all content, the instructor's notes and the decision points
    lowback findings                                    the findings vocabulary `advise` takes
    lowback advise --finding ID [...] [--mbb-relief PCT] [--prior-surgeries N] [--json]
    lowback dose --drug D --percent P --ml V [--adrenaline] [--weight KG] [--earlier-mg MG] [--points N] [--json]
    lowback cases validate FILE [FILE ...]
    lowback cohort calibrate [--patients N] [--seed S] [--json]
    lowback cohort compare --case ID --strategy ID [...] [--patients N] [--seed S] [--world trials|documents] [--json]
    lowback steps check [FILE ...]                      live-session decision points (also part of `check`)
    lowback schemas [--check]                           JSON Schemas for editors (assets/schema), YAML headers
    lowback slides [--check] [FILE ...] | lowback slides --template NODE_MODULES
    lowback handouts [LESSON_ID ...] [--out DIR] [--jobs N] [--no-pdf]
    lowback landing                                     write the dashboards' landing page template

Exit status: 0 done; 1 the content (or a file named) has problems, each printed as `file: field: message`;
2 a usage error or a value the command refuses, one line on stderr. JSON output is described in docs/.
This module only parses arguments and prints: every answer comes from a model, a store or a publish tool.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

PROG = "lowback"


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit status 2, like every other refusal."""

    def error(self, message: str):
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def _refuse(command: str, exc: Exception) -> int:
    print(f"{PROG} {command}: {exc}", file=sys.stderr)
    return 2


def _course():
    """The loaded content, or None after printing why it does not load (exit status 1)."""
    from widgets.content.loader import ContentError, load_content

    try:
        return load_content()
    except ContentError as exc:
        print(f"the course content does not load: {exc.problems[0]}", file=sys.stderr)
        return None


# --- check -------------------------------------------------------------------------------------------


def cmd_check(args) -> int:
    """Content, then the instructor's notes, then the live-session decision points; 1 if any has a problem."""
    from widgets.content.loader import assets_root, load_checked

    root = assets_root(args.assets)
    content_only = bool(args.assets) and not args.notes  # another content folder: the course's notes do not fit it
    content, problems = load_checked(root)
    for p in problems:
        print(p)
    if content is None:
        if not problems:
            print(f"{root}: (folder): content did not load")
        if not content_only:
            print("the course content does not load, so the notes and decision points cannot be checked")
        return 1
    n_q = sum(len(v) for v in content.questions.values())
    print(
        f"content OK: {len(content.structures)} structures, {len(content.conditions)} conditions, "
        f"{len(content.treatments)} treatments, {len(content.references)} references, "
        f"{len(content.figures)} figures, {len(content.terms)} glossary terms, {n_q} questions"
    )
    if content_only:
        return 0
    notes_ok = _check_notes(content, args.notes)
    steps_ok = _check_steps(content, [])
    exam_ok = _check_exam(content)  # last: the lines above keep their places for scripts that read them
    return 0 if exam_ok and notes_ok and steps_ok else 1


def _check_exam(content) -> bool:
    from widgets.content.examination import load_exam_tests
    from widgets.content.loader import ContentError

    try:
        exam = load_exam_tests(content)
    except ContentError as exc:
        for p in exc.problems:
            print(p)
        return False
    print(f"exam tests OK: {len(exam.conditions)} target conditions, {len(exam.tests)} tests")
    return True


def _check_notes(content, folder: str | None) -> bool:
    from widgets.content.cases import load_cases
    from widgets.content.notes import NOTES_DIR, load_checked_notes
    from widgets.models.answer_keys import self_check_key

    notes, problems = load_checked_notes(Path(folder).resolve() if folder else NOTES_DIR, content,
                                         list(load_cases(content)))
    for p in problems:
        print(p)
    if notes is None:
        return False
    n_points = sum(len(n.teaching_points) for n in notes.lessons.values())
    n_disc = sum(len(n.discussion) for n in notes.lessons.values())
    n_q = sum(len(self_check_key(content, les)) for les in content.questions)
    print(f"instructor notes OK: {len(notes.lessons)} lessons, {n_points} teaching points, {n_disc} discussion "
          f"questions, {len(notes.cases)} cases in the case key, {n_q} self-check questions in the key")
    return True


def _check_steps(content, names: Sequence[str]) -> bool:
    from widgets.content.cases import load_cases
    from widgets.content.steps import STEPS_DIR, load_steps_file, shown_path

    cases = load_cases(content)
    files = [Path(f) for f in names] or sorted(STEPS_DIR.glob("*.yaml"))
    bad = 0
    for path in files:
        steps, problems = load_steps_file(path, cases, content)
        for p in problems:
            print(p)
        if steps is None:
            bad += 1
        else:
            print(f"{shown_path(path)}: OK: {len(steps.decisions)} decision point(s) for case {steps.case!r}")
    return not bad


def cmd_steps(args) -> int:
    content = _course()
    return 1 if content is None or not _check_steps(content, args.files) else 0


def cmd_schemas(args) -> int:
    """Write (or --check) assets/schema/*.schema.json and the first line of each YAML file that names its schema."""
    from widgets.content import jsonschema as js

    if args.check:
        problems = [f"{js.FOLDER}/{name}: (file): missing or out of date" for name in js.stale()]
        wanted = {path.relative_to(js.REPO).as_posix(): js.header(path, name) for path, name in js.files().items()}
        problems += [f"{rel}: line 1: should be `{wanted[rel]}`" for rel in js.headers_missing()]
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s): run `{PROG} schemas` to write them", file=sys.stderr)
            return 1
        print(f"{len(js.SCHEMAS)} JSON Schemas in {js.FOLDER} and the headers of {len(wanted)} YAML files up to date")
        return 0
    written = js.write() + js.add_headers()
    for path in written:
        print(f"wrote {path.relative_to(js.REPO).as_posix()}")
    print(f"{len(written)} file(s) written; {len(js.SCHEMAS)} JSON Schemas in {js.FOLDER}, {len(js.files())} YAML "
          "files with a header naming theirs")
    return 0


# --- the decision engine and the dose check -----------------------------------------------------------


def cmd_findings(args) -> int:
    content = _course()
    if content is None:
        return 1
    kinds = {k.id: k for k in content.ladder.red_flags.kinds}
    for fnd in content.findings.values():
        flag = f" ({kinds[fnd.flag].urgency}: {kinds[fnd.flag].label.lower()})" if fnd.flag else ""
        print(f"{fnd.id}: {fnd.label}{flag}. {fnd.description}")
    print("--mbb-relief PCT: relief after a diagnostic medial branch block, 0-100")
    print("--prior-surgeries N: number of previous back operations, 0 or more")
    return 0


def cmd_advise(args) -> int:
    from widgets.models.ladder import advise

    content = _course()
    if content is None:
        return 1
    try:
        advice = advise(args.finding, args.mbb_relief, args.prior_surgeries, content)
    except ValueError as exc:
        return _refuse("advise", exc)
    if args.json:
        print(json.dumps(advice.to_json(), indent=2))
        return 0
    print(f"urgency: {advice.urgency}")
    for fl in advice.flags:
        print(f"flag ({fl.urgency}): {fl.label} [{', '.join(fl.findings)}]. Now: {fl.now} How fast: {fl.timing}")
    for line in advice.referral:
        print(f"referral: {line}")
    print("the documents' lens (rules D1-D20):")
    print("  next steps: " + (", ".join(advice.next_steps) or "none named by the documents"))
    for av in advice.avoid:
        print(f"  avoid {av.treatment}: {av.reason}")
    for line in advice.rationale:
        print(f"  - {line}")
    if advice.next_surgery_success is not None:
        print(f"  next surgery success (documents' figure): {advice.next_surgery_success:.0%}")
    g = advice.guidelines
    print("the guidelines' lens (NICE NG59, ACP 2017, Cochrane; rules G1-G11):")
    print("  next steps: " + (", ".join(g.next_steps) or "none"))
    for d in g.do_not_offer:
        print(f"  do not offer {d.treatment}: {d.reason} [{d.source}]")
    for line in g.rationale:
        print(f"  - {line}")
    print("conflicts: " + ("none" if not advice.conflicts else ""))
    for c in advice.conflicts:
        print(f"  {c.treatment}: the documents: {c.documents}; the guidelines: {c.guidelines} [{c.source}]")
    return 0


def cmd_dose(args) -> int:
    from widgets.models.dosing import DoseModel

    content = _course()
    if content is None:
        return 1
    try:
        r = DoseModel(content).calculate(args.drug, args.percent, args.ml, args.adrenaline, args.earlier_mg,
                                         args.weight, args.points)
    except ValueError as exc:
        return _refuse("dose", exc)
    if args.json:
        print(json.dumps(r.to_json(), indent=2))
        return 0
    extra = f" plus {r.earlier_mg:g} mg in the last 4 hours" if r.earlier_mg else ""
    print(f"{r.drug} {r.percent:g}% x {r.ml:g} mL = {r.dose_mg:g} mg ({r.mg_per_ml:g} mg/mL){extra}")
    for c in r.checks:
        state = "cannot judge: no weight" if c.within is None else "within" if c.within else "OVER"
        print(f"  {c.limit}: {c.figure}; compared {c.amount_mg:g} mg: {state} [{c.source}]")
    print(f"verdict: {r.verdict}. {r.reason}")
    print(f"trigger point practice: {r.practice}")
    lp = r.lipid
    print(f"if toxicity: 20% lipid emulsion: bolus {lp.bolus} Infusion {lp.infusion} {lp.ceiling} {lp.unstable} "
          f"[{lp.source}]")
    return 0


# --- cases and cohorts ---------------------------------------------------------------------------------


def cmd_cases_validate(args) -> int:
    from widgets.content.cases import load_case

    content = _course()
    if content is None:
        return 1
    bad = 0
    for name in args.files:
        case, problems = load_case(Path(name), content)
        for p in problems:
            print(p)
        if case is None:
            bad += 1
        else:
            print(f"{name}: OK: case {case.id!r} ({case.title})")
    return 1 if bad else 0


def cmd_cohort_calibrate(args) -> int:
    from widgets.content.loader import ContentError
    from widgets.models.cohort import DEFAULT_PATIENTS, DEFAULT_SEED, calibrate

    args.patients = DEFAULT_PATIENTS if args.patients is None else args.patients
    args.seed = DEFAULT_SEED if args.seed is None else args.seed
    try:
        rows = calibrate(args.patients, args.seed)
    except (ValueError, ContentError) as exc:
        return _refuse("cohort calibrate", exc)
    if args.json:
        print(json.dumps([asdict(r) | {"gap_points": round(r.gap_points, 3), "within": r.within} for r in rows],
                         indent=2))
        return 0
    for world in ("documents", "trials"):
        print(f"The {world}' world" + (": the documents' own figures" if world == "documents" else
                                       ": the trials and cohorts of reference sheet section 8"))
        print(f"  {'figure':<92} {'published':>9} {'simulated':>9} {'tolerance':>9}  source")
        for r in (x for x in rows if x.world == world):
            mark = "ok" if r.within else "OUTSIDE"
            print(f"  {r.figure:<92} {r.published:>9.1%} {r.simulated:>9.1%} {r.tolerance:>8.1%}  {r.source} "
                  f"[{mark}]")
    print(f"{args.patients} simulated patients, seed {args.seed}")
    return 0


def cmd_cohort_compare(args) -> int:
    from widgets.content.loader import ContentError
    from widgets.models.cohort import DEFAULT_SEED, compare

    try:
        result = compare(args.case, args.strategy, args.patients, DEFAULT_SEED if args.seed is None else args.seed,
                         args.world)
    except (ValueError, ContentError) as exc:
        return _refuse("cohort compare", exc)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['case']}, the {result['world']}' world, {result['patients']} patients, seed {result['seed']}")
    print(f"  {'strategy':<22} " + " ".join(f"{'impr. wk ' + w:>12}" for w in result["strategies"][0]["improved"])
          + f" {'pain wk 52':>10} {'ops':>6} {'compl.':>6}")
    for st in result["strategies"]:
        print(f"  {st['id']:<22} " + " ".join(f"{v:>12.0%}" for v in st["improved"].values())
              + f" {st['mean_pain']['52']:>10.2f} {st['operations_per_patient']:>6.2f} "
              f"{st['complications_per_patient']:>6.2f}")
    return 0


# --- publishing ----------------------------------------------------------------------------------------


def cmd_slides(args) -> int:
    from widgets.publish import slides

    if args.template is not None:
        try:
            print(f"Voila template written to {slides.install_template(args.template)}")
        except FileNotFoundError as e:
            print(e, file=sys.stderr)
            return 1
        return 0
    report = slides.update(args.files, check=args.check)
    for line in report.problems:
        print(line, file=sys.stderr)
    if args.check:
        if report.problems:
            print(f"{len(report.problems)} problem(s): run `{PROG} slides` to set the slide metadata", file=sys.stderr)
            return 1
        print(f"slide metadata up to date in {report.files} lesson(s)")
        return 0
    print(f"slide metadata written to {report.written} of {report.files} lesson(s)")
    return 1 if report.problems else 0


def cmd_handouts(args) -> int:
    from widgets.publish.handouts import OUT, HandoutError, build

    args.out = str(OUT) if args.out is None else args.out
    start = time.monotonic()
    try:
        written = build(args.out, args.ids, args.jobs, not args.no_pdf)
    except HandoutError as e:
        print(f"handouts: {e}", file=sys.stderr)
        return 2 if "no Chromium" in str(e) or "unknown lesson" in str(e) else 1
    print(f"{len(written)} files in {args.out} ({time.monotonic() - start:.0f} s)")
    return 0


def cmd_landing(args) -> int:
    from widgets.publish.landing import install_template

    print(f"Voila template written to {install_template()}")
    return 0


# --- the parser ----------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    # Only names here: the commands import what they need, so `lowback advise` never loads NumPy or Playwright.
    ap = _Parser(prog=PROG, description="The low back course: check the content, ask the decision engine, check a "
                 "dose, simulate cohorts, and publish slides, handouts and the landing page.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    chk = sub.add_parser("check", help="validate all content, the instructor's notes and the decision points")
    chk.add_argument("--assets", help="assets folder (default: $LOWBACK_ASSETS or the course's own); "
                     "with --assets alone only that content is checked")
    chk.add_argument("--notes", help="instructor notes folder (default: instructor/notes)")
    chk.set_defaults(run=cmd_check)

    sub.add_parser("findings", help="list the findings vocabulary").set_defaults(run=cmd_findings)

    adv = sub.add_parser("advise", help="what the documents and the guidelines would do next, and where they differ")
    adv.add_argument("--finding", action="append", default=[], metavar="ID")
    adv.add_argument("--mbb-relief", type=float, metavar="PCT")
    adv.add_argument("--prior-surgeries", type=int, metavar="N")
    adv.add_argument("--json", action="store_true")
    adv.set_defaults(run=cmd_advise)

    dose = sub.add_parser("dose", help="the dose in mg, each limit and a verdict: within, over or cannot_judge")
    dose.add_argument("--drug", required=True, metavar="{lidocaine,bupivacaine}")
    dose.add_argument("--percent", type=float, required=True, metavar="P", help="concentration, 0-100")
    dose.add_argument("--ml", type=float, required=True, metavar="V", help="volume in mL")
    dose.add_argument("--adrenaline", action="store_true", help="the solution contains adrenaline")
    dose.add_argument("--weight", type=float, metavar="KG", help="body weight; without it no verdict of within")
    dose.add_argument("--earlier-mg", type=float, default=0.0, metavar="MG",
                      help="the same drug given in the last 4 hours, in mg")
    dose.add_argument("--points", type=int, default=1, metavar="N",
                      help="trigger points the volume is shared between (default 1)")
    dose.add_argument("--json", action="store_true")
    dose.set_defaults(run=cmd_dose)

    cases = sub.add_parser("cases", help="virtual patient files").add_subparsers(dest="action", required=True,
                                                                                  parser_class=_Parser)
    val = cases.add_parser("validate", help="check one or more case files")
    val.add_argument("files", nargs="+", metavar="FILE")
    val.set_defaults(run=cmd_cases_validate)

    cohort = sub.add_parser("cohort", help="simulated cohorts").add_subparsers(dest="action", required=True,
                                                                                parser_class=_Parser)
    cal = cohort.add_parser("calibrate", help="compare simulated values with the published figures")
    cal.add_argument("--patients", type=int, metavar="N", help="simulated patients (default 20,000)")
    cal.add_argument("--seed", type=int, metavar="S", help="random seed (default 2026)")
    cal.add_argument("--json", action="store_true")
    cal.set_defaults(run=cmd_cohort_calibrate)
    cmp_ = cohort.add_parser("compare", help="strategies side by side on patients like one case, in one world")
    cmp_.add_argument("--case", required=True, metavar="ID")
    cmp_.add_argument("--strategy", action="append", default=[], metavar="ID", required=True)
    cmp_.add_argument("--patients", type=int, default=10_000, metavar="N")
    cmp_.add_argument("--seed", type=int, metavar="S", help="random seed (default 2026)")
    cmp_.add_argument("--world", choices=("trials", "documents"), default="trials")
    cmp_.add_argument("--json", action="store_true")
    cmp_.set_defaults(run=cmd_cohort_compare)

    steps = sub.add_parser("steps", help="live-session decision points").add_subparsers(dest="action", required=True,
                                                                                         parser_class=_Parser)
    stc = steps.add_parser("check", help="check instructor/live_steps/*.yaml, or the files named")
    stc.add_argument("files", nargs="*", metavar="FILE")
    stc.set_defaults(run=cmd_steps)

    sch = sub.add_parser("schemas", help="write (or --check) the JSON Schemas editors use and the YAML files' headers")
    sch.add_argument("--check", action="store_true", help="change nothing; exit 1 naming each stale schema or header")
    sch.set_defaults(run=cmd_schemas)

    sl = sub.add_parser("slides", help="write (or --check) the lessons' slide metadata, or --template")
    sl.add_argument("files", nargs="*", metavar="FILE", help="lessons (default: all of lessons/)")
    sl.add_argument("--check", action="store_true", help="change nothing; exit 1 naming each cell that differs")
    sl.add_argument("--template", metavar="NODE_MODULES", help="write the Voila slides template from NODE_MODULES")
    sl.set_defaults(run=cmd_slides)

    ho = sub.add_parser("handouts", help="every lesson as a standalone HTML page and an A4 PDF")
    ho.add_argument("ids", nargs="*", metavar="LESSON_ID", help="lessons to print (default: all), e.g. 01 08")
    ho.add_argument("--out", help="folder for the handouts (default: build/handouts)")
    ho.add_argument("--jobs", type=int, default=2, help="lessons drawn at once (default: 2)")
    ho.add_argument("--no-pdf", action="store_true", help="write only the HTML pages")
    ho.set_defaults(run=cmd_handouts)

    sub.add_parser("landing", help="write the dashboards' landing page template").set_defaults(run=cmd_landing)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help (0), or a usage error already printed on one line (2)
        return int(exc.code or 0)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
