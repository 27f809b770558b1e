"""JupyterHub for the course (deploy/jupyterhub_config.py): the config's settings, the copy of the
lessons into each home, and a smoke test that starts a real hub on loopback ports, logs two residents
in through Chromium, opens a dashboard for each inside their own server and measures their memory.

The smoke test prints the per-user memory it measured (run with -s) and records it as properties.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

from tests.servers import LOAD_TIMEOUT_MS, ROOT, ServerError, free_port, wait_until_up

pytestmark = pytest.mark.hub

DEPLOY = ROOT / "deploy"
CONFIG = DEPLOY / "jupyterhub_config.py"
PROXY = ROOT / ".venv" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
LESSON_FILES = [les["file"] for les in yaml.safe_load((ROOT / "assets" / "lessons.yaml").read_text())["lessons"]]
SHIPPED = sorted(p.name for p in (ROOT / "lessons").glob("*.ipynb"))  # the lessons and the review page
PASSWORD = "smoke-test-password"
# each resident opens a different lesson, and waits for a real widget in it
RESIDENTS = {
    "alice": (LESSON_FILES[1], ".lb-anatomy-explorer"),
    "bob": (LESSON_FILES[8], ".lb-case-player"),
}
SPAWN_TIMEOUT_MS = 150_000
MiB = 1024 * 1024


def _load_config(monkeypatch, **env: str):
    """Execute deploy/jupyterhub_config.py with exactly these LOWBACK_HUB_* variables set."""
    for key in list(os.environ):
        if key.startswith("LOWBACK_HUB_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(CONFIG.name, path=str(DEPLOY)).load_config()


def _smoke_env(tmp: Path, port: int = 18000, hub_port: int = 18081, api_port: int = 18001) -> dict[str, str]:
    return {
        "LOWBACK_HUB_AUTH": "shared-password",
        "LOWBACK_HUB_PASSWORD": PASSWORD,
        "LOWBACK_HUB_USERS": ",".join(RESIDENTS),
        "LOWBACK_HUB_SPAWNER": "simple",
        "LOWBACK_HUB_HOMES": str(tmp / "homes"),
        "LOWBACK_HUB_DATA": str(tmp / "data"),
        "LOWBACK_HUB_IP": "127.0.0.1",
        "LOWBACK_HUB_PORT": str(port),
        "LOWBACK_HUB_INTERNAL_PORT": str(hub_port),
        "LOWBACK_HUB_PROXY_API_PORT": str(api_port),
    }


# --- the config on its own -------------------------------------------------------------------------


def test_config_for_the_smoke_test_binds_loopback_and_gives_each_resident_lab_on_the_lessons(monkeypatch, tmp_path):
    cfg = _load_config(monkeypatch, **_smoke_env(tmp_path))
    assert cfg.JupyterHub.bind_url == "http://127.0.0.1:18000"
    assert cfg.JupyterHub.hub_bind_url == "http://127.0.0.1:18081"
    assert cfg.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18001"
    assert cfg.Spawner.ip == "127.0.0.1"
    assert cfg.JupyterHub.authenticator_class == "shared-password"
    assert cfg.Authenticator.allowed_users == set(RESIDENTS)
    assert cfg.JupyterHub.spawner_class == "simple"
    assert cfg.SimpleLocalProcessSpawner.home_dir_template == str(tmp_path / "homes" / "{username}")
    assert cfg.JupyterHub.db_url == f"sqlite:///{tmp_path / 'data' / 'jupyterhub.sqlite'}"
    assert cfg.Spawner.default_url == "/lab"
    assert cfg.Spawner.notebook_dir == "~/lessons"
    assert ("--allow-root" in cfg.Spawner.args) == (os.getuid() == 0)
    assert "--VoilaConfiguration.strip_sources=True" in cfg.Spawner.args
    assert cfg.Spawner.mem_limit and cfg.Spawner.mem_guarantee
    if PROXY.exists():
        assert cfg.ConfigurableHTTPProxy.command == [str(PROXY)]


def test_config_defaults_are_system_accounts_on_loopback(monkeypatch, tmp_path):
    cfg = _load_config(monkeypatch, LOWBACK_HUB_DATA=str(tmp_path / "data"))
    assert cfg.JupyterHub.authenticator_class == "pam"
    assert cfg.PAMAuthenticator.allowed_groups == {"lowback"}
    assert cfg.JupyterHub.spawner_class == "localprocess"
    assert cfg.JupyterHub.bind_url == "http://127.0.0.1:8000"
    assert "--allow-root" not in cfg.Spawner.args, "the local spawner runs servers as the resident, never root"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOWBACK_HUB_AUTH": "shared-password"}, "needs LOWBACK_HUB_PASSWORD"),
        ({"LOWBACK_HUB_AUTH": "github"}, "must be one of pam, shared-password"),
        ({"LOWBACK_HUB_PORT": "80a"}, "must be a port number"),
        ({"LOWBACK_HUB_SSL_CERT": "/etc/cert.pem"}, "set both LOWBACK_HUB_SSL_CERT and LOWBACK_HUB_SSL_KEY"),
    ],
)
def test_config_refuses_incomplete_settings_with_a_clear_message(monkeypatch, tmp_path, env, message):
    with pytest.raises(SystemExit, match=message):
        _load_config(monkeypatch, LOWBACK_HUB_DATA=str(tmp_path / "data"), **env)


def _run_hook(cfg, spawner) -> None:
    """Run the async hook in its own thread: Playwright's sync API (the session's browser) keeps an
    event loop running in this one, where asyncio.run() refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, cfg.Spawner.pre_spawn_hook(spawner)).result(timeout=120)


