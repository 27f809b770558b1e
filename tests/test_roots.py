"""The root localiser: each finding against the root table (reference sheet 4.6 and 9.3), the classic triads, an
empty and a contradictory examination, the quiz's judging, the practice patients, and the view."""

from __future__ import annotations

import pytest

from widgets.content.schema import CANT_TELL
from widgets.models.roots import RootLocaliser
from widgets.render.roots import localisation_html, quiz_html
from widgets.views.guard import guard
from widgets.views.roots import LegMapPanel, RootLocaliserView


@pytest.fixture(scope="module")
def model():
    from widgets.content.loader import load_content

    return RootLocaliser(load_content())


# finding -> the roots it points to; each row names where the table says so
FINDING_ROOTS = [
    ("knee_extension_weak", {"l4"}),  # 4.6: quadriceps, L4 (L3 overlap noted, 9.3 sit-to-stand)
    ("knee_jerk_reduced", {"l4"}),  # 4.6 and 9.3: knee jerk L4
    ("medial_shin_numb", {"l4"}),  # 4.6: medial calf, medial malleolus
    ("big_toe_extension_weak", {"l5"}),  # 4.6 and 9.3: EHL L5
    ("hip_abduction_weak", {"l5"}),  # 9.3: Suri 2011, LR >= 5
    ("dorsum_foot_numb", {"l5"}),  # 4.6: dorsum of foot, first web space
    ("heel_walk_weak", {"l4", "l5"}),  # 9.3: L4 in one textbook, L4-L5 elsewhere
    ("eversion_weak", {"l5", "s1"}),  # 4.6: peronei under L5 or S1
    ("toe_walk_weak", {"s1"}),  # 4.6 and 9.3: gastrocnemius-soleus S1
    ("ankle_jerk_reduced", {"s1"}),  # 4.6 and 9.3: ankle jerk S1
    ("lateral_foot_numb", {"s1"}),  # 4.6: lateral foot, sole
    ("slr_positive", {"l5", "s1"}),  # 4.6 (Harrison's) and 9.3: SLR L5-S1
    ("femoral_stretch_positive", {"l4"}),  # 9.2 and 9.3: FNST L2-L4 (of our three, L4)
]


def test_every_finding_is_in_the_table(model):
    assert set(model.findings) == {f for f, _ in FINDING_ROOTS}


@pytest.mark.parametrize(("finding", "roots"), FINDING_ROOTS)
def test_each_finding_points_to_its_roots(model, finding, roots):
    assert set(model.findings[finding].roots) == roots
    answer = model.localise([finding])
    deficit = model.findings[finding].kind != "tension"
    if len(roots) == 1 and deficit:  # one root, and a deficit: that root, with its paracentral disc
        (root,) = roots
        assert answer.root == root
        assert answer.disc == {"l4": "L3/4", "l5": "L4/5", "s1": "L5/S1"}[root]
        assert answer.evidence[0].fits is True
    else:  # two roots, or a tension sign only: no root named
        assert answer.root is None and answer.disc == ""
        assert answer.evidence[0].fits is None


@pytest.mark.parametrize(
    ("findings", "root", "disc"),
    [
        (["big_toe_extension_weak", "dorsum_foot_numb"], "l5", "L4/5"),
        (["ankle_jerk_reduced", "lateral_foot_numb", "toe_walk_weak"], "s1", "L5/S1"),
        (["knee_jerk_reduced", "knee_extension_weak", "medial_shin_numb"], "l4", "L3/4"),
    ],
)
def test_the_classic_triads(model, findings, root, disc):
    answer = model.localise(findings)
    assert (answer.root, answer.disc) == (root, disc)
    assert not answer.mixed and all(e.fits for e in answer.evidence)
    assert answer.lit == (root,)
    assert "Iversen 2013" in " ".join(s for c in answer.caveats for s in c.sources)  # how far to trust the call
    assert any(c.id == "far_lateral" for c in answer.caveats)


