"""HTML for the case simulator and the cohort view: the case as the learner sees it, the course week by
week, the debrief, the cohort comparison and the table of assumptions. Pure functions of the models'
output; every string from content is escaped. Charts are inline SVG with a text alternative and the
numbers in a table, so nothing depends on colour or on seeing the chart."""

from __future__ import annotations

from widgets.content import schema as s
from widgets.content.loader import Content
from widgets.models.debrief import Debrief
from widgets.models.simulator import Course, Model, Summary
from widgets.render.html import MODALITY, escape, html_table, status_word, verdict_html
from widgets.render.ladder import conflicts_html, flags_html

# Colour and dash: the lines differ in both. Both colours keep at least 3:1 contrast on the light and the
# dark theme's backgrounds (white, #111, #212121), so either theme shows the lines clearly.
SERIES_STYLE = (("#2f74d0", ""), ("#c0601c", "6 4"))


def line_chart(title: str, x: list[float], series: list[tuple[str, list[float]]], y_max: float,
               y_label: str, band: tuple[list[float], list[float]] | None = None, width: int = 560,
               height: int = 220) -> str:
    """An SVG line chart with labelled axes; the lines differ in dash as well as colour."""
    left, right, top, bottom = 44, 12, 12, 34
    pw, ph = width - left - right, height - top - bottom
    x_max = max(x[-1], 1.0) if x else 1.0

    def px(v: float) -> float:
        return left + pw * v / x_max

    def py(v: float) -> float:
        return top + ph * (1 - min(max(v, 0.0), y_max) / y_max)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(title)}" class="lb-chart" '
             f'style="max-width:100%;height:auto;font-size:11px">', f"<title>{escape(title)}</title>"]
    for i in range(5):
        v = y_max * i / 4
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                     f'stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end" fill="currentColor">{v:g}</text>')
    step = 4 if x_max <= 26 else 13 if x_max <= 104 else 26
    tick = 0.0
    while tick <= x_max + 1e-9:
        parts.append(f'<text x="{px(tick):.1f}" y="{top + ph + 14}" text-anchor="middle" '
                     f'fill="currentColor">{tick:g}</text>')
        tick += step
    parts.append(f'<text x="{left + pw / 2}" y="{height - 4}" text-anchor="middle" fill="currentColor">weeks</text>')
    parts.append(f'<text x="10" y="{top + ph / 2}" transform="rotate(-90 10 {top + ph / 2})" text-anchor="middle" '
                 f'fill="currentColor">{escape(y_label)}</text>')
    if band is not None:
        lo, hi = band
        pts = [f"{px(a):.1f},{py(b):.1f}" for a, b in zip(x, hi, strict=True)] + \
              [f"{px(a):.1f},{py(b):.1f}" for a, b in reversed(list(zip(x, lo, strict=True)))]
        parts.append(f'<polygon points="{" ".join(pts)}" fill="{SERIES_STYLE[0][0]}" fill-opacity="0.12"/>')
    for k, (_name, ys) in enumerate(series):
        colour, dash = SERIES_STYLE[k % 2]
        pts = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in zip(x, ys, strict=True))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5" '
                     f'stroke-dasharray="{dash}"/>')
    parts.append("</svg>")
    legend = " ".join(
        f'<span style="white-space:nowrap;margin-right:1em"><svg width="28" height="10" aria-hidden="true">'
        f'<line x1="0" x2="28" y1="5" y2="5" stroke="{SERIES_STYLE[k % 2][0]}" stroke-width="2.5" '
        f'stroke-dasharray="{SERIES_STYLE[k % 2][1]}"/></svg> {escape(name)}'
        f'{" (dashed)" if k % 2 else " (solid)"}</span>'
        for k, (name, _) in enumerate(series))
    return f'<figure style="margin:0.4em 0">{"".join(parts)}<figcaption>{legend}</figcaption></figure>'


BAR_PX = 220  # the length of a full bar