def test_lessons_are_copied_once_and_a_residents_edits_are_never_overwritten(monkeypatch, tmp_path):
    cfg = _load_config(monkeypatch, **_smoke_env(tmp_path))
    home = tmp_path / "homes" / "carol"
    edited = home / "lessons" / LESSON_FILES[0]
    edited.parent.mkdir(parents=True)
    edited.write_text("carol's notes")
    spawner = SimpleNamespace(home_dir=str(home), user=SimpleNamespace(name="carol"), log=logging.getLogger("t"))
    _run_hook(cfg, spawner)
    assert sorted(p.name for p in (home / "lessons").iterdir()) == SHIPPED
    assert edited.read_text() == "carol's notes", "the resident's edited lesson was overwritten"
    assert (home / "lessons" / LESSON_FILES[8]).read_bytes() == (ROOT / "lessons" / LESSON_FILES[8]).read_bytes()
    (home / "lessons" / LESSON_FILES[8]).unlink()  # a lesson missing from the copy comes back next start
    _run_hook(cfg, spawner)
    assert (home / "lessons" / LESSON_FILES[8]).exists() and edited.read_text() == "carol's notes"


# --- the smoke test --------------------------------------------------------------------------------


def _ports(n: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < n:
        ports.add(free_port())
    return sorted(ports)


def _stop_hub(proc: subprocess.Popen) -> list[str]:
    """Stop the hub (it stops the proxy and every server), then anything of its tree still running.

    Returns a description of each process that had to be killed because the hub left it behind.
    """
    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # JupyterHub shuts down cleanly: stops servers and proxy
        try:
            proc.wait(timeout=45)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    _gone, alive = psutil.wait_procs(tree, timeout=15)
    leftovers = []
    for p in alive:
        with contextlib.suppress(psutil.Error):
            leftovers.append(f"{p.pid} {' '.join(p.cmdline())[:120]}")
            p.kill()
    psutil.wait_procs(alive, timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the hub's own process group, in case
    return leftovers


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[SimpleNamespace]:
    if not PROXY.exists() and not shutil.which("configurable-http-proxy"):
        pytest.fail("JupyterHub's proxy (configurable-http-proxy) is missing: run `make hub-proxy`")
    from widgets.publish.landing import install_template

    install_template()  # the course's Voila template, as `make dashboards` writes it
    tmp = tmp_path_factory.mktemp("hub")
    port, hub_port, api_port = _ports(3)
    env = {**os.environ, **_smoke_env(tmp, port, hub_port, api_port)}
    log_path = tmp / "jupyterhub.log"
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            try:
                wait_until_up(base + "/hub/health", proc, timeout=120, log=log_path)
            except ServerError as e:
                pytest.fail(f"JupyterHub did not start: {e}")
            yield SimpleNamespace(base=base, proc=proc, homes=tmp / "homes", log=log_path,
                                  up_seconds=time.monotonic() - started)
        finally:
            leftovers = _stop_hub(proc)
    assert not leftovers, "the hub left processes running after it stopped (killed now):\n" + "\n".join(leftovers)


def _server_of(hub_proc: subprocess.Popen, name: str) -> psutil.Process:
    """The single-user server the hub started for NAME (a child of the hub)."""
    for p in psutil.Process(hub_proc.pid).children():
        with contextlib.suppress(psutil.Error):
            if "jupyterhub-singleuser" in " ".join(p.cmdline()) and p.environ().get("JUPYTERHUB_USER") == name:
                return p
    raise AssertionError(f"no single-user server process for {name} under the hub")


def _memory(server: psutil.Process) -> dict[str, float]:
    """RSS and PSS (shared pages divided among their users) of a server and its kernels, in MiB."""
    procs = [server, *server.children(recursive=True)]
    kernels = [p for p in procs[1:] if "ipykernel" in " ".join(p.cmdline())]
    rss = sum(p.memory_info().rss for p in procs)
    pss = sum(p.memory_full_info().pss for p in procs)
    return {"server_rss": server.memory_info().rss / MiB, "kernels": len(kernels),
            "kernel_rss": sum(k.memory_info().rss for k in kernels) / MiB,
            "total_rss": rss / MiB, "total_pss": pss / MiB}


@pytest.mark.browser
def test_two_residents_log_in_get_lab_and_open_a_dashboard_each(hub, browser, record_property):
    timings = {"hub up": hub.up_seconds}
    contexts = {name: browser.new_context(viewport={"width": 1280, "height": 900}) for name in RESIDENTS}
    try:
        pages = {name: ctx.new_page() for name, ctx in contexts.items()}
        # Both log in through the hub's login form; their servers start side by side.
        t0 = time.monotonic()
        for name, page in pages.items():
            page.goto(f"{hub.base}/hub/login", timeout=LOAD_TIMEOUT_MS)
            page.fill("#username_input", name)
            page.fill("#password_input", PASSWORD)
            page.click("#login_submit", no_wait_after=True)
        for name, page in pages.items():
            page.wait_for_url(f"**/user/{name}/lab**", timeout=SPAWN_TIMEOUT_MS)
            # JupyterLab opens on the resident's own copy of the course
            page.wait_for_selector(f".jp-DirListing-item[title*='{LESSON_FILES[0]}'], "
                                   f".jp-DirListing-itemText:has-text('{LESSON_FILES[0]}')",
                                   timeout=SPAWN_TIMEOUT_MS)
        timings["log in to JupyterLab (both)"] = time.monotonic() - t0

        for name in RESIDENTS:
            copy = hub.homes / name / "lessons"
            assert copy.is_dir() and sorted(p.name for p in copy.glob("*.ipynb")) == SHIPPED, (
                f"{name}'s home has no complete copy of the lessons: {copy}")

        # A resident cannot reach another resident's server.
        denied = contexts["bob"].request.get(f"{hub.base}/user/alice/api/contents")
        assert denied.status == 403, f"bob reached alice's server: HTTP {denied.status}"

        # Each opens a dashboard inside their own server: the Voila route of their JupyterLab server.
        t0 = time.monotonic()
        refused: dict[str, list[str]] = {name: [] for name in RESIDENTS}
        for name, page in pages.items():
            # Every file the dashboard asks for answers, the scripts its head preloads among them (their
            # addresses carry the resident's /user/<name>/ prefix).
            page.on("response", lambda r, name=name: r.status >= 400 and refused[name].append(f"{r.status} {r.url}"))
            file, _widget = RESIDENTS[name]
            page.goto(f"{hub.base}/user/{name}/voila/render/{file}", timeout=LOAD_TIMEOUT_MS, wait_until="commit")
        for name, page in pages.items():
            file, widget = RESIDENTS[name]
            page.wait_for_selector(widget, timeout=LOAD_TIMEOUT_MS)
            page.wait_for_selector(".lb-selfcheck, .lb-problem", timeout=LOAD_TIMEOUT_MS)
            text = page.inner_text("body")
            for bad in ("Traceback", "Error displaying widget", "ModuleNotFoundError", "could not be shown"):
                assert bad not in text, f"{name}'s dashboard {file} shows {bad!r}"
            assert "from widgets import" not in page.content(), f"{name}'s dashboard {file} shows its source code"
            assert "Teaching material, not clinical advice" in text
            page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
            assert 'rel="preload"' in page.content() and not refused[name], f"{name}: {refused[name][:5]}"
        timings["open the two dashboards"] = time.monotonic() - t0

        # Memory: each resident's server and its kernels (JupyterLab's page and one dashboard open).
        for name in RESIDENTS:
            mem = _memory(_server_of(hub.proc, name))
            assert mem["kernels"] >= 1, f"{name}'s dashboard kernel is not a child of their server: {mem}"
            print(f"\n{name}: server {mem['server_rss']:.0f} MiB RSS + {mem['kernels']} kernel(s) "
                  f"{mem['kernel_rss']:.0f} MiB RSS = {mem['total_rss']:.0f} MiB RSS, {mem['total_pss']:.0f} MiB PSS")
            for key, value in mem.items():
                record_property(f"{name}_{key}", round(value, 1))
            assert mem["total_rss"] < 1024, f"{name} uses more than the 1G mem_limit in the config: {mem}"

        # The course's landing page in a resident's server links to their own dashboards.
        pages["alice"].goto(f"{hub.base}/user/alice/voila/tree", timeout=LOAD_TIMEOUT_MS)
        links = pages["alice"].locator(".lb-lessons > li a")
        assert links.count() == len(LESSON_FILES)
        href = links.first.get_attribute("href")  # the landing page adds the theme (?theme=light or dark)
        assert href.split("?")[0] == f"/user/alice/voila/render/{LESSON_FILES[0]}", href

        log = hub.log.read_text(errors="replace")
        assert "Traceback" not in log, "the hub or a server logged a traceback:\n" + log[log.index("Traceback"):][:3000]
        for label, seconds in timings.items():
            print(f"{label}: {seconds:.1f} s")
            record_property(f"seconds: {label}", round(seconds, 1))
    finally:
        for ctx in contexts.values():
            ctx.close()
