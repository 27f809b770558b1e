"""HTML for what the lessons show: pure functions from content to escaped HTML strings."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .anatomy import StructureDetails
from .content import Content, Problem
from .dosing import DoseResult
from .ladder import Advice, Triage
from .pain_patterns import PatternResult
from .redflags import FlagAction
from .schema import DosingFile, Treatment
from .selfcheck import Feedback

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

TABLE = 'class="lb-table" style="border-collapse:collapse;margin:0.5em 0;font-size:0.95em"'
CELL = 'style="border:1px solid var(--jp-border-color1,#bbb);padding:4px 8px;text-align:left;vertical-align:top"'


def _table(caption: str, header: list[str], rows: Iterable[list[str]]) -> str:
    head = "".join(f"<th {CELL}>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td {CELL}>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table {TABLE}><caption style=\"text-align:left;font-weight:bold;padding:4px 0\">"
        f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _sources(labels: Iterable[str]) -> str:
    return escape("; ".join(labels))


def grade_badge(grade: str) -> str:
    """The certainty of the evidence behind a figure, as text (never colour alone), with a tooltip."""
    return (
        f'<span class="lb-grade lb-grade-{escape(grade)}" title="{escape(GRADE_MEANING[grade])}" '
        f'style="border:1px solid currentColor;border-radius:3px;padding:0 4px;white-space:nowrap">'
        f"Certainty: {escape(GRADE_LABELS[grade].lower())}</span>"
    )


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
        return grade_badge("not_graded").replace("Certainty: not graded", "Evidence: not graded")
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


def verdict_html(kind: str, word: str, text: str, css: str = "", alert: bool = False) -> str:
    """A verdict box: an icon, a word in capitals and a coloured edge, then the sentence that explains it."""
    icon, colour = STATUS[kind]
    role = "alert" if alert else "status"
    return (
        f'<div class="lb-verdict lb-verdict-{kind} {css}" role="{role}" style="border-left:6px solid {colour};'
        f'border-top:1px solid {colour};border-right:1px solid {colour};border-bottom:1px solid {colour};'
        'border-radius:3px;padding:6px 10px;margin:4px 0;box-sizing:border-box;max-width:100%;overflow-wrap:anywhere">'
        f'<strong style="color:{colour}"><span aria-hidden="true">{icon}</span> {escape(word)}.</strong> '
        f"{escape(text)}</div>"
    )


def disclaimer_html() -> str:
    return (
        '<div class="lb-disclaimer" role="note" style="border-left:4px solid var(--jp-warn-color1,#c77700);'
        'padding:6px 10px;margin:6px 0;background:var(--jp-layout-color2,#f5f5f5)">'
        "<strong>Teaching material, not clinical advice.</strong> This course teaches what five source "
        "documents say about the low back and how strong the evidence behind each claim is. It does not "
        "replace clinical judgement, local guidelines or supervision, and it must not be used to decide "
        "the care of a real patient.</div>"
    )


def course_map_html(content: Content) -> str:
    rows = [
        [escape(les.id), escape(les.title), escape(les.summary), f"{les.minutes} min"]
        for les in sorted(content.lessons.values(), key=lambda x: x.id)
    ]
    return _table("The lessons, in teaching order", ["Lesson", "Title", "What it covers", "Time"], rows)


def source_documents_html(content: Content) -> str:
    rows = [
        [f"<strong>{escape(d.id)}</strong>", escape(d.title), escape(d.kind), escape(d.caution)]
        for d in content.documents.values()
    ]
    return _table("The documents the course is built from", ["Tag", "Title", "What it is", "Read with care"], rows)


DIRECTION_MEANING = {
    "benefit": "Controlled trials show a benefit patients would notice.",
    "small_benefit": "Controlled trials show a benefit, but small or short-lived.",
    "no_benefit": "Controlled trials show no clinically important benefit over sham, placebo or the comparison.",
    "conflicting": "Controlled trials disagree with each other.",
    "uncontrolled_only": "Only uncontrolled or open studies: which way it points is not known.",
}


def evidence_grades_html() -> str:
    """The two parts of every evidence badge: how certain the evidence is, and (on treatments) which way it points."""
    rows = [[grade_badge(g), escape(GRADE_MEANING[g])] for g in GRADE_LABELS]
    certainty = _table("How certain the evidence behind a figure is", ["Badge", "What it means"], rows)
    icons = [[f'<span aria-hidden="true" style="color:{DIRECTION_MARKS[d][1]}">{DIRECTION_MARKS[d][0]}</span> '
              f"{escape(DIRECTION_LABELS[d])}", escape(DIRECTION_MEANING[d])] for d in DIRECTION_MEANING]
    direction = _table("Which way a treatment's evidence points (after the certainty on its badge, e.g. "
                       "\"High certainty: no benefit over sham\")", ["Direction", "What it means"], icons)
    return certainty + direction


def figure_table_html(content: Content, figure_ids: Iterable[str]) -> str:
    rows = []
    for fid in figure_ids:
        f = content.figures[fid]
        ref = content.references[f.reference]
        study = escape(ref.citation)
        design = DESIGN_LABELS[ref.design] + (f", {ref.size}" if ref.size else "")
        caveat = escape(f.caveat) if f.caveat else "None noted"
        rows.append(
            [
                escape(f.label),
                f"<strong>{escape(f.value)}</strong>",
                escape(f.document),
                f"{study} <em>({escape(design)})</em>",
                grade_badge(f.grade),
                caveat,
            ]
        )
    header = ["What was measured", "Figure", "Source document", "Study behind it", "Grade", "Caution"]
    return _table("Figures, each with its source and the strength of the evidence", header, rows)


def reference_list_html(content: Content, lesson: str) -> str:
    les = content.lessons[lesson]
    items = []
    for rid in les.references:
        ref = content.references[rid]
        design = DESIGN_LABELS[ref.design] + (f", {ref.size}" if ref.size else "")
        cited = f" Cited by {', '.join(ref.cited_by)}." if ref.cited_by else " Brought in by the reference sheet."
        note = f" {escape(ref.note)}" if ref.note else ""
        items.append(f"<li>{escape(ref.citation)} <em>[{escape(design)}]</em>.{escape(cited)}{note}</li>")
    docs = ", ".join(f"{d.id}: {escape(d.title)}" for d in content.documents.values())
    return (
        f'<div class="lb-references"><p><strong>Source documents.</strong> {docs}.</p>'
        f"<ol>{''.join(items)}</ol></div>"
    )


def glossary_html(content: Content, term_ids: Iterable[str] = ()) -> str:
    ids = list(term_ids) or list(content.terms)
    items = []
    for tid in ids:
        t = content.terms[tid]
        src = f" <small>({_sources(content.source_label(s) for s in t.sources)})</small>" if t.sources else ""
        items.append(f"<dt><strong>{escape(t.term)}</strong></dt><dd>{escape(t.definition)}{src}</dd>")
    return f'<dl class="lb-glossary">{"".join(items)}</dl>'


def root_table_html(content: Content) -> str:
    rows = []
    caveats = []
    for r in content.roots.values():
        rows.append([f"<strong>{escape(r.root)}</strong>", escape(r.dermatome), escape(r.myotome),
                     escape(r.reflex), escape(r.typical_disc)])
        if r.caveat:
            caveats.append(f"<li>{escape(r.root)}: {escape(r.caveat)}</li>")
    srcs = sorted({content.source_label(s) for r in content.roots.values() for s in r.sources})
    table = _table(
        "L4, L5 and S1: where each root is felt, what it moves, which reflex it carries",
        ["Root", "Dermatome (skin)", "Myotome (muscles)", "Reflex", "Disc that usually compresses it"],
        rows,
    )
    return f"{table}<ul>{''.join(caveats)}</ul><p><small>Sources: {_sources(srcs)}</small></p>"


def structure_html(d: StructureDetails | None) -> str:
    if d is None:
        return (
            '<p class="lb-prompt"><em>Select a structure on the diagram (click it, or Tab into the diagram, move '
            "with the arrow keys and press Enter), or pick one from the list, to see what it does, why it hurts and "
            "what imaging shows."
            "</em></p>"
        )
    if d.treatments:
        treatments = "".join(
            f"<li>{escape(t.name)} <small>({escape(RUNG_LABELS[t.rung])})</small></li>" for t in d.treatments
        )
        treatments = f"<ul>{treatments}</ul>"
    else:
        treatments = "<p>No treatment in the course targets it directly.</p>"
    return (
        f'<div class="lb-details" data-structure="{escape(d.id)}">'
        f"<h3 style=\"margin:4px 0\">{escape(d.name)}</h3>"
        f"<p><small>{escape(d.region)}; {escape(d.layer)} layer</small></p>"
        f"<p><strong>What it does.</strong> {escape(d.function)}</p>"
        f"<p><strong>Why it can hurt.</strong> {escape(d.pain)}</p>"
        "<p><strong>What imaging shows or misses.</strong></p><ul>"
        f"<li><strong>MRI:</strong> {escape(d.mri)}</li>"
        f"<li><strong>X-ray:</strong> {escape(d.xray)}</li>"
        f"<li><strong>Ultrasound:</strong> {escape(d.ultrasound)}</li></ul>"
        f"<p><strong>Treatments that target it.</strong></p>{treatments}"
        f"<p><small>Sources: {_sources(d.sources)}</small></p></div>"
    )


def pattern_html(result: PatternResult, red_flag_message: str) -> str:
    parts = []
    if result.emergency:
        flags = ", ".join(escape(f) for f in result.red_flags)
        parts.append(
            '<div class="lb-red-flag" role="alert" style="border:2px solid var(--jp-error-color1,#b00);'
            f'padding:6px 10px;margin:4px 0"><strong>Red flag: {flags}.</strong> {escape(red_flag_message)}</div>'
        )
    if not result.candidates:
        parts.append(
            '<p class="lb-no-candidates"><em>No candidate generator stands out for this pattern yet. '
            "Add where it hurts, where it spreads, what makes it worse and the exam findings.</em></p>"
        )
    else:
        items = []
        for _rank, c in enumerate(result.candidates, start=1):
            reasons = "".join(
                f"<li>{'for' if r.weight > 0 else 'against'} ({r.weight:+d}): {escape(r.text)} "
                f"<small>[{_sources(r.sources)}]</small></li>"
                for r in c.reasons
            )
            caveat = f"<p><small><strong>Caution:</strong> {escape(c.caveat)}</small></p>" if c.caveat else ""
            items.append(
                f'<li class="lb-candidate" data-generator="{escape(c.id)}"><strong>{escape(c.name)}</strong> '
                f"(score {c.score}; structures: {escape(', '.join(c.structures))})<ul>{reasons}</ul>{caveat}</li>"
            )
        parts.append(f"<ol class=\"lb-candidates\">{''.join(items)}</ol>")
    return "".join(parts)


def feedback_html(fb: Feedback) -> str:
    verdict = "Correct." if fb.correct else "Not quite."
    mark = "&#10003;" if fb.correct else "&#10007;"
    return (
        f'<div class="lb-feedback lb-{"right" if fb.correct else "wrong"}" role="status">'
        f"<strong>{mark} {verdict}</strong> {escape(fb.explanation)} "
        f"<small>(Sources: {_sources(fb.sources)})</small></div>"
    )


def score_html(correct: int, answered: int, total: int) -> str:
    return f'<p class="lb-score">Answered {answered} of {total}; {correct} correct so far.</p>'


def problem_html(problems: list[Problem] | None, what: str, extra: str = "",
                 headline: str = "could not load its content", check: str = "widgets.content") -> str:
    """The message shown in place of a widget whose content did not load (or that was asked for
    something the content does not have). CHECK is the module whose `check` command lists every problem
    (widgets.instructor for the instructor's notes)."""
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in (problems or [])[:6])
    more = f"<li>and {len(problems) - 6} more</li>" if problems and len(problems) > 6 else ""
    return (
        '<div class="lb-problem" role="alert" style="border:2px solid var(--jp-error-color1,#b00);padding:8px">'
        f"<strong>The {escape(what)} {escape(headline)}.</strong> "
        "The rest of the page still works. An instructor can list every problem with "
        f"<code>python -m {escape(check)} check</code>."
        f"{escape(extra)}<ul>{items}{more}</ul></div>"
    )


