"""What every view shares: the static files, the sentence a widget prints as, the accessible slider and the
notice shown when an input is not accepted."""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as w
import traitlets

from widgets.render.html import escape

STATIC = Path(__file__).resolve().parent / "static"


class Described:
    """Widgets print as a short sentence, not a dump of their children (stable in stored notebooks)."""

    description_text = "interactive widget"

    def __repr__(self) -> str:
        return f"<{self.description_text}: open the lesson in JupyterLab or as a dashboard to use it>"


class LabelledSlider(anywidget.AnyWidget):
    """A slider screen readers can name: a native range input with a <label> holding the description,
    its value also given in words (`readout`: "number", "count", or "percent" of a 0-1 value), moved by
    the arrow keys. ipywidgets' own sliders leave their handle without an accessible name."""

    _esm = STATIC / "slider.js"
    _css = STATIC / "slider.css"
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(100.0).tag(sync=True)
    step = traitlets.Float(1.0).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    description_width = traitlets.Unicode("").tag(sync=True)
    readout = traitlets.Enum(("number", "count", "percent"), "number").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    continuous_update = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("value")
    def _within(self, proposal):
        value = proposal["value"]
        if not self.min <= value <= self.max:
            raise traitlets.TraitError(f"{self.description or 'slider'}: {value:g} is outside "
                                       f"{self.min:g} to {self.max:g}")
        return value


class Reveal(anywidget.AnyWidget):
    """Draws nothing; after an action, brings the named result (a class inside the same view) into view if its
    start is off screen, so a learner who pressed a button sees what it did without hunting for it."""

    _esm = STATIC / "reveal.js"
    target = traitlets.Unicode("").tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)

    def show(self, target: str) -> None:
        self.target = target
        self.count += 1


def notice(exc: Exception) -> str:
    return f'<p class="lb-notice" role="status"><strong>Not accepted:</strong> {escape(str(exc))}.</p>'


def panes(controls: list[w.Widget], result: list[w.Widget]) -> w.Box:
    """Controls and their result as two panes. In a lesson page the template's style sheet sets them side by side
    on a wide screen with the result held in view, and on a narrow one keeps the result in a panel at the foot of
    the screen (classes lb-panes, lb-pane-controls, lb-pane-result); elsewhere, as in JupyterLab, they wrap."""
    left = w.VBox(controls, layout=w.Layout(flex="1 1 22em", min_width="0"))
    left.add_class("lb-pane-controls")
    right = w.VBox(result, layout=w.Layout(flex="1 1 22em", min_width="0"))
    right.add_class("lb-pane-result")
    box = w.Box([left, right], layout=w.Layout(display="flex", flex_flow="row wrap", align_items="flex-start",
                                               width="100%"))
    box.add_class("lb-panes")
    return box
