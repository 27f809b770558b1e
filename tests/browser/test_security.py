"""The learners' server is locked down: Voila as `make dashboards` runs it (config/voila.py).

- the HTML of every lesson carries no source code;
- nothing outside the image allowlist is served: notebooks, Python, YAML, dot files, parent folders,
  plain or percent-encoded;
- code sent over a kernel websocket is not run (the code would create a file; it does not appear);
- widget messages with wrong-typed or out-of-range values are refused with a message on the page,
  and the kernel goes on answering;
- text from content files is escaped: a case or a question carrying <script> or onerror shows as
  text in Chromium and runs nothing.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import shutil
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from html import escape

import nbformat
import pytest
import websocket
import yaml
from traitlets.config.loader import PyFileConfigLoader

from tests.pages import LESSON_FILES, PAGE_FILE
from tests.servers import CONFIG, LESSONS, LOAD_TIMEOUT_MS, ROOT, voila_or_fail

pytestmark = pytest.mark.server  # every test starts Voila; two also drive Chromium

ANATOMY = "01_anatomy_of_the_lumbar_spine_and_pelvis.ipynb"


# --- no source in the HTML ----------------------------------------------------------------------


def code_lines(nb_file: str) -> list[str]:
    nb = nbformat.read(LESSONS / nb_file, as_version=4)
    lines = {ln.strip() for cell in nb.cells if cell.cell_type == "code" for ln in cell.source.splitlines()}
    return sorted(ln for ln in lines if len(ln) >= 8 and not ln.startswith("#"))


@pytest.mark.parametrize("file", LESSON_FILES)
def test_rendered_html_of_every_lesson_has_no_source_code(voila, file):
    with urllib.request.urlopen(f"{voila}/voila/render/{file}", timeout=120) as resp:
        html = resp.read().decode()
    assert 'class="lb-disclaimer' in html or "lb-disclaimer" in html, f"{file} did not render"
    lines = code_lines(file)
    assert lines, f"{file}: no code found to look for"
    leaked = [ln for ln in lines if ln in html or escape(ln) in html or escape(ln, quote=False) in html]
    assert not leaked, f"{file}: source lines in the served HTML: {leaked[:5]}"
    assert "Traceback" not in html


# --- files -------------------------------------------------------------------------------------

REFUSED = [
    "/voila/files/00_how_to_use_the_course.ipynb",
    "/voila/files/" + ANATOMY,
    "/voila/files/../widgets/notebook/learner.py",
    "/voila/files/../widgets/views/guard.py",
    "/voila/files/../assets/simulation.yaml",
    "/voila/files/../assets/cases/garden_weekend_flank_ache.yaml",
    "/voila/files/../assets/cases/README.md",
    "/voila/files/../environment.yml",
    "/voila/files/../config/voila.py",
    "/voila/files/../.git/config",
    "/voila/files/.ipynb_checkpoints/x.png",
    "/voila/files/%2e%2e/environment.yml",
    "/voila/files/..%2fenvironment.yml",
    "/voila/files/%2e%2e%2f.git%2fconfig",
    "/voila/files/..%252f..%252fetc%252fpasswd",
    "/voila/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/render/../widgets/notebook/learner.py",
    "/voila/render/%2e%2e/environment.yml",
    "/voila/render/..%2f.git%2fconfig",
    "/voila/tree/..",
    "/voila/api/contents/..%2f",
    "/voila/static/..%2f..%2f..%2f..%2fenvironment.yml",
    "/voila/templates/course/static/..%2f..%2f..%2f..%2f..%2fpyvenv.cfg",
    "/files/environment.yml",
    "/api/contents/00_how_to_use_the_course.ipynb",
    "/api/kernels",
    "/lab",
]
# Text that would show a refused file got through anyway.
MARKERS = ["repositoryformatversion", "dependencies:", "def ", "import ", "nbformat", "root:x:0:0",
           "natural_course", "c.VoilaConfiguration", '"cell_type"', "home = "]


def raw_get(base: str, path: str, follow: int = 3) -> tuple[int, str, str]:
    """GET PATH exactly as written (no normalising of .. or %2e), following redirects on the same host."""
    host = urllib.parse.urlsplit(base).netloc
    for _ in range(follow + 1):
        conn = http.client.HTTPConnection(host, timeout=60)
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read().decode(errors="replace")
        conn.close()
        location = resp.getheader("Location")
        if resp.status in (301, 302, 303, 307, 308) and location:
            path = urllib.parse.urlsplit(location).path or "/"
            continue
        return resp.status, path, body
    return resp.status, path, body


@pytest.mark.parametrize("path", REFUSED)
def test_files_outside_the_allowlist_are_refused(voila, path):
    status, final, body = raw_get(voila, path)
    assert status in (403, 404), f"{path} -> {final}: HTTP {status}"
    shown = [m for m in MARKERS if m in body]
    assert not shown, f"{path}: the answer contains {shown}"


def test_a_lesson_listing_names_only_notebooks_and_never_their_content(voila):
    status, _final, body = raw_get(voila, "/voila/api/contents")
    assert status == 200
    listing = json.loads(body)["content"]
    assert {item["name"] for item in listing} <= set(PAGE_FILE.values()) and all(i["content"] is None for i in listing)
    # Voila's tree page asks for a notebook's model; it must come without the notebook in it.
    status, _final, body = raw_get(voila, f"/voila/api/contents/{LESSON_FILES[0]}?content=1&format=text")
    assert status == 200 and json.loads(body)["content"] is None and "cell_type" not in body


def test_the_allowlist_takes_images_and_nothing_else():
    config = PyFileConfigLoader("voila.py", path=str(CONFIG)).load_config()
    allow = config.VoilaConfiguration.file_allowlist
    deny = config.VoilaConfiguration.file_denylist

    def served(path: str) -> bool:  # the rule Voila applies (voila/static_file_handler.py)
        return any(re.fullmatch(p, path, re.IGNORECASE) for p in allow) and not any(
            re.fullmatch(p, path, re.IGNORECASE) for p in deny)

    for ok in ("figure.png", "img/spine.SVG", "a/b/photo.jpeg"):
        assert served(ok), ok
    for bad in ("00_how_to_use_the_course.ipynb", "x.py", "a.yaml", "b.yml", ".hidden.png", "dir/.git/x.png",
                "../x.png", "a/../b.png", "notes.md", "progress.sqlite", "x.png.py", "x.json"):
        assert not served(bad), bad
    assert config.VoilaConfiguration.show_tracebacks is False and config.VoilaConfiguration.strip_sources is True
    assert config.MappingKernelManager.cull_idle_timeout > 0 and config.VoilaExecutor.timeout > 0
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config["default"]["pool_size"] >= 1


# --- the kernel websocket ------------------------------------------------------------------------


class Kernel:
    """A learner's kernel, reached the way the page reaches it: the lesson's HTML gives the kernel id,
    the websocket carries Jupyter messages (JSON, with a "channel" field)."""

    def __init__(self, base: str, lesson: str):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(f"{base}/voila/render/{lesson}", timeout=120).read().decode()
        self.kernel_id = re.search(r'"kernelId": *"([^"]+)"', html).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        host = urllib.parse.urlsplit(base).netloc
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"ws://{host}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
            header=[f"Cookie: {cookie}"], timeout=30)
        self.seen: list[dict] = []

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": "learner", "session": self.session,
                  "version": "5.3", "date": ""}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {},
                                 "content": content, "channel": "shell", "buffers": []}))
        return msg_id

    def until(self, test, timeout: float = 30) -> dict:
        """Read messages until TEST(msg) holds; every message read is kept in self.seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            self.seen.append(msg)
            if test(msg):
                return msg
        raise AssertionError(f"no such message within {timeout}s; saw {[m['msg_type'] for m in self.seen][-20:]}")

    def info(self) -> dict:
        msg_id = self.send("kernel_info_request", {})
        return self.until(lambda m: m["msg_type"] == "kernel_info_reply" and m["parent_header"]["msg_id"] == msg_id)

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def kernel(voila) -> Iterator[Kernel]:
    k = Kernel(voila, ANATOMY)
    yield k
    k.close()


