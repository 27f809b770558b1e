"""The ladder explorer, triage and advise-me: the decision engine's two lenses on screen."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.loader import Content
from widgets.models.ladder import advise
from widgets.models.ladder import triage as triage_findings
from widgets.models.ladder_explorer import LadderModel
from widgets.render.html import escape
from widgets.render.ladder import advice_html, compare_html, ladder_html, rung_html, treatment_card_html, triage_html
from widgets.views.base import Described, LabelledSlider, notice, panes


class LadderExplorer(Described, w.VBox):
    """Rungs in the documents' order, the red-flag overlay, treatment details, compare and guideline view."""

    description_text = "Ladder explorer"

    def __init__(self, content: Content, rung: str | None = None, treatment: str | None = None, **kwargs):
        self.content = content
        self.model = LadderModel(content)
        if rung:
            self.model.select_rung(rung)
        if treatment:
            self.model.select_treatment(treatment)
        self._flags = [
            w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto"))
            for label, _ in self.model.flag_options()
        ]
        self._rung = w.ToggleButtons(
            options=[(r.label, r.id) for r in self.model.rungs()],
            value=self.model.rung,
            description="Rung",
            style={"button_width": "auto"},
            tooltips=[r.summary[:120] for r in self.model.rungs()],
        )
        self._treatment = w.Dropdown(description="Treatment", layout=w.Layout(width="34em", max_width="100%"))
        self._compare = w.Dropdown(
            options=[("(nothing)", "")] + self.model.all_treatment_options(),
            value="",
            description="Compare with",
            style={"description_width": "initial"},
            layout=w.Layout(width="40em", max_width="100%"),
        )
        self._guidelines = w.Checkbox(value=False, description="Show the guideline view (NICE, ACP, Cochrane)",
                                      indent=False, layout=w.Layout(width="auto"))
        self._ladder = w.HTML()
        self._ladder.add_class("lb-ladder-view")
        self._rung_details = w.HTML()
        self._rung_details.add_class("lb-rung-box")
        self._details = w.HTML()
        self._details.add_class("lb-treatment-details")
        self._busy = False
        for box in self._flags:
            box.observe(self._on_flags, names="value")
        self._rung.observe(self._on_rung, names="value")
        self._treatment.observe(self._on_treatment, names="value")
        self._compare.observe(self._on_compare, names="value")
        self._guidelines.observe(self._on_guidelines, names="value")
        flags = w.VBox([w.HTML("<strong>Red flags (any one stops the climb)</strong>")] + self._flags)
        self._ladder.layout = w.Layout(flex="0 1 24em", margin="0 16px 0 0", min_width="0")
        side = w.VBox([self._rung_details, flags], layout=w.Layout(flex="1 1 16em", min_width="0"))
        top = w.HBox([self._ladder, side], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
        super().__init__(
            [self._rung, top, self._treatment, self._compare, self._guidelines, self._details],
            **kwargs,
        )
        self.add_class("lb-ladder-explorer")
        self._fill_treatments()
        self._refresh()

    def _fill_treatments(self) -> None:
        self._busy = True
        try:
            self._treatment.options = [("(choose a treatment)", "")] + self.model.treatment_options()
            self._treatment.value = self.model.treatment or ""
        finally:
            self._busy = False

    def _refresh(self) -> None:
        self._ladder.value = ladder_html(self.model.rungs(), self.model.rung, self.model.stopped)
        self._rung_details.value = rung_html(self.model.rung_info(self.model.rung))
        t, c = self.model.pair()
        guide = self.model.guidelines
        if t and c:
            self._details.value = compare_html(self.content, t, c, guide)
        elif t:
            self._details.value = treatment_card_html(self.content, t, guidelines=guide)
        elif c:
            self._details.value = treatment_card_html(self.content, c, guidelines=guide)
        else:
            self._details.value = (
                '<p class="lb-prompt"><em>Choose a rung, then a treatment, to see what it does, for whom, its limits, '
                "how many sessions, when to step up and how strong the evidence is. Pick a second treatment "
                "under Compare with to see the two side by side.</em></p>"
            )

    def _guard(self, action) -> None:
        if self._busy:
            return
        try:
            action()
        except ValueError as exc:
            self._details.value = notice(exc)
            return
        self._refresh()

    def _on_flags(self, _change=None) -> None:
        chosen = [fid for (_, fid), box in zip(self.model.flag_options(), self._flags, strict=True) if box.value]
        self._guard(lambda: self.model.set_flags(chosen))

    def _on_rung(self, change) -> None:
        def act():
            self.model.select_rung(change["new"])
            self._fill_treatments()

        self._guard(act)

    def _on_treatment(self, change) -> None:
        self._guard(lambda: self.model.select_treatment(change["new"] or None))

    def _on_compare(self, change) -> None:
        self._guard(lambda: self.model.compare(change["new"] or None))

    def _on_guidelines(self, change) -> None:
        self._guard(lambda: self.model.set_guidelines(change["new"]))


class _FindingBoxes:
    """Checkboxes for findings, grouped: red flags, serious pathology, the rest."""

    GROUPS = (
        ("Emergency flags: leave the ladder now", lambda f: f.flag in ("cauda_equina", "infection", "major_trauma",
                                                                        "aneurysm")),
        ("Flags for urgent assessment", lambda f: f.flag in ("malignancy", "fracture")),
        ("Weak flags and referrals", lambda f: f.flag in ("weak", "inflammatory")),
        ("Other findings", lambda f: f.flag is None),
    )

    def __init__(self, content: Content, on_change, include_other: bool = True):
        self.boxes: dict[str, w.Checkbox] = {}
        self.groups: list[w.Widget] = []
        for title, keep in self.GROUPS if include_other else self.GROUPS[:3]:
            members = [f for f in content.findings.values() if keep(f)]
            boxes = []
            for f in members:
                box = w.Checkbox(value=False, description=f.label, indent=False, layout=w.Layout(width="auto"),
                                 tooltip=f.description)
                box.observe(on_change, names="value")
                self.boxes[f.id] = box
                boxes.append(box)
            self.groups.append(w.VBox([w.HTML(f"<strong>{escape(title)}</strong>")] + boxes,
                                      layout=w.Layout(margin="4px 0")))

    def chosen(self) -> list[str]:
        return [fid for fid, box in self.boxes.items() if box.value]


class TriageWidget(Described, w.VBox):
    """Tick findings; read emergency, urgent or not, and why (the decision engine's rules)."""

    description_text = "Triage widget"

    def __init__(self, content: Content, **kwargs):
        self.content = content
        self._boxes = _FindingBoxes(content, self._update)
        self._result = w.HTML()
        self._result.add_class("lb-triage-result")
        super().__init__([panes(self._boxes.groups, [w.HTML("<h3>Triage</h3>"), self._result])], **kwargs)
        self.add_class("lb-triage-widget")
        self._update()

    def _update(self, _change=None) -> None:
        try:
            result = triage_findings(self._boxes.chosen(), self.content)
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        self._result.value = triage_html(result)


class AdviseMe(Described, w.VBox):
    """Findings, block relief and prior surgeries in; the engine's next steps, what to avoid and why out."""

    description_text = "Advise-me widget"

    SURGERIES = [("Not relevant", -1), ("None", 0), ("One", 1), ("Two", 2), ("Three", 3), ("Four or more", 4)]

    def __init__(self, content: Content, **kwargs):
        self.content = content
        self._boxes = _FindingBoxes(content, self._update)
        self._block_done = w.Checkbox(value=False, description="A diagnostic medial branch block was done",
                                      indent=False, layout=w.Layout(width="auto"))
        self._relief = LabelledSlider(value=50, min=0, max=100, step=5, description="Relief after the block (%)",
                                      disabled=True, layout=w.Layout(width="34em", max_width="100%"))
        self._relief_hint = w.HTML()
        self._relief_hint.add_class("lb-relief-hint")
        self._surgeries = w.Dropdown(options=self.SURGERIES, value=-1, description="Prior back operations",
                                     style={"description_width": "initial"})
        for ctl in (self._block_done, self._relief, self._surgeries):
            ctl.observe(self._update, names="value")
        self._result = w.HTML()
        self._result.add_class("lb-advice-result")
        heading = w.HTML("<h3>Two lenses: what the documents and the guidelines would do next</h3>")
        super().__init__(
            [panes(self._boxes.groups + [self._block_done, self._relief, self._relief_hint, self._surgeries],
                   [heading, self._result])],
            **kwargs,
        )
        self.add_class("lb-advise-me")
        self._update()

    def inputs(self) -> tuple[list[str], float | None, int | None]:
        relief = float(self._relief.value) if self._block_done.value else None
        surgeries = None if self._surgeries.value == -1 else int(self._surgeries.value)
        return self._boxes.chosen(), relief, surgeries

    def _update(self, _change=None) -> None:
        self._relief.disabled = not self._block_done.value
        self._relief_hint.value = ("" if self._block_done.value else
                                   '<p class="lb-hint" style="margin:0 0 6px 0"><small>The relief slider opens once '
                                   "you tick that a diagnostic medial branch block was done.</small></p>")
        findings, relief, surgeries = self.inputs()
        try:
            result = advise(findings, relief, surgeries, self.content)
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        self._result.value = advice_html(self.content, result)
