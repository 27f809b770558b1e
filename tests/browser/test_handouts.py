"""Handouts in a real Chromium: `lowback handouts 01 05 08` writes pages that read offline and print cleanly.

The handouts are opened with every network request blocked except the file itself: the lesson's headings,
the widgets' starting text (the anatomy explorer's prompt, the self-check questions, the case list) and the
controls' state are there; no script is; no line of the notebook's code is; the disclaimer is there once; and
each PDF is a PDF. Printed (print media, an A4 page's width), no control shows (no input, menu, button, check
box, slider), nor a hint on working one, but each view's starting state does: the anatomy diagram, the
self-check questions and their choices, the dose check's result, the case and the cohort charts.
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
from widgets.publish.handout import INTERACTIVE, INTERACTIVE_NOTE, NOT_ADVICE

pytestmark = pytest.mark.browser

IDS = ("01", "05", "08")  # the anatomy explorer; the dose check, ladder and advise-me; the simulator
A4 = {"width": 794, "height": 1123}  # an A4 page at 96 px per inch
# What the page shows of controls and hints, by CSS: each visible element, with what it is.
VISIBLE_CONTROLS_JS = """
() => {
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const controls = 'main input, main select, main button, main textarea, main [role=button]:not(svg *), '
    + '.widget-button, .widget-toggle-buttons, .widget-dropdown, .widget-checkbox, .widget-text, .widget-slider';
  return Array.from(document.querySelectorAll(controls)).filter(shown)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${(el.innerText || el.value || '').slice(0, 40)}`);
}
"""
# The views' own hints and control labels (a lesson's prose may say "choose a rung" in its own words).
HINTS = ("Tab into the diagram", "(none selected)", "Show layers", "Choose an answer, then check it",
         "Choose a rung, then a treatment, to see", "Choose a rung from the Rung menu", "Your answer",
         "Check answer", "Mark this lesson as done", "Give treatment", "The relief slider opens")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """The handouts of lessons 01, 05 and 08, built by the command `make handouts` runs; returns their folder."""
    out = tmp_path_factory.mktemp("handouts")
    result = subprocess.run([sys.executable, "-m", "widgets", "handouts", "--out", str(out), *IDS],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert f"{2 * len(IDS)} files in {out}" in result.stdout
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
    assert f"Lesson {lesson_id}:" in header_text
    for doc in ("S0", "S1", "S2", "S3", "S4", "REF"):
        assert re.search(rf"\b{doc}\b", header_text), f"source document {doc} missing from the header"
    _one_disclaimer(page)


def _one_disclaimer(page) -> None:
    """The disclaimer shows once: the lesson's own block, and no second line in the header."""
    assert page.locator(".lb-disclaimer, .lb-handout-disclaimer").count() == 1
    assert page.locator(".lb-disclaimer").first.is_visible()
    assert page.locator("body").inner_text().count(NOT_ADVICE) == 1


@pytest.mark.parametrize("lesson_id", IDS)
def test_printed_handout_has_no_controls_no_hints_and_one_disclaimer(handouts, page, lesson_id):
    _open_offline(page, _html(handouts, lesson_id))
    screen = page.evaluate(VISIBLE_CONTROLS_JS)
    assert screen, "on screen the controls keep their state"
    page.set_viewport_size(A4)
    page.emulate_media(media="print")
    assert page.evaluate(VISIBLE_CONTROLS_JS) == []
    text = page.locator("main").inner_text()  # only what is rendered: no display:none text
    assert not [hint for hint in HINTS if hint in text]
    _one_disclaimer(page)
    # each interactive view is named, with the lesson to open to use it
    views = [cls for cls in INTERACTIVE if page.locator(f"main .{cls}").count()]
    assert "lb-selfcheck" in views
    for cls in views:
        line = INTERACTIVE_NOTE.format(lesson=lesson_id, name=INTERACTIVE[cls])
        assert page.get_by_text(line).first.is_visible(), f"no line before the {INTERACTIVE[cls]}"


def _print(page, path) -> None:
    _open_offline(page, path)
    page.set_viewport_size(A4)
    page.emulate_media(media="print")


def test_printed_anatomy_shows_the_diagram_and_the_questions(handouts, page):
    _print(page, _html(handouts, "01"))
    diagram = page.locator("main .lb-anatomy-explorer svg").first
    box = diagram.bounding_box()
    assert diagram.is_visible() and box["width"] > 400, "the diagram, a page wide"
    # the whole drawing, its three views side by side (not the one view a narrow screen shows)
    whole = re.search(r'viewBox="([^"]+)"', (ROOT / "assets" / "diagrams" / "lumbar.svg").read_text()).group(1)
    assert diagram.get_attribute("viewBox") == whole
    for title in ("Side view (sagittal section)", "Back view (posterior)", "Cross-section at L4 (from above)"):
        label = diagram.get_by_text(title, exact=True).first
        assert label.is_visible(), title
        at = label.bounding_box()
        assert box["x"] <= at["x"] and at["x"] + at["width"] <= box["x"] + box["width"] + 1, f"{title} cut off"
    selfcheck = page.locator("main .lb-selfcheck")
    for q in load_content().questions["01"]:
        assert selfcheck.get_by_text(q.prompt, exact=False).first.is_visible(), f"question {q.id!r} not printed"
        for choice in q.choices:
            assert selfcheck.get_by_text(choice.text, exact=True).first.is_visible(), choice.text
    # a choice prints lettered (A. B. ...), not as a radio button
    before = page.evaluate("getComputedStyle(document.querySelector('.lb-question .widget-radio-box label'), "
                           "'::before').content")
    assert before.startswith("counter(lb-choice, upper-alpha)")


def test_printed_dose_check_and_ladder_show_their_results(handouts, page):
    _print(page, _html(handouts, "05"))
    dose = page.locator("main .lb-dose-result")
    assert dose.is_visible()
    assert re.search(r"Lidocaine: \d+ mg", dose.inner_text()), "the calculation for the starting values"
    assert page.locator("main .lb-ladder-explorer .lb-rung-details").first.is_visible()
    assert page.locator("main .lb-advise-me .lb-advice-result").is_visible()
    assert page.get_by_text("Shown as it starts, with no finding ticked.").first.is_visible()


def test_printed_simulator_shows_the_case_and_the_cohorts(handouts, page):
    _print(page, _html(handouts, "08"))
    assert page.locator("main .lb-case-intro-panel").is_visible()
    cohorts = page.locator("main .lb-cohort-result")
    assert cohorts.count() == 3 and all(cohorts.nth(i).is_visible() for i in range(3))
    assert page.locator("main .lb-cohort-view svg").first.is_visible()  # the chart
    # a slider prints as its label and value, without its track
    readout = page.locator("main .lb-cohort-view .lb-slider-readout").first
    assert readout.is_visible() and re.fullmatch(r"[\d,]+", readout.inner_text().strip())
    assert not page.locator("main .lb-live-join").is_visible(), "the live session has nothing to print but its line"


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
