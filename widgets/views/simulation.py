"""Thin ipywidgets views over the case simulator (widgets/models/simulator.py) and the debrief
(widgets/models/debrief.py): the case player and the cohort comparison."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.cases import load_cases
from widgets.content.loader import Content
from widgets.content.schema import RUNGS
from widgets.models.debrief import Debrief, debrief, run_record
from widgets.models.simulator import IMAGING, WAIT, Model, play, rung_treatments, simulate_strategy, summarise
from widgets.render import simulation as render_sim
from widgets.render.html import escape
from widgets.render.progress import status_html
from widgets.stores import progress
from widgets.views.base import Described, LabelledSlider, Reveal, notice, panes

RUNG_LABELS = {r: r.replace("_", " ").capitalize() for r in RUNGS}
WORLD_OPTIONS = [("The trials", "trials"), ("If the documents' claims held", "documents")]
WORLD_TIPS = ["What controlled trials and cohorts found (reference sheet section 8)",
              "The documents' own figures taken as true: the clinics' series and S2's surgery figures"]


def world_switch(value: str = "trials") -> w.ToggleButtons:
    """One switch between the simulator's two worlds, the same in the case player and the cohort view."""
    return w.ToggleButtons(options=WORLD_OPTIONS, value=value, description="World", tooltips=WORLD_TIPS,
                           style={"button_width": "auto"})


