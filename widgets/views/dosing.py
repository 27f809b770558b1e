"""The dose check for trigger-point injections."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.loader import Content
from widgets.models.dosing import DoseModel
from widgets.render.dosing import dose_html
from widgets.views.base import Described, notice


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
        self._conc = w.FloatText(value=0.5, step=0.25, description="Concentration (%)", style=style, layout=wide)
        self._volume = w.FloatText(value=8.0, step=1.0, description="Volume (mL)", style=style, layout=wide)
        self._points = w.BoundedIntText(value=4, min=1, max=50, description="Trigger points injected", style=style,
                                        layout=wide)
        self._adrenaline = w.Checkbox(value=False, description="With adrenaline (epinephrine)", indent=False)
        self._given = w.FloatText(value=0.0, step=10.0, description="Same drug, last 4 hours (mg)", style=style,
                                  layout=wide)
        self._weight = w.FloatText(value=0.0, step=1.0, description="Weight (kg; 0 = not known)", style=style,
                                   layout=wide)
        controls = (self._drug, self._conc, self._volume, self._points, self._adrenaline, self._given, self._weight)
        for ctl in controls:
            ctl.observe(self._update, names="value")
        self._result = w.HTML()
        self._result.add_class("lb-dose-result")
        super().__init__(list(controls) + [self._result], **kwargs)
        self.add_class("lb-dose-check")
        self._update()

    def _update(self, _change=None) -> None:
        try:
            result = self.model.calculate(
                self._drug.value, self._conc.value, self._volume.value, self._adrenaline.value,
                self._given.value, None if self._weight.value == 0 else self._weight.value, self._points.value,
            )
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        self._result.value = dose_html(result, self.model.dosing, self._label)
