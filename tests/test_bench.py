"""The benchmark keeps working (a quick smoke run, no timing assertions) and serve.py really sets TCP_NODELAY: st.App
under uvicorn, which binds its own IPPROTO_TCP listener, where plain `streamlit run` leaves Nagle on."""

from __future__ import annotations

import ctypes
import errno
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import serve
from bench import servers

REPO_ROOT = Path(__file__).resolve().parents[1]
SYS_PIDFD_GETFD = 438  # the same number on every Linux architecture


def test_launcher_turns_off_the_gc_after_each_run_unless_told_otherwise():
    assert serve.get_run_args([]) == [str(serve.APP), "--runner.postScriptGC=false"]
    assert serve.get_run_args(["other.py", "--server.port=1"]) == [
        "other.py", "--server.port=1", "--runner.postScriptGC=false"]
    assert serve.get_run_args(["--runner.postScriptGC=true"]) == [str(serve.APP), "--runner.postScriptGC=true"]


def test_launcher_reads_options_as_streamlit_run_does(monkeypatch, tmp_path):
    # Typed as `streamlit run` types them ("false" is no truthy string), STREAMLIT_* variables included (the
    # systemd unit sets the allowed hosts and the server address that way).
    monkeypatch.setenv("STREAMLIT_SERVER_ALLOWED_HOSTS", "intra.kommun.local other.local")
    script, options = serve.parse_run_args([str(tmp_path / "x.py"), "--server.port=8555",
                                            "--runner.postScriptGC=false", "--server.baseUrlPath=ks"])
    assert script == tmp_path / "x.py"
    assert options["server_port"] == 8555 and options["runner_postScriptGC"] is False
    assert options["server_baseUrlPath"] == "ks"
    assert tuple(options["server_allowedHosts"]) == ("intra.kommun.local", "other.local")
    with pytest.raises(SystemExit):
        serve.parse_run_args(["x.py", "--server.no_such_option=1"])


def test_uvicorn_gets_the_settings_streamlit_run_gives_it():
    # Streamlit's own (private) choice, read here only to see that the launcher's copy has not drifted after an
    # upgrade: websocket implementation, message size, ping, no per-message compression, TLS, no access log.
    from streamlit.web.server.starlette import starlette_server

    assert serve.uvicorn_options() == starlette_server._get_uvicorn_config_kwargs()


def test_launcher_preloads_the_scripts_own_top_level_imports(tmp_path):
    script = tmp_path / "app.py"
    script.write_text("import json\nfrom email import message, charset\nimport os.path as p\nfrom . import x\n\n"
                      "def f():\n    import csv\n", encoding="utf-8")
    assert serve.get_script_imports(script) == ["json", "email", "email.message", "email.charset", "os.path"]
    assert serve.get_script_imports(tmp_path / "missing.py") == []
    (tmp_path / "broken.py").write_text("def (", encoding="utf-8")
    assert serve.get_script_imports(tmp_path / "broken.py") == []
    assert serve.get_script_imports(serve.APP)[:2] == ["streamlit", "ui"]


