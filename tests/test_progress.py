"""The progress store: what it saves, what it suggests, and that nothing is lost across restarts, concurrent
lessons, a killed writer or a broken file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from widgets.stores import progress
from widgets.stores.progress import (
    Answer,
    CaseRun,
    LessonScore,
    ProgressError,
    ProgressStore,
    Review,
    review_next,
    summarize,
)

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = {"L1": ["q1", "q2", "q3"], "L2": ["a", "b"], "L3": ["x"]}
ORDER = ["L1", "L2", "L3"]


def ticking_clock(start: datetime = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)):
    """A clock that moves one minute per call, so stored times are known in advance."""
    n = -1

    def clock() -> datetime:
        nonlocal n
        n += 1
        return start + timedelta(minutes=n)

    return clock


@pytest.fixture
def store(tmp_path):
    with ProgressStore(tmp_path / "progress.sqlite", clock=ticking_clock()) as s:
        yield s


@pytest.fixture
def children():
    """Start Python children running a snippet with the repository importable; all are killed at the end."""
    started: list[subprocess.Popen] = []

    def start(code: str, *args: str) -> subprocess.Popen:
        p = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started.append(p)
        return p

    yield start
    for p in started:
        if p.poll() is None:
            p.kill()
        p.communicate()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# --- saving and reading back ---------------------------------------------------------------------------------


def test_round_trip(store):
    store.record_answer("L1", "q1", 2, True)
    store.complete_lesson("L1")
    run = store.save_case("qlc", 42, [{"step": "advice"}], {"relief": "good"}, finished=True)
    assert store.answers() == [Answer("L1", "q1", 2, True, 1, True, "2026-01-01T09:00:00+00:00")]
    assert store.completed_lessons() == ["L1"]
    assert store.case_runs() == [CaseRun(run, "qlc", 42, [{"step": "advice"}], {"relief": "good"}, True,
                                         "2026-01-01T09:02:00+00:00")]
    with sqlite3.connect(store.path) as conn:  # the file is set up as documented
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION


def test_a_new_answer_replaces_the_old_and_attempts_are_counted(store):
    store.record_answer("L1", "q1", 0, False)
    store.record_answer("L1", "q1", 3, True)
    store.record_answer("L1", "q2", 1, True)
    store.record_answer("L1", "q2", 0, False)
    q1, q2 = store.answers()
    assert (q1.choice, q1.correct, q1.attempts, q1.first_correct) == (3, True, 2, False)
    assert (q2.choice, q2.correct, q2.attempts, q2.first_correct) == (0, False, 2, True)
    assert q1.answered_at == "2026-01-01T09:01:00+00:00" and q2.answered_at == "2026-01-01T09:03:00+00:00"


def test_completing_twice_keeps_the_first_time(store):
    store.complete_lesson("L2")
    store.complete_lesson("L2")
    assert store.export()["completed_lessons"] == [{"lesson": "L2", "completed_at": "2026-01-01T09:00:00+00:00"}]


def test_a_case_run_is_started_then_updated(store):
    first = store.save_case("qlc", 1, ["rest"])
    second = store.save_case("sciatica", 2, [])
    assert store.save_case("qlc", 1, ["rest", "walk"], {"relief": "fair"}, finished=True, run=first) == first
    runs = {r.run: r for r in store.case_runs()}
    assert second != first and len(runs) == 2
    assert (runs[first].path, runs[first].outcome, runs[first].finished) == (["rest", "walk"], {"relief": "fair"}, True)
    assert (runs[second].outcome, runs[second].finished) == (None, False)
    with pytest.raises(ValueError, match="no saved run 99 of case 'qlc'"):
        store.save_case("qlc", 1, [], run=99)
    with pytest.raises(ValueError, match="case 'qlc': the path and outcome must be JSON data"):
        store.save_case("qlc", 1, [object()])
    assert len(store.case_runs()) == 2


def test_a_transaction_is_all_or_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.record_answer("L1", "q1", 0, True)
            store.complete_lesson("L1")
            raise RuntimeError("the view failed half-way")
    assert store.answers() == [] and store.completed_lessons() == []
    with store.transaction():
        store.record_answer("L1", "q1", 0, True)
        store.complete_lesson("L1")
    assert len(store.answers()) == 1 and store.completed_lessons() == ["L1"]


def test_export_is_plain_json_and_reset_keeps_a_backup(store):
    store.record_answer("L1", "q1", 1, False)
    store.save_case("qlc", 3, ["rest"], {"time": "poor"}, finished=True)
    exported = store.export()
    assert json.loads(json.dumps(exported)) == exported
    assert exported["answers"][0] == {"lesson": "L1", "question": "q1", "choice": 1, "correct": False,
                                      "attempts": 1, "first_correct": False,
                                      "answered_at": "2026-01-01T09:00:00+00:00"}
    assert exported["cases"][0]["outcome"] == {"time": "poor"}
    backup = store.reset()
    assert backup == store.path.with_name("progress.sqlite.backup-1")
    assert store.answers() == [] and store.case_runs() == []
    with ProgressStore(backup, clock=ticking_clock()) as old:
        assert old.export()["answers"] == exported["answers"] and old.export()["cases"] == exported["cases"]
    assert store.reset() == store.path.with_name("progress.sqlite.backup-2")


# --- the progress panel's queries (pure) ---------------------------------------------------------------------


def answer(lesson: str, question: str, correct: bool) -> Answer:
    return Answer(lesson, question, 0, correct, 1, correct, "t")


def test_summary_scores_each_lesson_against_its_questions():
    answers = [answer("L1", "q1", True), answer("L1", "q2", False), answer("L1", "gone", True),
               answer("Z9", "z", True)]
    runs = [CaseRun(1, "qlc", 1, [], None, False, "t"), CaseRun(2, "qlc", 2, ["rest"], {"relief": "good"}, True, "t")]
    s = summarize(answers, ["L2", "L0"], runs, QUESTIONS)
    assert s.lessons == (
        LessonScore("L1", 2, 1, 3, False),  # the answer to a question no longer in the course is not counted
        LessonScore("L2", 0, 0, 2, True),
        LessonScore("L3", 0, 0, 1, False),
        LessonScore("L0", 0, 0, None, True),  # lessons the caller did not list come after, by name
        LessonScore("Z9", 1, 1, None, False),
    )
    assert s.completed == ("L2", "L0")
    assert s.cases == (runs[1],)  # finished runs only
    assert summarize(answers, [], []).lessons[0] == LessonScore("L1", 3, 2, None, False)


def test_review_puts_wrong_answers_first_then_unanswered_then_the_next_lesson():
    answers = [answer("L2", "b", False), answer("L1", "q1", True), answer("L1", "q3", False), answer("L2", "a", True)]
    assert review_next(answers, [], QUESTIONS, ORDER) == [
        Review("wrong", "L1", ("q3",)), Review("wrong", "L2", ("b",)),  # in course order, not answer order
        Review("unanswered", "L1", ("q2",)),
        # the first lesson not completed is L1, already named
    ]
    # L1 all right and completed; L2 not started: nothing to review, so on to L2
    done_l1 = [answer("L1", q, True) for q in QUESTIONS["L1"]]
    assert review_next(done_l1, ["L1"], QUESTIONS, ORDER) == [Review("next", "L2")]
    # all answered but not marked completed: carry on with that lesson
    assert review_next(done_l1, [], QUESTIONS, ORDER) == [Review("next", "L1")]
    # a completed lesson with skipped questions is "started"; a later lesson is next
    assert review_next([], ["L1"], QUESTIONS, ORDER) == [Review("unanswered", "L1", ("q1", "q2", "q3")),
                                                         Review("next", "L2")]
    assert review_next([], [], QUESTIONS, ORDER) == [Review("next", "L1")]
    everything = [answer(le, q, True) for le, qs in QUESTIONS.items() for q in qs]
    assert review_next(everything, ORDER, QUESTIONS, ORDER) == []


def test_the_store_answers_the_same_queries(store):
    store.record_answer("L1", "q1", 0, False)
    store.complete_lesson("L3")
    assert store.summary(QUESTIONS).lessons[0] == LessonScore("L1", 1, 0, 3, False)
    assert store.review_next(QUESTIONS, ORDER) == [Review("wrong", "L1", ("q1",)),
                                                   Review("unanswered", "L1", ("q2", "q3"))]


# --- where the file lives ------------------------------------------------------------------------------------


def test_default_path_is_in_the_jupyter_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    expected = tmp_path / "data" / "lowback-course" / "progress.sqlite"
    assert progress.default_path() == expected
    monkeypatch.setenv(progress.ENV, "")  # empty means unset
    with ProgressStore() as s:
        s.complete_lesson("L1")
    assert s.path == expected and expected.is_file()


def test_the_environment_variable_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(progress.ENV, str(tmp_path / "elsewhere" / "deep" / "mine.sqlite"))
    with ProgressStore() as s:
        s.complete_lesson("L1")
    assert (tmp_path / "elsewhere" / "deep" / "mine.sqlite").is_file()
    assert not (tmp_path / "data").exists()


# --- restarts, concurrent lessons, a killed writer -----------------------------------------------------------

RESTART = """
import json, os, sys
from datetime import UTC, datetime
from widgets.stores.progress import ProgressStore
store = ProgressStore(sys.argv[1], clock=lambda: datetime(2026, 2, 1, tzinfo=UTC))
store.record_answer("L2", "a", 1, True)
print(json.dumps(store.export()), flush=True)
os._exit(0)  # no close: the kernel just dies
"""


@pytest.mark.timeout(60)
def test_progress_survives_a_kernel_restart(store, children):
    store.record_answer("L1", "q1", 0, True)
    store.save_case("qlc", 7, ["rest"], {"relief": "good"}, finished=True)
    store.close()
    out, err = children(RESTART, store.path).communicate(timeout=50)
    assert err == ""
    seen = json.loads(out)  # the new kernel sees what the old one saved
    assert [(a["lesson"], a["question"]) for a in seen["answers"]] == [("L1", "q1"), ("L2", "a")]
    assert seen["cases"][0]["path"] == ["rest"]
    with ProgressStore(store.path) as again:  # and what it saved itself, though it never closed
        assert again.notice is None
        assert [(a.lesson, a.question, a.answered_at) for a in again.answers()] == [
            ("L1", "q1", "2026-01-01T09:00:00+00:00"), ("L2", "a", "2026-02-01T00:00:00+00:00")]


WRITER = """
import sys
from widgets.stores.progress import ProgressStore
path, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
print("ready", flush=True)
sys.stdin.readline()  # all writers start together, on a file none has created yet
store = ProgressStore(path)
for i in range(n):
    store.record_answer(name, f"q{i}", i, i % 2 == 0)
    store.record_answer("shared", "q", i, True)