def row_peak(a: float, b: float, share: bool) -> float:
    """Where a row's axis ends. Each outcome has its own axis: a share runs from 0 to 100%, so a full bar means
    everyone; a count or a cost runs to the larger of the two strategies. Outcomes in different units never
    share a scale (a 100% share drawn shorter than a cost of 12.8 units said the opposite of the numbers)."""
    return 1.0 if share else max(a, b, 1e-9)


def bar_px(value: float, peak: float) -> int:
    """The bar for VALUE on an axis ending at PEAK, in pixels; anything above zero shows (2 px at least)."""
    if value <= 0:
        return 0
    return max(2, round(BAR_PX * min(value, peak) / peak))


def bar_rows(title: str, rows: list[tuple[str, float, float, str]], unit: str) -> str:
    """Two strategies side by side as horizontal bars with the number written next to each bar. A row whose
    format is a percentage is a share (its axis is 0 to 100%); any other row is scaled to its larger value."""
    out = [f'<table class="lb-bars" style="border-collapse:collapse;margin:0.4em 0"><caption '
           f'style="text-align:left;font-weight:bold">{escape(title)}</caption>']
    for label, a, b, fmt in rows:
        peak = row_peak(a, b, share=fmt.endswith("%}"))
        cells = []
        for k, v in enumerate((a, b)):
            colour, dash = SERIES_STYLE[k]
            pattern = "" if not dash else ";background-image:repeating-linear-gradient(45deg,transparent 0 4px," \
                                          "rgba(255,255,255,.55) 4px 7px)"
            cells.append(f'<div style="display:flex;align-items:center;gap:6px"><span class="lb-bar" style="'
                         f'display:inline-block;height:12px;width:{bar_px(v, peak)}px;background:{colour}{pattern}">'
                         f'</span><span>{"AB"[k]}: {fmt.format(v)}</span></div>')
        out.append(f'<tr><th scope="row" style="text-align:left;padding:4px 10px 4px 0;font-weight:normal">'
                   f'{escape(label)}</th><td>{"".join(cells)}</td></tr>')
    out.append(f"</table><p style='margin:0;font-size:0.9em'>{escape(unit)} Each row has its own scale: a share "
               "runs from 0 to 100%; a count or a cost runs to the larger of the two.</p>")
    return "".join(out)


# --- one patient -------------------------------------------------------------------------------------


def case_intro_html(content: Content, case: s.Case) -> str:
    p = case.presentation
    prior = "".join(f"<li>{escape(content.treatments[pt.treatment].name)}: {escape(pt.outcome)}</li>"
                    for pt in case.prior_treatments) or "<li>None</li>"
    ops = f"{case.prior_surgeries} earlier back operation(s)." if case.prior_surgeries else "No earlier back operation."
    return (
        f'<div class="lb-case-intro"><h3 style="margin:0.3em 0">{escape(case.title)}</h3>'
        f"<p><strong>{p.age}-year-old {escape(p.sex)}</strong>, symptoms for {p.weeks} week(s).</p>"
        f"<p><strong>History.</strong> {escape(p.history)}</p>"
        f"<p><strong>Where it hurts:</strong> {escape(p.where)}. "
        f"<strong>Where it spreads:</strong> {escape(p.spreads)}. "
        f"<strong>Worse with:</strong> {escape(p.worse_with)}.</p>"
        f"<p><strong>Today:</strong> pain {case.baseline.pain:g} of 10; Oswestry Disability Index "
        f"{case.baseline.function:g}% (higher means more disabled). {ops}</p>"
        f"<p><strong>Treatment so far:</strong></p><ul>{prior}</ul></div>"
    )


def exam_html(case: s.Case) -> str:
    items = "".join(f"<li>{escape(e)}</li>" for e in case.exam)
    return f'<div class="lb-case-exam"><h4>Examination</h4><ul>{items}</ul></div>'


def imaging_html(case: s.Case) -> str:
    if not case.imaging:
        return ('<div class="lb-case-imaging"><h4>Imaging</h4><p>No scan has been done for this patient, and none '
                "is on file to request.</p></div>")
    items = "".join(f"<li><strong>{escape(MODALITY.get(r.modality, r.modality))}:</strong> {escape(r.report)}</li>"
                    for r in case.imaging)
    return (f'<div class="lb-case-imaging"><h4>Imaging reports</h4><ul>{items}</ul><p style="font-size:0.9em">'
            "What each finding means for this patient, and what the scan cannot show, is explained in the "
            "debrief.</p></div>")


