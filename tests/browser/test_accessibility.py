"""Accessibility of the dashboards, checked in a real Chromium against the learners' Voila.

- axe-core finds no serious or critical problem on the landing page or on any lesson, in the light and
  in the dark theme, nor after a structure is chosen (lesson 01) or a case is played to its debrief (08);
- every control has an accessible name, as Chromium computes it for screen readers;
- the anatomy explorer, the ladder explorer, the case simulator and the cohort sliders work from the
  keyboard alone: these tests never click, they press Tab from the top of the page and then keys;
- colour never carries meaning alone (grades, verdicts, the selected rung or structure, chart lines and
  bars also say it in words or a pattern), and every diagram or chart has a text alternative.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.pages import LESSON, PAGES, SIZES, case_label, open_page, sized_page, wait_changed, wait_text
from widgets.content.loader import load_content
from widgets.models.anatomy import AnatomyModel

pytestmark = pytest.mark.browser

THEMES = ("light", "dark")
AXE = Axe()
SEVERE = {"serious", "critical"}
# Rules about HTML the course writes itself (its widgets and its Voila template). They are kept at zero
# whatever impact axe gives them, so a skipped heading level or an empty header cell cannot creep back.
OWN_RULES = {"heading-order", "empty-table-header", "region", "landmark-one-main", "page-has-heading-one",
             "list", "listitem", "definition-list", "dlitem"}
# What a screen reader treats as a control: each needs a name.
CONTROL_ROLES = {"button", "checkbox", "radio", "combobox", "listbox", "slider", "spinbutton", "textbox",
                 "searchbox", "switch", "tab", "menuitem", "link"}

# A badge reads as GRADE's circles (hidden from screen readers) and then its grade in words.
GRADE_WORDS = re.compile(
    r"^(?:[\u2295\u25ef]{4}\s*)?(Certainty: (high|moderate|low|very low|not graded)|Evidence: not graded)$")


# --- opening a page ---------------------------------------------------------------------------------


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations, and any of OWN_RULES, one readable line each."""
    lines = []
    for v in AXE.run(page).response["violations"]:
        if v["impact"] in SEVERE or v["id"] in OWN_RULES:
            where = "; ".join(str(n["target"][-1])[-140:] for n in v["nodes"][:3])
            more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
            lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {where}{more}")
    return lines


def text_alternative_problems(page) -> dict:
    """Every <svg> and <img> in the lesson: a named image or group, or hidden from screen readers next to
    text that says the same (a legend entry). Returns the counts and what is missing."""
    return page.evaluate(
        """() => {
          const root = document.querySelector('#rendered_cells') || document.body;
          const bad = [];
          const svgs = Array.from(root.querySelectorAll('svg')).filter(s => !s.parentElement.closest('svg'));
          for (const svg of svgs) {
            const what = svg.outerHTML.slice(0, 100);
            if (svg.closest('[aria-hidden="true"]')) {
              if (!svg.parentElement.textContent.trim()) bad.push('hidden drawing with no text beside it: ' + what);
              continue;
            }
            const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
            const name = (svg.getAttribute('aria-label') || '').trim()
              || ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()
              || ((svg.querySelector(':scope > title') || {}).textContent || '').trim();
            if (!['img', 'group', 'figure', 'graphics-document'].includes(svg.getAttribute('role')))
              bad.push('drawing without role=img or group: ' + what);
            if (!name) bad.push('drawing without a name: ' + what);
          }
          const imgs = Array.from(root.querySelectorAll('img'));
          for (const img of imgs) {
            if (!img.hasAttribute('alt') && !img.getAttribute('aria-label'))
              bad.push('image without alt text: ' + img.outerHTML.slice(0, 100));
          }
          return {svgs: svgs.length, imgs: imgs.length, bad};
        }"""
    )


def controls(page) -> list[tuple[str, str, str]]:
    """(role, accessible name, element) for every control on the page, as Chromium exposes it to screen readers."""
    cdp = page.context.new_cdp_session(page)
    try:
        out = []
        for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
            role = node.get("role", {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES:
                continue
            name = str(node.get("name", {}).get("value", "")).strip()
            element = "?"
            if not name and "backendDOMNodeId" in node:
                dom = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
                attrs = dom.get("attributes", [])
                pairs = zip(attrs[::2], attrs[1::2], strict=True)
                element = dom["nodeName"].lower() + "".join(
                    f' {k}="{v[:40]}"' for k, v in pairs if k in {"class", "id"}
                )
            out.append((role, name, element))
        return out
    finally:
        cdp.detach()


# --- keyboard ---------------------------------------------------------------------------------------


def focused(page) -> str:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   if (!el || el === document.body) return 'nothing (the page itself)';
                   return el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') || el.textContent || '')
                          .trim().slice(0, 60) + '"'; }"""
    )


def tab_to(page, selector: str, limit: int, text: str | None = None) -> int:
    """Press Tab until the focused element matches SELECTOR (and starts with TEXT); returns the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            """([sel, text]) => { const el = document.activeElement;
                 const words = (el && (el.getAttribute('aria-label') || el.textContent) || '').trim();
                 return !!el && el.matches(sel) && (text === null || words.startsWith(text)); }""",
            [selector, text],
        ):
            return presses
    raise AssertionError(f"{selector} {text or ''} not reached after {limit} Tab presses; focus is on {focused(page)}")


