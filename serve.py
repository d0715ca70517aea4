"""Start KS-utforskaren the fast way: ``python serve.py [SCRIPT.py] [streamlit run options]``.

Runs ``streamlit run SCRIPT.py [options]`` in this process (SCRIPT.py defaults to app.py beside this
file) with two server settings that Streamlit 1.67 does not have by default:

1. TCP_NODELAY on every accepted connection (below), and
2. ``--runner.postScriptGC=false``: Streamlit's documented option to skip the full garbage
   collection (``gc.collect(2)``) it otherwise runs after *every* script run. With pandas, pyarrow
   and Altair imported, that collection walks the whole heap: it was most of a bare page's rerun
   and ~90 ms of each of our reruns (docs/performance.md). Python's automatic, generational
   collector still runs; the benchmark's load test shows the memory. Pass
   ``--runner.postScriptGC=true`` to get Streamlit's behaviour back.

TCP_NODELAY: the listening socket is created as an explicit TCP socket, so asyncio switches
Nagle's algorithm off on every connection it accepts.

Why: Streamlit 1.67 (uvicorn/Starlette) binds its listener with ``socket.socket(family)``, whose
``proto`` is 0. asyncio sets TCP_NODELAY on an accepted socket only when ``proto == IPPROTO_TCP``
(``asyncio.base_events._set_nodelay``), so Streamlit's connections keep Nagle on. A websocket
rerun answer or a second keep-alive HTTP response then waits for the browser's delayed ACK, about
40 ms on Linux, on every widget change. ``asyncio.start_server``, ``socket.create_server`` and
uvicorn's own binding all create ``IPPROTO_TCP`` sockets and get TCP_NODELAY; so did Streamlit's
Tornado server before 1.5x (``set_nodelay(True)`` on websockets).

How: ``install()`` wraps ``streamlit.web.server.starlette.starlette_server._bind_socket`` (the one
function that creates the listener; Streamlit's bind options, address, port search, backlog and
non-blocking mode are kept as they are) and re-wraps the socket it returns with
``proto=IPPROTO_TCP`` (``nodelay_listener``). Nothing else changes: no monkeypatch of asyncio,
uvicorn or the socket module. If a future Streamlit renames that function, the launcher says so
on stderr and runs Streamlit unchanged (slower, still correct); tests/test_bench.py then fails.
"""

from __future__ import annotations

import functools
import socket
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
_MARK = "_ks_nodelay"
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


def install() -> bool:
    """Make Streamlit's server create its listener with ``nodelay_listener``; return False if that is not possible."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    original = getattr(starlette_server, "_bind_socket", None)
    if not callable(original):
        return False
    if getattr(original, _MARK, False):
        return True

    @functools.wraps(original)
    def _bind_socket(address: str, port: int, backlog: int) -> socket.socket:
        return nodelay_listener(original(address, port, backlog))

    setattr(_bind_socket, _MARK, True)
    starlette_server._bind_socket = _bind_socket
    return True


def streamlit_argv(args: list[str]) -> list[str]:
    """The ``sys.argv`` for Streamlit's CLI: ``streamlit run SCRIPT [options]`` plus DEFAULT_OPTIONS not given."""
    args = list(args)
    script = args.pop(0) if args and args[0].endswith(".py") else str(APP)
    for option, value in DEFAULT_OPTIONS.items():
        if not any(arg == option or arg.startswith(option + "=") for arg in args):
            args.append(f"{option}={value}")
    return ["streamlit", "run", script, *args]


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run`` with the TCP_NODELAY listener and DEFAULT_OPTIONS; arguments as for ``streamlit run``."""
    argv = streamlit_argv(sys.argv[1:] if argv is None else argv)
    if not install():
        print("serve.py: could not install the TCP_NODELAY listener (Streamlit's server internals changed); "
              "running Streamlit without it.", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = argv
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
