"""Start KS-utforskaren the fast way: ``python serve.py [SCRIPT.py] [streamlit run options]``.

Runs ``streamlit run SCRIPT.py [options]`` in this process (SCRIPT.py defaults to app.py beside this
file) with five things that Streamlit 1.67 does not do by default:

1. TCP_NODELAY on every accepted connection (below), and
2. ``--runner.postScriptGC=false``: Streamlit's documented option to skip the full garbage
   collection (``gc.collect(2)``) it otherwise runs after *every* script run. With pandas, pyarrow
   and Altair imported, that collection walks the whole heap: it was most of a bare page's rerun
   and ~90 ms of each of our reruns (docs/performance.md). Python's automatic, generational
   collector still runs; the benchmark's load test shows the memory. Pass
   ``--runner.postScriptGC=true`` to get Streamlit's behaviour back.

3. The app's imports (pandas, pyarrow, Altair, ks_data: ~0.65 s of CPU on an idle machine) are loaded on a background thread
   as soon as the server listens (``preload_imports``), while the first browser is still fetching and starting
   Streamlit's JavaScript, instead of inside the first script run. Only the main script's own top-level imports are
   loaded, not its code; an import that fails is left for the script's run to report as usual. An imported module
   with a ``warm_up()`` (ui.py: read and validate the data) has it called next, on the same thread. First, the app's
   own packages beside the script (ui, ks_data: ~10 000 lines) are byte-compiled where their ``__pycache__`` is
   missing or stale (``compile_local_modules``), as pip compiles every installed package: where the environment sets
   ``PYTHONDONTWRITEBYTECODE`` (this machine's does) Python otherwise compiles them again on every start, ~110 ms of
   the server's CPU while the first browser waits for it (docs/performance.md, "Stop 25"). After the imports,
   before the warm-up, the thread looks at its own stack once, for Streamlit's first element of the process
   (``preload_imports``). This is done for any app the launcher starts, the bare benchmark app too, so that the
   comparison stays on equal terms.

4. No request to the internet for the machine's "external IP" (``install_no_external_ip``). Streamlit 1.67's
   ``net_util.get_external_ip()`` makes two blocking HTTP GETs to checkip.amazonaws.com (1 s timeout each, a
   failure never remembered). It is called at start for the "External URL" line (headless, address unset or
   0.0.0.0), and by the origin check of every WebSocket and CORS request (``server_util.is_url_from_allowed_origins``)
   whose Origin matches nothing before it: any web page can make a visitor's browser open such a WebSocket, and on
   an intranet whose firewall drops outbound packets each one blocked the server's event loop for ~2 s, every
   session with it. There is no setting that skips it (``browser.serverAddress`` and ``server.corsAllowedOrigins``
   are only checked around it), so the launcher replaces it with one that answers None ("not known") at once. A
   foreign Origin is then refused at once, as it was after the wait. Still allowed: localhost, 127.0.0.1, the
   machine's own (internal) address, ``browser.serverAddress`` and ``server.corsAllowedOrigins``; no longer: the
   public address checkip.amazonaws.com would report (a NAT's, where the internet is reachable at all). A server
   reached by that address needs it in ``browser.serverAddress``, as the README says for any other name.

5. A page address with more than one segment (``/ekonomi/extra``, a link with something pasted after it) is sent to
   its first segment (``/ekonomi``, query kept) instead of a blank page (``install_page_path_redirect``). Streamlit
   answers every unknown path with its index.html, whose scripts are addressed relative to the page (``./static/…``):
   under ``/ekonomi/`` they are unknown paths too, come back as HTML, and nothing starts, so no script of the app
   can say what went wrong. Only a browser's request for a document (``Accept: text/html``) is redirected, with a
   relative ``Location`` (``../ekonomi``) that holds behind a proxy and under ``server.baseUrlPath``; requests for
   Streamlit's own paths (``_stcore``), its files and its scripts are left as they are. An unknown first segment is
   then the app's to name (the notice on Översikt).

TCP_NODELAY: the listening socket is created as an explicit TCP socket, so asyncio switches
Nagle's algorithm off on every connection it accepts.

Why: Streamlit 1.67 (uvicorn/Starlette) binds its listener with ``socket.socket(family)``, whose
``proto`` is 0. asyncio sets TCP_NODELAY on an accepted socket only when ``proto == IPPROTO_TCP``
(``asyncio.base_events._set_nodelay``), so Streamlit's connections keep Nagle on. A websocket
rerun answer or a second keep-alive HTTP response then waits for the browser's delayed ACK, about
40 ms on Linux, on every widget change. ``asyncio.start_server`` and uvicorn's own binding create
their sockets from ``getaddrinfo`` results, whose proto is ``IPPROTO_TCP``, and get TCP_NODELAY (``socket.create_server``
does not: its proto is 0); so did Streamlit's
Tornado server before 1.5x (``set_nodelay(True)`` on websockets).

How: ``install()`` wraps ``streamlit.web.server.starlette.starlette_server._bind_socket`` (the one
function that creates the listener; Streamlit's bind options, address, port search, backlog and
non-blocking mode are kept as they are) and re-wraps the socket it returns with
``proto=IPPROTO_TCP`` (``nodelay_listener``). Nothing else changes: no monkeypatch of asyncio,
uvicorn or the socket module. If a future Streamlit renames that function, the launcher says so
on stderr and runs Streamlit unchanged (slower, still correct); tests/test_bench.py then fails.
"""