store.complete_lesson("shared")
store.save_case("qlc", int(name[1:]), [name], {"by": name}, finished=True)
print("done", flush=True)
"""


def start_together(procs: list[subprocess.Popen]) -> list[subprocess.Popen]:
    """Wait until every child has started Python and imported, then release them all at once."""
    for p in procs:
        assert p.stdout.readline() == "ready\n"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    return procs


@pytest.mark.timeout(60)
def test_several_lessons_write_at_the_same_moment(tmp_path, children):
    path, n, writers = tmp_path / "progress.sqlite", 40, 4
    procs = start_together([children(WRITER, path, f"w{k}", n) for k in range(writers)])
    for p in procs:
        out, err = p.communicate(timeout=50)
        assert (p.returncode, out, err) == (0, "done\n", "")  # no "database is locked", no traceback
    assert integrity(path) == "ok"
    with ProgressStore(path) as s:
        answers = s.answers()
        for k in range(writers):
            assert [a.question for a in answers if a.lesson == f"w{k}"] == sorted(f"q{i}" for i in range(n))
        shared = next(a for a in answers if a.lesson == "shared")
        assert shared.attempts == writers * n  # no update lost between processes
        assert s.completed_lessons() == ["shared"]
        assert sorted(r.seed for r in s.case_runs()) == list(range(writers))


OPENER = """
import sys
from widgets.stores.progress import ProgressStore
print("ready", flush=True)
sys.stdin.readline()
store = ProgressStore(sys.argv[1])
store.complete_lesson(sys.argv[2])
print("notice" if store.notice else "clean", flush=True)
"""


@pytest.mark.timeout(60)
def test_lessons_opening_a_broken_file_together_repair_it_once(tmp_path, children):
    path = tmp_path / "progress.sqlite"
    path.write_bytes(b"not a database " * 100)
    procs = start_together([children(OPENER, path, f"L{k}") for k in range(3)])
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=50)
        assert (p.returncode, err) == (0, "")
        outs.append(out)
    assert sorted(outs) == ["clean\n", "clean\n", "notice\n"]  # one moved it aside; the others use the new file
    assert sorted(f.name for f in tmp_path.glob("*.corrupt-*")) == ["progress.sqlite.corrupt-1"]
    with ProgressStore(path) as s:
        assert sorted(s.completed_lessons()) == ["L0", "L1", "L2"]


KILLED = """
import sqlite3, sys
from widgets.stores.progress import ProgressStore
path, pause_in = sys.argv[1], int(sys.argv[2])
store = ProgressStore(path)
blob = "x" * 100_000  # 40 of these per batch: more than SQLite's 2 MB page cache, so it spills into the WAL
for batch in range(10**6):
    if batch == pause_in:  # empty the WAL, so what is in it at the pause is uncommitted
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    with store.transaction():
        for j in range(40):
            store.save_case(f"b{batch}", j, [blob])
            if batch == pause_in and j == 30:
                print("mid", flush=True)
                sys.stdin.readline()
    print(batch, flush=True)
