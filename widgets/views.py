"""Thin ipywidgets/anywidget views over the pure models; lessons get them from widgets.lesson."""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as w
import traitlets

from . import progress, render
from .anatomy import AnatomyModel
from .content import Content
from .dosing import DoseModel
from .explorer import LadderModel
from .ladder import advise
from .ladder import triage as triage_findings
from .pain_patterns import PainPatternModel
from .render_progress import status_html
from .selfcheck import SelfCheckModel

STATIC = Path(__file__).resolve().parent / "static"


class _Described:
    """Widgets print as a short sentence, not a dump of their children (stable in stored notebooks)."""

    description_text = "interactive widget"

    def __repr__(self) -> str:
        return f"<{self.description_text}: open the lesson in JupyterLab or as a dashboard to use it>"


class AnatomyDiagram(anywidget.AnyWidget):
    """The clickable SVG. `selected` is the structure id the learner picked; `layers` the visible ones."""

    _esm = STATIC / "diagram.js"
    _css = STATIC / "diagram.css"
    svg = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Diagram of the lumbar spine and pelvis").tag(sync=True)
    names = traitlets.Dict().tag(sync=True)
    layers = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    _frontend_writable = ("selected",)  # the only trait the page edits (widgets/guard.py)


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


class AnatomyExplorer(_Described, w.VBox):
    """Layer switches, the diagram, a structure list (keyboard alternative) and the details panel."""

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
        )
        self._choice = w.Dropdown(
            options=[("(none selected)", "")] + self.model.options(),
            value="",
            description="Structure",
            layout=w.Layout(width="32em"),
        )
        self._details = w.HTML(render.structure_html(None))
        self._details.add_class("lb-anatomy-details")
        self._syncing = False
        for box in self._layer_boxes.values():
            box.observe(self._on_layers, names="value")
        self._diagram.observe(self._on_diagram, names="selected")
        self._choice.observe(self._on_choice, names="value")
        layers_row = w.HBox(
            [w.Label("Show layers:")] + list(self._layer_boxes.values()), layout=w.Layout(flex_flow="row wrap")
        )
        super().__init__([layers_row, self._diagram, self._choice, self._details], **kwargs)
        self.add_class("lb-anatomy-explorer")

    def _show(self, structure_id: str) -> None:
        try:
            details = self.model.select(structure_id or None)
        except ValueError as exc:
            self._details.value = f'<p class="lb-notice" role="status">{render.escape(str(exc))}.</p>'
            return
        self._details.value = render.structure_html(details)
        self._syncing = True
        try:
            self._diagram.selected = structure_id or ""
            self._choice.value = structure_id or ""
        finally:
            self._syncing = False

    def _on_diagram(self, change) -> None:
        if not self._syncing:
            self._show(change["new"])

    def _on_choice(self, change) -> None:
        if not self._syncing:
            self._show(change["new"])

    def _on_layers(self, _change=None) -> None:
        visible = [layer for layer, box in self._layer_boxes.items() if box.value]
        self.model.set_visible_layers(visible)
        self._syncing = True
        try:
            self._diagram.layers = list(self.model.visible_layers)
            self._choice.options = [("(none selected)", "")] + self.model.options()
            self._choice.value = self.model.selected or ""
            self._diagram.selected = self.model.selected or ""
        finally:
            self._syncing = False
        if self.model.selected is None:
            self._details.value = render.structure_html(None)


class PainPatternExplorer(_Described, w.VBox):
    """One control per input of assets/pain_patterns.yaml; the ranking updates on every change."""

    description_text = "Pain-pattern explorer"

    def __init__(self, content: Content, **kwargs):
        self.model = PainPatternModel(content)
        self._controls: dict[str, w.Widget | list[w.Checkbox]] = {}
        rows: list[w.Widget] = [
            w.HTML(
                "<p><em>A teaching aid assembled from the documents' statements, not a validated "
                "diagnostic tool: the weights are the course's, the reasons and sources are the documents'."
                "</em></p>"
            )
        ]
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
                    w.VBox([w.HTML(f"<strong>{render.escape(inp.label)}</strong>")] + boxes,
                           layout=w.Layout(margin="4px 0"))
                )
        self._result = w.HTML()
        self._result.add_class("lb-pattern-result")
        super().__init__(rows + [w.HTML("<h3>Candidate pain generators</h3>"), self._result], **kwargs)
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
            self._result.value = f'<p class="lb-notice" role="status">{render.escape(str(exc))}</p>'
            return
        self._result.value = render.pattern_html(result, self.model.red_flag_message)


