"""Run the app's server where the internet is unreachable and outbound packets are dropped, and count what it sends.

Run as ``unshare -n -m python -m tests.netns_probe SCENARIO [--stock] [-- streamlit options]`` (root): in its new
network namespace it brings loopback up and adds one more interface, ``ks-out``, the default route, whose other end
(a veth peer with no address) answers nothing, as a firewall that drops outbound traffic. In its new mount namespace
/etc/resolv.conf names a server behind ks-out (one try, 1 s).
Every packet the namespace sends to anything but loopback (a DNS query, a TCP SYN)
leaves through ks-out and is counted in its transmitted packets; nothing comes back, so a lookup waits for its timeout.
IPv6 is off on ks-out, so the kernel itself sends nothing there.

It starts the server (``serve.py``, or plain ``streamlit run`` with ``--stock``) from the repository with only a free
port on the command line (plus the options after ``--``), so .streamlit/config.toml decides the rest, and then:

- ``visit``: one WebSocket session per page (the page's script runs, as in a browser), plus the HTTP requests a
  browser makes first; the server is then stopped.
- ``origin``: while WebSocket connections with foreign Origins and Hosts arrive (``--foreign N``, one after the
  other), a normal session keeps asking for ``/_stcore/health`` and rerunning Översikt; every wait is timed.

It prints one JSON line: the packets sent through ks-out from the server's start to its end (``sent``), the
server's log, and for ``origin`` the normal session's waits and how the foreign connections ended.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = "ks-out"
PEER = "ks-peer"
DNS = "10.213.0.53"
GATEWAY = "10.213.0.2"
PEER_MAC = "02:00:00:00:02:13"
STARTUP_TIMEOUT_S = 90.0
# Origins (and Hosts) a hostile page or a mistyped name can bring; none is allowed, none may make the server wait.
FOREIGN = (("http://evil.example", None), ("null", None), ("http://203.0.113.9:8501", "203.0.113.9:8501"),
           ("https://intranet.other.example", "intranet.other.example"))


def setup_network() -> None:
    """Loopback up; ks-out the default route into a veth peer that drops everything; IPv6 off on both; DNS to an
    address behind ks-out."""
    def ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True)

    # A name server behind ks-out, whatever the machine's own is (a local stub on 127.0.0.53 would refuse at once
    # here, and nothing would wait): one try of 1 s, so a lookup costs ~2 s, as where a firewall drops DNS over
    # UDP and HTTP. Only in a mount namespace of our own (`unshare -m`), never the machine's /etc/resolv.conf.
    if os.readlink("/proc/self/ns/mnt") == os.readlink(f"/proc/{os.getppid()}/ns/mnt"):
        raise RuntimeError("run the probe as `unshare -n -m python -m tests.netns_probe ...`")
    resolv = Path(tempfile.mkdtemp(prefix="ks-netns-")) / "resolv.conf"
    resolv.write_text(f"nameserver {DNS}\noptions timeout:1 attempts:1\n")
    subprocess.run(["mount", "--bind", str(resolv), "/etc/resolv.conf"], check=True, capture_output=True)

    ip("link", "set", "lo", "up")
    ip("link", "add", OUT, "type", "veth", "peer", "name", PEER)
    for name in (OUT, PEER):
        Path(f"/proc/sys/net/ipv6/conf/{name}/disable_ipv6").write_text("1")
    ip("link", "set", PEER, "address", PEER_MAC)
    ip("addr", "add", "10.213.0.1/24", "dev", OUT)
    ip("link", "set", PEER, "up")
    ip("link", "set", OUT, "up")
    # The gateway's address is known (no ARP that could fail and make later packets fail at once): every packet
    # really leaves, to a peer without an address that drops it, so each lookup waits its full timeout.
    ip("neigh", "add", GATEWAY, "lladdr", PEER_MAC, "dev", OUT, "nud", "permanent")
    ip("route", "add", "default", "via", GATEWAY, "dev", OUT)


def sent_packets() -> int:
    """Packets the namespace has sent through ks-out (to anything but loopback), from /proc/net/dev (which, unlike
    /sys, shows this process's network namespace)."""
    for line in Path("/proc/self/net/dev").read_text().splitlines():
        name, _, counters = line.partition(":")
        if name.strip() == OUT:
            return int(counters.split()[9])  # receive: bytes packets errs drop fifo frame compressed multicast
    raise RuntimeError(f"no interface {OUT}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, stock: bool, options: list[str], log) -> subprocess.Popen:
    launcher = ["-m", "streamlit", "run", "app.py"] if stock else ["serve.py"]
    return subprocess.Popen([sys.executable, *launcher, f"--server.port={port}", *options], cwd=REPO_ROOT,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"), stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(proc: subprocess.Popen, url: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < STARTUP_TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer /_stcore/health")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


async def run_page(url: str, page_path: str, origin: str) -> dict:
    """One session as a browser opens it (Origin = the app's own address): the page runs to its end."""
    import websockets

    from bench.wsclient import read_run, rerun_msg

    async with websockets.connect(f"ws://{url.split('://', 1)[1]}/_stcore/stream", subprotocols=["streamlit"],
                                  origin=origin, max_size=None, open_timeout=60, ping_interval=None) as ws:
        await ws.send(rerun_msg(page_path, ""))
        run = await read_run(ws, 120)
    return {"page": page_path, "exceptions": run["exceptions"], "msgs": run["msgs"]}


def visit(url: str) -> dict:
    import ui

    for path in ("/", "/_stcore/health", "/_stcore/host-config"):
        with urllib.request.urlopen(url + path, timeout=30) as r:
            r.read()
    pages = [asyncio.run(run_page(url, url_path, url)) for _, _, url_path, _ in ui.PAGES]
    return {"pages": pages}


async def _foreign(url: str, origin: str, host: str | None) -> str:
    import websockets

    headers = {"Host": host} if host else None
    start = time.perf_counter()
    try:
        async with websockets.connect(f"ws://{url.split('://', 1)[1]}/_stcore/stream", subprotocols=["streamlit"],
                                      origin=origin, additional_headers=headers, open_timeout=30, ping_interval=None):
            outcome = "accepted"
    except Exception as exc:  # noqa: BLE001 - a refusal is the expected outcome, reported as its name
        outcome = type(exc).__name__
    return f"{outcome} after {time.perf_counter() - start:.2f} s"


async def _origin(url: str, foreign: int) -> dict:
    import websockets

    from bench.wsclient import read_run, rerun_msg

    loop = asyncio.get_running_loop()
    done, ready = asyncio.Event(), asyncio.Event()
    health_waits: list[float] = []
    rerun_waits: list[float] = []

    def health() -> float:
        start = time.perf_counter()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as r:
            r.read()
        return time.perf_counter() - start

    async def health_loop() -> None:
        while not done.is_set():
            health_waits.append(await loop.run_in_executor(None, health))
            await asyncio.sleep(0.05)

    async def normal_session() -> None:
        async with websockets.connect(f"ws://{url.split('://', 1)[1]}/_stcore/stream", subprotocols=["streamlit"],
                                      origin=url, max_size=None, open_timeout=60, ping_interval=None) as ws:
            await ws.send(rerun_msg("", ""))
            await read_run(ws, 120)  # the first run (imports, data) is not what this measures
            ready.set()
            while not done.is_set():
                start = time.perf_counter()
                await ws.send(rerun_msg("", ""))
                await read_run(ws, 120)
                rerun_waits.append(time.perf_counter() - start)

    async def foreign_loop() -> list[str]:
        outcomes = []
        await asyncio.wait_for(ready.wait(), 120)
        await asyncio.sleep(0.3)
        for i in range(foreign):
            origin, host = FOREIGN[i % len(FOREIGN)]
            outcomes.append(f"{origin} (Host {host or 'the app'}): " + await _foreign(url, origin, host))
        await asyncio.sleep(0.5)
        done.set()
        return outcomes

    session = asyncio.create_task(normal_session())
    checks = asyncio.create_task(health_loop())
    outcomes = await foreign_loop()
    await asyncio.gather(session, checks)
    return {"foreign": outcomes, "health_waits": health_waits, "rerun_waits": rerun_waits}


def run_probe(*args: str, timeout: float = 300) -> dict:
    """Run this probe in new network and mount namespaces (``unshare -n -m``) from a test; return its JSON result."""
    result = subprocess.run(["unshare", "-n", "-m", sys.executable, "-m", "tests.netns_probe", *args], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=timeout)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"the probe failed (rc={result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    """Set up the namespace's network, run the scenario against a fresh server, print the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=("visit", "origin"))
    parser.add_argument("--stock", action="store_true", help="plain `streamlit run app.py` instead of serve.py")
    parser.add_argument("--foreign", type=int, default=4, help="foreign-origin WebSocket connections (origin)")
    argv = sys.argv[1:] if argv is None else list(argv)
    options = argv[argv.index("--") + 1:] if "--" in argv else []  # more `streamlit run` options
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    setup_network()
    time.sleep(0.2)
    before = sent_packets()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    result: dict = {"scenario": args.scenario, "launcher": "stock" if args.stock else "serve"}
    with tempfile.TemporaryFile() as log:
        proc = start_server(port, args.stock, options, log)
        try:
            result["start_s"] = wait_healthy(proc, url)
            result.update(visit(url) if args.scenario == "visit" else asyncio.run(_origin(url, args.foreign)))
        except Exception as exc:  # noqa: BLE001 - reported in the JSON, with the server's log
            result["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            stop(proc)
            result["sent"] = sent_packets() - before
            log.seek(0)
            result["log"] = log.read().decode(errors="replace")[-4000:]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
