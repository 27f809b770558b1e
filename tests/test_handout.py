"""The pure parts of a handout (widgets/publish/handout.py): what is stripped from a lesson page, the header with
its one disclaimer, the line put before each interactive view, and the print style sheet that leaves the controls
off paper but keeps what each view shows."""

from __future__ import annotations

import re
from pathlib import Path

from widgets import cli
from widgets.content.schema import Lesson
from widgets.publish.handout import (
    COURSE,
    INTERACTIVE,
    NOT_ADVICE,
    NOTE_ONLY,
    PRINT_CSS,
    STARTING_STATE,
    handout_html,
    handout_name,
    has_class,
    header_html,
    interactive_notes,
    lesson_link,
    stable_ids,
    strip_css,
    strip_html,
)
from widgets.render.lessons import disclaimer_html, structure_html

WIDGETS = Path(__file__).resolve().parent.parent / "widgets"
LESSON = Lesson(id="01", title="Anatomy", file="01_anatomy.ipynb", summary="s", minutes=5)


def _print_rules() -> dict[str, str]:
    """The rules of PRINT_CSS's @media print block: each selector (one per rule or in a list) with its
    declarations."""
    css = re.sub(r"/\*.*?\*/", "", PRINT_CSS, flags=re.S)
    start = css.index("@media print")
    block = css[css.index("{", start) + 1:css.rindex("}")]
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        for sel in selectors.split(","):
            sel = " ".join(sel.split())
            if sel:  # a :not(A, B) would be split here: the stylesheet has none
                rules[sel] = rules.get(sel, "") + body
    return rules


def _hidden_in_print() -> set[str]:
    return {sel for sel, body in _print_rules().items() if re.search(r"display:\s*none\s*!important", body)}


def test_scripts_frames_and_handlers_are_dropped_with_their_content():
    html = (
        '<div onclick="steal()" class="a"><script type="text/javascript">alert("x<y")</script>'
        '<script id="jupyter-config-data" type="application/json">{"token": "t"}</script>'
        "<noscript><p>needs JS</p></noscript><iframe src=\"https://example.org\"><p>inside</p></iframe>"
        '<template><div><script>1</script></div></template><object data="x.swf"><embed src="y.swf"></object>'
        '<link rel="stylesheet" href="/static/x.css"><meta http-equiv="refresh" content="0">'
        "<!-- a comment --><p onmouseover='x()'>kept</p></div>"
    )
    out = strip_html(html)
    assert out == '<div class="a"><p>kept</p></div>'


def test_addresses_that_would_be_fetched_or_run_are_dropped():
    out = strip_html(
        '<a href="javascript:alert(1)">js</a><a href="#part-2">here</a><a href="https://www.nice.org.uk/ng59">NICE</a>'
        '<a href="mailto:x@y.org">mail</a><a href="/voila/files/secret.yaml">file</a>'
        '<img src="/voila/files/a.png" alt="a"><img src="data:image/png;base64,AAAA" alt="b">'
        '<a href="data:text/html,<script>x</script>">d</a>'
        '<form action="/post"><button formaction="/x">b</button></form>'
    )
    assert 'href="#part-2"' in out and 'href="https://www.nice.org.uk/ng59"' in out and 'href="mailto:x@y.org"' in out
    for gone in ("javascript:", "/voila/files", "/post", "formaction", "data:text/html"):
        assert gone not in out
    assert '<img alt="a">' in out and 'src="data:image/png;base64,AAAA"' in out


def test_a_link_to_another_lesson_points_at_its_handout():
    assert lesson_link("02_pain_generators_and_imaging.ipynb") == "02_pain_generators_and_imaging.html"
    assert (lesson_link("../voila/render/03_red_flags_and_triage.ipynb#red-flags")
            == "03_red_flags_and_triage.html#red-flags")
    assert lesson_link("https://example.org/01_x.ipynb") is None
    assert lesson_link("notes.md") is None
    assert 'href="03_red_flags_and_triage.html"' in strip_html('<a href="03_red_flags_and_triage.ipynb">03</a>')