def course_html(course: Course) -> str:
    c = course
    chart = line_chart("Pain (0-10) and disability (ODI divided by 10) week by week", c.weeks,
                       [("Pain, 0-10", c.pain), ("Disability: ODI / 10", [f / 10 for f in c.function])],
                       10, "score") if len(c.weeks) > 1 else ""
    events = "".join(f"<li>Week {e.week:g}: {escape(e.text)}</li>" for e in c.events) or \
        '<li class="lb-hint">Nothing yet: take the history, examine, then choose.</li>'
    now_p, now_f = c.pain[-1], c.function[-1]
    status = (f"<p class='lb-course-status'><strong>Week {c.weeks_elapsed:g}:</strong> pain {now_p:g} of 10, "
              f"ODI {now_f:g}%. Spent: {c.cost:g} cost units, {c.patient_days:g} days of the patient's time; "
              f"{len(c.procedures)} procedure(s), {len(c.complications)} complication(s).</p>")
    table = html_table("Pain and disability by week", ["Week", "Pain (0-10)", "ODI (%)"],
                   [[f"{wk:g}", f"{p:g}", f"{f:g}"] for wk, p, f in zip(c.weeks, c.pain, c.function, strict=True)])
    return (f'<div class="lb-course">{status}{chart}<h4>What happened</h4><ol class="lb-events">{events}</ol>'
            f'<details><summary>The numbers week by week</summary>{table}</details></div>')


VERDICT_MARK = {"good": ("ok", "Good"), "fair": ("warn", "Fair"), "poor": ("bad", "Poor"),
                "not scored": ("info", "Not scored")}  # a debrief verdict: (status kind, word)


