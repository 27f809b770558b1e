"""At a phone's 390x844 a figure table reads as cards: each row within the screen, its grade first, every value
under its column's name; glossary terms sit above their definitions."""

from __future__ import annotations

import pytest

from tests.pages import LESSON
from tests.servers import LOAD_TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_figure_tables_are_cards_with_the_grade_first_on_a_phone(voila, phone):
    phone.goto(f"{voila}/voila/render/{LESSON['00']}", timeout=LOAD_TIMEOUT_MS)
    phone.wait_for_selector("table.lb-table td.lb-lead", timeout=LOAD_TIMEOUT_MS)
    cards = phone.evaluate("""() => Array.from(document.querySelectorAll('table.lb-table tr')).filter(
        tr => tr.querySelector('td.lb-lead')).map(tr => {
          const cells = Array.from(tr.querySelectorAll('td')).map(td => td.getBoundingClientRect());
          const lead = tr.querySelector('td.lb-lead').getBoundingClientRect();
          const box = tr.getBoundingClientRect();
          return {right: box.right, left: box.left, leadTop: lead.top, firstTop: Math.min(...cells.map(c => c.top)),
                  label: getComputedStyle(tr.querySelector('td.lb-lead'), '::before').content};
        })""")
    assert cards, "lesson 00 shows no figure table"
    caption = phone.evaluate("document.querySelector('table.lb-table caption').getBoundingClientRect().width")
    assert caption > 300, f"the table's caption is squeezed into {caption:.0f} px"
    for card in cards:
        assert card["left"] >= 0 and card["right"] <= 390 + 0.5, card  # within the screen, no sideways scroll
        assert card["leadTop"] == card["firstTop"], card  # the grade comes first
        assert card["label"] == '"Grade"', card  # under its column's name
    dt, dd = phone.evaluate("""() => { const g = document.querySelector('.lb-glossary');
        return [g.querySelector('dt').getBoundingClientRect().bottom,
                g.querySelector('dd').getBoundingClientRect().top]; }""")
    assert dt <= dd + 0.5, "a glossary term runs into its definition"


def test_tables_stay_tables_on_a_desktop(voila, page):
    page.goto(f"{voila}/voila/render/{LESSON['00']}", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector("table.lb-table td.lb-lead", timeout=LOAD_TIMEOUT_MS)
    assert page.evaluate("getComputedStyle(document.querySelector('table.lb-table td')).display") == "table-cell"
    # While a lesson loads, its progress is in words ("Preparing the lesson... 40%"), not "Executing 28 of 70".
    assert "Preparing the lesson" in page.evaluate("String(window.voila_process)")
