"""Starting the learners' Voila and finding Chromium, for everything that draws the lessons in a browser:
`make handouts` (widgets/publish/handouts.py), and the tests and benchmarks (tests/servers.py).

`voila()` starts standalone Voila exactly as `make dashboards` does (`prepare()` first, then Voila reading
config/voila.py) on a free loopback port, waits until it answers, and stops it and its kernels afterwards.
"""

from __future__ import annotations

import compileall
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "lessons"
CONFIG = ROOT / "config"  # holds voila.py, the learners' configuration
# Debian's Chromium, headless, with the flags this kind of machine needs.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ServerError(RuntimeError):
    """A server did not start; the message carries the end of its log."""


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 90, log: Path | None = None) -> None:
    """Wait until URL answers 200; raises ServerError (with the end of LOG) if PROC ends or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise ServerError(f"{url} did not answer (log {log}):\n{tail}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    """Stop PROC; if it does not stop in 20 s, kill its process group (a Voila's kernels are in it)."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
        proc.wait(timeout=10)


def prepare() -> None:
    """What `make dashboards` does before it starts Voila: write the course's template (widgets/publish/landing.py)
    and compile the widgets package to bytecode, so no kernel compiles it again."""
    from widgets.publish.landing import install_template

    install_template()
    compileall.compile_dir(ROOT / "widgets", quiet=1)


@contextlib.contextmanager
def voila(
    env_extra: dict[str, str] | None = None,
    args: list[str] | None = None,
    config: Path | None = CONFIG,
    cwd: Path = ROOT,
    log: Path | None = None,
    root: Path = LESSONS,
    timeout: float = 90,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Standalone Voila on ROOT (the lessons), configured by CONFIG/voila.py. Yields (base URL, process).

    ARGS are extra command-line options. config=None, with a CWD that has no voila.py, gives a plain
    Voila with its default settings (the benchmark's yardstick). Progress and live sessions go to files
    in a fresh temporary folder unless ENV_EXTRA names them (LOWBACK_PROGRESS, LOWBACK_LIVE_URL), so
    nothing is written into the user's own data folder. Raises ServerError if it does not answer.
    """
    prepare()
    port = free_port()
    scratch = Path(tempfile.mkdtemp(prefix="voila-"))
    env = {**os.environ, "LOWBACK_PROGRESS": str(scratch / "progress.sqlite"),
           "LOWBACK_LIVE_URL": f"sqlite:///{scratch / 'live.sqlite'}", **(env_extra or {})}
    if log is None:
        log = scratch / "voila.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "voila", str(root), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
             *([f"--Voila.config_file_paths={config}"] if config else []), *(args or [])],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/", proc, timeout=timeout, log=log)
            yield base, proc
        finally:
            if proc.poll() is None:
                stop(proc)
