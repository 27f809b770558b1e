"""Anatomy explorer model: layers, selection and details, without a kernel."""

from __future__ import annotations

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