def test_the_rows_quoted_come_from_the_root_table(model):
    answer = model.localise(["big_toe_extension_weak", "dorsum_foot_numb"])
    rows = {e.id: e.row for e in answer.evidence}
    assert rows["big_toe_extension_weak"].startswith("L5 myotome: Extensor hallucis longus")
    assert rows["dorsum_foot_numb"].startswith("L5 dermatome: Lateral calf, dorsum of the foot")
    assert "L4/5 (paracentral)" in answer.disc_text and "far-lateral L5/S1" in answer.disc_text


def test_nothing_found_does_not_localise(model):
    answer = model.localise([])
    assert answer.root is None and answer.candidates == () and answer.lit == ()
    assert "does not localise" in answer.summary
    assert [c.id for c in answer.caveats] == ["nothing_found"]
    assert "Tawa 2017" in answer.caveats[0].sources


def test_tension_signs_alone_do_not_name_a_level(model):
    answer = model.localise(["slr_positive"])
    assert answer.root is None and answer.candidates == ("L5", "S1")
    assert "do not say which" in answer.summary
    assert any(c.id == "tension_only" for c in answer.caveats)


def test_contradictory_findings_name_both_roots(model):
    answer = model.localise(["knee_jerk_reduced", "ankle_jerk_reduced"])
    assert answer.root is None and answer.mixed
    assert answer.candidates == ("L4", "S1") and set(answer.lit) == {"l4", "s1"}
    assert "L4 and S1" in answer.summary
    ids = [c.id for c in answer.caveats]
    assert "tie" in ids and "mixed" in ids
    mixed = next(c for c in answer.caveats if c.id == "mixed")
    assert "cauda equina" in mixed.text and "both legs" in mixed.text  # the red flags to ask about


def test_a_mostly_clear_picture_with_one_odd_finding_is_called_mixed(model):
    answer = model.localise(["big_toe_extension_weak", "dorsum_foot_numb", "ankle_jerk_reduced"])
    assert answer.root == "l5" and answer.mixed
    assert "S1 instead" in answer.summary
    assert {e.id: e.fits for e in answer.evidence}["ankle_jerk_reduced"] is False
    assert any(c.id == "ankle_jerk_age" for c in answer.caveats)  # ankle jerks fade with age (Gray's, Moore)


def test_caveats_follow_the_kinds_of_finding(model):
    ids = {c.id for c in model.localise(["dorsum_foot_numb", "heel_walk_weak", "eversion_weak"]).caveats}
    assert {"sensory_accuracy", "weakness_accuracy", "tables_tibialis", "tables_peronei"} <= ids
    sensory = next(c for c in model.localise(["dorsum_foot_numb"]).caveats if c.id == "sensory_accuracy")
    assert "0.61" in sensory.text and "0.63" in sensory.text


def test_an_unknown_finding_is_refused(model):
    with pytest.raises(ValueError, match="unknown finding 'wobbly_knee'"):
        model.localise(["wobbly_knee"])


# --- the quiz -------------------------------------------------------------------------------------

L5_TRIAD = ["big_toe_extension_weak", "dorsum_foot_numb"]


def test_quiz_right_root_and_disc(model):
    v = model.judge(L5_TRIAD, "l5", "L4/5")
    assert (v.kind, v.word, v.root_right, v.disc_right) == ("ok", "Correct", True, True)


def test_quiz_wrong_root(model):
    v = model.judge(L5_TRIAD, "s1", "L5/S1")
    assert (v.kind, v.word, v.root_right, v.disc_right) == ("bad", "Not quite", False, False)
    assert "the root is L5 and the disc L4/5" in v.text


def test_quiz_right_root_wrong_disc(model):
    v = model.judge(L5_TRIAD, "l5", "L3/4")
    assert (v.kind, v.root_right, v.disc_right) == ("warn", True, False)


def test_quiz_the_far_lateral_disc_is_the_exception(model):
    v = model.judge(L5_TRIAD, "l5", "L5/S1")
    assert v.kind == "warn" and "far laterally" in v.text and "paracentral L4/5" in v.text


