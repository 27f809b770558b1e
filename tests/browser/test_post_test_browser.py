"""The pre-test to post-test widget in lesson 02, as a learner uses it: choose the condition, enter a test result,
and see the probability, the plot and the safety note change, with the result on screen, at both sizes."""

from __future__ import annotations

import pytest

from tests.browser.test_explorers_layout import assert_on_screen, open_lesson, sideways_overflow
from tests.pages import SIZES, wait_text

pytestmark = pytest.mark.browser

VIEW = ".lb-post-test"
RESULT = f"{VIEW} .lb-lr-result"


def menu(page, label: str):
    return page.locator(f"{VIEW} .widget-dropdown:has(label:text-is({label!r})) select")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_negative_bladder_scan_lowers_but_never_removes_the_emergency(voila, browser, size):
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    try:
        open_lesson(page, voila, "02", f"{VIEW} select")
        page.locator(VIEW).scroll_into_view_if_needed()
        wait_text(page, RESULT, "before testing")
        menu(page, "Condition").select_option(label="Cauda equina compression on MRI, in someone suspected of "
                                                    "cauda equina syndrome")
        wait_text(page, RESULT, "11.6% before testing")  # the sheet's first starting point is taken up
        wait_text(page, f"{VIEW} .lb-slider-readout", "11.6%")  # and the slider says the same
        assert page.locator(f"{RESULT} circle").count() == 1
        menu(page, "Post-void residual over 200 mL").select_option(
            label="Negative (LR 0.18)")
        text = wait_text(page, RESULT, "after 1 result")
        assert "2.3% after 1 result" in text  # odds 0.131 x 0.182 = 0.024
        assert page.locator(f"{RESULT} circle").count() == 2
        assert "SAFETY FIRST" in text.upper() and "emergency MRI" in text
        assert_on_screen(page, RESULT, "after 1 result")
        menu(page, "Reduced anal tone on rectal examination").select_option(label="Negative (LR 0.94)")
        text = wait_text(page, RESULT, "after 2 results")
        assert "overstates" in text  # two results multiplied: the caution appears
        assert sideways_overflow(page) <= 1
    finally:
        context.close()
