"""`make dashboards` as a new user meets it: a few lines of progress, the address last, and a course behind that
address. (It once printed about 280 lines: packaging warnings, one "not trusted" warning per lesson, Voila's log.)"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.servers import ROOT
from widgets.publish.serving import free_port, wait_until_up

pytestmark = pytest.mark.server


def test_make_dashboards_says_little_and_ends_with_the_address():
    port = free_port()
    out = Path(tempfile.mkdtemp(prefix="lowback-make-")) / "out.txt"
    env = {**os.environ, "LOWBACK_PROGRESS": str(out.parent / "p.sqlite")}
    with out.open("w") as sink:
        proc = subprocess.Popen(["make", "--no-print-directory", "dashboards", f"PORT={port}"], cwd=ROOT, env=env,
                                stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", proc, timeout=120, log=out)
        lines = [ln for ln in out.read_text().splitlines() if ln.strip()]
        assert len(lines) <= 4, "\n".join(lines)
        assert lines[-1].startswith(f"The course: http://127.0.0.1:{port}"), lines
        assert not any("not trusted" in ln or "Warning" in ln or "!!" in ln for ln in lines), lines
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