# --- axe on every page, both themes -------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_problem(voila, browser, name, theme, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, name, theme)
        problems = axe_problems(page)
    assert not problems, f"{name} ({theme} theme, {size}):\n  " + "\n  ".join(problems)


def test_axe_after_choosing_a_structure_in_the_anatomy_explorer(voila, page):
    open_page(page, voila, "01")
    explorer = page.locator(".lb-anatomy-explorer").first
    label = dict((sid, text) for text, sid in AnatomyModel(load_content()).options())["sacrum"]
    explorer.get_by_label("Structure").select_option(label=label)
    wait_text(page, ".lb-anatomy-details", "What imaging shows or misses")
    problems = axe_problems(page)
    assert not problems, "lesson 01 with a structure chosen:\n  " + "\n  ".join(problems)


def test_axe_after_a_case_is_played_to_its_debrief(voila, page):
    open_page(page, voila, "08", "dark")
    player = page.locator(".lb-case-player").first
    player.get_by_label("Patient").select_option(label=case_label("garden_weekend_flank_ache"))
    wait_text(page, ".lb-case-player .lb-case-intro-panel", "market stall")
    player.get_by_role("button", name="Examine").click()
    wait_text(page, ".lb-case-player", "Examination")
    player.get_by_role("button", name="Order imaging").click()
    wait_text(page, ".lb-case-player", "Imaging reports")
    player.get_by_role("button", name="Advice, review in 4 weeks").click()
    page.wait_for_selector(".lb-case-player .lb-course-panel svg.lb-chart", timeout=15_000)  # weeks have passed
    player.get_by_role("button", name="Finish and debrief").click()
    wait_text(page, ".lb-case-player .lb-debrief-panel", "Your path, scored")
    problems = axe_problems(page)
    assert not problems, "lesson 08 at the debrief (dark theme):\n  " + "\n  ".join(problems)
    found = text_alternative_problems(page)
    assert found["svgs"] >= 3 and not found["bad"], found  # the course chart, the cohort charts, legends
    # Each chart has its numbers in a table beside it, for anyone who cannot see the lines.
    for box in (".lb-case-player .lb-course", ".lb-cohort-view .lb-cohort"):
        chart = page.locator(f"{box} svg.lb-chart").first
        assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label"), box
        assert page.locator(f"{box} table").count() >= 1, f"{box}: the chart has no table of its numbers"


# --- names and text alternatives ------------------------------------------------------------------------


@pytest.mark.parametrize("lid", list(LESSON))
def test_every_control_has_a_name_and_every_drawing_a_text_alternative(voila, page, lid):
    open_page(page, voila, lid)
    found = controls(page)
    roles = {role for role, _, _ in found}
    assert {"radio", "button"} <= roles, f"lesson {lid}: expected the self-check's answers and buttons, got {roles}"
    unnamed = [f"{role}: {element}" for role, name, element in found if not name]
    assert not unnamed, f"lesson {lid}: {len(unnamed)} of {len(found)} controls have no accessible name:\n  " + (
        "\n  ".join(unnamed[:10]))
    alt = text_alternative_problems(page)
    assert not alt["bad"], f"lesson {lid}: " + "\n  ".join(alt["bad"])
    if lid == "01":
        assert alt["svgs"] == 1  # the anatomy diagram (named group; the list and details say it in words)
        diagram = page.locator(".lb-diagram svg")
        assert diagram.get_attribute("aria-label") and diagram.locator("title").count() >= 1
    # Sliders say their value in words, not only by the position of the thumb.
    for slider in page.locator("input[type=range]").all():
        assert slider.get_attribute("aria-valuetext"), f"lesson {lid}: a slider gives no value in words"


# --- colour is never the only carrier -----------------------------------------------------------------