def debrief_html(d: Debrief) -> str:
    outcome = {"referred": "Referred on the emergency or urgent pathway.",
               "missed_red_flag": "Outcome: a red flag was missed.",
               "finished": "The patient was followed to the end.",
               "ongoing": "The case is still going."}[d.outcome]
    scores = html_table("Your path, scored", ["Measure", "Result", "Verdict", "Why"],
                    [[escape(sc.name.capitalize()), escape(sc.value), status_word(*VERDICT_MARK[sc.verdict]),
                      escape(sc.reason)] for sc in d.scores])
    path = html_table("Your choices against the two lenses",
                  ["Choice", "Rung", "Fits the generator?", "The documents (D1-D20)", "The guidelines (G1-G11)",
                   "Stances (NICE, ACP, Cochrane)"],
                  [[escape(p.name), escape(p.rung.replace("_", " ")),
                    status_word("ok", "yes") if p.fits else status_word("warn", "no"), escape(p.engine),
                    escape(p.guideline_engine), escape(p.guidelines)] for p in d.path]) if d.path else \
        "<p>You made no choice.</p>"
    notes = "".join(f"<li>{escape(n)}</li>" for n in d.notes)
    advice = ", ".join(escape(a) for a in d.advice) or "none named by the documents"
    gadvice = ", ".join(escape(a) for a in d.guideline_advice) or "none"
    avoid = "".join(f"<li>{escape(a)}</li>" for a in d.avoid)
    dno = "".join(f"<li>{escape(a)}</li>" for a in d.do_not_offer)
    why = "".join(f"<li>{escape(r)}</li>" for r in d.rationale)
    gwhy = "".join(f"<li>{escape(r)}</li>" for r in d.guideline_rationale)
    conflicts = conflicts_html(((c.treatment, c.documents, c.guidelines, c.source) for c in d.conflicts),
                               "Where the documents and the guidelines differ for this patient") if d.conflicts else ""
    referral = "".join(f"<li>{escape(r)}</li>" for r in d.referral)
    steps = html_table("Your path against the guidelines' path, step by step", ["Step", "You", "The guidelines",
                                                                              "Your step"],
                   [[str(i), escape(y), escape(g), escape(v)] for i, (y, g, v) in enumerate(d.side_by_side, start=1)]) \
        if d.side_by_side else ""
    sb = d.start_back
    start_back = (f'<p class="lb-debrief-startback"><strong>STarT Back group: {escape(sb.group)} risk</strong> (total '
                  f"{sb.total} of 9, psychosocial {sb.psychosocial} of 5, from the patient's answers). Matched care: "
                  f"{escape(sb.care)} <small>[{escape('; '.join(sb.sources))}]</small></p>") if sb else ""
    att = d.attending
    attending = (
        '<div class="lb-attending" style="border-left:6px solid var(--jp-info-color1,#0b61a4);padding:4px 10px;'
        'margin:8px 0"><h4 style="margin:4px 0">What an attending would add</h4>'
        f'<p><strong>The words to use.</strong> <q class="lb-attending-words">{escape(att.words)}</q></p>'
        f"<p><strong>Safety-netting: what should bring them back, and how fast.</strong> {escape(att.safety_net)}</p>"
        f"<p><strong>What to document.</strong> {escape(att.document)}</p>"
        f"<p><small>Sources: {escape('; '.join(att.sources))}</small></p></div>") if att else ""
    scans = "".join(
        f"<li><strong>{escape(MODALITY.get(r.modality, r.modality))}</strong> "
        f"({'incidental' if r.incidental else 'relevant'}): {escape(r.teaching)}</li>" for r in d.imaging)
    scans_heading = ("What the scans showed, and what they missed" if d.imaged else
                     "You ordered no scan. Had you ordered one, this is what it would have shown and missed")
    return (
        f'<div class="lb-debrief" role="region" aria-label="Debrief"><h3>Debrief</h3>'
        f"<p><strong>{escape(outcome)}</strong></p>"
        f"<p><strong>The hidden pain generator:</strong> {escape(', '.join(d.generators))}.</p>"
        f"<p>{escape(d.explanation)}</p>{scores}"
        + attending
        + (f"<h4>Points about your path</h4><ul>{notes}</ul>" if notes else "")
        + flags_html(d.flags)
        + start_back + steps
        + f"{path}<h4>What the two lenses advise for this patient</h4>"
        + f'<p class="lb-debrief-documents"><strong>The documents:</strong> {advice}.</p>'
        + (f"<p>The documents avoid:</p><ul>{avoid}</ul>" if avoid else "")
        + f'<p class="lb-debrief-guidelines"><strong>The guidelines:</strong> {gadvice}.</p>'
        + (f"<p>The guidelines do not offer:</p><ul>{dno}</ul>" if dno else "")
        + (f"<p>Refer:</p><ul>{referral}</ul>" if referral else "")
        + conflicts
        + f"<details><summary>The reasons, rule by rule</summary><p>The documents:</p><ul>{why}</ul>"
        + (f"<p>The guidelines:</p><ul>{gwhy}</ul>" if gwhy else "") + "</details>"
        + (f"<h4>{scans_heading}</h4><ul>{scans}</ul>" if scans else "")
        + "</div>"
    )


# --- cohort -----------------------------------------------------------------------------------------


WORLD_NAMES = {"trials": "the trials", "documents": "if the documents' claims held"}
WORLD_NOTES = {
    "trials": "World: the trials. Natural courses from the cohorts, a non-specific response in every arm, and "
              "treatment effects calibrated to controlled trials (reference sheet section 8).",
    "documents": "World: if the documents' claims held. Chronic pain never changes untreated, and treatments give "
                 "what the clinics' own series report (PRP 36-55%, surgery 50/30/15/5%): no controlled trial "
                 "stands behind these figures.",
}


