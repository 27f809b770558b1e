"""HTML for the root localiser: the verdict on the learner's root and disc, each finding read against the root
table, and the caveats with their sources. Everything passes through render/html.py's escape."""

from __future__ import annotations

from widgets.models.roots import Evidence, Localisation, QuizVerdict
from widgets.render.html import escape, html_table, sources, status_word, verdict_html

PROMPT = ("Tick what the examination found (or try a patient), choose the root and the disc you think are "
          "involved, then check your answer.")


def prompt_html() -> str:
    return f'<p class="lb-prompt lb-roots-prompt"><em>{escape(PROMPT)}</em></p>'


def vignette_html(title: str, story: str) -> str:
    """The patient loaded from the practice list, shown above the findings."""
    if not title:
        return ""
    return (f'<div class="lb-roots-vignette" style="margin:4px 0"><strong>{escape(title)}.</strong> '
            f"{escape(story)}</div>")


def _fit(e: Evidence) -> str:
    if e.fits is None:
        return status_word("info", "Does not localise" if e.kind == "tension" else "No root named")
    return status_word("ok", "Fits") if e.fits else status_word("bad", "Points elsewhere")


def localisation_html(loc: Localisation) -> str:
    """The model's answer: its sentence, a table of the findings against the root table, and the caveats."""
    parts = [f'<p class="lb-roots-summary"><strong>{escape(loc.summary)}</strong></p>']
    if loc.root:
        parts.append(f'<p class="lb-roots-disc">Disc: {escape(loc.disc_text)} <small>(root table)</small></p>')
    if loc.evidence:
        rows = [[escape(e.label), escape(", ".join(e.roots)), _fit(e),
                 escape(e.row) + (f"<br><small>{escape(e.note)}</small>" if e.note else ""),
                 f"<small>{sources(e.sources)}</small>"] for e in loc.evidence]
        parts.append(html_table("Each finding against the root table",
                                ["Finding", "Points to", "Against the answer", "What the root table says",
                                 "Sources"], rows, lead=0))
    if loc.caveats:
        items = "".join(f"<li>{escape(c.text)} <small>(Sources: {sources(c.sources)})</small></li>"
                        for c in loc.caveats)
        parts.append(f'<h4 style="margin:0.6em 0 0.2em">Caveats</h4><ul class="lb-roots-caveats">{items}</ul>')
    return "".join(parts)


def quiz_html(verdict: QuizVerdict) -> str:
    """The verdict (icon, word and colour), then the model's full answer."""
    return verdict_html(verdict.kind, verdict.word, verdict.text, css="lb-roots-verdict") + localisation_html(
        verdict.answer)
