"""Speed and memory of the lesson dashboards (`make bench`; not collected by `make test`).

Targets from issue 5, measured in Chromium on this machine:

- navigation to the lesson's first widget interactive, server warm: under 1.0 s (median of 5 loads per lesson);
- cold start of a lesson: under 3 s;
- a click on the anatomy explorer, the ladder or the simulator to the updated text: under 100 ms;
- memory of one lesson kernel: under 150 MB;
- 30 learners opening one lesson within the same 10 seconds: all interactive, 95th percentile under 10 s,
  no failures.

Every figure is measured twice in the same run: on the course's Voila (config/voila.py:
preheated kernels) and on a plain `voila` with its default settings (started in an empty folder, so
no config file is read). The table gives each figure as a ratio course/plain, which holds better than
the raw figures on a noisy shared machine. The definitions are in NOTES below and printed under the
table. Servers listen on 127.0.0.1 only; the load test is bounded in count and time and stops by itself.

    .venv/bin/python -m benchmarks.bench_dashboards            # everything (what `make bench` runs)
    .venv/bin/python -m benchmarks.bench_dashboards --only warm,click --no-write   # a part, nothing written
    BENCH_VOILA_ARGS="--VoilaKernelManager.fill_delay=60" .venv/bin/python -m benchmarks.bench_dashboards \
        --only class --no-write   # try a setting on the course's Voila before putting it in config/voila.py
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psutil
import yaml

from tests.servers import CHROMIUM, FLAGS, ROOT, ServerError, serve_voila

LESSONS = [les["file"] for les in yaml.safe_load((ROOT / "assets" / "lessons.yaml").read_text())["lessons"]]
TABLE = ROOT / "docs" / "benchmarks.md"  # the table is rewritten between START and END there
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _widget_outputs(file: str) -> int:
    """How many widget outputs the lesson has (its stored run; nbval keeps that equal to a fresh run)."""
    nb = json.loads((ROOT / "lessons" / file).read_text())
    return sum(WIDGET_MIME in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))


def check_complete(file: str, html: str) -> None:
    """A page must carry every widget of its lesson: under load Voila can lose a cell's output (its log then
    says "Timeout waiting for IOPub output"), and the learner gets a lesson with a widget missing."""
    expected, found = WIDGETS[file], html.count(WIDGET_MIME)
    if found < expected:
        raise RuntimeError(f"page incomplete: {found} of the lesson's {expected} widgets in the HTML")
SAVED = ROOT / ".benchmarks" / "dashboards.md"
START, END = "<!-- bench:dashboards:start -->", "<!-- bench:dashboards:end -->"
WIDGETS = {file: _widget_outputs(file) for file in LESSONS}

# The first widget of each lesson (in page order) and what must be on screen for it to count as shown.
# A lesson not listed here uses its self-check, which every lesson has.
FIRST_WIDGET = {
    "00": (".lb-selfcheck", ".lb-selfcheck .lb-question"),
    "01": (".lb-anatomy-explorer", ".lb-anatomy-explorer .lb-diagram [data-structure]"),
    "02": (".lb-pain-patterns", ".lb-pain-patterns .lb-pattern-result"),
    "03": (".lb-ladder-explorer", ".lb-ladder-explorer .lb-rung-box"),
    "04": (".lb-ladder-explorer", ".lb-ladder-explorer .lb-rung-box"),
    "05": (".lb-ladder-explorer", ".lb-ladder-explorer .lb-rung-box"),
    "06": (".lb-ladder-explorer", ".lb-ladder-explorer .lb-rung-box"),
    "07": (".lb-ladder-explorer", ".lb-ladder-explorer .lb-rung-box"),
    "08": (".lb-case-player", ".lb-case-player .lb-course-panel"),
}
DEFAULT_WIDGET = (".lb-selfcheck", ".lb-selfcheck .lb-question")

WARM_LOADS = 5
COLD_LOADS = 5
COLD_LESSONS = ["01", "04", "08"]  # the anatomy diagram, the longest text lesson, the simulator
CLICKS = 7
LEARNERS = 30
IN_CHROMIUM = 3  # of the learners; see NOTES for why not all 30
SPREAD_S = 10.0
LOAD_CAP_S = 90.0  # each load test stops after this, finished or not
CLASS_LESSON = "08"
PAGE_TIMEOUT_MS = 90_000
TARGETS = {"warm": 1.0, "cold": 3.0, "click": 100.0, "memory": 150.0, "p95": 10.0}

# Runs in every page before the lesson's own scripts. It records, in milliseconds since navigation
# started (performance.now()), when the kernel's websocket opened and when the lesson's first widget
# was interactive: its elements on screen, a control in it enabled, and the kernel websocket open.
# The check runs at most once per animation frame (the frame that would paint the change), so the
# measurement itself costs the page little.
INIT_JS = r"""
(() => {
  const widgets = %s;
  const fallback = %s;
  const file = decodeURIComponent(location.pathname.split('/').pop() || '');
  const m = file.match(/^(\d\d)_.*\.ipynb$/);
  if (!m) return;
  const [rootSel, shownSel] = widgets[m[1]] || fallback;
  const lb = window.__lb = {ready: null, shown: null, wsOpen: null, ws: null};
  const onScreen = (el) => !!el && el.getClientRects().length > 0;
  let obs = null;
  let pending = false;
  const check = () => {
    pending = false;
    if (lb.ready !== null) return;
    const root = document.querySelector(rootSel);
    if (!onScreen(root) || !onScreen(document.querySelector(shownSel))) return;
    const control = root.querySelector('button, select, input');
    if (!control || control.disabled) return;
    if (lb.shown === null) lb.shown = performance.now();
    if (!lb.ws || lb.ws.readyState !== 1) return;
    lb.ready = performance.now();
    if (obs) obs.disconnect();
  };
  const schedule = () => {
    if (!pending && lb.ready === null) { pending = true; requestAnimationFrame(check); }
  };
  const Native = window.WebSocket;
  class Tracked extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/channels')) {
        this.addEventListener('open', () => {
          lb.ws = this;
          if (lb.wsOpen === null) lb.wsOpen = performance.now();
          schedule();
        });
      }
    }
  }
  window.WebSocket = Tracked;
  obs = new MutationObserver(schedule);
  obs.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class']});
})();
"""

READY = "() => window.__lb && window.__lb.ready !== null"
POLL_MS = 100  # how often Playwright looks; the times themselves are recorded in the page

TIMINGS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const cfg = document.getElementById('jupyter-config-data');
  return {ready: window.__lb.ready, shown: window.__lb.shown, wsOpen: window.__lb.wsOpen,
          response: nav.responseStart || null, dcl: nav.domContentLoadedEventEnd || null,
          origin: performance.timeOrigin, kernel: cfg ? JSON.parse(cfg.textContent).kernelId : null};
}"""

