"""Live sessions: the instructor asks, the room answers, the chart shows the split, then the documents' answer.

Storage/model layer only (no ipywidgets). The database code (`LiveStore` and its tables) is in live_sql.py,
which views import on first use. One SQLAlchemy 2 Core code path serves both back ends:

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
sees them at any time. A closed session can still be read (the view says it has ended, and how many of the
decision points put to the room the learner answered: ``asked`` and ``your_answers``) but takes no joins,
answers or instructor actions. Every refusal a person can meet is a ``LiveError`` with a message meant to
be shown as is.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from widgets.content.loader import describe, location
from widgets.content.steps import MAX_STEPS, MAX_TITLE, LiveStep, checked_text  # noqa: F401 (the store's limits)

URL_ENV = "LOWBACK_LIVE_URL"
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
SQLITE_BUSY_MS = 30_000
LEARNER_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class LiveError(Exception):
    """A refusal or a problem a person can act on; the message is meant to be shown as is."""


Step = LiveStep  # one decision point, validated by the one schema in widgets/content/steps.py


def parse_step(raw: LiveStep | Mapping[str, Any], where: str) -> LiveStep:
    """A step from a mapping (or a step), or a LiveError naming the field: `steps[0].options: ...`."""
    if isinstance(raw, LiveStep):
        return raw
    if not isinstance(raw, Mapping):
        raise LiveError(f"{where}: a step is a mapping with id, prompt, options, answer, evidence")
    try:
        return LiveStep.model_validate(dict(raw))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = location(tuple(err["loc"]))
        raise LiveError(f"{where}{'.' + field if err['loc'] else ''}: {describe(err)}") from None


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
    asked: int  # decision points put to the room so far: the current one, and each earlier one revealed or answered
    your_answers: int | None = None  # how many steps the asking learner answered, if a learner id was given


def checked_field(value: Any, where: str, limit: int) -> str:
    """Some text within LIMIT characters, or a LiveError naming WHERE."""
    try:
        return checked_text(value, limit)
    except ValueError as exc:
        raise LiveError(f"{where}: {exc}") from None


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


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
