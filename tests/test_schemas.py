"""JSON Schemas for content authors' editors: current, named by every YAML file, and meaningful."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from widgets import cli
from widgets.content import jsonschema as js
from widgets.content.loader import FILES, SPLIT

REPO = js.REPO
RUN = "run `lowback schemas` (python -m widgets schemas) and commit assets/schema and the YAML files it changes"


# --- the shipped schemas and headers are current ---------------------------------------------------------


def test_the_schemas_in_assets_schema_are_current():
    stale = js.stale()
    assert not stale, f"out of date or missing in assets/schema: {', '.join(stale)}; {RUN}"


def test_every_yaml_file_names_its_schema_on_its_first_line():
    missing = js.headers_missing()
    assert not missing, f"no `{js.HEADER}...` first line in: {', '.join(missing)}; {RUN}"


def test_every_content_yaml_file_has_a_schema():
    """Every YAML file the loader, the cases, the notes and the live steps read is mapped, and to one schema."""
    mapped = {p.relative_to(REPO).as_posix() for p in js.files()}
    on_disk = {p.relative_to(REPO).as_posix() for folder in ("assets", "instructor/notes", "instructor/live_steps")
               for p in (REPO / folder).rglob("*.yaml")}
    assert on_disk - mapped == set(), "a YAML file with no schema: add its folder to SCHEMAS in jsonschema.py"
    assert {e.model for e in js.SCHEMAS.values()} >= set(FILES.values())
    assert all(any(f"assets/{name.removesuffix('.yaml')}/*.yaml" in e.files for e in js.SCHEMAS.values())
               for name in SPLIT)


def test_headers_are_relative_to_each_file():
    by_rel = {p.relative_to(REPO).as_posix(): js.header(p, n) for p, n in js.files().items()}
    assert by_rel["assets/structures.yaml"] == "# yaml-language-server: $schema=schema/structures.schema.json"
    assert by_rel["assets/cases/driver_with_leg_pain.yaml"].endswith("$schema=../schema/case.schema.json")
    assert by_rel["assets/treatments/03_red_flags.yaml"].endswith("$schema=../schema/treatments.schema.json")
    assert by_rel["instructor/notes/03.yaml"].endswith("$schema=../../assets/schema/lesson-notes.schema.json")
    assert by_rel["instructor/notes/cases.yaml"].endswith("$schema=../../assets/schema/case-notes.schema.json")
    assert by_rel["instructor/live_steps/driver_with_leg_pain.yaml"].endswith(
        "$schema=../../assets/schema/case-steps.schema.json")


def test_build_is_deterministic_and_describes_each_file():
    first, second = js.build(), js.build()
    assert first == second and set(first) == set(js.SCHEMAS)
    case = json.loads(first["case.schema.json"])
    assert case["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "assets/cases/*.yaml" in case["title"] and "widgets.content.schema.Case" in case["description"]
    assert case["additionalProperties"] is False  # unknown fields are underlined, as the model refuses them


# --- the schemas mean something (with the jsonschema package, when the environment has it) ------------------


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schemas = {name: json.loads(text) for name, text in js.build().items()}

    def make(name: str):
        jsonschema.Draft202012Validator.check_schema(schemas[name])
        return jsonschema.Draft202012Validator(schemas[name])

    return make


@pytest.mark.slow
def test_every_shipped_yaml_file_is_valid_against_its_schema(validator):
    for path, name in js.files().items():
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator(name).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert not errors, f"{path.relative_to(REPO)}: {errors[:3]}"


def _load(rel: str):
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


def _broken():
    case = _load("assets/cases/driver_with_leg_pain.yaml")
    notes = _load("instructor/notes/03.yaml")
    structures = _load("assets/structures.yaml")
    steps = _load("instructor/live_steps/driver_with_leg_pain.yaml")
    out = []
    doc = copy.deepcopy(case)
    doc["titel"] = "a typo"  # an unknown field at the top
    out.append(("case.schema.json", doc))
    doc = copy.deepcopy(case)
    doc["presentation"]["smoker"] = True  # an unknown field deep inside
    out.append(("case.schema.json", doc))
    doc = copy.deepcopy(case)
    doc["presentation"]["age"] = "forty"  # a wrong type
    out.append(("case.schema.json", doc))
    doc = copy.deepcopy(case)
    del doc["truth"]  # a required field missing
    out.append(("case.schema.json", doc))
    doc = copy.deepcopy(structures)
    doc["structures"][0]["layer"] = "organ"  # not one of the allowed values
    out.append(("structures.schema.json", doc))
    doc = copy.deepcopy(notes)
    doc["timing"]["total"] = 0  # out of range
    out.append(("lesson-notes.schema.json", doc))
    doc = copy.deepcopy(steps)
    doc["decisions"][0]["options"] = doc["decisions"][0]["options"][:1]  # too few options
    out.append(("case-steps.schema.json", doc))
    return out


@pytest.mark.parametrize("index", range(len(_broken())))
def test_a_broken_document_is_rejected_by_its_schema_and_its_model(validator, index):
    name, doc = _broken()[index]
    assert list(validator(name).iter_errors(doc)), f"{name} accepted a broken document"
    with pytest.raises(ValidationError):
        js.SCHEMAS[name].model.model_validate(doc)


# --- the functions and the command, on a copy (the repository is never changed) ----------------------------


@pytest.fixture
def tmp_repo(tmp_path: Path) -> Path:
    """A few YAML files in the repository's layout: one with the header, one without, one with an old header."""
    for rel in ("assets/structures.yaml", "assets/cases/driver_with_leg_pain.yaml", "instructor/notes/03.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, tmp_path / rel)
    (tmp_path / "assets/cases/driver_with_leg_pain.yaml").write_bytes(
        b"# yaml-language-server: $schema=old/place.json\r\n# Virtual patient.\r\nid: x\r\n")
    notes = tmp_path / "instructor/notes/03.yaml"
    notes.write_bytes(notes.read_bytes().split(b"\n", 1)[1])  # no header
    return tmp_path


def test_write_and_stale_on_a_folder(tmp_path):
    folder = tmp_path / "schema"
    assert sorted(js.stale(folder)) == sorted(js.SCHEMAS)
    assert {p.name for p in js.write(folder)} == set(js.SCHEMAS)
    assert js.stale(folder) == [] and js.write(folder) == []  # nothing left to write
    (folder / "case.schema.json").write_text("{}\n")
    (folder / "ladder.schema.json").unlink()
    assert sorted(js.stale(folder)) == ["case.schema.json", "ladder.schema.json"]


def test_add_headers_changes_only_the_first_line(tmp_repo):
    structures = tmp_repo / "assets/structures.yaml"
    notes = tmp_repo / "instructor/notes/03.yaml"
    before = {p: p.read_bytes() for p in js.files(tmp_repo)}
    assert js.headers_missing(tmp_repo) == ["assets/cases/driver_with_leg_pain.yaml", "instructor/notes/03.yaml"]
    changed = js.add_headers(tmp_repo)
    assert sorted(changed) == sorted([tmp_repo / "assets/cases/driver_with_leg_pain.yaml", notes])
    assert js.headers_missing(tmp_repo) == [] and js.add_headers(tmp_repo) == []
    assert structures.read_bytes() == before[structures]
    assert notes.read_bytes() == b"# yaml-language-server: $schema=../../assets/schema/lesson-notes.schema.json\n" \
        + before[notes]
    assert yaml.safe_load(notes.read_bytes()) == yaml.safe_load(before[notes])
    case = (tmp_repo / "assets/cases/driver_with_leg_pain.yaml").read_bytes()
    assert case == b"# yaml-language-server: $schema=../schema/case.schema.json\r\n# Virtual patient.\r\nid: x\r\n"


def test_the_command_check_passes_on_the_repository():
    r = subprocess.run([sys.executable, "-m", "widgets", "schemas", "--check"], capture_output=True, text=True,
                       cwd=REPO, timeout=120)
    assert r.returncode == 0, f"{r.stderr}\n{RUN}"
    assert r.stdout.count("\n") == 1 and "up to date" in r.stdout


def test_the_command_names_each_problem_then_fixes_them(tmp_repo, monkeypatch, capsys):
    monkeypatch.setattr(js, "REPO", tmp_repo)
    assert cli.main(["schemas", "--check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == len(js.SCHEMAS) + 2 + 1  # every schema missing, two headers, the summary
    assert "assets/schema/case.schema.json: (file): missing or out of date" in err
    assert ("instructor/notes/03.yaml: line 1: should be "
            "`# yaml-language-server: $schema=../../assets/schema/lesson-notes.schema.json`") in err
    assert not (tmp_repo / "assets/schema").exists()  # --check changes nothing

    assert cli.main(["schemas"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "wrote assets/schema/case.schema.json" in out and "wrote instructor/notes/03.yaml" in out
    assert len(out) == len(js.SCHEMAS) + 2 + 1
    assert cli.main(["schemas", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