# What a page that never became interactive was showing, for the report.
STATE_JS = """() => {
  const lb = window.__lb || {};
  const cells = document.getElementById('rendered_cells');
  return `(page: ${document.readyState}, spinner ${document.getElementById('loading') ? 'shown' : 'gone'}, `
    + `cells ${cells ? (cells.style.display === 'none' ? 'hidden' : 'shown') : 'missing'}, `
    + `${document.querySelectorAll('.jupyter-widgets').length} widget views, `
    + `widget on screen ${lb.shown != null ? Math.round(lb.shown) + ' ms' : 'no'}, `
    + `kernel websocket ${lb.ws ? ['connecting', 'open', 'closing', 'closed'][lb.ws.readyState] : 'never opened'})`;
}"""

# Arms one click measurement on a control: t0 is the click event's time, t1 the first animation frame
# after the target's text changed (the frame that paints it).
ARM_CLICK_JS = """(control, target) => {
  const tgt = document.querySelector(target);
  const before = tgt.innerText;
  window.__lbClick = new Promise((resolve, reject) => {
    let t0 = null;
    control.addEventListener('click', (e) => { t0 = Math.min(e.timeStamp, performance.now()); },
                             {capture: true, once: true});
    const obs = new MutationObserver(() => {
      if (t0 === null || tgt.innerText === before) return;
      obs.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - t0));
    });
    obs.observe(tgt, {subtree: true, childList: true, characterData: true, attributes: true});
    setTimeout(() => { obs.disconnect(); reject(new Error('the text did not change within 15 s')); }, 15000);
  });
}"""

NOTES = [
    "**Course**: the learners' Voila (`config/voila.py`: preheated kernels, one per lesson). **Plain**: "
    "`voila lessons` with default settings (no configuration file, so no preheating). Ratio = course / plain; "
    "below 1 the course is faster. Course and plain loads alternate, so load from elsewhere hits both alike.",
    "**Warm load**: the server idle and, for the course, the lesson's preheated kernel ready (the bench waits "
    "until every kernel is idle and Voila's log says each lesson's pool is refilled); each load opens a new tab "
    "in a Chromium window on a profile folder, as a learner's everyday browser is, whose caches three earlier "
    "loads have filled (not counted). Such a window keeps the scripts it has compiled (V8's code cache) beside "
    "the cached files. Median of {warm} loads per lesson.",
    "**Warm load in a private window**: the same loads in a private (incognito) window whose cache three earlier "
    "loads have filled: it keeps the files in memory but no compiled code, so each page compiles about 5 MB of "
    "Voila and widget JavaScript again. The tables before 2026-11-22 measured warm loads this way. No target: "
    "shown so the two can be compared. Median of {warm} loads each for lessons {cold_lessons}.",
    "**Interactive**: milliseconds from navigation start (`performance.now()` in the page) until the lesson's "
    "first widget is on screen with its elements drawn (e.g. the anatomy diagram's structures, the ladder's rung "
    "box), a control in it is enabled, and the page's kernel websocket is open. Voila draws a widget only from "
    "models it has fetched from the kernel, and each load is then checked with a real round trip (the "
    "self-check's *Check answer* must answer), which is not counted in the time. A page must also carry every "
    "widget of its lesson (counted in its HTML against the stored lesson), or it counts as failed.",
    "**Cold start**: no preheated kernel (course server with `LOWBACK_POOL_SIZE=0`), so the kernel starts and "
    "runs the whole notebook while the learner waits; a new tab in the profile window, as for warm loads. "
    "**Cold start in a private window**: the same with a new private window each time (nothing cached, nothing "
    "compiled: a learner's very first visit to the course, on a lesson with no kernel waiting); no target, "
    "shown beside it. The tables before 2026-11-22 measured cold starts this way. Median of {cold} loads each "
    "for lessons {cold_lessons}.",
    "**Click to text**: from the click event's timestamp to the first animation frame after the target text "
    "changed (MutationObserver). Anatomy explorer: a structure on the diagram, the details panel (lesson 01). "
    "Ladder: a rung button, the rung box (lesson 04). Simulator: *Advice, review in 4 weeks* and *Start again* "
    "in turn, the course panel (lesson 08). Median of {clicks} clicks each.",
    "**Kernel memory**: resident set size (RSS) of the page's kernel process (psutil) after the page is "
    "interactive, largest over the lessons; USS (memory only that kernel holds) on the next row.",
    "**{learners} learners**: {learners} learners open lesson {class_lesson}, one every {gap:.2f} s over "
    "{spread:.0f} s. The course server is started as an instructor starts it for a class "
    "(`LOWBACK_CLASS_LESSON={class_file}`, `LOWBACK_CLASS_SIZE={learners}`; `config/voila.py` then waits 30 s "
    "before replacing the kernels the class takes) and the bench waits for its pools to fill. {in_chromium} of "
    "the learners, spread over the window, are new contexts in Chromium (interactive as above); the others are "
    "the requests their pages make: the lesson's HTML, the kernel websocket and every widget's state, asked for "
    "as Voila's widget manager asks (interactive = the states arrived, which the page needs before it can draw "
    "a widget). Every learner must then get an answer to a click. A learner's time runs from its scheduled "
    "start. The test stops after {cap:.0f} s; a learner not done by then is a failure and counts as never "
    "interactive in the median and the nearest-rank 95th percentile. Why not {learners} Chromiums: a lesson "
    "page costs Chromium 2 to 4 CPU seconds, so {learners} of them need 60 to 120 CPU seconds, 30 to 60 s of "
    "both cores by themselves, whatever the server does; in a room each learner's browser runs on their own "
    "computer. `--in-chromium {learners}` runs that test anyway.",
]


# ---------------------------------------------------------------------------------------------- helpers


def lesson_id(file: str) -> str:
    return file[:2]


def lesson_file(lid: str) -> str:
    return next(f for f in LESSONS if lesson_id(f) == lid)


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def p95(xs: list[float]) -> float | None:
    """Nearest-rank 95th percentile."""
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def say(*parts) -> None:
    print("[bench]", *parts, flush=True)


def kernels(server: psutil.Process) -> dict[str, psutil.Process]:
    """The server's kernel processes by kernel id (from the connection file in their command line)."""
    out = {}
    for child in server.children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
        except psutil.Error:
            continue
        m = re.search(r"ipykernel_launcher.*kernel-([0-9a-f-]+)\.json", cmd)
        if m:
            out[m.group(1)] = child
    return out