def test_form_state_text_entities_and_svg_survive():
    html = (
        '<label>Bone<input type="checkbox" checked></label><select><option value="0">none</option>'
        '<option value="1" selected>disc</option></select><input type="range" value="35">'
        "<p>5 &lt; 6 &amp; L4&#8211;L5 &quot;quoted&quot;</p>"
        '<svg viewBox="0 0 10 10"><path d="M0 0L10 10" /><style>.x{fill:url(#g)}</style></svg>'
        '<div title="a &quot;b&quot; &lt;c&gt;">t</div>'
    )
    out = strip_html(html)
    assert "<input type=\"checkbox\" checked>" in out and '<option value="1" selected>' in out
    assert '<input type="range" value="35">' in out
    assert "5 &lt; 6 &amp; L4&#8211;L5 &quot;quoted&quot;" in out
    assert '<path d="M0 0L10 10" />' in out and ".x{fill:url(#g)}" in out  # an in-page pattern stays
    assert 'title="a &#34;b&#34; &lt;c&gt;"' in out  # escaped again by MarkupSafe, the one escape path


def test_css_keeps_rules_but_nothing_that_is_fetched():
    css = (
        '@import url("https://cdn.example.org/all.css");\n@import "x.css";\n'
        ".a { background: url(/voila/static/x.png) no-repeat; }\n.p { fill: url(#hatch); }\n"
        ".b { background-image: url('data:image/svg+xml;base64,PHN2Zz4='); }\n"
        "@font-face { font-family: F; src: url(f.woff2) format('woff2'); }\n.c::after { content: '</style>'; }"
    )
    out = strip_css(css)
    assert "@import" not in out and "/voila/static" not in out and "f.woff2" not in out
    assert "url('data:image/svg+xml;base64,PHN2Zz4=')" in out
    assert ".a { background: none no-repeat; }" in out and "url(#hatch)" in out
    assert "</style" not in out


def test_style_attributes_are_cleaned_too():
    out = strip_html('<div style="background: url(https://tracker.example/p.gif); color: red">x</div>')
    assert "tracker" not in out and "color: red" in out


def test_random_control_ids_get_stable_names():
    a, b = "9aebc4a7-316b-4949-abd0-bd63b422180f", "505AA8AF-445C-4B7A-82E4-3303E25C2AFB"
    html = f'<label for="{a}">x</label><select id="{a}"></select><input id="{b}"><label for="{b}">y</label>'
    assert stable_ids(html) == ('<label for="lb-1">x</label><select id="lb-1"></select><input id="lb-2">'
                                '<label for="lb-2">y</label>')
    page = handout_html(Lesson(id="99", title="t", file="99_x.ipynb", summary="s", minutes=5), [],
                        f'<select id="{a}"></select>', "")
    assert a not in page and 'id="lb-1"' in page


def test_the_header_names_lesson_course_sources_and_says_it_is_not_advice(content):
    lesson = content.lessons["01"]
    header = header_html(lesson, content.documents.values())
    text = re.sub(r"<[^>]+>", " ", header)
    assert f"Lesson 01: {lesson.title}" in text and COURSE in text and NOT_ADVICE in text
    for doc in content.documents.values():
        assert doc.id in text and doc.title.replace("&", "&amp;") in header
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", header), "no build date: a rebuilt handout is the same"
    without = header_html(lesson, content.documents.values(), disclaimer=False)
    assert NOT_ADVICE not in without and "lb-handout-disclaimer" not in without
    assert "Lesson 01: " in without and "lb-handout-sources" in without


