"""The server configuration (.streamlit/config.toml): safe settings for an internal server with no internet."""

from __future__ import annotations

import ast
import json
import os
import shlex
import socket
import subprocess
import sys
import time
import tomllib

import pytest

from tests.helpers import REPO_ROOT
from tests.netns_probe import stop

CONFIG_PATH = REPO_ROOT / ".streamlit" / "config.toml"


def _config() -> dict:
    with CONFIG_PATH.open("rb") as f:
        return tomllib.load(f)


def test_security_settings_for_an_internal_server():
    config = _config()
    server, browser, client = config["server"], config["browser"], config["client"]
    assert server["headless"] is True
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True and "corsAllowedOrigins" not in server
    assert server["maxUploadSize"] <= 1  # the app has no file upload
    assert server["enableStaticServing"] is False
    assert server["enableAgentApi"] is False
    assert server["fileWatcherType"] == "none"
    assert server["address"] == "127.0.0.1"  # not every interface; sharing is `make run ADDRESS=0.0.0.0`
    assert "sslCertFile" not in server and "cookieSecret" not in server  # TLS at the proxy; secrets not in git
    assert browser["gatherUsageStats"] is False  # no telemetry request to data.streamlit.io
    assert client["showErrorDetails"] == "none"  # users see our message, not internals
    assert client["showErrorLinks"] is False  # no links out of the network under an error
    assert client["toolbarMode"] == "viewer"
    assert client["showSidebarNavigation"] is False


def _shown_by_magic(path) -> list[str]:
    """The statements Streamlit's magic would have written to the page: a bare expression that is no call and no
    docstring."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        body = getattr(node, "body", None)
        for i, stmt in enumerate(body if isinstance(body, list) else []):
            docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            if isinstance(stmt, ast.Expr) and not isinstance(stmt.value, ast.Call | ast.Await | ast.Yield) \
                    and not docstring:
                found.append(f"{path.name}:{stmt.lineno}: {ast.unparse(stmt)[:60]}")
    return found


def test_magic_is_off_and_no_page_relies_on_it():
    # Off, because magic rewrites every script before it is compiled (CPU per new session); no page may then
    # leave a bare value for magic to show, or it would silently vanish from the page.
    assert _config()["runner"]["magicEnabled"] is False
    scripts = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "pages").glob("*.py"))]
    assert len(scripts) > 5
    assert [line for script in scripts for line in _shown_by_magic(script)] == []


@pytest.mark.parametrize("source, shown", [
    ('"""Docstring."""\nimport streamlit as st\nst.title("x")\n', []),
    ('x = 1\nx\n', ["p.py:2: x"]),
    ('def f():\n    "doc"\n    "not a docstring"\n', ["p.py:3: 'not a docstring'"]),
])
def test_shown_by_magic_finds_bare_values(tmp_path, source, shown):
    script = tmp_path / "p.py"
    script.write_text(source, encoding="utf-8")
    assert _shown_by_magic(script) == shown


def test_allowed_hosts_and_base_path_are_documented_not_fixed():
    """Per-server settings stay out of the file (they differ per server) but the file says how to set them."""
    text = CONFIG_PATH.read_text(encoding="utf-8")
    server = _config()["server"]
    assert "allowedHosts" not in server and "baseUrlPath" not in server
    assert "# allowedHosts = [" in text and "STREAMLIT_SERVER_ALLOWED_HOSTS" in text
    assert "# baseUrlPath = " in text


def test_streamlit_reads_every_option_as_written():
    """Every option in the file is one Streamlit 1.67 knows, with the value the file gives it."""
    code = (
        "import json, sys, tomllib\n"
        "from streamlit import config\n"
        "config.get_config_options(force_reparse=True)\n"
        "data = tomllib.load(open(sys.argv[1], 'rb'))\n"
        "out = {}\n"
        "for section, values in data.items():\n"
        "    for key, value in values.items():\n"
        "        name = f'{section}.{key}'\n"
        "        opt = config._config_options.get(name)\n"
        "        out[name] = None if opt is None else [opt.value == value, opt.where_defined]\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(CONFIG_PATH)], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    unknown = [name for name, info in options.items() if info is None]
    assert unknown == []
    assert all(same and where.endswith("config.toml") for same, where in options.values()), options


# ---------------------------------------------------------------------------------------------------------------
# Where `make run` listens. Each server runs in a network namespace of its own (loopback only), so even the shared
# one is reachable from nowhere while the test runs; /proc/PID/net/tcp shows its sockets there.

LISTEN = "0A"


def _make_run_command(*assignments: str) -> list[str]:
    """The command `make run` runs (`make -n`; the virtual environment taken as installed)."""
    result = subprocess.run(["make", "-s", "-n", "-o", ".venv/.installed", "run", *assignments], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    [line] = [line for line in result.stdout.splitlines() if "serve.py" in line]
    return shlex.split(line)


def _listening(pid: int, port: int) -> set[str]:
    """The local addresses on which process ``pid``'s network namespace listens on TCP ``port``."""
    found = set()
    for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        try:
            lines = open(f"/proc/{pid}/net/{name}").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == LISTEN and int(local_port, 16) == port:
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host byte order (little-endian here).
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(socket.inet_ntop(family, raw))
    return found


@pytest.mark.parametrize(("assignments", "expected"), [((), {"127.0.0.1"}), (("ADDRESS=0.0.0.0",), {"0.0.0.0"})],
                         ids=["default", "ADDRESS=0.0.0.0"])
def test_make_run_listens_on_loopback_unless_told_to_share(assignments, expected) -> None:
    """`make run` listens on 127.0.0.1 only (not on every interface, as Streamlit would); `make run ADDRESS=0.0.0.0`
    is the one setting that shares it on the network."""
    command = _make_run_command(*assignments)
    assert command[1:2] == ["serve.py"]
    port = 8501  # make run's own port: the namespace is empty, so it is free
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_SERVER_")}
    proc = subprocess.Popen(["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command],
                            cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        addresses: set[str] = set()
        while not addresses and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            addresses = _listening(proc.pid, port)
        assert addresses == expected, (addresses, proc.poll())
    finally:
        stop(proc)
