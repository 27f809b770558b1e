"""The package's layers are enforced, not only described: `lint-imports` (import-linter, configured in
pyproject.toml and run by `make lint`) keeps the shipped package, and breaks on a copy of it that a model
importing ipywidgets, a render module importing a view, or an import cycle would make."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def package_copy(tmp_path):
    shutil.copytree(ROOT / "widgets", tmp_path / "widgets", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_shipped_package_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("models/anatomy.py", "import ipywidgets  # noqa", "never import a widget or notebook library"),
    ("models/dosing.py", "from IPython.display import HTML  # noqa", "never import a widget or notebook library"),
    ("render/lessons.py", "from widgets.views import base  # noqa", "Layers run one way"),
    ("content/cases.py", "from widgets.models import simulator  # noqa", "Layers run one way"),
    ("views/ladder.py", "from widgets.publish import landing  # noqa", "No module imports publish/"),
])
def test_a_wrong_way_import_breaks_the_lint(package_copy, module, line, broken):
    path = package_copy / "widgets" / module
    path.write_text(path.read_text() + f"\n{line}\n")
    result = lint(package_copy)
    assert result.returncode == 1, result.stdout
    assert broken in result.stdout.split("Broken contracts", 1)[1]


def test_an_import_cycle_breaks_the_lint(package_copy):
    for here, there in (("stores/progress.py", "live"), ("stores/live.py", "progress")):
        path = package_copy / "widgets" / here
        path.write_text(path.read_text() + f"\nfrom widgets.stores import {there}  # noqa\n")
    result = lint(package_copy)
    assert result.returncode == 1 and "No cycles are allowed in widgets.stores" in result.stdout, result.stdout


def test_no_module_imports_another_modules_private_names():
    """A helper two modules share is public, in the layer both may import: `from x import _helper` across
    modules hides a dependency the layers cannot see."""
    found = []
    for path in sorted((ROOT / "widgets").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("widgets"):
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{a.name}"
                          for a in node.names if a.name.startswith("_")]
    assert found == []
