"""The dashboards' landing page: every lesson in teaching order, one line each, from lessons.yaml.

Voila's tree page only knows file names, so `lowback landing` writes a small Voila
template ("course", based on "lab") whose tree page lists the lessons with their titles and
one-line summaries. `make dashboards` and the dashboard tests install it before starting Voila.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from jupyter_core.paths import jupyter_path
from markupsafe import Markup

from widgets.content.loader import Content, load_content
from widgets.render.html import escape
from widgets.render.lessons import disclaimer_html

TEMPLATE = "course"


def _e(text: str) -> str:
    """HTML-escape content text, and its braces too, so it can never become Jinja syntax."""
    return str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")


def landing_html(content: Content) -> str:
    """The page body. Its only template expressions are `{{ base_url }}`, each lesson's progress line and the
    spaced review's line."""
    items = "".join(
        f'<li class="lb-lesson"><a class="lb-lesson-link" '
        f'style="color:var(--jp-content-link-color,#1a5fb4);text-decoration:underline" '
        f'href="{{{{ base_url }}}}voila/render/{_e(les.file)}">'
        f"{_e(les.id)} {_e(les.title)}</a>: {_e(les.summary)} <small>(about {les.minutes} min)</small>"
        f'{{{{ progress.get("{_e(les.id)}", "") }}}}</li>'
        for les in sorted(content.lessons.values(), key=lambda x: x.id)
    )
    return (
        '<main class="lb-landing" style="max-width:60em;margin:2em auto;padding:0 1em;'
        'color:var(--jp-ui-font-color0);font-family:var(--jp-ui-font-family)">'
        # Progress comes from the server's progress file at each visit (config/voila.py passes lowback_progress).
        "{% set progress = lowback_progress() if lowback_progress is defined else {} %}"
        "<h1>The low back: a course for residents</h1>"
        "<p>The lessons, in teaching order. Each opens as a dashboard; start with 00.</p>"
        # The spaced review's line: only when there is a progress file and saving is on (progress_by_lesson).
        '{% if progress.get("review") %}<p class="lb-review-due"><a class="lb-review-link" '
        'style="color:var(--jp-content-link-color,#1a5fb4);text-decoration:underline" '
        'href="{{ base_url }}voila/render/review.ipynb">{{ progress["review"] }}</a></p>{% endif %}'
        f'<ol class="lb-lessons" style="list-style:none;padding:0;line-height:2">{items}</ol>'
        f"{THEME_CHOICE}{disclaimer_html()}</main>{THEME_SCRIPT}"
    )


# How far a learner has got in each lesson, said with a mark and words; the landing page shows it beside the lesson.
PROGRESS_MARKS = {"done": ("&#10004;", "Done"), "started": ("&#9680;", "Started"), "new": ("&#9675;", "Not started")}


def progress_by_lesson(content: Content | None = None) -> dict[str, Markup]:
    """Each lesson's progress line for the landing page, from the learner's progress file: done or not, and the
    self-check so far; under the key "review", how many questions the spaced review has due now. Empty when saving
    is off or there is no file yet (nothing is created by looking)."""
    from widgets.render.progress import questions_by_lesson
    from widgets.stores import progress

    if progress.saving_off():
        return {}
    try:
        path = progress.default_path()
        if not path.exists():
            return {}
        content = content or load_content()
        with progress.ProgressStore(path) as store:
            summary = store.summary(questions_by_lesson(content))
            review = review_line(store, content)
    except Exception:  # noqa: BLE001 - the landing page must show whatever the progress file does
        return {}
    lines = {}
    for score in summary.lessons:
        if score.lesson not in content.lessons:
            continue
        kind = "done" if score.completed else "started" if score.answered else "new"
        icon, word = PROGRESS_MARKS[kind]
        quiz = ("" if not (score.answered and score.total) else
                f"; self-check {score.correct} of {score.total} right" if kind == "done" else
                f"; self-check {score.answered} of {score.total} answered, {score.correct} right")
        lines[score.lesson] = Markup(
            f' <span class="lb-lesson-progress lb-progress-{kind}"><span aria-hidden="true">{icon}</span> '
            f"{word}{escape(quiz)}</span>")
    lines["review"] = review
    return lines


def review_line(store, content: Content, now: datetime | None = None) -> Markup:
    """The landing page's link text to the spaced review: how many questions are due now (widgets/models/review.py),
    or why none are."""
    from widgets.models.review import schedule
    from widgets.render.progress import questions_by_lesson

    plan = schedule(questions_by_lesson(content), store.completed_at(), store.review_cards(),
                    now or datetime.now(UTC))
    n = len(plan.due)
    if not plan.done_lessons:
        words = "Spaced review: it starts once you mark a lesson as done"
    elif n:
        words = f"{n} question{'' if n == 1 else 's'} due for review (your progress file, scheduled by FSRS)"
    else:
        words = "No questions due for review today: open the spaced review to see when the next one is"
    return Markup('<span aria-hidden="true">&#8635;</span> ') + escape(words)