"""


def batches(path: Path) -> dict[str, int]:
    with ProgressStore(path) as s:
        assert s.notice is None
        runs = s.case_runs()
    return {case: sum(r.case == case for r in runs) for case in {r.case for r in runs}}


@pytest.mark.timeout(60)
def test_a_writer_killed_inside_a_transaction_loses_only_that_transaction(tmp_path, children):
    path = tmp_path / "progress.sqlite"
    child = children(KILLED, path, 2)
    assert [child.stdout.readline() for _ in range(3)] == ["0\n", "1\n", "mid\n"]
    assert os.path.getsize(f"{path}-wal") > 0  # uncommitted pages are on disk when the writer dies
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert integrity(path) == "ok"
    assert batches(path) == {"b0": 40, "b1": 40}


@pytest.mark.timeout(60)
def test_a_writer_killed_at_any_moment_loses_nothing_committed(tmp_path, children):
    path = tmp_path / "progress.sqlite"
    child = children(KILLED, path, -1)
    committed = [child.stdout.readline() for _ in range(3)]
    child.send_signal(signal.SIGKILL)  # while it writes batch 3 or 4, or commits one
    child.wait(timeout=10)
    assert committed == ["0\n", "1\n", "2\n"]
    assert integrity(path) == "ok"
    found = batches(path)
    assert set(found.values()) == {40}  # each batch whole or absent
    assert sorted(found) == [f"b{i}" for i in range(len(found))] and len(found) >= 3


# --- broken files and places that cannot be written ----------------------------------------------------------


def real_db(path: Path, version: int | None = None) -> None:
    with ProgressStore(path, clock=ticking_clock()) as s, s.transaction():
        for i in range(200):
            s.record_answer(f"L{i % 5}", f"question {i} " + "x" * 200, i, i % 3 == 0)
    if version is not None:
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.close()


def random_bytes(path: Path) -> str:
    path.write_bytes(random.Random(6).randbytes(8192))
    Path(f"{path}-wal").write_bytes(b"stale")
    return "file is not a database"


def truncated(path: Path) -> str:
    real_db(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return "database disk image is malformed"


def future_schema(path: Path) -> str:
    real_db(path, version=progress.SCHEMA_VERSION + 1)
    return f"written by a newer version of the course: schema {progress.SCHEMA_VERSION + 1}"


@pytest.mark.parametrize("breaker", [random_bytes, truncated, future_schema])
def test_an_unreadable_file_is_moved_aside_and_a_new_one_started(tmp_path, breaker):
    path = tmp_path / "progress.sqlite"
    reason = breaker(path)
    original = path.read_bytes()
    (tmp_path / "progress.sqlite.corrupt-1").write_text("an earlier one")
    with ProgressStore(path) as s:
        aside = tmp_path / "progress.sqlite.corrupt-2"
        assert s.notice.startswith(f"Your progress file {path} was unreadable ({reason}")
        assert s.notice.endswith(f"it was moved to {aside} and a new one started.")
        assert aside.read_bytes() == original  # kept, for whoever wants to rescue it
        assert (tmp_path / "progress.sqlite.corrupt-1").read_text() == "an earlier one"
        s.record_answer("L1", "q1", 0, True)
        assert [a.question for a in s.answers()] == ["q1"]
    if breaker is random_bytes:
        assert Path(f"{aside}-wal").read_bytes() == b"stale"
    with ProgressStore(path) as again:
        assert again.notice is None and len(again.answers()) == 1


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    target = tmp_path / "file" / "sub" / "progress.sqlite"
    with pytest.raises(ProgressError, match=f"progress file {target}: {tmp_path / 'file'} is a file, not a folder"):
        ProgressStore(target)


def test_a_path_that_is_a_folder_is_a_clear_error(tmp_path):
    (tmp_path / "progress.sqlite").mkdir()
    with pytest.raises(ProgressError, match=f"Cannot open your progress file {tmp_path / 'progress.sqlite'}: Is a dir"):
        ProgressStore(tmp_path / "progress.sqlite")


def test_saving_while_another_writer_holds_the_lock_too_long_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "BUSY_TIMEOUT_MS", 50)
    with ProgressStore(tmp_path / "p.sqlite") as s:
        blocker = sqlite3.connect(s.path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(ProgressError, match=f"Could not save your progress to {s.path}: database is locked"):
                s.record_answer("L1", "q1", 0, True)
        finally:
            blocker.close()
        s.record_answer("L1", "q1", 0, True)  # and it works again once the lock is gone
        assert len(s.answers()) == 1


root_ignores_permissions = pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                                              reason="root can write to read-only files and folders")


@root_ignores_permissions
def test_a_read_only_file_is_a_clear_error(tmp_path):
    path = tmp_path / "progress.sqlite"
    real_db(path)
    path.chmod(0o444)
    with pytest.raises(ProgressError, match=f"Cannot save progress to {path}: the file cannot be opened for writing"):
        ProgressStore(path)


@root_ignores_permissions
def test_a_read_only_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    try:
        target = folder / "p.sqlite"
        with pytest.raises(ProgressError, match=f"progress to {target}: the folder {folder} is not writable"):
            ProgressStore(target)
    finally:
        folder.chmod(0o755)