# --- the treatment ladder ------------------------------------------------------------------------

STANCE_LABELS = {
    "recommends": "Recommends",
    "consider": "Consider (for a defined group)",
    "only_with_exercise": "Only alongside exercise or psychological care",
    "does_not_offer": "Does not offer / not recommended",
    "small_benefit": "Small benefit",
    "no_clear_benefit": "No clinically important benefit, or conflicting results",
    "evidence_limited": "Too little good evidence to say",
}
AGREEMENT_LABELS = {
    "agree": "Documents and guidelines agree",
    "partly": "Partly agree",
    "differ": "Documents and guidelines differ",
    "guidelines_conflict": "Guidelines disagree with each other",
    "no_guidance": "No guideline position found",
    "documents_silent": "The documents are silent; the guidelines are not",
}
NOT_STATED = "Not stated in the documents."


def _p(label: str, text: str) -> str:
    return f"<p><strong>{escape(label)}.</strong> {escape(text or NOT_STATED)}</p>"


def guideline_list_html(content: Content, t: Treatment) -> str:
    """One line per guideline body: its stance on the treatment, or that none was found."""
    items = []
    for body in content.ladder.guidelines:
        stances = [g for g in t.guidelines if g.body == body.id]
        if not stances:
            items.append(f"<li><strong>{escape(body.label)}:</strong> no statement found in the reference sheet.</li>")
        for g in stances:
            items.append(
                f"<li><strong>{escape(body.label)}:</strong> <em>{escape(STANCE_LABELS[g.stance])}.</em> "
                f"{escape(g.text)} <small>[{escape(content.source_label(g.reference))}]</small></li>"
            )
    return (
        f'<div class="lb-guidelines"><p><strong>Guideline view: {escape(AGREEMENT_LABELS[t.agreement])}.</strong> '
        f"{escape(t.agreement_note)}</p><ul>{''.join(items)}</ul></div>"
    )


