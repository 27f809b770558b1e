"""The root localiser ("Localise the root", lesson 02) and its dermatome and myotome leg map."""

from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets

from widgets.content.loader import Content
from widgets.models.roots import RootLocaliser as LocaliserModel
from widgets.render.html import escape
from widgets.render.roots import prompt_html, quiz_html, vignette_html
from widgets.views.base import STATIC, Described, Reveal, notice, panes

CAUTION = ("A teaching aid built from the course's root table, not a diagnostic rule: the weights are the "
           "course's, the facts and figures are the sources'. Not clinical advice.")


class LegMap(anywidget.AnyWidget):
    """An original drawing of a right leg, front and back, with the L4, L5 and S1 skin territories; beside it each
    root's muscles and reflex. `selected` is the root the learner picked; `lit` the roots Python lights."""

    _esm = STATIC / "leg_map.js"
    _css = STATIC / "leg_map.css"
    roots = traitlets.List(traitlets.Dict(), help="each root: id, name, dermatome, myotome, reflex").tag(sync=True)
    label = traitlets.Unicode("Dermatome map of the right leg, front and back").tag(sync=True)
    selected = traitlets.Unicode("", help="the root id the learner picked, or empty").tag(sync=True)
    lit = traitlets.List(traitlets.Unicode(), help="root ids to highlight").tag(sync=True)
    _frontend_writable = ("selected",)  # the only trait the page edits (widgets/views/guard.py)

    @traitlets.validate("selected")
    def _a_root(self, proposal):
        value = proposal["value"]
        if value and value not in {r["id"] for r in self.roots}:
            raise traitlets.TraitError(f"there is no root called {value!r} on the map")
        return value


def leg_map_for(content: Content) -> LegMap:
    return LegMap(roots=[{"id": rid, "name": r.root, "dermatome": r.dermatome, "myotome": r.myotome,
                          "reflex": r.reflex} for rid, r in content.roots.items()])


class LegMapPanel(Described, w.VBox):
    """The leg map on its own."""

    description_text = "Dermatome and myotome map"

    def __init__(self, content: Content, **kwargs):
        self.map = leg_map_for(content)
        super().__init__([self.map], **kwargs)
        self.add_class("lb-leg-map")


class RootLocaliserView(Described, w.VBox):
    """Findings to tick (grouped by kind), a practice patient to load, the learner's root and disc and a check
    button in one pane; the verdict, the reasons and the caveats in the other. The map lights the answer."""

    description_text = "Root localiser"

    def __init__(self, content: Content, **kwargs):
        self.model = LocaliserModel(content)
        self._patient = w.Dropdown(
            options=[("(your own findings)", "")] + [(v.title, v.id) for v in self.model.vignettes.values()],
            value="", description="Try a patient", style={"description_width": "initial"},
            layout=w.Layout(width="100%", max_width="32em", height="auto"))
        self._story = w.HTML("")
        self._boxes: dict[str, w.Checkbox] = {}
        groups: list[w.Widget] = []
        for label, findings in self.model.groups():
            boxes = []
            for f in findings:
                box = w.Checkbox(value=False, description=f.label, indent=False, layout=w.Layout(width="auto"))
                box.observe(self._on_change, names="value")
                self._boxes[f.id] = box
                boxes.append(box)
            groups.append(w.VBox([w.HTML(f"<strong>{escape(label)}</strong>")] + boxes,
                                 layout=w.Layout(margin="4px 0", overflow="visible")))
        self._root = w.Dropdown(options=[("(choose)", "")] + self.model.root_options(), value="",
                                description="Root", layout=w.Layout(width="auto", height="auto"))
        self._disc = w.Dropdown(options=[("(choose)", "")] + self.model.disc_options(), value="",
                                description="Disc", layout=w.Layout(width="auto", height="auto"))
        self._check = w.Button(description="Check my answer", button_style="primary", icon="check",
                               layout=w.Layout(width="auto"))
        self._check.on_click(self._on_check)
        self.map = leg_map_for(content)
        self._result = w.HTML(prompt_html())
        self._result.add_class("lb-roots-result")
        self._reveal = Reveal()
        self._patient.observe(self._on_patient, names="value")
        self._root.observe(self._on_root, names="value")
        self.map.observe(self._on_map, names="selected")
        self._disc.observe(self._on_change, names="value")
        choices = w.HBox([self._root, self._disc, self._check],
                         layout=w.Layout(flex_flow="row wrap", align_items="center", overflow="visible"))
        map_title = w.HTML("<strong>Dermatomes and myotomes</strong> (pick a root on the map, or from the list)")
        controls = [self._patient, self._story, *groups, choices, map_title, self.map]
        caution = w.HTML(f"<p><em>{escape(CAUTION)}</em></p>")
        super().__init__([caution, panes(controls, [self._result, self._reveal])], **kwargs)
        self.add_class("lb-root-localiser")

    def ticked(self) -> list[str]:
        return [fid for fid, box in self._boxes.items() if box.value]

    def _on_patient(self, change) -> None:
        vignette = self.model.vignettes.get(change["new"])
        self._story.value = vignette_html(vignette.title, vignette.story) if vignette else ""
        wanted = set(vignette.findings) if vignette else set()
        for fid, box in self._boxes.items():
            box.value = fid in wanted
        self._root.value = ""
        self._disc.value = ""
        self._on_change()

    def _on_root(self, change) -> None:
        new = change["new"]
        self.map.selected = new if new in self.model.roots else ""
        self._on_change()

    def _on_map(self, change) -> None:
        if change["new"]:
            self._root.value = change["new"]

    def _on_change(self, _change=None) -> None:
        """Any change makes the last verdict stale: back to the prompt, and the map's light goes out."""
        self.map.lit = []
        self._result.value = prompt_html()

    def _on_check(self, _button=None) -> None:
        if not self._root.value or not self._disc.value:
            self._result.value = notice(ValueError("choose a root and a disc first (either may be \"Can't tell\")"))
            return
        try:
            verdict = self.model.judge(self.ticked(), self._root.value, self._disc.value)
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        self._result.value = quiz_html(verdict)
        self.map.lit = list(verdict.answer.lit)
        self._reveal.show("lb-roots-result")
