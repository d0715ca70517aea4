"""The benchmark keeps working (a quick smoke run, no timing assertions) and serve.py really sets TCP_NODELAY."""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import errno
import http.client
import inspect
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import serve
from bench import run as bench_run
from bench import servers
from ks_data import routes
from ks_data import schema as s
from ks_data.views import presentation
from tests.apptest_util import assert_clean, open_page
from tests.helpers import real_table

REPO_ROOT = Path(__file__).resolve().parents[1]
SYS_PIDFD_GETFD = 438  # the same number on every Linux architecture


def _accepted_nodelay(listener: socket.socket) -> int:
    """Serve ``listener`` the way uvicorn does (loop.create_server(sock=...)); return TCP_NODELAY of an accepted socket."""

    async def main() -> int:
        accepted = asyncio.get_running_loop().create_future()

        async def handle(reader, writer) -> None:
            accepted.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        host, port = listener.getsockname()[:2]
        server = await asyncio.start_server(handle, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection(host, port)
            value = await asyncio.wait_for(accepted, 10)
            writer.close()
        return value

    # A fresh thread: Playwright's sync API may leave an event loop running in this worker's main thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result(timeout=30)


def test_launcher_makes_accepted_connections_tcp_nodelay(monkeypatch):
    from streamlit.web.server.starlette import starlette_server

    # Another test in this worker may already have installed the launcher's wrapper: start from the original.
    original = inspect.unwrap(starlette_server._bind_socket)
    monkeypatch.setattr(starlette_server, "_bind_socket", original)  # restored after the test
    assert _accepted_nodelay(original("127.0.0.1", 0, 8)) == 0, (
        "Streamlit now sets TCP_NODELAY itself: serve.py's listener patch is no longer needed")
    assert serve.install()
    assert serve.install(), "installing twice is harmless"
    listener = starlette_server._bind_socket("127.0.0.1", 0, 8)
    assert listener.proto == socket.IPPROTO_TCP and not listener.getblocking()
    assert _accepted_nodelay(listener) != 0


def test_launcher_turns_off_the_gc_after_each_run_unless_told_otherwise():
    assert serve.streamlit_argv([]) == ["streamlit", "run", str(serve.APP), "--runner.postScriptGC=false"]
    assert serve.streamlit_argv(["other.py", "--server.port=1"]) == [
        "streamlit", "run", "other.py", "--server.port=1", "--runner.postScriptGC=false"]
    assert serve.streamlit_argv(["--runner.postScriptGC=true"]) == [
        "streamlit", "run", str(serve.APP), "--runner.postScriptGC=true"]


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


def test_preloading_byte_compiles_the_apps_own_packages_even_where_the_environment_says_not_to(tmp_path, monkeypatch):
    # PYTHONDONTWRITEBYTECODE (set on this machine) would have every start compile the app's ~10 000 lines again.
    app, elsewhere = tmp_path / "app", tmp_path / "site"
    (app / "ks_pkg_a" / "sub").mkdir(parents=True)
    (app / "ks_pkg_a" / "__init__.py").write_text("X = 1\n", encoding="utf-8")
    (app / "ks_pkg_a" / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (app / "ks_pkg_a" / "sub" / "broken.py").write_text("def (\n", encoding="utf-8")
    (app / "ks_mod_b.py").write_text("Y = 2\n", encoding="utf-8")
    elsewhere.mkdir()
    (elsewhere / "ks_mod_c.py").write_text("Z = 3\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(elsewhere))
    monkeypatch.syspath_prepend(str(app))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    try:
        serve.preload_imports(["ks_pkg_a.sub", "ks_mod_b", "ks_mod_c", "ks_no_such_mod"], app).join(30)
        assert sys.modules["ks_pkg_a"].X == 1 and sys.modules["ks_mod_b"].Y == 2
        assert list((app / "ks_pkg_a" / "__pycache__").glob("__init__.*.pyc"))
        assert list((app / "ks_pkg_a" / "sub" / "__pycache__").glob("__init__.*.pyc"))
        assert list((app / "__pycache__").glob("ks_mod_b.*.pyc"))
        assert not list((app / "ks_pkg_a" / "sub" / "__pycache__").glob("broken.*.pyc"))  # left for its import to report
        assert not (elsewhere / "__pycache__").exists()  # not the app's: an installed package is pip's to compile
    finally:
        for name in ("ks_pkg_a", "ks_pkg_a.sub", "ks_mod_b", "ks_mod_c"):
            sys.modules.pop(name, None)


def test_preloading_leaves_streamlits_first_stack_look_cheap_for_the_first_visitor(tmp_path, monkeypatch):
    # Streamlit's first element of a process calls inspect.stack() (env_util.is_repl); inspect resolves every loaded
    # module's path on its first look, unless the preload has filled its cache with the modules it imported.
    (tmp_path / "ks_stack_mod.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    # As in a server just started: inspect has looked at no module yet (other tests in this process have).
    monkeypatch.setattr(inspect, "modulesbyfile", {})
    monkeypatch.setattr(inspect, "_filesbymodname", {})
    try:
        serve.preload_imports(["ks_stack_mod"]).join(30)
        assert inspect.modulesbyfile.get(str((tmp_path / "ks_stack_mod.py").resolve())) == "ks_stack_mod"
    finally:
        sys.modules.pop("ks_stack_mod", None)


def test_byte_compiling_skips_what_is_up_to_date_and_a_folder_it_cannot_write(tmp_path, monkeypatch):
    (tmp_path / "ks_pkg_d").mkdir()
    source = tmp_path / "ks_pkg_d" / "__init__.py"
    source.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert serve.compile_local_modules(["ks_pkg_d"], tmp_path) == [tmp_path / "ks_pkg_d"]
    (compiled,) = (tmp_path / "ks_pkg_d" / "__pycache__").glob("*.pyc")
    first = compiled.stat().st_mtime_ns
    serve.compile_local_modules(["ks_pkg_d"], tmp_path)
    assert compiled.stat().st_mtime_ns == first  # not written again on the next start
    # Where nothing can be written (a file in the folder's place; chmod would not stop root, who runs CI), the server
    # starts all the same.
    source.write_text("X = 2\n", encoding="utf-8")
    os.utime(source, ns=(first + 2 * 10**9, first + 2 * 10**9))
    shutil.rmtree(tmp_path / "ks_pkg_d" / "__pycache__")
    (tmp_path / "ks_pkg_d" / "__pycache__").write_text("not a folder", encoding="utf-8")
    serve.compile_local_modules(["ks_pkg_d"], tmp_path)
    assert (tmp_path / "ks_pkg_d" / "__pycache__").read_text(encoding="utf-8") == "not a folder"


def test_launcher_calls_on_listen_once_when_the_server_listens(monkeypatch):
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(starlette_server, "_bind_socket", inspect.unwrap(starlette_server._bind_socket))
    calls = []
    assert serve.install(on_listen=lambda: calls.append(1))
    for _ in range(2):
        starlette_server._bind_socket("127.0.0.1", 0, 8).close()
    assert calls == [1]


def test_nodelay_listener_leaves_other_sockets_alone():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        assert serve.nodelay_listener(udp) is udp
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as tcp:
        assert serve.nodelay_listener(tcp) is tcp


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
    screens = [step["screen"] for step in result["audience"]["ours/serve"]]
    assert screens == [screen.slug for screen in presentation.get_screens(real_table(s.GOALS))]
    for config in ("ours/serve", "bare/serve"):
        for step in result["audience"][config]:
            assert (step["ok"], step["failed"], step["exceptions"]) == (5, 0, 0), step
    assert set(result["data"]["tables"]) >= {"goals", "indicators"}
    assert "read_once" in result["data"]["opens"]
    assert {row["target"] for row in result["targets"]} >= {"interaction", "page_load", "server_rerun", "load_p95",
                                                            "cold_start"}
    assert (tmp_path / "latest.md").read_text().startswith("# Benchmark")
    assert "## 5b. The audience: 5 sessions open one presentation screen at once" in (tmp_path / "latest.md").read_text()


@pytest.mark.parametrize("slug", [presentation.BUDGET, presentation.DEVIATIONS, f"{presentation.AREA_PREFIX}1"])
def test_the_audience_benchmark_opens_the_link_a_screens_qr_code_holds(slug):
    links = {screen: (path, query) for screen, path, query in bench_run.get_screen_links(servers.ours())}
    path, query = links[slug]
    page = {route.path: route.script for route in routes.ROUTES}[path]
    at = open_page(page, {routes.PRESENTATION: "1", routes.SCREEN: slug, routes.QR: "1"})
    assert_clean(at)
    shown = urlsplit(at.get("text")[-1].value)  # the link printed under the QR code, which the code holds
    assert (shown.path.strip("/"), shown.query) == (path, query)
