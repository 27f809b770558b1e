"""Run the `lowback` command line inside the test process, as the console script would but without starting a
new Python for every call (half a second each). tests/test_cli.py runs the real command in new processes."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from widgets import cli


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(*args: object) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())
