"""Speed work that can be checked without a browser or a clock: settings in config/voila.py, and what a
lesson's kernel imports. The page-load figures themselves are measured by `make bench`, not by timed tests."""

from __future__ import annotations

import os
import subprocess
import sys

import jinja2
import pytest
from nbconvert import HTMLExporter
from traitlets.config.loader import PyFileConfigLoader

from tests.pages import LESSON
from tests.servers import CONFIG, ROOT

pytestmark = pytest.mark.server


@pytest.fixture(scope="module", autouse=True)
def learners_config():
    """Loading the configuration applies its patches in this process, as Voila's loading does."""
    return PyFileConfigLoader("voila.py", path=str(CONFIG)).load_config()


def _compiles(monkeypatch) -> list[str]:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name or "?")
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_a_new_exporter_reuses_the_templates_another_one_compiled(monkeypatch):
    """Voila makes a new exporter per page rendered without a preheated kernel; only the first may compile."""
    compiled = _compiles(monkeypatch)
    first, second = HTMLExporter(template_name="lab"), HTMLExporter(template_name="lab")
    first.environment.get_template("index.html.j2")
    assert compiled == ["index.html.j2"]  # the templates it extends compile when it renders
    compiled.clear()
    second.environment.get_template("index.html.j2")
    assert compiled == []
    assert second.environment.bytecode_cache is first.environment.bytecode_cache


def test_an_edited_template_is_compiled_again(monkeypatch, tmp_path):
    compiled = _compiles(monkeypatch)
    (tmp_path / "page.j2").write_text("one {{ x }}")
    ex1 = HTMLExporter(extra_template_basedirs=[str(tmp_path)])
    ex1.environment.loader = jinja2.FileSystemLoader(str(tmp_path))
    assert ex1.environment.get_template("page.j2").render(x=1) == "one 1"
    (tmp_path / "page.j2").write_text("two {{ x }}")
    ex2 = HTMLExporter(extra_template_basedirs=[str(tmp_path)])
    ex2.environment.loader = jinja2.FileSystemLoader(str(tmp_path))
    assert ex2.environment.get_template("page.j2").render(x=2) == "two 2"
    assert compiled.count("page.j2") == 2


RUN_LESSON = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
for cell in json.load(open(sys.argv[1]))["cells"]:
    if cell["cell_type"] == "code":
        assert shell.run_cell("".join(cell["source"]), silent=True).success
from ipywidgets.widgets.widget import _instances
print(len(_instances), "numpy" in sys.modules, "sqlalchemy" in sys.modules)
"""


@pytest.mark.parametrize("lesson, numpy", [("04", False), ("08", True)])
def test_a_lesson_kernel_imports_only_what_its_widgets_need(lesson, numpy, tmp_path):
    """NumPy (with the simulator) costs about 0.1 s and SQLAlchemy about 0.25 s of every page Voila renders
    without a preheated kernel: lesson 04 needs neither, lesson 08 NumPy only (until a learner joins)."""
    notebook = ROOT / "lessons" / LESSON[lesson]
    env = {**os.environ, "LOWBACK_PROGRESS": str(tmp_path / "p.sqlite")}
    out = subprocess.run([sys.executable, "-c", RUN_LESSON, str(notebook)], cwd=notebook.parent, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    widgets, has_numpy, has_sqlalchemy = out.stdout.split()
    assert int(widgets) > 50  # the lesson's widgets were built
    assert (has_numpy, has_sqlalchemy) == (str(numpy), "False")


# --- preloading the front end's scripts (widgets/publish/landing.py) ---------------------------------------------


def test_the_preload_links_name_the_listed_scripts_voila_can_serve_in_order(tmp_path):
    from widgets.publish.landing import preload_links

    listing = tmp_path / "preload.txt"
    listing.write_text(
        "# a comment\n"
        "static/voila.js\n"
        "static/0000.voila.js\n"  # not installed: left out
        "labextensions/@jupyter-widgets/jupyterlab-manager/package.json\n"
        "elsewhere/voila.js\n"  # not a folder Voila serves scripts from
        "\n"
    )
    links = preload_links(listing).splitlines()
    assert links == [
        '<link rel="preload" as="script" href="{{ page_config[\'fullStaticUrl\'] | e }}/voila.js">',
        '<link rel="preload" as="script" href="{{ page_config[\'fullLabextensionsUrl\'] | e }}/'
        '@jupyter-widgets/jupyterlab-manager/package.json">',
    ]
    assert preload_links(tmp_path / "missing.txt") == ""  # no list: no preloads, and the page still works


def test_the_course_template_preloads_every_listed_script_and_still_renders(tmp_path):
    """The installed lesson template carries the links, and Jinja reads it (the links are template text)."""
    from tests.preload_list import listed
    from widgets.publish.landing import install_template

    folder = install_template(prefix=tmp_path)
    text = (folder / "index.html.j2").read_text()
    assert text.count('rel="preload"') == len(listed()) > 50
    links = "\n".join(ln for ln in text.splitlines() if 'rel="preload"' in ln)
    # Under JupyterHub the addresses carry the user's prefix; the links follow Voila's own URLs.
    page = jinja2.Environment().from_string(links).render(
        page_config={"fullStaticUrl": "/user/a/voila/static", "fullLabextensionsUrl": "/user/a/voila/labextensions"})
    assert page.count('href="/user/a/voila/static/') + page.count('href="/user/a/voila/labextensions/') == len(listed())
    assert "{{ preloads }}" not in text
