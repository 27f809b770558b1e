# Voila configuration for learners. `make dashboards` runs standalone Voila with
# --Voila.config_file_paths=config, so Voila reads this file. (It lives in config/ because a voila.py
# at the top of the repository would hide the voila package from `python -m voila`.) Standalone
# Voila, unlike the /voila/render route of a Jupyter server, never runs code a browser sends:
# learners can only use the widgets.
#
# Environment variables an instructor may set (read once, at start):
#   LOWBACK_POOL_SIZE     preheated kernels kept ready for every lesson (default 1)
#   LOWBACK_CLASS_LESSON  the lesson a class will open together, e.g. 08_case_simulator.ipynb
#   LOWBACK_CLASS_SIZE    preheated kernels for that lesson (default 30), so a room opens it at once
# Each kernel costs about 100 MB; docs/serving.md ("A class opening one lesson together") and docs/benchmarks.md have the measured figures.
import os
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides get_config inside config files)

HERE = Path(__file__).resolve().parent.parent  # the repository
LESSONS = sorted(p.name for p in (HERE / "lessons").glob("[0-9][0-9]_*.ipynb"))


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > 200:
        raise SystemExit(f"voila.py: {name}={raw!r} must be a whole number from 0 to 200")
    return int(raw)


# Served on this machine only; put a reverse proxy with TLS in front to open it to a network.
c.Voila.ip = "127.0.0.1"
c.Voila.open_browser = False

# What learners see: the course template (landing page listing the lessons), no code, no tracebacks.
c.VoilaConfiguration.template = "course"
c.VoilaConfiguration.classic_tree = True
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.theme = "light"
c.VoilaConfiguration.allow_theme_override = "YES"  # ?theme=dark in the address gives the dark theme
c.VoilaExecutor.show_tracebacks = False
c.VoilaExecutor.cell_error_instruction = (
    "This part of the lesson could not be shown. The rest of the page still works; please tell your instructor."
)
c.VoilaExecutor.cell_timeout_instruction = "This part of the lesson took too long. Please reload the page."

# Files: only images, and never a dot file or a dot folder. Everything else Voila would serve from
# the lessons folder (notebooks, Python, YAML, JSON, Markdown, databases) is refused with 403.
c.VoilaConfiguration.file_allowlist = [r"(?!.*(^|/)\.)[^\\]*\.(png|svg|jpg|jpeg|gif|webp)"]
c.VoilaConfiguration.file_denylist = [
    r".*\.(ipynb|py|pyc|yaml|yml|json|md|txt|toml|cfg|ini|db|sqlite|sqlite3|csv|sh)",
    r"(.*/)?\..*",
    r".*\.\..*",
]

# Kernels: an execution time limit per cell while a lesson renders, and idle kernels culled.
c.VoilaExecutor.timeout = 120
c.VoilaExecutor.interrupt_on_timeout = False
# How long a lesson's render waits for the kernel's next message. Voila's default, 4 s, expired while 30
# kernels rendered at once on 2 cores (`make bench`): 3 of 30 learners got a page without its widgets.
# With 60 s all 30 were complete.
c.VoilaExecutor.iopub_timeout = 60
# Kernels talk to the server over unix sockets instead of loopback TCP ports: with many kernels starting
# at once, picking free TCP ports raced ("Address already in use") and a kernel failed to start.
c.KernelManager.transport = "ipc"
c.MappingKernelManager.cull_idle_timeout = 20 * 60  # a kernel no page has used for 20 minutes
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False  # an open page keeps its kernel; a closed one does not