# The theme follows the device's preference (prefers-color-scheme) unless the learner picks one here, or the
# address names one (?theme=dark); the choice is kept in the browser (localStorage) and every lesson link carries
# it, because a lesson page is drawn on the server in one theme. Only this page reloads to change theme: it runs
# no kernel.
THEME_CHOICE = (
    '<p class="lb-theme-choice"><label for="lb-theme">Theme </label><select id="lb-theme">'
    '<option value="auto">Follow this device</option><option value="light">Light</option>'
    '<option value="dark">Dark</option></select></p>'
)
THEME_SCRIPT = """<script>
(function () {
  var KEY = "lowback-theme", select = document.getElementById("lb-theme"), stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) {}
  select.value = (stored === "light" || stored === "dark") ? stored : "auto";
  function chosen() {
    if (select.value === "light" || select.value === "dark") return select.value;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function apply(changed) {
    var here = new URL(window.location.href), named = here.searchParams.get("theme");
    // An address that names a theme is followed (a shared link); otherwise the choice here, else the device.
    var theme = (!changed && (named === "light" || named === "dark")) ? named : chosen();
    // Lesson links and the review's link; the address stays relative.
    document.querySelectorAll("a.lb-lesson-link, a.lb-review-link").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("?")[0] + "?theme=" + theme);
    });
    var shown = document.body.getAttribute("data-jp-theme-light") === "false" ? "dark" : "light";
    if (theme !== shown && named !== theme) {
      here.searchParams.set("theme", theme); window.location.replace(here.toString());
    }
  }
  select.addEventListener("change", function () {
    try { localStorage.setItem(KEY, select.value); } catch (e) {}
    apply(true);
  });
  apply(false);
})();
</script>"""


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
    <style>body { background-color: var(--jp-layout-color0); color: var(--jp-ui-font-color0); }
      body[data-jp-theme-light="false"] { color-scheme: dark; }  /* native controls (the Theme menu) dark too */</style>
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
<style>{% raw %}{{ lesson_css }}{% endraw %}</style>
{{ super.super() }}
{{ preloads }}
{%- endblock notebook_css -%}
{%- block body_header -%}
{{ super() }}
<script>
/* While the kernel runs the lesson, say so in words a learner reads, not "Executing 61 of 70". */
window.voila_process = function (done, total) {
  window.update_loading_text(done, total, "Preparing the lesson\u2026 " + Math.round(100 * done / total) + "%");
};
</script>
<main>
{%- endblock body_header -%}
{%- block body_footer -%}
</main>
<script>{% raw %}window.LB_LESSONS = {{ lessons_json }};
{{ lesson_js }}{% endraw %}</script>
{{ super() }}
{%- endblock body_footer -%}
"""


# Voila's front end is about 90 script files, and a lesson page asks for them in waves: its one script
# names a first wave of chunks, those name the widget managers, which name more. On a cold start nothing
# is fetched until the kernel has run the whole lesson, then each wave waits for the one before. Listing
# every file in the page's head lets Chromium fetch (and start compiling) them all while the kernel is
# still running; the waves then find them in memory. config/preload.txt lists them as a lesson page
# asked for them (every lesson asks for the same ones); `make preload-list` records it again after an
# upgrade of Voila or a widget package, and a browser test fails when it no longer matches.
PAGE_FILES = Path(__file__).resolve().parent / "page"


def lesson_template(content: Content) -> str:
    """The lesson page's template: Voila's, with the course's style sheet, the preloads, and the script that builds
    the section menu, the previous and next lessons and the "In this lesson" block (widgets/publish/page/)."""
    lessons = [{"id": les.id, "title": les.title, "file": les.file, "minutes": les.minutes}
               for les in sorted(content.lessons.values(), key=lambda x: x.id)]
    # JSON inside a script: "<" escaped so no title can close the script; the raw block keeps Jinja out of it.
    lessons_json = json.dumps(lessons).replace("<", "\\u003c")
    parts = {"{{ preloads }}": preload_links(), "{{ lesson_css }}": (PAGE_FILES / "lesson.css").read_text(),
             "{{ lesson_js }}": (PAGE_FILES / "lesson.js").read_text(), "{{ lessons_json }}": lessons_json}
    text = INDEX
    for marker, value in parts.items():
        if "{% endraw %}" in value:
            raise ValueError(f"{marker}: the text may not contain an endraw tag")
        text = text.replace(marker, value)
    return text


PRELOAD_LIST = Path(__file__).resolve().parents[2] / "config" / "preload.txt"


def _preload_roots() -> dict[str, tuple[str, list[Path]]]:
    """URL prefix (template text) and the folders Voila serves each kind of listed file from."""
    from voila.utils import get_voila_labextensions_path

    static = [Path(p, "templates", "base", "static") for p in jupyter_path("voila")]
    labextensions = [Path(p) for p in get_voila_labextensions_path()]
    return {
        "static": ("{{ page_config['fullStaticUrl'] | e }}/", static),
        "labextensions": ("{{ page_config['fullLabextensionsUrl'] | e }}/", labextensions),
    }


def preload_links(listing: Path = PRELOAD_LIST) -> str:
    """A <link rel="preload"> for each script on LISTING whose file Voila can serve, in the listed order,
    as template text. A file an upgrade removed is left out, so a stale list costs speed, never a broken
    page; a missing list means no preloads."""
    try:
        lines = listing.read_text().splitlines()
    except OSError:
        return ""
    roots = _preload_roots()
    links = []
    for line in (x.strip() for x in lines):
        kind, _, path = line.partition("/")
        if kind not in roots or not path:
            continue
        url, folders = roots[kind]
        if any((folder / path.split("?")[0]).is_file() for folder in folders):
            links.append(f'<link rel="preload" as="script" href="{url}{_e(path)}">')
    return "\n".join(links)


def install_template(prefix: str | Path = sys.prefix, content: Content | None = None) -> Path:
    """Write the template under PREFIX/share/jupyter/voila/templates/course; returns its folder."""
    folder = Path(prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    (folder / "page.html").write_text(PAGE)
    content = content or load_content()
    (folder / "index.html.j2").write_text(lesson_template(content))
    body = landing_html(content)
    (folder / "tree.html").write_text(
        '{% extends "page.html" %}\n{% block title %}The low back: lessons{% endblock %}\n'
        "{% block body %}\n" + body + "\n{% endblock %}\n"
    )
    return folder