def treatment_card_html(content: Content, t: Treatment, guidelines: bool = True, figures: bool = True) -> str:
    figs = figure_table_html(content, t.figures) if figures and t.figures else ""
    return (
        f'<div class="lb-treatment" data-treatment="{escape(t.id)}" style="border:1px solid '
        f'var(--jp-border-color1,#bbb);border-radius:4px;padding:6px 10px;margin:6px 0">'
        f'<h3 style="margin:4px 0">{escape(t.name)} {evidence_badge(t)}</h3>'
        f"<p><small>Rung: {escape(RUNG_LABELS[t.rung])}</small></p>"
        f"<p>{escape(t.summary)}</p>"
        + _p("What it does", t.mechanism)
        + _p("For whom", t.indications)
        + _p("Limits", t.limits)
        + _p("Typical number of sessions", t.sessions)
        + _p("When to step up", t.step_up)
        + f"<p><strong>Best evidence.</strong> {escape(t.evidence or NOT_STATED)} {evidence_badge(t)}</p>"
        + harms_html(content, t)
        + figs
        + (guideline_list_html(content, t) if guidelines else "")
        + f"<p><small>Sources: {_sources(content.source_label(x) for x in t.sources)}</small></p></div>"
    )


def harms_html(content: Content, t: Treatment, heading: bool = True) -> str:
    """What can go wrong and how often, each with its source; where the reference sheet has no figure, it says so."""
    if not t.harms:
        return ""
    items = "".join(
        f"<li>{escape(h.text)} <em>How often:</em> "
        f"{escape(h.frequency) if h.frequency else 'the reference sheet gives no figure.'} "
        f"<small>[{_sources(content.source_label(x) for x in h.sources)}]</small></li>"
        for h in t.harms
    )
    title = "<p><strong>Harms and how often.</strong></p>" if heading else ""
    return f'<div class="lb-harms">{title}<ul>{items}</ul></div>'


