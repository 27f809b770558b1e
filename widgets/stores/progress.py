"""Progress store: self-check answers, completed lessons, case runs and the spaced review's schedule, saved locally
in SQLite as they happen.

Where: `$LOWBACK_PROGRESS` (a file path) if set, else `<jupyter data dir>/lowback-course/progress.sqlite`
(`jupyter_core.paths.jupyter_data_dir()`, which honours `JUPYTER_DATA_DIR`). Nothing is ever sent anywhere.

Durability and concurrency. Every lesson runs in its own kernel, so several processes may write at once.
The file is in WAL mode (readers never block the writer, a crash never leaves a half-written commit), each
process holds one connection, every write is one `BEGIN IMMEDIATE` transaction (the write lock is taken up
front, so `busy_timeout` waits for another writer instead of failing with "database is locked"), and
`synchronous=FULL`: each commit is fsynced, so a click survives even a power cut or a VM being stopped,
not only a kernel or server crash (NORMAL would do for those). Commits here are a few per minute, so the
fsync costs nothing a learner notices.

Schema versions and migration. `PRAGMA user_version` says which of MIGRATIONS a file has had; opening runs the
missing ones, in order, in one transaction, and only adds: version 1 is answers, lessons and cases; version 2 adds
the spaced review's `review_cards` (one FSRS card per question, widgets/models/review.py) and `reviews` (every
review answer). A file from before the review keeps everything and gains two empty tables, whether or not the
learner ever opens the review. (An older copy of the course would take a version-2 file for a newer course's and
move it aside, as below; nothing in it is lost.)

Re-answering a question: latest wins. One row per (lesson, question) holds the latest choice and whether
it was right, how many times it was answered, and whether the first try was right.

A file that is not a database, fails `PRAGMA quick_check`, or has a schema newer than this code knows is
moved aside to `<name>.corrupt-<n>` (with its `-wal`) and a fresh file started; `store.notice` says so.
Opening (and this repair) holds an OS lock on `<name>.lock`, so lessons opening together do it one at a time.
A folder or file that cannot be written raises ProgressError; the view then runs without saving.

Views do not open stores themselves: `open_store()` gives the kernel's one store (or None and why nothing is
saved), and `save(write)` runs a write and reports a failure as a message instead of raising.
`LOWBACK_PROGRESS=off` turns saving off (config/voila.py does so on a server that serves a whole class).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

ENV = "LOWBACK_PROGRESS"
OFF = "off"  # the value of ENV that turns saving off
BUSY_TIMEOUT_MS = 5000
SCHEMA_V1 = (
    "CREATE TABLE IF NOT EXISTS answers (lesson TEXT NOT NULL, question TEXT NOT NULL, choice INTEGER NOT NULL, "
    "correct INTEGER NOT NULL, attempts INTEGER NOT NULL, first_correct INTEGER NOT NULL, answered_at TEXT NOT NULL, "
    "PRIMARY KEY (lesson, question))",
    "CREATE TABLE IF NOT EXISTS lessons (lesson TEXT PRIMARY KEY, completed_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cases (run INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, "
    "seed INTEGER NOT NULL, path TEXT NOT NULL, outcome TEXT, finished INTEGER NOT NULL, updated_at TEXT NOT NULL)",
)
# The spaced review: the current FSRS card of each question (JSON, `Card.to_dict()`; `due` repeated as a column to
# sort by), and every review answer with the rating it gave.
SCHEMA_V2 = (
    "CREATE TABLE IF NOT EXISTS review_cards (lesson TEXT NOT NULL, question TEXT NOT NULL, card TEXT NOT NULL, "
    "due TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (lesson, question))",
    "CREATE TABLE IF NOT EXISTS reviews (review INTEGER PRIMARY KEY AUTOINCREMENT, lesson TEXT NOT NULL, "
    "question TEXT NOT NULL, choice INTEGER NOT NULL, correct INTEGER NOT NULL, rating INTEGER NOT NULL, "
    "reviewed_at TEXT NOT NULL)",
)
MIGRATIONS = (SCHEMA_V1, SCHEMA_V2)  # MIGRATIONS[n - 1] takes a file from version n - 1 to n
SCHEMA_VERSION = len(MIGRATIONS)
SCHEMA = SCHEMA_V1 + SCHEMA_V2  # every table, as a new file gets them
_BROKEN = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class ProgressError(Exception):
    """Progress cannot be saved (folder or file not writable, disk full...); the message names the file."""


class _Corrupt(Exception):
    pass


def saving_off() -> bool:
    """True when `$LOWBACK_PROGRESS` is `off`: nothing is saved (a class server sets this, see config/voila.py)."""
    return os.environ.get(ENV, "").strip().lower() == OFF


def default_path() -> Path:
    """`$LOWBACK_PROGRESS`, else progress.sqlite in the course's folder of the Jupyter data dir."""
    if saving_off():
        raise ProgressError(f"Saving progress is turned off ({ENV}={OFF}).")
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "lowback-course" / "progress.sqlite"


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive OS lock on `lock_file` (POSIX; on Windows no lock), released when the block ends."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise ProgressError(f"Cannot open the lock file {lock_file}: {e.strerror or e}.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Answer:
    lesson: str
    question: str
    choice: int  # index of the latest choice
    correct: bool  # was the latest answer right
    attempts: int
    first_correct: bool
    answered_at: str


