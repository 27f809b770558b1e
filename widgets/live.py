"""Live sessions: the instructor asks, the room answers, the chart shows the split, then the documents' answer.

Storage/model layer only (no ipywidgets). The database code (`LiveStore` and its tables) is in live_sql.py,
which `live.LiveStore` loads on first use. One SQLAlchemy 2 Core code path serves both back ends:

* SQLite by default, a file in the user's Jupyter data folder
  (``jupyter_data_dir()/lowback-course/live.sqlite``; ``JUPYTER_DATA_DIR`` is respected). Every connection
  sets a busy timeout and WAL, and write transactions start with ``BEGIN IMMEDIATE``, so the 60 kernels of
  one room on one server queue for the write lock instead of failing with "database is locked".
* PostgreSQL (or any SQLAlchemy URL) when several servers share a session: set ``LOWBACK_LIVE_URL``,
  e.g. ``postgresql+psycopg://user:password@db-host/course``. The tables are created on first use.

Flow: ``open_session(title, steps)`` returns a ``Session`` with a short code for the screen (6 characters
from an alphabet without look-alikes) and a secret instructor token (only its SHA-256 is stored), which
``advance``, ``reveal`` and ``close`` require. Learners ``join(code)`` and get an opaque random learner id;
no name or other identity is ever stored. ``submit`` keeps one answer per learner per step (a second one
replaces the first, by an upsert) and is accepted only for the current step, before its reveal, while the
session is open. Reads (``state``, ``tally``) return counts only, never learner ids; learners see the
counts, the documents' answer and the evidence once the step is revealed, the instructor (with the token)
sees them at any time. A closed session can still be read (the view says it has ended) but takes no
joins, answers or instructor actions. Every refusal a person can meet is a ``LiveError`` with a
message meant to be shown as is.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

URL_ENV = "LOWBACK_LIVE_URL"
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
SQLITE_BUSY_MS = 30_000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_LEARNER = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_TITLE, MAX_PROMPT, MAX_LABEL, MAX_EVIDENCE, MAX_STEPS, MAX_OPTIONS = 200, 2000, 300, 10_000, 100, 12


class LiveError(Exception):
    """A refusal or a problem a person can act on; the message is meant to be shown as is."""


@dataclass(frozen=True)
class Step:
    """One decision point: options as (id, label) pairs; `answer` is the documents' option id."""

    id: str
    prompt: str
    options: tuple[tuple[str, str], ...]
    answer: str
    evidence: str

    @classmethod
    def parse(cls, raw: Step | Mapping[str, Any], where: str) -> Step:
        if isinstance(raw, Step):
            raw = {"id": raw.id, "prompt": raw.prompt, "options": raw.options,
                   "answer": raw.answer, "evidence": raw.evidence}  # fmt: skip
        if not isinstance(raw, Mapping):
            raise LiveError(f"{where}: a step is a mapping with id, prompt, options, answer, evidence")
        missing = [k for k in ("id", "prompt", "options", "answer", "evidence") if k not in raw]
        if missing:
            raise LiveError(f"{where}: missing {', '.join(missing)}")
        sid = _ident(raw["id"], f"{where}.id")
        opts = raw["options"]
        pairs = list(opts.items()) if isinstance(opts, Mapping) else list(opts)
        if not 2 <= len(pairs) <= MAX_OPTIONS:
            raise LiveError(f"{where}.options: give 2 to {MAX_OPTIONS} options, not {len(pairs)}")
        options = []
        for i, pair in enumerate(pairs):
            if not (isinstance(pair, Sequence) and not isinstance(pair, str) and len(pair) == 2):
                raise LiveError(f"{where}.options[{i}]: expected an (id, label) pair")
            options.append((_ident(pair[0], f"{where}.options[{i}].id"),
                             _text(pair[1], f"{where}.options[{i}].label", MAX_LABEL)))  # fmt: skip
        ids = [o for o, _ in options]
        if len(set(ids)) != len(ids):
            raise LiveError(f"{where}.options: option ids repeat ({', '.join(ids)})")
        if raw["answer"] not in ids:
            raise LiveError(f"{where}.answer: {raw['answer']!r} is not one of the options ({', '.join(ids)})")
        return cls(sid, _text(raw["prompt"], f"{where}.prompt", MAX_PROMPT), tuple(options), raw["answer"],
                   _text(raw["evidence"], f"{where}.evidence", MAX_EVIDENCE, allow_empty=True))  # fmt: skip


@dataclass(frozen=True)
class Session:
    """What the instructor gets from `open_session`: the code for the screen and the secret token."""

    code: str
    token: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Learner:
    """A learner's handle: the session code and their own random id (nothing else identifies them)."""

    code: str
    learner_id: str


@dataclass(frozen=True)
class StepState:
    id: str
    number: int  # from 1
    prompt: str
    options: tuple[tuple[str, str], ...]
    revealed: bool
    answered: int  # learners who answered this step so far
    answer: str | None  # the documents' answer (option id): after the reveal, or for the instructor
    evidence: str | None
    counts: dict[str, int] | None  # option id -> answers, same condition
    your_answer: str | None  # the asking learner's own answer, if a learner id was given


@dataclass(frozen=True)
class LiveState:
    code: str
    title: str
    closed: bool
    joined: int
    steps_total: int
    step: StepState  # the current step


def _ident(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise LiveError(f"{where}: {value!r} is not an id (letters, digits, '_', '.', '-', at most 64)")
    return value


def _text(value: Any, where: str, limit: int, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not value.strip() and not allow_empty):
        raise LiveError(f"{where}: expected some text")
    if len(value) > limit:
        raise LiveError(f"{where}: {len(value)} characters, at most {limit}")
    return value.strip()


def normalize_code(code: Any) -> str:
    """'abc 234' -> 'ABC234'; refuses anything that cannot be a session code."""
    text = re.sub(r"[\s-]", "", code).upper() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        shown = code if isinstance(code, str) and len(code) <= 20 else "that"
        raise LiveError(f"{shown!r} is not a session code: a code is {CODE_LENGTH} letters and digits "
                        "as shown on the screen (there is no 0, O, 1, I or L in a code)")  # fmt: skip
    return text


def default_url() -> str:
    """`LOWBACK_LIVE_URL` if set, else a SQLite file in the user's Jupyter data folder."""
    if os.environ.get(URL_ENV, "").strip():
        return os.environ[URL_ENV].strip()
    from jupyter_core.paths import jupyter_data_dir

    return f"sqlite:///{Path(jupyter_data_dir()) / 'lowback-course' / 'live.sqlite'}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# The database layer (SQLAlchemy, its tables, LiveStore) is in live_sql.py and imported on first use:
# SQLAlchemy takes about 0.25 s to import, and every lesson 08 page would otherwise wait for it before
# anyone joins a session. `live.LiveStore` and the tables still work as before (PEP 562).
_SQL_NAMES = frozenset({"LiveStore", "meta", "SESSIONS", "STEPS", "LEARNERS", "ANSWERS"})


def __getattr__(name: str) -> Any:
    if name in _SQL_NAMES:
        from . import live_sql

        return getattr(live_sql, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
