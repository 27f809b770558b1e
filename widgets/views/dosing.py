"""The dose check for trigger-point injections."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.loader import Content
from widgets.models.dosing import DoseModel
from widgets.render.dosing import dose_html
from widgets.views.base import Described, notice, panes


class DoseCheck(Described, w.VBox):
    """Drug, concentration, volume, weight, earlier doses and trigger points give the dose in mg, a verdict against
    each limit (within, over, or cannot judge without a weight), and the toxicity panel with the lipid dose."""

    description_text = "Local anaesthetic dose check"

    def __init__(self, content: Content, **kwargs):
        self.model = DoseModel(content)
        self._label = content.source_label
        style = {"description_width": "initial"}  # the whole label, never cut to "Same drug, last 4 hou..."
        wide = w.Layout(width="30em", max_width="100%")
        self._drug = w.Dropdown(options=self.model.options(), description="Drug", style=style, layout=wide)
        # Typed numbers are read by the model, so an emptied or mistyped field gets a message naming it and keeps
        # what the learner typed (a number box would quietly put its old value back).
        number = {"style": style, "layout": wide, "continuous_update": False}
        self._conc = w.Text(value="0.5", description="Concentration (%)", **number)
        self._volume = w.Text(value="8", description="Volume (mL)", **number)
        self._points = w.BoundedIntText(value=4, min=1, max=50, description="Trigger points injected", style=style,
                                        layout=wide)
        self._adrenaline = w.Checkbox(value=False, description="With adrenaline (epinephrine)", indent=False)
        self._given = w.Text(value="0", description="Same drug, last 4 hours (mg)", **number)
        self._weight = w.Text(value="", description="Weight (kg; empty or 0 = not known)", **number)
        controls = (self._drug, self._conc, self._volume, self._points, self._adrenaline, self._given, self._weight)
        for ctl in controls:
            ctl.observe(self._update, names="value")
        self._result = w.HTML()
        self._result.add_class("lb-dose-result")
        super().__init__([panes(list(controls), [self._result])], **kwargs)
        self.add_class("lb-dose-check")
        self._update()

    def _update(self, _change=None) -> None:
        read = self.model.read_number
        try:
            weight = read("Weight (kg)", self._weight.value, empty=0.0)
            result = self.model.calculate(
                self._drug.value, read("Concentration (%)", self._conc.value), read("Volume (mL)", self._volume.value),
                self._adrenaline.value, read("Same drug, last 4 hours (mg)", self._given.value, empty=0.0),
                None if weight == 0 else weight, self._points.value,
            )
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        self._result.value = dose_html(result, self.model.dosing, self._label)