def compare_html(content: Content, a: Treatment, b: Treatment, guidelines: bool = False) -> str:
    """Two treatments side by side, one row per question."""

    def stance(t: Treatment, body: str) -> str:
        found = [g for g in t.guidelines if g.body == body]
        return "; ".join(f"{STANCE_LABELS[g.stance]}: {g.text}" for g in found) or "No statement found."

    rows = [
        ("Rung", RUNG_LABELS[a.rung], RUNG_LABELS[b.rung]),
        ("What it does", a.mechanism, b.mechanism),
        ("For whom", a.indications, b.indications),
        ("Limits", a.limits, b.limits),
        ("Typical number of sessions", a.sessions, b.sessions),
        ("When to step up", a.step_up, b.step_up),
        ("Best evidence", a.evidence, b.evidence),
    ]
    if guidelines:
        rows += [(body.label, stance(a, body.id), stance(b, body.id)) for body in content.ladder.guidelines]
        rows.append(("Documents vs guidelines", f"{AGREEMENT_LABELS[a.agreement]}. {a.agreement_note}",
                     f"{AGREEMENT_LABELS[b.agreement]}. {b.agreement_note}"))
    body_rows = [[f"<strong>{escape(k)}</strong>", escape(x or NOT_STATED), escape(y or NOT_STATED)]
                 for k, x, y in rows]
    body_rows.insert(1, ["<strong>Evidence</strong>", evidence_badge(a), evidence_badge(b)])
    body_rows.append(["<strong>Harms and how often</strong>", harms_html(content, a, heading=False),
                      harms_html(content, b, heading=False)])
    return (
        '<div class="lb-compare">'
        + _table(f"{a.name} and {b.name}, side by side", ["Question", a.name, b.name], body_rows)
        + "</div>"
    )


