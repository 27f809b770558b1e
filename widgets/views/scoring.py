"""The scoring tools: STarT Back and the Oswestry Disability Index, filled from a case patient's answers or the
learner's own, scored as they change (widgets/models/startback.py, widgets/models/odi.py)."""

from __future__ import annotations

import ipywidgets as w

from widgets.content.cases import load_cases
from widgets.content.loader import Content
from widgets.models import odi, startback
from widgets.render.html import escape
from widgets.render.scoring import scoring_html
from widgets.views.base import Described, panes

OWN = ""  # the "Whose answers?" value for the learner's own entries
NOT_ANSWERED = ""  # a STarT Back control's value when unanswered
NO_LEVEL = -1  # an ODI section's value when unanswered
SHORT_ITEMS = {  # the label beside each control: the item's number and a few of the course's own words
    "leg_pain": "Pain spread down the leg(s)",
    "shoulder_or_neck_pain": "Shoulder or neck pain",
    "walked_only_short_distances": "Walked only short distances",
    "dressed_more_slowly": "Dressed more slowly",
    "not_safe_to_be_active": "Not safe to be active (fear)",
    "worrying_thoughts": "Worrying thoughts (anxiety)",
    "terrible_never_better": "Terrible, never better (catastrophising)",
    "not_enjoyed_things": "Not enjoyed things (low mood)",
    "bothersome": "How bothersome overall",
}


class ScoringTools(Described, w.VBox):
    """Whose answers (a case patient, by title, or the learner's own), the nine STarT Back items and the ten ODI
    sections as controls, and a result pane with the group, its matched care, the index, its band and the change
    from an earlier index. Unanswered items give a message naming them, never an error."""

    description_text = "Scoring tools (STarT Back, Oswestry)"

    def __init__(self, content: Content, case: str | None = None, **kwargs):
        self.content = content
        self.cases = load_cases(content)
        if case is not None and case not in self.cases:
            raise ValueError(f"unknown case {case!r}")
        style = {"description_width": "initial"}
        ordered = sorted(self.cases.items(), key=lambda kv: kv[1].title)  # by title: a title names no diagnosis
        self._who = w.Dropdown(options=[("Your own entries", OWN)] + [(c.title, cid) for cid, c in ordered],
                               value=OWN, description="Whose answers?", style=style,
                               layout=w.Layout(width="34em", max_width="100%"))
        toggle = {"style": {"description_width": "initial", "button_width": "auto"}, "value": NOT_ANSWERED,
                  "options": [("Agree", "agree"), ("Disagree", "disagree"), ("Not answered", NOT_ANSWERED)]}
        self._items = {q: w.ToggleButtons(description=f"{n}. {SHORT_ITEMS[q]}", **toggle)
                       for n, q in enumerate(startback.ITEMS, 1)}
        self._items["bothersome"] = w.Dropdown(
            options=[("Not answered", NOT_ANSWERED)] + [(v, k) for k, v in startback.BOTHER_WORDS.items()],
            value=NOT_ANSWERED, description=f"9. {SHORT_ITEMS['bothersome']}", style=style)
        levels = [("Not answered", NO_LEVEL)] + [(f"{n}: {text}", n) for n, text in enumerate(odi.LEVELS)]
        self._sections = {key: w.Dropdown(options=levels, value=NO_LEVEL, description=f"{n}. {name}", style=style,
                                          layout=w.Layout(width="34em", max_width="100%"))
                          for n, (key, name) in enumerate(odi.SECTIONS, 1)}
        self._earlier = w.Text(value="", description="Earlier ODI (%), optional", style=style, continuous_update=False,
                               placeholder="e.g. 46")
        controls = [self._who, *self._items.values(), *self._sections.values(), self._earlier]
        for ctl in controls[1:]:
            ctl.observe(self._update, names="value")
        self._who.observe(self._fill, names="value")
        self._result = w.HTML()
        self._result.add_class("lb-scoring-result")
        left = [self._who, w.HTML("<h3>STarT Back: the last 2 weeks</h3>"), *self._items.values(),
                w.HTML("<h3>Oswestry Disability Index: 0 = no difficulty to 5 = cannot do it at all</h3>"
                       f"<p><small>{escape(odi.ANCHOR_NOTE)}</small></p>"),
                *self._sections.values(), self._earlier]
        super().__init__([panes(left, [w.HTML("<h3>Scores</h3>"), self._result])], **kwargs)
        self.add_class("lb-scoring-tools")
        if case is not None:
            self._who.value = case
        else:
            self._update()

    def startback_answers(self) -> dict[str, str | None]:
        return {q: (ctl.value or None) for q, ctl in self._items.items()}

    def odi_answers(self) -> dict[str, int | None]:
        return {k: (None if ctl.value == NO_LEVEL else ctl.value) for k, ctl in self._sections.items()}

    def _case_answers(self) -> tuple[dict[str, str | None], dict[str, int | None]]:
        case = self.cases[self._who.value]
        sb = case.start_back.model_dump() if case.start_back is not None else dict.fromkeys(startback.QUESTIONS)
        answers = case.odi.model_dump() if case.odi is not None else dict.fromkeys(odi.SECTION_NAMES)
        return sb, answers

    def _fill(self, _change=None) -> None:
        """Put the chosen patient's answers in the controls (or clear them for the learner's own entries); the
        result pane sends its text once, when every control is set."""
        if self._who.value == OWN:
            sb, answers = dict.fromkeys(startback.QUESTIONS), dict.fromkeys(odi.SECTION_NAMES)
        else:
            sb, answers = self._case_answers()
        with self._result.hold_sync():
            for q, ctl in self._items.items():
                ctl.value = sb[q] or NOT_ANSWERED
            for k, ctl in self._sections.items():
                ctl.value = NO_LEVEL if answers[k] is None else answers[k]
            self._update()

    def _earlier_change(self, index) -> odi.OdiChange | str | None:
        text = self._earlier.value.strip().rstrip("%").strip()
        if not text or not isinstance(index, odi.OdiResult):
            return None
        try:
            return odi.change(float(text), index.index)
        except ValueError as exc:
            message = str(exc) if "ODI index" in str(exc) else f"the earlier ODI must be a number, got {text!r}"
            return message

    def _update(self, _change=None) -> None:
        sb_answers, odi_answers = self.startback_answers(), self.odi_answers()
        sb = startback.score_partial(sb_answers, self.content)
        index = odi.score(odi_answers)
        who = "" if self._who.value == OWN else self.cases[self._who.value].title
        edited = bool(who) and (sb_answers, odi_answers) != self._case_answers()
        self._result.value = scoring_html(who, edited, sb, self.content, index, self._earlier_change(index))
