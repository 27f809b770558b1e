"""HTML for the dose check's verdict."""

from __future__ import annotations

from widgets.content.numbers import number
from widgets.content.schema import DosingFile
from widgets.models.dosing import DoseResult
from widgets.render.html import escape, sources, status_word, verdict_html


def dose_html(r: DoseResult, dosing: DosingFile, source_label) -> str:
    """The dose, its verdict (icon, word, colour), each limit, trigger point practice, and the toxicity panel with
    the lipid emulsion dose for the weight."""
    kind, word = {"within": ("ok", "WITHIN EVERY LIMIT"), "over": ("bad", "OVER THE LIMIT"),
                  "cannot_judge": ("warn", "CANNOT JUDGE")}[r.verdict]
    earlier = f", plus {number(r.earlier_mg)} mg of the same drug in the last 4 hours" if r.earlier_mg else ""
    head = (f'<p class="lb-dose-total"><strong>{escape(r.drug)}: {number(r.dose_mg)} mg</strong> '
            f"({number(r.percent)}% is {number(r.mg_per_ml)} mg per mL, times {number(r.ml)} mL{escape(earlier)}).</p>")
    marks = {True: ("ok", "within"), False: ("bad", "OVER"), None: ("warn", "needs the weight")}
    items = []
    for c in r.checks:  # a list, not a five-column table, so that it reads on a phone
        items.append(f'<li class="lb-dose-limit">{status_word(*marks[c.within])}: '
                     f"{escape(c.limit)}, {escape(c.figure)}; compared with {number(c.amount_mg)} mg "
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
        f'{escape(f" at {number(r.weight_kg)} kg" if r.weight_kg else " (no weight entered)")}</strong> '
        f"<small>[{escape(lp.source)}]</small></p><ul><li><strong>Bolus:</strong> {escape(lp.bolus)}</li>"
        f"<li><strong>Then an infusion:</strong> {escape(lp.infusion)}</li>"
        f"<li><strong>In all:</strong> {escape(lp.ceiling)}</li><li>{escape(lp.unstable)}</li></ul></div>"
        f"<p><strong>Avoid:</strong> {escape(tox.avoid)}</p>"
        f"<p><small>Sources: {sources(source_label(x) for x in tox.sources)}</small></p></div>"
    )
    return (
        '<div class="lb-dose">'
        + verdict_html(kind, word, r.reason, "lb-dose-verdict", alert=r.verdict == "over")
        + head + table + practice
        + f"<p><small>{escape(r.note)}</small></p>" + panel
        + f"<p><em>{escape(dosing.caution)}</em></p></div>"
    )