def test_code_sent_over_the_kernel_websocket_is_not_run(kernel, tmp_path):
    assert kernel.info()["content"]["status"] == "ok"  # the channel works, so a silence below means something
    proof = tmp_path / "executed.txt"
    code = f"open({str(proof)!r}, 'w').write('ran')"
    exec_id = kernel.send("execute_request", {"code": code, "silent": False, "store_history": False,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    # Shell requests are handled one at a time, in order, and code runs to the end before the next request:
    # once this reply is back, an execute that had reached the kernel would already have written the file.
    kernel.info()
    assert not proof.exists(), "the kernel ran code sent by the page"
    answered = [m for m in kernel.seen if m["parent_header"].get("msg_id") == exec_id]
    assert not [m for m in answered if m["msg_type"] in ("execute_input", "execute_reply", "execute_result")]


def widget_states(kernel: Kernel) -> dict[str, dict]:
    """Every widget's state, asked for as the page does (the jupyter.widget.control comm)."""
    comm_id = uuid.uuid4().hex
    kernel.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                metadata={"version": "1.0.0"})
    kernel.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
    reply = kernel.until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id
                         and m["content"]["data"].get("method") == "update_states")
    return {mid: s["state"] for mid, s in reply["content"]["data"]["states"].items()}


def update(kernel: Kernel, model_id: str, state: dict) -> None:
    kernel.send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}})


def shown_html(kernel: Kernel, needle: str, timeout: float = 30) -> str:
    """Wait for the kernel to send a widget HTML value containing NEEDLE (a new widget or an update)."""
    def has(m):
        if m["msg_type"] not in ("comm_open", "comm_msg"):
            return False
        state = m["content"].get("data", {}).get("state", {})
        return needle in str(state.get("value", ""))
    return kernel.until(has, timeout)["content"]["data"]["state"]["value"]