POOL_EVENT = re.compile(r"(Using pre-heated kernel: \S+ for|Kernel pool of) \S*?(\d\d_[^/\s]+\.ipynb)")


def pools_filling(log: Path) -> list[str]:
    """Lessons whose preheated pool is being refilled, from a course server's log: Voila logs "Using
    pre-heated kernel ... for <lesson>" when a page takes a kernel and "Kernel pool of <lesson> is filled"
    when the replacement has run the lesson. A kernel counted by process alone can still be running the
    lesson (or waiting to), and a page given it waits for that render: the bench must not load then."""
    last: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for m in POOL_EVENT.finditer(log.read_text(errors="replace")):
            last[m.group(2)] = m.group(1)
    return sorted(lesson for lesson, event in last.items() if event.startswith("Using"))


class Idle:
    """Waits until the servers are quiet: each server process and every kernel below them (nearly) idle,
    at least `pooled` kernels no page has used, and (from `pool_logs`, the course servers' logs) every
    preheated pool refilled with a kernel that has finished running its lesson."""

    def __init__(self, *server_pids: int, pool_logs: tuple[Path, ...] = ()):
        self.servers = [psutil.Process(pid) for pid in server_pids]
        self.pool_logs = pool_logs
        self.used: set[str] = set()
        self._procs: dict[int, psutil.Process] = {}

    def kernel(self, kernel_id: str) -> psutil.Process | None:
        for s in self.servers:
            proc = kernels(s).get(kernel_id)
            if proc is not None:
                return proc
        return None

    def memory(self, kernel_id: str) -> tuple[float, float] | None:
        """(RSS, USS) in MB of one kernel, or None if it is gone."""
        proc = self.kernel(kernel_id)
        try:
            full = proc.memory_full_info() if proc else None
        except psutil.Error:
            return None
        return (full.rss / 2**20, full.uss / 2**20) if full else None

    def _cpu(self, proc: psutil.Process) -> float:
        keep = self._procs.setdefault(proc.pid, proc)
        try:
            return keep.cpu_percent(None)
        except psutil.Error:
            return 0.0

    async def wait(self, pooled: int = 0, timeout: float = 240.0) -> float:
        t0 = time.monotonic()
        quiet = 0
        while True:
            ks = {kid: k for s in self.servers for kid, k in kernels(s).items()}
            spare = [kid for kid in ks if kid not in self.used]
            busy = [self._cpu(s) > 10 for s in self.servers] + [self._cpu(k) > 3 for k in ks.values()]
            filling = [lesson for log in self.pool_logs for lesson in pools_filling(log)] if pooled else []
            quiet = quiet + 1 if (len(spare) >= pooled and not any(busy) and not filling) else 0
            if quiet >= 2:  # the first sample of a new process reads 0, so two quiet samples in a row
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise TimeoutError(f"server not idle after {timeout:.0f} s ({len(spare)} of {pooled} pooled kernels"
                                   + (f"; pools still filling: {', '.join(filling)})" if filling else ")"))
            await asyncio.sleep(0.3)