def guideline_table_html(content: Content, treatment_ids: Iterable[str]) -> str:
    rows = []
    for tid in treatment_ids:
        t = content.treatments[tid]
        cells = [f"<strong>{escape(t.name)}</strong>"]
        for body in content.ladder.guidelines:
            found = [g for g in t.guidelines if g.body == body.id]
            cells.append("<br>".join(
                f"<em>{escape(STANCE_LABELS[g.stance])}.</em> {escape(g.text)} "
                f"<small>[{escape(content.source_label(g.reference))}]</small>" for g in found
            ) or "No statement found.")
        cells.append(f"<strong>{escape(AGREEMENT_LABELS[t.agreement])}.</strong> {escape(t.agreement_note)}")
        cells.append(evidence_badge(t))
        rows.append(cells)
    header = ["Treatment"] + [b.label for b in content.ladder.guidelines] + ["Documents vs guidelines", "Grade"]
    return _table("What the documents say against what the guidelines say", header, rows)


def ladder_html(rungs, selected: str, stopped: Triage | None) -> str:
    """The ladder drawn as stacked rungs, first rung at the bottom; the selected rung is marked in text."""
    items = []
    for r in reversed([r for r in rungs if r.id != "emergency"]):
        mark = " &#9664; selected" if r.id == selected else ""
        style = "font-weight:bold;border-width:3px" if r.id == selected else ""
        state = "blocked" if stopped else "open"
        items.append(
            f'<li class="lb-rung lb-rung-{state}" data-rung="{escape(r.id)}" style="border:1px solid currentColor;'
            f'border-radius:3px;margin:2px 0;padding:2px 8px;list-style:none;{style}">'
            f"{escape(r.label)} <small>({len(r.treatments)} treatments)</small>{mark}</li>"
        )
    banner = ""
    if stopped:
        kind, word = TRIAGE_VERDICT.get(stopped.level, ("info", "NOTE"))
        banner = (
            '<div class="lb-red-flag">' + verdict_html(kind, f"CLIMB STOPPED: {word}", stopped.headline, alert=True)
            + flags_html(stopped.flags)
            + f"<ul>{''.join(f'<li>{escape(x)}</li>' for x in stopped.reasons)}</ul></div>"
        )
    return f'<div class="lb-ladder">{banner}<ol class="lb-rungs" reversed style="padding:0">{"".join(items)}</ol></div>'


def rung_html(info) -> str:
    """A rung: what the documents put on it, its treatments with their evidence grades, when to climb on."""
    treatments = "".join(f"<li>{escape(t.name)} {evidence_badge(t)}</li>" for t in info.treatments)
    return (
        f'<div class="lb-rung-details" data-rung="{escape(info.id)}"><h3 style="margin:4px 0">{escape(info.label)}</h3>'
        f"<p>{escape(info.summary)}</p>"
        f'<p><strong>Treatments on this rung.</strong></p><ul class="lb-rung-treatments">{treatments}</ul>'
        f"<p><strong>When the documents climb on.</strong> {escape(info.step_up)}</p>"
        f"<p><small>Sources: {_sources(info.sources)}</small></p></div>"
    )