def stopped_html(a: Summary, b: Summary) -> str:
    """When patients left the ladder (a referral) or had their red flag missed, say what the pain curves then mean:
    the model stops following them and holds their pain where it was, which is not how they fared."""
    missed = {x.label: x.missed for x in (a, b) if x.missed}
    referred = {x.label: x.referred for x in (a, b) if x.referred}
    if not missed and not referred:
        return ""
    parts = [f"{label}: {share:.0%} of patients had their red flag missed" for label, share in missed.items()]
    parts += [f"{label}: {share:.0%} were referred on the emergency or urgent pathway"
              for label, share in referred.items()]
    text = ("; ".join(parts) + ". The simulator stops following a patient at a referral or a missed red flag and "
            "holds their pain at its last value, so the pain curves and the share improved say nothing about how "
            "those patients fared. A lower curve after a missed red flag is not a better outcome: missing the flag "
            "is the worst result on this screen, and the referral is the right one.")
    return verdict_html("bad" if missed else "info", "READ THE CURVES WITH CARE", text, "lb-cohort-stopped")


def cohort_html(a: Summary, b: Summary, case_title: str, seed: int, world: str = "trials") -> str:
    head = (f'<p class="lb-world-note lb-world-{escape(world)}" role="status"><strong>{escape(WORLD_NOTES[world])}'
            "</strong></p>") + stopped_html(a, b)
    chart = line_chart(f"Mean pain over a year ({WORLD_NAMES[world]}): A {a.label} against B {b.label}", a.grid,
                       [(f"A: {a.label}", a.mean_pain), (f"B: {b.label}", b.mean_pain)], 10, "mean pain (0-10)",
                       band=(a.p10_pain, a.p90_pain))
    bars = bar_rows("Outcomes after a year", [
        ("Share improved (30% less pain)", a.improved, b.improved, "{:.0%}"),
        ("Operations per patient", a.surgeries, b.surgeries, "{:.2f}"),
        ("Share with failed back surgery syndrome", a.fbss, b.fbss, "{:.0%}"),
        ("Complications per patient", a.complications, b.complications, "{:.2f}"),
        ("Mean cost (units)", a.cost, b.cost, "{:.1f}"),
    ] + ([("Share with a red flag missed", a.missed, b.missed, "{:.0%}")] if a.missed or b.missed else []),
        "A solid bars, B striped bars. Cost in relative units: one clinic visit = 1.")
    rows = [
        ["Patients simulated", f"{a.n:,}", f"{b.n:,}"],
        ["Mean pain at week 0", f"{a.mean_pain[0]:.1f}", f"{b.mean_pain[0]:.1f}"],
        ["Mean pain at the end (10th-90th percentile)", f"{a.mean_pain[-1]:.1f} ({a.p10_pain[-1]:.1f}-"
         f"{a.p90_pain[-1]:.1f})", f"{b.mean_pain[-1]:.1f} ({b.p10_pain[-1]:.1f}-{b.p90_pain[-1]:.1f})"],
        ["Share improved", f"{a.improved:.1%}", f"{b.improved:.1%}"],
        ["Operations per patient", f"{a.surgeries:.2f}", f"{b.surgeries:.2f}"],
        ["Failed back surgery syndrome", f"{a.fbss:.1%}", f"{b.fbss:.1%}"],
        ["Complications per patient", f"{a.complications:.2f}", f"{b.complications:.2f}"],
        ["Mean cost (90th percentile)", f"{a.cost:.1f} ({a.cost_p90:.0f})", f"{b.cost:.1f} ({b.cost_p90:.0f})"],
        ["Red flag missed", f"{a.missed:.1%}", f"{b.missed:.1%}"],
        ["Referred", f"{a.referred:.1%}", f"{b.referred:.1%}"],
    ]
    table = html_table(f"Patients like '{case_title}' (seed {seed}; {WORLD_NAMES[world]})",
                   ["Measure", f"A: {a.label}", f"B: {b.label}"], rows)
    note = ("<p style='font-size:0.9em'>The shaded band is the 10th to 90th percentile of pain under A (estimated "
            "from 10,000 of the patients). Every number comes from the simulator's assumptions, listed with their "
            "sources in the table of assumptions: change them with the sliders and watch which conclusions "
            "survive.</p>")
    return f'<div class="lb-cohort">{head}{chart}{bars}{table}{note}</div>'