@dataclass
class Side:
    """Everything measured on one kind of server ("course" or "plain")."""

    warm: dict[str, list[float]] = field(default_factory=dict)
    private: dict[str, list[float]] = field(default_factory=dict)  # warm loads in a private window
    cold: dict[str, list[float]] = field(default_factory=dict)
    cold_private: dict[str, list[float]] = field(default_factory=dict)  # cold starts in a private window
    clicks: dict[str, list[float]] = field(default_factory=dict)
    memory: dict[str, tuple[float, float]] = field(default_factory=dict)
    detail: dict[str, list[dict]] = field(default_factory=dict)
    load: dict = field(default_factory=dict)  # class_load()
    notes: list[str] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)  # "warm 01" -> loads that never became interactive

    def fail(self, key: str, name: str, e: Exception) -> None:
        self.failed[key] = self.failed.get(key, 0) + 1
        self.notes.append(f"{name} {key} failed: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
        say(self.notes[-1])


# ---------------------------------------------------------------------------------------------- browser


VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class Chromium:
    """`browser` makes private windows (`new_context`): a cache in memory only, and no compiled-code cache.
    `profile` is one window on a profile folder, as a learner's everyday browser is: Chromium keeps the
    scripts it has compiled (V8's code cache) beside their cached copies, so a page that loads the same
    5 MB of Voila and widget code again compiles little of it."""

    browser: Any
    profile: Any


@contextlib.asynccontextmanager
async def chromium():
    if not Path(CHROMIUM).exists():
        raise ServerError(f"no Chromium at {CHROMIUM}: run `make chromium` or set CHROMIUM_PATH")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
                profile = await p.chromium.launch_persistent_context(
                    folder, executable_path=CHROMIUM, args=FLAGS, headless=True, viewport=VIEWPORT)
                try:
                    await measured(profile)
                    yield Chromium(browser, profile)
                finally:
                    await profile.close()
        finally:
            await browser.close()


async def measured(ctx):
    """Every page of the context records its own timings (INIT_JS)."""
    await ctx.add_init_script(INIT_JS % (json.dumps(FIRST_WIDGET), json.dumps(DEFAULT_WIDGET)))
    return ctx


async def new_context(browser):
    return await measured(await browser.new_context(viewport=VIEWPORT))


async def round_trip(page, timeout_ms: float = 30_000) -> None:
    """A real kernel round trip: press the first self-check's Check answer with no answer chosen."""
    q = page.locator(".lb-question").first
    await q.get_by_role("button", name="Check answer").click(timeout=timeout_ms)
    await page.wait_for_function(
        "() => document.querySelector('.lb-question .lb-feedback-box').innerText.includes('Choose an answer first')",
        timeout=timeout_ms, polling=POLL_MS,
    )


async def open_lesson(ctx, base: str, file: str, idle: Idle, timeout_ms: float = PAGE_TIMEOUT_MS):
    """Open a lesson in a new page, wait until its first widget is interactive, check a round trip.
    Returns (page, timings); the caller closes the page with `leave()`. The page's kernel goes into
    `idle.used` either way, so it is not mistaken for a preheated one."""
    page = await ctx.new_page()
    try:
        response = await page.goto(f"{base}/voila/render/{file}", wait_until="commit", timeout=timeout_ms)
        await page.wait_for_function(READY, timeout=timeout_ms, polling=POLL_MS)
        timings = await page.evaluate(TIMINGS_JS)
        check_complete(file, await response.text())
        await round_trip(page, timeout_ms)
        for bad in ("could not be shown", "could not load its content", "Traceback"):
            if bad in await page.inner_text("body"):
                raise RuntimeError(f"{file}: {bad!r} on the page")
    except BaseException:
        with contextlib.suppress(Exception):
            idle.used.add(await page.evaluate(
                "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))
        await leave(page)
        raise
    idle.used.add(timings["kernel"])
    return page, timings


async def leave(page) -> None:
    """Navigate away (Voila's page then asks the server to shut its kernel down, as a closed tab does)."""
    with contextlib.suppress(Exception):
        await page.goto("about:blank", timeout=10_000)
    with contextlib.suppress(Exception):
        await page.close()


# ---------------------------------------------------------------------------------------------- phases
# Course and plain servers run side by side and the loads alternate between them (course, then plain,
# lesson by lesson), so a burst of load from elsewhere on the machine hits both alike.


@dataclass
class Target:
    name: str
    side: Side
    base: str


def keep_memory(side: Side, lid: str, mem: tuple[float, float] | None) -> None:
    if mem:
        old = side.memory.get(lid, (0.0, 0.0))
        side.memory[lid] = (max(old[0], mem[0]), max(old[1], mem[1]))


FILL_LOADS = ["08", "00", "01"]  # loads that fill a window's caches before it is measured; not counted


async def warm_loads(ch: Chromium, targets: list[Target], idle: Idle, pooled: int, loads: int) -> None:
    """Loads on idle servers, lessons in turn: in the profile window (kind "warm", every lesson), then in
    one private window per server (kind "private", the cold-start lessons)."""
    private = [await new_context(ch.browser) for _ in targets]
    try:
        await _warm_series("warm", [ch.profile] * len(targets), targets, idle, pooled, loads, LESSONS)
        await _warm_series("private", private, targets, idle, pooled, loads,
                           [lesson_file(lid) for lid in COLD_LESSONS])
    finally:
        for ctx in private:
            await ctx.close()


async def _warm_series(kind: str, contexts: list, targets: list[Target], idle: Idle, pooled: int, loads: int,
                       files: list[str]) -> None:
    for lid in FILL_LOADS:
        for tg, ctx in zip(targets, contexts, strict=True):
            await idle.wait(pooled)
            try:
                page, t = await open_lesson(ctx, tg.base, lesson_file(lid), idle)
            except Exception as e:
                tg.side.notes.append(f"{tg.name}: a load that fills the browser's caches ({kind}) failed: {e}")
                continue
            await leave(page)
    for rnd in range(loads):
        for file in files:
            lid = lesson_id(file)
            for tg, ctx in zip(targets, contexts, strict=True):
                await idle.wait(pooled)
                try:
                    page, t = await open_lesson(ctx, tg.base, file, idle)
                except Exception as e:  # reported under the table, not measured
                    tg.side.fail(f"{kind} {lid}", tg.name, e)
                    continue
                keep_memory(tg.side, lid, idle.memory(t["kernel"]))
                await leave(page)
                getattr(tg.side, kind).setdefault(lid, []).append(t["ready"] / 1000)
                tg.side.detail.setdefault(f"{kind} {lid}", []).append(t)
        for tg in targets:
            say(f"{kind} round {rnd + 1}/{loads} {tg.name}:",
                " ".join(f"{k}={v[-1]:.2f}s" for k, v in getattr(tg.side, kind).items()))


async def cold_loads(ch: Chromium, targets: list[Target], idle: Idle, loads: int) -> None:
    """Loads with no preheated kernel waiting: a new tab in the profile window (kind "cold", after the
    loads that fill its caches), then a new private window (kind "cold-private")."""
    for lid in FILL_LOADS:
        for tg in targets:
            await idle.wait(0)
            try:
                page, _ = await open_lesson(ch.profile, tg.base, lesson_file(lid), idle)
            except Exception as e:
                tg.side.notes.append(f"{tg.name}: a load that fills the browser's caches (cold) failed: {e}")
                continue
            await leave(page)
    for rnd in range(loads):
        for lid in COLD_LESSONS:
            for tg in targets:
                for kind, results in (("cold", tg.side.cold), ("cold-private", tg.side.cold_private)):
                    await idle.wait(0)
                    ctx = ch.profile if kind == "cold" else await new_context(ch.browser)
                    try:
                        page, t = await open_lesson(ctx, tg.base, lesson_file(lid), idle)
                        await leave(page)
                    except Exception as e:  # reported under the table, not measured
                        tg.side.fail(f"{kind} {lid}", tg.name, e)
                        continue
                    finally:
                        if ctx is not ch.profile:
                            await ctx.close()
                    results.setdefault(lid, []).append(t["ready"] / 1000)
                    tg.side.detail.setdefault(f"{kind} {lid}", []).append(t)
        for tg in targets:
            say(f"cold round {rnd + 1}/{loads} {tg.name}:",
                " ".join(f"{k}={v[-1]:.2f}s" for k, v in tg.side.cold.items()),
                "private:", " ".join(f"{k}={v[-1]:.2f}s" for k, v in tg.side.cold_private.items()))


async def _click_series(page, controls: list, target: str, n: int) -> list[float]:
    out = []
    for i in range(n):
        control = controls[i % len(controls)]
        await control.evaluate(ARM_CLICK_JS, target)
        await control.click()
        out.append(await page.evaluate("() => window.__lbClick"))
        await asyncio.sleep(0.3)  # let the kernel's follow-up messages settle before the next click
    return out


async def _anatomy(page, n: int) -> list[float]:
    """Structures on the diagram in turn (those a click at their centre reaches); the details panel changes."""
    ids = await page.evaluate("""() => {
      const diagram = document.querySelector('.lb-diagram');
      diagram.scrollIntoView({block: 'center'});
      const out = [];
      for (const el of diagram.querySelectorAll('[data-structure]')) {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        const s = hit && hit.closest('[data-structure]');
        if (s === el && !out.includes(el.dataset.structure)) out.push(el.dataset.structure);
      }
      return out;
    }""")
    if len(ids) < 2:
        raise RuntimeError(f"the anatomy diagram has {len(ids)} clickable structures; two are needed")
    controls = [page.locator(f".lb-diagram [data-structure='{s}']").first for s in ids]
    return await _click_series(page, controls, ".lb-anatomy-details", n)


async def _ladder(page, n: int) -> list[float]:
    """Rung buttons in turn, starting after the selected one; the rung box changes."""
    buttons = page.locator(".lb-ladder-explorer .widget-toggle-buttons button")
    order = [buttons.nth(i) for i in range(await buttons.count())]
    active = [i for i, b in enumerate(order) if "mod-active" in (await b.get_attribute("class") or "")]
    if active:
        order = order[active[0] + 1:] + order[: active[0] + 1]
    return await _click_series(page, order, ".lb-ladder-explorer .lb-rung-box", n)


async def _simulator(page, n: int) -> list[float]:
    """A decision, then start again, in turn; the course panel changes."""
    player = page.locator(".lb-case-player").first
    pair = [player.get_by_role("button", name="Advice, review in 4 weeks"),
            player.get_by_role("button", name="Start again")]
    return await _click_series(page, pair, ".lb-case-player .lb-course-panel", n)


WIDGET_CLICKS = [("anatomy", "01", _anatomy), ("ladder", "04", _ladder), ("simulator", "08", _simulator)]


async def clicks(browser, targets: list[Target], idle: Idle, pooled: int, n: int) -> None:
    contexts = [await new_context(browser) for _ in targets]
    try:
        for key, lid, series in WIDGET_CLICKS:
            for tg, ctx in zip(targets, contexts, strict=True):
                await idle.wait(pooled)
                try:
                    page, t = await open_lesson(ctx, tg.base, lesson_file(lid), idle)
                except Exception as e:  # reported under the table, not measured
                    tg.side.fail("click " + key, tg.name, e)
                    continue
                try:
                    tg.side.clicks[key] = await series(page, n)
                    keep_memory(tg.side, lid, idle.memory(t["kernel"]))  # after the widget has worked
                except Exception as e:
                    tg.side.fail("click " + key, tg.name, e)
                finally:
                    await leave(page)
    finally:
        for ctx in contexts:
            await ctx.close()
    for tg in targets:
        say(f"clicks {tg.name} (ms):", {k: [round(x) for x in v] for k, v in tg.side.clicks.items()})


class CpuMeter:
    """CPU seconds used while it runs, by Chromium (this process's browser), the Voila server, its kernels,
    and everything else on the machine. Samples every second, so a process that exits keeps its last count."""

    def __init__(self, server_pid: int):
        self.server = psutil.Process(server_pid)
        self.me = psutil.Process()
        self.seen: dict[int, tuple[str, float, float]] = {}  # pid -> (group, first, last)
        self.machine0 = self._machine()
        self._sample(initial=True)

    @staticmethod
    def _machine() -> float:
        t = psutil.cpu_times()
        return t.user + t.system + getattr(t, "nice", 0.0)

    def _group(self, proc: psutil.Process) -> str | None:
        if proc.pid == self.server.pid:
            return "server"
        try:
            if proc.ppid() == self.server.pid:
                return "kernels"
            return "browser" if "chrom" in proc.name() else None
        except psutil.Error:
            return None

    def _sample(self, initial: bool = False) -> None:
        for proc in [self.server, *self.me.children(recursive=True)]:
            group = self._group(proc)
            if group is None:
                continue
            try:
                t = proc.cpu_times()
            except psutil.Error:
                continue
            total = t.user + t.system
            if proc.pid in self.seen:
                g, first, _ = self.seen[proc.pid]
                self.seen[proc.pid] = (g, first, total)
            else:  # a process that starts during the test counts from zero
                self.seen[proc.pid] = (group, total if initial else 0.0, total)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self._sample()

    def result(self) -> dict[str, float]:
        self._sample()
        out = {"browser": 0.0, "server": 0.0, "kernels": 0.0}
        for group, first, last in self.seen.values():
            out[group] += last - first
        out["rest of the machine"] = max(0.0, self._machine() - self.machine0 - sum(out.values()))
        return {k: round(v, 1) for k, v in out.items()}


class ProtocolLearner:
    """One learner reduced to the requests its page makes, so the learner's own computer costs this machine
    almost nothing: GET the lesson (the HTML names the page's kernel), open the kernel websocket, ask for
    every widget's state as Voila's widget manager does (the `jupyter.widget.control` comm), then press
    the self-check's Check answer and wait for the kernel's answer. Interactive = the widget states
    arrived, which is what the page needs before it can draw its widgets."""

    def __init__(self, base: str, file: str):
        self.base, self.file = base, file
        self.kernel_id = ""
        self.cookie = ""
        self.ws = None
        self.session = uuid.uuid4().hex

    def _send(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "learner",
                  "session": self.session, "version": "5.3", "date": ""}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {},
                                 "content": content, "channel": "shell", "buffers": []}))

    def _until(self, test, deadline: float) -> dict:
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no answer from the kernel before the time cap")
            self.ws.settimeout(left)
            raw = self.ws.recv()
            if isinstance(raw, bytes):  # a message with binary buffers: the JSON part comes first
                n = int.from_bytes(raw[:4], "big")
                offsets = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(n)]
                raw = raw[offsets[0]: offsets[1] if n > 1 else None]
            msg = json.loads(raw)
            if test(msg):
                return msg

    def run(self, scheduled: float, deadline: float) -> dict:
        import http.cookiejar
        import urllib.request

        import websocket

        time.sleep(max(0.0, scheduled - time.time()))
        try:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            url = f"{self.base}/voila/render/{self.file}"
            html = opener.open(url, timeout=max(1.0, deadline - time.time())).read().decode()
            self.kernel_id = re.search(r'"kernelId": *"([^"]+)"', html).group(1)
            check_complete(self.file, html)
            self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
            host = urlparse(self.base).netloc
            self.ws = websocket.create_connection(
                f"ws://{host}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
                header=[f"Cookie: {self.cookie}"], timeout=max(1.0, deadline - time.time()))
            control = uuid.uuid4().hex
            self._send("comm_info_request", {"target_name": "jupyter.widget"})
            self._send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                       metadata={"version": "1.0.0"})
            self._send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
            reply = self._until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == control
                                and m["content"]["data"].get("method") == "update_states", deadline)
            ready = time.time()
            states = reply["content"]["data"]["states"]
            button = next(mid for mid, s in states.items() if s["state"].get("_model_name") == "ButtonModel"
                          and s["state"].get("description") == "Check answer")
            self._send("comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}})
            self._until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "update"
                        and "Choose an answer first" in str(m["content"]["data"].get("state", {})), deadline)
            return {"ok": True, "seconds": ready - scheduled, "kernel": self.kernel_id}
        except Exception as e:  # a learner who never got an interactive page is a failure, not a crash
            return {"ok": False, "error": f"{type(e).__name__}: {str(e).splitlines()[0][:100] if str(e) else ''}",
                    "kernel": self.kernel_id or None}

    def leave(self) -> None:
        """Close the websocket and ask Voila to shut the kernel down, as the page does when it is closed."""
        import urllib.request

        with contextlib.suppress(Exception):
            if self.ws is not None:
                self.ws.close()
        if not self.kernel_id:
            return
        xsrf = re.search(r"(?:^|; )_xsrf=([^;]+)", self.cookie)
        body = f"_xsrf={xsrf.group(1)}".encode() if xsrf else b""
        req = urllib.request.Request(f"{self.base}/voila/api/shutdown/{self.kernel_id}", data=body, method="POST",
                                     headers={"Cookie": self.cookie})
        with contextlib.suppress(Exception):
            urllib.request.urlopen(req, timeout=10).close()


