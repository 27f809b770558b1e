"""HTML rendering: sources and grades always shown, content text always escaped."""

from __future__ import annotations

import re

from widgets.models.anatomy import AnatomyModel
from widgets.render.lessons import (
    figure_table_html,
    glossary_html,
    reference_list_html,
    root_table_html,
    structure_html,
)


def test_figure_table_names_document_study_design_and_grade(fixture_content):
    html = figure_table_html(fixture_content, ["facet_share"])
    for text in ("10-15%", "S1", "Smith A, Jones B. A fixture study.", "case series, n=10", "Certainty: low",
                 "Small series."):
        assert text in html


def test_content_text_is_escaped(fixture_content):
    original = fixture_content.structures["facet_joints"]
    fixture_content.structures["facet_joints"] = original.model_copy(
        update={"function": '<script>alert(1)</script><img src=x onerror="alert(2)">'}
    )
    try:
        html = structure_html(AnatomyModel(fixture_content).details("facet_joints"))
    finally:
        fixture_content.structures["facet_joints"] = original
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reference_list_and_glossary(fixture_content):
    refs = reference_list_html(fixture_content, "01")
    assert "Smith A, Jones B." in refs and "[case series, n=10]" in refs and "Cited by S1." in refs
    assert "Case series" in glossary_html(fixture_content)


def test_root_table(fixture_content):
    html = root_table_html(fixture_content)
    assert "Dorsum of foot" in html and "Great toe extension" in html and "Sources: REF" in html


def test_landing_page_escapes_content_and_keeps_jinja_out(fixture_content):
    from widgets.publish.landing import landing_html

    les = fixture_content.lessons["01"]
    fixture_content.lessons["01"] = les.model_copy(update={"summary": "{{ config }} <b>x</b> {% raw %}"})
    try:
        html = landing_html(fixture_content)
    finally:
        fixture_content.lessons["01"] = les
    assert "{{ base_url }}voila/render/01_fixture.ipynb" in html and "<b>" not in html
    # The only template code is the course's own: the address, the progress lines and where they come from.
    code = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", html)
    where = "{% set progress = lowback_progress() if lowback_progress is defined else {} %}"
    review = ['{% if progress.get("review") %}', '{{ progress["review"] }}', "{% endif %}"]  # the review's line
    assert set(code) == {"{{ base_url }}", where, *review,
                         *(f'{{{{ progress.get("{lid}", "") }}}}' for lid in fixture_content.lessons)}, code


def test_a_verdict_does_not_repeat_its_own_word():
    from widgets.render.html import verdict_html, without_echo

    assert without_echo("Emergency: MRI within 4 hours.", "EMERGENCY") == "MRI within 4 hours."
    assert without_echo("Right. The documents say so.", "correct", "right") == "The documents say so."
    assert without_echo("Rightly or wrongly, it spread.", "right") == "Rightly or wrongly, it spread."
    html = verdict_html("bad", "EMERGENCY", "Emergency: leave the ladder now.")
    assert "EMERGENCY.</strong> Leave the ladder now." in html and html.lower().count("emergency") == 1


def test_self_check_feedback_shows_right_and_wrong_by_mark_word_and_colour_once():
    from widgets.models.selfcheck import Feedback
    from widgets.render.html import STATUS
    from widgets.render.lessons import feedback_html

    right = feedback_html(Feedback(True, "Guide motion", "Right. Facets guide motion.", ("S1",)))
    wrong = feedback_html(Feedback(False, "Marrow", "No: that is marrow.", ("S1",)))
    assert "&#10003; Correct.</strong> Facets guide motion." in right and "Right." not in right
    assert "&#10007; Not quite.</strong> That is marrow." in wrong
    assert STATUS["ok"][1] in right and STATUS["bad"][1] in wrong and STATUS["ok"][1] not in wrong


def test_every_status_has_an_icon_a_word_and_a_colour_and_they_differ():
    """One visual language: each kind of status draws its own icon and colour beside its word, so no two kinds look
    alike and none relies on colour alone."""
    import re

    from widgets.render.html import STATUS, status_word, verdict_html

    icons = {icon for icon, _ in STATUS.values()}
    assert len(icons) == len(STATUS)  # a shape per kind, for readers who cannot tell the colours apart
    for kind, (icon, colour) in STATUS.items():
        for html in (status_word(kind, "Fair"), verdict_html(kind, "FAIR", "Because.")):
            assert f'<span aria-hidden="true">{icon}</span>' in html and colour in html
            text = re.sub(r"<[^>]+>", "", html).replace(icon, "")
            assert "Fair" in text or "FAIR" in text  # the word is there for a screen reader and in print


def test_evidence_grades_show_circles_a_colour_and_the_word():
    from widgets.render.html import GRADE_LABELS, GRADE_MARKS, grade_badge

    seen = set()
    for grade in GRADE_LABELS:
        html = grade_badge(grade)
        icon, colour = GRADE_MARKS[grade]
        assert f"Certainty: {GRADE_LABELS[grade].lower()}" in html and colour in html
        if grade != "not_graded":
            assert html.count("&#8853;") == {"high": 4, "moderate": 3, "low": 2, "very_low": 1}[grade]
            seen.add(icon)
    assert len(seen) == 4


def test_debrief_verdicts_and_dose_limits_use_the_status_language(fixture_content):
    from widgets.render.html import STATUS
    from widgets.render.simulation import VERDICT_MARK

    assert {kind for kind, _ in VERDICT_MARK.values()} == {"ok", "warn", "bad", "info"}
    from widgets.models.dosing import DoseModel
    from widgets.render.dosing import dose_html

    model = DoseModel(fixture_content)
    drug = model.options()[0][1]
    over = model.calculate(drug, 2.0, 500.0, False, 0.0, 70.0, 4)
    html = dose_html(over, model.dosing, fixture_content.source_label)
    assert 'class="lb-status lb-status-bad"' in html and STATUS["bad"][0] in html and "OVER" in html


def test_landing_page_progress_lines_come_from_the_progress_file(tmp_path, monkeypatch):
    from widgets.content.loader import load_content
    from widgets.publish.landing import progress_by_lesson
    from widgets.render.progress import questions_by_lesson
    from widgets.stores.progress import ProgressStore

    content = load_content()
    path = tmp_path / "progress.sqlite"
    monkeypatch.setenv("LOWBACK_PROGRESS", str(path))
    assert progress_by_lesson(content) == {}  # no file yet: nothing shown, and nothing created
    assert not path.exists()
    first, second = list(content.lessons)[:2]
    questions = questions_by_lesson(content)[first]
    with ProgressStore(path) as store:
        store.record_answer(first, questions[0], 0, True)
        store.complete_lesson(second)
    lines = progress_by_lesson(content)
    total = len(questions)
    assert f"Started; self-check 1 of {total} answered, 1 right" in lines[first]
    assert "&#9680;" in lines[first] and "lb-progress-started" in lines[first]
    assert lines[second].endswith("Done</span>") and "&#10004;" in lines[second]
    monkeypatch.setenv("LOWBACK_PROGRESS", "off")
    assert progress_by_lesson(content) == {}
