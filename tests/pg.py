"""A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temp dir, reached by a unix socket there.

`missing_reason()` says why the server cannot be had here (no binaries, no psycopg) or None;
`running_postgres()` starts one, yields a SQLAlchemy URL (`postgresql+psycopg://...`), then stops it and
removes the temp dir. PostgreSQL refuses to run as root: as root the server runs as the Debian `postgres`
user (or `nobody`) through runuser, and the temp dir belongs to that user. No TCP port is opened.
`.ci/run` gets the binaries from Debian's postgresql package (/usr/lib/postgresql/NN/bin).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT = 60


class PostgresError(RuntimeError):
    """The binaries are there but the server did not start; the message carries the end of its log."""


def bin_dir() -> Path | None:
    """Where initdb, pg_ctl and postgres are: PATH, then `pg_config --bindir`, then Debian's newest."""
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return Path(shutil.which("initdb")).parent
    candidates = []
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
            candidates.append(out.stdout.strip())
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)[::-1]
    for c in candidates:
        if c and all((Path(c) / b).exists() for b in ("initdb", "pg_ctl", "postgres")):
            return Path(c)
    return None


def _run_as() -> str | None:
    """The unprivileged user to run the server as when we are root, else None (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    return None


def missing_reason() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    if bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    if os.geteuid() == 0 and (_run_as() is None or not shutil.which("runuser")):
        return "running as root with no unprivileged user (postgres or nobody) and runuser to start PostgreSQL"
    return None


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a private PostgreSQL server; yield its SQLAlchemy URL; stop it and delete its files."""
    reason = missing_reason()
    if reason:
        raise PostgresError(reason)
    bins = bin_dir()
    user = _run_as()
    prefix = ["runuser", "-u", user, "--"] if user else []
    top = Path(tempfile.mkdtemp(prefix="lowback-pg-"))
    data, log = top / "data", top / "server.log"
    if user:
        pw = pwd.getpwnam(user)
        os.chown(top, pw.pw_uid, pw.pw_gid)

    def run(*args: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=timeout, cwd=top)

    started = False
    try:
        r = run(str(bins / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync", "--no-instructions")  # fmt: skip
        if r.returncode != 0:
            raise PostgresError(f"initdb failed: {(r.stdout + r.stderr)[-2000:]}")
        opts = f"-c listen_addresses='' -k {top} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        r = run(str(bins / "pg_ctl"), "start", "-w", "-t", str(START_TIMEOUT), "-D", str(data), "-l", str(log),
                "-o", opts, timeout=START_TIMEOUT + 10)  # fmt: skip
        started = True
        if r.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresError(f"pg_ctl start failed: {r.stdout + r.stderr}\n{tail}")
        yield f"postgresql+psycopg://postgres@/postgres?host={top}"
    finally:
        if started:
            for mode in ("fast", "immediate"):
                with contextlib.suppress(subprocess.SubprocessError):
                    if run(str(bins / "pg_ctl"), "stop", "-D", str(data), "-m", mode, "-w", "-t", "30",
                           timeout=40).returncode == 0:  # fmt: skip
                        break
        shutil.rmtree(top, ignore_errors=True)
