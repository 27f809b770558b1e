"""HTML for the case presenter: slides, the documents' answer, the session code, the live bar chart and the
reveal, in the projector's type size."""

from __future__ import annotations

from collections.abc import Iterable

from widgets.content.loader import Content
from widgets.models.presenter import LETTERS, Deck
from widgets.render.html import MODALITY, escape
from widgets.stores import live

PROJECTOR = "font-size:1.7em;line-height:1.45"  # the presenter's body type: readable from the back row


def _options_html(options: Iterable[tuple[str, str]]) -> str:
    items = "".join(f"<li>{escape(label)}</li>" for _oid, label in options)
    return f'<ul class="lb-presenter-options" style="list-style:none;padding-left:0.5em">{items}</ul>'


def slide_html(deck: Deck, content: Content) -> str:
    """The current slide for the projector, in large type; the answer only on the last slide."""
    case, slide = deck.case, deck.slide
    p = case.presentation
    if slide.kind == "history":
        prior = "".join(f"<li>{escape(content.treatments[t.treatment].name)}: {escape(t.outcome)}</li>"
                        for t in case.prior_treatments) or "<li>Nothing yet.</li>"  # fmt: skip
        surgeries = f"<p>Earlier back operations: {case.prior_surgeries}.</p>" if case.prior_surgeries else ""
        body = (f'<p><strong>{escape(case.title)}</strong>. {escape(case.summary)}</p>'
                f"<p>{p.age}-year-old {escape(p.sex)}, for {p.weeks} week{'s' if p.weeks != 1 else ''}.</p>"
                f"<blockquote>{escape(p.history)}</blockquote>"
                f"<ul><li>Where: {escape(p.where)}</li><li>Spreads: {escape(p.spreads)}</li>"
                f"<li>Worse with: {escape(p.worse_with)}</li>"
                f"<li>Pain {case.baseline.pain:g} of 10; Oswestry Disability Index {case.baseline.function:g}%</li>"
                f"</ul><p>Tried so far:</p><ul>{prior}</ul>{surgeries}")  # fmt: skip
    elif slide.kind == "exam":
        body = "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in case.exam) + "</ul>"
    elif slide.kind == "imaging":
        body = ("<ul>" + "".join(f"<li><strong>{escape(MODALITY.get(r.modality, r.modality))}</strong>: "
                                 f"{escape(r.report)}</li>"
                                 for r in case.imaging) + "</ul>"
                if case.imaging else "<p>No scan has been done for this patient.</p>")  # fmt: skip
    elif slide.kind == "decision":
        d = slide.decision
        assert d is not None
        opts = [(o.id, f"{LETTERS[k]}. {o.label}") for k, o in enumerate(d.options)]
        body = f"<p><strong>{escape(content.humanise(d.prompt))}</strong></p>{_options_html(opts)}"
    else:
        body = answer_html(deck, content)
    return (f'<div class="lb-presenter-slide lb-slide-{slide.kind}" style="{PROJECTOR}">'
            f"<h3>{escape(slide.title)}</h3>{body}</div>")  # fmt: skip


def answer_html(deck: Deck, content: Content) -> str:
    """The last slide: the hidden generator, the case's explanation, what the scans showed, each decision's answer."""
    case = deck.case
    gens = ", ".join(content.conditions[g].name for g in case.truth.generators)
    flags = ", ".join(content.findings[f].label for f in case.red_flags)
    scans = "".join(
        f"<li><strong>{escape(MODALITY.get(r.modality, r.modality))}</strong> "
        f"({'incidental' if r.incidental else 'part of the answer'}): "
        f"{escape(content.humanise(r.teaching))}</li>"
        for r in case.imaging
    )
    decisions = ""
    for k, d in enumerate(deck.decisions):
        letter = LETTERS[[o.id for o in d.options].index(d.answer)]
        label = next(o.label for o in d.options if o.id == d.answer)
        decisions += (f"<li><strong>Decision {k + 1}:</strong> {escape(letter)}. {escape(label)}. "
                      f"{escape(content.humanise(d.evidence))}</li>")  # fmt: skip
    return (f"<p><strong>What was causing the pain:</strong> {escape(gens)}.</p>"
            + (f"<p><strong>Red flags present:</strong> {escape(flags)}.</p>" if flags else "")
            + f"<p>{escape(content.humanise(case.truth.explanation))}</p>"
            + (f"<p><strong>What the scans showed, and what they missed</strong></p><ul>{scans}</ul>" if scans else "")
            + (f"<p><strong>The decision points</strong></p><ol style=\"list-style:none;padding-left:0\">"
               f"{decisions}</ol>" if decisions else "")
            + "<p><small>Teaching material, not clinical advice.</small></p>")  # fmt: skip