class CasePlayer(Described, w.VBox):
    """Pick a case, work it up, treat rung by rung, follow the course and get the debrief. All logic is in
    `simulator.play` and `debrief.debrief`; this view keeps the list of choices and redraws."""

    description_text = "Case simulator"

    def __init__(self, content: Content, case: str | None = None, seed: int = 1, **kwargs):
        self.content = content
        self.model = Model.from_content(content)
        self.cases = load_cases(content)
        if case is not None and case not in self.cases:
            raise ValueError(f"unknown case {case!r}")
        self._world = world_switch()
        self._world.observe(self._new_world, names="value")
        self.seed = seed
        self.choices: list[str] = []
        self._saved_run: tuple | None = None  # (case, seed, choices) of the finished case last saved
        self._saved_line = ""
        ordered = sorted(self.cases.items(), key=lambda kv: kv[1].title)
        options = [(f"{c.title}: {c.summary}", cid) for cid, c in ordered]
        self._case = w.Dropdown(options=options, value=case or options[0][1], description="Patient",
                                layout=w.Layout(width="100%"))
        self._case.observe(self._new_case, names="value")
        self._intro = w.HTML()
        self._exam = w.HTML()
        self._imaging = w.HTML()
        self._course = w.HTML()
        self._debrief = w.HTML()
        self._status = w.HTML()
        self._exam_btn = w.Button(description="Examine", tooltip="Examine the patient")
        self._img_btn = w.Button(description="Order imaging", tooltip="Request the scans on file")
        self._wait_btn = w.Button(description="Advice, review in 4 weeks", tooltip="Advice to stay active and review",
                                  layout=w.Layout(width="auto"))
        self._rung = w.Dropdown(options=[(RUNG_LABELS[r], r) for r in RUNGS], value="lifestyle", description="Rung")
        self._treatment = w.Dropdown(description="Treatment", layout=w.Layout(width="32em", max_width="100%"))
        self._give = w.Button(description="Give treatment", button_style="primary", tooltip="Give the chosen treatment")
        self._finish = w.Button(description="Finish and debrief", tooltip="Follow up for 12 weeks, then the debrief",
                                layout=w.Layout(width="auto"))
        self._restart = w.Button(description="Start again", tooltip="Same patient, from the first visit")
        self._another = w.Button(description="Another patient like this", layout=w.Layout(width="auto"),
                                 tooltip="Same case, a different simulated patient (another seed)")
        self._rung.observe(self._fill_treatments, names="value")
        self._exam_btn.on_click(lambda _b: self.choose("examine"))
        self._img_btn.on_click(lambda _b: self.choose(IMAGING))
        self._wait_btn.on_click(lambda _b: self.choose(WAIT))
        self._give.on_click(lambda _b: self.choose(self._treatment.value))
        self._finish.on_click(lambda _b: self.choose("finish"))
        self._restart.on_click(lambda _b: self.restart())
        self._another.on_click(lambda _b: self.restart(self.seed + 1))
        self._reveal = Reveal()
        for box, cls in ((self._intro, "lb-case-intro-panel"), (self._course, "lb-course-panel"),
                         (self._debrief, "lb-debrief-panel"), (self._status, "lb-sim-status"),
                         (self._exam, "lb-exam-panel"), (self._imaging, "lb-imaging-panel")):
            box.add_class(cls)
        self._fill_treatments()
        work_up = w.HBox([self._exam_btn, self._img_btn, self._wait_btn])
        treat = w.HBox([self._rung, self._treatment, self._give])
        ends = w.HBox([self._finish, self._restart, self._another])
        super().__init__([self._case, self._world, self._intro, w.HTML("<h3>Work-up</h3>"), work_up, self._exam,
                          self._imaging,
                          w.HTML("<h3>Treat, rung by rung</h3>"), treat, ends, self._status, self._course,
                          self._debrief, self._reveal], **kwargs)
        self.add_class("lb-case-player")
        self._redraw()

    @property
    def case(self):
        return self.cases[self._case.value]

    def _fill_treatments(self, _change=None) -> None:
        self._treatment.options = rung_treatments(self.content, self._rung.value)

    def _new_case(self, _change=None) -> None:
        self.restart(1)

    def _new_world(self, change) -> None:
        """The same patient and the same choices, replayed in the other world."""
        self.model = self.model.with_world(change["new"])
        self._redraw()

    def restart(self, seed: int | None = None) -> None:
        if seed is not None:
            self.seed = seed
        self.choices = []
        self._redraw()

    def choose(self, choice: str | None) -> None:
        """Add one choice and replay the course from the start (the model is deterministic)."""
        if choice is None:
            self._status.value = notice(ValueError("choose a treatment from the menu first"))
            return
        try:
            play(self.model, self.case, self.choices + [choice], seed=self.seed)
        except ValueError as exc:
            self._status.value = notice(exc)
            return
        if choice == "examine" and "examine" in self.choices:
            return
        self.choices.append(choice)
        self._redraw()
        # What the step did, brought on screen: the findings, the scan reports, the debrief, or the course so far.
        self._reveal.show({"examine": "lb-exam-panel", IMAGING: "lb-imaging-panel",
                           "finish": "lb-debrief-panel"}.get(choice, "lb-course-panel"))

    def _redraw(self) -> None:
        case = self.case
        course = play(self.model, case, self.choices, seed=self.seed)
        self._intro.value = render_sim.case_intro_html(self.content, case)
        self._exam.value = render_sim.exam_html(case) if course.examined else ""
        self._imaging.value = render_sim.imaging_html(case) if course.imaged else ""
        self._course.value = render_sim.course_html(course)
        over = course.finished
        for b in (self._exam_btn, self._img_btn, self._wait_btn, self._give, self._finish, self._rung, self._treatment):
            b.disabled = over
        self._exam_btn.disabled = over or course.examined
        self._img_btn.disabled = over or course.imaged
        report = debrief(self.model, course) if over else None
        self._debrief.value = render_sim.debrief_html(report) if report else ""
        step = len([c for c in self.choices if c != "examine"])
        world = dict((v, k) for k, v in WORLD_OPTIONS)[self.model.world]
        self._status.value = (
            f'<p role="status" class="lb-sim-state">Patient {self.seed} of this case, world: {world.lower()}. '
            + ("The case is over: read the debrief below, or start again." if over else
               f'Decisions so far: {step}. <span class="lb-hint">Choose the next step, or finish for the '
               "debrief.</span>")
            + "</p>")
        if report is not None:
            self._status.value += self._save_run(course, report)

    def _save_run(self, course, report: Debrief) -> str:
        """Save a finished case to the learner's progress (once per finished path); returns the line saying so."""
        key = (self._case.value, self.seed, tuple(self.choices))
        if key != self._saved_run:
            outcome = run_record(course, report)
            ok, why = progress.save(lambda store: store.save_case(self._case.value, self.seed, list(self.choices),
                                                                  outcome, finished=True))
            self._saved_run = key
            self._saved_line = status_html(
                "Saved: this finished case is in your progress (lesson 00 lists the cases you have finished)."
                if ok else why, "saved" if ok else "off" if progress.saving_off() else "problem")
        return self._saved_line


