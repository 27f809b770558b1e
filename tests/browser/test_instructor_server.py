"""Instructor mode, served: the instructor's Voila shows the notes and keys; the learners' Voila never does.

(a) The instructor's server (`make instructor`: instructor/, config/instructor/voila.py) renders the
    guide in Chromium: picking a lesson shows its teaching points and self-check key; the answer keys
    show every virtual patient; no line of the notebooks' code is in the HTML.
(b) The learners' server (`make dashboards`, the session fixture `voila`): no lesson's HTML holds a
    sentence of the instructor notes, of a case's hidden explanation or of a self-check answer's
    explanation, and requests for the instructor's files, plain or percent-encoded, get 403 or 404
    with none of that text in the answer.
"""

from __future__ import annotations

import functools
import html
import re
import urllib.request

import nbformat
import pytest

from tests.browser.test_security import raw_get
from tests.pages import LESSON_FILES, wait_text
from tests.servers import LOAD_TIMEOUT_MS, ROOT, voila_or_fail
from widgets.content import notes as ins
from widgets.content.cases import load_cases
from widgets.content.loader import load_content
from widgets.content.steps import load_steps
from widgets.models import answer_keys as ak
from widgets.render.html import escape

pytestmark = pytest.mark.browser

INSTRUCTOR = ROOT / "instructor"
GUIDE, KEYS = "00_instructor_guide.ipynb", "01_answer_keys.ipynb"


@pytest.fixture(scope="module")
def instructor_voila():
    """The instructor's Voila, as `make instructor` starts it."""
    yield from voila_or_fail(root=INSTRUCTOR, config=ROOT / "config" / "instructor")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as resp:
        return resp.read().decode()


@functools.cache
def instructor_only_sentences() -> tuple[str, ...]:
    """Sentences of 50 characters or more that only instructors may see: the notes, what each case
    teaches, each case's hidden explanation and scan teaching, and why each self-check answer is right."""
    content = load_content()
    notes = ins.load_notes(content=content)
    humanise = content.humanise
    texts: list[str] = []
    for n in notes.lessons.values():
        texts += [t for tp in n.teaching_points for t in (tp.point, tp.detail)]
        texts += [t for dq in n.discussion for t in (dq.question, *dq.good_answer)]
        texts += [seg.activity for seg in n.timing.segments]
    texts += [c.teaches for c in notes.cases.values()]
    for case in load_cases(content).values():
        texts += [case.truth.explanation, humanise(case.truth.explanation), *(im.teaching for im in case.imaging)]
    texts += [c.feedback for qs in content.questions.values() for q in qs for c in q.choices if c.correct]
    # The live-session decisions: the evidence behind the documents' answer (the prompts and options are
    # shown to learners once the instructor opens a step, so they are not secret).
    texts += [d.evidence for steps in load_steps(content=content).values() for d in steps.decisions]
    sentences = {s.strip() for t in texts for s in re.split(r"(?<=[.?!;:])\s+", t)}
    return tuple(sorted(s for s in sentences if len(s) >= 50))


def leaked(body: str) -> list[str]:
    text = re.sub(r"\s+", " ", html.unescape(body))
    return [s for s in instructor_only_sentences() if s in text]


