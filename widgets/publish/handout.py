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
  "teaching material, not clinical advice" line, the source documents, and what a snapshot is;
- `stable_ids`: name the controls' random UUIDs lb-1, lb-2... so a rebuilt handout is the same file;
- `handout_html`: put them together with PRINT_CSS (A4 pages; plain buttons, which do nothing on paper,
  are hidden when printing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
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
    "The controls do nothing here: open the lesson in the course to use them."
)
# Elements dropped with everything inside them, and empty elements dropped on their own.
DROP_WITH_CONTENT = frozenset({"script", "iframe", "object", "embed", "template", "noscript", "frame", "frameset"})
DROP_EMPTY = frozenset({"link", "meta", "base"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr", "param"})
URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background",
                       "data", "ping", "cite", "longdesc", "manifest"})
PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
html, body { background: #fff; }
body > main, .lb-handout-header { max-width: 72em; margin-left: auto; margin-right: auto; }
.lb-handout-header { margin-bottom: 1.5em; padding: 0.75em 1em; border-bottom: 2px solid #555;
  font-family: var(--jp-ui-font-family, sans-serif); color: #111; line-height: 1.45; }
.lb-handout-header .lb-handout-course { font-size: 0.9em; color: #333; margin: 0; }
.lb-handout-header .lb-handout-title { font-size: 1.3em; font-weight: bold; margin: 0.2em 0 0.5em; }
.lb-handout-header ul { margin: 0.3em 0 0.5em 1.2em; padding: 0; }
.lb-handout-header p { margin: 0.4em 0; }
/* ipywidgets gives a radio option one line's height and floats its button after the text, so an option that
   wraps (on paper, most long ones) lost its button under the next option. Here the button leads and the
   option grows with its text. */
.widget-radio-box label { height: auto; min-height: var(--jp-widgets-radio-item-height, 24px); display: flex;
  flex-direction: row-reverse; justify-content: flex-end; align-items: flex-start; line-height: 1.4; }
.widget-radio-box label input { flex: none; }
@media print {
  .widget-button, .jupyter-button.widget-button, .widget-upload { display: none !important; }
  .lb-handout-header { break-after: avoid; }
  table, figure, svg, .widget-box, .jp-RenderedHTMLCommon table { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
"""
_SAFE_SCHEME = re.compile(r"^(https?:|mailto:)", re.I)
_IPYNB = re.compile(r"(?:^|/)([0-9]{2}_[^/]*)\.ipynb$")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;", re.I)
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


def header_html(lesson: Lesson, documents: Iterable[Document]) -> str:
    """The handout's header: course, lesson, the not-clinical-advice line, the source documents, what it is."""
    docs = "".join(f"<li><strong>{escape(d.id)}</strong>: {escape(d.title)}</li>" for d in documents)
    return (
        '<header class="lb-handout-header">'
        f'<p class="lb-handout-course">{escape(COURSE)}: lesson handout</p>'
        f'<p class="lb-handout-title">Lesson {escape(lesson.id)}: {escape(lesson.title)}</p>'
        f'<p class="lb-handout-disclaimer" role="note"><strong>{escape(NOT_ADVICE)}</strong> '
        f"{escape(NOT_ADVICE_MORE)}</p>"
        f"<p>Source documents:</p><ul class=\"lb-handout-sources\">{docs}</ul>"
        f'<p class="lb-handout-note">{escape(SNAPSHOT_NOTE)}</p>'
        "</header>"
    )


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
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>\n{strip_css(css)}\n</style>\n<style>{PRINT_CSS}</style>\n</head>\n"
        f"<body{attrs}>\n{header_html(lesson, documents)}\n<main>\n{stable_ids(strip_html(body))}\n</main>\n</body>\n"
        "</html>\n"
    )


def handout_name(lesson: Lesson) -> str:
    """The handout's file name: the notebook's, with .html."""
    return lesson.file.removesuffix(".ipynb") + ".html"
