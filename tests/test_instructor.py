"""Instructor notes and answer keys (widgets/content/notes.py and the views on it).

- the shipped notes load, every lesson has them, within the limits (3-5 points, 2-4 questions, a
  timing plan that adds up), and a claim with a number names its source;
- a broken notes file gives one line naming the file and the field;
- the keys cover every shipped case and every self-check question, with the right answer;
- everything rendered is escaped; the instructor notebooks are stored as a clean run;
- the case key is no longer in assets/cases/README.md, and the learners' image leaves instructor/ out.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.cli import run as lowback
from widgets.content import notes as ins
from widgets.content.cases import load_cases
from widgets.content.loader import ContentError, load_content
from widgets.models import answer_keys as ak
from widgets.models.selfcheck import SelfCheckModel
from widgets.render import instructor as ri
from widgets.render.html import escape
from widgets.render.lessons import problem_html

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "instructor" / "notes"
NOTEBOOKS = ["00_instructor_guide.ipynb", "01_answer_keys.ipynb"]


@pytest.fixture(scope="module")
def notes():
    return ins.load_notes(content=load_content())


@pytest.fixture
def notes_copy(tmp_path):
    """A writable copy of the shipped notes; returns its folder (named notes, like the original)."""
    dest = tmp_path / "instructor" / "notes"
    shutil.copytree(NOTES, dest)
    return dest


def edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def problems_of(folder: Path, content) -> list[str]:
    return [str(p) for p in ins.check(folder, content)]


# --- the shipped notes ---------------------------------------------------------------------------


def test_every_lesson_has_notes_within_the_limits(content, notes):
    assert list(notes.lessons) == sorted(content.lessons)
    for lesson, n in notes.lessons.items():
        assert 3 <= len(n.teaching_points) <= 5, lesson
        assert 2 <= len(n.discussion) <= 4, lesson
        assert sum(seg.minutes for seg in n.timing.segments) == n.timing.total, lesson
        assert all(dq.good_answer for dq in n.discussion), lesson
    assert ins.check(content=content) == []


NOT_A_FIGURE = re.compile(r"\b(lessons? \d\d( to \d\d)?|rules? D\d+(, D\d+)*( and D\d+)?|D\d+|S[0-4]|"
                          r"REF( \d[\dA-Z.]*)?|sections? \d+( to \d+| and \d+)?|steps? \d( to \d)?|case \d|"
                          r"option \d|L[1-5]|S1)\b")


@pytest.mark.parametrize("lesson", [f"{i:02d}" for i in range(9)])
def test_a_point_with_a_number_names_its_source(notes, lesson):
    n = notes.lessons[lesson]
    items = [(tp.point + " " + tp.detail, tp.sources) for tp in n.teaching_points]
    items += [(dq.question + " " + " ".join(dq.good_answer), dq.sources) for dq in n.discussion]
    for text, sources in items:
        if re.search(r"\d", NOT_A_FIGURE.sub("", text)):
            assert sources, f"lesson {lesson}: a number with no source: {text[:80]}"


def test_reference_ids_in_the_prose_are_shown_as_their_labels(content, notes):
    ids = set(content.references)
    texts = [tp.detail for n in notes.lessons.values() for tp in n.teaching_points]
    texts += [c.teaches for c in notes.cases.values()]
    raw = [w for t in texts for w in re.findall(r"[a-z_]+\d{4}[a-z]?|[a-z]+_[a-z_]+", t) if w in ids]
    assert not raw, f"reference ids left in the text: {raw[:5]}"
    assert "(Van Such 2017; REF 5.22)" in notes.lessons["00"].teaching_points[1].detail


SECTION_REF = re.compile(r"\bsections? (\d+)(?: (to|and) (\d+))?")


def lesson_cells(content, lesson: str) -> list[str]:
    """The sources of a lesson's cells, in order."""
    nb = json.loads((ROOT / "lessons" / content.lessons[lesson].file).read_text())
    return ["".join(c["source"]) for c in nb["cells"]]