def test_a_handout_carries_the_disclaimer_once():
    """The lesson's own block (the course's wording, as the dashboard shows it) is kept and the header leaves its
    line out; a lesson without one gets the header's line instead."""
    body = f"<h1>Anatomy</h1>{disclaimer_html()}<p>text</p>"
    page = handout_html(LESSON, [], body, "")
    assert page.count(NOT_ADVICE) == 1 and page.count("lb-disclaimer") == 1
    assert "lb-handout-disclaimer" not in page
    assert page.index("lb-disclaimer") > page.index("<main>"), "the one kept is the lesson's, in the page"
    bare = handout_html(LESSON, [], "<h1>Anatomy</h1><p>text</p>", "")
    assert bare.count(NOT_ADVICE) == 1 and bare.count("lb-handout-disclaimer") == 1
    assert bare.index("lb-handout-disclaimer") < bare.index("<main>")
    # a class that only contains the name, or the words in the text, are not the block
    other = handout_html(LESSON, [], '<p class="lb-disclaimer-note">Teaching material</p>', "")
    assert other.count("lb-handout-disclaimer") == 1
    assert has_class('<div class="a lb-disclaimer" role="note">', "lb-disclaimer")
    assert not has_class("<p>lb-disclaimer</p>", "lb-disclaimer")


def test_each_interactive_view_gets_a_line_naming_it_and_its_lesson():
    body = ('<div class="jp-OutputArea-output"><div class="lm-Widget widget-vbox lb-anatomy-explorer">'
            '<div class="widget-vbox lb-question">q</div></div></div>'
            '<div class="widget-vbox lb-triage-widget">t</div><div class="lb-anatomy-details">d</div>')
    out = interactive_notes(body, "01")
    line = ('<p class="lb-handout-interactive" role="note">Interactive in the dashboard: open lesson 01 to use the '
            'anatomy explorer.</p><div class="lm-Widget widget-vbox lb-anatomy-explorer">')
    assert line in out
    assert ("open lesson 01 to use the triage widget. Shown as it starts, with no finding ticked.</p>"
            '<div class="widget-vbox lb-triage-widget">') in out
    assert out.count("lb-handout-interactive") == 2, "only a view's outer element gets a line, once"
    page = handout_html(LESSON, [], body, "")
    assert page.count("lb-handout-interactive\"") == 2


def test_every_view_of_the_course_is_named():
    """Each view's outer element class (`self.add_class` in widgets/views) has a name for its line, and the
    lists of views that print as their line alone or with a word on their starting state name only views."""
    roots = {m for f in (WIDGETS / "views").glob("*.py")
             for m in re.findall(r'self\.add_class\("(lb-[\w-]+)"\)', f.read_text())}
    assert {"lb-anatomy-explorer", "lb-dose-check", "lb-selfcheck", "lb-case-player"} <= roots
    assert roots <= set(INTERACTIVE), f"a view the handout does not name: {sorted(roots - set(INTERACTIVE))}"
    assert set(NOTE_ONLY) <= set(INTERACTIVE) and set(STARTING_STATE) <= set(INTERACTIVE)


def test_print_leaves_out_every_kind_of_control():
    hidden = _hidden_in_print()
    for sel in ("main input", "main select", "main textarea", "main button",  # any control, whoever drew it
                ".widget-button", ".widget-toggle-button", ".widget-toggle-buttons", ".widget-dropdown",
                ".widget-select", ".widget-checkbox", ".widget-text", ".widget-textarea", ".widget-slider",
                ".widget-upload", ".widget-radio:not(.lb-question *)"):
        assert sel in hidden, f"{sel} is printed"
    # their labels go with them: the layer row ("Show layers:"), a titled group of boxes, "Your answer"
    assert ".widget-hbox:has(> .widget-checkbox)" in hidden
    assert ".widget-vbox:has(> .widget-html:first-child + .widget-checkbox)" in hidden
    assert ".lb-question .widget-radio > .widget-label" in hidden
    # a view with nothing readable at its start prints as its line alone
    for view in NOTE_ONLY:
        assert f".{view}" in hidden
    rules = _print_rules()
    # one rule per selector: a browser that does not know :has() drops only that rule, not every control
    assert not [sel for sel in hidden if "," in sel]
    assert re.search(r"counter\(lb-choice, upper-alpha\)", rules[".lb-question .widget-radio-box label::before"])
    assert "position: static" in rules[".lb-panes > .lb-pane-result"], "no result panel held at the page's foot"
    assert "!important" not in PRINT_CSS[:PRINT_CSS.index("@media print")], "the screen keeps every control"


