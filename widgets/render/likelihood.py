"""The pre-test to post-test widget's result: the probability after each test, a plot of the chain, how each
likelihood ratio was obtained and from which study, and what the result should change. Pure HTML."""

from __future__ import annotations

from collections.abc import Callable

from widgets.models.likelihood import Chain, ratios
from widgets.render.html import escape, sources, verdict_html

Label = Callable[[str], str]
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 360, 190, 52, 24, 22, 34  # the plot's box, in SVG units


def pct(p: float) -> str:
    """20% / 11.6% / 2.3%: to one decimal, without a trailing ".0"."""
    return f"{p * 100:.1f}".removesuffix(".0") + "%"


def lr_text(lr: float) -> str:
    return f"{lr:.2f}" if lr < 1 else f"{lr:.1f}"


def plot_svg(chain: Chain) -> str:
    """A line from the pre-test probability through each result; every point labelled with its percentage."""
    points = [chain.pretest] + [s.after for s in chain.steps]
    span = max(len(points) - 1, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(i: int, p: float) -> tuple[float, float]:
        pad = 26  # keeps the first and last labels clear of the axis labels and the edge
        return LEFT + pad + (inner_w - 2 * pad) * (i / span if len(points) > 1 else 0.5), TOP + inner_h * (1 - p)

    grid = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + inner_h * (1 - g):.1f}" y2="{TOP + inner_h * (1 - g):.1f}" '
        f'stroke="currentColor" stroke-opacity="0.2"/>'
        f'<text x="{LEFT - 6}" y="{TOP + inner_h * (1 - g) + 4:.1f}" text-anchor="end" font-size="11" '
        f'fill="currentColor">{int(g * 100)}%</text>'
        for g in (0, 0.25, 0.5, 0.75, 1)
    )
    coords = [xy(i, p) for i, p in enumerate(points)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    marks = []
    for i, ((x, y), p) in enumerate(zip(coords, points, strict=True)):
        name = "Pre-test" if i == 0 else f"Test {i}"
        above = y - 8 if y > TOP + 14 else y + 16
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="currentColor"/>'
                     f'<text x="{x:.1f}" y="{above:.1f}" text-anchor="middle" font-size="12" font-weight="bold" '
                     f'fill="currentColor">{pct(p)}</text>'
                     f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
                     f'fill="currentColor">{name}</text>')
    described = "; ".join([f"pre-test {pct(chain.pretest)}"] +
                          [f"after {s.test.label} {s.result}: {pct(s.after)}" for s in chain.steps])
    return (f'<svg class="lb-lr-plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{escape("Probability of " + chain.condition.label + ": " + described)}" '
            'style="width:100%;max-width:30em;height:auto;color:var(--jp-ui-font-color1,#222)">'
            f'{grid}<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="2"/>{"".join(marks)}'
            "</svg>")


def chain_html(chain: Chain, label: Label) -> str:
    c = chain.condition
    head = (f'<p class="lb-lr-final"><strong>Probability of {escape(c.label[:1].lower() + c.label[1:])}: '
            f'{pct(chain.pretest)} before testing'
            + (f", {pct(chain.final)} after {len(chain.steps)} result{'s' if len(chain.steps) > 1 else ''}"
               if chain.steps else "; choose a test result to move it") + ".</strong></p>")
    rows = []
    for i, s in enumerate(chain.steps, 1):
        how = (f"calculated from Sn {pct(s.test.sn)} and Sp {pct(s.test.sp)}" if s.calculated
               else "as reported" + (f" (95% CI {s.test.lr_pos_ci})" if s.result == "positive"
                                     and s.test.lr_pos_ci else ""))
        caution = f'<br><span class="lb-caution">&#9888; {escape(s.test.caution)}</span>' if s.test.caution else ""
        rows.append(
            f"<tr><td>{i}</td><td>{escape(s.test.label)}: <strong>{escape(s.result)}</strong></td>"
            f"<td>{lr_text(s.lr)}<br><small>{escape(how)}</small></td>"
            f"<td>{pct(s.before)} &rarr; <strong>{pct(s.after)}</strong></td>"
            f"<td>{escape(s.test.study)} ({sources(label(x) for x in s.test.sources)}){caution}</td></tr>"
        )
    table = ('<table class="lb-table lb-lr-steps"><caption>One result after another</caption>'
             "<thead><tr><th>#</th><th>Test and result</th><th>Likelihood ratio</th><th>Probability</th>"
             f"<th>Study</th></tr></thead><tbody>{''.join(rows)}</tbody></table>") if rows else ""
    overlap = verdict_html(
        "warn", "Caution",
        "Multiplying likelihood ratios assumes each test adds something the others did not. Tests that examine "
        "the same thing (two ways of stretching the same nerve, say) overlap, so a chain of them overstates how "
        "sure you can be.") if chain.assumes_independence else ""
    kind = "warn" if c.id == "cauda_equina_compression" else "info"
    note = verdict_html(kind, "Safety first" if kind == "warn" else "What it changes",
                        c.note, css="lb-lr-note")
    standard = (f'<p class="lb-lr-standard">Reference standard: {escape(c.reference_standard)} '
                f'({sources(label(x) for x in c.sources)})</p>')
    return (f'<div class="lb-lr-result" aria-live="polite">{head}{plot_svg(chain)}{table}{overlap}{note}'
            f"{standard}</div>")


def result_option(test, result: str) -> str:
    """'Positive (LR 7.4)' for a results menu: the ratio the choice will apply."""
    pos, neg = ratios(test)
    lr = pos if result == "positive" else neg
    return f"{result.capitalize()} (LR {lr_text(lr)})" if lr is not None else result.capitalize()
