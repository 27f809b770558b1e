"""Handouts in a real Chromium: `lowback handouts 01 08` writes pages that read offline.

The handouts are opened with every network request blocked except the file itself: the lesson's headings,
the widgets' starting text (the anatomy explorer's prompt, the self-check questions, the case list) and the
controls' state are there; no script is; no line of the notebook's code is; and each PDF is a PDF.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.pages import LESSON, case_label
from tests.servers import LESSONS, ROOT
from widgets.content.cases import load_cases
from widgets.content.loader import load_content
from widgets.publish.handout import NOT_ADVICE

pytestmark = pytest.mark.browser

IDS = ("01", "08")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """The handouts of lessons 01 and 08, built by the command `make handouts` runs; returns their folder."""
    out = tmp_path_factory.mktemp("handouts")
    result = subprocess.run([sys.executable, "-m", "widgets", "handouts", "--out", str(out), *IDS],
                            capture_output=True, text=True, cwd=ROOT, timeout=400)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert f"4 files in {out}" in result.stdout
    return out


def _html(handouts, lesson_id: str):
    return handouts / LESSON[lesson_id].replace(".ipynb", ".html")


def _open_offline(page, path) -> list[str]:
    """Open PATH with every other request aborted; returns the addresses the page tried to reach."""
    url = path.resolve().as_uri()
    tried: list[str] = []

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            tried.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")  # no request for 500 ms: anything the page would fetch has asked
    return tried


def _cells(lesson_id: str) -> list[dict]:
    return json.loads((LESSONS / LESSON[lesson_id]).read_text())["cells"]


@pytest.mark.parametrize("lesson_id", IDS)
def test_handout_reads_offline_with_headings_header_and_no_script(handouts, page, lesson_id):
    tried = _open_offline(page, _html(handouts, lesson_id))
    assert tried == [], f"the handout reaches outside itself: {tried[:5]}"
    assert page.evaluate("document.scripts.length") == 0
    assert "<script" not in _html(handouts, lesson_id).read_text().lower()
    headings = [line[3:].strip() for c in _cells(lesson_id) if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("## ")]
    assert len(headings) >= 5
    for heading in headings:
        assert page.locator("main h2", has_text=heading).first.is_visible(), f"heading {heading!r} not shown"
    header = page.locator("header.lb-handout-header")
    assert header.is_visible()
    header_text = header.inner_text()
    assert NOT_ADVICE in header_text and f"Lesson {lesson_id}:" in header_text
    for doc in ("S0", "S1", "S2", "S3", "S4", "REF"):
        assert re.search(rf"\b{doc}\b", header_text), f"source document {doc} missing from the header"


@pytest.mark.parametrize("lesson_id", IDS)
def test_handout_shows_no_code(handouts, lesson_id):
    text = _html(handouts, lesson_id).read_text()
    lines = {line.strip() for c in _cells(lesson_id) if c["cell_type"] == "code"
             for line in "".join(c["source"]).splitlines() if line.strip()}
    assert any("self_check(" in line for line in lines)
    shown = [line for line in lines if line in text]
    assert not shown, f"code from the notebook appears in the handout: {shown[:3]}"


def test_anatomy_and_self_check_show_their_starting_text(handouts, page):
    _open_offline(page, _html(handouts, "01"))
    prompt = page.get_by_text("Select a structure on the diagram").first
    assert prompt.is_visible()
    questions = load_content().questions["01"]
    for q in questions:
        assert page.get_by_text(q.prompt, exact=False).first.is_visible(), f"question {q.id!r} not shown"
        assert page.get_by_text(q.choices[0].text, exact=True).first.is_visible()
    # the diagram is drawn (inline SVG) and the layer switches keep their state: all layers shown
    assert page.locator("main svg").first.is_visible()
    boxes = page.locator("main input[type=checkbox]")
    assert boxes.count() >= 5 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))


def test_case_player_and_cohort_view_keep_their_state(handouts, page):
    _open_offline(page, _html(handouts, "08"))
    # ipywidgets writes the spaces of an option as no-break spaces
    selects = page.evaluate(
        """() => Array.from(document.querySelectorAll('main select')).map(s => ({
             shown: s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.replace(/\u00a0/g, ' ') : null,
             options: Array.from(s.options).map(o => o.text.replace(/\u00a0/g, ' ')),
             visible: s.getClientRects().length > 0}))"""
    )
    labels = {case_label(cid) for cid in load_cases(load_content())}
    players = [s for s in selects if set(s["options"]) == labels]
    assert players, "no case list with every case"
    assert players[0]["visible"] and players[0]["shown"] in labels
    # the cohort view was opened on the warehouse case (lesson cell): its menu still says so
    title = load_cases(load_content())["twist_at_the_warehouse_shelf"].title
    assert any(s["shown"] == title and s["visible"] for s in selects), [s["shown"] for s in selects]
    assert page.get_by_text("Finish and debrief").count() > 0  # buttons are in the page (hidden only in print)


@pytest.mark.parametrize("lesson_id", IDS)
def test_pdf_is_written(handouts, lesson_id):
    pdf = _html(handouts, lesson_id).with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3, "a lesson fills several A4 pages"
