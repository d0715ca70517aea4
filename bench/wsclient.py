"""A protocol-level Streamlit client: one session = open a page over /_stcore/stream, then change one widget.

It speaks what the browser speaks (BackMsg.rerun_script with the page's URL name and query string,
ForwardMsg back until script_finished), with Streamlit's own protobuf classes, but renders nothing
and fetches no static files, so a 2-core machine can hold 100 sessions and still measure the server.
A widget change sends every widget's current state (as the frontend does) with one value changed:
the first slider in the main area (+1 step, or -1 at the top), else the first selectbox or radio
(another option), else the first toggle or checkbox (flipped).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

MAIN = 0  # delta_path[0]: 0 = main area, 1 = sidebar
ALERT_ERROR = 1
WIDGET_ORDER = ("slider", "selectbox", "radio", "checkbox")


def run_async(coro):
    """Run ``coro`` to its end and return its result, also where this thread already runs an event loop (a test
    process that holds Playwright's sync browser does): then on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def get_stream_url(base_url: str) -> str:
    """The WebSocket address of the app at ``base_url``, under its path if it has one (behind a proxy, baseUrlPath)."""
    parts = urlsplit(base_url)
    return f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


def rerun_msg(page_name: str, query: str, widgets: list[WidgetState] | None = None) -> bytes:
    """The BackMsg the frontend sends to run a page (page_name = the URL path, e.g. "mal"; "" = main page)."""
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string = query
    rerun.page_name = page_name
    rerun.page_script_hash = ""
    for w in widgets or []:
        rerun.widget_states.widgets.append(w)
    return msg.SerializeToString()


def _current_state(kind: str, el) -> WidgetState | None:
    """The WidgetState that keeps a widget at its shown value."""
    w = WidgetState(id=el.id)
    if kind == "slider":
        w.double_array_value.data.extend(list(el.value) if el.set_value else list(el.default))
    elif kind in ("selectbox", "radio"):
        if el.HasField("raw_value"):
            w.string_value = el.raw_value
        elif el.HasField("default") and 0 <= el.default < len(el.options):
            w.string_value = el.options[el.default]
        else:
            return None
    elif kind == "checkbox":
        w.bool_value = el.value if el.set_value else el.default
    else:
        return None
    return w


def _changed_state(kind: str, el) -> tuple[WidgetState, str]:
    """A WidgetState that changes the widget, and a description of the change."""
    w = _current_state(kind, el) or WidgetState(id=el.id)
    if kind == "slider":
        values = list(w.double_array_value.data)
        upper = values[1] if len(values) > 1 else el.max
        step = el.step or 1
        first = values[0] + step if values[0] + step <= upper else values[0] - step
        del w.double_array_value.data[:]
        w.double_array_value.data.extend([first, *values[1:]])
        return w, f"slider {el.label!r} {values} -> {[first, *values[1:]]}"
    if kind in ("selectbox", "radio"):
        current = w.string_value
        target = next((o for o in el.options if o != current), current)
        w.string_value = target
        return w, f"{kind} {el.label!r} {current!r} -> {target!r}"
    w.bool_value = not w.bool_value
    return w, f"checkbox {el.label!r} -> {w.bool_value}"


async def read_run(ws, timeout_s: float) -> dict:
    """Read ForwardMsgs until script_finished; collect the main-area widgets, exceptions and error alerts."""
    info: dict = {"widgets": [], "exceptions": 0, "error_alerts": 0, "msgs": 0, "bytes": 0}
    end = time.perf_counter() + timeout_s
    while True:
        raw = await asyncio.wait_for(ws.recv(), max(0.01, end - time.perf_counter()))
        info["msgs"] += 1
        info["bytes"] += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            el_type = el.WhichOneof("type")
            if el_type == "exception":
                info["exceptions"] += 1
            elif el_type == "alert" and el.alert.format == ALERT_ERROR:
                info["error_alerts"] += 1
            elif el_type in WIDGET_ORDER and list(msg.metadata.delta_path)[:1] == [MAIN]:
                info["widgets"].append((el_type, getattr(el, el_type)))
        elif kind == "script_finished":
            info["status"] = msg.script_finished
            return info


def pick_widget(widgets: list) -> tuple[str, object] | None:
    """The widget a session changes: the first main-area slider, else selectbox, radio, checkbox."""
    for wanted in WIDGET_ORDER:
        for kind, el in widgets:
            if kind == wanted and not el.disabled:
                return kind, el
    return None


async def session(base_url: str, page_path: str, query: str = "", change: bool = True,
                  timeout_s: float = 60.0) -> dict:
    """One session: connect, run the page, then (if ``change``) change one widget; times in seconds."""
    import websockets

    ws_url = get_stream_url(base_url)
    rec: dict = {"page": page_path, "ok": False, "exceptions": 0, "error_alerts": 0}
    try:
        t0 = time.perf_counter()
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout_s,
                                      close_timeout=2, ping_interval=None) as ws:
            rec["connect_s"] = time.perf_counter() - t0
            await ws.send(rerun_msg(page_path, query))
            first = await read_run(ws, timeout_s)
            rec["load_s"] = time.perf_counter() - t0
            rec["msgs"], rec["bytes"] = first["msgs"], first["bytes"]
            rec["exceptions"], rec["error_alerts"] = first["exceptions"], first["error_alerts"]
            if change:
                picked = pick_widget(first["widgets"])
                if picked is None:
                    raise RuntimeError(f"no widget to change on /{page_path}")
                changed, rec["change"] = _changed_state(*picked)
                states = [changed if el.id == changed.id else _current_state(kind, el)
                          for kind, el in first["widgets"]]
                t1 = time.perf_counter()
                await ws.send(rerun_msg(page_path, query, [s for s in states if s is not None]))
                second = await read_run(ws, timeout_s)
                rec["interaction_s"] = time.perf_counter() - t1
                rec["exceptions"] += second["exceptions"]
                rec["error_alerts"] += second["error_alerts"]
            rec["total_s"] = time.perf_counter() - t0
            rec["ok"] = rec["exceptions"] == 0
    except Exception as exc:  # noqa: BLE001 - a failed session is a result, not a crash of the benchmark
        rec["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    return rec


async def repeated_changes(base_url: str, page_path: str, n: int, timeout_s: float = 60.0) -> dict:
    """One session: open the page, then change its widget ``n`` times back and forth; each change timed alone."""
    import websockets

    out: dict = {"page": page_path, "changes": [], "exceptions": 0}
    async with websockets.connect(get_stream_url(base_url), subprotocols=["streamlit"], max_size=None,
                                  open_timeout=timeout_s, close_timeout=2, ping_interval=None) as ws:
        await ws.send(rerun_msg(page_path, ""))
        first = await read_run(ws, timeout_s)
        picked = pick_widget(first["widgets"])
        if picked is None:
            raise RuntimeError(f"no widget to change on /{page_path}")
        changed, out["change"] = _changed_state(*picked)
        shown = [_current_state(kind, el) for kind, el in first["widgets"]]
        there = [changed if s is not None and s.id == changed.id else s for s in shown]
        for i in range(n):
            states = there if i % 2 == 0 else shown
            t0 = time.perf_counter()
            await ws.send(rerun_msg(page_path, "", [s for s in states if s is not None]))
            run = await read_run(ws, timeout_s)
            out["changes"].append(time.perf_counter() - t0)
            out["exceptions"] += run["exceptions"]
    return out


async def run_sessions(base_url: str, pages: list[str], n: int, deadline_s: float, change: bool = True,
                       query: str = "") -> list[dict]:
    """Run ``n`` sessions at once, round-robin over ``pages`` (each with ``query``); sessions still running at the
    deadline count as failed."""
    tasks = [asyncio.create_task(session(base_url, pages[i % len(pages)], query=query, change=change))
             for i in range(n)]
    done, pending = await asyncio.wait(tasks, timeout=deadline_s)
    for task in pending:
        task.cancel()
    return [t.result() for t in done] + [{"ok": False, "error": "deadline exceeded"} for _ in pending]


def has_widget(base_url: str, page_path: str) -> bool:
    """True if the page shows a widget this client can change."""
    rec = asyncio.run(session(base_url, page_path, change=True, timeout_s=60))
    return "interaction_s" in rec