def chromium_seats(learners: int, in_chromium: int) -> set[int]:
    """Which learners (by start order) use Chromium: IN_CHROMIUM of them, spread over the start window."""
    k = max(0, min(in_chromium, learners))
    return {min(learners - 1, int((j + 0.5) * learners / k)) for j in range(k)} if k else set()


async def class_load(base: str, server_pid: int, lid: str, learners: int, spread: float, cap: float,
                     browser, in_chromium: int) -> dict:
    """LEARNERS learners opening one lesson, started evenly over SPREAD seconds; stops after CAP seconds.
    IN_CHROMIUM of them (spread over the window) are new contexts in BROWSER, the others ProtocolLearners."""
    if urlparse(base).hostname != "127.0.0.1":
        raise SystemExit(f"the load test runs only against 127.0.0.1, not {base}")
    file = lesson_file(lid)
    t_start = time.time() + 1.0
    deadline = t_start + cap
    contexts: list = []
    gap = spread / learners

    async def chromium_learner(i: int) -> dict:
        scheduled = t_start + i * gap
        await asyncio.sleep(max(0.0, scheduled - time.time()))
        ctx = await new_context(browser)
        contexts.append(ctx)
        page = await ctx.new_page()
        response = None
        try:
            left_ms = max(1000.0, (deadline - time.time()) * 1000)
            response = await page.goto(f"{base}/voila/render/{file}", wait_until="commit", timeout=left_ms)
            left_ms = max(1000.0, (deadline - time.time()) * 1000)
            await page.wait_for_function(READY, timeout=left_ms, polling=POLL_MS)
            t = await page.evaluate(TIMINGS_JS)
            seconds = (t["origin"] + t["ready"]) / 1000 - scheduled
            check_complete(file, await response.text())
            await round_trip(page, max(1000.0, (deadline - time.time()) * 1000))
            return {"ok": True, "seconds": seconds, "kernel": t["kernel"], "chromium": True}
        except Exception as e:  # a learner who never got an interactive page is a failure, not a crash
            state, kernel = "", None
            with contextlib.suppress(Exception):
                state = " " + await asyncio.wait_for(page.evaluate(STATE_JS), 10)
                kernel = (await asyncio.wait_for(page.evaluate(TIMINGS_JS), 10))["kernel"]
            error = f"{type(e).__name__}: {str(e).splitlines()[0][:80]}{state}"
            if response is not None and not isinstance(e, RuntimeError):  # was the widget missing from the page?
                with contextlib.suppress(Exception):
                    found = (await asyncio.wait_for(response.text(), 10)).count(WIDGET_MIME)
                    if found < WIDGETS[file]:
                        error = f"page incomplete: {found} of the lesson's {WIDGETS[file]} widgets, never interactive"
            return {"ok": False, "error": error, "kernel": kernel}

    seats = chromium_seats(learners, in_chromium)
    pool = ThreadPoolExecutor(max_workers=learners)
    plain_learners = {i: ProtocolLearner(base, file) for i in range(learners) if i not in seats}
    loop = asyncio.get_running_loop()
    meter = CpuMeter(server_pid)
    sampler = asyncio.create_task(meter.run())
    tasks = [asyncio.create_task(chromium_learner(i)) if i in seats
             else loop.run_in_executor(pool, plain_learners[i].run, t_start + i * gap, deadline)
             for i in range(learners)]
    try:
        done = await asyncio.wait_for(asyncio.gather(*tasks), timeout=cap + 30)
    except TimeoutError:
        # wait_for cancels the gathered tasks when it times out: a cancelled learner is one stopped at the cap
        done = [t.result() if t.done() and not t.cancelled() else {"ok": False, "error": "stopped at the time cap"}
                for t in tasks]
        for t in tasks:
            t.cancel()
    finally:
        sampler.cancel()
        cpu = meter.result()
        wall = time.time() - t_start
        for ctx in contexts:
            with contextlib.suppress(Exception):
                await ctx.close()
        await asyncio.gather(*(loop.run_in_executor(pool, pl.leave) for pl in plain_learners.values()))
        pool.shutdown(wait=False, cancel_futures=True)
    ok = [r["seconds"] for r in done if r["ok"]]
    errors = [r["error"] for r in done if not r["ok"]]
    # percentiles over every learner, a failed one counting as never interactive
    every = ok + [math.inf] * len(errors)
    p95_all, med_all = p95(every), median(every)
    return {"learners": learners, "interactive": len(ok), "failures": len(errors),
            "median": med_all if med_all != math.inf else None,
            "p95": p95_all if p95_all != math.inf else None,
            "p95_note": f"over {cap:.0f} s" if p95_all == math.inf else "",
            "median_note": f"over {cap:.0f} s" if med_all == math.inf else "",
            "errors": sorted(set(errors))[:3], "cpu": cpu, "wall": round(wall, 1),
            "in_chromium": len(seats), "chromium_ok": [r["seconds"] for r in done if r["ok"] and r.get("chromium")],
            "kernels": [r["kernel"] for r in done if r.get("kernel")]}