# --- decision engine, triage and dosing ------------------------------------------------------------


def _treatment_name(content: Content, tid: str) -> str:
    t = content.treatments.get(tid)
    return t.name if t else tid


URGENCY_VERDICT = {  # urgency of a flag -> (status kind, word)
    "emergency": ("bad", "EMERGENCY"),
    "urgent": ("warn", "URGENT"),
    "referral": ("info", "REFER"),
    "review": ("info", "REVIEW"),
}


def flags_html(flags: Iterable[FlagAction]) -> str:
    """Each flag: how urgent (icon, word, colour), what to do now, how fast, and what the documents say."""
    cards = []
    for fl in flags:
        kind, word = URGENCY_VERDICT[fl.urgency]
        icon, colour = STATUS[kind]
        cards.append(
            f'<div class="lb-flag lb-flag-{escape(fl.urgency)}" data-flag="{escape(fl.kind)}" '
            f'style="border-left:6px solid {colour};padding:4px 10px;margin:6px 0">'
            f'<p style="margin:2px 0"><strong style="color:{colour}"><span aria-hidden="true">{icon}</span> '
            f"{word}: {escape(fl.label)}</strong> <small>({escape(', '.join(fl.findings))})</small></p>"
            f'<p style="margin:2px 0"><strong>What to do now.</strong> {escape(fl.now)}</p>'
            f'<p style="margin:2px 0"><strong>How fast.</strong> {escape(fl.timing)}</p>'
            f'<p style="margin:2px 0"><strong>What the documents say.</strong> {escape(fl.documents)}</p>'
            f'<p style="margin:2px 0"><small>Sources: {_sources(fl.sources)}</small></p></div>'
        )
    return f'<div class="lb-flags">{"".join(cards)}</div>' if cards else ""


def _lens(title: str, body: str, css: str) -> str:
    return (f'<div class="lb-lens {css}" style="flex:1 1 18em;min-width:0;max-width:100%;box-sizing:border-box;'
            'overflow-wrap:anywhere;border:1px solid var(--jp-border-color1,#bbb);border-radius:4px;padding:4px 10px">'
            f'<h4 style="margin:6px 0">{escape(title)}</h4>{body}</div>')


def conflicts_html(items: Iterable[tuple[str, str, str, str]], title: str) -> str:
    """Conflicts as cards, one per treatment (readable on a phone, unlike a four-column table): the treatment,
    the documents' position, the guidelines' position and the source."""
    icon, colour = STATUS["warn"]
    cards = "".join(
        f'<li class="lb-conflict" style="border-left:6px solid {colour};padding:2px 10px;margin:6px 0;list-style:none">'
        f'<strong><span aria-hidden="true" style="color:{colour}">{icon}</span> {escape(t)}</strong><br>'
        f"<strong>The documents:</strong> {escape(d)}<br><strong>The guidelines:</strong> {escape(g)} "
        f"<small>[{escape(src)}]</small></li>"
        for t, d, g, src in items
    )
    return f'<div class="lb-conflicts"><p><strong>{escape(title)}</strong></p><ul style="padding:0">{cards}</ul></div>'


