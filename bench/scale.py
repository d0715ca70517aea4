"""Scale out as the README tells IT to: several app instances behind nginx with session affinity, against one process.

```bash
.venv/bin/python -m bench.scale                          # full run: 300 sessions on one process, then through nginx
.venv/bin/python -m bench.scale --sessions 20 --instances 2   # smoke (tests/test_bench_scale.py)
```

The instances are started from deploy/ks-utforskaren@.service (its ExecStart and Environment lines) and nginx from
deploy/nginx-ks-utforskaren.conf, the files the README's "Drift" section installs. Only the addresses are the
benchmark's own: free loopback ports instead of 80 and 8501…, 127.0.0.1 instead of the host name intra.kommun.local,
the repository instead of /opt/ks-utforskaren. Everything else (the launcher and its flags, baseUrlPath, the affinity
cookie, WebSocket pass-through, timeouts) is what is deployed, so the recipe cannot drift from what is measured.

Both runs open ``--sessions`` sessions at the same moment (bench/wsclient.py: open a page, change its first widget,
close), round-robin over every page, after a warm-up round of every page on every instance. Reported: sessions
finished, errors, one session's p50/p95/slowest, and how the sessions spread over the instances. nginx is Debian's
package (`make bench` installs it, as `make test` does).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import robust, servers
from bench.wsclient import run_async, session

REPO_ROOT = servers.REPO_ROOT
DEPLOY_DIR = REPO_ROOT / "deploy"
UNIT_FILE = DEPLOY_DIR / "ks-utforskaren@.service"
NGINX_FILE = DEPLOY_DIR / "nginx-ks-utforskaren.conf"
RESULTS_DIR = servers.BENCH_DIR / "results"
# What the recipe names that the benchmark replaces by its own: the host name users type and the install folder.
RECIPE_HOST = "intra.kommun.local"
RECIPE_ROOT = "/opt/ks-utforskaren"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SESSION_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class Unit:
    """What the systemd unit starts: the environment and the launcher's arguments (``%i`` = the port)."""

    environment: dict[str, str]
    args: tuple[str, ...]

    @property
    def base_path(self) -> str:
        """The app's path under the proxy (``--server.baseUrlPath``), without slashes."""
        for arg in self.args:
            if arg.startswith("--server.baseUrlPath="):
                return arg.split("=", 1)[1].strip("/")
        return ""


def read_unit(text: str) -> Unit:
    """Return the Environment lines and the arguments after serve.py of a ks-utforskaren@.service text."""
    env, args = {}, None
    for line in text.splitlines():
        key, _, value = line.strip().partition("=")
        if key == "Environment":
            name, _, val = value.partition("=")
            env[name] = val
        elif key == "ExecStart":
            words = shlex.split(value)
            args = tuple(words[[Path(w).name for w in words].index("serve.py") + 1:])
    if args is None:
        raise ValueError(f"{UNIT_FILE.name}: no ExecStart with serve.py")
    return Unit(env, args)


def get_instance_command(unit: Unit, port: int) -> tuple[list[str], dict[str, str]]:
    """The command and environment of one instance on ``port``, from the unit (addresses made the benchmark's)."""
    args = [a.replace("%i", str(port)) for a in unit.args]
    env = {k: v.replace(RECIPE_HOST, "127.0.0.1") for k, v in unit.environment.items()}
    return [sys.executable, str(REPO_ROOT / "serve.py"), *args], env


