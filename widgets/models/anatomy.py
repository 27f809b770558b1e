"""Anatomy explorer model: which layers are shown, which structure is selected, and its details."""

from __future__ import annotations

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
