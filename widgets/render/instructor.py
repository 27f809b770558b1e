"""HTML for the instructor's view: notes, timing plans, discussion questions and the answer keys.

Pure functions from the notes and the content to escaped HTML strings; headings are h3 and h4."""

from __future__ import annotations

from widgets.content.loader import Content
from widgets.content.notes import LessonNotes
from widgets.models.answer_keys import CaseKey, QuestionKey, source_labels
from widgets.render.html import CELL, MODALITY, TABLE, escape

BOX = 'style="border:1px solid var(--jp-border-color1,#bbb);border-radius:4px;padding:6px 12px;margin:8px 0"'


def sources(labels: tuple[str, ...] | list[str]) -> str:
    return f" <small>(Sources: {escape('; '.join(labels))})</small>" if labels else ""


def lesson_header_html(content: Content, lesson: str) -> str:
    les = content.lessons[lesson]
    before = ", ".join(les.prerequisites) or "none"
    return (
        f'<h3 class="lb-instructor-title">Lesson {escape(les.id)}: {escape(les.title)}</h3>'
        f"<p>{escape(les.summary)} <em>Self-study time {les.minutes} minutes; comes after: {escape(before)}.</em></p>"
    )


def teaching_points_html(content: Content, notes: LessonNotes) -> str:
    items = "".join(
        f'<li class="lb-teaching-point"><strong>{escape(tp.point)}</strong> {escape(tp.detail)}'
        f"{sources(source_labels(content, tp.sources))}</li>"
        for tp in notes.teaching_points
    )
    return f'<h4>Teaching points</h4><ol class="lb-teaching-points">{items}</ol>'


def timing_html(notes: LessonNotes) -> str:
    rows, clock = [], 0
    for seg in notes.timing.segments:
        cells = (str(clock), str(seg.minutes), escape(seg.activity))
        rows.append("<tr>" + "".join(f"<td {CELL}>{c}</td>" for c in cells) + "</tr>")
        clock += seg.minutes
    rows.append(f"<tr><td {CELL}><strong>{clock}</strong></td><td {CELL}><strong>{notes.timing.total}</strong></td>"
                f"<td {CELL}><strong>End of the session</strong></td></tr>")
    head = "".join(f"<th {CELL}>{h}</th>" for h in ("Starts at (min)", "Minutes", "What happens"))
    return (
        f"<h4>Timing plan: {notes.timing.total} minutes</h4>"
        f'<div class="lb-timing"><table {TABLE}><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def discussion_html(content: Content, notes: LessonNotes) -> str:
    items = []
    for dq in notes.discussion:
        covers = "".join(f"<li>{escape(point)}</li>" for point in dq.good_answer)
        items.append(
            f'<li class="lb-discussion-question"><p><strong>{escape(dq.question)}</strong></p>'
            f"<p>A good answer covers:</p><ul>{covers}</ul>{sources(source_labels(content, dq.sources))}</li>"
        )
    return f'<h4>Discussion questions</h4><ol class="lb-discussion">{"".join(items)}</ol>'


def lesson_notes_html(content: Content, notes: LessonNotes) -> str:
    """One lesson's notes: header, teaching points, timing plan and discussion questions."""
    return (
        f'<div class="lb-instructor-notes" data-lesson="{escape(notes.lesson)}">'
        f"{lesson_header_html(content, notes.lesson)}{teaching_points_html(content, notes)}"
        f"{timing_html(notes)}{discussion_html(content, notes)}</div>"
    )


def self_check_key_html(content: Content, lesson: str, keys: list[QuestionKey], heading: str = "h4") -> str:
    """The correct answer to each self-check question of one lesson, with why."""
    title = f"Self-check key, lesson {escape(lesson)}: {escape(content.lessons[lesson].title)}"
    items = "".join(
        f'<li class="lb-key-question"><p>{escape(k.prompt)}</p>'
        f"<p><strong>Answer</strong> (option {k.position} of {k.choices} as learners see them): "
        f'<span class="lb-key-answer">{escape(k.answer)}</span></p>'
        f"<p><strong>Why:</strong> {escape(k.why)}{sources(k.sources)}</p></li>"
        for k in keys
    )
    return f'<div class="lb-self-check-key"><{heading}>{title}</{heading}><ol>{items}</ol></div>'


def case_key_html(entries: list[CaseKey]) -> str:
    """Every case with its hidden answer: generators, red flags, what it teaches, why, and the scans."""
    parts = []
    for k in entries:
        scans = "".join(
            f"<li><strong>{escape(MODALITY.get(sc.modality, sc.modality))}</strong>, "
            f"{'explains the pain' if sc.explains else 'incidental (does not explain the pain)'}: "
            f"{escape(sc.report)} <em>{escape(sc.teaching)}</em></li>"
            for sc in k.scans
        ) or "<li>No imaging in the case file.</li>"
        flags = escape(", ".join(k.red_flags)) if k.red_flags else "none"
        parts.append(
            f'<div class="lb-case-key" data-case="{escape(k.id)}" {BOX}>'
            f"<h3>{escape(k.title)}</h3><p><em>{escape(k.summary)}</em> <small>(file: {escape(k.id)}.yaml)</small></p>"
            f"<p><strong>Hidden generator:</strong> {escape(', '.join(k.generators))}. "
            f"<strong>Red flags:</strong> {flags}.</p>"
            f"<p><strong>What it teaches:</strong> {escape(k.teaches)}{sources(k.teaches_sources)}</p>"
            f'<p class="lb-case-explanation"><strong>Why:</strong> {escape(k.explanation)}</p>'
            f"<p><strong>The scans:</strong></p><ul>{scans}</ul>"
            f"<p>{sources(k.sources)}</p></div>"
        )
    return f'<div class="lb-case-keys">{"".join(parts)}</div>'
