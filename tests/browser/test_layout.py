"""The learner's screen, at a laptop's 1280x900 and a phone's 390x844, in a real Chromium against the learners' Voila:

- no page scrolls sideways, the landing page or any lesson;
- every lesson has a section menu that points at each of its sections, the previous and next lessons, and an
  "In this lesson" block within the first two screens that links to each interactive tool;
- the menu, the section folds and the next-lesson link work by mouse and by keyboard;
- after the main action of each tool (triage, dose check, advise-me, self-check, a case step, a cohort change)
  its result is on screen without scrolling. The two explorers are checked in test_explorers_layout.py.
"""

from __future__ import annotations

import pytest

from tests.pages import LESSON, LESSON_FILES, PAGES, SIZES, case_label, open_page, sized_page, wait_text

pytestmark = pytest.mark.browser

# How far past the screen's edge the page reaches: the scrolling box of a lesson (Voila scrolls #rendered_cells,
# not the document) and the document itself. The widest elements are named to help whoever fixes it.
OVERFLOW = """() => {
  const box = document.querySelector('#rendered_cells') || document.documentElement;
  const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.right > innerWidth + 1;
  }).slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + String(e.className).slice(0, 50));
  return {page: document.documentElement.scrollWidth - innerWidth, box: box.scrollWidth - box.clientWidth, wide};
}"""
# Where an element is against the screen: its top and bottom, and the screen's height less the top bar (the section
# menu's bar on a narrow screen covers the top of the page).
WHERE = """el => { const r = el.getBoundingClientRect(), bar = document.querySelector('.lb-sections');
  const b = bar ? bar.getBoundingClientRect() : null;
  const covered = b && b.width > innerWidth / 2 && b.top <= 1 ? b.bottom : 0;
  return [r.top, r.bottom, innerHeight, covered]; }"""


def wait_in_view(page, target, what: str, timeout: float = 10.0) -> None:
    """Wait until TARGET (a selector, or a locator) shows at least its first lines on screen, clear of the bar."""
    import time

    locator = page.locator(target).first if isinstance(target, str) else target
    deadline = time.monotonic() + timeout
    while True:
        top, bottom, height, covered = locator.evaluate(WHERE)
        if top < height - 40 and bottom > covered + 16:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: the result is off screen (top {top:.0f} px, bottom {bottom:.0f} px, "
                        f"screen {height} px, of which the top {covered:.0f} px are under the bar)")
        page.wait_for_timeout(200)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scroll_and_a_way_around(voila, browser, name, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, name)
        over = page.evaluate(OVERFLOW)
        assert over["page"] <= 1 and over["box"] <= 1, f"{name} ({size}) scrolls sideways: {over}"
        if name == "landing":
            return
        # The menu names every section of the lesson and points at it.
        menu = page.evaluate("""() => {
          const headings = Array.from(document.querySelectorAll('main h2'))
            .filter(h => !h.closest('.lb-in-this-lesson')).map(h => h.id);
          const links = Array.from(document.querySelectorAll('.lb-sections-list a'))
            .map(a => a.getAttribute('href').slice(1));
          return {headings, links};
        }""")
        assert menu["headings"] and menu["links"] == menu["headings"], f"{name} ({size}): {menu}"
        # Previous and next lessons, in teaching order; a page outside the lessons (the review) has neither, only
        # the way back to all of them.
        i = LESSON_FILES.index(LESSON[name]) if name in LESSON else None
        for rel, j in (("prev", -1 if i is None else i - 1), ("next", -1 if i is None else i + 1)):
            hrefs = [a.get_attribute("href") for a in page.locator(f"a.lb-nav-{rel}").all()]
            if 0 <= j < len(LESSON_FILES):
                assert hrefs and all(h.split("?")[0] == LESSON_FILES[j] for h in hrefs), (name, rel, hrefs)
            else:
                assert not hrefs, (name, rel, hrefs)
        assert page.locator("a.lb-nav-all").count() == 2, f"{name}: no way back to all the lessons"
        # "In this lesson" sits in the first two screens and links to every tool the lesson has.
        block = page.locator(".lb-in-this-lesson")
        top = block.evaluate("""el => el.getBoundingClientRect().top
            + (document.querySelector('#rendered_cells') || document.documentElement).scrollTop""")
        height = SIZES[size]["viewport"]["height"]
        assert top < 2 * height, f"{name} ({size}): 'In this lesson' starts {top:.0f} px down"
        page.wait_for_function("""() => {
          const tools = document.querySelectorAll('.lb-in-this-lesson .lb-tool-list a');
          return tools.length > 0 && Array.from(tools).every(a => document.getElementById(a.hash.slice(1)));
        }""", timeout=10_000)