from __future__ import annotations

import ast
import compileall
import functools
import importlib
import importlib.util
import inspect
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable, Collection
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
_MARK = "_ks_nodelay"
_NO_LOOKUP_MARK = "_ks_no_external_ip"
_REDIRECT_MARK = "_ks_page_path_redirect"
# Streamlit options this launcher sets unless the command line names them itself.
DEFAULT_OPTIONS = {"--runner.postScriptGC": "false"}


def nodelay_listener(sock: socket.socket) -> socket.socket:
    """Return ``sock`` (a bound, listening TCP socket) as a socket object with ``proto == IPPROTO_TCP``.

    The file descriptor, its bind, backlog, SO_REUSEADDR, non-blocking and inheritable flags stay
    the same; only Python's socket object is replaced, so asyncio's accept path sets TCP_NODELAY on
    each accepted connection. Non-TCP sockets and sockets that already say IPPROTO_TCP are returned as is.
    """
    if (sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM
            or sock.proto == socket.IPPROTO_TCP):
        return sock
    blocking = sock.getblocking()
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.setblocking(blocking)  # a socket object made from a file descriptor starts out "blocking"
    return tcp


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


def compile_local_modules(modules: list[str], root: Path) -> list[Path]:
    """Byte-compile the packages and modules among ``modules`` (top-level names) whose source lies under ``root`` (the
    app's folder), where a file's ``__pycache__`` entry is missing or older than the source; return what was looked at.
    Installed packages are left alone (pip compiled them); a folder that cannot be written is skipped silently."""
    root = Path(root).resolve()
    done: list[Path] = []
    for name in dict.fromkeys(m.split(".")[0] for m in modules):
        try:
            spec = importlib.util.find_spec(name)  # a top-level name: finds it without importing anything
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.origin or not spec.has_location:
            continue
        origin = Path(spec.origin).resolve()
        if not origin.is_relative_to(root):
            continue
        target = origin.parent if spec.submodule_search_locations else origin  # a package's folder, or the module
        try:
            # quiet=2: a file that does not compile is the import's to report, where the script's run shows it.
            if target.is_dir():
                compileall.compile_dir(target, quiet=2, workers=1)
            else:
                compileall.compile_file(target, quiet=2)
        except OSError:
            continue
        done.append(target)
    return done


def preload_imports(modules: list[str], root: Path | None = None) -> threading.Thread:
    """Import ``modules`` on a background (daemon) thread, then call the ``warm_up()`` of each that has one; return the
    thread. With ``root`` (the app's folder), the app's own modules among them are byte-compiled first
    (``compile_local_modules``). Failures are ignored (a name that is not a module, a broken one: the script's own run
    reports it as before)."""

    def run() -> None:
        if root is not None:
            compile_local_modules(modules, root)
        loaded = []
        for name in modules:
            try:
                loaded.append(importlib.import_module(name))
            except Exception:  # noqa: BLE001 - left to the script's run, which shows the error
                continue
        # Streamlit's first element in a process asks inspect.stack() whether it runs in a REPL (env_util.is_repl), and
        # inspect's first look at a frame resolves the path of every loaded module (~1 200 with pandas and Altair:
        # 40-56 ms of the first visitor's run). One look here fills inspect's cache; the later one then takes ~0.2 ms.
        # Before the warm-up, not after it: the first run waits for the imports, not for the warm-up, and its first
        # element came before the look when the look came last (85 ms then instead of 6-15).
        try:
            inspect.stack()
        except Exception:  # noqa: BLE001 - the first run pays for it instead, as before
            pass
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


