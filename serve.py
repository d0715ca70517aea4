"""Start KS-utforskaren the fast way: ``python serve.py [SCRIPT.py] [streamlit run options]``.

Serves SCRIPT.py (default: app.py beside this file) as Streamlit's public ASGI app, ``st.App``, under uvicorn in this
process. The command line is read by ``streamlit run``'s own parser (the same options, ``STREAMLIT_*`` environment
variables and .streamlit/config.toml beside the script, in the same order of precedence), and the app behaves as
under ``streamlit run`` (the same routes, health endpoint, static files, XSRF and CORS/Origin checks: st.App builds
them with the same functions), with four things that Streamlit 1.67 does not do by default:

1. TCP_NODELAY on every accepted connection. uvicorn binds the listener itself here
   (``loop.create_server(host=..., port=...)``), which makes an ``IPPROTO_TCP`` socket, and asyncio switches Nagle's
   algorithm off on every connection such a socket accepts (``asyncio.base_events._set_nodelay``). Under
   ``streamlit run``, and under ``st.App.run()`` or ``streamlit run`` of an st.App script too, Streamlit binds the
   listener itself with ``socket.socket(family)`` (``proto`` 0): asyncio then leaves Nagle on, and a websocket rerun
   answer or a second keep-alive HTTP response waits for the browser's delayed ACK, about 40 ms on Linux, on every
   widget change. (Before issue 19 this launcher got the same by wrapping Streamlit's private ``_bind_socket``.)

2. ``--runner.postScriptGC=false``: Streamlit's documented option to skip the full garbage
   collection (``gc.collect(2)``) it otherwise runs after *every* script run. With pandas, pyarrow
   and Altair imported, that collection walks the whole heap: it was most of a bare page's rerun
   and ~90 ms of each of our reruns (docs/performance.md). Python's automatic, generational
   collector still runs; the benchmark's load test shows the memory. Pass
   ``--runner.postScriptGC=true`` to get Streamlit's behaviour back.

3. The app's imports (pandas, pyarrow, Altair, ks_data: ~0.65 s of CPU on an idle machine) are loaded on a background
   thread started from st.App's ``lifespan`` hook, as the server starts listening (``preload_imports``), while the
   first browser is still fetching and starting Streamlit's JavaScript, instead of inside the first script run. Only
   the main script's own top-level imports are loaded, not its code; an import that fails is left for the script's
   run to report as usual. An imported module with a ``warm_up()`` (ui: read and validate the data) has it called
   next, on the same thread.

4. No request to the internet for the machine's "external IP" (``install_no_external_ip``). Streamlit 1.67's
   ``net_util.get_external_ip()`` makes two blocking HTTP GETs to checkip.amazonaws.com (1 s timeout each, a
   failure never remembered). ``streamlit run`` calls it at start for the "External URL" line (headless, address
   unset or 0.0.0.0; this launcher prints its own "URL" line instead), and the origin check of every WebSocket and
   CORS request (``server_util.is_url_from_allowed_origins``) calls it when the Origin matches nothing before it: any
   web page can make a visitor's browser open such a WebSocket, and on an intranet whose firewall drops outbound
   packets each one blocked the server's event loop for ~2 s, every session with it. There is no setting that skips
   it (``browser.serverAddress`` and ``server.corsAllowedOrigins`` are only checked around it), so the launcher
   replaces it with one that answers None ("not known") at once. A foreign Origin is then refused at once, as it
   was after the wait. Still allowed: localhost, 127.0.0.1, the machine's own (internal) address,
   ``browser.serverAddress`` and ``server.corsAllowedOrigins``; no longer: the public address checkip.amazonaws.com
   would report (a NAT's, where the internet is reachable at all). A server reached by that address needs it in
   ``browser.serverAddress``, as the README says for any other name.

uvicorn gets the settings ``streamlit run`` gives it (``uvicorn_options``: websocket implementation, message size,
ping, no per-message compression, TLS files, no access log; tests/test_serve.py compares them with Streamlit's own),
and listens where ``server.address`` and ``server.port`` say. As under ``streamlit run``: a port that is taken is
an error if it was set, and the next free one is used if it was not; an unset address listens on every interface
(IPv4 and IPv6). Not done here: ``streamlit run``'s reload of .streamlit/config.toml when it changes (restart the
server instead) and opening a browser (the config says headless).
"""