# ---------------------------------------------------------------------------------------------- servers


@contextlib.contextmanager
def server(kind: str, env: dict[str, str] | None = None, log: Path | None = None):
    """kind "course": config/voila.py applies; kind "plain": no config file, started in an empty folder."""
    if kind == "plain":
        with tempfile.TemporaryDirectory(prefix="plain-voila-") as empty:
            with serve_voila(env, config=None, cwd=Path(empty), log=log) as (base, proc):
                yield base, proc
    else:
        extra = os.environ.get("BENCH_VOILA_ARGS", "").split()  # for trying settings without editing voila.py
        with serve_voila(env, args=extra, log=log) as (base, proc):
            yield base, proc


def course_env(**extra: str) -> dict[str, str]:
    """The course server's environment with no instructor settings inherited from the shell."""
    env = {"LOWBACK_POOL_SIZE": "", "LOWBACK_CLASS_LESSON": "", "LOWBACK_CLASS_SIZE": ""}
    env.update(extra)
    return env


PLAIN_ENV = {"LOWBACK_POOL_SIZE": "", "LOWBACK_CLASS_LESSON": "", "LOWBACK_CLASS_SIZE": ""}


# ---------------------------------------------------------------------------------------------- report


def machine(browser_version: str, load_start: tuple[float, float, float]) -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")), "?")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ram = psutil.virtual_memory().total / 2**30
    osr = Path("/etc/os-release")
    distro = next((ln.split("=", 1)[1].strip('"') for ln in osr.read_text().splitlines()
                   if ln.startswith("PRETTY_NAME=")), platform.system()) if osr.exists() else platform.system()
    from importlib.metadata import version

    load = os.getloadavg()
    return (f"{model}, {cores} cores, {ram:.0f} GB RAM; {distro}; Python {platform.python_version()}; "
            f"Chromium {browser_version}; Voila {version('voila')}, ipywidgets {version('ipywidgets')}; "
            f"load average (1/5/15 min) {'/'.join(f'{x:.1f}' for x in load_start)} at the start and "
            f"{'/'.join(f'{x:.1f}' for x in load)} at the end: the machine is shared")


def fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "—"
    if unit == "s":
        return f"{x:.2f} s"
    if unit == "ms":
        return f"{x:.0f} ms"
    if unit == "MB":
        return f"{x:.0f} MB"
    return f"{x:g}"


def row(name: str, course: float | None, plain: float | None, unit: str, target: float | None,
        course_note: str = "", plain_note: str = "") -> str:
    ratio = (f"{course / plain:.2f}" if course / plain >= 0.1 else f"{course / plain:.2g}") \
        if course is not None and plain else "—"
    met = "—" if target is None else ("yes" if course is not None and course < target else "no")
    tgt = "—" if target is None else f"< {fmt(target, unit)}"
    c = course_note or fmt(course, unit)
    p = plain_note or fmt(plain, unit)
    return f"| {name} | {c} | {p} | {ratio} | {tgt} | {met} |"


def table(course: Side, plain: Side, args, machine_line: str) -> str:
    lines = ["| Figure | Course | Plain Voila | Ratio | Target | Met |", "|---|---|---|---|---|---|"]
    def of(key: str, n: int) -> str:
        failed = {name: side.failed.get(key, 0) for name, side in (("course", course), ("plain", plain))}
        lost = "; ".join(f"{v} failed on {k}" for k, v in failed.items() if v)
        return f"(median of {n}{'; ' + lost if lost else ''})"

    for file in LESSONS:
        lid = lesson_id(file)
        key = "warm " + lid
        if lid in course.warm or lid in plain.warm or course.failed.get(key) or plain.failed.get(key):
            lines.append(row(f"Warm load to interactive, lesson {lid} {of(key, args.loads)}",
                             median(course.warm.get(lid, [])), median(plain.warm.get(lid, [])), "s",
                             TARGETS["warm"]))
    for lid in COLD_LESSONS:
        key = "private " + lid
        if lid in course.private or lid in plain.private or course.failed.get(key) or plain.failed.get(key):
            lines.append(row(f"Warm load in a private window, lesson {lid} {of(key, args.loads)}",
                             median(course.private.get(lid, [])), median(plain.private.get(lid, [])), "s", None))
    for lid in COLD_LESSONS:
        key = "cold " + lid
        if lid in course.cold or lid in plain.cold or course.failed.get(key) or plain.failed.get(key):
            lines.append(row(f"Cold start to interactive, lesson {lid} {of(key, args.cold_loads)}",
                             median(course.cold.get(lid, [])), median(plain.cold.get(lid, [])), "s",
                             TARGETS["cold"]))
    for lid in COLD_LESSONS:
        key = "cold-private " + lid
        if lid in course.cold_private or lid in plain.cold_private or course.failed.get(key) or plain.failed.get(key):
            lines.append(row(f"Cold start in a private window, lesson {lid} {of(key, args.cold_loads)}",
                             median(course.cold_private.get(lid, [])), median(plain.cold_private.get(lid, [])),
                             "s", None))
    for key, name in (("anatomy", "anatomy explorer"), ("ladder", "ladder"), ("simulator", "simulator")):
        if key in course.clicks or key in plain.clicks or course.failed.get("click " + key):
            lines.append(row(f"Click to updated text, {name} (median of {args.clicks})",
                             median(course.clicks.get(key, [])), median(plain.clicks.get(key, [])), "ms",
                             TARGETS["click"]))
    if course.memory or plain.memory:
        def top(side: Side, i: int) -> tuple[float | None, str]:
            if not side.memory:
                return None, ""
            lid = max(side.memory, key=lambda k: side.memory[k][i])
            return side.memory[lid][i], lid

        (c_rss, c_lid), (p_rss, _) = top(course, 0), top(plain, 0)
        lines.append(row(f"Kernel memory, RSS (largest: lesson {c_lid})", c_rss, p_rss, "MB", TARGETS["memory"]))
        (c_uss, c_lid), (p_uss, _) = top(course, 1), top(plain, 1)
        lines.append(row(f"Kernel memory, USS (largest: lesson {c_lid})", c_uss, p_uss, "MB", None))
    c, p = course.load, plain.load
    if c or p:
        n = args.learners
        label = f"{n} learners"
        lines.append(f"| {label}: interactive | {c.get('interactive', '—')} of {n} | "
                     f"{p.get('interactive', '—')} of {n} | — | all | "
                     f"{'yes' if c.get('interactive') == n else 'no'} |")
        lines.append(f"| {label}: failures | {c.get('failures', '—')} | {p.get('failures', '—')} | — | 0 | "
                     f"{'yes' if c.get('failures') == 0 else 'no'} |")
        lines.append(row(f"{label}: median to interactive", c.get("median"), p.get("median"), "s", None,
                         course_note=c.get("median_note", ""), plain_note=p.get("median_note", "")))
        lines.append(row(f"{label}: 95th percentile to interactive", c.get("p95"), p.get("p95"), "s",
                         TARGETS["p95"], course_note=c.get("p95_note", ""), plain_note=p.get("p95_note", "")))
        k = max(c.get("in_chromium", 0), p.get("in_chromium", 0))
        if k:
            def slowest(res: dict) -> tuple[float | None, str]:
                ok = res.get("chromium_ok", [])
                if len(ok) == res.get("in_chromium", 0):
                    return (max(ok) if ok else None), ""
                return None, f"{len(ok)} of {res.get('in_chromium', 0)} interactive"

            (cs, cn), (ps, pn) = slowest(c), slowest(p)
            lines.append(row(f"{label}: the {k} in Chromium, slowest", cs, ps, "s", TARGETS["p95"],
                             course_note=cn, plain_note=pn))
    notes = [n.format(warm=args.loads, cold=args.cold_loads, cold_lessons=", ".join(COLD_LESSONS),
                      clicks=args.clicks, learners=args.learners, gap=args.spread / args.learners,
                      spread=args.spread, class_lesson=CLASS_LESSON, class_file=lesson_file(CLASS_LESSON),
                      in_chromium=args.in_chromium,
                      cap=args.cap) for n in NOTES]
    extra = []
    for name, side in (("course", course), ("plain", plain)):
        if side.memory:
            extra.append(f"Kernel RSS per lesson, {name}: "
                         + ", ".join(f"{k} {v[0]:.0f} MB" for k, v in sorted(side.memory.items())) + ".")
        steps = [("first byte", "response"), ("HTML parsed", "dcl"), ("kernel websocket open", "wsOpen"),
                 ("widget drawn", "shown"), ("interactive", "ready")]
        for kind, what in (("warm", "warm loads, all lessons"),
                           ("private", f"warm loads in a private window, lessons {', '.join(COLD_LESSONS)}"),
                           ("cold", "cold starts, all lessons"),
                           ("cold-private", f"cold starts in a private window, lessons {', '.join(COLD_LESSONS)}")):
            d = [x for key, xs in side.detail.items() if key.split()[0] == kind for x in xs]
            parts = [f"{label} {median([x[k] for x in d if x.get(k)]) / 1000:.2f} s"
                     for label, k in steps if any(x.get(k) for x in d)]
            if parts:
                extra.append(f"{name}, {what}, medians from navigation start: " + ", ".join(parts) + ".")
        if side.load:
            res = side.load
            cpu = ", ".join(f"{k} {v:.0f}" for k, v in res.get("cpu", {}).items())
            extra.append(f"{name} load test: {res.get('wall', 0):.0f} s from the first start to the end; "
                         f"CPU seconds used: {cpu}.")
            if res.get("errors"):
                extra.append(f"{name} load test, failures (first kinds): " + "; ".join(res["errors"]) + ".")
        extra.extend(side.notes)
    return "\n".join(
        lines + ["", f"Machine: {machine_line}.", ""] + [f"- {n}" for n in notes]
        + (["", "<details><summary>Where the time goes</summary>", ""] + [f"- {e}" for e in extra]
           + ["", "</details>"] if extra else [])
    )