def test_bad_widget_messages_are_refused_with_a_message_and_the_kernel_goes_on(kernel):
    states = widget_states(kernel)
    structure = next(mid for mid, s in states.items()
                     if s.get("_model_name") == "DropdownModel" and s.get("description") == "Structure")
    update(kernel, structure, {"index": 999})  # out of range
    assert "refused index=999" in shown_html(kernel, "refused index=999")
    update(kernel, structure, {"index": "sacrum"})  # wrong type
    assert "expected an int" in shown_html(kernel, "refused index=")
    update(kernel, structure, {"_options_labels": ["<b>forged</b>"]})  # a trait learners never edit
    assert "tried to change _options_labels" in shown_html(kernel, "tried to change")
    assert kernel.info()["content"]["status"] == "ok"
    index = next(i for i, label in enumerate(states[structure]["_options_labels"]) if label.endswith("Sacrum"))
    update(kernel, structure, {"index": index})  # a real choice still works
    assert "Sacrum" in shown_html(kernel, 'data-structure="sacrum"')


# --- content is escaped (Chromium) ---------------------------------------------------------------

PAYLOAD = '<script>window.__xss=(window.__xss||0)+1</script><img src=x onerror="window.__xss=(window.__xss||0)+1">'


@pytest.fixture(scope="module")
def voila_hostile(tmp_path_factory) -> Iterator[str]:
    """The course with a case and a question that carry script and an onerror attribute."""
    assets = tmp_path_factory.mktemp("hostile") / "assets"
    shutil.copytree(ROOT / "assets", assets)
    case_file = assets / "cases" / "garden_weekend_flank_ache.yaml"
    case = yaml.safe_load(case_file.read_text())
    case["summary"] = "Hostile summary " + PAYLOAD
    case["presentation"]["history"] = "Hostile history " + PAYLOAD
    case["exam"][0] = "Hostile exam " + PAYLOAD
    case_file.write_text(yaml.safe_dump(case, sort_keys=False))
    q_file = assets / "questions" / "01.yaml"
    questions = yaml.safe_load(q_file.read_text())
    questions["questions"][0]["prompt"] = "Hostile question " + PAYLOAD
    questions["questions"][0]["choices"][0]["text"] = "Hostile choice " + PAYLOAD
    q_file.write_text(yaml.safe_dump(questions, sort_keys=False))
    yield from voila_or_fail({"LOWBACK_ASSETS": str(assets)})


def assert_shown_as_text(page, where: str) -> None:
    text = page.locator(where).first.inner_text()
    assert "<script>window.__xss" in text and 'onerror="window.__xss' in text, f"{where}: payload not shown as text"
    assert page.locator(f"{where} script, {where} img[src='x']").count() == 0
    assert page.evaluate("window.__xss === undefined"), "content ran as script"


@pytest.mark.browser
def test_a_question_with_script_in_it_shows_as_text(voila_hostile, page):
    page.goto(f"{voila_hostile}/voila/render/{ANATOMY}", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(".lb-question", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function("document.body.innerText.includes('Hostile question')", timeout=30_000)
    assert_shown_as_text(page, ".lb-question")
    page.locator(".lb-question").first.locator("input[type=radio]").first.check()
    page.locator(".lb-question").first.get_by_role("button", name="Check answer").click()
    page.wait_for_function("document.querySelector('.lb-question .lb-feedback-box').innerText.length > 0")
    assert page.evaluate("window.__xss === undefined")


@pytest.mark.browser
def test_a_case_with_script_in_it_shows_as_text(voila_hostile, page):
    page.goto(f"{voila_hostile}/voila/render/08_case_simulator.ipynb", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(".lb-case-player", timeout=LOAD_TIMEOUT_MS)
    player = page.locator(".lb-case-player").first
    labels = [o.replace("\xa0", " ") for o in player.get_by_label("Patient").locator("option").all_inner_texts()]
    index = next(i for i, o in enumerate(labels) if o.startswith("One-sided back ache"))
    assert "<script>" in labels[index]  # the option list shows it as text too
    player.get_by_label("Patient").select_option(index=index)
    page.wait_for_function("document.querySelector('.lb-case-player .lb-case-intro-panel').innerText"
                           ".includes('Hostile history')", timeout=30_000)
    assert_shown_as_text(page, ".lb-case-player .lb-case-intro-panel")
    player.get_by_role("button", name="Examine").click()
    page.wait_for_function("document.querySelector('.lb-case-player').innerText.includes('Hostile exam')",
                           timeout=30_000)
    assert_shown_as_text(page, ".lb-case-player")
    # An image's onerror fires when it fails to load, and a failed image counts as complete: wait for all of them.
    page.wait_for_function("Array.from(document.images).every(img => img.complete)", timeout=30_000)
    assert page.evaluate("window.__xss === undefined")

