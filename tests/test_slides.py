"""Slide metadata (widgets/publish/slides.py): the rule on copies of the real lessons, the --check that keeps it up to
date, and the Voila template `make slides` presents with."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from widgets import cli
from widgets.publish import slides
from widgets.publish.slides import SLIDE_TYPES, only_imports, problems, slide_types

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _without_slides(nb: dict) -> dict:
    """NB with every cell's slideshow metadata taken out (what must be unchanged by the tool)."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("slideshow", None)
    return nb


@pytest.fixture
def copies(tmp_path):
    """The real lessons, copied into a folder of their own, with any slide metadata taken out."""
    paths = []
    for path in LESSONS:
        dest = tmp_path / path.name
        dest.write_text(slides.dumps(_without_slides(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
        paths.append(dest)
    return paths


def test_every_cell_of_every_lesson_gets_a_slide_type_by_the_rule(copies):
    assert cli.main(["slides", *(str(p) for p in copies)]) == 0
    for path in copies:
        cells = json.loads(path.read_text())["cells"]
        kinds = [c["metadata"]["slideshow"]["slide_type"] for c in cells]
        assert set(kinds) <= set(SLIDE_TYPES), path.name
        assert kinds[0] == "slide", f"{path.name}: the title cell starts the first slide"
        for cell, kind in zip(cells, kinds, strict=True):
            text = _source(cell)
            if cell["cell_type"] == "markdown" and text.startswith("## "):
                assert kind == "slide", f"{path.name}: {text.splitlines()[0]!r} starts a slide"
            if cell["cell_type"] == "markdown" and text.startswith("### "):
                assert kind == "subslide", f"{path.name}: {text.splitlines()[0]!r} starts a sub-slide"
            if cell["cell_type"] == "code" and text.startswith("from widgets import"):
                assert kind == "skip", f"{path.name}: the import cell shows nothing, so it is skipped"
            if cell["cell_type"] == "code" and text.strip() == "disclaimer()":
                assert kind == "-", f"{path.name}: the disclaimer stays on the title slide"
        # the reference list is a slide of its own: its heading, then the list, then the next slide (if any)
        refs = next(i for i, c in enumerate(cells) if _source(c).startswith("## References"))
        assert "reference_list(" in _source(cells[refs + 1])
        assert kinds[refs:refs + 3] in (["slide", "-"], ["slide", "-", "slide"]), path.name


def test_the_rule_is_idempotent_and_changes_nothing_but_slide_metadata(copies):
    before = {p: p.read_text(encoding="utf-8") for p in copies}
    cli.main(["slides", *(str(p) for p in copies)])
    once = {p: p.read_text(encoding="utf-8") for p in copies}
    cli.main(["slides", *(str(p) for p in copies)])
    assert {p: p.read_text(encoding="utf-8") for p in copies} == once, "a second run changes nothing"
    for path in copies:
        old, new = json.loads(before[path]), json.loads(once[path])
        assert _without_slides(new) == old, f"{path.name}: only metadata.slideshow may change"
        assert [c.get("id") for c in new["cells"]] == [c.get("id") for c in old["cells"]]
        assert [c.get("outputs") for c in new["cells"]] == [c.get("outputs") for c in old["cells"]]
        assert [c["source"] for c in new["cells"]] == [c["source"] for c in old["cells"]]


def test_a_lesson_already_carrying_slides_is_rewritten_byte_for_byte(copies):
    cli.main(["slides", str(copies[1])])
    text = copies[1].read_text(encoding="utf-8")
    assert slides.dumps(slides.apply(json.loads(text))) == text, "same JSON layout as Jupyter writes"


def test_check_names_the_file_and_the_cell_of_a_lesson_without_metadata(copies, capsys):
    lesson = copies[1]
    assert cli.main(["slides", "--check", str(lesson)]) == 1
    err = capsys.readouterr().err
    first = json.loads(lesson.read_text())["cells"][0]
    assert f"{lesson}: cell 0 (id {first['id']}" in err and "no slideshow.slide_type" in err
    # After writing, the check passes; remove one cell's metadata and the check names that cell only.
    assert cli.main(["slides", str(lesson)]) == 0
    assert cli.main(["slides", "--check", str(lesson)]) == 0
    nb = json.loads(lesson.read_text())
    del nb["cells"][5]["metadata"]["slideshow"]
    nb["cells"][3]["metadata"]["slideshow"]["slide_type"] = "notes"
    lesson.write_text(slides.dumps(nb))
    capsys.readouterr()
    assert cli.main(["slides", "--check", str(lesson)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert any(f"cell 5 (id {nb['cells'][5]['id']}" in line and "no slideshow.slide_type" in line for line in lines)
    assert any(f"cell 3 (id {nb['cells'][3]['id']}" in line and "slide_type 'notes', the rule gives" in line
               for line in lines)
    assert len([line for line in lines if ": cell " in line]) == 2


def test_check_from_the_command_line_exits_non_zero_naming_the_file(copies):
    result = subprocess.run([sys.executable, "-m", "widgets", "slides", "--check", str(copies[0])],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert copies[0].name in result.stderr and "cell 0" in result.stderr


def test_a_file_that_is_not_a_notebook_is_named(tmp_path, capsys):
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{ not json")
    assert cli.main(["slides", "--check", str(bad)]) == 1
    assert "broken.ipynb: cannot read" in capsys.readouterr().err


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "source": text}


def test_a_long_section_is_split_into_sub_slides_and_imports_are_skipped():
    long_text = "\n".join(f"line {i}" for i in range(slides.SLIDE_LINES - 2))
    cells = [_md("# 99 Title"), _code("import os\nfrom widgets import x"), _code("disclaimer()"),
             _md("## 1 Section\n" + long_text), _code("figure_table('a')"), _md("short"),
             _md("### Step 1"), _code("glossary('x')"), _md("## Summary")]
    assert slide_types(cells) == ["slide", "skip", "-", "slide", "subslide", "-", "subslide", "-", "slide"]
    assert problems({"cells": cells}, "x.ipynb")  # none carries metadata yet
    assert slide_types(cells) == slide_types(json.loads(json.dumps(cells))), "deterministic"


def test_only_imports():
    assert only_imports("from widgets import (a,\n    b)\nimport os")
    assert not only_imports("from widgets import a\na()")
    assert not only_imports("") and not only_imports("def (")


def test_the_slides_template_serves_reveal_css_and_jquery_from_its_own_folder(tmp_path):
    modules = tmp_path / "node_modules"
    for name in slides.VENDORED:
        (modules / name).parent.mkdir(parents=True, exist_ok=True)
        (modules / name).write_text(f"/* {name} */")
    folder = slides.install_template(modules, prefix=tmp_path / "prefix")
    assert folder == tmp_path / "prefix" / "share" / "jupyter" / "voila" / "templates" / slides.TEMPLATE
    conf = json.loads((folder / "conf.json").read_text())
    assert conf["base_template"] == "reveal"
    prefix = conf["traitlet_configuration"]["resources"]["reveal"]["url_prefix"]
    assert prefix.startswith("../templates/course-slides/static/")
    assert (folder / "static" / "revealjs" / "dist" / "reveal.css").is_file()
    assert (folder / "static" / "revealjs" / "dist" / "theme" / "white.css").is_file()
    assert (folder / "static" / "jquery" / "dist" / "jquery.min.js").is_file()
    assert not (folder / "static" / "reveal.js").exists(), "would hide Voila's own static/reveal.js"
    index = (folder / "index.html.j2").read_text()
    assert "extends 'voila/templates/reveal/index.html.j2'" in index and "http" not in index
    assert "The low back" in (folder / "tree.html").read_text(), "the landing page lists the lessons"
    shutil.rmtree(modules / "jquery")
    with pytest.raises(FileNotFoundError, match="jquery/dist/jquery.min.js"):
        slides.install_template(modules, prefix=tmp_path / "other")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem[:2] for p in LESSONS])
def test_shipped_lessons_carry_up_to_date_slide_metadata(path):
    found = problems(json.loads(path.read_text(encoding="utf-8")), path.name)
    assert not found, "\n".join(found[:5]) + "\nrun `lowback slides` to set the slide metadata"