# Preheated kernels: each lesson is already executed in a waiting kernel, so a page is served at once.
# Progressive rendering cannot be combined with preheating, so it stays off.
c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.progressive_rendering = False
_pool = _count("LOWBACK_POOL_SIZE", 1)
_pools = {"default": {"pool_size": _pool}}
_class_lesson = os.environ.get("LOWBACK_CLASS_LESSON", "")
if _class_lesson:
    if _class_lesson not in LESSONS:
        raise SystemExit(f"voila.py: LOWBACK_CLASS_LESSON={_class_lesson!r} is not one of {', '.join(LESSONS)}")
    _pools[_class_lesson] = {"pool_size": _count("LOWBACK_CLASS_SIZE", 30)}
    # Progress off: standalone Voila runs every learner's kernel as the same user, so the whole room would write
    # ONE progress file. The pages say so, and that progress is saved when a learner runs the course themselves.
    # (Kernels inherit this environment; a LOWBACK_PROGRESS set before starting still wins.)
    os.environ.setdefault("LOWBACK_PROGRESS", "off")
c.VoilaKernelManager.kernel_pools_config = _pools
# Seconds before a used kernel is replaced in its pool. Voila hands a replacement that is still waiting
# to the next learner, so outside a class the delay stays short: 2 s. In a class every learner takes a
# kernel within seconds, and replacing them all at once (each replacement runs the whole lesson) competes
# with the room's own pages: 30 learners opening lesson 08 within 10 s on 2 cores got their widgets after
# a median of 3.6 and 15.9 s with 2 s, 0.1 to 0.7 s with 30 s (`make bench`, server side). So with a
# class lesson the replacements wait 30 s, until the room has loaded.
c.VoilaKernelManager.fill_delay = 30 if _class_lesson else 2


def _refuse_odd_template_paths() -> None:
    """Voila 0.5.13's template static handler answers a path it cannot split (such as encoded ../)
    with an AssertionError, so a 500; nothing leaks, but the answer should be a plain 404."""
    import tornado.web
    from voila.static_file_handler import TemplateStaticFileHandler

    original = TemplateStaticFileHandler.get_absolute_path.__func__

    def get_absolute_path(cls, root, path):
        try:
            return original(cls, root, path)
        except (AssertionError, ValueError) as exc:
            raise tornado.web.HTTPError(404) from exc

    TemplateStaticFileHandler.get_absolute_path = classmethod(get_absolute_path)


_refuse_odd_template_paths()


def _cache_hashed_labextension_files() -> None:
    """Let browsers keep the widget front ends' files. Voila serves /voila/labextensions/ with
    "Cache-Control: no-cache", so every page load asks again for each of about 25 files and waits for a
    304 reply, in chains (a file names the next). Files whose name carries a content hash (every .js
    chunk and remoteEntry there) change name when their content changes, so they are marked immutable;
    anything else (package.json, style.js) keeps no-cache."""
    import re

    from jupyter_server.base.handlers import FileFindHandler

    hashed = re.compile(r"/voila/labextensions/.+[.\-][0-9a-f]{8,}\.js$")
    original = FileFindHandler.set_headers

    def set_headers(self) -> None:
        original(self)
        if hashed.search(self.request.path):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")

    FileFindHandler.set_headers = set_headers


_cache_hashed_labextension_files()


def _share_compiled_templates() -> None:
    """Voila makes a new nbconvert exporter, with a new Jinja environment, for every page it renders
    without a preheated kernel, so it compiled the lesson templates again each time: about 0.25 s of the
    server's CPU per page, on the way to the learner's first byte (measured with cProfile). One bytecode
    cache in memory, shared by those environments, keeps the compiled templates. Jinja checks each
    template's source checksum against the cached code, so an edited template is compiled again."""
    import jinja2
    from nbconvert.exporters.templateexporter import TemplateExporter

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code = self.store.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    original = TemplateExporter._create_environment

    def _create_environment(self):
        environment = original(self)
        environment.bytecode_cache = cache
        return environment

    TemplateExporter._create_environment = _create_environment


_share_compiled_templates()


def _landing_progress() -> dict:
    """Each lesson's progress line on the landing page, read from the progress file at each visit."""
    from widgets.publish.landing import progress_by_lesson

    return progress_by_lesson()


# Templates may call lowback_progress(); the landing page does, to show how far the learner has got.
c.Voila.tornado_settings = {"jinja_template_vars": {"lowback_progress": _landing_progress}}
