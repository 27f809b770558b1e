"""The dark theme follows the device: a browser that prefers dark gets the landing page and every lesson link in
the dark theme, and a theme picked on the landing page is remembered over the device's preference."""

from __future__ import annotations

import pytest

from tests.pages import LESSON
from tests.servers import LOAD_TIMEOUT_MS

pytestmark = pytest.mark.browser


def landing(page, base: str) -> None:
    page.goto(base + "/", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(".lb-lessons", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_load_state("load")


def shown_theme(page) -> str:
    return "dark" if page.locator("body").get_attribute("data-jp-theme-light") == "false" else "light"


def test_a_device_that_prefers_dark_gets_the_dark_theme_and_a_choice_is_remembered(voila, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = context.new_page()
        landing(page, voila)
        page.wait_for_url("**theme=dark**", timeout=30_000)
        page.wait_for_selector(".lb-lessons", timeout=LOAD_TIMEOUT_MS)
        assert shown_theme(page) == "dark"
        links = page.locator("a.lb-lesson-link")
        assert links.count() == len(LESSON)
        assert all("theme=dark" in links.nth(i).get_attribute("href") for i in range(links.count()))

        page.get_by_label("Theme").select_option("light")  # by keyboard-reachable control, with its label
        page.wait_for_url("**theme=light**", timeout=30_000)
        page.wait_for_selector(".lb-lessons", timeout=LOAD_TIMEOUT_MS)
        assert shown_theme(page) == "light"

        landing(page, voila)  # a new visit: the choice outweighs the device's preference (no move to dark)
        assert shown_theme(page) == "light" and "theme=dark" not in page.url
        assert page.get_by_label("Theme").input_value() == "light"
        assert "theme=light" in page.locator("a.lb-lesson-link").first.get_attribute("href")
    finally:
        context.close()


def test_a_device_that_prefers_light_stays_light_without_a_reload(voila, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    try:
        page = context.new_page()
        landing(page, voila)
        assert shown_theme(page) == "light" and "theme=" not in page.url
        assert "theme=light" in page.locator("a.lb-lesson-link").first.get_attribute("href")
    finally:
        context.close()