def _replace_function(module_name: str, name: str, mark: str, make: Callable[[Callable], Callable]) -> bool:
    """Replace the function ``name`` of ``module_name`` by ``make(original)``, marked with ``mark`` so that it is done
    once; return False if the module or the function is not there (a Streamlit that changed)."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    original = getattr(module, name, None)
    if not callable(original):
        return False
    if not getattr(original, mark, False):
        replacement = make(original)
        setattr(replacement, mark, True)
        setattr(module, name, replacement)
    return True


def install(on_listen: Callable[[], object] | None = None) -> bool:
    """Make Streamlit's server create its listener with ``nodelay_listener`` and call ``on_listen`` (once) when it
    listens; return False if that is not possible."""

    def make(original: Callable) -> Callable:
        pending = [on_listen] if on_listen else []

        @functools.wraps(original)
        def _bind_socket(address: str, port: int, backlog: int) -> socket.socket:
            sock = nodelay_listener(original(address, port, backlog))
            while pending:
                try:
                    pending.pop()()
                except Exception:  # noqa: BLE001 - a failed preload must never stop the server from listening
                    pass
            return sock

        return _bind_socket

    return _replace_function("streamlit.web.server.starlette.starlette_server", "_bind_socket", _MARK, make)


def install_no_external_ip() -> bool:
    """Make Streamlit's external-IP lookup answer None without a request (module docstring, 4); return False if
    Streamlit has no such function."""

    def make(original: Callable) -> Callable:
        @functools.wraps(original)
        def get_external_ip() -> str | None:
            return None  # never known: asking checkip.amazonaws.com blocks the server where the internet is unreachable

        return get_external_ip

    return _replace_function("streamlit.net_util", "get_external_ip", _NO_LOOKUP_MARK, make)


def get_page_redirect(route_path: str, accept: str, top_entries: Collection[str] = ()) -> str | None:
    """Return where a browser's request for ``route_path`` (below the base path, such as ``/ekonomi/extra``) is sent
    when it asks for a document (``accept``: its Accept header) at a page address with more than one segment: the
    first segment, relative to the request (``../ekonomi``); None for anything else. ``top_entries``: the names at the
    top of Streamlit's static folder (``static``, ``favicon.png``), whose paths are files, not pages."""
    from streamlit.path_security import is_unsafe_path_pattern

    relative = route_path.lstrip("/")
    if "text/html" not in accept.lower() or not relative or relative.endswith("/"):
        return None  # not a page being opened; a trailing slash is Streamlit's own redirect, before this one
    parts = relative.split("/")
    first = parts[0]
    if len(parts) < 2 or not first or first in top_entries or "_stcore" in parts or is_unsafe_path_pattern(relative):
        return None
    return "../" * (len(parts) - 1) + urllib.parse.quote(first, safe="")


class PagePathRedirect:
    """ASGI app around Streamlit's static files: a document request that ``get_page_redirect`` names a target for gets
    a 302 there (query kept, not cached); every other request goes to ``app`` unchanged."""

    def __init__(self, app: Callable, static_dir: str) -> None:
        self.app = app
        try:
            self.top_entries = frozenset(entry.name for entry in Path(static_dir).iterdir())
        except OSError:
            self.top_entries = frozenset()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            path, root = scope.get("path", ""), scope.get("root_path", "")
            route_path = path[len(root):] if root and path.startswith(root) else path
            accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
            target = get_page_redirect(route_path, accept, self.top_entries)
            if target is not None:
                from starlette.responses import RedirectResponse

                query = scope.get("query_string", b"").decode("latin-1")
                response = RedirectResponse(target + (f"?{query}" if query else ""), status_code=302,
                                            headers={"Cache-Control": "no-cache"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install_page_path_redirect() -> bool:
    """Wrap the handler of Streamlit's static files in ``PagePathRedirect`` (module docstring, 5); return False if
    Streamlit has no such handler."""

    def make(original: Callable) -> Callable:
        @functools.wraps(original)
        def create_streamlit_static_handler(directory: str, base_url: str | None) -> PagePathRedirect:
            return PagePathRedirect(original(directory=directory, base_url=base_url), directory)

        return create_streamlit_static_handler

    return _replace_function("streamlit.web.server.starlette.starlette_static_routes",
                             "create_streamlit_static_handler", _REDIRECT_MARK, make)


def streamlit_argv(args: list[str]) -> list[str]:
    """The ``sys.argv`` for Streamlit's CLI: ``streamlit run SCRIPT [options]`` plus DEFAULT_OPTIONS not given."""
    args = list(args)
    script = args.pop(0) if args and args[0].endswith(".py") else str(APP)
    for option, value in DEFAULT_OPTIONS.items():
        if not any(arg == option or arg.startswith(option + "=") for arg in args):
            args.append(f"{option}={value}")
    return ["streamlit", "run", script, *args]


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run`` with the TCP_NODELAY listener, no external-IP lookup, the page path redirect and
    DEFAULT_OPTIONS; arguments as for ``streamlit run``."""
    argv = streamlit_argv(sys.argv[1:] if argv is None else argv)
    modules = [m for m in get_script_imports(Path(argv[2])) if m.split(".")[0] != "streamlit"]
    if not install(on_listen=lambda: preload_imports(modules, Path(argv[2]).resolve().parent)):
        print("serve.py: could not install the TCP_NODELAY listener (Streamlit's server internals changed); "
              "running Streamlit without it.", file=sys.stderr)
    if not install_no_external_ip():
        print("serve.py: could not switch off Streamlit's external-IP lookup (net_util changed); a foreign Origin may "
              "make the server wait for checkip.amazonaws.com.", file=sys.stderr)
    if not install_page_path_redirect():
        print("serve.py: could not install the redirect of page addresses with more than one segment (Streamlit's "
              "static routes changed); such an address stays a blank page.", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = argv
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