def test_grades_verdicts_and_the_selected_rung_are_said_in_words(voila, page):
    open_page(page, voila, "03")
    grades = page.locator(".lb-grade")
    assert grades.count() > 0
    for text in grades.all_inner_texts():
        assert GRADE_WORDS.match(text.strip()), f"an evidence badge says {text!r}, not its grade in words"
    triage = page.locator(".lb-triage-widget").first
    verdict = triage.locator(".lb-triage-result .lb-verdict").first
    assert verdict.inner_text().split(".")[0].endswith("NOT AN EMERGENCY")
    triage.get_by_role("checkbox", name="Past history of cancer").check()
    wait_text(page, ".lb-triage-widget .lb-triage-result", "URGENT.")
    assert verdict.inner_text().split(".")[0].endswith("URGENT")
    triage.get_by_role("checkbox", name="Saddle numbness").check()
    wait_text(page, ".lb-triage-widget .lb-triage-result .lb-verdict", " EMERGENCY.")
    assert verdict.inner_text().split(".")[0].endswith(" EMERGENCY") and "NOT AN" not in verdict.inner_text()
    # The rung buttons show the chosen rung by colour; the panel beside them names it.
    ladder = page.locator(".lb-ladder-explorer").first
    active = ladder.locator("button.widget-toggle-button.mod-active").inner_text().strip()
    assert ladder.locator(".lb-rung-box h3").inner_text().strip() == active
    ladder.get_by_role("checkbox", name="Saddle numbness").check()
    wait_text(page, ".lb-ladder-explorer .lb-ladder-view", "CLIMB STOPPED")
    question = page.locator(".lb-question").first
    question.locator("input[type=radio]").first.check()
    question.get_by_role("button", name="Check answer").click()
    page.wait_for_function(
        "(() => { const t = document.querySelector('.lb-question .lb-feedback-box').innerText;"
        " return /^[\\u2713\\u2717] (Correct|Not quite)\\./.test(t.trim()); })()",
        timeout=15_000,
    )


def test_chart_lines_and_bars_differ_in_pattern_and_words_not_only_colour(voila, page):
    open_page(page, voila, "08")
    cohort = page.locator(".lb-cohort-view .lb-cohort").first
    dashes = [line.get_attribute("stroke-dasharray") or "" for line in cohort.locator("svg.lb-chart polyline").all()]
    assert len(dashes) == 2 and len(set(dashes)) == 2, f"the two strategies' lines differ only in colour: {dashes}"
    legend = cohort.locator("figcaption").inner_text()
    assert "(solid)" in legend and "(dashed)" in legend
    bars = cohort.locator("table.lb-bars td > div")
    texts = bars.all_inner_texts()
    assert texts and all(re.match(r"^[AB]: \S", t.strip()) for t in texts), texts  # every bar has its number
    patterns = [bar.locator("span").first.evaluate("e => getComputedStyle(e).backgroundImage") for bar in bars.all()]
    assert all(p == "none" for p in patterns[0::2]) and all("gradient" in p for p in patterns[1::2]), (
        "B's bars should be striped and A's solid")


# --- keyboard only --------------------------------------------------------------------------------------


def test_anatomy_explorer_by_keyboard_alone(voila, page):
    open_page(page, voila, "01")
    content = load_content()
    details = ".lb-anatomy-details"
    assert "Select a structure" in page.locator(details).inner_text()
    tab_to(page, ".lb-anatomy-explorer input[type=checkbox]", limit=60)  # the layer switches come first
    presses = tab_to(page, ".lb-diagram [data-structure]", limit=10)
    assert presses <= 7, f"{presses} Tab presses from the layer switches to the diagram"
    first = page.evaluate("document.activeElement.getAttribute('data-structure')")
    page.keyboard.press("Enter")
    name = content.structures[first].name
    wait_text(page, details, name)
    # The choice is said in words and marked by a dashed outline, and focus stays where it was.
    assert page.locator(f"{details} h3").inner_text() == name
    node = page.locator(f".lb-diagram [data-structure='{first}'][tabindex='0']")
    assert node.get_attribute("aria-pressed") == "true"
    assert node.evaluate("e => e === document.activeElement")
    assert page.locator(".lb-diagram .lb-selected").first.evaluate(
        "e => getComputedStyle(e).strokeDasharray") not in ("", "none")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("document.activeElement.getAttribute('data-structure')")
    assert second and second != first, f"ArrowRight should move to the next structure, focus is on {focused(page)}"
    page.keyboard.press("Space")
    wait_text(page, details, content.structures[second].name)
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.getAttribute('data-structure')") == first
    page.keyboard.press("Tab")  # Tab also walks the structures, one stop each
    assert page.evaluate("document.activeElement.getAttribute('data-structure')") == second
    # The list below the diagram is the other way in: arrow keys choose from it.
    tab_to(page, ".lb-anatomy-explorer select", limit=len(content.structures) + 5)
    before = page.locator(details).inner_text()
    page.keyboard.press("ArrowDown")
    after = wait_changed(page, details, before)
    chosen = page.locator(".lb-anatomy-explorer select").evaluate("e => e.options[e.selectedIndex].text")
    assert chosen.replace("\u00a0", " ").split(": ", 1)[-1] in after  # "Layer: name" on the list


