"""JSON Schemas of the content files, generated from the pydantic models, so that an author's editor helps.

`lowback schemas` writes assets/schema/NAME.schema.json from the models (never edit those by hand) and
makes the first line of every YAML file that a model checks name its schema, relative to the file:

    # yaml-language-server: $schema=schema/structures.schema.json

An editor with the YAML language server (VS Code's YAML extension, Neovim, JupyterLab's LSP, ...) reads
that line to complete field names, show what each field takes and underline an unknown field or a wrong
type as the author types. The line is a comment, so the content loads exactly as before. The models stay
the rule: `lowback check` also checks what no schema can (ids that point at other files, an answer that is
one of the options). `lowback schemas --check` and tests/test_schemas.py say when a schema or a header is
out of date. Everything here is relative to a repository root, the course's own unless one is given.
"""

from __future__ import annotations

import inspect
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from widgets.content import schema as s
from widgets.content.examination import ExamTestsFile
from widgets.content.loader import FILES, PACKAGE_ASSETS, SPLIT
from widgets.content.notes import CASES_FILE, CaseNotesFile, LessonNotes
from widgets.content.steps import CaseSteps

REPO = PACKAGE_ASSETS.parent
FOLDER = "assets/schema"  # where the schemas are written, relative to the repository root
DRAFT = "https://json-schema.org/draft/2020-12/schema"
HEADER = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class Schema:
    """One model and the YAML files it checks (globs relative to the repository root)."""

    model: type[BaseModel]
    files: tuple[str, ...]


def _assets(name: str) -> tuple[str, ...]:
    """assets/X.yaml, and assets/X/*.yaml when the loader lets that kind be split into parts (loader.SPLIT)."""
    stem = name.removesuffix(".yaml")
    return (f"assets/{name}",) + ((f"assets/{stem}/*.yaml",) if name in SPLIT else ())


# schema file name -> model and files: every file loader.FILES names (and its parts), then the folders of one
# file per item that the loader, the cases, the instructor's notes and the live-session steps read.
SCHEMAS: dict[str, Schema] = {
    **{f"{name.removesuffix('.yaml').replace('_', '-')}.schema.json": Schema(model, _assets(name))
       for name, model in FILES.items()},
    "questions.schema.json": Schema(s.QuestionsFile, ("assets/questions/*.yaml",)),
    "case.schema.json": Schema(s.Case, ("assets/cases/*.yaml",)),
    "exam-tests.schema.json": Schema(ExamTestsFile, ("assets/exam_tests.yaml",)),
    "lesson-notes.schema.json": Schema(LessonNotes, ("instructor/notes/[0-9][0-9].yaml",)),
    "case-notes.schema.json": Schema(CaseNotesFile, (f"instructor/notes/{CASES_FILE}",)),
    "case-steps.schema.json": Schema(CaseSteps, ("instructor/live_steps/*.yaml",)),
}


def _root(root: str | Path | None) -> Path:
    return Path(root) if root is not None else REPO


def _schema(name: str) -> dict[str, Any]:
    entry = SCHEMAS[name]
    model = entry.model
    out = model.model_json_schema(mode="validation")
    doc = inspect.cleandoc(model.__doc__) if model.__doc__ and model.__doc__ != BaseModel.__doc__ else ""
    where = ", ".join(entry.files)
    out["$schema"] = DRAFT
    out["title"] = f"{model.__name__} ({where})"
    out["description"] = (f"{doc}\n\n" if doc else "") + (
        f"The files {where}, as {model.__module__}.{model.__name__} checks them. Written by `lowback schemas` "
        "from that model: do not edit. `lowback check` also checks the ids that point at other files.")
    return out


def build() -> dict[str, str]:
    """Schema file name -> its JSON text (sorted keys, so the same models always give the same bytes)."""
    return {name: json.dumps(_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for name in SCHEMAS}


def write(folder: str | Path | None = None) -> list[Path]:
    """Write every schema that is missing or differs into FOLDER (default assets/schema); the files written."""
    where = Path(folder) if folder is not None else REPO / FOLDER
    written = []
    for name, text in build().items():
        path = where / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            where.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def stale(folder: str | Path | None = None) -> list[str]:
    """Names of the schemas missing from FOLDER (default assets/schema) or different from what build() gives."""
    where = Path(folder) if folder is not None else REPO / FOLDER
    out = []
    for name, text in build().items():
        path = where / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


def files(root: str | Path | None = None) -> dict[Path, str]:
    """Every YAML file under ROOT that a schema checks -> that schema's file name, in path order."""
    base = _root(root)
    found: dict[Path, str] = {}
    for name, entry in SCHEMAS.items():
        for pattern in entry.files:
            for path in base.glob(pattern):
                if path.is_file():
                    found[path] = name
    return dict(sorted(found.items()))


def header(path: Path, name: str, root: str | Path | None = None) -> str:
    """The first line YAML file PATH needs: the path of schema NAME relative to the file's folder."""
    target = _root(root) / FOLDER / name
    return HEADER + Path(os.path.relpath(target, path.parent)).as_posix()


def _shown(path: Path, root: str | Path | None) -> str:
    return path.relative_to(_root(root)).as_posix()


def headers_missing(root: str | Path | None = None) -> list[str]:
    """The YAML files (relative to ROOT) whose first line is not the header naming their schema."""
    out = []
    for path, name in files(root).items():
        first = path.read_text(encoding="utf-8").removeprefix("\ufeff").partition("\n")[0].rstrip("\r")
        if first != header(path, name, root):
            out.append(_shown(path, root))
    return out


def add_headers(root: str | Path | None = None) -> list[Path]:
    """Insert the header as the first line of every YAML file that lacks it, or update an old one; every other
    byte stays as it was (a comment, so the content loads the same). Returns the files changed."""
    changed = []
    for path, name in files(root).items():
        text = path.read_bytes().decode("utf-8")  # bytes, so that a file's \r\n stays \r\n
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text.removeprefix(bom)
        first, eol, rest = body.partition("\n")
        line = header(path, name, root)
        if first.rstrip("\r") == line:
            continue
        if first.startswith(HEADER.split("$")[0]):  # an old yaml-language-server line: replace it
            new = line + ("\r\n" if first.endswith("\r") else eol) + rest
        else:
            new = line + ("\r\n" if first.endswith("\r") else "\n") + body
        path.write_bytes((bom + new).encode("utf-8"))
        changed.append(path)
    return changed
