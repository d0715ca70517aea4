"""Running the app's pages with Streamlit's AppTest, as a user opening a link would."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from ks_data.viewtable import TABLE_CLASS
from ui import MORE_PREFIX, SR_ONLY

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = str(REPO_ROOT / "app.py")
TIMEOUT = 60
_components = None  # Streamlit's custom-component registry, discovered once instead of on every AppTest


def new_app_test() -> AppTest:
    """Return an AppTest of app.py; each new AppTest would otherwise rescan the installed packages (~0.1 s)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if _components is not None and hasattr(at, "_bidi_component_manager"):
        at._bidi_component_manager = _components
    return at


def _keep_components(at: AppTest) -> None:
    global _components
    _components = getattr(at, "_bidi_component_manager", None) or _components


def open_page(script: str | None = None, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """Run the app, then open ``script`` (e.g. "pages/1_mal.py"; None = Översikt) with ``params`` as its link."""
    at = new_app_test()
    if script is None:
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        _keep_components(at)
        return at
    # AppTest always runs the entrypoint first; the page's own link params are set before switching.
    at.run()
    _keep_components(at)
    at.query_params.clear()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.switch_page(script).run()


def open_deep_link(script: str | None, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """Open ``script`` (None = Översikt) as the first request of a new session, as a deep link does in the browser:
    in Streamlit's classic ``pages/`` mode the page script runs alone, without app.py before it."""
    at = new_app_test()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if script is not None:
        at.switch_page(script)
    at.run()
    _keep_components(at)
    return at


def get_expander_key(expander) -> str:
    """Return the widget key of a keyed expander (its open state in st.session_state)."""
    return expander.proto.id.split("-", 2)[2]


def open_chart_extras(at: AppTest, required: bool = True) -> AppTest:
    """Open every chart's "Visa som tabell och ladda ner" (its table twin and files are made only while it is open), as
    a user does by clicking each; return the AppTest after the rerun (unchanged if there is none and not ``required``)."""
    keys = [get_expander_key(e) for e in at.expander if "-" + MORE_PREFIX in e.proto.id]
    if not keys and not required:
        return at
    assert keys, "the page shows no chart with a table and downloads"
    for key in keys:
        at.session_state[key] = True
    return at.run()


class _TableReader(HTMLParser):
    """Reads the headers, cells and name of a view table drawn by ui.show_table (viewtable.format_html_table)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.label: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.label = dict(attrs).get("aria-label")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            (self.headers if tag == "th" else self.rows[-1]).append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_table(body: str) -> pd.DataFrame:
    """Return a view table's HTML as the user reads it: the headers as columns, every cell as its text."""
    reader = _TableReader()
    reader.feed(body)
    rows = [r for r in reader.rows if r]
    frame = pd.DataFrame(rows, columns=reader.headers) if rows else pd.DataFrame(columns=reader.headers)
    frame.attrs["label"] = reader.label
    return frame


def get_table_bodies(at) -> list[str]:
    """Return the HTML of the page's small view tables (ui.show_table), in order."""
    return [h.proto.body for h in at.get("html") if h.proto.body.startswith(f'<div class="{TABLE_CLASS}"')]


def get_tables(at) -> list[pd.DataFrame]:
    """Return the small view tables of the page (ui.show_table), in order, each as read by the user."""
    return [read_table(body) for body in get_table_bodies(at)]


# A chart's text alternative, in its caption for screen readers only (ui.show_chart with a label).
SR_ONLY_SPAN = re.compile(rf'\s*<span class="{SR_ONLY}">(.*?)</span>', re.S)


def get_captions(at: AppTest) -> list[str]:
    """Return the captions as they are shown: the parts for screen readers only left out."""
    return [SR_ONLY_SPAN.sub("", c.value) for c in at.caption]


def get_chart_descriptions(at: AppTest) -> list[str]:
    """Return the text alternatives that charts redrawn by a widget give in their captions, for screen readers."""
    return [m.group(1) for c in at.caption for m in SR_ONLY_SPAN.finditer(c.value)]


def get_all_text(at: AppTest) -> str:
    """Return every text a user reads on the page (markdown, captions, metrics, button labels, tables, alerts) as one
    string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "warning", "info", "success", "error"):
        # What a screen reader reads counts too: a caption's hidden part is kept, its markup is not.
        parts += [SR_ONLY_SPAN.sub(r" \1", str(e.value)) for e in getattr(at, kind)]
    for m in at.metric:
        parts += [m.label, str(m.value), str(m.delta)]
    parts += [b.label for b in at.button]  # Mål's goal cards are buttons: number, title and statuses
    for tbl in get_tables(at):
        parts.append(tbl.to_string())
    for df in at.dataframe:
        parts.append(df.value.to_string())
    # Users read a no-break space as a space; Markdown escapes are not shown either.
    return "\n".join(parts).replace("\\", "").replace("\u00a0", " ")


# The block id of a phone's layout that ui.show_chart draws beside a chart (ui.display.NARROW_PREFIX + the key).
PHONE_TWIN = "-ks_narrow_"


def get_charts(at: AppTest, phone: bool = False) -> list:
    """Return the page's charts in page order: without the phone layouts ui.show_chart draws beside some of them, or
    (``phone``) only those."""
    found = []

    def walk(node, in_twin: bool) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and proto.DESCRIPTOR.name == "VegaLiteChart" and in_twin == phone:
            found.append(node)
        block_id = getattr(proto, "id", "") if proto is not None and proto.DESCRIPTOR.name == "Block" else ""
        for child in (getattr(node, "children", None) or {}).values():
            walk(child, in_twin or PHONE_TWIN in block_id)

    walk(at._tree, False)
    return found


def get_chart_specs(at: AppTest) -> list[dict]:
    """Return the Vega-Lite specs of the page's charts (not the phone layouts beside some, see get_charts)."""
    return [json.loads(c.proto.spec) for c in get_charts(at)]


def get_chart_data(at: AppTest, index: int = 0, phone: bool = False):
    """Return the first dataset of chart ``index`` (of the phone layouts with ``phone``) as a DataFrame."""
    chart = get_charts(at, phone)[index]
    return dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.datasets[0].data.data)


def assert_clean(at: AppTest) -> None:
    """Fail if the run raised or showed an error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def unescape(value) -> str:
    """Return a table cell as the user reads it: Markdown escapes removed, no-break spaces as spaces."""
    return re.sub(r"\\(.)", r"\1", str(value)).replace("\u00a0", " ")


def get_params(at: AppTest) -> dict[str, str]:
    """Return the address bar's parameters after the last run (one value each)."""
    return dict(at.query_params)


def get_share_link(at: AppTest) -> str:
    """Return the link "Dela vy" shows in the sidebar (the text of the link, as a user copies it)."""
    bodies = [h.proto.body for h in at.sidebar.get("html") if "data-ks-share" in h.proto.body]
    assert len(bodies) == 1, "the sidebar shows one share link"
    found = re.search(r'<a class="ks-share-url" href="([^"]*)">([^<]*)</a>', bodies[0])
    assert found and found.group(1) == found.group(2), "the link's text is its target"
    return html.unescape(found.group(2))