@dataclass(frozen=True)
class CaseRun:
    run: int
    case: str
    seed: int
    path: Any  # the learner's choices, as JSON data
    outcome: Any  # e.g. score verdicts, as JSON data; None until there is one
    finished: bool
    updated_at: str


@dataclass(frozen=True)
class ReviewAnswer:
    """One answer given in the spaced review (not a self-check answer: those stay as the lesson left them)."""

    review: int
    lesson: str
    question: str
    choice: int
    correct: bool
    rating: int  # the FSRS rating it gave (1 Again, 3 Good)
    reviewed_at: str


@dataclass(frozen=True)
class LessonScore:
    lesson: str
    answered: int
    correct: int
    total: int | None  # number of questions, when the caller said which exist
    completed: bool


@dataclass(frozen=True)
class Summary:
    lessons: tuple[LessonScore, ...]
    completed: tuple[str, ...]
    cases: tuple[CaseRun, ...]  # finished runs, oldest first


@dataclass(frozen=True)
class Review:
    kind: Literal["wrong", "unanswered", "next"]
    lesson: str
    questions: tuple[str, ...] = ()


def summarize(answers: Sequence[Answer], completed: Sequence[str], runs: Sequence[CaseRun],
              questions_by_lesson: Mapping[str, Sequence[str]] | None = None) -> Summary:
    """Scores per lesson. With `questions_by_lesson`, lessons come in its order with a total, and answers to
    questions no longer in it are not counted (so "answered" never exceeds "total")."""
    known = questions_by_lesson or {}
    lessons = list(known) + sorted(({a.lesson for a in answers} | set(completed)) - set(known))
    scores = []
    for lesson in lessons:
        mine = [a for a in answers if a.lesson == lesson and (lesson not in known or a.question in known[lesson])]
        total = len(known[lesson]) if lesson in known else None
        scores.append(LessonScore(lesson, len(mine), sum(a.correct for a in mine), total, lesson in completed))
    return Summary(tuple(scores), tuple(completed), tuple(r for r in runs if r.finished))


def review_next(answers: Sequence[Answer], completed: Sequence[str],
                questions_by_lesson: Mapping[str, Sequence[str]], lessons_in_order: Sequence[str]) -> list[Review]:
    """What to look at next, most useful first: each lesson whose latest answer to one of its questions is wrong
    (with those questions); then the unanswered questions of the earliest lesson already started (answered or
    completed); then the first lesson not completed, unless that is the lesson just named. Lessons and questions
    come in the caller's order; those not in `lessons_in_order` / `questions_by_lesson` are left out."""
    latest = {(a.lesson, a.question): a.correct for a in answers}
    out: list[Review] = []
    for lesson in lessons_in_order:
        wrong = tuple(q for q in questions_by_lesson.get(lesson, ()) if latest.get((lesson, q)) is False)
        if wrong:
            out.append(Review("wrong", lesson, wrong))
    started = {a.lesson for a in answers} | set(completed)
    for lesson in lessons_in_order:
        missing = tuple(q for q in questions_by_lesson.get(lesson, ()) if (lesson, q) not in latest)
        if lesson in started and missing:
            out.append(Review("unanswered", lesson, missing))
            break
    upcoming = next((lesson for lesson in lessons_in_order if lesson not in completed), None)
    if upcoming is not None and not any(r.kind == "unanswered" and r.lesson == upcoming for r in out):
        out.append(Review("next", upcoming))
    return out


