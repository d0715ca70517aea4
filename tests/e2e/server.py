"""Start and stop a Streamlit server on loopback (used by the e2e fixtures and scripts/screenshots.py)."""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0

_live: list[AppServer] = []  # started and not yet stopped; stopped at interpreter exit


def free_port(host: str = "127.0.0.1") -> int:
    """Return an ephemeral TCP port that is free right now on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class AppServer:
    """One `streamlit run` child process in its own session, stopped by its PID."""

    def __init__(self, proc: subprocess.Popen, port: int, log_path: Path) -> None:
        """Wrap an already started process."""
        self.proc = proc
        self.port = port
        self.log_path = log_path

    @property
    def pid(self) -> int:
        """PID of the Streamlit process."""
        return self.proc.pid

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. http://127.0.0.1:8501."""
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, path: str = "/") -> str:
        """Absolute URL for a path such as "/mal?x=1"."""
        return self.url + (path if path.startswith("/") else "/" + path)

    def log_text(self) -> str:
        """Everything the server wrote to stdout/stderr so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, keep_log: bool = False) -> int | None:
        """SIGTERM by PID, wait up to 10 s, then SIGKILL; delete the log unless keep_log; return the exit code."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=STOP_TIMEOUT_S)
        if self in _live:
            _live.remove(self)
        if not keep_log:
            self.log_path.unlink(missing_ok=True)
        return self.proc.returncode

    def __enter__(self) -> AppServer:
        """Context manager entry: the server is already running."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the server."""
        self.stop()


def server_command(app_file: str, port: int, extra_args: tuple[str, ...] = (), launcher: bool = False) -> list[str]:
    """The `streamlit run` command line for app_file on 127.0.0.1:port; with `launcher`, `python serve.py` instead
    (the repository's launcher, as `make run` and the deploy recipe start the app)."""
    start = [str(REPO_ROOT / "serve.py")] if launcher else ["-m", "streamlit", "run"]
    return [
        sys.executable,
        *start,
        app_file,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        *extra_args,
    ]


def _wait_healthy(proc: subprocess.Popen, port: int, timeout: float, base_path: str = "") -> str | None:
    """Poll /_stcore/health (under ``base_path``, if any) until it says "ok"; return None, or why it failed."""
    health = f"http://127.0.0.1:{port}{'/' + base_path if base_path else ''}/_stcore/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return f"streamlit exited with rc={proc.returncode} before becoming healthy"
        try:
            with urllib.request.urlopen(health, timeout=2) as r:
                if r.status == 200 and r.read().decode().strip() == "ok":
                    return None
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    return f"/_stcore/health did not answer 'ok' within {timeout:.0f} s"


def start_server(
    app_dir: str | Path = REPO_ROOT,
    app_file: str = "app.py",
    extra_args: tuple[str, ...] = (),
    timeout: float = STARTUP_TIMEOUT_S,
    launcher: bool = False,
) -> AppServer:
    """Start `streamlit run app_file` (with `launcher`: `python serve.py app_file`) in app_dir on a free loopback port
    and wait until healthy."""
    app_dir = Path(app_dir).resolve()
    if not (app_dir / app_file).is_file():
        raise FileNotFoundError(f"no Streamlit app at {app_dir / app_file}")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    base_path = next((arg.split("=", 1)[1].strip("/") for arg in extra_args if arg.startswith("--server.baseUrlPath=")),
                     "")
    for _attempt in range(3):  # retry only if another process grabbed the port first
        port = free_port()
        fd, log_name = tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")
        with os.fdopen(fd, "wb") as log:
            proc = subprocess.Popen(
                server_command(app_file, port, extra_args, launcher),
                cwd=app_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = AppServer(proc, port, Path(log_name))
        _live.append(server)
        error = _wait_healthy(proc, port, timeout, base_path)
        if error is None:
            return server
        log_text = server.log_text()
        server.stop()
        if "already in use" not in log_text:
            break
    raise RuntimeError(f"{error}\n--- server output ({server.log_path}) ---\n{log_text}")


@atexit.register
def _stop_leftovers() -> None:
    """Stop servers that were never stopped explicitly (e.g. after an interrupted run)."""
    for server in list(_live):
        server.stop()