def test_quiz_cant_tell_is_right_when_nothing_localises(model):
    assert model.judge([], CANT_TELL, CANT_TELL).kind == "ok"
    wrong = model.judge([], "l5", "L4/5")
    assert wrong.kind == "bad" and "does not name a root" in wrong.text


def test_quiz_refuses_an_answer_it_does_not_offer(model):
    with pytest.raises(ValueError, match="choose a root"):
        model.judge(L5_TRIAD, "l2", "L4/5")
    with pytest.raises(ValueError, match="choose a disc"):
        model.judge(L5_TRIAD, "l5", "L2/3")


def test_every_practice_patient_expects_the_models_answer(model):
    assert len(model.vignettes) >= 6
    assert model.vignette_problems() == []
    for v in model.vignettes.values():
        assert model.judge(v.findings, v.root, v.disc).kind == "ok", v.id


# --- HTML and the view ------------------------------------------------------------------------------


def test_html_escapes_and_shows_status_in_words(model):
    html = quiz_html(model.judge(L5_TRIAD, "s1", "L5/S1"))
    assert "Not quite." in html and "lb-verdict-bad" in html and "&#10006;" in html
    assert "Fits" in localisation_html(model.localise(L5_TRIAD))
    assert "Points elsewhere" in localisation_html(model.localise(L5_TRIAD + ["ankle_jerk_reduced"]))


def test_the_view_checks_an_answer_and_lights_the_map(content):
    view = RootLocaliserView(content)
    view._boxes["big_toe_extension_weak"].value = True
    view._boxes["dorsum_foot_numb"].value = True
    view._check.click()
    assert "Choose a root and a disc first" in view._result.value or "choose a root" in view._result.value
    view._root.value = "l5"
    assert view.map.selected == "l5"  # the list picks on the map too
    view._disc.value = "L4/5"
    view._check.click()
    assert "Correct." in view._result.value and "lb-verdict-ok" in view._result.value
    assert view.map.lit == ["l5"]
    view._boxes["ankle_jerk_reduced"].value = True  # a change makes the verdict stale
    assert view.map.lit == [] and "Correct." not in view._result.value


def test_picking_on_the_map_sets_the_root(content):
    view = RootLocaliserView(content)
    view.map.selected = "s1"  # what the front end sends
    assert view._root.value == "s1"


def test_loading_a_patient_ticks_their_findings(content):
    view = RootLocaliserView(content)
    view._patient.value = "cannot_stand_on_tiptoe"
    assert set(view.ticked()) == {"ankle_jerk_reduced", "lateral_foot_numb", "toe_walk_weak"}
    assert "Cannot stand on tiptoe" in view._story.value
    view._root.value, view._disc.value = "s1", "L5/S1"
    view._check.click()
    assert "Correct." in view._result.value and view.map.lit == ["s1"]


def test_a_bad_root_from_the_page_gives_a_message(content):
    view = guard(RootLocaliserView(content))
    view.map.set_state({"selected": "<b>l9</b>"})
    assert "no root called" in view.children[-1].value and "<b>l9" not in view.children[-1].value
    assert view.map.selected == ""


def test_the_leg_map_on_its_own(content):
    panel = LegMapPanel(content)
    assert [r["name"] for r in panel.map.roots] == ["L4", "L5", "S1"]
    assert repr(panel).startswith("<Dermatome and myotome map:")


def test_the_lesson_functions_show_a_message_when_content_is_broken(assets_copy, monkeypatch):
    from widgets.notebook import learner as lesson

    (assets_copy / "roots.yaml").write_text("roots: [\n")
    monkeypatch.setenv("LOWBACK_ASSETS", str(assets_copy))
    for build in (lesson.root_localiser, lesson.leg_map):
        shown = build()
        assert "lb-problem-panel" in shown._dom_classes and "roots.yaml" in shown.value


def test_content_without_findings_says_so(fixture_content):
    with pytest.raises(ValueError, match="no bedside findings"):
        RootLocaliser(fixture_content)
