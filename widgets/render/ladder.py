"""HTML for the treatment ladder and the decision engine: treatment cards, harms, comparisons, the guidelines' table,
the rungs, red flags, both lenses with their conflicts, and triage."""

from __future__ import annotations

from collections.abc import Iterable

from widgets.content.loader import Content
from widgets.content.schema import Treatment
from widgets.models.ladder import Advice, Triage
from widgets.models.redflags import FlagAction
from widgets.render.html import RUNG_LABELS, STATUS, escape, evidence_badge, html_table, sources, verdict_html
from widgets.render.lessons import figure_table_html

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


def labelled(label: str, text: str) -> str:
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
        + labelled("What it does", t.mechanism)
        + labelled("For whom", t.indications)
        + labelled("Limits", t.limits)
        + labelled("Typical number of sessions", t.sessions)
        + labelled("When to step up", t.step_up)
        + f"<p><strong>Best evidence.</strong> {escape(t.evidence or NOT_STATED)} {evidence_badge(t)}</p>"
        + harms_html(content, t)
        + figs
        + (guideline_list_html(content, t) if guidelines else "")
        + f"<p><small>Sources: {sources(content.source_label(x) for x in t.sources)}</small></p></div>"
    )


def harms_html(content: Content, t: Treatment, heading: bool = True) -> str:
    """What can go wrong and how often, each with its source; where the reference sheet has no figure, it says so."""
    if not t.harms:
        return ""
    items = "".join(
        f"<li>{escape(h.text)} <em>How often:</em> "
        f"{escape(h.frequency) if h.frequency else 'the reference sheet gives no figure.'} "
        f"<small>[{sources(content.source_label(x) for x in h.sources)}]</small></li>"
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
        + html_table(f"{a.name} and {b.name}, side by side", ["Question", a.name, b.name], body_rows)
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
    return html_table("What the documents say against what the guidelines say", header, rows)


def ladder_html(rungs, selected: str, stopped: Triage | None) -> str:
    """The ladder drawn as stacked rungs, first rung at the bottom; the selected rung is marked in text."""
    items = []
    for r in reversed([r for r in rungs if r.id != "emergency"]):
        mark = " &#9664; selected" if r.id == selected else ""
        style = "font-weight:bold;border-width:3px" if r.id == selected else ""
        state = "blocked" if stopped else "open"
        items.append(
            f'<li class="lb-rung lb-rung-{state}" data-rung="{escape(r.id)}" style="border-left:3px solid currentColor;'
            f'margin:2px 0;padding:2px 8px;list-style:none;cursor:default;{style}">'
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
    return (f'<div class="lb-ladder">{banner}<ol class="lb-rungs" reversed style="padding:0">{"".join(items)}</ol>'
            '<p class="lb-hint"><small>The ladder, first rung at the bottom. Choose a rung from the Rung menu '
            "above.</small></p></div>")


def rung_html(info) -> str:
    """A rung: what the documents put on it, its treatments with their evidence grades, when to climb on."""
    treatments = "".join(f"<li>{escape(t.name)} {evidence_badge(t)}</li>" for t in info.treatments)
    return (
        f'<div class="lb-rung-details" data-rung="{escape(info.id)}"><h3 style="margin:4px 0">{escape(info.label)}</h3>'
        f"<p>{escape(info.summary)}</p>"
        f'<p><strong>Treatments on this rung.</strong></p><ul class="lb-rung-treatments">{treatments}</ul>'
        f"<p><strong>When the documents climb on.</strong> {escape(info.step_up)}</p>"
        f"<p><small>Sources: {sources(info.sources)}</small></p></div>"
    )


# --- decision engine, triage and dosing ------------------------------------------------------------


def treatment_name(content: Content, tid: str) -> str:
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
            f'<p style="margin:2px 0"><small>Sources: {sources(fl.sources)}</small></p></div>'
        )
    return f'<div class="lb-flags">{"".join(cards)}</div>' if cards else ""


def lens(title: str, body: str, css: str) -> str:
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
    name = lambda t: escape(treatment_name(content, t))  # noqa: E731
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
                                  + ", ".join(treatment_name(content, c.treatment) for c in advice.conflicts) + "."))
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
                 + lens("What the documents would do (rules D1-D20)", docs_body, "lb-lens-documents")
                 + lens("What the guidelines would do (NICE, ACP, Cochrane; rules G1-G11)", guide_body,
                         "lb-lens-guidelines") + "</div>")
    if advice.conflicts:
        parts.append(conflicts_html(((treatment_name(content, c.treatment), c.documents, c.guidelines, c.source)
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