class ProgressStore:
    """One learner's progress in one SQLite file; open one per process (kernel). Thread-safe."""

    def __init__(self, path: str | os.PathLike[str] | None = None, clock: Callable[[], datetime] = _utc_now):
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.clock = clock
        self.notice: str | None = None  # set when an unreadable file had to be moved aside
        self._lock = threading.RLock()
        self._depth = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            blocker = next((p for p in reversed(self.path.parents) if p.exists() and not p.is_dir()), None)
            reason = f"{blocker} is a file, not a folder" if blocker else e.strerror or str(e)
            raise ProgressError(f"Cannot create the folder for your progress file {self.path}: {reason}.") from None
        if not os.access(self.path.parent, os.W_OK):  # SQLite needs to create the -wal and -shm files there
            raise ProgressError(f"Cannot save progress to {self.path}: the folder {self.path.parent} is not writable. "
                                f"Make it writable, or set {ENV} to another file.")
        # One process at a time opens the file: two lessons creating it together would race to switch it to WAL
        # (SQLite answers "database is locked" without waiting), or to move a broken one aside.
        with _exclusive(self.path.with_name(f"{self.path.name}.lock")):
            try:
                self._conn = self._open()
            except _Corrupt as e:
                aside = self._move_aside("corrupt")
                self.notice = (f"Your progress file {self.path} was unreadable ({e}); it was moved to {aside} "
                               f"and a new one started.")
                try:
                    self._conn = self._open()
                except _Corrupt as again:
                    raise ProgressError(f"A new progress file {self.path} could not be started: {again}.") from None

    # --- opening ---------------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """Connect, switch to WAL, check, create the schema. Raises _Corrupt or ProgressError."""
        try:  # look before SQLite does: it would quietly open a read-only file read-only, and closing a
            with open(self.path, "r+b") as f:  # connection to a non-database would delete its -wal
                head = f.read(16)
        except FileNotFoundError:
            head = b""
        except PermissionError as e:
            raise ProgressError(f"Cannot save progress to {self.path}: the file cannot be opened for writing "
                                f"({e.strerror}). Make it writable, or set {ENV} to another file.") from None
        except OSError as e:
            raise ProgressError(f"Cannot open your progress file {self.path}: {e.strerror or e}.") from None
        if head and head != b"SQLite format 3\x00":
            raise _Corrupt("file is not a database")
        conn = None
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = FULL")
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise _Corrupt("failed its integrity check: " + "; ".join(problems[:3]))
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _Corrupt(f"written by a newer version of the course: schema {version}, "
                               f"this one knows {SCHEMA_VERSION}")
            if mode.lower() != "wal":
                raise ProgressError(f"Cannot save progress to {self.path}: the file cannot be put in WAL mode "
                                    f"(journal mode {mode}); is it on a read-only or network file system?")
            with conn:  # create or migrate once, even if several lessons open the file at the same moment
                conn.execute("BEGIN IMMEDIATE")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < SCHEMA_VERSION:
                    for statements in MIGRATIONS[version:]:
                        for statement in statements:
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return conn
        except (_Corrupt, ProgressError):
            if conn is not None:
                conn.close()
            raise
        except sqlite3.Error as e:
            if conn is not None:
                conn.close()
            if getattr(e, "sqlite_errorcode", None) in _BROKEN:
                raise _Corrupt(str(e)) from None
            raise ProgressError(f"Cannot save progress to {self.path}: {e}. Check that the file and its folder "
                                f"can be written, or set {ENV} to another file.") from None

    def _move_aside(self, label: str) -> Path:
        """Rename the file (and its -wal; the -shm is only an index) to `<name>.<label>-<n>`, n the first free."""
        n = 1
        while (aside := self.path.with_name(f"{self.path.name}.{label}-{n}")).exists():
            n += 1
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-journal"):
                if Path(f"{self.path}{suffix}").exists():
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            Path(f"{self.path}-shm").unlink(missing_ok=True)
        except OSError as e:
            raise ProgressError(f"Your progress file {self.path} is unreadable and could not be moved aside: "
                                f"{e.strerror or e}.") from None
        return aside

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: all or nothing. Nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._depth = 1
                try:
                    yield self._conn
                except BaseException:
                    self._conn.rollback()
                    raise
                finally:
                    self._depth = 0
                self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise ProgressError(f"Could not save your progress to {self.path}: {e}.") from None

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def record_answer(self, lesson: str, question: str, choice: int, correct: bool) -> None:
        """Save an answer to a self-check question; a later answer replaces it (attempts counts them all)."""
        with self.transaction() as c:
            c.execute("INSERT INTO answers VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (lesson, question) DO UPDATE "
                      "SET choice = excluded.choice, correct = excluded.correct, attempts = attempts + 1, "
                      "answered_at = excluded.answered_at",
                      (lesson, question, int(choice), bool(correct), bool(correct), self._now()))

    def complete_lesson(self, lesson: str) -> None:
        """Mark a lesson completed (again is harmless; the first time is kept)."""
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO lessons VALUES (?, ?)", (lesson, self._now()))

    def save_case(self, case: str, seed: int, path: Any, outcome: Any = None, finished: bool = False,
                  run: int | None = None) -> int:
        """Save a case run: `path` (the choices) and `outcome` are JSON data. Without `run` a new run is started;
        with it, that run is updated. Returns the run's number."""
        try:
            row = (case, int(seed), json.dumps(path), None if outcome is None else json.dumps(outcome),
                   bool(finished), self._now())
        except (TypeError, ValueError) as e:
            raise ValueError(f"case {case!r}: the path and outcome must be JSON data ({e})") from None
        with self.transaction() as c:
            if run is None:
                return c.execute("INSERT INTO cases (case_id, seed, path, outcome, finished, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?)", row).lastrowid
            if not c.execute("UPDATE cases SET case_id = ?, seed = ?, path = ?, outcome = ?, finished = ?, "
                             "updated_at = ? WHERE run = ?", (*row, run)).rowcount:
                raise ValueError(f"there is no saved run {run} of case {case!r}")
            return run

    def record_review(self, lesson: str, question: str, choice: int, correct: bool, rating: int,
                      card: Mapping[str, Any], reviewed_at: datetime | None = None) -> None:
        """Save one spaced-review answer and the question's new FSRS card (`Card.to_dict()` data) together: both
        or neither. The self-check's own answers are left alone."""
        try:
            text, due = json.dumps(dict(card)), str(card["due"])
        except (TypeError, ValueError, KeyError) as e:
            raise ValueError(f"lesson {lesson} question {question}: the card must be JSON data with a due date "
                             f"({e})") from None
        at = (reviewed_at or self.clock()).isoformat(timespec="seconds")
        with self.transaction() as c:
            c.execute("INSERT INTO reviews (lesson, question, choice, correct, rating, reviewed_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)", (lesson, question, int(choice), bool(correct), int(rating), at))
            c.execute("INSERT INTO review_cards VALUES (?, ?, ?, ?, ?) ON CONFLICT (lesson, question) DO UPDATE "
                      "SET card = excluded.card, due = excluded.due, updated_at = excluded.updated_at",
                      (lesson, question, text, due, at))

    def reset(self) -> Path:
        """Clear all progress, after copying it to `<name>.backup-<n>`; returns the backup's path. Copy and clear
        happen in one write transaction (not a rename), so lessons open in other kernels carry on consistently."""
        with self.transaction() as c:  # holds the write lock: nothing can be saved between the copy and the clear
            n = 1
            while (backup := self.path.with_name(f"{self.path.name}.backup-{n}")).exists():
                n += 1
            try:
                source, dest = sqlite3.connect(self.path), sqlite3.connect(backup)
                try:
                    source.backup(dest)
                finally:
                    source.close()
                    dest.close()
            except sqlite3.Error as e:
                raise ProgressError(f"Could not back up your progress to {backup}: {e}; nothing was cleared.") \
                    from None
            c.execute("DELETE FROM answers")
            c.execute("DELETE FROM lessons")
            c.execute("DELETE FROM cases")
            c.execute("DELETE FROM review_cards")
            c.execute("DELETE FROM reviews")
        return backup

    # --- reading ---------------------------------------------------------------------------------------------

    def _read(self, sql: str) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql).fetchall()
            except sqlite3.Error as e:
                raise ProgressError(f"Could not read your progress from {self.path}: {e}.") from None

    def answers(self) -> list[Answer]:
        rows = self._read("SELECT * FROM answers ORDER BY lesson, question")
        return [Answer(le, q, ch, bool(ok), n, bool(first), at) for le, q, ch, ok, n, first, at in rows]

    def completed_lessons(self) -> list[str]:
        return [r[0] for r in self._read("SELECT lesson FROM lessons ORDER BY completed_at, lesson")]

    def completed_at(self) -> dict[str, str]:
        """Lesson -> when it was first marked done (ISO time), in that order."""
        return dict(self._read("SELECT lesson, completed_at FROM lessons ORDER BY completed_at, lesson"))

    def review_cards(self) -> dict[tuple[str, str], Any]:
        """(lesson, question) -> the question's FSRS card as `Card.to_dict()` data. A card whose text is not JSON
        (a damaged row) is left out: the review then treats its question as never reviewed."""
        cards = {}
        for lesson, question, text in self._read("SELECT lesson, question, card FROM review_cards "
                                                 "ORDER BY lesson, question"):
            try:
                cards[(lesson, question)] = json.loads(text)
            except (TypeError, ValueError):
                continue
        return cards

    def review_answers(self) -> list[ReviewAnswer]:
        """Every spaced-review answer, oldest first."""
        rows = self._read("SELECT * FROM reviews ORDER BY review")
        return [ReviewAnswer(n, le, q, ch, bool(ok), r, at) for n, le, q, ch, ok, r, at in rows]

    def review_counts(self) -> dict[tuple[str, str], int]:
        """(lesson, question) -> how many times it was answered in the spaced review."""
        return {(le, q): n for le, q, n in self._read("SELECT lesson, question, COUNT(*) FROM reviews "
                                                      "GROUP BY lesson, question")}

    def case_runs(self) -> list[CaseRun]:
        rows = self._read("SELECT * FROM cases ORDER BY run")
        return [CaseRun(run, case, seed, json.loads(path), None if out is None else json.loads(out), bool(fin), at)
                for run, case, seed, path, out, fin, at in rows]

    def summary(self, questions_by_lesson: Mapping[str, Sequence[str]] | None = None) -> Summary:
        return summarize(self.answers(), self.completed_lessons(), self.case_runs(), questions_by_lesson)

    def review_next(self, questions_by_lesson: Mapping[str, Sequence[str]],
                    lessons_in_order: Sequence[str]) -> list[Review]:
        return review_next(self.answers(), self.completed_lessons(), questions_by_lesson, lessons_in_order)

    def export(self) -> dict[str, Any]:
        """Everything saved, as plain JSON data, for a learner to take away."""
        return {
            "format": "lowback-course progress", "schema": SCHEMA_VERSION, "exported_at": self._now(),
            "answers": [asdict(a) for a in self.answers()],
            "completed_lessons": [{"lesson": le, "completed_at": at}
                                  for le, at in self._read("SELECT * FROM lessons ORDER BY completed_at, lesson")],
            "cases": [asdict(r) for r in self.case_runs()],
            "review_cards": [{"lesson": le, "question": q, "card": card}
                             for (le, q), card in self.review_cards().items()],
            "reviews": [asdict(r) for r in self.review_answers()],
        }


