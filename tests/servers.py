"""Servers and browsers the browser tests and benchmarks share.

`serve_voila()` starts the learners' Voila exactly as `make dashboards` does (widgets/publish/serving.py, which
`make handouts` uses too) on a free loopback port, waits until it answers, and stops it afterwards.
`launch_chromium()` opens Debian's Chromium through Playwright with the flags this machine needs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from widgets.publish.serving import (  # noqa: F401 (the tests import these from here)
    CONFIG,
    FLAGS,
    LESSONS,
    ROOT,
    ServerError,
    chromium_path,
    free_port,
    wait_until_up,
)
from widgets.publish.serving import voila as serve_voila

CHROMIUM = chromium_path()
LOAD_TIMEOUT_MS = 90_000


def voila_or_fail(env_extra: dict[str, str] | None = None, **kwargs) -> Iterator[str]:
    """For fixtures: yield the base URL of `serve_voila(ENV_EXTRA, **KWARGS)`, or fail the test with its log."""
    import pytest

    try:
        with serve_voila(env_extra, **kwargs) as (base, _proc):
            yield base
    except ServerError as e:
        pytest.fail(str(e))


@contextlib.contextmanager
def launch_chromium():
    if not Path(CHROMIUM).exists():
        raise ServerError(f"no Chromium at {CHROMIUM}: run `make test` (it installs one) or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
