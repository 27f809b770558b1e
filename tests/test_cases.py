"""Virtual patient files: the validator's lines and exit codes, and every shipped case."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.cli import run as lowback
from tests.conftest import ROOT

VALID = {
    "id": "test_patient",
    "title": "A test patient",
    "summary": "Back pain after lifting.",
    "presentation": {"age": 40, "sex": "female", "history": "Lifted a box.", "where": "Left low back",
                     "spreads": "Nowhere", "worse_with": "Bending", "weeks": 3},
    "exam": ["Tender left paraspinal muscles"],
    "imaging": [{"modality": "mri", "report": "L4-5 disc bulge", "incidental": True, "teaching": "Common."}],
    "findings": ["trigger_points"],
    "baseline": {"pain": 6, "function": 30},
    "truth": {"generators": ["muscle_spasm_strain"], "explanation": "A strain."},
    "sources": ["S4", "REF"],
}


def validate(*files: Path) -> subprocess.CompletedProcess:
    return lowback("cases", "validate", *files)


def write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return p


def test_a_valid_file_prints_one_line_and_exit_0(tmp_path):
    r = validate(write(tmp_path, "ok.yaml", VALID))
    assert r.returncode == 0, r.stdout
    assert r.stdout.strip().splitlines() == [f"{tmp_path / 'ok.yaml'}: OK: case 'test_patient' (A test patient)"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"findings": ["trigger_pionts"]},
         "findings[0]: unknown finding 'trigger_pionts' (did you mean 'trigger_points'?)"),
        ({"truth": {"generators": ["muscle_strain_x"], "explanation": "x"}}, "truth.generators[0]: unknown generator"),
        ({"red_flags": ["trigger_points"]},
         "red_flags[0]: finding 'trigger_points' is not a flag that stops the climb"),
        ({"baseline": {"pain": 11, "function": 30}}, "baseline.pain: Input should be less than or equal to 10"),
        ({"presentation": {**VALID["presentation"], "age": 7}}, "presentation.age: Input should be greater than"),
        ({"prior_treatments": [{"treatment": "laser_magic", "outcome": "none"}]},
         "prior_treatments[0].treatment: unknown treatment 'laser_magic'"),
        ({"sources": ["S9"]}, "sources[0]: unknown source"),
        ({"exam": []}, "exam: List should have at least 1 item"),
    ],
)
def test_each_problem_is_one_line_naming_file_and_field(tmp_path, change, expected):
    p = write(tmp_path, "bad.yaml", VALID | change)
    r = validate(p)
    assert r.returncode == 1
    assert any(line.startswith(f"{p}: {expected}") for line in r.stdout.splitlines()), r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_missing_field_bad_yaml_and_missing_file(tmp_path):
    missing = write(tmp_path, "missing.yaml", {k: v for k, v in VALID.items() if k != "truth"})
    broken = write(tmp_path, "broken.yaml", "id: [unclosed\n")
    r = validate(missing, broken, tmp_path / "nowhere.yaml")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert f"{missing}: truth: required field is missing" in lines
    assert any(line.startswith(f"{broken}: line ") and "not valid YAML" in line for line in lines)
    assert f"{tmp_path / 'nowhere.yaml'}: (file): file is missing" in lines


def test_one_bad_file_among_good_ones_still_exits_1(tmp_path):
    good = write(tmp_path, "good.yaml", VALID)
    bad = write(tmp_path, "bad.yaml", VALID | {"findings": ["nope"]})
    r = validate(good, bad)
    assert r.returncode == 1 and "OK: case" in r.stdout and "unknown finding 'nope'" in r.stdout


SHIPPED = sorted((ROOT / "assets" / "cases").glob("*.yaml"))


def test_the_shipped_cases_validate():
    assert len(SHIPPED) >= 10
    r = validate(*SHIPPED)
    assert r.returncode == 0, r.stdout
    assert r.stdout.count(": OK: case") == len(SHIPPED)


@pytest.mark.parametrize(
    ("case_id", "urgency", "gsteps"),
    [
        ("asking_for_something_stronger", "emergency", ["emergency_referral"]),  # epidural abscess
        ("new_backache_at_seventy_one", "emergency", ["emergency_referral"]),  # aortic aneurysm
        ("pain_that_wakes_her_at_night", "urgent", ["urgent_investigation"]),
        ("courier_with_a_four_year_backache", "routine", ["movement_exercise"]),  # axial SpA: plus a referral
        ("shorter_walks_to_the_shops", "routine", ["movement_exercise", "cbt"]),  # stenosis: no epidural
        ("care_assistant_off_work", "routine", ["movement_exercise", "cbt"]),  # high-risk STarT Back
    ],
)
def test_the_presentations_a_resident_meets_get_the_advice_their_debriefs_expect(case_id, urgency, gsteps):
    from widgets.content.cases import load_cases
    from widgets.content.loader import load_content
    from widgets.models.ladder import advise

    content = load_content()
    case = load_cases(content)[case_id]
    a = advise(case.findings, case.mbb_relief, case.prior_surgeries, content=content)
    assert a.urgency == urgency and set(gsteps) <= set(a.guidelines.next_steps), a.guidelines.next_steps
    if case_id == "courier_with_a_four_year_backache":
        assert any("rheumatology" in fl.now for fl in a.flags)
    if case_id == "shorter_walks_to_the_shops":
        assert a.guidelines.refused("epidural_steroid_injection")
