"""Handouts: a lesson as one standalone HTML page, readable offline and printable (pure parts).

`lowback handouts` opens each lesson in the learners' Voila in Chromium, waits until
every view has drawn, and hands the page's HTML and style sheets to the functions here, which
- `strip_html`: drop everything that would run or reach out: <script>, <iframe>, <object>, <embed>,
  <template>, <noscript>, <link>, <meta>, <base>, comments, `on...` handler attributes, and any address
  that is not a data: URL, an in-page #anchor, http(s) or mailto (a link to another lesson's .ipynb
  becomes a link to its handout);
- `strip_css`: keep the rules but drop @import and every url(...) that is neither a data: URL nor an
  in-page #id (an SVG pattern);
- `header_html`: the lesson title, the course name (no date, so a rebuilt handout is the same file), the
  source documents, and what a snapshot is; the "teaching material, not clinical advice" line only for a lesson
  that does not show the course's own disclaimer block (every lesson does, as its first output), so a handout
  carries the disclaimer once, in the course's full wording, where the learner meets it in the dashboard;
- `stable_ids`: name the controls' random UUIDs lb-1, lb-2... so a rebuilt handout is the same file;
- `interactive_notes`: put a line before each of the course's interactive views, "Interactive in the dashboard:
  open lesson NN to use the <name>.";
- `handout_html`: put them together with PRINT_CSS: A4 pages, and on paper each view's readable starting state
  (the diagram, the result a view shows at start, its tables, a self-check's questions and choices, a slider's
  value) without the controls, which do nothing there (buttons, menus, check boxes, text boxes, slider tracks,
  radio buttons) nor the hints that say how to work them ("click it, or Tab into the diagram"). A view that shows
  nothing readable until it is used prints as its line alone. On screen the page keeps every control in its state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
from string import Template
from urllib.parse import urlsplit

from widgets.content.schema import Document, Lesson
from widgets.render.html import escape

COURSE = "The low back: a course for residents"
NOT_ADVICE = "Teaching material, not clinical advice."
NOT_ADVICE_MORE = (
    "This handout teaches what five source documents say about the low back and how strong the evidence behind "
    "each claim is; it must not be used to decide the care of a real patient."
)
SNAPSHOT_NOTE = (
    "A static copy of the lesson as the course shows it, each interactive view in its starting state. "
    "The controls do nothing here, and a printed copy leaves them out: open the lesson in the course to use them."
)
# The course's interactive views, by the class on each one's outer element (widgets/views: `self.add_class`), and
# what the handout calls each in the line it puts before it.
INTERACTIVE = {
    "lb-anatomy-explorer": "anatomy explorer",
    "lb-pain-patterns": "pain-pattern explorer",
    "lb-ladder-explorer": "ladder explorer",
    "lb-triage-widget": "triage widget",
    "lb-advise-me": "advise-me widget",
    "lb-dose-check": "local anaesthetic dose check",
    "lb-case-player": "case simulator",
    "lb-cohort-view": "cohort view",
    "lb-live-join": "live session",
    "lb-selfcheck": "self-check",
    "lb-progress-panel": "progress panel",
    "lb-case-presenter": "case presenter",
    "lb-instructor-guide": "instructor guide",
    "lb-post-test": "pre-test to post-test widget",
    "lb-root-localiser": "root localiser",
    "lb-leg-map": "dermatome and myotome map",
    "lb-scoring-tools": "STarT Back and Oswestry scoring tools",
    "lb-review": "spaced review",
}
INTERACTIVE_NOTE = "Interactive in the dashboard: open lesson {lesson} to use the {name}."
# What a view's starting state leaves unsaid once its controls are gone: a verdict with no finding ticked.
STARTING_STATE = {
    "lb-triage-widget": "Shown as it starts, with no finding ticked.",
    "lb-advise-me": "Shown as it starts, with no finding ticked.",
    "lb-post-test": "Shown as it starts, with no test result entered.",
    "lb-root-localiser": "Shown as it starts, with no finding ticked.",
}
# Views with nothing readable before they are used (their start is controls, an empty result, a blank progress
# table from the build's throwaway progress file): on paper, only their line.
NOTE_ONLY = ("lb-pain-patterns", "lb-live-join", "lb-progress-panel", "lb-case-presenter", "lb-scoring-tools",
             "lb-review")
# On paper: the controls, which do nothing there, with the labels and headings that only name them.
PRINT_HIDDEN_CONTROLS = (
    "main input", "main select", "main textarea", "main button",
    ".widget-button", ".widget-toggle-button", ".widget-toggle-buttons", ".widget-dropdown", ".widget-select",
    ".widget-select-multiple", ".widget-checkbox", ".widget-text", ".widget-textarea", ".widget-password",
    ".widget-combobox", ".widget-slider", ".widget-upload", ".widget-colorpicker", ".widget-datepicker",
    ".widget-play", ".widget-tagsinput",
    ".widget-radio:not(.lb-question *)",  # radio buttons, but a self-check's choices stay (lettered)
    ".lb-question .widget-radio > .widget-label",  # "Your answer"
    ".lb-feedback-box:has(.lb-feedback-empty)",  # the place of a feedback that comes with Check
    ".widget-hbox:has(> .widget-checkbox)",  # a row of switches with its label ("Show layers:")
    ".widget-vbox:has(> .widget-html:first-child + .widget-checkbox)",  # a titled group of check boxes
    ".lb-slider-disabled",  # a slider that is off says nothing (one that is on keeps its label and value)
    ".lb-case-player > .widget-html:has(> .widget-html-content > h3:only-child)",  # "Work-up" over its buttons
    ".lb-diagram-tabs", ".lb-diagram-tools",  # the anatomy diagram's view tabs and zoom buttons
    ".lb-sections", ".lb-pager",  # the dashboard's section menu and links to the other lessons' dashboards
)
# On paper: the course's hints on working a control, and status lines about the learner's own progress.
PRINT_HIDDEN_HINTS = (".lb-prompt", ".lb-hint", ".lb-feedback-empty", ".lb-relief-hint", ".lb-score",
                      ".lb-progress-line")
# Elements dropped with everything inside them, and empty elements dropped on their own.
DROP_WITH_CONTENT = frozenset({"script", "iframe", "object", "embed", "template", "noscript", "frame", "frameset"})
DROP_EMPTY = frozenset({"link", "meta", "base"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr", "param"})
URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background",
                       "data", "ping", "cite", "longdesc", "manifest"})
PRINT_CSS = Template("""
@page { size: A4; margin: 14mm 12mm; }
html, body { background: #fff; }
body > main, .lb-handout-header { max-width: 72em; margin-left: auto; margin-right: auto; }
.lb-handout-header { margin-bottom: 1.5em; padding: 0.75em 1em; border-bottom: 2px solid #555;
  font-family: var(--jp-ui-font-family, sans-serif); color: #111; line-height: 1.45; }
.lb-handout-header .lb-handout-course { font-size: 0.9em; color: #333; margin: 0; }
.lb-handout-header .lb-handout-title { font-size: 1.3em; font-weight: bold; margin: 0.2em 0 0.5em; }
.lb-handout-header ul { margin: 0.3em 0 0.5em 1.2em; padding: 0; }
.lb-handout-header p { margin: 0.4em 0; }
.lb-handout-interactive { margin: 0.5em 0; padding: 2px 0 2px 8px; border-left: 3px solid #888; color: #333;
  font-family: var(--jp-ui-font-family, sans-serif); font-style: italic; }
/* ipywidgets gives a radio option one line's height and floats its button after the text, so an option that
   wraps (on paper, most long ones) lost its button under the next option. Here the button leads and the
   option grows with its text. */
.widget-radio-box label { height: auto; min-height: var(--jp-widgets-radio-item-height, 24px); display: flex;
  flex-direction: row-reverse; justify-content: flex-end; align-items: flex-start; line-height: 1.4; }
.widget-radio-box label input { flex: none; }
@media print {
  /* Controls do nothing on paper: only what a view shows is printed. One rule per selector, so a browser that
     does not know :has() still drops every control it can. */
$hidden
  /* A self-check question prints as on a paper test: its choices lettered A, B, C... */
  .lb-question .widget-radio-box { counter-reset: lb-choice; }
  .lb-question .widget-radio-box label { flex-direction: row; justify-content: flex-start;
    counter-increment: lb-choice; }
  .lb-question .widget-radio-box label::before { content: counter(lb-choice, upper-alpha) ".\\00a0"; flex: none;
    min-width: 1.6em; font-weight: bold; }
  /* A view's result under its (now hidden) controls, the full width, never a clipped panel held on screen */
  .lb-panes { display: block !important; }
  .lb-panes > .lb-pane-result { position: static !important; max-height: none !important; overflow: visible !important;
    box-shadow: none !important; border-top: 0 !important; padding: 0 !important; }
  .lb-diagram-port { max-height: none !important; overflow: visible !important; }
  .lb-handout-header { break-after: avoid; }
  /* Small things stay on one page. A whole view may run over a page break: kept in one piece, a tall view
     moved to the next page and left its line alone on an otherwise blank one. */
  table, figure, svg, .lb-question, .lb-verdict, .jp-RenderedHTMLCommon table { break-inside: avoid; }
  .lb-handout-interactive { break-after: avoid; }
  h1, h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
""").substitute(hidden="\n".join(f"  {sel} {{ display: none !important; }}" for sel in (
    *PRINT_HIDDEN_CONTROLS, *PRINT_HIDDEN_HINTS, *(f".{view}" for view in NOTE_ONLY))))
_SAFE_SCHEME = re.compile(r"^(https?:|mailto:)", re.I)
_IPYNB = re.compile(r"(?:^|/)([0-9]{2}_[^/]*)\.ipynb$")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;", re.I)
# A start tag as `strip_html` writes it (attribute values escaped, so no ">" inside one), and its class attribute.
_START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)


def _url_kept(name: str, value: str, link: Callable[[str], str | None]) -> str | None:
    """What an address attribute NAME=VALUE becomes in a handout; None drops it."""
    value = value.strip()
    if value.lower().startswith("data:"):
        # data: URLs stay for images and fonts; a data: page as a link or frame could carry script
        return value if name in {"src", "srcset", "poster", "background"} and not value.lower().startswith(
            "data:text/html") else None
    if name != "href" and name != "xlink:href":
        return None
    if value.startswith("#"):
        return value
    other = link(value)
    if other is not None:
        return other
    return value if _SAFE_SCHEME.match(value) else None


def lesson_link(value: str) -> str | None:
    """A relative link to a lesson's notebook (`02_x.ipynb#part`) as a link to that lesson's handout, else None."""
    parts = urlsplit(value)
    m = None if parts.scheme or parts.netloc else _IPYNB.search(parts.path)
    if m is None:
        return None
    return f"{m.group(1)}.html" + (f"#{parts.fragment}" if parts.fragment else "")


class _Stripper(HTMLParser):
    def __init__(self, link: Callable[[str], str | None]):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.dropping: list[str] = []  # open elements being dropped, innermost last
        self.raw: str | None = None  # inside a raw-text element (style): text passes unchanged
        self.link = link

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name in {"srcdoc", "formaction"}:
                continue
            if value is not None and name in URL_ATTRS:
                value = _url_kept(name, value, self.link)
                if value is None:
                    continue
            if value is not None and name == "style":
                value = strip_css(value)
            parts.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
        return "".join(parts)

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag == self.dropping[-1] or tag in DROP_WITH_CONTENT and tag not in VOID:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            if tag not in VOID:
                self.dropping.append(tag)
            return
        if tag in DROP_EMPTY:
            return
        self.out.append(f"<{tag}{self._attrs(attrs)}>")
        if tag == "style":
            self.raw = tag

    def handle_startendtag(self, tag, attrs):
        if self.dropping or tag in DROP_WITH_CONTENT or tag in DROP_EMPTY:
            return
        self.out.append(f"<{tag}{self._attrs(attrs)} />" if tag not in VOID else f"<{tag}{self._attrs(attrs)}>")

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in DROP_WITH_CONTENT or tag in DROP_EMPTY or tag in VOID:
            return
        if self.raw == tag:
            self.raw = None
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.dropping:
            return
        if self.raw == "style":
            data = strip_css(data)
        elif self.raw is None:
            data = data.replace("<", "&lt;")
        self.out.append(data)

    def handle_entityref(self, name):
        if not self.dropping:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.dropping:
            self.out.append(f"&#{name};")

    # comments, doctypes, processing instructions: dropped
    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def strip_html(html: str, link: Callable[[str], str | None] = lesson_link) -> str:
    """HTML (a serialized DOM fragment) without anything that runs or fetches; see the module docstring.
    LINK maps an href to its replacement (None: keep it only if it is safe, else drop it)."""
    parser = _Stripper(link)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def strip_css(css: str) -> str:
    """CSS without @import and without url(...) references other than data: URLs and in-page #ids (the others
    would be fetched)."""
    css = _CSS_IMPORT.sub("", css)
    css = _CSS_URL.sub(lambda m: m.group(0) if m.group(2).strip().lower().startswith(("data:", "#")) else "none", css)
    return css.replace("</", "<\\/")  # a style element must not be closed from inside


def stable_ids(html: str) -> str:
    """HTML with each random UUID (widget views name their controls with them) replaced by `lb-N`, numbered
    in order of appearance, the same UUID always by the same name: a rebuilt handout differs only where
    the lesson does."""
    names: dict[str, str] = {}
    return _UUID.sub(lambda m: names.setdefault(m.group(0).lower(), f"lb-{len(names) + 1}"), html)


def header_html(lesson: Lesson, documents: Iterable[Document], disclaimer: bool = True) -> str:
    """The handout's header: course, lesson, the not-clinical-advice line (unless DISCLAIMER is false: the lesson
    shows the course's own), the source documents, what it is."""
    docs = "".join(f"<li><strong>{escape(d.id)}</strong>: {escape(d.title)}</li>" for d in documents)
    line = (f'<p class="lb-handout-disclaimer" role="note"><strong>{escape(NOT_ADVICE)}</strong> '
            f"{escape(NOT_ADVICE_MORE)}</p>") if disclaimer else ""
    return (
        '<header class="lb-handout-header">'
        f'<p class="lb-handout-course">{escape(COURSE)}: lesson handout</p>'
        f'<p class="lb-handout-title">Lesson {escape(lesson.id)}: {escape(lesson.title)}</p>'
        f"{line}"
        f"<p>Source documents:</p><ul class=\"lb-handout-sources\">{docs}</ul>"
        f'<p class="lb-handout-note">{escape(SNAPSHOT_NOTE)}</p>'
        "</header>"
    )


def _classes(tag: str) -> list[str]:
    m = _CLASS_ATTR.search(tag)
    return m.group(1).split() if m else []


def has_class(html: str, name: str) -> bool:
    """Whether an element of HTML (as `strip_html` writes it) has the class NAME."""
    return any(name in _classes(m.group(0)) for m in _START_TAG.finditer(html))


def interactive_notes(html: str, lesson_id: str) -> str:
    """HTML (as `strip_html` writes it) with a line before each of the course's interactive views (INTERACTIVE),
    naming it and the lesson to open to use it, and what its starting state leaves unsaid (STARTING_STATE)."""

    def note(m: re.Match) -> str:
        view = next((c for c in _classes(m.group(0)) if c in INTERACTIVE), None)
        if view is None:
            return m.group(0)
        words = " ".join(filter(None, (INTERACTIVE_NOTE.format(lesson=lesson_id, name=INTERACTIVE[view]),
                                       STARTING_STATE.get(view))))
        return f'<p class="lb-handout-interactive" role="note">{escape(words)}</p>{m.group(0)}'

    return _START_TAG.sub(note, html)


def handout_html(
    lesson: Lesson,
    documents: Iterable[Document],
    body: str,
    css: str,
    body_attrs: Mapping[str, str] | None = None,
) -> str:
    """The whole handout page: BODY (the lesson's rendered HTML) and CSS (its style sheets) are stripped here,
    so a caller may pass them as the browser gave them. BODY_ATTRS are the page's <body> attributes (the
    JupyterLab theme is chosen by them); only class, lang and data-jp-* ones are kept."""
    attrs = "".join(
        f' {escape(k)}="{escape(v)}"'
        for k, v in sorted((body_attrs or {}).items())
        if k == "class" or k.startswith("data-jp-")
    )
    title = f"{lesson.id} {lesson.title}: handout"
    main = interactive_notes(stable_ids(strip_html(body)), lesson.id)
    # One disclaimer: the lesson's own block (the course's wording, as the dashboard shows it), else the header's.
    header = header_html(lesson, documents, disclaimer=not has_class(main, "lb-disclaimer"))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>\n{strip_css(css)}\n</style>\n<style>{PRINT_CSS}</style>\n</head>\n"
        f"<body{attrs}>\n{header}\n<main>\n{main}\n</main>\n</body>\n"
        "</html>\n"
    )


def handout_name(lesson: Lesson) -> str:
    """The handout's file name: the notebook's, with .html."""
    return lesson.file.removesuffix(".ipynb") + ".html"