def render_nginx(text: str, listen_port: int, upstream_ports: list[int], work: Path) -> str:
    """Return a complete nginx.conf that runs the recipe ``text`` on loopback: the recipe's http-block content with
    its listen address, host name and upstream servers replaced, inside a main block that keeps nginx in the
    foreground and its files in ``work``."""
    site, n = re.subn(r"^(\s*)server 127\.0\.0\.1:\d+;\n", "", text, flags=re.M)
    if n == 0:
        raise ValueError(f"{NGINX_FILE.name}: no 'server 127.0.0.1:PORT;' line in the upstream")
    servers_text = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    site = re.sub(r"(upstream \w+ \{\n(?:.*\n)*?\s*hash [^\n]*\n)", lambda m: m.group(1) + servers_text, site, count=1)
    site = re.sub(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{listen_port};", site, flags=re.M)
    site = site.replace(RECIPE_HOST, "127.0.0.1")
    temp = "".join(f"    {kind}_temp_path {work / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"daemon off;\nmaster_process on;\nworker_processes 1;\npid {work / 'nginx.pid'};\n"
            f"error_log {work / 'error.log'} warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n    access_log off;\n{temp}{site}\n}}\n")


class Instance(servers.Server):
    """One app instance started as the unit starts it."""

    def __init__(self, unit: Unit) -> None:
        super().__init__(servers.ours(), "serve")
        self.unit = unit

    @property
    def url(self) -> str:
        """The instance's own address, under the app's path."""
        return f"http://127.0.0.1:{self.port}/{self.unit.base_path}".rstrip("/")

    def popen(self) -> float:
        """Start the instance on a free port (without waiting)."""
        self.port = servers.free_port()
        cmd, env = get_instance_command(self.unit, self.port)
        fd, name = tempfile.mkstemp(prefix="bench-scale-", suffix=".log")
        self.log_path = Path(name)
        env = dict(os.environ, PYTHONUNBUFFERED="1", STREAMLIT_SERVER_COOKIE_SECRET=SECRET, **env)
        with os.fdopen(fd, "wb") as log:
            self.t_popen = time.perf_counter()
            self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        return self.t_popen


# One secret for every instance of a run, as the unit's EnvironmentFile gives them in production.
SECRET = os.urandom(16).hex()


class Nginx:
    """nginx in the foreground with the rendered recipe, stopped by its own PID."""

    def __init__(self, upstream_ports: list[int]) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.work.chmod(0o755)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.work / kind).mkdir(mode=0o777)
            (self.work / kind).chmod(0o777)  # nginx's workers run as nobody
        self.port = servers.free_port()
        self.conf = self.work / "nginx.conf"
        self.conf.write_text(render_nginx(NGINX_FILE.read_text(), self.port, upstream_ports, self.work))
        self.proc: subprocess.Popen | None = None

    def start(self, base_path: str, timeout: float = 20) -> Nginx:
        """Start nginx and wait until the app's health check answers through it."""
        test = subprocess.run([NGINX, "-t", "-c", str(self.conf)], capture_output=True, text=True)
        if test.returncode:
            raise RuntimeError(f"nginx -t: {test.stderr}")
        self.proc = subprocess.Popen([NGINX, "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url(base_path)}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise TimeoutError("nginx did not pass the app's health check on within the time")

    def url(self, base_path: str) -> str:
        """The app's address through nginx."""
        return f"http://127.0.0.1:{self.port}/{base_path}".rstrip("/")

    def stop(self) -> None:
        """Stop nginx (SIGQUIT: graceful, then SIGKILL) and remove its folder."""
        servers.stop_process(self.proc, signal.SIGQUIT)
        shutil.rmtree(self.work, ignore_errors=True)


def count_sessions(instance: Instance) -> int:
    """How many sessions this instance has served so far (Streamlit's session_events_total{type="connect"})."""
    total = 0
    for name, value in instance.metrics().items():
        if name.startswith("session_events") and 'type="connect"' in name:
            total += int(value)
    return total


async def _run(base: str, pages: list[str], widget: dict[str, bool], n: int) -> dict:
    t0 = time.monotonic()
    records = await asyncio.gather(*(session(base, pages[i % len(pages)], change=widget[pages[i % len(pages)]],
                                             timeout_s=SESSION_TIMEOUT_S) for i in range(n)))
    wall = time.monotonic() - t0
    totals = sorted(r["total_s"] for r in records if "total_s" in r)
    return {"sessions": n, "ok": sum(bool(r.get("ok")) for r in records), "errors": robust.failures(records),
            "wall_s": round(wall, 1),
            "session_p50_s": round(statistics.median(totals), 2) if totals else None,
            "session_p95_s": round(totals[min(len(totals) - 1, int(0.95 * len(totals)))], 2) if totals else None,
            "session_max_s": round(totals[-1], 2) if totals else None}


def run_one_process(unit: Unit, pages: list[str], n: int) -> dict:
    """``n`` sessions at once on one instance, addressed directly."""
    with Instance(unit).start() as inst:
        widget = run_async(robust.warm_up_pages(inst.url, pages))
        before = count_sessions(inst)
        out = run_async(_run(inst.url, pages, widget, n))
        out["per_instance"] = [count_sessions(inst) - before]
    return out


def run_behind_nginx(unit: Unit, pages: list[str], n: int, instances: int) -> dict:
    """``n`` sessions at once through nginx in front of ``instances`` instances."""
    started: list[Instance] = []
    proxy = None
    try:
        for _ in range(instances):
            started.append(Instance(unit).start())
        widget = {}
        for inst in started:  # every instance reads its data before the clock starts, as after a warm-up
            widget = run_async(robust.warm_up_pages(inst.url, pages))
        proxy = Nginx([inst.port for inst in started]).start(unit.base_path)
        before = [count_sessions(inst) for inst in started]
        out = run_async(_run(proxy.url(unit.base_path), pages, widget, n))
        out["per_instance"] = [count_sessions(inst) - b for inst, b in zip(started, before)]
        out["instances"] = instances
    finally:
        if proxy:
            proxy.stop()
        for inst in started:
            inst.stop()
    return out


def judge(result: dict) -> list[str]:
    """The reasons the run fails: a session that did not finish, or sessions that all went to one instance."""
    problems = []
    for part in ("one_process", "nginx"):
        res = result.get(part)
        if res:
            problems += [f"{part}: {e}" for e in res["errors"]]
            if res["ok"] != res["sessions"]:
                problems.append(f"{part}: {res['ok']} of {res['sessions']} sessions finished")
    spread = result.get("nginx", {}).get("per_instance", [])
    if len(spread) > 1 and sum(spread) and max(spread) == sum(spread):
        problems.append(f"nginx: every session went to one instance ({spread})")
    return problems


def render(result: dict) -> str:
    """The Markdown report of a run."""
    one, prox = result["one_process"], result["nginx"]
    ratio = (round(prox["session_p95_s"] / one["session_p95_s"], 2)
             if prox.get("session_p95_s") and one.get("session_p95_s") else None)
    lines = [f"# Scale-out run {result['stamp']}", "",
             f"Commit `{result['commit']}`, {result['cpus']} CPUs, load average at start {result['load_avg']}. "
             f"`python -m bench.scale {' '.join(result['argv'])}`", "",
             f"{one['sessions']} sessions opened at once, each: open a page, change its first widget, close. "
             f"Instances from `deploy/ks-utforskaren@.service`, nginx from `deploy/nginx-ks-utforskaren.conf`.", "",
             "| | one process | nginx + " + f"{prox['instances']} instances |", "|---|---|---|",
             f"| finished without an error | {one['ok']} of {one['sessions']} | {prox['ok']} of {prox['sessions']} |",
             f"| wall time, all sessions | {one['wall_s']} s | {prox['wall_s']} s |",
             f"| one session, p50 | {one['session_p50_s']} s | {prox['session_p50_s']} s |",
             f"| one session, p95 | {one['session_p95_s']} s | {prox['session_p95_s']} s |",
             f"| one session, slowest | {one['session_max_s']} s | {prox['session_max_s']} s |",
             f"| sessions per instance | {one['per_instance']} | {prox['per_instance']} |",
             f"| p95, nginx against one process | | {ratio} |", ""]
    problems = result["problems"]
    lines += ["## Verdict", "", "Every session finished, and the sessions spread over the instances." if not problems
              else "\n".join(f"- {p}" for p in problems), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the sessions on one process, then through nginx; write the results; exit 1 when a session failed."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=300, help="sessions opened at once (default 300)")
    p.add_argument("--instances", type=int, default=os.cpu_count() or 2, help="app instances behind nginx (one per core)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results (default bench/results)")
    args = p.parse_args(argv)
    unit = read_unit(UNIT_FILE.read_text())
    pages = [path for _key, _script, path in servers.ours().pages]
    result = robust.start_result(argv)
    robust.log(f"scale: {args.sessions} sessions on one process")
    result["one_process"] = run_one_process(unit, pages, args.sessions)
    robust.log(f"scale: {args.sessions} sessions through nginx to {args.instances} instances")
    result["nginx"] = run_behind_nginx(unit, pages, args.sessions, args.instances)
    result["problems"] = judge(result)
    robust.write_result(result, render(result), args.out, "scale")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
