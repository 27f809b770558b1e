"""The HTML vocabulary every page shares: one escape path (MarkupSafe), tables, source lists, evidence badges and
status shown by icon, word and colour together."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import escape

from widgets.content.schema import Treatment

GRADE_LABELS = {
    "high": "High",
    "moderate": "Moderate",
    "low": "Low",
    "very_low": "Very low",
    "not_graded": "Not graded",
}
GRADE_MEANING = {
    "high": "Further research is very unlikely to change the estimate (consistent randomised trials or "
    "their systematic reviews).",
    "moderate": "Probably close to the truth, but better studies could change it.",
    "low": "Could well be wrong: small, uncontrolled or indirect studies.",
    "very_low": "Little more than a signal: a handful of patients, no control group, or the treating "
    "clinic's own report.",
    "not_graded": "An anatomical or descriptive fact, a definition, or a figure the reference sheet "
    "could not trace to a study.",
}
DESIGN_LABELS = {
    "systematic_review": "systematic review",
    "meta_analysis": "meta-analysis",
    "rct": "randomised controlled trial",
    "prospective_cohort": "prospective cohort",
    "retrospective_cohort": "retrospective cohort",
    "case_control": "case-control study",
    "case_series": "case series",
    "cross_sectional": "cross-sectional study",
    "survey": "survey",
    "narrative_review": "narrative review",
    "editorial": "editorial",
    "guideline": "clinical guideline",
    "consensus": "consensus statement",
    "decision_model": "decision-analytic model",
    "textbook": "textbook",
    "expert_opinion": "expert opinion",
    "news_report": "news report",
    "unknown": "design not stated",
}
RUNG_LABELS = {
    "lifestyle": "Lifestyle",
    "conservative": "Conservative and complementary care",
    "medication": "Medication",
    "interventional": "Interventional pain management",
    "regenerative": "Regenerative medicine",
    "minimally_invasive": "Minimally invasive procedure",
    "surgery": "Surgery",
    "emergency": "Emergency",
}

MODALITY = {"mri": "MRI", "xray": "X-ray", "ct": "CT", "ultrasound": "Ultrasound"}  # how a scan is named on screen

TABLE = 'class="lb-table" style="border-collapse:collapse;margin:0.5em 0;font-size:0.95em"'
CELL = 'style="border:1px solid var(--jp-border-color1,#bbb);padding:4px 8px;text-align:left;vertical-align:top"'


LEAD = ' class="lb-lead"'


def html_table(caption: str, header: list[str], rows: Iterable[list[str]], lead: int | None = None) -> str:
    """A table whose cells name their column (data-label), so that on a phone each row reads as a card with the
    column names beside the values (the lesson page's style sheet does that); LEAD is the column a card starts
    with (the evidence grade of a figure, say)."""
    head = "".join(f"<th {CELL}>{escape(h)}</th>" for h in header)
    opens = [f'<td{LEAD if i == lead else ""} data-label="{escape(h)}" {CELL}>' for i, h in enumerate(header)]
    body = "".join("<tr>" + "".join(f"{opens[i]}{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (
        f"<table {TABLE}><caption style=\"text-align:left;font-weight:bold;padding:4px 0\">"
        f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def sources(labels: Iterable[str]) -> str:
    return escape("; ".join(labels))


# Certainty as GRADE draws it (filled circles out of four) and a colour, beside the word that says it.
GRADE_MARKS = {
    "high": ("&#8853;&#8853;&#8853;&#8853;", "var(--jp-success-color1,#1e7b34)"),
    "moderate": ("&#8853;&#8853;&#8853;&#9711;", "var(--jp-success-color1,#1e7b34)"),
    "low": ("&#8853;&#8853;&#9711;&#9711;", "var(--jp-warn-color1,#a35200)"),
    "very_low": ("&#8853;&#9711;&#9711;&#9711;", "var(--jp-error-color1,#b00020)"),
    "not_graded": ("", "currentColor"),
}


def grade_badge(grade: str, words: str | None = None) -> str:
    """The certainty of the evidence behind a figure: GRADE's circles, a colour and the word together (never colour
    alone), with a tooltip."""
    icon, colour = GRADE_MARKS[grade]
    mark = f'<span aria-hidden="true" style="color:{colour};letter-spacing:-1px">{icon}</span> ' if icon else ""
    return (
        f'<span class="lb-grade lb-grade-{escape(grade)}" title="{escape(GRADE_MEANING[grade])}" '
        f'style="border:1px solid {colour};border-radius:3px;padding:0 4px;white-space:nowrap">'
        f"{mark}{escape(words or 'Certainty: ' + GRADE_LABELS[grade].lower())}</span>"
    )


def status_word(kind: str, word: str) -> str:
    """A short status in a table or a list (a debrief verdict, a yes or no): icon, word and colour together."""
    icon, colour = STATUS[kind]
    return (f'<strong class="lb-status lb-status-{kind}" style="color:{colour}">'
            f'<span aria-hidden="true">{icon}</span> {escape(word)}</strong>')


DIRECTION_LABELS = {
    "benefit": "a worthwhile benefit",
    "small_benefit": "a small benefit",
    "no_benefit": "no clinically important benefit",
    "conflicting": "conflicting results",
    "uncontrolled_only": "uncontrolled studies only",
    "not_applicable": "",
}
# (icon, colour) by direction: the word always says it; icon and colour only repeat it
DIRECTION_MARKS = {
    "benefit": ("&#9650;", "var(--jp-success-color1,#1e7b34)"),
    "small_benefit": ("&#9652;", "var(--jp-success-color1,#1e7b34)"),
    "no_benefit": ("&#9675;", "var(--jp-error-color1,#b00020)"),
    "conflicting": ("&#177;", "var(--jp-warn-color1,#a35200)"),
    "uncontrolled_only": ("?", "var(--jp-warn-color1,#a35200)"),
    "not_applicable": ("", "currentColor"),
}


def evidence_badge(t: Treatment) -> str:
    """A treatment's evidence: which way it points and how certain that is ("High certainty: no benefit over
    sham"), so that a high grade never reads as "it works"."""
    if t.grade == "not_graded":
        return grade_badge("not_graded", "Evidence: not graded")
    icon, colour = DIRECTION_MARKS[t.direction]
    words = f"{GRADE_LABELS[t.grade]} certainty: {t.direction_text or DIRECTION_LABELS[t.direction]}"
    return (
        f'<span class="lb-evidence lb-direction-{escape(t.direction)}" title="{escape(GRADE_MEANING[t.grade])}" '
        f'style="border:1px solid {colour};border-radius:3px;padding:0 4px">'
        f'<span aria-hidden="true" style="color:{colour}">{icon}</span> {escape(words)}</span>'
    )


