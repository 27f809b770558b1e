# JupyterHub for the course, on one machine: every resident logs in, gets their own JupyterLab on
# their own copy of the lessons, and opens any lesson as a dashboard inside their own server.
#
#   jupyterhub -f deploy/jupyterhub_config.py
#
# The same file serves a real deployment and the smoke test (tests/server/test_jupyterhub.py); everything
# that differs between them comes from these environment variables, read once when the hub starts:
#
#   LOWBACK_HUB_AUTH      pam (default): residents log in with their account on this machine.
#                         shared-password: any allowed name with one shared password (short workshops
#                         and the smoke test; anyone with the password can log in as anyone).
#   LOWBACK_HUB_PASSWORD  the shared password (8 characters or more) for shared-password.
#   LOWBACK_HUB_USERS     comma-separated user names allowed to log in. Default: with pam, only members
#                         of LOWBACK_HUB_GROUP; with shared-password, any name.
#   LOWBACK_HUB_GROUP     with pam, the system group whose members may log in (default: lowback).
#   LOWBACK_HUB_ADMINS    comma-separated user names who may use the hub's admin page (pam only).
#   LOWBACK_HUB_SPAWNER   local (default): each server runs as the resident's own system account, in
#                         their home folder (the hub must run as root for that). simple: every server
#                         runs as the hub's own account with a home folder under LOWBACK_HUB_HOMES; no
#                         isolation between residents, for the smoke test only.
#   LOWBACK_HUB_HOMES     parent folder of the home folders for the simple spawner.
#   LOWBACK_HUB_IP        address residents connect to (default 127.0.0.1, i.e. behind a reverse proxy
#                         with TLS; 0.0.0.0 only together with LOWBACK_HUB_SSL_CERT and _KEY).
#   LOWBACK_HUB_PORT      port residents connect to (default 8000).
#   LOWBACK_HUB_SSL_CERT, LOWBACK_HUB_SSL_KEY  certificate and key files, to serve HTTPS directly.
#   LOWBACK_HUB_INTERNAL_PORT    the hub's own port, on 127.0.0.1 (default 8081).
#   LOWBACK_HUB_PROXY_API_PORT   the proxy's control port, on 127.0.0.1 (default 8001).
#   LOWBACK_HUB_DATA      folder for the hub's database, cookie secret and proxy pid file
#                         (default /srv/lowback-hub).
#   LOWBACK_HUB_IDLE_MINUTES     a resident's server stops itself after this long with no kernel,
#                         terminal or page activity (default 60); a dashboard's kernel that no open page
#                         uses is stopped after 20 minutes.
#
# deploy/README.md explains the setup step by step, and the Kubernetes route for more residents.
import asyncio
import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides get_config inside config files)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LESSONS = REPO / "lessons"  # copied into every resident's home; the widgets package is installed in this Python
VENV_BIN = Path(sys.executable).parent
COURSE_DIR = "lessons"  # the resident's copy, ~/lessons, is the root of their JupyterLab
AS_ROOT = os.getuid() == 0


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def _names(name: str) -> set[str]:
    return {n.strip() for n in _env(name).split(",") if n.strip()}


