"""The dashboards' landing page: every lesson in teaching order, one line each, from lessons.yaml.

Voila's tree page only knows file names, so `python -m widgets.landing` writes a small Voila
template ("course", based on "lab") whose tree page lists the lessons with their titles and
one-line summaries. `make dashboards` and the dashboard tests install it before starting Voila.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

from .content import Content, load_content
from .render import disclaimer_html

TEMPLATE = "course"


def _e(text: str) -> str:
    """HTML-escape content text, and its braces too, so it can never become Jinja syntax."""
    return escape(text).replace("{", "&#123;").replace("}", "&#125;")


def landing_html(content: Content) -> str:
    """The page body; `{{ base_url }}` is the only template expression in it."""
    items = "".join(
        f'<li class="lb-lesson"><a style="color:var(--jp-content-link-color,#1a5fb4);text-decoration:underline" '
        f'href="{{{{ base_url }}}}voila/render/{_e(les.file)}">'
        f"{_e(les.id)} {_e(les.title)}</a>: {_e(les.summary)} <small>({les.minutes} min)</small></li>"
        for les in sorted(content.lessons.values(), key=lambda x: x.id)
    )
    return (
        '<main class="lb-landing" style="max-width:60em;margin:2em auto;padding:0 1em;'
        'color:var(--jp-ui-font-color0);font-family:var(--jp-ui-font-family)">'
        "<h1>The low back: a course for residents</h1>"
        "<p>The lessons, in teaching order. Each opens as a dashboard; start with 00.</p>"
        f'<ol class="lb-lessons" style="list-style:none;padding:0;line-height:2">{items}</ol>'
        f"{disclaimer_html()}</main>"
    )


# Voila's own page.html (landing and error pages) has no language on <html> and no page colours, so
# screen readers guess the language and the dark theme showed light link text on a white page. This
# copy of it says lang="en", paints the page in the theme's colours and tells the page which theme it
# has (data-jp-theme-light, as the lesson pages do).
PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{% block title %}Voilà{% endblock %}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    {% block stylesheets %}
    {% if include_css %}
      {{ include_css("static/index.css") }}
      {% if theme == 'dark' %}{{ include_css("static/theme-dark.css") }}
      {% elif theme == 'light' %}{{ include_css("static/theme-light.css") }}
      {% else %}{{ include_lab_theme(theme) }}{% endif %}
    {% endif %}
    {% endblock %}
    <style>body { background-color: var(--jp-layout-color0); color: var(--jp-ui-font-color0); }</style>
    {% block meta %}{% endblock %}
  </head>
  <body data-base-url="{{ base_url }}voila/" data-voila="voila"
        {%- if theme == 'dark' %} data-jp-theme-light="false"{% elif theme == 'light' %} data-jp-theme-light="true"
        {%- endif %}>
    <noscript><p>This course needs JavaScript to show its lessons.</p></noscript>
    <div>{% block body %}{% endblock %}</div>
    {% block scripts %}{% endblock %}
  </body>
</html>
"""

# A lesson page is Voila's "lab" page with the lesson's cells inside a <main> landmark, so a screen
# reader can jump straight to the lesson. Its stylesheet block is Voila's without the two Font Awesome
# links to cdn.jsdelivr.net: the course uses no icons, and a learner's browser should ask nothing of
# another host (on a filtered hospital network a stylesheet that never arrives holds up the page).
# super.super() is nbconvert's block, which Voila's calls too.
INDEX = """{%- extends 'voila/templates/lab/index.html.j2' -%}
{% import "spinner.macro.html.j2" as spinner %}
{%- block notebook_css -%}
{% if frontend == "voila" %}{{ resources.include_js("static/voila-style.js") }}{% endif %}
{{ spinner.css() }}
<style>.jp-mod-noOutputs.jp-mod-noInput { display: none; }</style>
{{ super.super() }}
{%- endblock notebook_css -%}
{%- block body_header -%}
{{ super() }}
<main>
{%- endblock body_header -%}
{%- block body_footer -%}
</main>
{{ super() }}
{%- endblock body_footer -%}
"""


def install_template(prefix: str | Path = sys.prefix, content: Content | None = None) -> Path:
    """Write the template under PREFIX/share/jupyter/voila/templates/course; returns its folder."""
    folder = Path(prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    (folder / "page.html").write_text(PAGE)
    (folder / "index.html.j2").write_text(INDEX)
    body = landing_html(content or load_content())
    (folder / "tree.html").write_text(
        '{% extends "page.html" %}\n{% block title %}The low back: lessons{% endblock %}\n'
        "{% block body %}\n" + body + "\n{% endblock %}\n"
    )
    return folder


if __name__ == "__main__":
    print(f"Voila template written to {install_template()}")