def advice_html(content: Content, advice: Advice) -> str:
    """Both lenses side by side: the documents' next steps (each with the guidelines' stance beside it where they
    refuse it), the guidelines' next steps and what they do not offer, the conflicts, the flags and the reasons."""
    name = lambda t: escape(_treatment_name(content, t))  # noqa: E731
    g = advice.guidelines
    parts = []
    if advice.urgency == "emergency":
        parts.append(verdict_html("bad", "EMERGENCY", "A red flag: leave the ladder. Both lenses stop here; what to "
                                  "do now and how fast are below.", alert=True))
    elif advice.urgency == "urgent":
        parts.append(verdict_html("warn", "URGENT", "A flag for serious pathology: assess promptly before any "
                                  "treatment on the ladder. What to do and how fast are below.", alert=True))
    elif advice.conflicts:
        parts.append(verdict_html("warn", "CONFLICT", f"The documents and the guidelines differ on "
                                  f"{len(advice.conflicts)} treatment{'s' if len(advice.conflicts) > 1 else ''}: "
                                  + ", ".join(_treatment_name(content, c.treatment) for c in advice.conflicts) + "."))
    else:
        parts.append(verdict_html("ok", "AGREED", "No treatment here that one lens offers and the other refuses."))
    parts.append(flags_html(advice.flags))

    docs = []
    for t in advice.next_steps:
        refused = g.refused(t)
        beside = (f'<br><span class="lb-guideline-stance"><strong style="color:var(--jp-warn-color1,#a35200)">'
                  f'<span aria-hidden="true">&#9888;</span> Guidelines: do not offer.</strong> '
                  f"{escape(refused.reason)} <small>[{escape(refused.source)}]</small></span>") if refused else ""
        docs.append(f"<li>{name(t)}{beside}</li>")
    docs_body = (f'<p><strong>Next steps</strong></p><ol class="lb-next-steps">{"".join(docs)}</ol>' if docs else
                 '<p class="lb-next-steps"><strong>Next steps:</strong> the documents name none for these '
                 "findings.</p>")
    if advice.avoid:
        docs_body += ('<p><strong>Not now, and why</strong></p><ul class="lb-avoid">' + "".join(
            f"<li><strong>{name(a.treatment)}</strong>: {escape(a.reason)}</li>" for a in advice.avoid) + "</ul>")
    if advice.next_surgery_success is not None:
        docs_body += (
            f'<p class="lb-surgery-odds"><strong>If another operation were done:</strong> about '
            f"{advice.next_surgery_success:.0%} succeed by S2's figures (attributed to Daniell 2018; the reference "
            "sheet could not confirm them, and Waddell 1979 found about 40% for second operations).</p>"
        )
    guide = "".join(f"<li>{name(t)}</li>" for t in g.next_steps)
    guide_body = f'<p><strong>Next steps</strong></p><ol class="lb-guideline-steps">{guide}</ol>'
    if g.do_not_offer:
        guide_body += ('<p><strong>Do not offer</strong></p><ul class="lb-do-not-offer">' + "".join(
            f"<li><strong>{name(d.treatment)}</strong>: {escape(d.reason)} <small>[{escape(d.source)}]</small></li>"
            for d in g.do_not_offer) + "</ul>")
    if advice.referral:
        guide_body += ('<p><strong>Refer</strong></p><ul class="lb-referral">'
                       + "".join(f"<li>{escape(r)}</li>" for r in advice.referral) + "</ul>")
    parts.append('<div class="lb-lenses" style="display:flex;flex-wrap:wrap;gap:10px">'
                 + _lens("What the documents would do (rules D1-D20)", docs_body, "lb-lens-documents")
                 + _lens("What the guidelines would do (NICE, ACP, Cochrane; rules G1-G11)", guide_body,
                         "lb-lens-guidelines") + "</div>")
    if advice.conflicts:
        parts.append(conflicts_html(((_treatment_name(content, c.treatment), c.documents, c.guidelines, c.source)
                                     for c in advice.conflicts), "Where the documents and the guidelines differ"))
    why = "".join(f"<li>{escape(line)}</li>" for line in advice.rationale)
    parts.append(f'<p><strong>Why, by the documents: each line names its rule and source</strong></p>'
                 f'<ul class="lb-rationale">{why}</ul>')
    gwhy = "".join(f"<li>{escape(line)}</li>" for line in g.rationale
                   if not line.startswith(("Flag:", "Red flag:")))  # the flags are shown above
    if gwhy:
        parts.append(f'<p><strong>Why, by the guidelines</strong></p><ul class="lb-guideline-rationale">{gwhy}</ul>')
    return f'<div class="lb-advice">{"".join(parts)}</div>'


TRIAGE_VERDICT = {"emergency": ("bad", "EMERGENCY"), "urgent": ("warn", "URGENT")}


def triage_html(t: Triage) -> str:
    if t.level in TRIAGE_VERDICT:
        kind, word = TRIAGE_VERDICT[t.level]
    else:
        kind, word = ("info", "NOT AN EMERGENCY, BUT FOLLOW UP") if t.flags else ("ok", "NOT AN EMERGENCY")
    reasons = "".join(f"<li>{escape(r)}</li>" for r in t.reasons)
    return (
        f'<div class="lb-triage lb-triage-{escape(t.level)}">'
        + verdict_html(kind, word, t.headline, alert=t.level != "ladder")
        + flags_html(t.flags)
        + f'<p style="margin:4px 0"><strong>The documents\' lens.</strong></p><ul class="lb-triage-reasons">'
        f"{reasons}</ul></div>"
    )