def test_ladder_explorer_by_keyboard_alone(voila, page):
    open_page(page, voila, "04")
    rung_box = ".lb-ladder-explorer .lb-rung-box"
    ladder = ".lb-ladder-explorer .lb-ladder-view"
    # The scoring tools (STarT Back's 9 items, the Oswestry's 10 sections) come before the ladder in lesson 04; a
    # keyboard user can also jump there from the page's "In this lesson" links.
    presses = tab_to(page, ".lb-ladder-explorer button.widget-toggle-button", limit=100, text="1.")
    tab_to(page, ".lb-ladder-explorer button.widget-toggle-button", limit=3, text="3. Medicines")
    page.keyboard.press("Space")
    assert wait_text(page, rung_box, "3. Medicines").startswith("3. Medicines")
    assert "3. Medicines" in page.locator(".lb-ladder-explorer .lb-rung", has_text="selected").inner_text()
    page.keyboard.press("Tab")
    assert focused(page).startswith('button "4. Regenerative'), focused(page)
    page.keyboard.press("Enter")
    assert wait_text(page, rung_box, "4. Regenerative injections").startswith("4. Regenerative injections")
    assert "4. Regenerative" in page.locator(".lb-ladder-explorer .lb-rung", has_text="selected").inner_text()
    # On to the treatment list: an arrow key picks the rung's first treatment and its card appears.
    tab_to(page, ".lb-ladder-explorer select", limit=20)
    page.keyboard.press("ArrowDown")
    details = wait_text(page, ".lb-ladder-explorer .lb-treatment-details", "What it does")
    assert "certainty:" in details and page.locator(ladder).inner_text()
    assert presses <= 100


def test_case_simulator_by_keyboard_alone(voila, page):
    open_page(page, voila, "08")
    player = ".lb-case-player"
    course = f"{player} .lb-course-panel"
    tab_to(page, f"{player} select", limit=40)  # the patient list is the simulator's first control
    intro = page.locator(f"{player} .lb-case-intro-panel").inner_text()
    page.keyboard.press("ArrowDown")  # the next patient on the list
    assert wait_changed(page, f"{player} .lb-case-intro-panel", intro) != intro
    tab_to(page, f"{player} button", limit=3, text="Examine")
    page.keyboard.press("Enter")
    wait_text(page, player, "Examination")
    tab_to(page, f"{player} button", limit=4, text="Advice, review in 4 weeks")
    before = page.locator(course).inner_text()
    page.keyboard.press("Space")
    assert "Week 4" in wait_changed(page, course, before)
    # A treatment: the rung and treatment lists by arrow keys, then the button.
    tab_to(page, f"{player} select", limit=3)
    first_treatment = f"document.querySelectorAll('{player} select')[2].options[0].text"
    lifestyle = page.evaluate(first_treatment)
    page.keyboard.press("ArrowDown")  # from Lifestyle to the next rung
    page.wait_for_function(f"{first_treatment} !== {lifestyle!r}")  # the kernel refills the treatment list
    tab_to(page, f"{player} select", limit=2)
    page.keyboard.press("ArrowDown")
    treatment = page.locator(f"{player} select").nth(2).evaluate("e => e.options[e.selectedIndex].text")
    tab_to(page, f"{player} button", limit=2, text="Give treatment")
    before = page.locator(course).inner_text()
    page.keyboard.press("Enter")
    after = wait_changed(page, course, before)
    assert treatment.replace("\u00a0", " ").split(" (")[0] in after, f"{treatment!r} not in the course text"
    tab_to(page, f"{player} button", limit=2, text="Finish and debrief")
    page.keyboard.press("Enter")
    wait_text(page, f"{player} .lb-debrief-panel", "Your path, scored")


def test_cohort_sliders_by_keyboard_alone(voila, page):
    open_page(page, voila, "08")
    tab_to(page, ".lb-cohort-view input[type=range]", limit=80)
    assert page.evaluate("document.activeElement.labels[0].textContent") == "Patients"
    assert page.evaluate("document.activeElement.getAttribute('aria-valuetext')") == "10,000"
    page.keyboard.press("ArrowLeft")  # one step of 1,000 patients down
    assert page.evaluate("document.activeElement.getAttribute('aria-valuetext')") == "9,000"
    assert "9,000" in wait_text(page, ".lb-cohort-view .lb-cohort-result", "9,000")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.labels[0].textContent") == "First operation succeeds", focused(page)
