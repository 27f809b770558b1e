"""The content loader and `lowback check`: valid content loads, bad content gives
one clear line per problem (file, field path, what is wrong) and never a traceback."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.cli import run as lowback
from widgets.content.loader import PACKAGE_ASSETS, ContentError, check, load_content

LINE = re.compile(r"^[\w./-]+\.(yaml|svg)|questions/: [^:]+: .+$")


def problems_in(root) -> list[str]:
    return [str(p) for p in check(root)]


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_content_is_valid():
    assert problems_in(PACKAGE_ASSETS) == []
    content = load_content(PACKAGE_ASSETS)
    assert len(content.structures) >= 28
    assert {"S0", "S1", "S2", "S3", "S4"} <= set(content.documents)


def test_every_issue_structure_is_in_the_shipped_content():
    wanted = {
        "lumbar_vertebrae", "sacrum", "iliac_crest", "psis", "annulus_fibrosus", "nucleus_pulposus",
        "vertebral_endplates", "facet_joints", "sacroiliac_joint", "anterior_longitudinal_ligament",
        "posterior_longitudinal_ligament", "ligamentum_flavum", "interspinous_ligament",
        "supraspinous_ligament", "iliolumbar_ligament", "sacroiliac_ligaments", "thoracolumbar_fascia",
        "multifidus", "erector_spinae", "quadratus_lumborum", "psoas", "gluteals", "transversus_abdominis",
        "conus_medullaris", "cauda_equina", "nerve_roots", "medial_branch", "intervertebral_foramen",
    }
    content = load_content(PACKAGE_ASSETS)
    assert wanted <= set(content.structures)
    assert {r.root for r in content.roots.values()} == {"L4", "L5", "S1"}


def test_fixture_loads(fixture_content):
    assert set(fixture_content.structures) == {"facet_joints", "multifidus"}
    assert [t.id for t in fixture_content.treatments_for("facet_joints")] == ["medial_branch_block"]
    assert fixture_content.source_label("smith2020") == "Smith 2020"


def test_broken_yaml_names_file_and_line(assets_copy):
    (assets_copy / "structures.yaml").write_text("structures:\n  - id: [unclosed\n")
    lines = problems_in(assets_copy)
    assert len(lines) == 1
    assert lines[0].startswith("structures.yaml: line ")
    assert "not valid YAML" in lines[0]


def test_wrong_type(assets_copy):
    edit(assets_copy / "lessons.yaml", "minutes: 30", "minutes: thirty")
    assert problems_in(assets_copy) == [
        "lessons.yaml: lessons[0].minutes: Input should be a valid integer, unable to parse string as an "
        "integer, got str 'thirty'"
    ]


def test_missing_field(assets_copy):
    edit(assets_copy / "structures.yaml", "    function: Guide motion between vertebrae.\n", "")
    assert problems_in(assets_copy) == ["structures.yaml: structures[0].function: required field is missing"]


def test_misspelled_field(assets_copy):
    edit(assets_copy / "structures.yaml", "    pain: Can become", "    pian: Can become")
    lines = problems_in(assets_copy)
    assert "structures.yaml: structures[0].pian: unknown field (check the spelling)" in lines
    assert "structures.yaml: structures[0].pain: required field is missing" in lines


def test_value_outside_allowed_set(assets_copy):
    edit(assets_copy / "structures.yaml", "layer: joint", "layer: cartilage")
    (line,) = problems_in(assets_copy)
    assert line.startswith("structures.yaml: structures[0].layer: Input should be 'bone', ")
    assert line.endswith("got 'cartilage'")


def test_treatment_targeting_unknown_structure(assets_copy):
    edit(assets_copy / "treatments.yaml", "targets: [facet_joints]", "targets: [facet_joint]")
    assert problems_in(assets_copy) == [
        "treatments.yaml: treatments[0].targets[0]: unknown structure 'facet_joint' (did you mean 'facet_joints'?)"
    ]


def test_figure_citing_unknown_reference(assets_copy):
    edit(assets_copy / "figures.yaml", "reference: smith2020", "reference: smyth2021")
    assert problems_in(assets_copy) == [
        "figures.yaml: figures[0].reference: unknown reference 'smyth2021' (did you mean 'smith2020'?)"
    ]


def test_unknown_source_in_a_rule(assets_copy):
    edit(assets_copy / "pain_patterns.yaml", "sources: [lee2019]}", "sources: [S9]}")
    assert problems_in(assets_copy) == [
        "pain_patterns.yaml: generators[1].rules[0].sources[0]: unknown source (document or reference id) 'S9'"
    ]


def test_rule_on_unknown_option(assets_copy):
    edit(assets_copy / "pain_patterns.yaml", "when: wasting", "when: wastin")
    (line,) = problems_in(assets_copy)
    assert line.startswith("pain_patterns.yaml: generators[1].rules[0].when: unknown pattern option 'wastin'")


def test_duplicate_id(assets_copy):
    edit(assets_copy / "structures.yaml", "id: multifidus", "id: facet_joints")
    lines = problems_in(assets_copy)
    assert "structures.yaml: structures[1].id: duplicate id 'facet_joints'" in lines


def test_question_needs_one_correct_answer(assets_copy):
    edit(assets_copy / "questions" / "01.yaml", "correct: true, feedback: Right", "feedback: Right")
    assert problems_in(assets_copy) == ["questions/01.yaml: questions[0]: needs exactly one correct choice, has 0"]


def test_missing_file(assets_copy):
    (assets_copy / "glossary.yaml").unlink()
    assert problems_in(assets_copy) == ["glossary.yaml: (file): file is missing"]


def test_diagram_and_structures_must_agree(assets_copy):
    svg = assets_copy / "diagrams" / "lumbar.svg"
    edit(svg, 'data-structure="multifidus"', 'data-structure="multifidis"')
    lines = problems_in(assets_copy)
    assert "diagrams/lumbar.svg: data-structure='multifidis': unknown structure 'multifidis' " \
        "(did you mean 'multifidus'?)" in lines
    assert "diagrams/lumbar.svg: data-structure='multifidus': structure is not drawn in the diagram" in lines


def test_load_content_raises_with_every_problem(assets_copy):
    edit(assets_copy / "figures.yaml", "document: S1", "document: S7")
    edit(assets_copy / "lessons.yaml", "references: [smith2020]", "references: [nobody]")
    with pytest.raises(ContentError) as info:
        load_content(assets_copy)
    assert [str(p) for p in info.value.problems] == [
        "figures.yaml: figures[0].document: unknown document 'S7'",
        "lessons.yaml: lessons[0].references[0]: unknown reference 'nobody'",
    ]


def test_assets_env_variable_is_honoured(assets_copy, monkeypatch):
    edit(assets_copy / "figures.yaml", "grade: low", "grade: weak")
    monkeypatch.setenv("LOWBACK_ASSETS", str(assets_copy))
    (line,) = [str(p) for p in check()]
    assert line.startswith("figures.yaml: figures[0].grade: ")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return lowback(*args)


def test_cli_ok_on_shipped_content():
    result = run_cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("content OK: ")
    assert result.stderr == ""


@pytest.mark.parametrize(
    "file,old,new",
    [
        ("structures.yaml", "layer: joint", "layer: [joint"),  # broken YAML
        ("lessons.yaml", "minutes: 30", "minutes: [30]"),  # wrong type
        ("roots.yaml", "    reflex: None reliable\n", ""),  # missing field
        ("conditions.yaml", "structures: [facet_joints]", "structures: [facets]"),  # unknown id
    ],
)
def test_cli_reports_bad_content_in_one_line_each(assets_copy, file, old, new):
    edit(assets_copy / file, old, new)
    result = run_cli("check", "--assets", str(assets_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines, "a problem must be reported"
    for line in lines:
        assert line.startswith(file + ": "), line
        assert len(line.split(": ", 2)) == 3, line


def test_reference_ids_in_prose_are_shown_as_labels(assets_copy):
    path = assets_copy / "structures.yaml"
    edit(path, "pain: Can become arthritic.", "pain: Can become arthritic (smith2020; lee2019).")
    content = load_content(assets_copy)
    assert content.structures["facet_joints"].pain == "Can become arthritic (Smith 2020; Lee 2019)."
    assert content.structures["facet_joints"].sources == ["S1", "smith2020"]  # ids stay ids