def menu_link(page, size: str, text: str):
    """Open the section menu if it is folded (a narrow screen) and return its link that starts with TEXT."""
    if size == "phone":
        page.locator(".lb-sections summary").click()
    return page.locator(".lb-sections-list a", has_text=text).first


@pytest.mark.parametrize("size", list(SIZES))
def test_section_menu_folds_and_next_lesson_by_mouse(voila, browser, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, "05")
        target = page.locator("main h2", has_text="6 Epidural steroid injections").first
        section = target.get_attribute("id")
        menu_link(page, size, "6 Epidural").click()
        wait_in_view(page, f"[id='{section}']", f"lesson 05 ({size}): the section chosen in the menu")
        if size == "phone":  # the menu closes so that the section can be read
            assert not page.locator(".lb-sections details").evaluate("d => d.open")
        # Folding a section hides its cells and says so on the button; unfolding brings them back.
        fold = target.locator(".lb-fold")
        assert fold.get_attribute("aria-expanded") == "true"
        fold.click()
        assert fold.get_attribute("aria-expanded") == "false" and fold.inner_text() == "Show section"
        hidden = page.locator(".lb-folded").count()
        assert hidden >= 2, f"folding section 6 hid {hidden} cells"
        fold.click()
        assert page.locator(".lb-folded").count() == 0
        page.locator("a.lb-nav-next").first.click()
        page.wait_for_url(f"**/{LESSON['06']}*", timeout=30_000)
        page.wait_for_selector(".lb-sections", state="attached", timeout=90_000)


def tab_until(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} not reached after {limit} Tab presses")


@pytest.mark.parametrize("size", list(SIZES))
def test_section_menu_and_next_lesson_by_keyboard(voila, browser, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, "05")
        heading = page.locator("main h2", has_text="4 Medial branch blocks").first
        section = heading.get_attribute("id")
        if size == "phone":  # the menu is folded: open it from the keyboard first
            tab_until(page, ".lb-sections summary")
            page.keyboard.press("Enter")
            assert page.locator(".lb-sections details").evaluate("d => d.open")
        tab_until(page, f".lb-sections-list a[href='#{section}']")
        page.keyboard.press("Enter")
        wait_in_view(page, f"[id='{section}']", f"lesson 05 ({size}): the section chosen by keyboard")
        # The fold button is reached and worked by keyboard too.
        heading.locator(".lb-fold").focus()
        page.keyboard.press("Enter")
        assert heading.locator(".lb-fold").get_attribute("aria-expanded") == "false"
        page.keyboard.press("Space")
        assert heading.locator(".lb-fold").get_attribute("aria-expanded") == "true"
        page.locator(".lb-sections").first.evaluate("n => n.querySelector('a.lb-nav-all').focus()")
        tab_until(page, ".lb-sections a.lb-nav-next", limit=3)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{LESSON['06']}*", timeout=30_000)


# --- results in view after the main action of each tool -------------------------------------------------------