def numbered_sections(content, lesson: str) -> dict[int, str]:
    """'## 3 Reading the debrief' -> {3: 'Reading the debrief'}."""
    found = (re.match(r"## (\d+) (.+)", src) for src in lesson_cells(content, lesson))
    return {int(m[1]): m[2].strip() for m in found if m}


def sections_named(text: str) -> list[int]:
    """'(sections 8 to 10)' -> [8, 9, 10]; '(sections 4 and 5)' -> [4, 5]; '(section 2)' -> [2]."""
    out: list[int] = []
    for first, how, last in SECTION_REF.findall(text):
        a, b = int(first), int(last or first)
        out += list(range(a, b + 1)) if how == "to" else sorted({a, b})
    return out


@pytest.mark.parametrize("lesson", [f"{i:02d}" for i in range(9)])
def test_every_section_a_timing_plan_names_is_in_the_lesson(content, notes, lesson):
    have = numbered_sections(content, lesson)
    for seg in notes.lessons[lesson].timing.segments:
        missing = [n for n in sections_named(seg.activity) if n not in have]
        assert not missing, f"lesson {lesson} has no section {missing}: {seg.activity[:80]}"


def test_lesson_08s_timing_follows_the_lesson_debrief_guide_then_cases(content, notes):
    """The guide to reading the debrief comes before the case player (issue 17), and so does its time slot."""
    have = numbered_sections(content, "08")
    debrief = next(n for n, title in have.items() if title == "Reading the debrief")
    cells = lesson_cells(content, "08")
    player_at = next(i for i, src in enumerate(cells) if src.strip() == "case_player()")
    player_in = max(int(m[1]) for src in cells[:player_at] if (m := re.match(r"## (\d+) ", src)))
    acts = [seg.activity for seg in notes.lessons["08"].timing.segments]
    guide = next(i for i, a in enumerate(acts) if "reading the debrief" in a.lower())
    cases = next(i for i, a in enumerate(acts) if "Cases in pairs" in a)
    assert guide < cases, "the notes still debrief after the cases"
    assert debrief in sections_named(acts[guide]) and player_in in sections_named(acts[cases])


# --- broken notes: one line naming the file and the field -------------------------------------------


def test_a_missing_field_names_the_file_and_the_field(content, notes_copy):
    edit(notes_copy, "03.yaml", lambda d: d["teaching_points"][0].pop("sources"))
    assert "instructor/notes/03.yaml: teaching_points[0].sources: required field is missing" in \
        problems_of(notes_copy, content)
    with pytest.raises(ContentError) as exc:
        ins.load_notes(notes_copy, content)
    assert "03.yaml: teaching_points[0].sources" in str(exc.value)


def test_an_unknown_source_is_named_with_a_suggestion(content, notes_copy):
    edit(notes_copy, "05.yaml", lambda d: d["discussion"][0]["sources"].append("nic_ng59"))
    found = problems_of(notes_copy, content)
    assert any(p.startswith("instructor/notes/05.yaml: discussion[0].sources[") and "unknown source 'nic_ng59'"
               in p and "did you mean 'nice_ng59'" in p for p in found), found


def test_a_timing_plan_that_does_not_add_up_is_refused(content, notes_copy):
    edit(notes_copy, "04.yaml", lambda d: d["timing"]["segments"][0].update(minutes=50))
    assert any(p.startswith("instructor/notes/04.yaml: timing: the segments add up to") and "not the total of 85"
               in p for p in problems_of(notes_copy, content))


def test_too_many_points_a_wrong_lesson_and_bad_yaml(content, notes_copy):
    edit(notes_copy, "01.yaml", lambda d: d["teaching_points"].extend(d["teaching_points"][:2]))
    edit(notes_copy, "02.yaml", lambda d: d.update(lesson="07"))
    (notes_copy / "06.yaml").write_text("lesson: '06'\nteaching_points:\n\t- point: x\n")
    found = problems_of(notes_copy, content)
    assert any(p.startswith("instructor/notes/01.yaml: teaching_points: ") and "at most 5" in p for p in found), found
    assert "instructor/notes/02.yaml: lesson: the file is for lesson '02' but says '07'" in found
    assert any(p.startswith("instructor/notes/06.yaml: line 3, column 1: not valid YAML") for p in found), found


