"""Shared fixtures: a tiny valid content set, and copies of it to break."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from widgets.content import loader as content_mod

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "assets"
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Progress, live sessions and the content cache of the whole run (unit tests, and the lessons nbval
    executes, whose kernels inherit this environment) go to a throwaway folder, never the user's own."""
    scratch = Path(tempfile.mkdtemp(prefix="lowback-test-"))
    os.environ.setdefault("LOWBACK_PROGRESS", str(scratch / "progress.sqlite"))
    os.environ.setdefault("LOWBACK_LIVE_URL", f"sqlite:///{scratch / 'live.sqlite'}")
    os.environ.setdefault("LOWBACK_CACHE", str(scratch / "cache"))  # validated content (widgets/content.kept)


@pytest.fixture
def content():
    """The shipped content, copied for each test: a test that changes it cannot change what the next one reads
    (load_content() hands every caller the same cached object)."""
    return copy.deepcopy(content_mod.load_content())


@pytest.fixture
def fixture_content():
    return content_mod.load_content(FIXTURE)


@pytest.fixture
def assets_copy(tmp_path):
    """A writable copy of the fixture content; returns its folder."""
    dest = tmp_path / "assets"
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture(scope="module")
def model():
    """The simulator's model on the shipped content (assets/simulation.yaml)."""
    from widgets.models.simulator import Model

    return Model.from_content(content_mod.load_content())


@pytest.fixture(scope="module")
def cases(model):
    """Every shipped virtual patient, by id."""
    from widgets.content.cases import load_cases

    return load_cases(model.content)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for every browser test in the run."""
    from tests.servers import ServerError, launch_chromium

    try:
        with launch_chromium() as b:
            yield b
    except ServerError as e:
        pytest.fail(str(e))


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test, closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def voila():
    """The learners' Voila (config/voila.py) on a free loopback port, shared by every browser test."""
    from tests.servers import voila_or_fail

    yield from voila_or_fail()


@pytest.fixture(params=["desktop", "phone"])  # the keys of tests.pages.SIZES
def screen(request, browser):
    """(size, a fresh page at that size), closed afterwards: the browser tests that check both screens."""
    from tests.pages import SIZES

    context = browser.new_context(**SIZES[request.param])
    try:
        yield request.param, context.new_page()
    finally:
        context.close()