# --- one store per kernel, for the views -----------------------------------------------------------------------

CLASS_ENV = "LOWBACK_CLASS_LESSON"  # set when a server serves a whole class (config/voila.py)
NOT_SAVING = "The course keeps working, but your progress is not being saved."
RUN_IT_YOURSELF = ("Your progress is saved when you run the course yourself: in JupyterLab, on JupyterHub, "
                   "or with the command make dashboards on your own computer.")
_opened: dict[str, tuple[ProgressStore | None, str]] = {}
_opened_lock = threading.Lock()


def off_message() -> str:
    """Why nothing is saved when `$LOWBACK_PROGRESS` is `off`, in words a learner can act on."""
    if os.environ.get(CLASS_ENV):
        return ("Your progress is not saved on this server. It serves a whole class, and every learner's page runs "
                "under the same account, so everyone's answers would end up in one file. " + RUN_IT_YOURSELF)
    return f"Your progress is not saved: saving is turned off on this server ({ENV}={OFF}). " + RUN_IT_YOURSELF


def _open_for_kernel() -> tuple[ProgressStore | None, str]:
    if saving_off():
        return None, off_message()
    try:
        store = ProgressStore()
    except ProgressError as e:
        return None, f"{e} {NOT_SAVING}"
    except Exception as e:  # whatever goes wrong with the file, the lesson must go on
        return None, f"Your progress file could not be opened ({e}). {NOT_SAVING}"
    return store, store.notice or ""


