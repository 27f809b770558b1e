"""Anatomy explorer: the model (layers, selection, details, the diagram's views) without a kernel, and its two panes."""

from __future__ import annotations

import itertools

import pytest

from widgets.models.anatomy import AnatomyModel


def test_select_gives_details_and_targeting_treatments(fixture_content):
    model = AnatomyModel(fixture_content)
    d = model.select("facet_joints")
    assert model.selected == "facet_joints"
    assert (d.name, d.layer, d.function) == ("Facet joints", "Joint and disc", "Guide motion between vertebrae.")
    assert (d.mri, d.xray, d.ultrasound) == ("Shows arthropathy.", "Shows narrowing.", "Shows the joint line.")
    assert [t.name for t in d.treatments] == ["Medial branch block"]
    assert d.sources == ("S1", "Smith 2020")


def test_clearing_the_selection(fixture_content):
    model = AnatomyModel(fixture_content)
    model.select("multifidus")
    assert model.select("") is None
    assert model.selected is None


def test_unknown_structure_is_refused_with_a_message(fixture_content):
    model = AnatomyModel(fixture_content)
    with pytest.raises(ValueError, match="no structure called 'spleen'"):
        model.select("spleen")
    assert model.selected is None


def test_hiding_a_layer_hides_its_structures_and_clears_their_selection(fixture_content):
    model = AnatomyModel(fixture_content)
    model.select("multifidus")
    model.set_visible_layers(["joint", "bone"])
    assert model.visible_layers == ("bone", "joint")
    assert model.selected is None
    assert [sid for _, sid in model.options()] == ["facet_joints"]
    with pytest.raises(ValueError, match="hidden muscle layer"):
        model.select("multifidus")


def test_unknown_layer_is_refused(fixture_content):
    with pytest.raises(ValueError, match="unknown layer 'organ'"):
        AnatomyModel(fixture_content).set_visible_layers(["organ"])


def test_options_follow_file_order_with_region(fixture_content):
    assert AnatomyModel(fixture_content).options() == [
        ("Disc and joints: Facet joints", "facet_joints"),
        ("Muscles: Multifidus", "multifidus"),
    ]


# --- the diagram's views (a narrow screen shows one at a time, as tabs) -----------------------------------

PANELS = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">
  <rect x="0" y="0" width="300" height="100" fill="#fff"/>
  <g pointer-events="none">
    <rect x="4" y="4" width="92" height="92" rx="8"/><rect x="104" y="4" width="92" height="92" rx="8"/>
    <rect x="204" y="4" width="92" height="92" rx="8"/>
    <rect data-structure="disc" x="110" y="2" width="20" height="96"/>
  </g>
  <text x="150" y="40">Disc</text><text x="110" y="14">Back view</text>
  <text x="10" y="14">Side view (sagittal)</text><text x="210" y="60">Lower</text><text x="210" y="20">Cut</text>
</svg>"""


def test_views_are_the_panels_left_to_right_titled_by_their_top_text_and_touching():
    from widgets.models.anatomy import DiagramView, diagram_views

    assert diagram_views(PANELS) == (
        DiagramView("Side view (sagittal)", (0.0, 0.0, 100.0, 100.0)),
        DiagramView("Back view", (100.0, 0.0, 100.0, 100.0)),
        DiagramView("Cut", (200.0, 0.0, 100.0, 100.0)),
    )


def test_the_course_diagram_has_its_three_views(content):
    from widgets.models.anatomy import diagram_views

    views = diagram_views(content.diagram)
    assert [v.label for v in views] == [
        "Side view (sagittal section)", "Back view (posterior)", "Cross-section at L4 (from above)"]
    assert views[0].box[0] == 0 and views[-1].box[0] + views[-1].box[2] == 960  # together, the whole drawing
    assert all(a.box[0] + a.box[2] == b.box[0] for a, b in itertools.pairwise(views))


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect x="5" y="5" width="30" height="30"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect x="4" y="4" width="40" height="92"/></svg>',  # no viewBox
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect x="4" y="4" width="40" height="96"/></svg>',
    "<svg><rect></svg",  # not XML
])
def test_a_drawing_without_two_panels_has_no_views_and_is_shown_whole(svg):
    from widgets.models.anatomy import diagram_views

    assert diagram_views(svg) == ()


def test_the_fixture_diagram_is_shown_whole(fixture_content):
    from widgets.models.anatomy import diagram_views

    assert diagram_views(fixture_content.diagram) == ()


# --- the explorer's two panes ------------------------------------------------------------------------------


def test_the_explorer_puts_the_diagram_and_the_details_in_two_panes(fixture_content):
    from widgets.views.anatomy import AnatomyExplorer

    view = AnatomyExplorer(fixture_content)
    (panes,) = view.children
    controls, result = panes.children
    assert "lb-panes" in panes._dom_classes and panes.layout.flex_flow == "row wrap"
    assert "lb-pane-controls" in controls._dom_classes and view._diagram in controls.children
    assert view._choice in controls.children
    assert "lb-pane-result" in result._dom_classes and result.children == (view._details,)
    # The lesson template holds the result pane in view (position: sticky and its offsets): nothing set here
    # may fight it.
    for box in (panes, controls, result):
        set_here = {k for k, v in box.layout.get_state().items() if v is not None and not k.startswith("_")}
        assert not set_here & {"top", "bottom", "left", "right"}, set_here
    assert view._diagram.views == []  # the fixture's drawing has no panels: shown whole, no tabs