def dose_html(r: DoseResult, dosing: DosingFile, source_label) -> str:
    """The dose, its verdict (icon, word, colour), each limit, trigger point practice, and the toxicity panel with
    the lipid emulsion dose for the weight."""
    kind, word = {"within": ("ok", "WITHIN EVERY LIMIT"), "over": ("bad", "OVER THE LIMIT"),
                  "cannot_judge": ("warn", "CANNOT JUDGE")}[r.verdict]
    earlier = f", plus {r.earlier_mg:g} mg of the same drug in the last 4 hours" if r.earlier_mg else ""
    head = (f'<p class="lb-dose-total"><strong>{escape(r.drug)}: {r.dose_mg:g} mg</strong> '
            f"({r.percent:g}% is {r.mg_per_ml:g} mg per mL, times {r.ml:g} mL{escape(earlier)}).</p>")
    marks = {True: ("ok", "within"), False: ("bad", "OVER"), None: ("warn", "needs the weight")}
    items = []
    for c in r.checks:  # a list, not a five-column table, so that it reads on a phone
        k, w = marks[c.within]
        icon, colour = STATUS[k]
        items.append(f'<li class="lb-dose-limit"><strong style="color:{colour}"><span aria-hidden="true">{icon}</span> '
                     f"{w}:</strong> {escape(c.limit)}, {escape(c.figure)}; compared with {c.amount_mg:g} mg "
                     f"<small>[{escape(c.source)}]</small></li>")
    table = f'<p><strong>Checked against</strong></p><ul class="lb-dose-limits">{"".join(items)}</ul>'
    practice = (verdict_html("warn", "FAR ABOVE TRIGGER POINT PRACTICE", r.practice, "lb-dose-practice")
                if r.far_above_practice else f'<p class="lb-dose-practice">{escape(r.practice)}</p>')
    tox = dosing.toxicity
    lp = r.lipid
    lis = lambda xs: ", ".join(escape(x) for x in xs)  # noqa: E731
    panel = (
        '<div class="lb-toxicity" style="border:1px solid var(--jp-border-color1,#bbb);border-radius:4px;'
        'padding:4px 10px;margin:6px 0"><h4 style="margin:6px 0">If local anaesthetic toxicity happens</h4>'
        f"<p><small>{escape(tox.frequency)}</small></p>"
        f"<p><strong>Signs S4 lists:</strong> {lis(tox.documents_signs)}.</p>"
        f"<p><strong>Early (brain):</strong> {lis(tox.early_signs)}. <strong>Late:</strong> {lis(tox.late_signs)}. "
        f"<strong>Heart and circulation:</strong> {lis(tox.cardiovascular_signs)}; bupivacaine is the most "
        "cardiotoxic.</p>"
        f'<p><strong>What to do.</strong></p><ol>{"".join(f"<li>{escape(x)}</li>" for x in tox.treatment)}</ol>'
        f'<div class="lb-lipid"><p><strong>20% lipid emulsion'
        f'{escape(f" at {r.weight_kg:g} kg" if r.weight_kg else " (no weight entered)")}</strong> '
        f"<small>[{escape(lp.source)}]</small></p><ul><li><strong>Bolus:</strong> {escape(lp.bolus)}</li>"
        f"<li><strong>Then an infusion:</strong> {escape(lp.infusion)}</li>"
        f"<li><strong>In all:</strong> {escape(lp.ceiling)}</li><li>{escape(lp.unstable)}</li></ul></div>"
        f"<p><strong>Avoid:</strong> {escape(tox.avoid)}</p>"
        f"<p><small>Sources: {_sources(source_label(x) for x in tox.sources)}</small></p></div>"
    )
    return (
        '<div class="lb-dose">'
        + verdict_html(kind, word, r.reason, "lb-dose-verdict", alert=r.verdict == "over")
        + head + table + practice
        + f"<p><small>{escape(r.note)}</small></p>" + panel
        + f"<p><em>{escape(dosing.caution)}</em></p></div>"
    )
