"""Start and stop the apps under test on 127.0.0.1, with or without the project's launcher (serve.py).

Both apps get the same ``streamlit run`` flags; ``variant`` picks the launcher:
``serve`` = ``python serve.py SCRIPT`` (the project's launcher: TCP_NODELAY and no full GC after each run),
``nodelay`` = serve.py with ``--runner.postScriptGC=true`` (TCP_NODELAY only),
``stock`` = ``python -m streamlit run SCRIPT``.
serve.py is this checkout's unless a server is given another (``launcher``: bench.ab's ``--launcher own`` starts a
revision with the serve.py of that revision).
A server runs in its own session and is stopped by its own PID (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
VARIANTS = ("serve", "nodelay", "stock")
# The same flags for every app and variant; the apps' own .streamlit/config.toml applies on top (ours: theme, menu).
FLAGS = (
    "--server.headless=true",
    "--server.address=127.0.0.1",
    "--browser.gatherUsageStats=false",
    "--server.fileWatcherType=none",
    "--server.runOnSave=false",
    "--runner.magicEnabled=false",  # ours sets it in .streamlit/config.toml; the bare app gets it too (equal terms)
)


@dataclass(frozen=True)
class App:
    """An app under test: its folder, entry script and pages as (key, script, URL path)."""

    name: str
    root: Path
    script: str
    pages: tuple[tuple[str, str, str], ...]

    @property
    def script_path(self) -> Path:
        """Absolute path of the entry script."""
        return self.root / self.script


def ours() -> App:
    """KS-utforskaren, its pages read from ui.PAGES."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    import ui

    return App("ours", REPO_ROOT, "app.py", tuple((key, script, path) for key, script, path, _ in ui.PAGES))


def bare() -> App:
    """The bare three-page Streamlit app in bench/hello."""
    return App("bare", BENCH_DIR / "hello", "app.py",
               (("slider", "app.py", ""), ("chart", "pages/1_chart.py", "chart"), ("table", "pages/2_table.py", "table")))


def free_port() -> int:
    """An ephemeral loopback port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(app: App, variant: str, port: int, extra: tuple[str, ...] = (), launcher: Path | None = None) -> list[str]:
    """The command line that starts ``app`` with ``variant`` on ``port`` (serve.py: ``launcher``, else this
    checkout's)."""
    if variant not in VARIANTS:
        raise ValueError(variant)
    serve_py = Path(launcher) if launcher else REPO_ROOT / "serve.py"
    start = ["-m", "streamlit", "run"] if variant == "stock" else [str(serve_py)]
    gc_on = ("--runner.postScriptGC=true",) if variant == "nodelay" else ()
    return [sys.executable, *start, str(app.script_path), *FLAGS, f"--server.port={port}", *gc_on, *extra]


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MiB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process (all threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class Server:
    """One app server process: ``start()`` returns seconds from Popen until /_stcore/health says ok."""

    def __init__(self, app: App, variant: str, extra: tuple[str, ...] = (), env: dict | None = None,
                 launcher: Path | None = None) -> None:
        self.app, self.variant, self.extra = app, variant, extra
        self.env = env
        self.launcher = launcher
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.t_popen: float | None = None
        self.startup_s: float | None = None
        self.log_path: Path | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """PID of the server process."""
        return self.proc.pid

    def popen(self) -> float:
        """Start the process (without waiting); return the perf_counter time of Popen."""
        self.port = free_port()
        fd, name = tempfile.mkstemp(prefix=f"bench-{self.app.name}-{self.variant}-", suffix=".log")
        self.log_path = Path(name)
        env = dict(os.environ if self.env is None else self.env, PYTHONUNBUFFERED="1")
        with os.fdopen(fd, "wb") as log:
            self.t_popen = time.perf_counter()
            cmd = command(self.app, self.variant, self.port, self.extra, self.launcher)
            self.proc = subprocess.Popen(cmd, cwd=self.app.root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        return self.t_popen

    def wait_healthy(self, timeout: float = 60, interval: float = 0.02) -> float:
        """Poll /_stcore/health; return seconds since Popen when it first says ok."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.app.name}/{self.variant} exited rc={self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200 and r.read().strip() == b"ok":
                        self.startup_s = time.perf_counter() - self.t_popen
                        return self.startup_s
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(interval)
        self.stop()
        raise TimeoutError(f"{self.app.name}/{self.variant} not healthy after {timeout} s")

    def start(self) -> Server:
        """Start and wait until healthy."""
        self.popen()
        self.wait_healthy()
        return self

    def metrics(self) -> dict:
        """Streamlit's /_stcore/metrics (Prometheus text) as {metric{labels}: value}."""
        out = {}
        try:
            req = urllib.request.Request(self.url + "/_stcore/metrics", headers={"Accept": "text/plain"})
            with urllib.request.urlopen(req, timeout=5) as r:
                text = r.read().decode()
        except (urllib.error.URLError, OSError) as exc:
            return {"error": str(exc)}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    out[name] = float(value)
                except ValueError:
                    continue
        return out

    def log(self) -> str:
        """What the server printed so far."""
        try:
            return self.log_path.read_text(errors="replace") if self.log_path else ""
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM our own child by PID, SIGKILL after 10 s; remove the log."""
        stop_process(self.proc)
        if self.log_path:
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> Server:
        # `with Server(...).start() as s` must not start a second process (the first would be left running).
        return self if self.proc is not None and self.proc.poll() is None else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_process(proc: subprocess.Popen | None, first: signal.Signals = signal.SIGTERM) -> None:
    """Stop a child we started, by its PID: ``first`` (SIGTERM, or nginx's graceful SIGQUIT), SIGKILL after 10 s."""
    if proc and proc.poll() is None:
        os.kill(proc.pid, first)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def to_json(obj) -> str:
    """JSON text of a result (paths as strings)."""
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str)