# Status shown by icon, word and colour together: (icon, colour) by kind.
STATUS = {
    "ok": ("&#10004;", "var(--jp-success-color1,#1e7b34)"),
    "bad": ("&#10006;", "var(--jp-error-color1,#b00020)"),
    "warn": ("&#9888;", "var(--jp-warn-color1,#a35200)"),
    "info": ("&#8505;", "var(--jp-info-color1,#0b61a4)"),
}


def without_echo(text: str, *words: str) -> str:
    """TEXT without a first word that only repeats the verdict beside it ("EMERGENCY. Emergency: go now" reads
    "EMERGENCY. Go now"; "Correct. Right, because..." reads "Correct. Because...")."""
    for word in words:
        head = re.match(rf"\s*{re.escape(word)}\s*[.:!,;]\s*", text, flags=re.IGNORECASE)
        if head:
            rest = text[head.end():]
            return rest[:1].upper() + rest[1:]
    return text


def verdict_html(kind: str, word: str, text: str, css: str = "", alert: bool = False) -> str:
    """A verdict box: an icon, a word in capitals and a coloured edge, then the sentence that explains it."""
    icon, colour = STATUS[kind]
    role = "alert" if alert else "status"
    text = without_echo(text, word)
    return (
        f'<div class="lb-verdict lb-verdict-{kind} {css}" role="{role}" style="border-left:6px solid {colour};'
        f'border-top:1px solid {colour};border-right:1px solid {colour};border-bottom:1px solid {colour};'
        'border-radius:3px;padding:6px 10px;margin:4px 0;box-sizing:border-box;max-width:100%;overflow-wrap:anywhere">'
        f'<strong style="color:{colour}"><span aria-hidden="true">{icon}</span> {escape(word)}.</strong> '
        f"{escape(text)}</div>"
    )