def tick(widget, *labels: str) -> None:
    """Scroll a findings widget's boxes into view and tick each of LABELS, as a learner would."""
    for label in labels:
        box = widget.get_by_role("checkbox", name=label)
        box.scroll_into_view_if_needed()
        box.check()


@pytest.mark.parametrize("size", list(SIZES))
def test_triage_and_self_check_results_are_in_view(voila, browser, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, "03")
        tick(page.locator(".lb-triage-widget").first, "Chronic (over 12 weeks)", "Saddle numbness")
        wait_text(page, ".lb-triage-widget .lb-triage-result .lb-verdict", " EMERGENCY.")
        wait_in_view(page, ".lb-triage-widget .lb-triage-result .lb-verdict", f"triage ({size})")
        question = page.locator(".lb-question").last
        question.locator("input[type=radio]").first.check()
        question.get_by_role("button", name="Check answer").click()
        page.wait_for_function("""() => { const qs = document.querySelectorAll('.lb-question');
            return /Correct|Not quite/.test(qs[qs.length - 1].querySelector('.lb-feedback-box').innerText); }""")
        wait_in_view(page, question.locator(".lb-feedback-box"), f"self-check ({size})")


@pytest.mark.parametrize("size", list(SIZES))
def test_dose_check_and_advise_me_results_are_in_view(voila, browser, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, "05")
        dose = page.locator(".lb-dose-check").first
        volume = dose.get_by_label("Volume (mL)")
        volume.scroll_into_view_if_needed()
        volume.fill("80")
        volume.press("Enter")
        wait_text(page, ".lb-dose-check .lb-dose-verdict", "OVER THE LIMIT")
        wait_in_view(page, ".lb-dose-check .lb-dose-verdict", f"dose check ({size})")
        tick(page.locator(".lb-advise-me").first, "Chronic (over 12 weeks)", "Facet-joint pattern")
        wait_text(page, ".lb-advise-me .lb-advice-result", "facet-mediated pain")
        wait_in_view(page, ".lb-advise-me .lb-advice-result", f"advise-me ({size})")


@pytest.mark.parametrize("size", list(SIZES))
def test_case_step_and_cohort_results_are_in_view(voila, browser, size):
    with sized_page(browser, size) as page:
        open_page(page, voila, "08")
        player = page.locator(".lb-case-player").first
        player.get_by_label("Patient").select_option(label=case_label("garden_weekend_flank_ache"))
        wait_text(page, ".lb-case-player .lb-case-intro-panel", "market stall")
        player.get_by_role("button", name="Examine").click()
        wait_text(page, ".lb-case-player", "Examination")
        wait_in_view(page, ".lb-case-player .lb-exam-panel", f"case player, after Examine ({size})")
        player.get_by_role("button", name="Advice, review in 4 weeks").click()
        wait_text(page, ".lb-case-player .lb-sim-status", "Decisions so far: 1")
        wait_in_view(page, ".lb-case-player .lb-course-panel", f"case player, after a step ({size})")
        player.get_by_role("button", name="Finish and debrief").click()
        wait_text(page, ".lb-case-player .lb-debrief-panel", "Your path, scored")
        wait_in_view(page, ".lb-case-player .lb-debrief-panel", f"case player, after Finish ({size})")
        cohort = page.locator(".lb-cohort-view").first
        strategy = cohort.get_by_label("Strategy B (dashed)")
        strategy.scroll_into_view_if_needed()
        before = page.locator(".lb-cohort-view .lb-cohort-result").first.inner_text()
        options = strategy.locator("option").all_inner_texts()
        chosen = strategy.evaluate("s => s.selectedOptions[0].text")
        strategy.select_option(label=[o for o in options if o != chosen][0])
        page.wait_for_function(
            "old => document.querySelector('.lb-cohort-view .lb-cohort-result').innerText !== old", arg=before,
            timeout=30_000)
        wait_in_view(page, ".lb-cohort-view .lb-cohort-result", f"cohort view ({size})")
