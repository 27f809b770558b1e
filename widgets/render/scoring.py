"""HTML for the scoring tools: a STarT Back score with its risk group and matched care, and an Oswestry Disability
Index with its band and the change from an earlier index. Every number names its source."""

from __future__ import annotations

from widgets.content.loader import Content
from widgets.content.numbers import number
from widgets.models import odi
from widgets.models.odi import OdiChange, OdiRefused, OdiResult
from widgets.models.startback import Incomplete, StartBackResult
from widgets.render.html import DESIGN_LABELS, escape, status_word, verdict_html

GROUP_STATUS = {"low": "ok", "medium": "info", "high": "warn"}  # icon and colour beside the word, never alone
TRIAL_FIGURE = "startback_rmdq"  # assets/figures/04.yaml: the trial of stratified care (Hill 2011)
CARE_ORIGIN = "REF 7.7, citing Hill, BMC Musculoskelet Disord 2008, Table 1"
TEACHING = "Teaching material, not clinical advice: scores help describe a patient, they do not decide care."


def _src(text: str) -> str:
    return f" <small>[{escape(text)}]</small>"


def startback_html(r: StartBackResult | Incomplete, content: Content) -> str:
    """The total, the psychosocial subscale, the risk group (icon, word, colour), the matched care and the trial
    behind it; or, when items are unanswered, which ones, and no score."""
    if isinstance(r, Incomplete):
        return ('<div class="lb-startback lb-startback-incomplete"><h4>STarT Back</h4>'
                + verdict_html("warn", "Incomplete", r.message, "lb-startback-verdict") + "</div>")
    rule = next(c.rule for c in content.ladder.stratified_care if c.group == r.group)
    group = verdict_html(GROUP_STATUS[r.group], f"{r.group.capitalize()} risk",
                         f"{rule} (REF 3.6)", "lb-startback-verdict")
    trial = content.figures.get(TRIAL_FIGURE)
    trial_html = ""
    if trial is not None:
        design = DESIGN_LABELS[content.references[trial.reference].design]
        where = _src(f"{content.source_label(trial.reference)}, {design}; {trial.document}")
        trial_html = ('<p class="lb-startback-trial"><strong>What matching care to the group did:</strong> the '
                      "improvement in the Roland-Morris disability score (0 to 24, higher is worse) with stratified "
                      f"care against best current care was {escape(trial.value)}.{where}</p>")
    return (
        '<div class="lb-startback"><h4>STarT Back</h4>'
        f'<p class="lb-startback-scores"><strong>Total score: {r.total} of 9</strong>; '
        f"<strong>psychosocial subscale: {r.psychosocial} of 5</strong> (items 5 to 9). Items 1 to 8 score 1 for "
        "agree; item 9 scores 1 for very much or extremely bothersome." + _src("REF 3.6") + "</p>"
        + group
        + f'<p class="lb-startback-care"><strong>Matched care for the {escape(r.group)} risk group:</strong> '
        f"{escape(r.care)}{_src(CARE_ORIGIN + '; sources: ' + '; '.join(r.sources))}</p>"
        + trial_html + "</div>"
    )


def _band_html(b: odi.Band) -> str:
    note = f' <span class="lb-odi-band-note">{escape(b.note)}</span>' if b.note else ""
    suggests = f", which the questionnaire's bands link with {escape(b.suggests)}" if b.suggests else ""
    return (f'<p class="lb-odi-band"><strong>Band: {escape(b.name)}</strong> ({b.low} to {b.high}%){suggests}.'
            f"{note}{_src(odi.SOURCE)}</p>")