class CohortView(Described, w.VBox):
    """Many patients like one case through two strategies, with sliders for the key assumptions."""

    description_text = "Cohort view"

    def __init__(self, content: Content, case: str = "twist_at_the_warehouse_shelf", a: str = "ladder",
                 b: str = "early_fusion", patients: int = 10_000, seed: int = 2026, **kwargs):
        self.content = content
        self.base = Model.from_content(content)
        self.cases = load_cases(content)
        self._world = world_switch()
        for name, value, known in (("case", case, self.cases), ("strategy a", a, self.base.strategies),
                                   ("strategy b", b, self.base.strategies)):
            if value not in known:
                raise ValueError(f"unknown {name} {value!r}")
        self.seed = seed
        style = {"description_width": "16em"}
        wide = w.Layout(width="44em", max_width="100%")
        self._case = w.Dropdown(options=[(c.title, cid) for cid, c in sorted(self.cases.items(),
                                                                             key=lambda kv: kv[1].title)],
                                value=case, description="Patients like", style=style, layout=wide)
        strategies = [(st.label, sid) for sid, st in self.base.strategies.items()]
        self._a = w.Dropdown(options=strategies, value=a, description="Strategy A (solid)", style=style, layout=wide)
        self._b = w.Dropdown(options=strategies, value=b, description="Strategy B (dashed)", style=style, layout=wide)
        first, exercise = self.base.slider_defaults()
        width = style["description_width"]
        self._n = LabelledSlider(value=patients, min=1000, max=100_000, step=1000, description="Patients",
                                 description_width=width, layout=wide, readout="count")
        self._surgery = LabelledSlider(value=first, min=0.0, max=1.0, step=0.05, description="First operation succeeds",
                                       description_width=width, layout=wide, readout="percent")
        self._foundations = LabelledSlider(value=exercise, min=0.0, max=1.0, step=0.05,
                                           description=self.EXERCISE[self.base.world], description_width=width,
                                           layout=wide, readout="percent")
        self._duration = LabelledSlider(value=1.0, min=0.25, max=4.0, step=0.25,
                                        description="Injection relief lasts (times)", description_width=width,
                                        layout=wide)
        self._result = w.HTML()
        self._result.add_class("lb-cohort-result")
        self._describe = w.HTML()
        for ctl in (self._case, self._a, self._b, self._n, self._surgery, self._foundations, self._duration):
            ctl.observe(self._update, names="value")
        self._world.observe(self._new_world, names="value")
        super().__init__([panes([self._world, self._case, self._a, self._b, self._describe, self._n, self._surgery,
                                 self._foundations, self._duration], [self._result])], **kwargs)
        self.add_class("lb-cohort-view")
        self._update()

    EXERCISE = {"trials": "Exercise: chance it helps when it fits", "documents": "Exercise relief when it fits"}

    def _new_world(self, change) -> None:
        """Switch worlds: the sliders go back to the new world's own values, then one redraw."""
        self.base = self.base.with_world(change["new"])
        first, exercise = self.base.slider_defaults()
        with self.hold_trait_notifications():
            self._updating = True
            try:
                self._surgery.value, self._foundations.value = first, exercise
                self._foundations.description = self.EXERCISE[change["new"]]
            finally:
                self._updating = False
        self._update()

    def model(self) -> Model:
        return self.base.with_changes(surgery_first=self._surgery.value, foundations_fit=self._foundations.value,
                                      relief_duration=self._duration.value)

    _updating = False

    def _update(self, _change=None) -> None:
        if self._updating:
            return
        case = self.cases[self._case.value]
        try:
            model = self.model()
            sa, sb = (summarise(model, simulate_strategy(model, case, sid, int(self._n.value), self.seed),
                                model.strategies[sid].label) for sid in (self._a.value, self._b.value))
        except ValueError as exc:
            self._result.value = notice(exc)
            return
        st_a, st_b = self.base.strategies[self._a.value], self.base.strategies[self._b.value]
        self._describe.value = (f"<p><strong>A:</strong> {escape(st_a.description)}<br>"
                                f"<strong>B:</strong> {escape(st_b.description)}</p>")
        self._result.value = render_sim.cohort_html(sa, sb, case.title, self.seed, model.world)
