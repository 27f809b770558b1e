"""The live sessions' database: SQLAlchemy Core tables and `LiveStore` (see live.py for the flow).

Kept apart from live.py so that importing the live-session model (as lesson 08 does) does not import
SQLAlchemy; views import it only when a session is first used (SQLAlchemy takes about 0.25 s to import).
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url

from widgets.stores.live import (
    ALPHABET,
    CODE_LENGTH,
    LEARNER_ID,
    MAX_STEPS,
    MAX_TITLE,
    SQLITE_BUSY_MS,
    URL_ENV,
    Learner,
    LiveError,
    LiveState,
    Session,
    Step,
    StepState,
    checked_field,
    default_url,
    normalize_code,
    parse_step,
    token_hash,
)  # fmt: skip

meta = sa.MetaData()
SESSIONS = sa.Table(
    "live_sessions", meta,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("title", sa.String(MAX_TITLE), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False),
    sa.Column("current", sa.Integer, nullable=False),  # position of the open step, from 0
    sa.Column("closed", sa.Boolean, nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
)  # fmt: skip
STEPS = sa.Table(
    "live_steps", meta,
    sa.Column("code", sa.ForeignKey("live_sessions.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("step_id", sa.String(64), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),  # [[option id, label], ...] in display order
    sa.Column("answer", sa.String(64), nullable=False),  # the documents' answer: an option id
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("revealed", sa.Boolean, nullable=False),
)  # fmt: skip
LEARNERS = sa.Table(
    "live_learners", meta,
    sa.Column("code", sa.ForeignKey("live_sessions.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("learner_id", sa.String(64), primary_key=True),  # random; never returned by a read
)  # fmt: skip
ANSWERS = sa.Table(
    "live_answers", meta,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("step_id", sa.String(64), primary_key=True),
    sa.Column("learner_id", sa.String(64), primary_key=True),
    sa.Column("option_id", sa.String(64), nullable=False),
    sa.ForeignKeyConstraint(["code", "step_id"], ["live_steps.code", "live_steps.step_id"], ondelete="CASCADE"),
)  # fmt: skip


class LiveStore:
    """The live sessions in one database (`url`, else `default_url()`); one per kernel, thread-safe."""

    def __init__(self, url: str | None = None) -> None:
        raw = url or default_url()
        env = os.environ.get(URL_ENV, "").strip()
        self.source = "passed to LiveStore" if url else f"set by {URL_ENV}" if env else "the default"
        try:
            parsed = make_url(raw)
            self.url_shown = parsed.render_as_string(hide_password=True)
            if parsed.get_backend_name() == "sqlite":
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                self.engine = sa.create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
                event.listen(self.engine, "connect", _sqlite_connect)
                event.listen(self.engine, "begin", _sqlite_begin)
            else:
                self.engine = sa.create_engine(parsed, pool_pre_ping=True)
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError, ValueError, OSError) as e:
            raise LiveError(f"Live-session database URL ({self.source}) is not usable: {raw!r}: {e}") from None
        try:
            self._run(meta.create_all, write=True)
        except (exc.IntegrityError, exc.ProgrammingError):  # another kernel created the tables at the same moment
            self._run(meta.create_all, write=True)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> LiveStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.dispose()

    def _run(self, work, write: bool = False):
        """Run work(connection) in one transaction; database failures become a LiveError naming the URL."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(lowback_write=write)
                with conn.begin():
                    return work(conn)
        except (exc.OperationalError, exc.InterfaceError) as e:
            raise LiveError(f"The live-session database {self.url_shown} ({self.source}) could not be used: "
                            f"{e.orig}. Try again; tell the instructor if it persists.") from None  # fmt: skip

    # --- instructor ---------------------------------------------------------------------------------
    def open_session(self, title: str, steps: Iterable[Step | Mapping[str, Any]]) -> Session:
        title = checked_field(title, "title", MAX_TITLE)
        parsed = [parse_step(s, f"steps[{i}]") for i, s in enumerate(steps)]
        if not 1 <= len(parsed) <= MAX_STEPS:
            raise LiveError(f"steps: give 1 to {MAX_STEPS} decision points, not {len(parsed)}")
        if len({s.id for s in parsed}) != len(parsed):
            raise LiveError(f"steps: step ids repeat ({', '.join(s.id for s in parsed)})")
        token = secrets.token_urlsafe(24)
        for _ in range(20):
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            row = {"code": code, "title": title, "token_sha256": token_hash(token), "current": 0, "closed": False,
                   "opened_at": datetime.now(UTC)}  # fmt: skip
            rows = [{"code": code, "step_id": s.id, "position": i, "prompt": s.prompt,
                     "options": [list(o) for o in s.options], "answer": s.answer, "evidence": s.evidence,
                     "revealed": False} for i, s in enumerate(parsed)]  # fmt: skip

            def work(c: Connection, row: dict = row, rows: list = rows) -> None:
                c.execute(SESSIONS.insert(), row)
                c.execute(STEPS.insert(), rows)

            try:
                self._run(work, write=True)
                return Session(code, token, title, tuple(parsed))
            except exc.IntegrityError:  # the code is taken (about one in 900 million): draw another
                continue
        raise LiveError("Could not find a free session code; try again")

    def advance(self, code: str, token: str) -> StepState:
        """Open the next step; returns its (instructor) state."""

        def work(c: Connection) -> None:
            s = self._session(c, code, token=token, lock=True)
            total = c.execute(sa.select(sa.func.count()).where(STEPS.c.code == s.code)).scalar_one()
            if s.current + 1 >= total:
                raise LiveError(f"Step {s.current + 1} of {total} is the last one: close the session when done")
            c.execute(SESSIONS.update().where(SESSIONS.c.code == s.code).values(current=s.current + 1))

        self._run(work, write=True)
        return self.state(code, token=token).step

    def reveal(self, code: str, token: str, step_id: str | None = None) -> StepState:
        """Show the documents' answer, the evidence and the counts to learners; closes answers to the step."""

        def work(c: Connection) -> None:
            s = self._session(c, code, token=token, lock=True)
            step = self._step(c, s, step_id)
            if step.position > s.current:
                raise LiveError(f"Step {step.step_id!r} is not open yet: advance to it before revealing it")
            c.execute(STEPS.update().where(STEPS.c.code == s.code, STEPS.c.step_id == step.step_id)
                      .values(revealed=True))  # fmt: skip

        self._run(work, write=True)
        return self.state(code, token=token, step_id=step_id).step

    def close(self, code: str, token: str) -> None:
        def work(c: Connection) -> None:
            s = self._session(c, code, token=token, lock=True)
            c.execute(SESSIONS.update().where(SESSIONS.c.code == s.code).values(closed=True))

        self._run(work, write=True)

    # --- learners -----------------------------------------------------------------------------------
    def join(self, code: str) -> Learner:
        learner = secrets.token_urlsafe(16)

        def work(c: Connection) -> str:
            s = self._session(c, code, lock=True, share=True)
            c.execute(LEARNERS.insert().values(code=s.code, learner_id=learner))
            return s.code

        return Learner(self._run(work, write=True), learner)

    def submit(self, code: str, learner_id: str, step_id: str, option_id: str) -> None:
        """Record the learner's answer to a step; a second answer to the same step replaces the first."""
        if not isinstance(learner_id, str) or not LEARNER_ID.match(learner_id):
            raise LiveError("That is not a learner id from this course: join the session again with its code")

        def work(c: Connection) -> None:
            s = self._session(c, code, lock=True, share=True)
            known = c.execute(sa.select(LEARNERS.c.learner_id).where(
                LEARNERS.c.code == s.code, LEARNERS.c.learner_id == learner_id)).first()  # fmt: skip
            if known is None:
                raise LiveError(f"You have not joined session {s.code}: join it again with the code on the screen")
            step = self._step(c, s, step_id)
            if step.position > s.current:
                raise LiveError(f"Step {step.step_id!r} is not open yet: wait for the instructor")
            if step.position < s.current:
                raise LiveError(f"Step {step.step_id!r} is over: answers to it are closed")
            if step.revealed:
                raise LiveError(f"The answer to step {step.step_id!r} has been revealed: answers to it are closed")
            ids = [o for o, _ in step.options]
            if option_id not in ids:
                raise LiveError(f"{option_id!r} is not one of the options of step {step.step_id!r} ({', '.join(ids)})")
            values = {"code": s.code, "step_id": step.step_id, "learner_id": learner_id, "option_id": option_id}
            keys = ["code", "step_id", "learner_id"]
            dialect = c.dialect.name
            if dialect in ("sqlite", "postgresql"):
                mod = sqlite if dialect == "sqlite" else postgresql
                ins = mod.insert(ANSWERS).values(values)
                c.execute(ins.on_conflict_do_update(index_elements=keys, set_={"option_id": option_id}))
            else:  # any other database: replace within the transaction
                c.execute(ANSWERS.delete().where(*(ANSWERS.c[k] == values[k] for k in keys)))
                c.execute(ANSWERS.insert().values(values))

        self._run(work, write=True)

    # --- reads (counts only; no learner id ever leaves these) ---------------------------------------
    def state(self, code: str, learner_id: str | None = None, token: str | None = None,
              step_id: str | None = None) -> LiveState:  # fmt: skip
        """The session and its current step (or `step_id`); with the instructor token, everything at once."""

        def work(c: Connection) -> LiveState:
            s = self._session(c, code, token=token, allow_closed=True)
            step = self._step(c, s, step_id)
            show = token is not None or step.revealed
            counts = self._counts(c, s.code, step)
            mine = yours = None
            if learner_id is not None:
                mine = c.execute(sa.select(ANSWERS.c.option_id).where(
                    ANSWERS.c.code == s.code, ANSWERS.c.step_id == step.step_id,
                    ANSWERS.c.learner_id == learner_id)).scalar()  # fmt: skip
                yours = c.execute(sa.select(sa.func.count()).where(
                    ANSWERS.c.code == s.code, ANSWERS.c.learner_id == learner_id)).scalar_one()  # fmt: skip
            joined = c.execute(sa.select(sa.func.count()).where(LEARNERS.c.code == s.code)).scalar_one()
            total = c.execute(sa.select(sa.func.count()).where(STEPS.c.code == s.code)).scalar_one()
            st = StepState(step.step_id, step.position + 1, step.prompt, tuple(tuple(o) for o in step.options),
                           step.revealed, sum(counts.values()), step.answer if show else None,
                           step.evidence if show else None, counts if show else None, mine)  # fmt: skip
            return LiveState(s.code, s.title, s.closed, joined, total, st, self._asked(c, s), yours)

        return self._run(work)

    def tally(self, code: str, step_id: str | None = None, token: str | None = None) -> dict[str, int]:
        """option id -> number of answers, every option listed in order; before the reveal, instructor only."""
        st = self.state(code, token=token, step_id=step_id).step
        if st.counts is None:
            raise LiveError(f"The counts for step {st.id!r} are shown once the instructor reveals the answer")
        return st.counts

    # --- helpers ------------------------------------------------------------------------------------
    def _session(self, c: Connection, code: str, token: str | None = None, lock: bool = False,
                 share: bool = False, allow_closed: bool = False) -> Any:  # fmt: skip
        norm = normalize_code(code)
        q = sa.select(SESSIONS).where(SESSIONS.c.code == norm)
        if lock:  # PostgreSQL row lock (SQLite: the IMMEDIATE transaction already serialises writers)
            q = q.with_for_update(read=share)
        s = c.execute(q).first()
        if s is None:
            raise LiveError(f"No open session with code {norm} — check the code on the screen")
        if token is not None and not (isinstance(token, str)
                                      and hmac.compare_digest(token_hash(token), s.token_sha256)):
            raise LiveError(f"That instructor token does not belong to session {norm}")
        if s.closed and not allow_closed:
            raise LiveError(f"Session {norm} ({s.title}) has been closed by the instructor: it takes no more answers")
        return s

    def _step(self, c: Connection, s: Any, step_id: str | None) -> Any:
        q = sa.select(STEPS).where(STEPS.c.code == s.code)
        q = q.where(STEPS.c.position == s.current) if step_id is None else q.where(STEPS.c.step_id == step_id)
        row = c.execute(q).first()
        if row is None:
            ids = c.execute(sa.select(STEPS.c.step_id).where(STEPS.c.code == s.code).order_by(STEPS.c.position))
            raise LiveError(f"Session {s.code} has no step {step_id!r} (its steps: {', '.join(ids.scalars())})")
        return row

    def _asked(self, c: Connection, s: Any) -> int:
        """Decision points put to the room: the current one, and each earlier one that was revealed or answered
        (the ones skipped when a session opens at a later decision point were neither)."""
        answered = sa.select(ANSWERS.c.step_id).where(ANSWERS.c.code == s.code)
        earlier = sa.and_(STEPS.c.position < s.current, sa.or_(STEPS.c.revealed, STEPS.c.step_id.in_(answered)))
        q = sa.select(sa.func.count()).where(STEPS.c.code == s.code, sa.or_(STEPS.c.position == s.current, earlier))
        return c.execute(q).scalar_one()

    def _counts(self, c: Connection, code: str, step: Any) -> dict[str, int]:
        a = ANSWERS.c
        q = sa.select(a.option_id, sa.func.count()).where(a.code == code, a.step_id == step.step_id)
        got = dict(c.execute(q.group_by(a.option_id)).all())
        return {o: int(got.get(o, 0)) for o, _ in step.options}


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a transaction that reads
    # and then writes never fails half-way on a lock upgrade; reads stay DEFERRED and never block writers (WAL).
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("lowback_write") else "BEGIN")