def assumptions_html(model: Model) -> str:
    c = model.content
    label = c.source_label

    def src(ids: list[str]) -> str:
        return escape("; ".join(label(x) for x in ids))

    def kind(assumption: bool) -> str:
        return "<strong>Assumption</strong> (the course's choice)" if assumption else "From a source"

    params = html_table("Parameters", ["What", "Value", "Kind", "Sources", "Note"], [
        [escape(p.label), escape(", ".join(f"{v:g}" for v in p.values) + f" ({p.unit})"), kind(p.assumption),
         src(p.sources), escape(p.note)] for p in model.parameters.values()])
    def shape(n: s.NaturalCourse) -> str:
        if n.world == "trials":
            return (f"floor {n.floor_mean:.0%} of the starting pain on average; time constant {n.tau_median_weeks:g} "
                    "weeks (median)")
        return "no recovery" if n.recovery_median_weeks is None else f"recovery at {n.recovery_median_weeks:g} " \
            "weeks (median)"

    def applies(n: s.NaturalCourse) -> str:
        who = ", ".join(c.conditions[g].name for g in n.generators) or "every other case"
        return who + (f", while the pain is {n.max_case_weeks} weeks old or less" if n.max_case_weeks else "")

    courses = html_table("Natural course (no treatment), in each world", ["World", "Course", "Applies to", "Shape",
                                                                      "Kind", "Sources", "Note"], [
        [escape(WORLD_NAMES[n.world].capitalize()), escape(n.label), escape(applies(n)), escape(shape(n)),
         kind(n.assumption), src(n.sources), escape(n.note)] for n in model.courses])

    def relief(e: s.Effect) -> str:
        fit = f"{e.fit_relief:.0%}" if not e.session_parameter else "by course: " + ", ".join(
            f"{v:.0%}" for v in model.values(e.session_parameter))
        text = f"fits: {fit}; does not fit: {e.other_relief:.0%}"
        if e.surgery:
            text += "; succeeds by operation number (surgery_success)"
        elif e.success_by_blocks:
            text += "; succeeds after 0, 1, 2 positive blocks: " + ", ".join(f"{v:.0%}" for v in e.success_by_blocks)
        elif e.success < 1:
            text += f"; succeeds in {e.success:.0%}"
        return text

    def lasting(e: s.Effect) -> str:
        if e.referral:
            return "hands the patient over"
        if e.diagnostic:
            return "hours (a test)"
        if e.lasts_weeks is None:
            return "lasting"
        return f"holds {e.lasts_weeks:g} weeks, then halves every {e.fade_weeks:g}"

    effects = html_table("Treatment effects if the documents' claims held", [
                                                                         "Treatments", "Relief (mean share of pain)",
                                                                         "How long", "Course (weeks)", "Complication",
                                                                         "Cost units", "Kind", "Sources", "Note"], [
        [escape(", ".join(c.treatments[t].name for t in e.treatments)), escape(relief(e)), escape(lasting(e)),
         f"{e.weeks}", f"{e.complication:.1%}", f"{e.cost:g}", kind(e.assumption), src(e.sources), escape(e.note)]
        for e in model.effects.values()])

    def trial_lasting(te: s.TrialEffect) -> str:
        return "lasting" if te.lasts_weeks is None else f"holds {te.lasts_weeks:g} weeks, then halves every " \
            f"{te.fade_weeks:g}"

    trial_effects = html_table("Treatment effects in the trials' world", ["Treatments", "Chance of a response (fits; "
                                                                      "does not fit)", "Relief in a responder",
                                                                      "How long", "Kind", "Sources", "Note"], [
        [escape(", ".join(c.treatments[t].name for t in e.treatments)),
         f"{e.trials.response_fit:.0%}; {e.trials.response_other:.0%}", f"{e.trials.relief:.0%}",
         escape("a test: a positive block" if e.diagnostic else trial_lasting(e.trials)), kind(e.trials.assumption),
         src(e.trials.sources), escape(e.trials.note)]
        for e in model.effects.values() if e.trials is not None])
    return f'<div class="lb-assumptions">{params}{courses}{trial_effects}{effects}</div>'
