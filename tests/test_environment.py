"""environment.yml (the conda route) names the same packages and pins as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT


def _name(spec: str) -> str:
    return re.split(r"[\[=<>!~ ]", spec, maxsplit=1)[0].lower().replace("_", "-")  # extras dropped


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = {}
    for spec in specs:
        assert "==" in spec, f"pyproject.toml: {spec!r} is not pinned with =="
        name, version = spec.split("==")
        pins[_name(name)] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            pins[_name(name)] = version
        elif isinstance(dep, dict):  # the pip: list, for packages conda-forge lacks
            for spec in dep.get("pip", []):
                if "==" in spec:
                    name, version = spec.split("==", 1)
                    pins[_name(name)] = version
    return pins


def test_environment_yml_matches_pyproject():
    conda = conda_pins()
    assert conda.pop("python") == "3.11"
    assert conda.pop("configurable-http-proxy") == "5.3.0"  # Node, not Python: see Makefile hub-proxy
    assert conda == pyproject_pins()


def test_widget_stack_is_pinned_on_both_sides():
    pins = pyproject_pins()
    assert {"ipywidgets", "jupyterlab-widgets", "voila", "jupyterlab", "nbval"} <= set(pins)
