"""The anatomy explorer (a clickable SVG diagram) and the pain-pattern explorer."""

from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets

from widgets.content.loader import Content
from widgets.models.anatomy import AnatomyModel, diagram_views
from widgets.models.pain_patterns import PainPatternModel
from widgets.render.html import escape
from widgets.render.lessons import pattern_html, structure_html
from widgets.views.base import STATIC, Described


def two_panes(controls: list[w.Widget], result: list[w.Widget], controls_basis: str, result_basis: str) -> w.HBox:
    """The controls and what they show, side by side on a wide screen so a learner sees the result of a click
    without scrolling, one above the other on a narrow one.

    The lesson template styles the three classes (in Voila: the result pane stays in view, beside the
    controls or at the foot of the screen); the layout here is what JupyterLab, without that CSS, shows:
    a wrapping row, each pane growing from its basis, neither wider than the page. No position is set here,
    so the template's `sticky` applies.

    The controls pane does not scroll (an ipywidgets box does by default): a control a couple of pixels
    too wide (a phone stretches each to the full width, margins and all) would otherwise let the whole pane
    slide sideways under a finger. The result's widgets lose their side margins for the same reason, as the
    template makes that pane scroll."""
    left = w.VBox(controls, layout=w.Layout(flex=f"3 1 {controls_basis}", min_width="0", max_width="100%",
                                            overflow="visible"))
    left.add_class("lb-pane-controls")
    for widget in result:
        widget.layout.margin = "2px 0"
    right = w.VBox(result, layout=w.Layout(flex=f"2 1 {result_basis}", min_width="0", max_width="100%"))
    right.add_class("lb-pane-result")
    panes = w.HBox([left, right], layout=w.Layout(flex_flow="row wrap", align_items="flex-start", width="100%",
                                                   max_width="100%"))
    panes.add_class("lb-panes")
    return panes


class AnatomyDiagram(anywidget.AnyWidget):
    """The clickable SVG. `selected` is the structure id the learner picked; `layers` the visible ones;
    `views` the diagram's panels ({"label", "box"}), which a narrow screen shows one at a time, as tabs.
    Which tab is shown and the zoom stay in the page: the kernel never needs them."""

    _esm = STATIC / "diagram.js"
    _css = STATIC / "diagram.css"
    svg = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Diagram of the lumbar spine and pelvis").tag(sync=True)
    names = traitlets.Dict().tag(sync=True)
    layers = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    views = traitlets.List(traitlets.Dict()).tag(sync=True)
    _frontend_writable = ("selected",)  # the only trait the page edits (widgets/views/guard.py)

    @traitlets.validate("selected")
    def _on_the_diagram(self, proposal):
        value = proposal["value"]
        if value and value not in self.names:
            raise traitlets.TraitError(f"there is no structure called {value!r} on the diagram")
        return value


class AnatomyExplorer(Described, w.VBox):
    """Layer switches, the diagram and a structure list (keyboard alternative) in one pane, the details of
    the chosen structure in the other."""

    description_text = "Anatomy explorer"

    def __init__(self, content: Content, **kwargs):
        self.model = AnatomyModel(content)
        self._layer_boxes = {
            layer: w.Checkbox(value=True, description=label, indent=False, layout=w.Layout(width="auto"))
            for layer, label in self.model.layers
        }
        self._diagram = AnatomyDiagram(
            svg=content.diagram,
            names={sid: st.name for sid, st in content.structures.items()},
            layers=list(self.model.visible_layers),
            views=[{"label": v.label, "box": list(v.box)} for v in diagram_views(content.diagram)],
        )
        self._choice = w.Dropdown(
            options=[("(none selected)", "")] + self.model.options(),
            value="",
            description="Structure",
            layout=w.Layout(width="100%", max_width="32em", height="auto", margin="2px 0"),
        )
        self._details = w.HTML(structure_html(None))
        self._details.add_class("lb-anatomy-details")
        # The diagram and the list are two ways to pick the same structure: linked, so either moves the other.
        traitlets.link((self._diagram, "selected"), (self._choice, "value"))
        for box in self._layer_boxes.values():
            box.observe(self._on_layers, names="value")
        self._choice.observe(self._on_choice, names="value")
        layers_row = w.HBox(
            [w.Label("Show layers:")] + list(self._layer_boxes.values()),
            layout=w.Layout(flex_flow="row wrap", overflow="visible"),
        )
        panes = two_panes([layers_row, self._diagram, self._choice], [self._details], "540px", "300px")
        super().__init__([panes], **kwargs)
        self.add_class("lb-anatomy-explorer")

    def _on_choice(self, change) -> None:
        try:
            details = self.model.select(change["new"] or None)
        except ValueError as exc:
            self._details.value = f'<p class="lb-notice" role="status">{escape(str(exc))}.</p>'
            return
        self._details.value = structure_html(details)

    def _on_layers(self, _change=None) -> None:
        visible = [layer for layer, box in self._layer_boxes.items() if box.value]
        self.model.set_visible_layers(visible)
        selected = self.model.selected  # kept across the new list (which may pass through "none" on the way)
        self._diagram.layers = list(self.model.visible_layers)
        self._choice.options = [("(none selected)", "")] + self.model.options()
        self._choice.value = selected or ""


class PainPatternExplorer(Described, w.VBox):
    """One control per input of assets/pain_patterns.yaml in one pane; the ranking, updated on every change,
    in the other."""

    description_text = "Pain-pattern explorer"

    def __init__(self, content: Content, **kwargs):
        self.model = PainPatternModel(content)
        self._controls: dict[str, w.Widget | list[w.Checkbox]] = {}
        caution = w.HTML(
            "<p><em>A teaching aid assembled from the documents' statements, not a validated "
            "diagnostic tool: the weights are the course's, the reasons and sources are the documents'."
            "</em></p>"
        )
        rows: list[w.Widget] = []
        for inp in self.model.inputs:
            if inp.kind == "single":
                ctl = w.RadioButtons(
                    options=[("(not set)", "")] + [(o.label, o.id) for o in inp.options],
                    value="",
                    description=inp.label,
                    style={"description_width": "initial"},
                    layout=w.Layout(width="auto"),
                )
                ctl.observe(self._update, names="value")
                self._controls[inp.id] = ctl
                rows.append(ctl)
            else:
                boxes = [
                    w.Checkbox(value=False, description=o.label, indent=False, layout=w.Layout(width="auto"))
                    for o in inp.options
                ]
                for box in boxes:
                    box.observe(self._update, names="value")
                self._controls[inp.id] = boxes
                rows.append(
                    w.VBox([w.HTML(f"<strong>{escape(inp.label)}</strong>")] + boxes,
                           layout=w.Layout(margin="4px 0", overflow="visible"))
                )
        self._result = w.HTML()
        self._result.add_class("lb-pattern-result")
        panes = two_panes(rows, [w.HTML("<h3>Candidate pain generators</h3>"), self._result], "340px", "320px")
        super().__init__([caution, panes], **kwargs)
        self.add_class("lb-pain-patterns")
        self._update()

    def selection(self) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {}
        for inp in self.model.inputs:
            ctl = self._controls[inp.id]
            if isinstance(ctl, list):
                out[inp.id] = [o.id for o, box in zip(inp.options, ctl, strict=True) if box.value]
            else:
                out[inp.id] = [ctl.value] if ctl.value else []
        return out

    def _update(self, _change=None) -> None:
        try:
            result = self.model.rank(self.selection())
        except ValueError as exc:
            self._result.value = f'<p class="lb-notice" role="status">{escape(str(exc))}</p>'
            return
        self._result.value = pattern_html(result, self.model.red_flag_message)
