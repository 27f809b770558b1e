"""Servers and browsers the browser tests and benchmarks share.

`serve_voila()` starts the learners' Voila exactly as `make dashboards` does (standalone Voila
reading config/voila.py) on a free loopback port, waits until it answers,
and stops it afterwards. `launch_chromium()` opens Debian's Chromium through Playwright with the
flags this machine needs.
"""

from __future__ import annotations

import compileall
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
CONFIG = ROOT / "config"  # holds voila.py, the learners' configuration
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOAD_TIMEOUT_MS = 90_000


class ServerError(RuntimeError):
    """A server the tests need did not start; the message carries the end of its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 90, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise ServerError(f"{url} did not answer: {tail}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve_voila(
    env_extra: dict[str, str] | None = None,
    args: list[str] | None = None,
    config: Path | None = CONFIG,
    cwd: Path = ROOT,
    log: Path | None = None,
    root: Path = LESSONS,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Standalone Voila on ROOT (the lessons), configured by CONFIG/voila.py. Yields (base URL, process).

    ARGS are extra command-line options. config=None, with a CWD that has no voila.py, gives a
    plain Voila with its default settings (the benchmark's yardstick). Progress and live sessions go to
    files in a fresh temporary folder unless ENV_EXTRA names them (LOWBACK_PROGRESS, LOWBACK_LIVE_URL),
    so a test never writes into the user's own data folder.
    """
    from widgets.landing import install_template

    install_template()  # what `make dashboards` does first
    compileall.compile_dir(ROOT / "widgets", quiet=1)
    port = free_port()
    scratch = Path(tempfile.mkdtemp(prefix="voila-"))
    env = {**os.environ, "LOWBACK_PROGRESS": str(scratch / "progress.sqlite"),
           "LOWBACK_LIVE_URL": f"sqlite:///{scratch / 'live.sqlite'}", **(env_extra or {})}
    if log is None:
        log = scratch / "voila.log"
    out = open(log, "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(root), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
         *([f"--Voila.config_file_paths={config}"] if config else []), *(args or [])],
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc, log=log)
        yield base, proc
    finally:
        stop(proc)
        out.close()


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