def open_store() -> tuple[ProgressStore | None, str]:
    """The kernel's progress store, opened on first use and shared by every view in the kernel (one per value of
    `$LOWBACK_PROGRESS`). Returns (store, "" or the notice that a broken file was moved aside), or (None, why
    nothing is saved) when saving is off or the file cannot be opened. Never raises."""
    try:
        key = OFF if saving_off() else str(default_path())
    except Exception as e:  # e.g. no home folder to find the Jupyter data dir in
        return None, f"Your progress file could not be found ({e}). {NOT_SAVING}"
    with _opened_lock:
        if key not in _opened:
            _opened[key] = _open_for_kernel()
        return _opened[key]


def close_stores() -> None:
    """Close and forget the kernel's stores (tests use this to act as a new kernel)."""
    with _opened_lock:
        for store, _ in _opened.values():
            if store is not None:
                store.close()
        _opened.clear()


def save(write: Callable[[ProgressStore], Any]) -> tuple[bool, str]:
    """Run one write on the kernel's store. Returns (True, "") when it was saved, else (False, why not): saving is
    off, the file cannot be opened, or the write failed. Never raises, so a view works whatever befalls the file."""
    store, message = open_store()
    if store is None:
        return False, message
    try:
        write(store)
    except ProgressError as e:
        return False, f"{e} {NOT_SAVING}"
    except Exception as e:  # anything else: report it, never raise into a view
        return False, f"Could not save your progress to {store.path} ({e}). {NOT_SAVING}"
    return True, ""


def write_export(store: ProgressStore) -> Path:
    """Write everything saved (`store.export()`) as JSON next to the progress file, as `<stem>-export-<n>.json`
    with n the first free number; returns its path. Raises ProgressError if it cannot be written."""
    text = json.dumps(store.export(), indent=2) + "\n"
    n = 1
    while True:
        dest = store.path.with_name(f"{store.path.stem}-export-{n}.json")
        try:
            with open(dest, "x", encoding="utf-8") as f:
                f.write(text)
            return dest
        except FileExistsError:
            n += 1
        except OSError as e:
            raise ProgressError(f"Could not write a copy of your progress to {dest}: {e.strerror or e}.") from None


def moved_aside(path: Path) -> list[Path]:
    """Earlier progress files next to PATH that could not be read and were moved aside (oldest first)."""
    found = [p for p in path.parent.glob(f"{path.name}.corrupt-*") if p.name.rsplit("-", 1)[-1].isdigit()]
    return sorted(found, key=lambda p: int(p.name.rsplit("-", 1)[-1]))
