"""Anatomy explorer model: which layers are shown, which structure is selected, and its details."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from widgets.content.loader import Content
from widgets.content.schema import LAYERS

LAYER_LABELS = {
    "bone": "Bone",
    "joint": "Joint and disc",
    "ligament": "Ligament",
    "fascia": "Fascia",
    "muscle": "Muscle",
    "nerve": "Nerve",
}


@dataclass(frozen=True)
class TreatmentLink:
    id: str
    name: str
    rung: str


@dataclass(frozen=True)
class StructureDetails:
    """Everything the explorer shows about one structure."""

    id: str
    name: str
    layer: str
    region: str
    function: str
    pain: str
    mri: str
    xray: str
    ultrasound: str
    treatments: tuple[TreatmentLink, ...]
    sources: tuple[str, ...]  # human labels: "S1", "Willard 2012"


class AnatomyModel:
    """Pure state of the anatomy explorer; no widgets, so it is tested without a kernel."""

    def __init__(self, content: Content):
        self.content = content
        self._visible: tuple[str, ...] = LAYERS
        self._selected: str | None = None

    @property
    def layers(self) -> list[tuple[str, str]]:
        """(id, label) of every layer, in drawing order."""
        return [(layer, LAYER_LABELS[layer]) for layer in LAYERS]

    @property
    def visible_layers(self) -> tuple[str, ...]:
        return self._visible

    @property
    def selected(self) -> str | None:
        return self._selected

    def set_visible_layers(self, layers: list[str] | tuple[str, ...]) -> None:
        """Show only these layers; a selection on a hidden layer is cleared."""
        unknown = [x for x in layers if x not in LAYERS]
        if unknown:
            raise ValueError(f"unknown layer {unknown[0]!r}; layers are {', '.join(LAYERS)}")
        self._visible = tuple(x for x in LAYERS if x in layers)
        if self._selected and self.content.structures[self._selected].layer not in self._visible:
            self._selected = None

    def options(self) -> list[tuple[str, str]]:
        """(label, id) of the structures on visible layers, grouped by region in file order."""
        return [
            (f"{st.region}: {st.name}", st.id)
            for st in self.content.structures.values()
            if st.layer in self._visible
        ]

    def select(self, structure_id: str | None) -> StructureDetails | None:
        """Select a structure (None clears); returns its details. Unknown or hidden ids raise ValueError."""
        if structure_id is None or structure_id == "":
            self._selected = None
            return None
        st = self.content.structures.get(structure_id)
        if st is None:
            raise ValueError(f"there is no structure called {structure_id!r}")
        if st.layer not in self._visible:
            raise ValueError(f"{st.name} is on the hidden {LAYER_LABELS[st.layer].lower()} layer")
        self._selected = structure_id
        return self.details(structure_id)

    def details(self, structure_id: str) -> StructureDetails:
        st = self.content.structures[structure_id]
        treatments = tuple(
            TreatmentLink(t.id, t.name, t.rung) for t in self.content.treatments_for(structure_id)
        )
        return StructureDetails(
            id=st.id,
            name=st.name,
            layer=LAYER_LABELS[st.layer],
            region=st.region,
            function=st.function,
            pain=st.pain,
            mri=st.imaging.mri,
            xray=st.imaging.xray,
            ultrasound=st.imaging.ultrasound,
            treatments=treatments,
            sources=tuple(self.content.source_label(s) for s in st.sources),
        )


@dataclass(frozen=True)
class DiagramView:
    """One panel of the diagram (side, back, cross-section): its title and its box in the SVG's units, which the
    explorer shows on its own, as one tab, when the screen is too narrow for all of them side by side."""

    label: str
    box: tuple[float, float, float, float]  # x, y, width, height (a viewBox)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _tag(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]  # without its namespace


def _panels(root: ET.Element, width: float, height: float) -> list[tuple[float, float, float, float]]:
    """x, y, width, height of every rectangle (not a structure, not turned) as tall as nine tenths of the
    drawing and at most two thirds as wide, left to right."""
    panels = []
    for el in root.iter():
        if _tag(el) != "rect" or "data-structure" in el.attrib or el.get("transform"):
            continue
        x, y, w, h = (_number(el.get(k, "0")) for k in ("x", "y", "width", "height"))
        if x is not None and y is not None and w is not None and h is not None and h >= 0.9 * height and (
            0 < w <= 2 * width / 3
        ):
            panels.append((x, y, w, h))
    return sorted(panels)


def diagram_views(svg_text: str) -> tuple[DiagramView, ...]:
    """The diagram's panels, left to right, each titled by the topmost text inside it and widened by half
    the gap to the next one (and to the edges), so its border shows. A drawing with fewer than two panels,
    or one that cannot be read, has none: it is shown whole."""
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError:
        return ()
    box = [_number(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    if len(box) != 4 or None in box:
        return ()
    vx, vy, vw, vh = (v or 0.0 for v in box)
    panels = _panels(root, vw, vh)
    if len(panels) < 2:
        return ()
    texts = [(_number(el.get("y")), _number(el.get("x")), "".join(el.itertext()).strip())
             for el in root.iter() if _tag(el) == "text"]
    views = []
    for i, (x, y, w, h) in enumerate(panels):
        inside = sorted((ty, tx, t) for ty, tx, t in texts
                        if t and tx is not None and ty is not None and x <= tx <= x + w and y <= ty <= y + h)
        left = vx if i == 0 else (panels[i - 1][0] + panels[i - 1][2] + x) / 2
        right = vx + vw if i == len(panels) - 1 else (x + w + panels[i + 1][0]) / 2
        views.append(DiagramView(inside[0][2] if inside else f"View {i + 1}", (left, vy, right - left, vh)))
    return tuple(views)