def code_lines(path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    lines = {ln.strip() for c in nb.cells if c.cell_type == "code" for ln in c.source.splitlines()}
    return sorted(ln for ln in lines if len(ln) >= 8)


# --- (a) the instructor's server ----------------------------------------------------------------------


def test_the_guide_shows_the_notes_of_the_lesson_picked(instructor_voila, page):
    notes = ins.load_notes()
    content = load_content()
    page.goto(f"{instructor_voila}/voila/render/{GUIDE}", timeout=LOAD_TIMEOUT_MS)
    wait_text(page, ".lb-instructor-notes", notes.lessons["00"].teaching_points[0].point, timeout=LOAD_TIMEOUT_MS)
    page.get_by_label("Lesson").select_option(label=f"03 {content.lessons['03'].title}")
    for tp in notes.lessons["03"].teaching_points:
        wait_text(page, ".lb-instructor-notes", tp.point)
    shown = page.locator(".lb-instructor-notes").inner_text()
    assert "Timing plan: 60 minutes" in shown and notes.lessons["03"].discussion[0].question in shown
    key = ak.self_check_key(content, "03")[0]
    wait_text(page, ".lb-self-check-key", key.answer)
    body = page.inner_text("body")
    assert "Teaching material, not clinical advice" in body and "Traceback" not in body


def test_the_answer_keys_show_every_case(instructor_voila, page):
    content = load_content()
    entries = ak.case_key(content, ins.load_notes(content=content))
    page.goto(f"{instructor_voila}/voila/render/{KEYS}", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(".lb-case-key", timeout=LOAD_TIMEOUT_MS)
    assert page.locator(".lb-case-key").count() == len(entries) == len(load_cases(content))
    flagged = next(k for k in entries if k.red_flags)
    card = page.locator(f".lb-case-key[data-case='{flagged.id}']")
    text = card.inner_text()
    assert flagged.title in text and flagged.generators[0] in text and flagged.red_flags[0] in text
    assert flagged.explanation[:120] in re.sub(r"\s+", " ", text)
    assert page.locator(".lb-self-check-key").count() == len(content.questions)


def test_the_instructor_pages_carry_no_code_and_list_on_the_landing_page(instructor_voila):
    for name in (GUIDE, KEYS):
        page_html = fetch(f"{instructor_voila}/voila/render/{name}")
        if name == KEYS:  # the keys are in the page's HTML, so the learners' check below can see a leak
            assert len(leaked(page_html)) > 100
        lines = code_lines(INSTRUCTOR / name)
        assert lines and "lb-disclaimer" in page_html
        shown = [ln for ln in lines if ln in page_html or escape(ln) in page_html]
        assert not shown, f"{name}: code in the served HTML: {shown}"
        assert "Traceback" not in page_html
    tree = fetch(f"{instructor_voila}/voila/tree")
    assert GUIDE in tree and KEYS in tree
    status, _final, body = raw_get(instructor_voila, "/voila/files/notes/03.yaml")
    assert status in (403, 404) and not leaked(body)


# --- (b) the learners' server -------------------------------------------------------------------------


def test_there_are_instructor_sentences_to_look_for():
    secrets = instructor_only_sentences()
    assert len(secrets) > 200
    assert ins.load_notes().lessons["03"].teaching_points[0].point in secrets


@pytest.mark.parametrize("file", LESSON_FILES)
def test_no_lesson_shows_instructor_notes_or_answers(voila, file):
    page_html = fetch(f"{voila}/voila/render/{file}")
    assert "lb-disclaimer" in page_html, f"{file} did not render"
    found = leaked(page_html)
    assert not found, f"{file}: instructor-only text in the learners' HTML: {found[:3]}"


REFUSED = [
    "/voila/files/../instructor/notes/03.yaml",
    "/voila/files/../instructor/notes/cases.yaml",
    "/voila/files/../instructor/00_instructor_guide.ipynb",
    "/voila/files/../instructor/01_answer_keys.ipynb",
    "/voila/files/%2e%2e/instructor/notes/03.yaml",
    "/voila/files/..%2finstructor%2fnotes%2f03.yaml",
    "/voila/files/%2e%2e%2finstructor%2f01_answer_keys.ipynb",
    "/voila/files/..%252finstructor%252fnotes%252f03.yaml",
    "/voila/files/instructor/notes/03.yaml",
    "/voila/files/instructor/01_answer_keys.ipynb",
    "/voila/render/../instructor/00_instructor_guide.ipynb",
    "/voila/render/../instructor/01_answer_keys.ipynb",
    "/voila/render/%2e%2e/instructor/00_instructor_guide.ipynb",
    "/voila/render/..%2finstructor%2f01_answer_keys.ipynb",
    "/voila/render/instructor/01_answer_keys.ipynb",
    "/voila/render/01_answer_keys.ipynb",
    "/voila/tree/../instructor",
    "/voila/tree/%2e%2e/instructor",
    "/voila/tree/..%2finstructor",
    "/voila/api/contents/..%2finstructor",
    "/voila/api/contents/../instructor/notes",
    "/voila/static/..%2f..%2f..%2f..%2finstructor%2fnotes%2f03.yaml",
    "/files/instructor/notes/03.yaml",
]


@pytest.mark.parametrize("path", REFUSED)
def test_the_learners_server_refuses_the_instructor_files(voila, path):
    status, final, body = raw_get(voila, path)
    assert status in (403, 404), f"{path} -> {final}: HTTP {status}"
    assert not leaked(body), f"{path}: the answer holds instructor text"
    assert "teaching_points" not in body and "good_answer" not in body and "cell_type" not in body