def test_preloading_imports_modules_calls_their_warm_up_and_leaves_failures_to_the_script(tmp_path, monkeypatch):
    (tmp_path / "ks_warm_mod.py").write_text("calls = []\n\ndef warm_up():\n    calls.append(1)\n", encoding="utf-8")
    (tmp_path / "ks_broken_mod.py").write_text("raise RuntimeError('broken')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        serve.preload_imports(["ks_broken_mod", "ks_no_such_mod", "ks_warm_mod"]).join(30)
        assert sys.modules["ks_warm_mod"].calls == [1]
        assert "ks_broken_mod" not in sys.modules
    finally:
        sys.modules.pop("ks_warm_mod", None)


def test_the_served_app_warms_up_as_the_server_starts_before_any_visitor(tmp_path):
    # st.App's lifespan starts the preload: the script's module (beside it, as `streamlit run` finds it) is imported
    # and its warm_up() called while no browser or session has asked for anything but the health check.
    (tmp_path / "ks_marker_mod.py").write_text(
        "import os, pathlib\n\ndef warm_up():\n"
        "    pathlib.Path(os.environ['KS_MARKER']).write_text(str(os.getpid()))\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("import streamlit as st\nimport ks_marker_mod\n\nst.write('hej')\n",
                                     encoding="utf-8")
    marker = tmp_path / "warm.txt"
    app = servers.App("marker", tmp_path, "app.py", (("home", "app.py", ""),))
    with servers.Server(app, "serve", env=dict(os.environ, KS_MARKER=str(marker))) as server:
        for _ in range(300):
            if marker.exists():
                break
            time.sleep(0.05)
        assert marker.read_text() == str(server.pid)
        assert "URL: http://127.0.0.1:" in server.log()


def _server_side_nodelay(pid: int, client: socket.socket) -> int:
    """TCP_NODELAY of the server process's end of ``client``'s connection, read through pidfd_getfd."""
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError) as exc:
        pytest.skip(f"pidfd_open is not available: {exc}")
    try:
        for name in os.listdir(f"/proc/{pid}/fd"):
            fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(name), 0)
            if fd < 0:
                err = ctypes.get_errno()
                if err in (errno.EPERM, errno.ENOSYS, errno.EACCES):
                    pytest.skip(f"pidfd_getfd is not permitted here: {os.strerror(err)}")
                continue
            try:
                sock = socket.socket(fileno=fd)
            except OSError:  # not a socket
                os.close(fd)
                continue
            try:
                if sock.type == socket.SOCK_STREAM and sock.getpeername() == client.getsockname():
                    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            except OSError:
                pass
            finally:
                sock.close()
    finally:
        os.close(pidfd)
    raise AssertionError("the server's end of the connection was not found")


@pytest.mark.parametrize(("variant", "expected"), [("serve", True), ("nodelay", True), ("stock", False)])
def test_served_connections_have_tcp_nodelay_only_with_the_launcher(variant, expected):
    with servers.Server(servers.bare(), variant) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/_stcore/health")
        assert conn.getresponse().read() == b"ok"
        assert bool(_server_side_nodelay(server.pid, conn.sock)) is expected
        conn.close()


@pytest.mark.browser
def test_quick_benchmark_writes_every_section_without_errors(tmp_path):
    cmd = [sys.executable, "-m", "bench.run", "--quick", "--pages", "goals", "--bare-pages", "slider",
           "--variants", "serve", "--out", str(tmp_path)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    results = sorted(tmp_path.glob("*-quick.json"))
    assert results, proc.stderr[-3000:]
    result = json.loads(results[0].read_text())
    assert result["errors"] == [], result["errors"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert set(result["apptest"]["ours"]["pages"]) == {"goals"}
    assert "goals.marginal" in result["apptest"]["ours"]["pages"]["goals"]["widgets"]
    assert set(result["apptest"]["bare"]["pages"]) == {"slider"}
    goals = result["browser"]["pages"]["ours/serve"]["goals"]
    assert {"fresh", "warm", "slider", "selectbox"} <= set(goals)
    assert "slider" in result["browser"]["pages"]["bare/serve"]["slider"]
    assert set(result["cold"]) == {"ours/serve", "bare/serve"}
    assert set(result["latency"]["ours/serve"]["change"]) == {"mal"}
    for config in ("ours/serve", "bare/serve"):
        step = result["load"][config]["steps"][0]
        assert (step["sessions"], step["ok"], step["failed"]) == (10, 10, 0)
    assert set(result["data"]["tables"]) >= {"goals", "indicators"}
    assert "read_once" in result["data"]["opens"]
    assert {row["target"] for row in result["targets"]} >= {"interaction", "page_load", "server_rerun", "load_p95",
                                                            "cold_start"}
    assert (tmp_path / "latest.md").read_text().startswith("# Benchmark")
