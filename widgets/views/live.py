"""Thin views for teaching live: the instructor's case presenter with its live-session console, and the
learners' "join a live session" panel. The logic is in `widgets/models/presenter.py` (slides, steps, HTML) and
`widgets/stores/live.py` (the store); these classes keep widgets in step with them.

The instructor token stays in the kernel (`CasePresenter.session`), never in a widget's state. Pages
refresh through `Poller`, whose front end sends one custom message, {"type": "poll"}, about once a
second; custom messages do not pass through `set_state` (widgets/views/guard.py), so anything else is ignored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import traitlets

from widgets.content.cases import load_cases
from widgets.content.loader import Content
from widgets.content.steps import load_steps
from widgets.models.presenter import Deck, to_live_steps
from widgets.render.html import escape, verdict_html
from widgets.render.presenter import chart_html, code_html, reveal_html, slide_html
from widgets.stores import live

if TYPE_CHECKING:  # SQLAlchemy takes about 0.25 s to import: loaded when a session is first used
    from widgets.stores.live_sql import LiveStore
from widgets.views.base import STATIC, Described

POLL = {"type": "poll"}  # the only message a Poller's page may send
MIN_POLL_GAP_S = 0.3  # polls closer together than this (a page sending too fast) do not reach the database

_STORES: dict[str, LiveStore] = {}


def shared_store() -> LiveStore:
    """One store per kernel for the configured database (LOWBACK_LIVE_URL, else the user's data folder)."""
    url = live.default_url()
    if url not in _STORES:
        from widgets.stores.live_sql import LiveStore

        _STORES[url] = LiveStore()  # names where the URL came from in its messages
    return _STORES[url]


class Poller(anywidget.AnyWidget):
    """Calls `on_poll()` each time its page asks (about every `interval_ms` while `active`); shows nothing."""

    _esm = STATIC / "poller.js"
    active = traitlets.Bool(False).tag(sync=True)
    interval_ms = traitlets.Int(1000).tag(sync=True)

    def __init__(self, on_poll: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_poll = on_poll
        self._last = 0.0
        self.on_msg(self._handle)

    def _handle(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if content != POLL:  # only the poll message is understood; the rest is ignored
            return
        try:
            now = time.monotonic()
            if self.active and now - self._last >= MIN_POLL_GAP_S:
                self._last = now
                self._on_poll()
        finally:
            self.send({"type": "done"})


class PresenterTimer(anywidget.AnyWidget):
    """A stopwatch counted in the browser (start, pause, reset); `budget_s` is the suggested time."""

    _esm = STATIC / "timer.js"
    _css = STATIC / "timer.css"
    label = traitlets.Unicode("Case timer").tag(sync=True)
    budget_s = traitlets.Int(0).tag(sync=True)

    def reset(self) -> None:
        self.send({"type": "reset"})


def _button(text: str, tooltip: str, style: str = "", large: bool = True) -> w.Button:
    return w.Button(description=text, tooltip=tooltip, button_style=style,
                    layout=w.Layout(width="auto", height="2.4em" if large else "auto"),
                    style={"font_size": "1.2em"} if large else {})  # fmt: skip


def _status(text: str, large: bool = False) -> str:
    size = ' style="font-size:1.3em"' if large else ""
    return f'<p class="lb-live-status-text" role="status"{size}>{escape(text)}</p>' if text else ""


def closed_text(answered: int, asked: int) -> str:
    """What a learner reads under "SESSION CLOSED": how many of the decision points put to the room they answered,
    and nothing that asks for another answer."""
    if answered:
        return (f"You answered {answered} of {asked} decision{'s' if asked != 1 else ''}; "
                f"your answer{'s were' if answered != 1 else ' was'} kept.")  # fmt: skip
    which = "the decision" if asked == 1 else f"any of the {asked} decisions"
    return f"You did not answer {which} put to the room; it takes no more answers."


def closed_html(answered: int, asked: int) -> str:
    """The closed state as a verdict box: an icon and the words SESSION CLOSED, then `closed_text`; not colour alone."""
    return verdict_html("info", "SESSION CLOSED", closed_text(answered, asked), "lb-live-closed")


class CasePresenter(Described, w.VBox):
    """The instructor's console: pick a case, reveal it step by step in large type with a timer, and at a
    decision point run a live session (code on screen, live bar chart, reveal, next decision, close)."""

    description_text = "Case presenter"

    def __init__(self, content: Content, case: str | None = None, steps: dict | None = None,
                 store: LiveStore | None = None, poll_ms: int = 1000, **kwargs: Any) -> None:  # fmt: skip
        self.content = content
        self.cases = load_cases(content)
        self.steps = load_steps(content=content) if steps is None else steps
        if case is not None and case not in self.cases:
            raise ValueError(f"unknown case {case!r}")
        self._store = store
        self.session: live.Session | None = None  # holds the token: kernel only
        self.closed = False
        ordered = sorted(self.cases.values(), key=lambda c: (c.id not in self.steps, c.title))
        options = [(self._case_label(c.id), c.id) for c in ordered]
        self._case = w.Dropdown(options=options, value=case or options[0][1], description="Case",
                                layout=w.Layout(width="min(100%, 52em)"))  # fmt: skip
        self._case.observe(lambda _c: self._show_case(), names="value")
        self._timer = PresenterTimer()
        self._slide = w.HTML()
        self._slide.add_class("lb-presenter-slide-box")
        self._progress = w.HTML()
        self._back = _button("Back", "Show the previous step of the case")
        self._next = _button("Next", "Reveal the next step of the case", "primary")
        self._back.on_click(lambda _b: self.back())
        self._next.on_click(lambda _b: self.next())
        self._open = _button("Open live session", "Let the room answer this decision point from lesson 08", "primary")
        self._reveal = _button("Reveal the answer", "Show the documents' answer and the evidence to everyone")
        self._advance = _button("Next decision", "Move the room on to the next decision point")
        self._close = _button("Close session", "End the live session: no more answers")
        self._open.on_click(lambda _b: self.open_session())
        self._reveal.on_click(lambda _b: self.reveal())
        self._advance.on_click(lambda _b: self.advance())
        self._close.on_click(lambda _b: self.close_session())
        self._code, self._room, self._chart, self._answer, self._status = (w.HTML() for _ in range(5))
        for box, cls in ((self._code, "lb-live-code-box"), (self._room, "lb-live-room"),
                         (self._chart, "lb-live-chart-box"), (self._answer, "lb-live-answer-box"),
                         (self._status, "lb-live-status")):  # fmt: skip
            box.add_class(cls)
        self._poller = Poller(self.refresh, interval_ms=poll_ms)
        nav = w.HBox([self._back, self._next, self._progress], layout=w.Layout(align_items="center"))
        controls = w.HBox([self._open, self._reveal, self._advance, self._close],
                          layout=w.Layout(flex_flow="row wrap"))  # fmt: skip
        room = w.HBox([w.VBox([self._code, self._room], layout=w.Layout(flex="1 1 24em")),
                       w.VBox([self._chart, self._answer], layout=w.Layout(flex="2 1 32em"))],
                      layout=w.Layout(flex_flow="row wrap"))  # fmt: skip
        super().__init__([w.HBox([self._case, self._timer], layout=w.Layout(flex_flow="row wrap")),
                          self._slide, nav, w.HTML('<h3 style="font-size:1.6em">Live session</h3>'), controls,
                          self._status, room, self._poller], **kwargs)  # fmt: skip
        self.add_class("lb-case-presenter")
        self._show_case()

    # --- the case, step by step -------------------------------------------------------------------
    def _case_label(self, case_id: str) -> str:
        steps = self.steps.get(case_id)
        n = len(steps.decisions) if steps else 0
        return f"{self.cases[case_id].title} ({n} decision point{'s' if n != 1 else ''})"

    def _show_case(self) -> None:
        cid = self._case.value
        steps = self.steps.get(cid)
        self.deck = Deck(self.cases[cid], steps)
        self._timer.budget_s = steps.minutes * 60 if steps else 0
        self._timer.label = "Case timer"
        self._timer.reset()
        if not self._open_now():
            self._code.value = self._room.value = self._chart.value = self._answer.value = ""
            self._say("")
        self._redraw()

    def _redraw(self) -> None:
        self._slide.value = slide_html(self.deck, self.content)
        self._progress.value = f'<span style="font-size:1.3em">{escape(self.deck.progress())}</span>'
        self._back.disabled = self.deck.at_start
        self._next.disabled = self.deck.at_end
        self._open.disabled = self._open_now() or self.deck.slide.kind != "decision"
        if not self._open_now():
            self._reveal.disabled = self._advance.disabled = self._close.disabled = True

    def next(self) -> None:
        self.deck.next()
        self._redraw()
        if self._open_now():
            self.refresh()

    def back(self) -> None:
        self.deck.back()
        self._redraw()
        if self._open_now():
            self.refresh()

    def choose_case(self, case_id: str) -> None:
        if self._case.disabled:
            self._say("Close the live session before choosing another case.")
            return
        self._case.value = case_id

    # --- the live session -------------------------------------------------------------------------
    def _open_now(self) -> bool:
        return self.session is not None and not self.closed

    def _say(self, text: str) -> None:
        self._status.value = _status(text, large=True)

    def _store_or_say(self) -> LiveStore | None:
        if self._store is None:
            try:
                self._store = shared_store()
            except live.LiveError as exc:
                self._say(str(exc))
                return None
        return self._store

    @property
    def code(self) -> str | None:
        return self.session.code if self.session else None

    def open_session(self) -> None:
        """Open a session on this case's decision points, starting at the one on the screen."""
        current = self.deck.slide.decision
        if self._open_now() or current is None:
            self._say("A session is already open." if self._open_now() else "Go to a decision point first.")
            return
        store = self._store_or_say()
        if store is None:
            return
        try:
            session = store.open_session(self.deck.case.title, to_live_steps(self.deck.decisions, self.content))
            for _ in range(self.deck.decisions.index(current)):  # earlier decision points are skipped
                store.advance(session.code, session.token)
        except live.LiveError as exc:
            self._say(str(exc))
            return
        self.session, self.closed = session, False
        self._case.disabled = True
        self._code.value = code_html(session.code, session.title)
        self._say("")
        self._redraw()
        self.refresh()
        self._poller.active = True

    def refresh(self) -> None:
        """Read the room's answers (what the poller calls about once a second)."""
        if self.session is None or self._store is None:
            return
        try:
            st = self._store.state(self.session.code, token=self.session.token)
        except live.LiveError as exc:
            self._say(str(exc))
            return
        step = st.step
        on_screen = self.deck.slide.decision is not None and self.deck.slide.decision.id == step.id
        ended = " Session closed: the results stay on screen." if st.closed else ""
        self._room.value = (
            f'<div style="font-size:1.5em"><p><strong>The room is on decision {step.number}</strong>'
            + ("" if on_screen else f": {escape(step.prompt)}")
            + "</p>"
            f'<p class="lb-live-joined">{st.joined} joined; {step.answered} answered.{escape(ended)}</p></div>'
        )
        self._chart.value = chart_html(step, large=True)
        self._answer.value = reveal_html(step, large=True)
        self._reveal.disabled = st.closed or step.revealed
        self._advance.disabled = st.closed or step.number >= st.steps_total
        self._close.disabled = st.closed
        if st.closed:
            self._poller.active = False

    def reveal(self) -> None:
        self._act(lambda s, c, t: s.reveal(c, t))

    def advance(self) -> None:
        step = self._act(lambda s, c, t: s.advance(c, t))
        if step is not None:
            self.deck.go_to_decision(step.id)  # the projector shows the decision the room now answers
            self._redraw()
            self.refresh()

    def close_session(self) -> None:
        if self._act(lambda s, c, t: s.close(c, t) or True):
            self.closed = True
            self._poller.active = False
            self._case.disabled = False
            self._code.value = (f'<p class="lb-live-code-closed" style="font-size:1.4em">Session '
                                f"{escape(self.session.code)} is closed.</p>")  # fmt: skip
            self._redraw()
            self.refresh()

    def _act(self, action: Callable[[LiveStore, str, str], Any]) -> Any:
        if not self._open_now() or self._store is None:
            self._say("Open a live session first.")
            return None
        try:
            result = action(self._store, self.session.code, self.session.token)
        except live.LiveError as exc:
            self._say(str(exc))
            return None
        self._say("")
        self.refresh()
        return result


class LiveJoin(Described, w.VBox):
    """A learner joins the instructor's session with its code and answers each decision point; the page
    follows the instructor (next decision, reveal, close) by itself. Only counts are ever shown. Once the
    session is closed the options go, and the panel says how many of the decision points put to the room the
    learner answered (`closed_html`)."""

    description_text = "Live session"

    def __init__(self, store: LiveStore | None = None, poll_ms: int = 1000, **kwargs: Any) -> None:
        self._store = store
        self.learner: live.Learner | None = None
        self.step_id: str | None = None
        self.your_answer: str | None = None
        self._code = w.Text(description="Session code", placeholder="the 6 characters on the screen",
                            layout=w.Layout(width="24em", max_width="100%"),
                            style={"description_width": "initial"})  # fmt: skip
        self._join = _button("Join", "Join the live session with this code", "primary", large=False)
        self._join.on_click(lambda _b: self.join())
        self._heading, self._prompt, self._mine, self._result, self._status = (w.HTML() for _ in range(5))
        self._choice = w.RadioButtons(
            options=[],
            value=None,
            description="Your answer",
            layout=w.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self._submit = _button("Submit answer", "Send your answer; you can change it until the reveal", large=False)
        self._submit.on_click(lambda _b: self.submit())
        for box, cls in ((self._heading, "lb-live-heading"), (self._prompt, "lb-live-prompt"),
                         (self._mine, "lb-live-mine"), (self._result, "lb-live-result"),
                         (self._status, "lb-live-status")):  # fmt: skip
            box.add_class(cls)
        self._submit_row = w.HBox([self._submit])
        self._answering = w.VBox([self._heading, self._prompt, self._choice, self._submit_row, self._mine,
                                  self._result],
                                 layout=w.Layout(display="none"))  # fmt: skip
        self._poller = Poller(self.refresh, interval_ms=poll_ms)
        super().__init__([w.HBox([self._code, self._join], layout=w.Layout(flex_flow="row wrap")),
                          self._status, self._answering, self._poller], **kwargs)  # fmt: skip
        self.add_class("lb-live-join")

    def _say(self, text: str) -> None:
        self._status.value = _status(text)

    def _label(self, option_id: str | None) -> str:
        return {value: label for label, value in self._choice.options}.get(option_id, "")

    def join(self, code: str | None = None) -> None:
        if code is not None:
            self._code.value = code
        typed = self._code.value.strip()
        if not typed:
            self._say("Type the session code shown on the instructor's screen, then press Join.")
            return
        if self._store is None:
            try:
                self._store = shared_store()
            except live.LiveError as exc:
                self._say(str(exc))
                return
        try:
            learner = self._store.join(typed)
        except live.LiveError as exc:
            self._say(str(exc))
            return
        self.learner, self.step_id, self.your_answer = learner, None, None
        self._answering.layout.display = None
        self._say(f"You have joined session {learner.code}. No name is stored: the instructor sees only counts.")
        self.refresh()
        self._poller.active = True

    def refresh(self) -> None:
        """Follow the session: the current decision, whether it is revealed, whether the session has ended."""
        if self.learner is None or self._store is None:
            return
        try:
            st = self._store.state(self.learner.code, learner_id=self.learner.learner_id)
        except live.LiveError as exc:
            self._say(str(exc))
            return
        step = st.step
        where = "Closed after decision" if st.closed else "Decision"
        self._heading.value = (f"<h3>Live session {escape(st.code)}: {escape(st.title)}</h3>"
                               f"<p>{where} {step.number} of {st.steps_total}</p>")  # fmt: skip
        if step.id != self.step_id:
            moved = self.step_id is not None
            self.step_id = step.id
            with self._choice.hold_sync():
                self._choice.options = [(label, oid) for oid, label in step.options]
                self._choice.value = step.your_answer
            self._prompt.value = f"<p><strong>{escape(step.prompt)}</strong></p>"
            if moved:
                self._say(f"The instructor has moved on to decision {step.number}.")
        self.your_answer = step.your_answer
        answering = not st.closed and not step.revealed
        self._choice.disabled = self._submit.disabled = not answering
        self._result.value = chart_html(step) + reveal_html(step) if step.revealed else ""
        # Once closed, nothing asks for an answer: the options go, and the prompt stays only beside a revealed result.
        hidden = "none" if st.closed else None
        self._choice.layout.display = self._submit_row.layout.display = hidden
        self._prompt.layout.display = None if step.revealed else hidden
        if st.closed:
            self._poller.active = False
            self._mine.value = closed_html(st.your_answers or 0, st.asked)
            self._say(f"The instructor has closed session {st.code}. Thank you for taking part.")
        else:
            self._mine.value = (f"<p>Your answer: {escape(self._label(step.your_answer))}</p>" if step.your_answer
                                else "<p>You have not answered this decision yet.</p>")  # fmt: skip

    def submit(self, option_id: str | None = None) -> None:
        if option_id is not None:
            self._choice.value = option_id
        if self.learner is None or self._store is None or self.step_id is None:
            self._say("Join a live session first.")
            return
        choice = self._choice.value
        if choice is None:
            self._say("Choose one of the options first.")
            return
        before = self.your_answer
        try:
            self._store.submit(self.learner.code, self.learner.learner_id, self.step_id, choice)
        except live.LiveError as exc:
            self.refresh()  # shows where the session is now
            self._say(str(exc))
            return
        self.refresh()
        letter = self._label(choice).split(".")[0]
        if before is None:
            self._say(f"Your answer ({letter}) is in. You can change it until the instructor reveals the answer.")
        elif before != choice:
            self._say(f"Your answer was changed to {letter}. Only your latest answer counts.")
        else:
            self._say(f"Your answer ({letter}) is in, unchanged.")


__all__ = ["CasePresenter", "LiveJoin", "Poller", "PresenterTimer", "closed_html", "closed_text", "shared_store"]
