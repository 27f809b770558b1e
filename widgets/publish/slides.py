"""Slide metadata for the lessons, so an instructor can present them with Voila's reveal template (`make slides`).

(JupyterLab's RISE reads the same metadata, but jupyterlab-rise 0.43.1 does not draw ipywidgets 8 views: its
slideshow page fails to load the widget manager, jupyterlab-contrib/rise issue 119; so the course does not
install it.)

`slide_types(cells)` gives every cell of a lesson its `metadata.slideshow.slide_type` by one fixed rule,
computed from the cells' types and sources only (never their outputs, never the metadata already there),
so it is deterministic, idempotent, and unchanged when a lesson is re-executed:

1. The first cell (the `# NN Title` cell) starts a slide; the disclaimer after it stays on that slide.
2. A markdown cell that opens with a `## ` heading starts a slide: every numbered section, and "What you
   will learn", "Self-check", "Summary" and "References" (the reference list is a slide of its own).
3. A markdown cell that opens with a `### ` heading (the steps of a procedure) starts a sub-slide.
4. A code cell made only of imports shows nothing: it is skipped (`skip`).
5. Any other cell continues the current slide (`-`), unless the slide would grow past SLIDE_LINES
   estimated lines of text: then it starts a sub-slide, so a long section is presented in pieces.
   Markdown counts its source lines (a line longer than LINE_CHARS counts as several); a code cell that
   shows a view counts VIEW_LINES (DISCLAIMER_LINES for the short disclaimer, GLOSSARY_LINES for a
   glossary box). A single cell longer than a slide keeps a sub-slide of its own (the reveal template
   scrolls it).

`lowback slides [FILES]` writes the metadata into the lessons (all of lessons/ by default),
touching nothing else: sources, outputs, cell ids and the file's JSON layout stay as they were.
`lowback slides --check [FILES]` changes nothing and exits 1, naming the file and the cell, when a
cell has no slide type or one that differs from the rule.

`lowback slides --template NODE_MODULES` writes the Voila template `make slides` serves with,
"course-slides": Voila's reveal template with reveal.js's style sheets and jQuery served from the template's
own folder (copied from NODE_MODULES, where npm installed reveal.js and jquery) instead of a CDN, so slides
present offline; its landing page lists the lessons as the dashboards' does.
"""

from __future__ import annotations