from __future__ import annotations

import ast
import contextlib
import errno
import functools
import importlib
import socket
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().parent / "app.py"
_NO_LOOKUP_MARK = "_ks_no_external_ip"
# Streamlit options this launcher sets unless the command line names them itself.
DEFAULT_OPTIONS = {"--runner.postScriptGC": "false"}
# As `streamlit run`: how many ports after an unset server.port are tried when it is taken.
PORT_SEARCH = 100


def get_script_imports(script: Path) -> list[str]:
    """Return the modules a script imports at its top level (``import a.b``, ``from a import b``: ``a``, ``a.b``), in
    order; none if the script cannot be read or parsed."""
    try:
        tree = ast.parse(Path(script).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from ks_data import views": the package, then each name that may be a submodule.
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return list(dict.fromkeys(names))


def preload_imports(modules: list[str]) -> threading.Thread:
    """Import ``modules`` on a background (daemon) thread, then call the ``warm_up()`` of each that has one; return the
    thread. Failures are ignored (a name that is not a module, a broken one: the script's own run reports it as before)."""

    def run() -> None:
        loaded = []
        for name in modules:
            try:
                loaded.append(importlib.import_module(name))
            except Exception:  # noqa: BLE001 - left to the script's run, which shows the error
                continue
        for module in loaded:
            warm_up = getattr(module, "warm_up", None)
            if callable(warm_up):
                try:
                    warm_up()
                except Exception:  # noqa: BLE001 - the same work is done again, and reported, by the first run
                    continue

    thread = threading.Thread(target=run, name="serve-preload-imports", daemon=True)
    thread.start()
    return thread


def install_no_external_ip() -> bool:
    """Make Streamlit's external-IP lookup answer None without a request (module docstring, 4); return False if
    Streamlit has no such function."""
    try:
        from streamlit import net_util
    except ImportError:
        return False
    original = getattr(net_util, "get_external_ip", None)
    if not callable(original):
        return False
    if getattr(original, _NO_LOOKUP_MARK, False):
        return True

    @functools.wraps(original)
    def get_external_ip() -> str | None:
        return None  # never known: asking checkip.amazonaws.com blocks the server where the internet is unreachable

    setattr(get_external_ip, _NO_LOOKUP_MARK, True)
    net_util.get_external_ip = get_external_ip
    return True


def get_run_args(args: list[str]) -> list[str]:
    """The arguments as for ``streamlit run``: ``SCRIPT [options]`` (app.py unless the first argument is a script),
    plus each of DEFAULT_OPTIONS the options do not name."""
    args = list(args)
    script = args.pop(0) if args and args[0].endswith(".py") else str(APP)
    for option, value in DEFAULT_OPTIONS.items():
        if not any(arg == option or arg.startswith(option + "=") for arg in args):
            args.append(f"{option}={value}")
    return [script, *args]


def parse_run_args(args: list[str]) -> tuple[Path, dict[str, Any]]:
    """Read ``SCRIPT [options]`` with ``streamlit run``'s own command-line parser; return the script's absolute path
    and the options as ``streamlit run`` passes them on (``{"server_port": 8501, ...}``, typed, ``STREAMLIT_*``
    environment variables included). A bad option ends the process with click's message, as ``streamlit run``."""
    import click
    from streamlit.web import cli

    try:
        ctx = cli.main_run.make_context("serve.py", list(args))
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    options = dict(ctx.params)
    script = Path(options.pop("target")).resolve()
    options.pop("args", None)
    return script, options


@contextlib.asynccontextmanager
async def _warm_up_lifespan(modules: list[str]) -> AsyncIterator[None]:
    preload_imports(modules)  # a thread: the server answers (health, static files) while it works
    yield


def create_app(script: Path, options: dict[str, Any]):
    """Return the ``st.App`` for ``script`` with the config of ``streamlit run script options`` loaded and its
    imports preloaded (``preload_imports``) from the app's lifespan."""
    import streamlit as st
    from streamlit.web import bootstrap

    script = Path(script).resolve()
    # As `streamlit run`: the script's folder first on sys.path (its own ui, ks_data), sys.argv as the script sees it.
    sys.path.insert(0, str(script.parent))
    sys.argv = [str(script)]
    modules = [m for m in get_script_imports(script) if m.split(".")[0] != "streamlit"]
    # st.App anchors the script-level .streamlit/config.toml at the script; the options then go over the files.
    app = st.App(script, lifespan=lambda _app: _warm_up_lifespan(modules))
    bootstrap.load_config_options(options)
    return app


def uvicorn_options() -> dict[str, Any]:
    """The uvicorn settings ``streamlit run`` uses, from the loaded config (no host, port or app)."""
    from streamlit import config

    interval = config.get_option("server.websocketPingInterval")
    ping = 30 if interval is None else int(interval)  # Streamlit's default; a set interval is also the timeout
    return {
        "ssl_certfile": config.get_option("server.sslCertFile"),
        "ssl_keyfile": config.get_option("server.sslKeyFile"),
        "ws": "websockets-sansio",
        "ws_ping_interval": ping,
        "ws_ping_timeout": ping,
        "ws_max_size": config.get_option("server.maxMessageSize") * int(1e6),
        "ws_per_message_deflate": config.get_option("server.enableWebsocketCompression"),
        "use_colors": False,
        "access_log": False,
    }


def _is_free(host: str | None, port: int) -> bool:
    family = socket.AF_INET6 if host and ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host or "", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def get_listen_address() -> tuple[str | None, int]:
    """Where to listen, from the loaded config: ``server.address`` (None: every interface) and ``server.port`` (the
    next free one when it is not set and taken, as ``streamlit run``)."""
    from streamlit import config
    from streamlit.config_option import ConfigOption

    address = config.get_option("server.address") or None
    if address and address.startswith("unix://"):
        raise SystemExit("serve.py: a Unix socket as server.address is not supported (nor by Streamlit's st.App).")
    port = int(config.get_option("server.port"))
    if not config.is_manually_set("server.port") and port:
        port = next((p for p in range(port, port + PORT_SEARCH + 1) if _is_free(address, p)), port)
        config.set_option("server.port", port, ConfigOption.STREAMLIT_DEFINITION)
    return address, port


def get_url(address: str | None) -> str:
    """The app's address for the start-up banner: ``browser.serverAddress`` if set, else the listening address
    (localhost for every interface), with the port and base path."""
    from streamlit import config
    from streamlit.web.server import server_util

    if config.is_manually_set("browser.serverAddress"):
        host = config.get_option("browser.serverAddress")
    elif address and address not in ("0.0.0.0", "::"):
        host = f"[{address}]" if ":" in address else address
    else:
        host = "localhost"
    return server_util.get_url(host)


def main(argv: list[str] | None = None) -> int:
    """Serve the script as ``st.App`` under uvicorn with DEFAULT_OPTIONS and no external-IP lookup; arguments as for
    ``streamlit run``."""
    script, options = parse_run_args(get_run_args(sys.argv[1:] if argv is None else argv))
    if not install_no_external_ip():
        print("serve.py: could not switch off Streamlit's external-IP lookup (net_util changed); a foreign Origin may "
              "make the server wait for checkip.amazonaws.com.", file=sys.stderr)
    import uvicorn

    app = create_app(script, options)
    host, port = get_listen_address()
    print(f"\n  KS-utforskaren ({script.name}) under uvicorn.\n  URL: {get_url(host)}\n", flush=True)
    uvicorn.run(app, host=host, port=port, lifespan="on", **uvicorn_options())
    return 0


if __name__ == "__main__":
    sys.exit(main())