def _port(name: str, default: int) -> int:
    raw = _env(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SystemExit(f"jupyterhub_config.py: {name}={raw!r} must be a port number")
    return int(raw)


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = _env(name, default)
    if value not in allowed:
        raise SystemExit(f"jupyterhub_config.py: {name}={value!r} must be one of {', '.join(allowed)}")
    return value


AUTH = _choice("LOWBACK_HUB_AUTH", "pam", ("pam", "shared-password"))
SPAWNER = _choice("LOWBACK_HUB_SPAWNER", "local", ("local", "simple"))

# --- where the hub keeps its state ---------------------------------------------------------------
DATA = Path(_env("LOWBACK_HUB_DATA", "/srv/lowback-hub")).resolve()
DATA.mkdir(mode=0o700, parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")  # created (mode 600) on first start
c.ConfigurableHTTPProxy.pid_file = str(DATA / "jupyterhub-proxy.pid")

# --- network ---------------------------------------------------------------------------------------
# Residents reach the proxy; the hub, the proxy's control API and every single-user server listen on
# 127.0.0.1 only. Without a certificate the hub serves plain HTTP, so by default it listens on this
# machine only and a reverse proxy (nginx, Caddy) adds TLS in front of it.
SSL_CERT, SSL_KEY = _env("LOWBACK_HUB_SSL_CERT"), _env("LOWBACK_HUB_SSL_KEY")
if bool(SSL_CERT) != bool(SSL_KEY):
    raise SystemExit("jupyterhub_config.py: set both LOWBACK_HUB_SSL_CERT and LOWBACK_HUB_SSL_KEY, or neither")
if SSL_CERT:
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = SSL_CERT, SSL_KEY
PUBLIC_IP = _env("LOWBACK_HUB_IP", "127.0.0.1")
c.JupyterHub.bind_url = f"{'https' if SSL_CERT else 'http'}://{PUBLIC_IP}:{_port('LOWBACK_HUB_PORT', 8000)}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_port('LOWBACK_HUB_INTERNAL_PORT', 8081)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_port('LOWBACK_HUB_PROXY_API_PORT', 8001)}"
c.Spawner.ip = "127.0.0.1"

# The proxy is configurable-http-proxy, a Node program: `make hub-proxy` installs it into .venv/hub;
# otherwise (conda-forge, or `npm install -g configurable-http-proxy`) it is found on PATH.
_chp = REPO / ".venv" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
if _chp.exists():
    c.ConfigurableHTTPProxy.command = [str(_chp)]

# Stopping the hub stops the proxy and every resident's server (JupyterHub's defaults, stated here).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- who may log in --------------------------------------------------------------------------------
if AUTH == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.allowed_groups = {_env("LOWBACK_HUB_GROUP", "lowback")}
    c.Authenticator.allowed_users = _names("LOWBACK_HUB_USERS")
    c.Authenticator.admin_users = _names("LOWBACK_HUB_ADMINS")
else:
    # JupyterHub's own shared-password authenticator (it replaces DummyAuthenticator's password,
    # deprecated since JupyterHub 5.3). Anyone with the password can log in as any allowed name.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = _env("LOWBACK_HUB_PASSWORD") or None
    if not c.SharedPasswordAuthenticator.user_password:
        raise SystemExit("jupyterhub_config.py: LOWBACK_HUB_AUTH=shared-password needs LOWBACK_HUB_PASSWORD")
    users = _names("LOWBACK_HUB_USERS")
    if users:
        c.Authenticator.allowed_users = users
    else:
        c.Authenticator.allow_all = True

# --- each resident's server --------------------------------------------------------------------------
if SPAWNER == "local":
    # Each server runs as the resident's system account, in their home folder. The hub runs as root.
    c.JupyterHub.spawner_class = "localprocess"
else:
    # Test only: every server runs as the hub's account, HOME is LOWBACK_HUB_HOMES/<name>.
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(
        Path(_env("LOWBACK_HUB_HOMES", str(DATA / "homes"))).resolve() / "{username}"
    )

# The single-user server comes from the same Python as the hub, so it sees the course's packages
# (the widgets package, ipywidgets, Voila). Its PATH starts with that Python's folder, so `jupyter`,
# `python` and `pip` in a resident's terminal are the course's.
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.environment = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}
c.Spawner.env_keep = [  # LocalProcessSpawner's list, plus the course's content folder if set
    "CONDA_DEFAULT_ENV", "CONDA_ROOT", "JUPYTERHUB_SINGLEUSER_APP", "LANG", "LC_ALL", "LD_LIBRARY_PATH",
    "PATH", "PYTHONPATH", "VIRTUAL_ENV", "LOWBACK_ASSETS",
]
c.Spawner.notebook_dir = f"~/{COURSE_DIR}"
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120  # a server on a busy machine may take a while to answer its first request
c.Spawner.start_timeout = 120

_idle = _env("LOWBACK_HUB_IDLE_MINUTES", "60")
if not _idle.isdigit():
    raise SystemExit(f"jupyterhub_config.py: LOWBACK_HUB_IDLE_MINUTES={_idle!r} must be a whole number")
c.Spawner.args = [
    # Dashboards: the Voila server extension (enabled by voila's jupyter_server_config.d/voila.json)
    # serves /user/<name>/voila/render/<lesson>.ipynb and /user/<name>/voila/tree. This route runs
    # kernels that the browser can send code to, like any notebook: that is fine here, because it is the
    # resident's own server, behind their login, where they already have JupyterLab and a kernel.
    # Learners see the lessons without code and without tracebacks, as with standalone Voila (config/voila.py).
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaConfiguration.show_tracebacks=False",
    # Memory: a kernel no open page uses is stopped after 20 minutes; the whole server after
    # LOWBACK_HUB_IDLE_MINUTES without activity (0 keeps it running). The hub notices and a resident's
    # next visit starts it again.
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
    f"--ServerApp.shutdown_no_activity_timeout={int(_idle) * 60}",
]
# The course's landing page at /user/<name>/voila/tree (every lesson in teaching order, one line
# each), once `lowback landing` has written the "course" template into this Python's prefix.
if (Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "course").is_dir():
    c.Spawner.args += ["--VoilaConfiguration.template=course", "--VoilaConfiguration.classic_tree=True"]
# Jupyter refuses to run as root unless told to; only the simple spawner, started by root, runs
# servers as root (the local spawner switches to the resident's account first).
if SPAWNER == "simple" and AS_ROOT:
    c.Spawner.args.append("--allow-root")

# Per-user resources. LocalProcessSpawner does NOT enforce these: it only passes them to the server
# as MEM_LIMIT / CPU_LIMIT for display. They take effect with spawners that can enforce them
# (KubeSpawner on Kubernetes, DockerSpawner, SystemdSpawner). Measured by tests/server/test_jupyterhub.py:
# a resident's server with JupyterLab and one dashboard open uses about 250 MB RSS (server ~165 MB,
# the lesson's kernel 80-90 MB; about 200 MB counting shared pages once), and each further open
# lesson adds a kernel of about 100 MB. 512 MB guaranteed covers three lessons open at once.
c.Spawner.mem_guarantee = "512M"
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_guarantee = 0.1
c.Spawner.cpu_limit = 1.0


# --- the course in every home ------------------------------------------------------------------------
# copy_lessons.py copies every lesson file the resident's ~/lessons lacks and never overwrites one they
# have, so their edits survive. It runs as the resident (not as root), so it can only write where
# they could, whatever ~/lessons points to.


async def copy_course(spawner) -> None:
    """Give the resident their own ~/lessons: copy every lesson file they do not have yet."""
    if SPAWNER == "simple":
        home, ids = Path(spawner.home_dir), {}
        home.mkdir(mode=0o755, parents=True, exist_ok=True)
    else:
        entry = pwd.getpwnam(spawner.user.name)  # the resident's system account
        home = Path(entry.pw_dir)
        ids = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []} if AS_ROOT else {}
        if not home.is_dir():
            raise RuntimeError(f"{spawner.user.name} has no home folder {home}; create the account with one first")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-I", str(HERE / "copy_lessons.py"), str(LESSONS), str(home / COURSE_DIR),
        cwd=home, env={"HOME": str(home)}, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, **ids,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    if proc.returncode:
        raise RuntimeError(f"copying the lessons into {home / COURSE_DIR} failed: {out.decode(errors='replace')}")
    for line in out.decode().splitlines():
        spawner.log.info("%s: copied %s into ~/%s", spawner.user.name, line, COURSE_DIR)


c.Spawner.pre_spawn_hook = copy_course
