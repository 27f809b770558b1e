"""The pure parts of a handout (widgets/publish/handout.py): what is stripped from a lesson page, and the header."""

from __future__ import annotations

import re

from widgets import cli
from widgets.content.schema import Lesson
from widgets.publish.handout import (
    COURSE,
    NOT_ADVICE,
    handout_html,
    handout_name,
    header_html,
    lesson_link,
    stable_ids,
    strip_css,
    strip_html,
)


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
