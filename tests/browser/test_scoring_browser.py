"""The scoring tools in lesson 04, as a learner meets them in Voila: choose a case patient, read the risk group and
its matched care, then clear an answer and read which item is missing."""

from __future__ import annotations

import pytest

from tests.pages import LESSON, wait_text
from tests.servers import LOAD_TIMEOUT_MS
from widgets.content.cases import load_cases
from widgets.content.loader import load_content
from widgets.models.startback import score

pytestmark = pytest.mark.browser

RESULT = ".lb-scoring-tools .lb-scoring-result"


def test_choosing_a_patient_shows_the_matched_care_for_their_group(voila, page):
    content = load_content()
    cases = load_cases(content)
    page.goto(f"{voila}/voila/render/{LESSON['04']}", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(RESULT, timeout=LOAD_TIMEOUT_MS)
    tool = page.locator(".lb-scoring-tools").first
    assert "Your own entries" in wait_text(page, RESULT, "Incomplete")  # own entries start blank
    for case_id in ("care_assistant_off_work", "twist_at_the_warehouse_shelf"):
        case = cases[case_id]
        expected = score(case.start_back, content)
        tool.get_by_label("Whose answers?").select_option(label=case.title)
        text = wait_text(page, RESULT, case.title)
        text = wait_text(page, RESULT, f"{expected.group.capitalize()} risk")
        assert expected.care in text and "Hill 2011" in text
        assert f"Total score: {expected.total} of 9" in text and "Index:" in text
    # the "In this lesson" block names the tool
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.lb-in-this-lesson .lb-tool-list a'))
        .some(a => a.textContent.startsWith('Scoring tools'))""", timeout=15_000)
    # clearing item 9 gives the message naming it, not a score
    tool.get_by_label("9. How bothersome overall").select_option(label="Not answered")
    text = wait_text(page, RESULT, "item 9, how bothersome")
    assert "Total score" not in text and "Traceback" not in text
