"""HTML for the blocks of a lesson page: disclaimer, course map, figures, references, glossary, the root table, the
anatomy and pain-pattern details, self-check feedback and content problems."""

from __future__ import annotations

from collections.abc import Iterable

from widgets.content.loader import Content, Problem
from widgets.models.anatomy import StructureDetails
from widgets.models.pain_patterns import PatternResult
from widgets.models.selfcheck import Feedback
from widgets.render.html import (
    DESIGN_LABELS,
    DIRECTION_LABELS,
    DIRECTION_MARKS,
    GRADE_LABELS,
    GRADE_MEANING,
    RUNG_LABELS,
    STATUS,
    escape,
    grade_badge,
    html_table,
    sources,
    without_echo,
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
    return html_table("The lessons, in teaching order", ["Lesson", "Title", "What it covers", "Time"], rows)


def source_documents_html(content: Content) -> str:
    rows = [
        [f"<strong>{escape(d.id)}</strong>", escape(d.title), escape(d.kind), escape(d.caution)]
        for d in content.documents.values()
    ]
    return html_table("The documents the course is built from", ["Tag", "Title", "What it is", "Read with care"], rows)


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
    certainty = html_table("How certain the evidence behind a figure is", ["Badge", "What it means"], rows)
    icons = [[f'<span aria-hidden="true" style="color:{DIRECTION_MARKS[d][1]}">{DIRECTION_MARKS[d][0]}</span> '
              f"{escape(DIRECTION_LABELS[d])}", escape(DIRECTION_MEANING[d])] for d in DIRECTION_MEANING]
    direction = html_table("Which way a treatment's evidence points (after the certainty on its badge, e.g. "
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
    return html_table("Figures, each with its source and the strength of the evidence", header, rows,
                      lead=header.index("Grade"))


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
        src = f" <small>({sources(content.source_label(s) for s in t.sources)})</small>" if t.sources else ""
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
    table = html_table(
        "L4, L5 and S1: where each root is felt, what it moves, which reflex it carries",
        ["Root", "Dermatome (skin)", "Myotome (muscles)", "Reflex", "Disc that usually compresses it"],
        rows,
    )
    return f"{table}<ul>{''.join(caveats)}</ul><p><small>Sources: {sources(srcs)}</small></p>"


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
        f"<p><small>Sources: {sources(d.sources)}</small></p></div>"
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
                f"<small>[{sources(r.sources)}]</small></li>"
                for r in c.reasons
            )
            caveat = (f'<p class="lb-caution"><strong><span aria-hidden="true">&#9888;</span> Caution:</strong> '
                      f"{escape(c.caveat)}</p>") if c.caveat else ""
            items.append(
                f'<li class="lb-candidate" data-generator="{escape(c.id)}"><strong>{escape(c.name)}</strong> '
                f"(score {c.score}; structures: {escape(', '.join(c.structures))})<ul>{reasons}</ul>{caveat}</li>"
            )
        parts.append(f"<ol class=\"lb-candidates\">{''.join(items)}</ol>")
    return "".join(parts)


RIGHT_WORDS = ("right", "correct", "yes", "exactly")  # how feedback for a right answer may begin
WRONG_WORDS = ("not quite", "no", "wrong", "incorrect")


def feedback_html(fb: Feedback) -> str:
    """Right or wrong by a mark, a word and a coloured edge together, then why; the explanation's own first word,
    when it only repeats the verdict, is left out."""
    verdict = "Correct." if fb.correct else "Not quite."
    mark = "&#10003;" if fb.correct else "&#10007;"
    icon_kind = "ok" if fb.correct else "bad"
    colour = STATUS[icon_kind][1]
    text = without_echo(fb.explanation, *(RIGHT_WORDS if fb.correct else WRONG_WORDS))
    return (
        f'<div class="lb-feedback lb-{"right" if fb.correct else "wrong"}" role="status" '
        f'style="border-left:6px solid {colour};padding:2px 8px;margin:4px 0">'
        f'<strong style="color:{colour}">{mark} {verdict}</strong> {escape(text)} '
        f"<small>(Sources: {sources(fb.sources)})</small></div>"
    )


def score_html(correct: int, answered: int, total: int) -> str:
    return f'<p class="lb-score">Answered {answered} of {total}; {correct} correct so far.</p>'


def problem_html(problems: list[Problem] | None, what: str, extra: str = "",
                 headline: str = "could not load its content") -> str:
    """The message shown in place of a widget whose content did not load (or that was asked for
    something the content does not have); `lowback check` lists every problem, the instructor's notes too."""
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in (problems or [])[:6])
    more = f"<li>and {len(problems) - 6} more</li>" if problems and len(problems) > 6 else ""
    return (
        '<div class="lb-problem" role="alert" style="border:2px solid var(--jp-error-color1,#b00);padding:8px">'
        f"<strong>The {escape(what)} {escape(headline)}.</strong> "
        "The rest of the page still works. An instructor can list every problem with "
        "<code>lowback check</code>."
        f"{escape(extra)}<ul>{items}{more}</ul></div>"
    )