def change_html(c: OdiChange) -> str:
    """An earlier index against the present one, judged against the 10-point and the 30% thresholds."""
    if c.direction == "unchanged":
        moved = "no change"
    else:
        share = f", {number(round(abs(c.share) * 100))}% of the earlier index" if c.share is not None else ""
        moved = f"{number(abs(c.points))} points {c.direction}{share}"
    marks = {True: ("ok", "reached"), False: ("warn", "not reached")}
    share_line = (f"{status_word(*marks[c.reaches_share])}: an improvement of at least 30% of the earlier index"
                  if c.share is not None else
                  status_word("info", "cannot apply") + ": 30% of an earlier index of 0 is no change at all")
    worse = (" Both thresholds describe improvement; a worse index reaches neither."
             if c.direction == "worse" else "")
    return (
        '<div class="lb-odi-change"><p><strong>Change:</strong> from '
        f"{number(c.earlier)}% to {number(c.now)}%: {escape(moved)}.{escape(worse)}</p><ul>"
        f"<li>{status_word(*marks[c.reaches_mic])}: the minimal important change of "
        f"{number(odi.MIC_POINTS)} points{_src(odi.MIC_SOURCE)}</li>"
        f"<li>{share_line}{_src(odi.MIC_SOURCE)}</li></ul>"
        "<p><small>Both thresholds come from an international consensus on what change matters to patients with "
        "back pain (Ostelo 2008). They help read a change; they do not by themselves say a treatment worked, "
        "since many people improve whatever is done.</small></p></div>"
    )


def odi_html(r: OdiResult | OdiRefused, earlier: OdiChange | str | None = None) -> str:
    """The index, the sections used, the band, and the change from an earlier index when one is given (or the
    reason it cannot be judged); or, when too few sections are answered, why no index is given."""
    if isinstance(r, OdiRefused):
        return ('<div class="lb-odi lb-odi-refused"><h4>Oswestry Disability Index</h4>'
                + verdict_html("warn", "No index", r.message, "lb-odi-verdict") + "</div>")
    names = lambda keys: ", ".join(odi.SECTION_NAMES[k].split(" (")[0].lower() for k in keys)  # noqa: E731
    left = f" Left out: {escape(names(r.missing))}." if r.missing else ""
    used = (f'<p class="lb-odi-sections">Sections used: {len(r.answered)} of 10.{left} The index divides by the '
            f"sections answered, so a left-out section neither adds nor subtracts.{_src(odi.SOURCE)}</p>")
    if isinstance(earlier, OdiChange):
        after = change_html(earlier)
    elif isinstance(earlier, str):
        after = f'<p class="lb-notice" role="status"><strong>Not accepted:</strong> {escape(earlier)}.</p>'
    else:
        after = ('<p class="lb-odi-change"><small>Enter an earlier index to see whether the change reaches the '
                 f"{number(odi.MIC_POINTS)}-point minimal important change (Ostelo 2008).</small></p>")
    return (
        '<div class="lb-odi"><h4>Oswestry Disability Index</h4>'
        f'<p class="lb-odi-index"><strong>Index: {number(r.index)}%</strong> (sum {r.total} of a possible '
        f"{r.possible}, times 100; higher is more disabled; rounded to one decimal by the course)."
        f"{_src(odi.SOURCE)}</p>"
        + used + _band_html(r.band) + after + "</div>"
    )


def scoring_html(who: str, edited: bool, sb: StartBackResult | Incomplete, content: Content,
                 index: OdiResult | OdiRefused, earlier: OdiChange | str | None) -> str:
    """The whole result pane: whose answers, the STarT Back result, the ODI result and the notes on wording."""
    whose = "Your own entries" if not who else f"{who}, with your changes" if edited else f"{who}, as in the case file"
    rule = "" if isinstance(index, OdiRefused) else odi.MIN_RULE + " "  # a refusal already says it
    return (
        f'<div class="lb-scoring"><p class="lb-scoring-who"><strong>Answers:</strong> {escape(whose)}.</p>'
        + startback_html(sb, content) + odi_html(index, earlier)
        + f'<p class="lb-scoring-notes"><small>{escape(odi.ANCHOR_NOTE)} {escape(rule)}STarT Back items are '
        f"shown in the course's short words (REF 3.6). {escape(TEACHING)}</small></p></div>"
    )