def test_a_lesson_without_notes_and_a_case_without_a_line_are_named(content, notes_copy):
    (notes_copy / "04.yaml").unlink()
    edit(notes_copy, "cases.yaml", lambda d: d["cases"].pop(0))
    edit(notes_copy, "cases.yaml", lambda d: d["cases"][0].update(case="twist_at_the_warehouse_shelve"))
    found = problems_of(notes_copy, content)
    assert "instructor/notes/04.yaml: (file): file is missing: lesson 04 needs instructor notes" in found
    assert any(p.startswith("instructor/notes/cases.yaml: cases[0].case: unknown case 'twist_at_the_warehouse_shelve'")
               and "did you mean 'twist_at_the_warehouse_shelf'" in p for p in found), found
    assert "instructor/notes/cases.yaml: cases: case 'first_episode_after_moving_flat' has no entry: add what it " \
           "teaches" in found


def test_the_check_command(notes_copy):
    ok = lowback("check")
    lines = ok.stdout.splitlines()
    assert ok.returncode == 0 and lines[0].startswith("content OK:"), ok.stdout + ok.stderr
    assert lines[1].startswith("instructor notes OK: 9 lessons"), ok.stdout
    edit(notes_copy, "08.yaml", lambda d: d["discussion"][1].pop("good_answer"))
    bad = lowback("check", "--notes", notes_copy)
    assert bad.returncode == 1 and bad.stderr == ""
    assert "instructor/notes/08.yaml: discussion[1].good_answer: required field is missing" in bad.stdout.splitlines()
    assert not any(line.startswith("instructor notes OK") for line in bad.stdout.splitlines())


# --- the keys ----------------------------------------------------------------------------------------


def test_the_case_key_covers_every_case_with_its_hidden_answer(content, notes):
    cases = load_cases(content)
    key = ak.case_key(content, notes)
    assert {k.id for k in key} == set(cases) and len(key) == len(cases)
    html = ri.case_key_html(key)
    humanise = content.humanise
    for k in key:
        case = cases[k.id]
        assert k.explanation == humanise(case.truth.explanation)
        assert [sc.explains for sc in k.scans] == [not im.incidental for im in case.imaging]
        for text in (case.title, k.explanation, k.teaches, *k.generators, *k.red_flags):
            assert escape(text) in html, f"{k.id}: {text[:60]!r} missing from the case key"
    assert html.count('class="lb-case-key"') == len(cases)


def test_the_self_check_key_covers_every_question_with_the_right_answer(content):
    assert set(content.questions) == set(content.lessons)
    for lesson, questions in content.questions.items():
        keys = ak.self_check_key(content, lesson)
        assert [k.prompt for k in keys] == [q.prompt for q in questions]
        model = SelfCheckModel(content, lesson)
        html = ri.self_check_key_html(content, lesson, keys)
        for k, q in zip(keys, questions, strict=True):
            shown = [q.choices[i] for i in model.order(q.id)]
            assert shown[k.position - 1].correct and shown[k.position - 1].text == k.answer
            assert model.answer(q.id, q.choices.index(shown[k.position - 1])).correct
            assert escape(k.prompt) in html and escape(k.answer) in html and escape(k.why) in html


def test_rendered_notes_and_keys_escape_their_text(content, notes):
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    les = notes.lessons["03"].model_copy(deep=True)
    les.teaching_points[0].point = evil
    les.timing.segments[0].activity = evil
    les.discussion[0].good_answer[0] = evil
    case = ak.case_key(content, notes)[0]
    scans = (ak.Scan("mri", evil, True, evil),)
    fake = ak.CaseKey(**{**case.__dict__, "title": evil, "explanation": evil, "scans": scans})
    q = ak.QuestionKey(1, evil, evil, 1, 4, evil, (evil,))
    for html in (ri.lesson_notes_html(content, les), ri.case_key_html([fake]),
                 ri.self_check_key_html(content, "03", [q]), problem_html([ins.Problem("f.yaml", "x", evil)], evil)):
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the views -----------------------------------------------------------------------------------------


