"""Widget messages a page should never send (wrong type, out of range, traits learners do not edit)
are refused with a message, the control keeps its value and the view goes on working.

These drive the widgets the way ipywidgets does when a comm message arrives (`_handle_msg`);
tests/browser/test_security.py sends the same messages over a real Voila kernel websocket."""

from __future__ import annotations

import ipywidgets as w
import pytest

from widgets.notebook import learner as lesson
from widgets.views.guard import REFUSED_CLASS, guard


def send(widget: w.Widget, state: dict) -> None:
    """What ipywidgets does with an `update` comm message from the front end."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def refusal(view: w.Box) -> str:
    lines = [c for c in view.children if REFUSED_CLASS in c._dom_classes]
    assert len(lines) <= 1, "refusals should share one status line"
    return lines[0].value if lines else ""


@pytest.fixture
def explorer():
    return lesson.anatomy_explorer()


def test_out_of_range_index_is_refused_with_a_message_and_the_view_keeps_working(explorer):
    choice = explorer._choice
    resent = []
    choice.send_state = lambda *a, **k: resent.append(a)  # the page is told the true value again
    send(choice, {"index": 99})
    assert choice.index == 0 and "Dropdown &#39;Structure&#39; refused index=99" in refusal(explorer)
    assert "keeps its last value" in refusal(explorer) and resent
    send(choice, {"index": 3})  # a real choice afterwards works
    assert choice.value == "sacrum" and 'data-structure="sacrum"' in explorer._details.value


def test_wrong_type_is_refused(explorer):
    send(explorer._choice, {"index": "three"})
    assert explorer._choice.index == 0 and "expected an int" in refusal(explorer)
    view = lesson.cohort_view()
    slider = next(c for c in _all(view) if c.has_trait("max") and c.has_trait("value"))  # a slider
    before = slider.value
    send(slider, {"value": "lots"})
    assert slider.value == before and "refused value=&#39;lots&#39;" in refusal(view)


def test_traits_learners_do_not_edit_are_refused(explorer):
    options = explorer._choice.options
    send(explorer._choice, {"options": ["<script>alert(1)</script>"]})
    assert explorer._choice.options == options
    text = refusal(explorer)
    assert "tried to change options" in text and "<script>" not in text
    send(explorer._diagram, {"svg": "<svg onload=alert(1)>"})
    assert "onload" not in explorer._diagram.svg and "tried to change svg" in refusal(explorer)


def test_the_diagram_may_still_set_its_selection(explorer):
    send(explorer._diagram, {"selected": "multifidus"})
    assert "Multifidus" in explorer._details.value and refusal(explorer) == ""


def test_controls_a_view_adds_later_are_guarded_too():
    root = guard(w.VBox([w.HTML("first")]))
    inner = w.VBox()
    root.children = (*root.children, inner)
    late = w.Dropdown(options=["a", "b"], description="Late")
    inner.children = (late,)
    send(late, {"index": 7})
    assert late.index == 0 and "Dropdown &#39;Late&#39; refused index=7" in refusal(root)


def test_a_case_players_controls_are_guarded():
    player = lesson.case_player(case="garden_weekend_flank_ache")
    send(player._rung, {"index": -5})
    assert player._rung.value == "lifestyle" and "Dropdown &#39;Rung&#39; refused" in refusal(player)
    player._exam_btn.click()  # and the case goes on
    assert "taut band" in player._exam.value


def test_anything_but_a_box_is_left_alone():
    html = w.HTML("x")
    assert guard(html) is html and "set_state" not in vars(html)


def _all(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", ()))