def code_html(code: str, title: str) -> str:
    """The session code in very large type, spelled out for screen readers."""
    spelled = " ".join(code)
    return (f'<div class="lb-live-code" style="text-align:center;margin:0.3em 0">'
            f'<p style="font-size:1.6em;margin:0">Join the live session in lesson 08 with the code</p>'
            f'<p class="lb-live-code-value" aria-label="Session code {escape(spelled)}" style="font-size:6em;'
            f'font-weight:bold;letter-spacing:0.15em;font-family:monospace;margin:0;line-height:1.1">{escape(code)}</p>'
            f'<p style="font-size:1.3em;margin:0">{escape(title)}</p></div>')  # fmt: skip


def chart_html(step: live.StepState, large: bool = False) -> str:
    """The answers to one step as bars with the count and share in words; the documents' answer is named
    (with a tick and the words, never by colour alone) once the step state carries it."""
    counts = step.counts or {}
    total = sum(counts.values())
    rows = ""
    for oid, label in step.options:
        n = counts.get(oid, 0)
        pct = round(100 * n / total) if total else 0
        is_answer = step.answer == oid and step.revealed
        mark = " <strong>✓ the documents' answer</strong>" if is_answer else ""
        colour = "#1b6e3c" if is_answer else "#2f5d8a"
        rows += (f'<li class="lb-live-row" data-option="{escape(oid)}" style="margin:0.35em 0">'
                 f'<span class="lb-live-label">{escape(label)}</span>{mark}: '
                 f'<span class="lb-live-count">{n} answer{"" if n == 1 else "s"} ({pct}%)</span>'
                 f'<span class="lb-live-track" aria-hidden="true" style="display:block;width:100%;min-width:14em;'
                 f'max-width:40em;height:1em;margin-top:3px;background:rgba(127,127,127,.18);border:1px solid #222">'
                 f'<span class="lb-live-bar" style="display:block;height:100%;width:{pct}%;background:{colour}">'
                 f'</span></span></li>')  # fmt: skip
    size = ' style="font-size:1.5em"' if large else ""
    return (f'<div class="lb-live-chart" role="region" aria-label="Answers so far"{size}>'
            f'<p class="lb-live-total">{total} answer{"" if total == 1 else "s"} so far</p>'
            f'<ul style="list-style:none;padding-left:0;width:100%;max-width:48em">{rows}</ul></div>')  # fmt: skip


def reveal_html(step: live.StepState, large: bool = False) -> str:
    """The documents' answer and the evidence for a revealed step ('' before the reveal)."""
    if not step.revealed or step.answer is None:
        return ""
    label = dict(step.options).get(step.answer, step.answer)
    size = ' style="font-size:1.5em"' if large else ""
    return (f'<div class="lb-live-reveal" role="region" aria-label="The documents\' answer"{size}>'
            f"<p><strong>The documents' answer: {escape(label)}</strong></p>"
            f'<p class="lb-live-evidence">{escape(step.evidence or "")}</p>'
            "<p><small>Teaching material, not clinical advice.</small></p></div>")  # fmt: skip


# --- command line ----------------------------------------------------------------------------------------