def test_the_guide_shows_the_lesson_picked(content, notes):
    from widgets.notebook.instructor import instructor_guide

    guide = instructor_guide("00")
    picker, panel, key = guide.children[:3]
    assert picker.description == "Lesson" and picker.value == "00"
    assert escape(notes.lessons["00"].teaching_points[0].point) in panel.value
    picker.value = "05"
    assert escape(notes.lessons["05"].teaching_points[0].point) in panel.value
    assert "Timing plan: 120 minutes" in panel.value
    assert escape(content.questions["05"][0].prompt) in key.value
    picker.set_state({"index": 42})  # what a forged message from the page would do
    assert picker.value == "05" and "keeps its last value" in guide.children[-1].value


def test_the_views_say_what_is_wrong_instead_of_failing(notes_copy, monkeypatch):
    from widgets.notebook.instructor import case_key, instructor_guide, self_check_keys

    assert "could not be shown" in instructor_guide("42").value
    assert "could not be shown" in self_check_keys("42").value
    edit(notes_copy, "cases.yaml", lambda d: d["cases"][0].pop("teaches"))
    monkeypatch.setattr(ins, "NOTES_DIR", notes_copy)
    for panel in (case_key(), instructor_guide("01")):
        assert "lb-problem-panel" in panel._dom_classes
        assert escape("instructor/notes/cases.yaml: cases[0].teaches: required field is missing") in panel.value
        assert "lowback check" in panel.value


# --- the notebooks, the case README and the learners' image ----------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_instructor_notebooks_are_stored_as_a_clean_run(name):
    nb = json.loads((ROOT / "instructor" / name).read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for c in code:
        assert len("".join(c["source"]).splitlines()) <= 15
        assert all(o["output_type"] != "error" and o.get("name") != "stderr" for o in c["outputs"])
        assert "execution" not in c["metadata"]
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").lower()
    assert "run the cell" not in text and "cell below" not in text
    assert any("disclaimer()" in "".join(c["source"]) for c in code)
    assert nb["cells"][0]["source"][0].startswith("# ") and "## Summary" in "".join(nb["cells"][-1]["source"])


def test_the_case_readme_keeps_no_answers_and_points_to_the_key(content, notes):
    readme = (ROOT / "assets" / "cases" / "README.md").read_text()
    assert "instructor key" not in readme and "instructor/01_answer_keys.ipynb" in readme
    assert (ROOT / "instructor" / "01_answer_keys.ipynb").exists()
    for k in ak.case_key(content, notes):
        assert k.teaches not in readme and k.explanation[:80] not in readme
        assert f"`{k.id}` |" not in readme  # the old table's rows


def test_the_learners_image_leaves_the_instructor_folder_out():
    ignored = (ROOT / "deploy" / "Dockerfile.dockerignore").read_text().split()
    assert "instructor" in ignored or "instructor/" in ignored
    copies = [ln for ln in (ROOT / "deploy" / "Dockerfile").read_text().splitlines() if ln.startswith(("COPY", "ADD"))]
    assert copies and not any("instructor" in ln or " . " in ln or ln.rstrip().endswith(" .") for ln in copies)


def test_the_instructor_server_keeps_the_learners_lockdown():
    from traitlets.config.loader import PyFileConfigLoader

    learners = PyFileConfigLoader("voila.py", path=str(ROOT / "config")).load_config()
    config = PyFileConfigLoader("voila.py", path=str(ROOT / "config" / "instructor")).load_config()
    assert config.Voila.ip == "127.0.0.1"
    assert config.VoilaConfiguration.strip_sources is True and config.VoilaConfiguration.show_tracebacks is False
    assert config.VoilaConfiguration.file_allowlist == learners.VoilaConfiguration.file_allowlist
    assert config.VoilaConfiguration.file_denylist == learners.VoilaConfiguration.file_denylist
    assert "lowback check" in config.VoilaExecutor.cell_error_instruction
    assert learners.VoilaConfiguration.template == "course"  # the learners' settings are left as they were
