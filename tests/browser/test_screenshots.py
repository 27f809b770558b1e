"""`make screenshots` (tests/screenshots.py) saves each page as a PNG of the size asked for, and the dark theme is a
different, darker picture than the light one."""

from __future__ import annotations

import base64

import pytest

from tests.pages import SIZES
from tests.screenshots import file_name, png_size, shoot

pytestmark = pytest.mark.browser

# The average channel value of a PNG (0 black, 255 white), decoded by Chromium: the course installs no imaging library.
MEAN_JS = """async src => {
  const img = new Image(); img.src = src; await img.decode();
  const canvas = document.createElement('canvas'); canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0; for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
  return sum / (3 * d.length / 4);
}"""


def mean_brightness(browser, path) -> float:
    context = browser.new_context()
    try:
        src = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
        return context.new_page().evaluate(MEAN_JS, src)
    finally:
        context.close()


def test_landing_and_a_lesson_at_both_sizes_and_the_dark_theme_is_darker(voila, browser, tmp_path):
    said: list[str] = []
    saved = shoot(browser, voila, tmp_path, pages=["landing", "00"], themes=["light"], full_page=False, say=said.append)
    assert saved == [tmp_path / file_name(page, size, "light") for size in ("phone", "desktop")
                     for page in ("landing", "00")]
    assert len(said) == len(saved) and all(line.startswith("saved ") for line in said)
    for size in ("phone", "desktop"):
        viewport = SIZES[size]["viewport"]
        for page in ("landing", "00"):
            assert png_size(tmp_path / file_name(page, size, "light")) == (viewport["width"], viewport["height"])

    dark, dark_full = shoot(browser, voila, tmp_path, pages=["00"], sizes=["desktop"], themes=["dark"], say=said.append)
    assert (dark.name, dark_full.name) == ("00-1280x900-dark.png", "00-1280x900-dark-full.png")
    assert png_size(dark) == (1280, 900)
    width, height = png_size(dark_full)
    assert width == 1280 and height > 3 * 900, f"the whole lesson is only {height} px tall"  # not cut at one screen

    light = tmp_path / file_name("00", "desktop", "light")
    assert dark.read_bytes() != light.read_bytes()
    light_mean, dark_mean = mean_brightness(browser, light), mean_brightness(browser, dark)
    assert dark_mean < 0.5 * light_mean, f"the dark screenshot is not darker: {dark_mean:.0f} vs {light_mean:.0f}"