def test_print_leaves_out_the_hints_on_working_a_control():
    """Every hint class the views and their HTML use (`lb-prompt`, `lb-hint`, `lb-...-hint`) is hidden on paper,
    among them the anatomy explorer's "click it, or Tab into the diagram" and the self-check's "Choose an answer".
    (`lb-live-prompt` is a live session's question, not a hint.)"""
    hidden = _hidden_in_print()
    used = {m for folder in ("render", "views") for f in (WIDGETS / folder).glob("*.py")
            for m in re.findall(r"\b(lb-prompt|lb-(?:[\w-]+-)?hint)\b(?!-)", f.read_text())}
    assert {"lb-prompt", "lb-hint", "lb-relief-hint"} <= used
    assert {f".{c}" for c in used} <= hidden, sorted({f".{c}" for c in used} - hidden)
    assert "Tab into" in structure_html(None) and 'class="lb-prompt"' in structure_html(None)
    assert ".lb-feedback-empty" in hidden and ".lb-feedback-box:has(.lb-feedback-empty)" in hidden


def test_print_keeps_what_each_view_shows():
    hidden = _hidden_in_print()
    readable = {".widget-html", ".widget-html-content", "svg", "table", ".lb-diagram", ".lb-diagram svg",
                ".lb-diagram-port", ".lb-anatomy-details", ".lb-details", ".lb-dose-result", ".lb-triage-result",
                ".lb-advice-result", ".lb-cohort-result", ".lb-case-intro-panel", ".lb-course-panel",
                ".lb-rung-box", ".lb-ladder-view", ".lb-question", ".widget-radio-box", ".lb-slider",
                ".lb-slider-label", ".lb-slider-readout", ".lb-pane-result", ".lb-disclaimer",
                ".lb-handout-interactive", ".lb-selfcheck", ".lb-anatomy-explorer", ".lb-dose-check"}
    assert not readable & hidden, sorted(readable & hidden)
    # nothing hidden by a bare element or widget-box selector that would take text with it
    assert not {s for s in hidden if re.fullmatch(r"\.?(widget-(box|vbox|hbox|html)|div|p|main)", s)}


def test_header_and_page_escape_content():
    lesson = Lesson(id="99", title="<b>Bold</b> & co", file="99_x.ipynb", summary="s", minutes=5)
    page = handout_html(lesson, [], "<p>body</p><script>x()</script>", ".a{color:red}",
                        {"class": "jp-Notebook", "data-jp-theme-light": "true", "onload": "x()", "style": "a"})
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page and "<b>Bold</b>" not in page
    assert "<script" not in page and "onload" not in page
    assert '<body class="jp-Notebook" data-jp-theme-light="true">' in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page and "@page { size: A4" in page
    assert handout_name(lesson) == "99_x.html"


def test_without_chromium_the_tool_says_what_to_do(monkeypatch, capsys, tmp_path):

    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-such-chromium"))
    assert cli.main(["handouts", "--out", str(tmp_path / "out"), "01"]) == 2
    err = capsys.readouterr().err
    assert "no Chromium at" in err and "CHROMIUM_PATH" in err and "make handouts" in err
    assert "nbconvert" in err, "says why nbconvert's export is no offline fallback"
    assert not (tmp_path / "out").exists()


def test_an_unknown_lesson_id_is_named(monkeypatch, capsys, tmp_path):
    from widgets.publish import handouts as make_handouts

    monkeypatch.setattr(make_handouts, "chromium_path", lambda: __file__)  # any existing file passes the check
    assert cli.main(["handouts", "--out", str(tmp_path), "42"]) == 2
    assert "unknown lesson id 42" in capsys.readouterr().err
