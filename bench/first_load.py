"""What a first page load sends, element by element: ``python -m bench.first_load [--pages mal,ekonomi]``.

Opens each page of KS-utforskaren and of the bare app once over the websocket (bench/wsclient.py; both under
serve.py, the same launcher) and sorts every ForwardMsg of the first run into a part of the page: the protocol
(session, page list, end of run), the layout blocks, the menu frame in the sidebar (our CSS and JavaScript, the
menu, the language switch, the share link) and the page's own content, each element type with its count and bytes.
Bytes are the protobuf messages as sent (Streamlit leaves the websocket's per-message deflate off unless
``server.enableWebsocketCompression`` is set); ``deflated`` is what zlib makes of each message alone, what it would send
with compression on. Prints a Markdown table per page and writes it to
``bench/results/first-load-<timestamp>.md`` (and ``first-load-latest.md``), with the command that made it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers, wsclient  # noqa: E402
from bench.robust import start_result, write_result  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SIDEBAR = 1
PROTOCOL = ("new_session", "navigation", "page_info_changed", "page_config_changed", "script_finished",
            "session_status_changed", "page_not_found", "parent_message")
# Why each part is sent on a first load, in the words docs/performance.md uses.
WHY = {
    "protocol": "Streamlit's own: the session, the page list, the run's start and end",
    "layout": "the columns, containers and cards the elements stand in (one message per block)",
    "frame: styles and scripts": "ui/assets document.css + document.js: the layout fixes for phones, iPads and "
                                 "the projector, the html lang, keyboard-reachable tables",
    "frame: share link": "ui/assets share.css + share.js and the link of this view (copy button, QR code link)",
    "frame: menu": "our menu's page links (each keeps the page's view in its link), the app name",
    "frame: switches": "language and year switches",
    "frame: other": "other sidebar elements",
}


@dataclass(frozen=True)
class Part:
    """One line of a first load's account: where on the page, which element type."""

    part: str
    element: str


def classify(msg) -> Part:
    """Return the part of the page a ForwardMsg belongs to (see WHY) and its element type."""
    kind = msg.WhichOneof("type")
    if kind != "delta":
        return Part("protocol", kind)
    delta = msg.delta
    dtype = delta.WhichOneof("type")
    in_sidebar = list(msg.metadata.delta_path)[:1] == [SIDEBAR]
    if dtype != "new_element":
        return Part("frame: other" if in_sidebar else "layout", dtype)
    element = delta.new_element.WhichOneof("type")
    if not in_sidebar:
        return Part("content", element)
    if element == "html":
        body = delta.new_element.html.body
        return Part("frame: share link" if "ks-share" in body[:200] else "frame: styles and scripts", element)
    if element in ("page_link", "markdown", "heading"):
        return Part("frame: menu", element)
    if element in ("button_group", "selectbox", "radio", "segmented_control"):
        return Part("frame: switches", element)
    return Part("frame: other", element)


async def account_first_load(base_url: str, page_path: str, timeout_s: float = 60.0) -> dict:
    """Open ``page_path`` once; return {Part: [count, bytes, deflated bytes]} and the totals of its first run."""
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    parts: dict[Part, list[int]] = defaultdict(lambda: [0, 0, 0])
    async with websockets.connect(wsclient.get_stream_url(base_url), subprotocols=["streamlit"], max_size=None,
                                  open_timeout=timeout_s, close_timeout=2, ping_interval=None) as ws:
        await ws.send(wsclient.rerun_msg(page_path, ""))
        end = time.perf_counter() + timeout_s
        while True:
            raw = await asyncio.wait_for(ws.recv(), max(0.01, end - time.perf_counter()))
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            line = parts[classify(msg)]
            line[0] += 1
            line[1] += len(raw)
            line[2] += len(zlib.compress(raw, 6)) - 6  # zlib's 2-byte header and 4-byte checksum are not sent
            if msg.WhichOneof("type") == "script_finished":
                break
    totals = [sum(v[i] for v in parts.values()) for i in range(3)]
    return {"parts": dict(parts), "messages": totals[0], "bytes": totals[1], "deflated": totals[2]}


def format_account(app: str, page_path: str, account: dict) -> str:
    """Return one page's account as a Markdown table, the largest part first."""
    by_part: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for part, (n, size, deflated) in account["parts"].items():
        for i, v in enumerate((n, size, deflated)):
            by_part[part.part][i] += v
    lines = [f"### {app} /{page_path}: {account['messages']} messages, {account['bytes']:,} bytes "
             f"({account['deflated']:,} deflated)".replace(",", " "), "",
             "| part | messages | bytes | deflated | elements | why |", "|---|---:|---:|---:|---|---|"]
    for name, (n, size, deflated) in sorted(by_part.items(), key=lambda kv: -kv[1][1]):
        elements = sorted(((p.element, v) for p, v in account["parts"].items() if p.part == name),
                          key=lambda ev: -ev[1][1])
        listed = ", ".join(f"{e} {v[0]}×/{v[1]} B" for e, v in elements[:6])
        why = WHY.get(name, "the page's own headings, texts, tables, charts and widgets")
        lines.append(f"| {name} | {n} | {size} | {deflated} | {listed} | {why} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Account for the first load of every page of ours and of the bare app; print and write the tables."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", default="", help="only these page keys of ours (comma-separated, e.g. goals)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results (default bench/results)")
    a = p.parse_args(argv)
    wanted = {k for k in a.pages.split(",") if k}
    result = start_result(argv) | {"pages": {}}
    out = [f"# First load, element by element ({time.strftime('%Y-%m-%d %H:%M')})", "",
           f"`python -m bench.first_load{' --pages ' + a.pages if a.pages else ''}`; both apps under serve.py. "
           "Bytes as sent (Streamlit leaves the websocket's deflate off); deflated = each message compressed alone, "
           "if it were on.", ""]
    for app in (servers.ours(), servers.bare()):
        pages = [path for key, _script, path in app.pages if not wanted or app.name != "ours" or key in wanted]
        with servers.Server(app, "serve") as srv:
            srv.start()
            for path in pages:
                wsclient.run_async(account_first_load(srv.url, path))  # every view built once: a steady state
                account = wsclient.run_async(account_first_load(srv.url, path))
                out += [format_account(app.name, path, account), ""]
                result["pages"][f"{app.name} /{path}"] = {f"{part.part}: {part.element}": counts
                                                          for part, counts in account["parts"].items()}
    write_result(result, "\n".join(out), a.out, "first-load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