class SelfCheck(_Described, w.VBox):
    """Every question of a lesson: pick an answer, press Check, read why. Each checked answer is saved to the
    learner's progress (widgets/progress.py) and shown again, with its feedback, when the lesson is next opened."""

    description_text = "Self-check"

    def __init__(self, content: Content, lesson: str, **kwargs):
        from .progressviews import PageShown  # imported here: progressviews imports this module

        self.model = SelfCheckModel(content, lesson)
        self._score = w.HTML(render.score_html(*self.model.score))
        self._score.add_class("lb-score")
        self._answers: dict[str, tuple[w.RadioButtons, w.HTML]] = {}  # question id -> its choices and feedback
        self._checked: dict[str, int] = {}  # question id -> the choice whose feedback is shown
        cards = [self._card(i, q) for i, q in enumerate(self.model.questions, start=1)]
        self._done = w.Button(description="Mark this lesson as done", layout=w.Layout(width="16em"),
                              tooltip="Save this lesson as done in your progress (lesson 00 lists what is done)")
        self._done.on_click(lambda _b: self.mark_done())
        self._saved = w.HTML()  # one status line: saved, or why not
        self._saved.add_class("lb-progress-line")
        self._page = PageShown()
        self._page.on_shown(self.restore)  # a page opened a lesson run in advance: show what was saved since
        super().__init__(cards + [self._score, self._done, self._saved, self._page], **kwargs)
        self.add_class("lb-selfcheck")
        self.restore()

    def _status(self, message: str, ok: bool) -> None:
        kind = "saved" if ok else "off" if progress.saving_off() else "problem"
        self._saved.value = status_html(message, kind)

    def _save(self, write, saved: str) -> bool:
        ok, why = progress.save(write)
        self._status(saved if ok else why, ok)
        return ok

    def _show_done(self, done: bool) -> None:
        self._done.description = "Lesson marked as done" if done else "Mark this lesson as done"
        self._done.disabled = done

    def mark_done(self) -> None:
        if self._save(lambda store: store.complete_lesson(self.model.lesson),
                      f"Saved: lesson {self.model.lesson} is marked as done (the progress panel in lesson 00 lists "
                      "what you have done)."):
            self._show_done(True)

    def restore(self) -> None:
        """Show the saved answers (latest choice, its feedback, the score) and whether the lesson is done. A question
        whose choice the learner has changed on this page without checking it is left as it is."""
        store, message = progress.open_store()
        if store is None:
            self._done.disabled = True
            self._status(message, False)
            return
        try:
            saved = {a.question: a.choice for a in store.answers() if a.lesson == self.model.lesson}
            done = self.model.lesson in store.completed_lessons()
        except progress.ProgressError as exc:
            self._status(str(exc), False)
            return
        restored = 0
        for qid, choice in saved.items():
            choices, feedback = self._answers.get(qid, (None, None))
            if choices is None or choices.value not in (None, self._checked.get(qid)):
                continue  # no longer in the lesson, or the learner is choosing again
            try:
                fb = self.model.answer(qid, choice)
            except ValueError:  # the question has fewer choices than when it was answered
                continue
            choices.value = self._checked[qid] = choice
            feedback.value = render.feedback_html(fb)
            restored += 1
        self._score.value = render.score_html(*self.model.score)
        self._show_done(done)
        if message:
            self._saved.value = status_html(message, "notice")
        elif restored:
            self._status(f"Your saved answers are shown again ({restored} of {len(self.model.questions)}). "
                         "New answers are saved as you check them.", True)
        else:
            self._status("Your answers are saved as you check them.", True)

    def _card(self, number: int, q) -> w.VBox:
        prompt = w.HTML(f"<p><strong>Question {number}.</strong> {render.escape(q.prompt)}</p>")
        choices = w.RadioButtons(
            options=[(q.choices[i].text, i) for i in self.model.order(q.id)],
            index=None,
            description="Your answer",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        button = w.Button(description="Check answer", tooltip=f"Check your answer to question {number}")
        feedback = w.HTML('<p class="lb-feedback-empty"><em>Choose an answer, then check it.</em></p>')
        feedback.add_class("lb-feedback-box")

        def check(_button) -> None:
            if choices.value is None:
                feedback.value = '<p role="status"><em>Choose an answer first.</em></p>'
                return
            choice = choices.value
            fb = self.model.answer(q.id, choice)
            feedback.value = render.feedback_html(fb)
            self._score.value = render.score_html(*self.model.score)
            self._checked[q.id] = choice
            self._save(lambda store: store.record_answer(self.model.lesson, q.id, choice, fb.correct),
                       f"Saved: your answer to question {number}.")

        button.on_click(check)
        self._answers[q.id] = (choices, feedback)
        card = w.VBox([prompt, choices, button, feedback], layout=w.Layout(margin="0 0 12px 0"))
        card.add_class("lb-question")
        return card


def _notice(exc: Exception) -> str:
    return f'<p class="lb-notice" role="status"><strong>Not accepted:</strong> {render.escape(str(exc))}.</p>'


class LadderExplorer(_Described, w.VBox):
    """Rungs in the documents' order, the red-flag overlay, treatment details, compare and guideline view."""

    description_text = "Ladder explorer"

    def __init__(self, content: Content, rung: str | None = None, treatment: str | None = None, **kwargs):
        self.content = content
        self.model = LadderModel(content)
        if rung:
            self.model.select_rung(rung)
        if treatment:
            self.model.select_treatment(treatment)
        self._flags = [
            w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto"))
            for label, _ in self.model.flag_options()
        ]
        self._rung = w.ToggleButtons(
            options=[(r.label, r.id) for r in self.model.rungs()],
            value=self.model.rung,
            description="Rung",
            style={"button_width": "auto"},
            tooltips=[r.summary[:120] for r in self.model.rungs()],
        )
        self._treatment = w.Dropdown(description="Treatment", layout=w.Layout(width="34em"))
        self._compare = w.Dropdown(
            options=[("(nothing)", "")] + self.model.all_treatment_options(),
            value="",
            description="Compare with",
            style={"description_width": "initial"},
            layout=w.Layout(width="40em"),
        )
        self._guidelines = w.Checkbox(value=False, description="Show the guideline view (NICE, ACP, Cochrane)",
                                      indent=False, layout=w.Layout(width="auto"))
        self._ladder = w.HTML()
        self._ladder.add_class("lb-ladder-view")
        self._rung_details = w.HTML()
        self._rung_details.add_class("lb-rung-box")
        self._details = w.HTML()
        self._details.add_class("lb-treatment-details")
        self._busy = False
        for box in self._flags:
            box.observe(self._on_flags, names="value")
        self._rung.observe(self._on_rung, names="value")
        self._treatment.observe(self._on_treatment, names="value")
        self._compare.observe(self._on_compare, names="value")
        self._guidelines.observe(self._on_guidelines, names="value")
        flags = w.VBox([w.HTML("<strong>Red flags (any one stops the climb)</strong>")] + self._flags)
        self._ladder.layout = w.Layout(flex="0 0 24em", margin="0 16px 0 0")
        side = w.VBox([self._rung_details, flags], layout=w.Layout(flex="1 1 0%", min_width="20em"))
        top = w.HBox([self._ladder, side], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
        super().__init__(
            [self._rung, top, self._treatment, self._compare, self._guidelines, self._details],
            **kwargs,
        )
        self.add_class("lb-ladder-explorer")
        self._fill_treatments()
        self._refresh()

    def _fill_treatments(self) -> None:
        self._busy = True
        try:
            self._treatment.options = [("(choose a treatment)", "")] + self.model.treatment_options()
            self._treatment.value = self.model.treatment or ""
        finally:
            self._busy = False

    def _refresh(self) -> None:
        self._ladder.value = render.ladder_html(self.model.rungs(), self.model.rung, self.model.stopped)
        self._rung_details.value = render.rung_html(self.model.rung_info(self.model.rung))
        t, c = self.model.pair()
        guide = self.model.guidelines
        if t and c:
            self._details.value = render.compare_html(self.content, t, c, guide)
        elif t:
            self._details.value = render.treatment_card_html(self.content, t, guidelines=guide)
        elif c:
            self._details.value = render.treatment_card_html(self.content, c, guidelines=guide)
        else:
            self._details.value = (
                '<p class="lb-prompt"><em>Choose a rung, then a treatment, to see what it does, for whom, its limits, '
                "how many sessions, when to step up and how strong the evidence is. Pick a second treatment "
                "under Compare with to see the two side by side.</em></p>"
            )

    def _guard(self, action) -> None:
        if self._busy:
            return
        try:
            action()
        except ValueError as exc:
            self._details.value = _notice(exc)
            return
        self._refresh()

    def _on_flags(self, _change=None) -> None:
        chosen = [fid for (_, fid), box in zip(self.model.flag_options(), self._flags, strict=True) if box.value]
        self._guard(lambda: self.model.set_flags(chosen))

    def _on_rung(self, change) -> None:
        def act():
            self.model.select_rung(change["new"])
            self._fill_treatments()

        self._guard(act)

    def _on_treatment(self, change) -> None:
        self._guard(lambda: self.model.select_treatment(change["new"] or None))

    def _on_compare(self, change) -> None:
        self._guard(lambda: self.model.compare(change["new"] or None))

    def _on_guidelines(self, change) -> None:
        self._guard(lambda: self.model.set_guidelines(change["new"]))


class _FindingBoxes:
    """Checkboxes for findings, grouped: red flags, serious pathology, the rest."""

    GROUPS = (
        ("Emergency flags: leave the ladder now", lambda f: f.flag in ("cauda_equina", "infection", "major_trauma",
                                                                        "aneurysm")),
        ("Flags for urgent assessment", lambda f: f.flag in ("malignancy", "fracture")),
        ("Weak flags and referrals", lambda f: f.flag in ("weak", "inflammatory")),
        ("Other findings", lambda f: f.flag is None),
    )

    def __init__(self, content: Content, on_change, include_other: bool = True):
        self.boxes: dict[str, w.Checkbox] = {}
        self.groups: list[w.Widget] = []
        for title, keep in self.GROUPS if include_other else self.GROUPS[:3]:
            members = [f for f in content.findings.values() if keep(f)]
            boxes = []
            for f in members:
                box = w.Checkbox(value=False, description=f.label, indent=False, layout=w.Layout(width="auto"),
                                 tooltip=f.description)
                box.observe(on_change, names="value")
                self.boxes[f.id] = box
                boxes.append(box)
            self.groups.append(w.VBox([w.HTML(f"<strong>{render.escape(title)}</strong>")] + boxes,
                                      layout=w.Layout(margin="4px 0")))

    def chosen(self) -> list[str]:
        return [fid for fid, box in self.boxes.items() if box.value]


class TriageWidget(_Described, w.VBox):
    """Tick findings; read emergency, urgent or not, and why (the decision engine's rules)."""

    description_text = "Triage widget"

    def __init__(self, content: Content, **kwargs):
        self.content = content
        self._boxes = _FindingBoxes(content, self._update)
        self._result = w.HTML()
        self._result.add_class("lb-triage-result")
        super().__init__(self._boxes.groups + [w.HTML("<h3>Triage</h3>"), self._result], **kwargs)
        self.add_class("lb-triage-widget")
        self._update()

    def _update(self, _change=None) -> None:
        try:
            result = triage_findings(self._boxes.chosen(), self.content)
        except ValueError as exc:
            self._result.value = _notice(exc)
            return
        self._result.value = render.triage_html(result)


class AdviseMe(_Described, w.VBox):
    """Findings, block relief and prior surgeries in; the engine's next steps, what to avoid and why out."""

    description_text = "Advise-me widget"

    SURGERIES = [("Not relevant", -1), ("None", 0), ("One", 1), ("Two", 2), ("Three", 3), ("Four or more", 4)]

    def __init__(self, content: Content, **kwargs):
        self.content = content
        self._boxes = _FindingBoxes(content, self._update)
        self._block_done = w.Checkbox(value=False, description="A diagnostic medial branch block was done",
                                      indent=False, layout=w.Layout(width="auto"))
        self._relief = LabelledSlider(value=50, min=0, max=100, step=5, description="Relief after the block (%)",
                                      disabled=True, layout=w.Layout(width="34em"))
        self._surgeries = w.Dropdown(options=self.SURGERIES, value=-1, description="Prior back operations",
                                     style={"description_width": "initial"})
        for ctl in (self._block_done, self._relief, self._surgeries):
            ctl.observe(self._update, names="value")
        self._result = w.HTML()
        self._result.add_class("lb-advice-result")
        super().__init__(
            self._boxes.groups + [self._block_done, self._relief, self._surgeries,
                                  w.HTML("<h3>Two lenses: what the documents and the guidelines would do next</h3>"),
                                  self._result],
            **kwargs,
        )
        self.add_class("lb-advise-me")
        self._update()

    def inputs(self) -> tuple[list[str], float | None, int | None]:
        relief = float(self._relief.value) if self._block_done.value else None
        surgeries = None if self._surgeries.value == -1 else int(self._surgeries.value)
        return self._boxes.chosen(), relief, surgeries

    def _update(self, _change=None) -> None:
        self._relief.disabled = not self._block_done.value
        findings, relief, surgeries = self.inputs()
        try:
            result = advise(findings, relief, surgeries, self.content)
        except ValueError as exc:
            self._result.value = _notice(exc)
            return
        self._result.value = render.advice_html(self.content, result)


class DoseCheck(_Described, w.VBox):
    """Drug, concentration, volume, weight, earlier doses and trigger points give the dose in mg, a verdict against
    each limit (within, over, or cannot judge without a weight), and the toxicity panel with the lipid dose."""

    description_text = "Local anaesthetic dose check"

    def __init__(self, content: Content, **kwargs):
        self.model = DoseModel(content)
        self._label = content.source_label
        style = {"description_width": "15em"}
        wide = w.Layout(width="26em", max_width="100%")
        self._drug = w.Dropdown(options=self.model.options(), description="Drug", style=style, layout=wide)
        self._conc = w.FloatText(value=0.5, step=0.25, description="Concentration (%)", style=style, layout=wide)
        self._volume = w.FloatText(value=8.0, step=1.0, description="Volume (mL)", style=style, layout=wide)
        self._points = w.BoundedIntText(value=4, min=1, max=50, description="Trigger points injected", style=style,
                                        layout=wide)
        self._adrenaline = w.Checkbox(value=False, description="With adrenaline (epinephrine)", indent=False)
        self._given = w.FloatText(value=0.0, step=10.0, description="Same drug, last 4 hours (mg)", style=style,
                                  layout=wide)
        self._weight = w.FloatText(value=0.0, step=1.0, description="Weight (kg; 0 = not known)", style=style,
                                   layout=wide)
        controls = (self._drug, self._conc, self._volume, self._points, self._adrenaline, self._given, self._weight)
        for ctl in controls:
            ctl.observe(self._update, names="value")
        self._result = w.HTML()
        self._result.add_class("lb-dose-result")
        super().__init__(list(controls) + [self._result], **kwargs)
        self.add_class("lb-dose-check")
        self._update()

    def _update(self, _change=None) -> None:
        try:
            result = self.model.calculate(
                self._drug.value, self._conc.value, self._volume.value, self._adrenaline.value,
                self._given.value, None if self._weight.value == 0 else self._weight.value, self._points.value,
            )
        except ValueError as exc:
            self._result.value = _notice(exc)
            return
        self._result.value = render.dose_html(result, self.model.dosing, self._label)