import ast
import json
import math
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
SLIDE_LINES = 26
LINE_CHARS = 100
VIEW_LINES = 12
DISCLAIMER_LINES = 4
GLOSSARY_LINES = 8
TEMPLATE = "course-slides"
# reveal.js draws the slides; Voila 0.5.13 bundles its script (6.0.1) but takes its style sheets from a CDN.
# The page lives at /voila/render/NAME, so these relative addresses reach /voila/templates/course-slides/static.
STATIC = f"../templates/{TEMPLATE}/static"
TEMPLATE_CONF = {
    "base_template": "reveal",
    "traitlet_configuration": {
        "resources": {"reveal": {"url_prefix": f"{STATIC}/revealjs", "theme": "white", "transition": "none",
                                 "scroll": True}}
    },
}
TEMPLATE_INDEX = """{%- extends 'voila/templates/reveal/index.html.j2' -%}
{#- jQuery (the reveal script scrolls long slides with it) from the template's folder, not a CDN. -#}
{%- block html_head_js_jquery -%}
<script src="%STATIC%/jquery/dist/jquery.min.js"></script>
{#- Voila's reveal script re-typesets MathJax on every slide change, but the template loads no MathJax. -#}
<script>
window.MathJax = window.MathJax || {Hub: {getAllJax: function () { return null; }, Rerender: function () {}}};
</script>
{%- endblock html_head_js_jquery -%}
""".replace("%STATIC%", STATIC)
# What to copy from NODE_MODULES into the template's static folder (the licences go with the files).
VENDORED = ("reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css", "reveal.js/LICENSE",
            "jquery/dist/jquery.min.js", "jquery/LICENSE.txt")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def only_imports(code: str) -> bool:
    """True when CODE is nothing but import statements (it shows nothing on a slide)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    return bool(tree.body) and all(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body)


def estimated_lines(cell: dict) -> int:
    """How many lines of a slide CELL is expected to fill (from its source, not its output)."""
    text = _source(cell)
    if cell.get("cell_type") == "code":
        first = _first_line(text)
        if first.startswith("disclaimer("):
            return DISCLAIMER_LINES
        if first.startswith("glossary("):
            return GLOSSARY_LINES
        return VIEW_LINES
    return sum(max(1, math.ceil(len(line) / LINE_CHARS)) for line in text.strip().splitlines()) or 1


def slide_types(cells: Sequence[dict]) -> list[str]:
    """The slide type of each of CELLS (a notebook's `cells` list), by the rule in the module docstring."""
    types: list[str] = []
    filled = 0  # estimated lines on the current slide or sub-slide
    for i, cell in enumerate(cells):
        kind = cell.get("cell_type")
        text = _source(cell)
        first = _first_line(text)
        lines = estimated_lines(cell)
        if i == 0 or (kind == "markdown" and first.startswith("## ")):
            kind_of_slide = "slide"
        elif kind == "markdown" and first.startswith("### "):
            kind_of_slide = "subslide"
        elif kind == "code" and only_imports(text):
            types.append("skip")
            continue
        elif filled and filled + lines > SLIDE_LINES:
            kind_of_slide = "subslide"
        else:
            types.append("-")
            filled += lines
            continue
        types.append(kind_of_slide)
        filled = lines
    return types


def apply(nb: dict) -> dict:
    """Set every cell's metadata.slideshow.slide_type in the notebook NB (in place; returned for chaining).
    Other metadata, and other keys under `slideshow`, are kept."""
    for cell, kind in zip(nb["cells"], slide_types(nb["cells"]), strict=True):
        cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind
    return nb


def problems(nb: dict, name: str) -> list[str]:
    """One line per cell of NB whose slide type is missing or differs from the rule; NAME names the file."""
    lines = []
    for n, (cell, want) in enumerate(zip(nb["cells"], slide_types(nb["cells"]), strict=True)):
        where = f"{name}: cell {n} (id {cell.get('id', '?')}, {_first_line(_source(cell))[:40]!r})"
        have = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if have is None:
            lines.append(f"{where}: no slideshow.slide_type (the rule gives {want!r})")
        elif have != want:
            lines.append(f"{where}: slide_type {have!r}, the rule gives {want!r}")
    return lines


def dumps(nb: dict) -> str:
    """The notebook as text, laid out as Jupyter writes it (indent 1, sorted keys, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def lesson_files(args: Sequence[str]) -> list[Path]:
    return [Path(a) for a in args] if args else sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))


def install_template(node_modules: str | Path, prefix: str | Path = sys.prefix) -> Path:
    """Write the "course-slides" Voila template under PREFIX/share/jupyter/voila/templates, with the files of
    VENDORED copied from NODE_MODULES; returns its folder. Raises FileNotFoundError naming a missing file."""
    from widgets.content.loader import load_content
    from widgets.publish.landing import PAGE, landing_html

    source = Path(node_modules)
    missing = [name for name in VENDORED if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source}: missing {', '.join(missing)} (run `make slides`, which installs them)")
    folder = Path(prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    for name in VENDORED:
        # Not "reveal.js/": Voila serves its own reveal.js script from the same static folders.
        target = folder / "static" / name.replace("reveal.js/", "revealjs/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)
    (folder / "conf.json").write_text(json.dumps(TEMPLATE_CONF, indent=1))
    (folder / "index.html.j2").write_text(TEMPLATE_INDEX)
    (folder / "page.html").write_text(PAGE)
    (folder / "tree.html").write_text(
        '{% extends "page.html" %}\n{% block title %}The low back: lessons as slides{% endblock %}\n'
        "{% block body %}\n" + landing_html(load_content()) + "\n{% endblock %}\n"
    )
    return folder


@dataclass(frozen=True)
class Report:
    files: int  # lessons looked at
    written: int  # lessons whose metadata changed (0 with check)
    problems: list[str]  # `FILE: cannot read: ...`, or with check every cell that differs from the rule


def update(names: Sequence[str] = (), check: bool = False) -> Report:
    """Write (or with CHECK, only verify) the slide metadata of the lessons named (all of lessons/ by default)."""
    files = lesson_files(list(names))
    bad: list[str] = []
    written = 0
    for path in files:
        try:
            raw = path.read_text(encoding="utf-8")
            nb = json.loads(raw)
            if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
                raise ValueError("not a notebook (no cells list)")
        except (OSError, ValueError) as e:
            bad.append(f"{path}: cannot read: {e}")
            continue
        if check:
            bad.extend(problems(nb, str(path)))
            continue
        new = dumps(apply(nb))
        if new != raw:
            path.write_text(new, encoding="utf-8")
            written += 1
    return Report(len(files), written, bad)
