"""The one command line as a user runs it, in a new process: the `lowback` console script and `python -m widgets`
are the same program; every command is listed; a usage error is one line and exit status 2; the content
commands answer in JSON as documented. The other tests call the same code in-process (tests/cli.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run
from tests.conftest import ROOT

COMMANDS = ("check", "findings", "advise", "dose", "cases", "cohort", "steps", "schemas", "slides", "handouts",
            "landing")
LOWBACK = Path(sys.executable).with_name("lowback")


def shell(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_console_script_and_the_module_are_the_same_program():
    assert LOWBACK.exists(), "pip install -e . should have installed the lowback console script"
    args = ("advise", "--finding", "facet_pattern", "--mbb-relief", "80", "--json")
    script, module = shell(str(LOWBACK), *args), shell(sys.executable, "-m", "widgets", *args)
    assert script.returncode == module.returncode == 0, script.stderr + module.stderr
    assert script.stdout == module.stdout == run(*args).stdout
    answer = json.loads(script.stdout)
    assert {"emergency", "next_steps", "avoid", "rationale", "guidelines", "conflicts"} <= set(answer)


def test_help_lists_every_command():
    result = shell(str(LOWBACK), "--help")
    assert result.returncode == 0
    listed = result.stdout.split("positional arguments:", 1)[1]
    for command in COMMANDS:
        assert f"\n    {command} " in listed, f"{command} missing from lowback --help"


@pytest.mark.parametrize(("args", "message"), [
    (("advise", "--prior-surgeries", "two"), "invalid int value: 'two'"),
    (("nonsense",), "invalid choice: 'nonsense'"),
    (("cohort",), "the following arguments are required"),
])
def test_a_usage_error_is_one_line_and_exit_2(args, message):
    result = shell(str(LOWBACK), *args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr


def test_a_refused_value_is_one_line_naming_the_command():
    result = shell(str(LOWBACK), "dose", "--drug", "lidocaine", "--percent", "1", "--ml", "-2")
    assert result.returncode == 2
    assert result.stderr.strip() == "lowback dose: Volume: -2 mL is negative; a volume is 0 mL or more"
