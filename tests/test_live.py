"""Live sessions (widgets/stores/live.py) on SQLite and on a real PostgreSQL server (tests/pg.py starts one)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tests import pg
from widgets.stores import live
from widgets.stores.live import LiveError
from widgets.stores.live_sql import LiveStore
from widgets.views.live import LiveJoin, closed_html, closed_text

ROOT = Path(__file__).resolve().parent.parent
STEPS = [
    {"id": "imaging", "prompt": "Acute low back pain, no red flags: image now?",
     "options": {"xray": "X-ray", "mri": "MRI", "none": "No imaging"}, "answer": "none",
     "evidence": "NICE NG59 1.1.4: do not routinely offer imaging."},
    {"id": "drug", "prompt": "First drug?", "options": [("nsaid", "Oral NSAID"), ("opioid", "Weak opioid")],
     "answer": "nsaid", "evidence": "NICE NG59 1.2.13: consider oral NSAIDs."},
    {"id": "return", "prompt": "Back to work?", "options": {"yes": "Yes", "no": "No"}, "answer": "yes",
     "evidence": "Staying active helps."},
]  # fmt: skip


@pytest.fixture(scope="module")
def pg_url():
    reason = pg.missing_reason()
    if reason:
        pytest.skip(f"PostgreSQL test skipped: {reason}")
    try:
        with pg.running_postgres() as url:
            yield url
    except pg.PostgresError as e:
        pytest.fail(f"PostgreSQL is installed but did not start: {e}")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(url):
    with LiveStore(url) as s:
        yield s


def refused(match: str):
    return pytest.raises(LiveError, match=match)


def test_full_flow(store):
    s = store.open_session("Acute low back pain", STEPS)
    assert len(s.code) == 6 and set(s.code) <= set(live.ALPHABET) and len(s.token) >= 30
    a, b, c = (store.join(s.code) for _ in range(3))
    assert len({a.learner_id, b.learner_id, c.learner_id}) == 3 and a.code == s.code
    assert store.join(s.code.lower()[:3] + " " + s.code.lower()[3:]).code == s.code  # typed loosely
    store.submit(s.code, a.learner_id, "imaging", "mri")
    store.submit(s.code, b.learner_id, "imaging", "none")
    store.submit(s.code, c.learner_id, "imaging", "xray")
    store.submit(s.code, c.learner_id, "imaging", "none")  # the second answer replaces the first
    assert store.tally(s.code, token=s.token) == {"xray": 0, "mri": 1, "none": 2}

    st = store.state(s.code, learner_id=c.learner_id)
    assert (st.title, st.closed, st.joined, st.steps_total) == ("Acute low back pain", False, 4, 3)
    assert (st.step.id, st.step.number, st.step.answered, st.step.your_answer) == ("imaging", 1, 3, "none")
    assert st.step.options == (("xray", "X-ray"), ("mri", "MRI"), ("none", "No imaging"))
    assert (st.step.revealed, st.step.answer, st.step.evidence, st.step.counts) == (False, None, None, None)
    with refused("shown once the instructor reveals"):
        store.tally(s.code)
    instructor = store.state(s.code, token=s.token).step
    assert (instructor.answer, instructor.counts) == ("none", {"xray": 0, "mri": 1, "none": 2})

    revealed = store.reveal(s.code, s.token)
    assert revealed.revealed and revealed.answer == "none" and "NG59" in revealed.evidence
    st = store.state(s.code).step
    assert (st.answer, st.counts, st.evidence) == ("none", {"xray": 0, "mri": 1, "none": 2}, STEPS[0]["evidence"])
    assert store.tally(s.code, "imaging") == {"xray": 0, "mri": 1, "none": 2}
    with refused("has been revealed: answers to it are closed"):
        store.submit(s.code, a.learner_id, "imaging", "none")

    nxt = store.advance(s.code, s.token)
    assert (nxt.id, nxt.number, nxt.revealed, nxt.counts) == ("drug", 2, False, {"nsaid": 0, "opioid": 0})
    st = store.state(s.code, learner_id=a.learner_id)
    assert (st.step.id, st.step.answer, st.step.your_answer) == ("drug", None, None)
    with refused("'imaging' is over"):
        store.submit(s.code, a.learner_id, "imaging", "none")
    store.submit(s.code, a.learner_id, "drug", "opioid")
    store.submit(s.code, b.learner_id, "drug", "nsaid")
    assert store.tally(s.code, token=s.token) == {"nsaid": 1, "opioid": 1}
    assert store.tally(s.code, "imaging", token=s.token) == {"xray": 0, "mri": 1, "none": 2}  # unchanged

    store.close(s.code, s.token)
    msg = f"Session {s.code} \\(Acute low back pain\\) has been closed by the instructor: it takes no more answers"
    with refused(msg):
        store.submit(s.code, c.learner_id, "drug", "nsaid")
    with refused(msg):
        store.join(s.code)
    with refused(msg):
        store.advance(s.code, s.token)
    final = store.state(s.code)
    assert final.closed and final.step.id == "drug" and store.tally(s.code, token=s.token) == {"nsaid": 1, "opioid": 1}


def shown(html: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


# --- a closed session: each learner is told how many decisions they answered ----------------------------


def test_a_closed_session_counts_each_learners_answers_among_the_decisions_asked(store):
    s = store.open_session("Closing", STEPS)
    a, b, c = (store.join(s.code) for _ in range(3))
    assert (store.state(s.code, learner_id=a.learner_id).asked, store.state(s.code).your_answers) == (1, None)
    store.submit(s.code, a.learner_id, "imaging", "none")
    store.submit(s.code, b.learner_id, "imaging", "mri")
    store.submit(s.code, b.learner_id, "imaging", "none")  # a changed answer is still one answer
    store.reveal(s.code, s.token)
    store.advance(s.code, s.token)
    store.submit(s.code, a.learner_id, "drug", "nsaid")
    store.close(s.code, s.token)
    seen = [store.state(s.code, learner_id=lr.learner_id) for lr in (a, b, c)]
    assert [(st.closed, st.asked, st.your_answers) for st in seen] == [(True, 2, 2), (True, 2, 1), (True, 2, 0)]
    assert store.state(s.code, token=s.token).asked == 2  # the third decision was never put to the room


def test_decisions_skipped_when_a_session_opens_at_a_later_one_were_not_asked(store):
    s = store.open_session("Late start", STEPS)
    store.advance(s.code, s.token)  # what the presenter does when the session opens at decision 3
    store.advance(s.code, s.token)
    me = store.join(s.code)
    store.submit(s.code, me.learner_id, "return", "yes")
    store.close(s.code, s.token)
    st = store.state(s.code, learner_id=me.learner_id)
    assert (st.step.number, st.asked, st.your_answers) == (3, 1, 1)


@pytest.mark.parametrize(
    "answered, asked, expected",
    [
        (2, 2, "You answered 2 of 2 decisions; your answers were kept."),
        (1, 3, "You answered 1 of 3 decisions; your answer was kept."),
        (1, 1, "You answered 1 of 1 decision; your answer was kept."),
        (0, 1, "You did not answer the decision put to the room; it takes no more answers."),
        (0, 3, "You did not answer any of the 3 decisions put to the room; it takes no more answers."),
    ],
)
def test_the_closed_message_says_so_in_words_with_an_icon(answered, asked, expected):
    assert closed_text(answered, asked) == expected
    box = closed_html(answered, asked)
    assert 'role="status"' in box and '<span aria-hidden="true">&#8505;</span> SESSION CLOSED.</strong>' in box
    assert shown(box) == f"\u2139 SESSION CLOSED. {expected}"
    assert not re.search(r"not answered|choose|submit", shown(box), re.I)  # nothing asks for an answer


def test_a_learners_panel_turns_to_the_closed_state(store):
    s = store.open_session("First ever back pain", STEPS)
    keen, quiet = LiveJoin(store=store), LiveJoin(store=store)
    keen.join(s.code)
    quiet.join(s.code)
    keen.submit("none")
    assert "Your answer: No imaging" in shown(keen._mine.value)
    assert "You have not answered this decision yet" in shown(quiet._mine.value)
    store.reveal(s.code, s.token)
    store.advance(s.code, s.token)
    keen.refresh()
    keen.submit("nsaid")
    store.close(s.code, s.token)
    for view in (keen, quiet):
        view.refresh()  # what the poller does about once a second
        assert "Closed after decision 2 of 3" in shown(view._heading.value)
        assert "has closed session" in shown(view._status.value) and not view._poller.active
        assert view._choice.layout.display == view._submit_row.layout.display == "none"
        assert view._prompt.layout.display == "none"  # decision 2 was not revealed: no question is left on show
        assert "not answered this decision" not in shown(view._mine.value)
    assert shown(keen._mine.value) == "\u2139 SESSION CLOSED. You answered 2 of 2 decisions; your answers were kept."
    assert "You did not answer any of the 2 decisions put to the room" in shown(quiet._mine.value)

    again = store.open_session("Another case", STEPS[:1])  # the same panel joins the next session
    quiet.join(again.code)
    assert quiet._choice.layout.display is None and quiet._submit_row.layout.display is None
    assert "You have not answered this decision yet" in shown(quiet._mine.value) and quiet._poller.active
    store.reveal(again.code, again.token)
    store.close(again.code, again.token)
    quiet.refresh()
    assert quiet._prompt.layout.display is None and "The documents' answer: No imaging" in shown(quiet._result.value)
    assert quiet._choice.layout.display == "none"  # the revealed result stays, with its question, but no options
    assert "You did not answer the decision put to the room" in shown(quiet._mine.value)


def test_refusals_name_the_problem(store):
    s = store.open_session("Refusals", STEPS)
    other = store.open_session("Another room", STEPS)
    me = store.join(s.code)
    unknown = "ABCDEF" if "ABCDEF" not in (s.code, other.code) else "ABCDEG"
    with refused(f"^No open session with code {unknown} — check the code on the screen$"):
        store.join(unknown)
    with refused("'ABC123' is not a session code"):
        store.join("ABC123")
    with refused("is not a session code"):
        store.state("")
    with refused(f"Session {s.code} has no step 'nope' \\(its steps: imaging, drug, return\\)"):
        store.submit(s.code, me.learner_id, "nope", "x")
    with refused("'ct' is not one of the options of step 'imaging' \\(xray, mri, none\\)"):
        store.submit(s.code, me.learner_id, "imaging", "ct")
    with refused("Step 'drug' is not open yet: wait for the instructor"):
        store.submit(s.code, me.learner_id, "drug", "nsaid")
    with refused("is not open yet: advance to it"):
        store.reveal(s.code, s.token, "drug")
    with refused(f"You have not joined session {other.code}"):
        store.submit(other.code, me.learner_id, "imaging", "none")  # an id from another room
    with refused("not a learner id"):
        store.submit(s.code, "x' OR 1=1 --", "imaging", "none")
    for call in (lambda t: store.advance(s.code, t), lambda t: store.reveal(s.code, t),
                 lambda t: store.close(s.code, t), lambda t: store.tally(s.code, token=t),
                 lambda t: store.state(s.code, token=t)):  # fmt: skip
        with refused(f"That instructor token does not belong to session {s.code}"):
            call(other.token)
    assert not store.state(s.code).closed and store.state(s.code).step.id == "imaging"  # nothing happened
    store.advance(s.code, s.token)
    store.advance(s.code, s.token)
    with refused("Step 3 of 3 is the last one: close the session"):
        store.advance(s.code, s.token)


def test_no_read_returns_a_learner_id(store):
    s = store.open_session("Identity", STEPS)
    ids = [store.join(s.code).learner_id for _ in range(5)]
    for i, lid in enumerate(ids):
        store.submit(s.code, lid, "imaging", ["xray", "mri", "none"][i % 3])
    reads = [store.state(s.code), store.state(s.code, token=s.token), store.tally(s.code, token=s.token),
             store.reveal(s.code, s.token), store.tally(s.code), store.advance(s.code, s.token)]  # fmt: skip
    reads += [store.state(s.code, learner_id=lid, step_id="imaging") for lid in ids]
    text = repr(reads)
    assert not [lid for lid in ids if lid in text]
    assert [r.step.your_answer for r in reads[6:]] == ["xray", "mri", "none", "xray", "mri"]  # each sees only theirs


def test_sqlite_file_uses_wal_and_default_location(tmp_path, monkeypatch):
    monkeypatch.delenv(live.URL_ENV, raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jdata"))
    path = tmp_path / "jdata" / "lowback-course" / "live.sqlite"
    assert live.default_url() == f"sqlite:///{path}"
    with LiveStore() as store:
        store.open_session("Default", STEPS[:1])
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM live_steps").fetchone()[0] == 1
    monkeypatch.setenv(live.URL_ENV, f"sqlite:///{tmp_path / 'elsewhere.sqlite'}")
    assert live.default_url().endswith("elsewhere.sqlite")


def test_bad_configuration_is_a_clear_message(monkeypatch):
    monkeypatch.setenv(live.URL_ENV, "nosuchdb://x")
    with refused(f"Live-session database URL \\(set by {live.URL_ENV}\\) is not usable: 'nosuchdb://x'"):
        LiveStore()
    with pytest.raises(LiveError) as e:  # nothing listens on port 1: refused at once
        LiveStore("postgresql+psycopg://teacher:s3cret@127.0.0.1:1/course")
    msg = str(e.value)
    assert "teacher:***@127.0.0.1:1/course (passed to LiveStore) could not be used" in msg and "s3cret" not in msg


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"answer": "ct"}, "steps\\[0\\].answer: 'ct' is not one of the options"),
        ({"options": {"a": "A"}}, "steps\\[0\\].options: give 2 to 12 options, not 1"),
        ({"id": "has space"}, "steps\\[0\\].id: 'has space' is not an id"),
        ({"prompt": " "}, "steps\\[0\\].prompt: expected some text"),
        ({"options": [("a", "A"), ("a", "B")], "answer": "a"}, "steps\\[0\\].options: option ids repeat"),
    ],
)
def test_steps_are_validated(tmp_path, bad, field):
    with LiveStore(f"sqlite:///{tmp_path / 'v.sqlite'}") as store:
        with refused(field):
            store.open_session("T", [{**STEPS[0], **bad}])
        with refused("steps: step ids repeat"):
            store.open_session("T", [STEPS[0], STEPS[0]])
        with refused("title: 201 characters, at most 200"):
            store.open_session("x" * 201, STEPS)
        with refused("steps: give 1 to 100 decision points, not 0"):
            store.open_session("T", [])


def test_codes_are_short_unambiguous_and_unique(tmp_path):
    with LiveStore(f"sqlite:///{tmp_path / 'c.sqlite'}") as store:
        codes = [store.open_session(f"S{i}", STEPS[:1]).code for i in range(150)]
    assert len(set(codes)) == 150
    assert all(len(c) == 6 and set(c) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for c in codes)
    assert live.normalize_code(" ab-c 234 ") == "ABC234"


# One process per group of learners (like kernels on one server); each thread has its own store (own engine).
KERNELS = r"""
import json, sys, threading
from widgets.stores.live_sql import LiveStore
from widgets.views.live import LiveJoin, closed_html, closed_text
url, code, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
stores = [LiveStore(url) for _ in range(count)]
handles = [s.join(code) for s in stores]
print("ready", flush=True)
sys.stdin.readline()
gate, errors = threading.Barrier(count), []
def learner(i):
    try:
        gate.wait(timeout=30)
        opts = ["xray", "mri", "none"]
        stores[i].submit(code, handles[i].learner_id, "imaging", opts[0])  # replaced next
        stores[i].submit(code, handles[i].learner_id, "imaging", opts[(first + i) % 3])
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
threads = [threading.Thread(target=learner, args=(i,)) for i in range(count)]
for t in threads: t.start()
for t in threads: t.join(timeout=60)
for s in stores: s.dispose()
print(json.dumps(errors))
"""


@pytest.mark.slow
def test_sixty_learners_answer_at_once(url):
    with LiveStore(url) as store:
        s = store.open_session("Busy room", STEPS)
        procs = [subprocess.Popen([sys.executable, "-c", KERNELS, url, s.code, str(k * 15), "15"], cwd=ROOT,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for k in range(4)]  # fmt: skip
        try:
            for p in procs:
                assert p.stdout.readline().strip() == "ready", p.stderr.read()
            for p in procs:  # all four start submitting as soon as they read this line
                p.stdin.write("go\n")
                p.stdin.flush()
            outs = [p.communicate(timeout=90) for p in procs]
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        errors = [e for out, err in outs for e in json.loads(out.strip().splitlines()[-1] or "[]")]
        assert errors == [] and all(p.returncode == 0 for p in procs), (errors, [err for _, err in outs])
        assert store.tally(s.code, token=s.token) == {"xray": 20, "mri": 20, "none": 20}
        st = store.state(s.code)
        assert (st.joined, st.step.answered) == (60, 60)


def test_lesson_08_imports_no_database_until_a_session_is_used(tmp_path):
    """SQLAlchemy costs about 0.25 s to import, so lesson 08 (which draws the join box) must not import it
    while it renders; the store (widgets.stores.live_sql) loads it when a learner joins."""
    code = (
        "import sys\n"
        "from widgets import live_session\n"
        "live_session()\n"
        "print('before', 'sqlalchemy' in sys.modules)\n"
        "from widgets.views.live import shared_store\n"
        "shared_store()\n"
        "print('after', 'sqlalchemy' in sys.modules)\n"
    )
    env = {**os.environ, "LOWBACK_LIVE_URL": f"sqlite:///{tmp_path / 'live.sqlite'}",
           "LOWBACK_PROGRESS": str(tmp_path / "p.sqlite")}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["before", "False", "after", "True"]
