"""The case presenter and live sessions without a browser: the steps files (instructor/live_steps), the
slide order, the HTML, and the instructor's and learners' views driven through their Python API on a
throwaway SQLite store."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from widgets import cli
from widgets.content import steps as steps_mod
from widgets.content.cases import load_cases
from widgets.content.loader import ContentError, load_content
from widgets.content.steps import load_steps
from widgets.models.presenter import Deck, to_live_steps
from widgets.render.presenter import chart_html, slide_html
from widgets.stores import live
from widgets.stores.live_sql import LiveStore
from widgets.views.guard import descendants
from widgets.views.live import CasePresenter, LiveJoin, Poller

ROOT = Path(__file__).resolve().parent.parent
CASE = "first_episode_after_moving_flat"  # three decisions: scan (after history), risk_group, first_advice


@pytest.fixture(scope="module")
def steps():
    return load_steps(content=load_content())


@pytest.fixture
def store(tmp_path):
    with LiveStore(f"sqlite:///{tmp_path / 'live.sqlite'}") as s:
        yield s


def text(html: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


# --- the steps files ------------------------------------------------------------------------------------


def test_shipped_steps_cover_at_least_three_cases_and_open_as_live_sessions(content, steps, store):
    cases = load_cases(content)
    assert len(steps) >= 3 and set(steps) <= set(cases)
    for cid, cs in steps.items():
        assert (ROOT / "instructor" / "live_steps" / f"{cid}.yaml").exists()
        converted = to_live_steps(cs.decisions, content)
        assert [s.id for s in converted] == [d.id for d in cs.decisions]
        for d, s in zip(cs.decisions, converted, strict=True):
            assert 3 <= len(s.options) <= 4 and s.answer == d.answer in dict(s.options)
            assert [label[:3] for _, label in s.options] == ["A. ", "B. ", "C. ", "D. "][: len(s.options)]
        session = store.open_session(cases[cid].title, converted)  # the store's own checks accept them
        assert [st.id for st in session.steps] == [d.id for d in cs.decisions]


def test_reference_ids_are_shown_as_labels(content, steps):
    step = to_live_steps(steps[CASE].decisions[:1], content)[0]
    assert "(NICE QS155 2017)" in step.evidence and "nice_qs155" not in step.evidence
    assert "REF 3.5" in step.evidence and "S2" in step.evidence


def test_answers_stay_out_of_what_learners_are_served(steps):
    """The steps files hold the answers: nothing under assets/ or lessons/ repeats their evidence."""
    served = "\n".join(
        p.read_text(errors="replace")
        for folder in ("assets", "lessons")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".ipynb", ".md")
    )
    for cs in steps.values():
        for d in cs.decisions:
            assert " ".join(d.evidence.split()[:12]) not in served


VALID = {
    "case": CASE,
    "minutes": 10,
    "decisions": [
        {"id": "scan", "after": "history", "prompt": "Scan him?",
         "options": [{"id": "mri", "label": "MRI"}, {"id": "xray", "label": "X-ray"}, {"id": "none", "label": "No"}],
         "answer": "none", "evidence": "No red flag (REF 3.5); NICE asks for none (nice_qs155).",
         "sources": ["REF", "nice_qs155"]},
        {"id": "advice", "after": "exam", "prompt": "Advice?",
         "options": [{"id": "rest", "label": "Rest"}, {"id": "move", "label": "Move"}, {"id": "tpi", "label": "TPI"}],
         "answer": "move", "evidence": "S1 and S2 say keep moving.", "sources": ["S1", "S2"]},
    ],
}  # fmt: skip


def write_steps(folder: Path, data, name: str = f"{CASE}.yaml") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def problems_for(folder: Path, content) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_steps(folder, content)
    return [str(p) for p in exc.value.problems]


def test_a_valid_file_loads(tmp_path, content):
    write_steps(tmp_path / "steps", VALID)
    loaded = load_steps(tmp_path / "steps", content)
    assert list(loaded) == [CASE] and [d.id for d in loaded[CASE].decisions] == ["scan", "advice"]


def _with(decision: dict, **top) -> dict:
    return {**VALID, **top, "decisions": [{**VALID["decisions"][0], **decision}, VALID["decisions"][1]]}


@pytest.mark.parametrize("data, expected", [
    (_with({"answer": "ct"}), "decisions[0].answer: 'ct' is not one of the options (mri, xray, none)"),
    (_with({"options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}], "answer": "a"}),
     "decisions[0].options: List should have at least 3 items"),
    (_with({"options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}, {"id": "c", "label": "C"}],
            "answer": "a"}), "decisions[0].options: option ids repeat (a, a, c)"),
    (_with({"promt": "typo"}), "decisions[0].promt: unknown field (check the spelling)"),
    (_with({"after": "debrief"}), "decisions[0].after: Input should be 'history', 'exam' or 'imaging'"),
    (_with({"after": "imaging"}), "decisions: list the decisions in the order they are presented"),
    (_with({"id": "advice"}), "decisions: decision ids repeat (advice, advice)"),
    (_with({"sources": ["REF", "nice_qs155", "liu2032"]}),
     "decisions[0].sources[2]: unknown source (document or reference id) 'liu2032' (did you mean 'liu2023'?)"),
    (_with({"sources": ["REF", "nice_qs155", "liu2023"]}),
     "decisions[0].sources[2]: 'liu2023' is listed but not named in the evidence"),
    (_with({"evidence": "No red flag (REF); NICE asks for none (nice_qs155)."}),
     "decisions[0].sources[0]: name the reference sheet's section in the evidence (for example 'REF 3.5')"),
    (_with({}, case="driver_with_leg_pain"), "case: the file is named first_episode_after_moving_flat.yaml but "
                                             "holds case 'driver_with_leg_pain': name it driver_with_leg_pain.yaml"),
    (_with({}, case="no_such_case"), "case: unknown case 'no_such_case'"),
    (_with({}, minutes=0), "minutes: Input should be greater than or equal to 1"),
    ("case: [unclosed\n", "line 2, column 1: not valid YAML"),
])  # fmt: skip
def test_steps_file_problems_name_file_and_field(tmp_path, content, data, expected):
    path = write_steps(tmp_path / "steps", data)
    found = problems_for(tmp_path / "steps", content)
    assert any(p.startswith(f"{path}: {expected}") for p in found), found


def test_the_check_command_reports_and_exits(tmp_path, capsys):
    assert cli.main(["steps", "check"]) == 0
    assert "OK: 3 decision point(s) for case 'driver_with_leg_pain'" in capsys.readouterr().out
    bad = write_steps(tmp_path / "steps", _with({"answer": "ct"}))
    assert cli.main(["steps", "check", str(bad)]) == 1
    assert f"{bad}: decisions[0].answer: 'ct' is not one of the options" in capsys.readouterr().out


# --- the slides ------------------------------------------------------------------------------------------


def test_slides_follow_history_exam_imaging_decisions_then_answer(content, steps):
    deck = Deck(load_cases(content)[CASE], steps[CASE])
    assert [(s.kind, s.title) for s in deck.slides] == [
        ("history", "The patient"), ("decision", "Decision 1 of 3"), ("exam", "Examination"),
        ("decision", "Decision 2 of 3"), ("decision", "Decision 3 of 3"), ("imaging", "Imaging"),
        ("answer", "The documents' answer and the teaching")]  # fmt: skip
    assert deck.at_start and deck.back().kind == "history"  # cannot go before the start
    assert deck.next().decision.id == "scan" and deck.progress() == "Step 2 of 7: Decision 1 of 3"
    assert deck.go_to_decision("risk_group").number == 2
    for _ in range(10):
        deck.next()
    assert deck.at_end and deck.slide.kind == "answer"
    with pytest.raises(ValueError, match="has no decision 'nope'"):
        deck.go_to_decision("nope")
    plain = Deck(load_cases(content)["twist_at_the_warehouse_shelf"])  # a case without decision points
    assert [s.kind for s in plain.slides] == ["history", "exam", "imaging", "answer"]


def test_the_answer_appears_only_on_the_last_slide_in_large_type(content, steps):
    case = load_cases(content)["driver_with_leg_pain"]
    deck = Deck(case, steps["driver_with_leg_pain"])
    secret = [case.truth.explanation[:40], "documents' answer", "incidental", case.imaging[0].teaching[:40],
              steps["driver_with_leg_pain"].decisions[0].evidence[:40]]  # fmt: skip
    seen = []
    while True:
        html = slide_html(deck, content)
        assert "font-size:1.7em" in html and html.count("<h3>") == 1
        shown = text(html)
        seen.append(shown)
        if deck.at_end:
            break
        assert not [s for s in secret if s in shown], deck.slide.title
        deck.next()
    assert "What was causing the pain: Lumbar disc herniation, Radicular pain (sciatica)" in shown
    assert "Decision 2: B. An epidural steroid injection." in shown and "(Oliveira 2020)" in shown
    assert seen[2].startswith("Decision 1 of 3") and "C. S1 D. No root" in seen[2]  # options lettered, no answer
    assert seen[3].startswith("Imaging") and "MRI : L5-S1: left paracentral disc extrusion" in seen[3]


def test_chart_counts_in_words_and_the_answer_named_only_after_the_reveal():
    step = live.StepState("s", 1, "Q?", (("a", "A. <Rest>"), ("b", "B. Move")), False, 3, "b", "why",
                          {"a": 2, "b": 1}, None)  # fmt: skip
    shown = text(chart_html(step))
    assert "3 answers so far" in shown and "A. <Rest> : 2 answers (67%)" in shown
    assert "B. Move : 1 answer (33%)" in shown
    assert "&lt;Rest&gt;" in chart_html(step) and "documents' answer" not in shown
    revealed = live.StepState(**{**step.__dict__, "revealed": True})
    assert "B. Move ✓ the documents' answer : 1 answer" in text(chart_html(revealed))


# --- the views, through their Python API -----------------------------------------------------------------


@pytest.fixture
def console(content, steps, store):
    return CasePresenter(content, case=CASE, steps=steps, store=store)


def room(store, n: int) -> list[LiveJoin]:
    return [LiveJoin(store=store) for _ in range(n)]


def test_a_live_session_from_open_to_close(console, store):
    assert console._open.disabled  # on the history slide: not a decision point
    console.open_session()
    assert console.code is None and "Go to a decision point first" in text(console._status.value)
    console._next.click()
    assert not console._open.disabled
    console._open.click()
    code = console.code
    assert code and code in text(console._code.value) and console._case.disabled and console._poller.active
    assert console._open.disabled and "0 joined; 0 answered" in text(console._room.value)

    a, b, c = room(store, 3)
    a.join(code.lower())
    b._code.value = code
    b._join.click()
    c.join(code)
    assert "You have joined session" in text(a._status.value) and "No name is stored" in text(a._status.value)
    assert a._choice.options[0] == ("A. Request an MRI of the lumbar spine now", "mri") and a._choice.value is None
    assert "He asks for a scan" in text(a._prompt.value) and a._result.value == ""

    a.submit("mri")
    assert "Your answer (A) is in" in text(a._status.value) and "Your answer: A. Request an MRI" in text(a._mine.value)
    b._choice.value = "mri"
    b._submit.click()
    c.submit("xray")
    console.refresh()  # what the poller does every second
    chart = text(console._chart.value)
    assert "A. Request an MRI of the lumbar spine now : 2 answers (67%)" in chart
    assert "B. Request an X-ray of the lumbar spine now : 1 answer (33%)" in chart
    assert "3 joined; 3 answered" in text(console._room.value) and console._answer.value == ""

    b.submit("no_scan")  # a second answer replaces the first
    assert "Your answer was changed to C" in text(b._status.value)
    console.refresh()
    chart = text(console._chart.value)
    assert "2 answers" not in chart and "A. Request an MRI of the lumbar spine now : 1 answer" in chart
    assert "C. No scan: explain why, and look again if a red flag appears : 1 answer" in chart

    console._reveal.click()
    assert console._reveal.disabled and "The documents' answer: C. No scan" in text(console._answer.value)
    for learner in (a, b, c):
        learner.refresh()
        shown = text(learner._result.value)
        assert "The documents' answer: C. No scan" in shown and "(NICE QS155 2017)" in shown
        assert "A. Request an MRI of the lumbar spine now : 1 answer" in shown
        assert learner._choice.disabled and learner._submit.disabled
    c.submit("no_scan")
    assert "has been revealed: answers to it are closed" in text(c._status.value)

    console._advance.click()
    assert console.deck.slide.decision.id == "risk_group"  # the presenter follows the room
    a.refresh()
    assert "moved on to decision 2" in text(a._status.value) and a._choice.value is None and not a._submit.disabled
    assert [v for _, v in a._choice.options] == ["low", "medium", "high"]
    stale = b.step_id
    assert stale == "scan"  # b has not refreshed since the instructor moved on
    b.submit("no_scan")
    assert "Step 'scan' is over: answers to it are closed" in text(b._status.value) and b.step_id == "risk_group"

    console._close.click()
    assert console.closed and not console._poller.active and not console._case.disabled
    assert "Session closed" in text(console._room.value) and "is closed" in text(console._code.value)
    a.refresh()
    assert "has closed session" in text(a._status.value) and a._submit.disabled and not a._poller.active
    late = LiveJoin(store=store)
    late.join(code)
    title = "First ever back pain, a week after moving flat"
    assert f"Session {code} ({title}) has been closed by the instructor" in text(late._status.value)
    assert late.learner is None and late._answering.layout.display == "none"


def test_a_session_opened_at_a_later_decision_starts_there(console, store):
    console.deck.go_to_decision("risk_group")
    console.open_session()
    learner = LiveJoin(store=store)
    learner.join(console.code)
    assert "Decision 2 of 3" in text(learner._heading.value) and "STarT Back" in text(learner._prompt.value)
    assert "The room is on decision 2 " in text(console._room.value)  # the prompt is on the slide already
    console.back()
    assert "The room is on decision 2 : His STarT Back questionnaire" in text(console._room.value)
    console.advance()
    assert console.deck.slide.decision.id == "first_advice" and console._advance.disabled  # the last one


def test_unknown_or_missing_codes_get_the_stores_message(store):
    view = LiveJoin(store=store)
    view.join()
    assert "Type the session code shown on the instructor's screen" in text(view._status.value)
    view.join("ZZZZZZ")
    assert "No open session with code ZZZZZZ — check the code on the screen" in text(view._status.value)
    view.join("AB1")
    assert "is not a session code" in text(view._status.value) and view.learner is None
    view.submit()
    assert "Join a live session first" in text(view._status.value)


def test_a_learner_must_choose_before_submitting(console, store):
    console.next()
    console.open_session()
    view = LiveJoin(store=store)
    view.join(console.code)
    view.submit()
    assert "Choose one of the options first" in text(view._status.value)
    console.refresh()
    assert "0 answered" in text(console._room.value)


def test_the_token_never_reaches_a_widget_and_no_learner_id_is_shown(console, store):
    console.next()
    console.open_session()
    learners = room(store, 2)
    for learner in learners:
        learner.join(console.code)
        learner.submit("ct")
    console.refresh()
    console.reveal()
    for learner in learners:
        learner.refresh()
    states = json.dumps([wd.get_state() for v in (console, *learners) for wd in descendants(v)], default=str)
    assert console.session.token not in states
    assert not [lr.learner.learner_id for lr in learners if lr.learner.learner_id in states]


def test_the_case_picker_waits_for_the_session_to_close(console, content):
    console.next()
    console.open_session()
    console.choose_case("driver_with_leg_pain")
    assert console._case.value == CASE and "Close the live session" in text(console._status.value)
    console.close_session()
    console.choose_case("driver_with_leg_pain")
    assert console.deck.case.id == "driver_with_leg_pain" and console.deck.position == 0
    assert console._timer.budget_s == 15 * 60  # the driver's suggested time, shown by the timer
    assert console._code.value == "" and console._chart.value == ""


def test_poller_calls_back_only_for_the_poll_message(monkeypatch):
    calls, sent = [], []
    poller = Poller(lambda: calls.append(1), active=True)
    monkeypatch.setattr(poller, "send", sent.append)
    for junk in ({"type": "poll", "extra": 1}, {"type": "reset"}, ["poll"], "poll", None, {"method": "update"}):
        poller._handle_custom_msg(junk, [])
    assert calls == [] and sent == []  # ignored: no database read, no answer
    poller._handle_custom_msg({"type": "poll"}, [])
    assert calls == [1] and sent == [{"type": "done"}]
    poller._handle_custom_msg({"type": "poll"}, [])  # too soon after the last one: answered, not read
    assert calls == [1] and len(sent) == 2
    poller._last = 0.0
    poller.active = False
    poller._handle_custom_msg({"type": "poll"}, [])
    assert calls == [1]  # a stopped poller reads nothing


def test_lesson_functions_give_guarded_views_or_a_message(monkeypatch, tmp_path):
    from widgets import live_session
    from widgets.notebook.instructor import case_presenter

    view = live_session()
    assert isinstance(view, LiveJoin) and repr(view).startswith("<Live session:")
    view._code.set_state({"description": "hacked"})  # the page may set a value, nothing else
    assert view._code.description == "Session code" and "learners do not edit" in text(view.children[-1].value)
    view._code.set_state({"value": "ZZZZZZ"})
    assert view._code.value == "ZZZZZZ"
    assert isinstance(case_presenter(), CasePresenter)
    panel = case_presenter("no_such_case")
    shown = text(panel.value)
    assert "case presenter could not be shown" in shown and "unknown case 'no_such_case'" in shown
    monkeypatch.setattr(steps_mod, "STEPS_DIR", write_steps(tmp_path / "s", _with({"answer": "ct"})).parent)
    panel = case_presenter()
    assert "case presenter could not load its content" in text(panel.value)
    assert "decisions[0].answer" in panel.value and "lowback check" in panel.value


def test_a_bad_database_url_is_a_message_not_a_crash(monkeypatch):
    monkeypatch.setenv(live.URL_ENV, "nosuchdb://x")
    view = LiveJoin()
    view.join("ABCDEF")
    assert "Live-session database URL (set by LOWBACK_LIVE_URL) is not usable" in text(view._status.value)


def test_live_vote_bars_are_drawn_on_a_full_width_track():
    step = live.StepState("s", 1, "Q?", (("a", "A. Rest"), ("b", "B. Move"), ("c", "C. Scan")), False, 4, None, None,
                          {"a": 1, "b": 3, "c": 0}, None)
    html = chart_html(step)
    assert html.count('class="lb-live-track"') == 3 and "min-width:14em" in html
    assert re.findall(r'class="lb-live-bar" style="display:block;height:100%;width:(\d+)%', html) == ["25", "75", "0"]