def write(text: str) -> None:
    SAVED.parent.mkdir(exist_ok=True)
    SAVED.write_text(text + "\n")
    page = TABLE.read_text() if TABLE.is_file() else ""
    if START not in page or END not in page:
        say(f"{TABLE.relative_to(ROOT)} has no {START} ... {END} block; table saved to {SAVED} only")
        return
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    TABLE.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    say(f"table written to {SAVED.relative_to(ROOT)} and {TABLE.relative_to(ROOT)}")


# ---------------------------------------------------------------------------------------------- main


async def run(args) -> str:
    course, plain = Side(), Side()
    only = set(args.only.split(",")) if args.only else {"warm", "cold", "click", "class"}
    load_start = os.getloadavg()
    logs = Path(tempfile.mkdtemp(prefix="bench-dashboards-"))
    say(f"server logs in {logs}")
    t_all = time.monotonic()

    def lap(what: str) -> None:
        say(f"{what} done at {time.monotonic() - t_all:.0f} s")

    async with chromium() as ch:
        browser, version = ch.browser, ch.browser.version
        if only & {"warm", "click"}:
            with server("course", course_env(), logs / "course.log") as (cbase, cproc), \
                    server("plain", PLAIN_ENV, logs / "plain.log") as (pbase, pproc):
                idle = Idle(cproc.pid, pproc.pid, pool_logs=(logs / "course.log",))
                pooled = len(LESSONS)
                say(f"servers up (course {cbase}, plain {pbase}); settled after {await idle.wait(pooled):.0f} s")
                targets = [Target("course", course, cbase), Target("plain", plain, pbase)]
                if "warm" in only:
                    await warm_loads(ch, targets, idle, pooled, args.loads)
                    lap("warm loads")
                if "click" in only:
                    await clicks(browser, targets, idle, pooled, args.clicks)
                    lap("clicks")
        if "cold" in only:
            with server("course", course_env(LOWBACK_POOL_SIZE="0"), logs / "course-cold.log") as (cbase, cproc), \
                    server("plain", PLAIN_ENV, logs / "plain-cold.log") as (pbase, pproc):
                idle = Idle(cproc.pid, pproc.pid)
                targets = [Target("course", course, cbase), Target("plain", plain, pbase)]
                await cold_loads(ch, targets, idle, args.cold_loads)
                lap("cold starts")
        if "class" in only:
            class_env = course_env(LOWBACK_CLASS_LESSON=lesson_file(CLASS_LESSON),
                                   LOWBACK_CLASS_SIZE=str(args.learners))
            for name, side, env, pooled in (
                ("course", course, class_env, len(LESSONS) - 1 + args.learners),
                ("plain", plain, PLAIN_ENV, 0),
            ):
                with server(name, env, logs / f"{name}-class.log") as (base, proc):
                    idle = Idle(proc.pid)
                    try:
                        say(f"{name} class server settled after {await idle.wait(pooled, timeout=300):.0f} s")
                    except TimeoutError as e:  # e.g. a pool kernel that died: measure what learners get
                        side.notes.append(f"{name}, before the load test: {e}")
                        say(side.notes[-1])
                    side.load = await class_load(base, proc.pid, CLASS_LESSON, args.learners, args.spread,
                                                 args.cap, browser, args.in_chromium)
                    side.load.pop("kernels")
                    say(f"{name} {args.learners} learners:", side.load)
                lap(f"{name} load tests")
    return table(course, plain, args, machine(version, load_start))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=WARM_LOADS, help="warm loads per lesson (default %(default)s)")
    ap.add_argument("--cold-loads", type=int, default=COLD_LOADS, help="cold starts per lesson (default %(default)s)")
    ap.add_argument("--clicks", type=int, default=CLICKS, help="clicks per widget (default %(default)s)")
    ap.add_argument("--learners", type=int, default=LEARNERS, help="learners in the load test (default %(default)s)")
    ap.add_argument("--spread", type=float, default=SPREAD_S, help="seconds over which they start")
    ap.add_argument("--cap", type=float, default=LOAD_CAP_S, help="the load test stops after this many seconds")
    ap.add_argument("--only", default="", help="comma-separated parts: warm, cold, click, class")
    ap.add_argument("--in-chromium", type=int, default=IN_CHROMIUM,
                    help="learners of the load test that use Chromium, the others being their pages' requests "
                         "(default %(default)s)")
    ap.add_argument("--no-write", action="store_true",
                    help="print the table only (docs/benchmarks.md and .benchmarks untouched)")
    args = ap.parse_args(argv)
    if not 1 <= args.learners <= 60 or not 0 < args.cap <= 300:
        ap.error("the load test is bounded: 1 to 60 learners, a cap of at most 300 s")
    try:
        text = asyncio.run(run(args))
    except ServerError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    print(text)
    if not args.no_write and not args.only:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
