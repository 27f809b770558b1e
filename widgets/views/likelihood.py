"""Pre-test to post-test: choose the condition, set a starting probability, enter test results one after another,
and see the probability move (plot, table, the study behind each ratio)."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.examination import ExamTestsFile
from widgets.content.loader import Content
from widgets.models.likelihood import HIGHEST, LOWEST, LikelihoodModel
from widgets.render.likelihood import chain_html, result_option
from widgets.views.base import Described, LabelledSlider, notice, panes

OWN = "own"


class PostTestView(Described, w.VBox):
    description_text = "Pre-test to post-test probability"

    def __init__(self, content: Content, exam: ExamTestsFile, **kwargs):
        self.model = LikelihoodModel(exam)
        self._label = content.source_label
        self._condition = w.Dropdown(options=[(c.label, c.id) for c in exam.conditions], description="Condition",
                                     style={"description_width": "initial"},
                                     layout=w.Layout(width="30em", max_width="100%"))
        # "Start from" is made afresh for each condition: changing a menu's options and value in one go can
        # leave the page showing one choice while the kernel holds another.
        self._start = w.Dropdown(options=[("My own estimate", OWN)])
        self._start_box = w.VBox()
        self._pretest = LabelledSlider(value=0.2, min=LOWEST, max=HIGHEST, step=0.01, readout="percent",
                                       description="Pre-test probability")
        self._tests = w.VBox()
        self._tests.add_class("lb-lr-tests")
        self._order: list[str] = []  # tests in the order the learner entered them
        self._result = w.HTML()
        self._result.add_class("lb-lr-result-box")
        self._condition.observe(self._new_condition, names="value")
        self._pretest.observe(self._moved, names="value")
        intro = w.HTML('<p class="lb-lr-help">Enter results in the order you would examine; each moves the '
                       "probability from where the last one left it.</p>")
        super().__init__([panes([self._condition, self._start_box, self._pretest, intro, self._tests], [self._result])],
                         **kwargs)
        self.add_class("lb-post-test")
        self._new_condition()

    def _new_condition(self, _change=None) -> None:
        condition = self.model.conditions[self._condition.value]
        self._order = []
        options = [(s.label, s.probability) for s in condition.suggestions] + [("My own estimate", OWN)]
        self._start = w.Dropdown(options=options, value=options[0][1], description="Start from",
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="30em", max_width="100%"))
        self._start.observe(self._started, names="value")
        # Hidden, not removed, where the sheet gives no starting point: an empty box would draw as nothing at all.
        self._start.layout.display = None if condition.suggestions else "none"
        self._start_box.children = [self._start]
        boxes = []
        for test in self.model.tests_for(condition.id):
            menu = w.Dropdown(options=[("Not done", "")] + [(result_option(test, r), r)
                                                             for r in self.model.results_for(test.id)],
                              description=test.label, style={"description_width": "initial"},
                              layout=w.Layout(width="100%", max_width="30em"))
            menu.observe(lambda change, tid=test.id: self._entered(tid, change["new"]), names="value")
            boxes.append(menu)
        self._menus = dict(zip((t.id for t in self.model.tests_for(condition.id)), boxes, strict=True))
        self._tests.children = boxes
        self._started()

    def _started(self, _change=None) -> None:
        """A measured starting point is used as the study gave it (11.6%), and the slider says so; moving the
        slider, in whole percents, makes the estimate the learner's own."""
        if self._start.value not in (OWN, None):
            self._pretest.unobserve(self._moved, names="value")
            self._pretest.value = float(self._start.value)
            self._pretest.observe(self._moved, names="value")
        self._update()

    def _moved(self, _change=None) -> None:
        """Moving the slider makes the starting point the learner's own."""
        if self._start.value not in (OWN, None):
            self._start.unobserve(self._started, names="value")
            self._start.value = OWN
            self._start.observe(self._started, names="value")
        self._update()

    def _pretest_value(self) -> float:
        return float(self._start.value) if self._start.value not in (OWN, None) else round(self._pretest.value, 3)

    def _entered(self, test_id: str, result: str) -> None:
        if test_id in self._order:
            self._order.remove(test_id)
        if result:
            self._order.append(test_id)
        self._update()

    def _update(self, _change=None) -> None:
        chosen = [(tid, self._menus[tid].value) for tid in self._order]
        try:
            chain = self.model.chain(self._condition.value, self._pretest_value(), chosen)
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        self._result.value = chain_html(chain, self._label)
