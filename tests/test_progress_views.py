"""Progress as a learner meets it, without a browser: the self-check saves each checked answer and shows it again
in a new kernel, the case player saves a finished case, and the progress panel reports, exports and resets.
Saving never breaks a view: an unwritable file, saving turned off or a broken file each get one plain line."""

from __future__ import annotations

import html
import json
import os
import re

import pytest

import widgets
from widgets.content.cases import load_cases
from widgets.notebook import learner as lesson
from widgets.stores import progress
from widgets.stores.progress import ProgressError, ProgressStore
from widgets.views.progress import ProgressPanel
from widgets.views.selfcheck import SelfCheck
from widgets.views.simulation import CasePlayer


def text(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """A fresh progress file for this test; the kernel's stores are forgotten before and after."""
    path = tmp_path / "data" / "progress.sqlite"
    monkeypatch.setenv(progress.ENV, str(path))
    monkeypatch.delenv(progress.CLASS_ENV, raising=False)
    progress.close_stores()
    yield path
    progress.close_stores()


def new_kernel() -> None:
    """What a kernel or server restart does to the views: the next view opens the file afresh."""
    progress.close_stores()


def card(view: SelfCheck, n: int):
    """(choices, check button, feedback) of question N (1-based)."""
    _prompt, choices, button, feedback = view.children[n - 1].children
    return choices, button, feedback


def saved(path) -> dict[tuple[str, str], progress.Answer]:
    with ProgressStore(path) as store:
        return {(a.lesson, a.question): a for a in store.answers()}


def right_and_wrong(content, lesson: str, question: str) -> tuple[int, int]:
    """The index of the right choice and of a wrong one."""
    q = next(q for q in content.questions[lesson] if q.id == question)
    right = next(i for i, c in enumerate(q.choices) if c.correct)
    return right, next(i for i in range(len(q.choices)) if i != right)


# --- the self-check ----------------------------------------------------------------------------------------------


def test_checking_an_answer_saves_it_at_once(fixture_content, progress_file):
    view = SelfCheck(fixture_content, "01")
    assert "saved as you check them" in text(view._saved.value)
    choices, button, feedback = card(view, 1)
    choices.value = 1  # wrong
    button.click()
    assert "Not quite." in feedback.value
    assert text(view._saved.value) == "Saved: your answer to question 1."
    first = saved(progress_file)[("01", "q_facet")]
    assert (first.choice, first.correct, first.attempts, first.first_correct) == (1, False, 1, False)
    choices.value = 0  # right, the second time
    button.click()
    again = saved(progress_file)[("01", "q_facet")]
    assert (again.choice, again.correct, again.attempts, again.first_correct) == (0, True, 2, False)


def test_a_new_kernel_shows_the_saved_choices_feedback_score_and_done(fixture_content, progress_file):
    view = SelfCheck(fixture_content, "01")
    for n, choice in ((1, 0), (2, 1)):  # question 1 right, question 2 wrong
        choices, button, _ = card(view, n)
        choices.value = choice
        button.click()
    assert view._done.description == "Mark this lesson as done" and not view._done.disabled
    view._done.click()
    assert "lesson 01 is marked as done" in text(view._saved.value)
    assert view._done.disabled and view._done.description == "Lesson marked as done"
    new_kernel()
    back = SelfCheck(fixture_content, "01")
    (c1, _, f1), (c2, _, f2) = card(back, 1), card(back, 2)
    assert (c1.value, c2.value) == (0, 1)
    assert "Correct." in f1.value and "Not quite." in f2.value
    assert "Answered 2 of 2; 1 correct so far." in back._score.value
    assert back._done.disabled and back._done.description == "Lesson marked as done"
    assert "Your saved answers are shown again (2 of 2)" in text(back._saved.value)
    with ProgressStore(progress_file) as store:
        assert store.completed_lessons() == ["01"]
        assert store.answers()[0].attempts == 1  # showing an answer again does not count as answering it


def test_a_page_opening_a_lesson_run_in_advance_shows_what_was_saved_since(fixture_content, progress_file):
    """Voila runs each lesson in a waiting kernel before anyone opens it; when a page draws the self-check, its
    PageShown tells the kernel, and the answers saved meanwhile (in another lesson's kernel) appear."""
    waiting = SelfCheck(fixture_content, "01")
    other = SelfCheck(fixture_content, "01")
    for n, choice in ((1, 0), (2, 0)):
        choices, button, _ = card(other, n)
        choices.value = choice
        button.click()
    c2, _, _ = card(waiting, 2)
    c2.value = 1  # the learner is choosing again on this page and has not checked it yet
    assert card(waiting, 1)[0].value is None
    waiting._page._handle_custom_msg({"event": "shown"}, [])  # what page_shown.js sends
    c1, _, f1 = card(waiting, 1)
    assert c1.value == 0 and "Correct." in f1.value
    assert c2.value == 1, "an answer being changed on the page is left alone"
    assert "Answered 1 of 2" in waiting._score.value
    waiting._page._handle_custom_msg({"event": "something else"}, [])  # other messages change nothing
    assert c2.value == 1


def test_an_unwritable_progress_file_leaves_the_self_check_working_and_says_why(fixture_content, tmp_path,
                                                                                 monkeypatch):
    (tmp_path / "a_file").write_text("not a folder")
    monkeypatch.setenv(progress.ENV, str(tmp_path / "a_file" / "progress.sqlite"))
    progress.close_stores()
    try:
        view = SelfCheck(fixture_content, "01")
        line = text(view._saved.value)
        assert "is a file, not a folder" in line and "not being saved" in line
        assert 'role="status"' in view._saved.value
        assert view._done.disabled
        choices, button, feedback = card(view, 1)
        choices.value = 0
        button.click()
        assert "Correct." in feedback.value and "Answered 1 of 2" in view._score.value
        assert "not being saved" in text(view._saved.value)
    finally:
        progress.close_stores()


@pytest.mark.parametrize("error", [ProgressError("Could not save your progress to p.sqlite: disk I/O error."),
                                   RuntimeError("something unexpected")])
def test_a_failed_write_is_one_line_not_an_error(fixture_content, progress_file, monkeypatch, error):
    view = SelfCheck(fixture_content, "01")

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(ProgressStore, "record_answer", fail)
    choices, button, feedback = card(view, 1)
    choices.value = 0
    button.click()
    assert "Correct." in feedback.value
    line = text(view._saved.value)
    assert str(error).rstrip(".") in line and "The course keeps working, but your progress is not being saved." in line


def test_saving_off_says_progress_is_not_saved_and_why(fixture_content, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(progress.ENV, "off")
    monkeypatch.delenv(progress.CLASS_ENV, raising=False)
    progress.close_stores()
    try:
        view = SelfCheck(fixture_content, "01")
        assert "not saved: saving is turned off on this server (LOWBACK_PROGRESS=off)" in text(view._saved.value)
        choices, button, feedback = card(view, 1)
        choices.value = 0
        button.click()
        assert "Correct." in feedback.value and "not saved" in text(view._saved.value)
        monkeypatch.setenv(progress.CLASS_ENV, "08_case_simulator.ipynb")  # what a class server sets
        progress.close_stores()
        line = text(SelfCheck(fixture_content, "01")._saved.value)
        assert "not saved on this server" in line and "whole class" in line
        assert "JupyterLab, on JupyterHub, or with the command make dashboards on your own computer" in line
        assert list(tmp_path.iterdir()) == [], "nothing is written anywhere, not even a file called 'off'"
    finally:
        progress.close_stores()


def test_a_broken_file_is_moved_aside_and_the_views_say_where(fixture_content, progress_file, content):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(b"this is not a database")
    view = SelfCheck(fixture_content, "01")
    line = text(view._saved.value)
    assert "was unreadable" in line and f"{progress_file}.corrupt-1" in line
    new_kernel()  # a lesson opened later did not do the moving, but the panel still tells
    panel = ProgressPanel(content)
    assert f"{progress_file}.corrupt-1" in text(panel._report.value)


# --- the case player ---------------------------------------------------------------------------------------------


def test_finishing_a_case_saves_the_run(content, progress_file):
    player = CasePlayer(content, case="garden_weekend_flank_ache")
    player._exam_btn.click()
    player._rung.value = "conservative"
    player._treatment.value = "physical_therapy"
    player._give.click()
    with ProgressStore(progress_file) as store:
        assert store.case_runs() == [], "nothing is saved before the debrief"
    player._finish.click()
    assert "Saved: this finished case is in your progress" in text(player._status.value)
    player._redraw()  # drawing the same debrief again saves nothing more
    with ProgressStore(progress_file) as store:
        (run,) = store.case_runs()
    assert (run.case, run.seed, run.finished) == ("garden_weekend_flank_ache", 1, True)
    assert run.path == ["examine", "physical_therapy", "finish"]
    assert run.outcome["outcome"] == "finished"
    assert set(run.outcome["scores"]) == {"relief", "function", "risk", "cost", "time"}
    player._another.click()  # another patient like this one, finished at once
    player._finish.click()
    with ProgressStore(progress_file) as store:
        assert [(r.seed, r.path) for r in store.case_runs()] == [(1, run.path), (2, ["finish"])]


def test_a_case_finished_without_saving_says_why(content, tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV, "off")
    progress.close_stores()
    try:
        player = CasePlayer(content, case="garden_weekend_flank_ache")
        player._finish.click()
        assert "Your path, scored" in player._debrief.value
        assert "not saved" in text(player._status.value)
    finally:
        progress.close_stores()


# --- the progress panel ------------------------------------------------------------------------------------------


@pytest.fixture
def some_progress(content, progress_file):
    """Lesson 00 done; lesson 01: first question right first time, second wrong; one finished case."""
    q1, q2 = (q.id for q in content.questions["01"][:2])
    right1, _ = right_and_wrong(content, "01", q1)
    _, wrong2 = right_and_wrong(content, "01", q2)
    with ProgressStore(progress_file) as store:
        store.complete_lesson("00")
        store.record_answer("01", q1, right1, True)
        store.record_answer("01", q2, wrong2, False)
        store.save_case("garden_weekend_flank_ache", 3, ["examine", "physical_therapy", "finish"],
                        {"outcome": "finished", "scores": {"relief": "good", "function": "fair", "risk": "good",
                                                           "cost": "good", "time": "poor"}}, finished=True)
        store.save_case("driver_with_leg_pain", 1, ["nsaids"])  # not finished: not listed
    return progress_file


def test_the_panel_says_what_is_done_scores_cases_and_what_to_review(content, some_progress):
    report = text(ProgressPanel(content)._report.value)
    total = len(content.questions["01"])
    assert f"You have marked 1 of {len(content.lessons)} lessons as done: Lesson 00, How to use the course" in report
    assert (f"Lesson 01, Anatomy of the lumbar spine and pelvis Not yet 1 correct of 2 answered, out of {total} "
            "questions 1 of 2") in report
    assert "Lesson 02, Pain generators, imaging and the examination Not yet Not started" in report
    title = load_cases(content)["garden_weekend_flank_ache"].title
    assert (f"{title} Patient 3 Followed up to the end. Your path scored: relief good, function fair, risk good, "
            "cost good, time poor.") in report
    assert load_cases(content)["driver_with_leg_pain"].title not in report
    prompt2 = content.questions["01"][1].prompt
    review = report.split("What to review next")[1].strip()
    assert review.startswith(f"Lesson 01, Anatomy of the lumbar spine and pelvis: your latest answer to question 2 "
                             f"(\u201c{prompt2[:30]}")
    # then the unanswered questions of the earliest lesson started (00, marked done but not answered), then the
    # first lesson not done
    numbers = [str(n) for n in range(1, len(content.questions["00"]) + 1)]
    unanswered = (f"Lesson 00, How to use the course: questions {', '.join(numbers[:-1])} and {numbers[-1]} are not "
                  "answered yet.")
    upcoming = "Next lesson to work through: Lesson 01, Anatomy of the lumbar spine and pelvis."
    assert review.index("is not right") < review.index(unanswered) < review.index(upcoming)
    assert str(some_progress) in report and "Nothing is sent anywhere" in report


def test_the_panel_refreshes_when_shown_and_on_request(content, progress_file):
    panel = ProgressPanel(content)
    assert "No lesson is marked as done yet" in text(panel._report.value)
    with ProgressStore(progress_file) as other_lesson:
        other_lesson.complete_lesson("03")
    panel._page._handle_custom_msg({"event": "shown"}, [])
    assert "Lesson 03, Red flags and triage" in text(panel._report.value)
    with ProgressStore(progress_file) as other_lesson:
        other_lesson.complete_lesson("04")
    panel._refresh.click()
    assert "You have marked 2 of" in text(panel._report.value)


def test_export_writes_a_json_copy_next_to_the_progress_file(content, some_progress):
    panel = ProgressPanel(content)
    panel._export.click()
    copy = some_progress.with_name("progress-export-1.json")
    assert copy.is_file()
    assert text(panel._status.value) == f"A copy of your progress was written to {copy}."
    data = json.loads(copy.read_text())
    assert data["format"] == "lowback-course progress"
    assert {a["lesson"] for a in data["answers"]} == {"01"} and len(data["cases"]) == 2
    panel._export.click()
    assert some_progress.with_name("progress-export-2.json").is_file(), "a second export never overwrites the first"


def test_reset_needs_a_second_click_and_says_where_the_backup_went(content, some_progress):
    panel = ProgressPanel(content)
    panel._confirm.click()  # the hidden button, pressed without Reset first (a crafted message): nothing happens
    assert len(saved(some_progress)) == 2
    assert panel._confirm.layout.display == "none"
    panel._reset.click()
    assert len(saved(some_progress)) == 2, "the first click erases nothing"
    assert panel._confirm.layout.display is None and panel._reset.disabled
    assert "Reset erases every saved answer" in text(panel._status.value)
    panel._cancel.click()
    assert text(panel._status.value) == "Nothing was erased." and len(saved(some_progress)) == 2
    assert panel._confirm.layout.display == "none" and not panel._reset.disabled
    panel._reset.click()
    panel._confirm.click()
    backup = some_progress.with_name("progress.sqlite.backup-1")
    assert saved(some_progress) == {}
    assert f"The backup is {backup}" in text(panel._status.value)
    with ProgressStore(backup) as old:
        assert len(old.answers()) == 2 and old.completed_lessons() == ["00"]
    assert "No lesson is marked as done yet" in text(panel._report.value)


def test_the_panel_without_saving_says_why_and_offers_nothing_to_press(content, monkeypatch):
    monkeypatch.setenv(progress.ENV, "off")
    progress.close_stores()
    try:
        panel = ProgressPanel(content)
        assert "not saved" in text(panel._report.value) and "not saved" in text(panel._status.value)
        assert panel._export.disabled and panel._reset.disabled and panel._refresh.disabled
    finally:
        progress.close_stores()


def test_progress_panel_is_a_lesson_function(progress_file, assets_copy, monkeypatch):
    assert widgets.progress_panel is lesson.progress_panel
    panel = lesson.progress_panel()
    assert isinstance(panel, ProgressPanel) and repr(panel).startswith("<Progress panel:")
    (assets_copy / "lessons.yaml").write_text("lessons: [\n")
    monkeypatch.setenv("LOWBACK_ASSETS", str(assets_copy))
    broken = lesson.progress_panel()
    assert "progress panel could not load its content" in broken.value and "Traceback" not in broken.value


# --- a server for a whole class ------------------------------------------------------------------------------------


def test_a_class_server_turns_saving_off_unless_told_where_to_save(monkeypatch, tmp_path):
    """Standalone Voila runs every learner's kernel as one user: with a class lesson set, config/voila.py turns
    progress off (the kernels inherit its environment), so a room never shares one progress file."""
    from traitlets.config.loader import PyFileConfigLoader

    from tests.servers import CONFIG

    def load(class_lesson: str, progress_env: str | None) -> str | None:
        monkeypatch.setenv("LOWBACK_CLASS_LESSON", class_lesson)
        if progress_env is None:
            monkeypatch.delenv(progress.ENV, raising=False)
        else:
            monkeypatch.setenv(progress.ENV, progress_env)
        PyFileConfigLoader("voila.py", path=str(CONFIG)).load_config()
        return os.environ.get(progress.ENV)

    assert load("08_case_simulator.ipynb", None) == "off"
    assert load("", None) is None, "outside a class each learner's own progress is saved"
    assert load("08_case_simulator.ipynb", str(tmp_path / "p.sqlite")) == str(tmp_path / "p.sqlite")
