"""Offline: a full tour of the app makes no request to any other origin (fonts, icons, CDNs, analytics, telemetry).

The server runs with the repository's .streamlit/config.toml and nothing else that could hide a gap (the shared
test server passes --browser.gatherUsageStats=false on its command line; this one does not). Every request and
WebSocket of the tour is recorded; anything whose origin is not the app's fails the test. A control app shows
that the recorder does catch an outside request (a ``:material/…:`` page icon, which Streamlit 1.67 still fetches
from fonts.gstatic.com; its Material Symbols font and Source Sans are served by the app itself).

The server process itself is watched too: started by serve.py (as `make run` does) in a network namespace of its
own whose only way out drops every packet and counts it (tests/netns_probe.py), it sends nothing from its start to a
run of every page. Plain Streamlit would ask checkip.amazonaws.com for an "External URL" at start; the control in
tests/test_serve.py shows the counter sees such a lookup.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

import ui
from ks_data.texts import get_text
from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rendered, wait_rerun
from tests.e2e.page_util import goal_card
from tests.e2e.server import REPO_ROOT, AppServer, free_port
from tests.netns_probe import run_probe

LOCAL_SCHEMES = ("data", "blob", "about")


def _start_plain_server(app_dir: Path, app_file: str = "app.py", base_path: str = "") -> AppServer:
    """Start `streamlit run` with only port, address (and base path) on the command line: every other setting is
    the config file's."""
    port = free_port()
    extra = [f"--server.baseUrlPath={base_path}"] if base_path else []
    fd, log_name = tempfile.mkstemp(prefix=f"streamlit-offline-{port}-", suffix=".log")
    with os.fdopen(fd, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", app_file, f"--server.port={port}", "--server.address=127.0.0.1",
             *extra],
            cwd=app_dir, env=dict(os.environ, PYTHONUNBUFFERED="1"), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
    server = AppServer(proc, port, Path(log_name))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{server.url}{'/' + base_path if base_path else ''}/_stcore/health",
                                        timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    log_text = server.log_text()
    server.stop()
    raise RuntimeError(f"streamlit did not start:\n{log_text}")


@pytest.fixture
def plain_server() -> Iterator[Callable[..., AppServer]]:
    """Factory: plain_server(app_dir=REPO_ROOT, base_path="") -> a server configured only by app_dir's
    .streamlit/config.toml (and the base path, as behind a reverse proxy)."""
    servers: list[AppServer] = []

    def start(app_dir: Path = REPO_ROOT, base_path: str = "") -> AppServer:
        server = _start_plain_server(Path(app_dir), base_path=base_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _record(page: Page) -> list[str]:
    """Record the URL of every request and WebSocket the page's browser context makes from now on."""
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return scheme, parts.netloc


def _outside(urls: list[str], server: AppServer) -> list[str]:
    """Return the recorded URLs that leave the app's origin (data:, blob: and about: URLs never touch the network)."""
    app = _origin(server.url)
    return sorted({u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and _origin(u) != app})


def _main(page: Page):
    return page.locator("[data-testid=stMain]")


def _open_everything(page: Page) -> None:
    """Open every expander, show a help tooltip, open and close a selectbox's list, hover a chart."""
    for summary in _main(page).locator("[data-testid=stExpander] summary").all():
        summary.click()
    tooltip = page.locator("[data-testid=stTooltipIcon]").first
    if tooltip.count():
        tooltip.hover()
        page.wait_for_timeout(300)
    select = _main(page).locator("[data-testid=stSelectbox] input").first
    if select.count():
        select.click()
        page.keyboard.press("Escape")
    chart = _main(page).locator("[data-testid=stVegaLiteChart]").first
    if chart.count():
        chart.hover()
        page.wait_for_timeout(300)


def _interact(page: Page, key: str) -> None:
    """The main interaction of each page (the ones that load something new: charts, a goal, a download)."""
    main = _main(page)
    if key == "goals":
        wait_rerun(page, goal_card(main, "1.3").click)
        expect(main.locator("h2").filter(has_text="1.3")).to_be_visible()
    elif key == "economy":
        wait_rerun(page, main.locator("[data-testid=stRadio] label").filter(has_text="Investeringar").click)
        slider = main.locator("[data-testid=stSlider] input[type=range]").first
        slider.focus()
        wait_rerun(page, lambda: page.keyboard.press("ArrowRight"))
    elif key == "comparisons":
        wait_rerun(page, lambda: page.get_by_role("switch", name="Visa som index").locator("..").locator("..").click())
    elif key == "about":
        button = main.locator("[data-testid=stDownloadButton] button").first
        with page.expect_download() as download:
            button.click()
        assert download.value.url.startswith("http://127.0.0.1")


BASE_PATH = "ks-utforskaren"  # served under a path, as behind the reverse proxy in the README's "Drift"


def test_a_full_tour_makes_no_request_outside_the_app(plain_server, new_page) -> None:
    server = plain_server(base_path=BASE_PATH)
    base = server.url_for(f"/{BASE_PATH}")
    page = new_page()
    urls = _record(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    goto_rendered(page, base + "/")
    for key, _script, url_path, text_key in ui.PAGES:
        # First through the menu, as a user goes; then as a deep link, as a shared address opens.
        link = sidebar.get_by_role("link", name=get_text(text_key))
        page.mouse.move(1, 1)  # let a tooltip from the last page close
        page.keyboard.press("Escape")
        if url_path:
            wait_rerun(page, link.click)
        goto_rendered(page, f"{base}/{url_path}")
        _open_everything(page)
        _interact(page, key)
        assert exception_texts(page) == [], key
    # An unknown page shows the default page, with a notice for a parameter it does not know.
    goto_rendered(page, f"{base}/finns-inte?mal=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    expect(_main(page).locator("h1").first).to_have_text(get_text("overview.title"))
    notice = _main(page).locator("[data-testid=stAlert]").filter(has_text="okänd parameter")
    expect(notice).to_be_visible()
    # A hostile value is shown as text, never run.
    goto_rendered(page, f"{base}/mal?mal=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&marginal=%5Bx%5D(javascript:alert(1))")
    expect(_main(page).locator("[data-testid=stAlert]").filter(has_text="ogiltigt värde").first).to_be_visible()
    assert "<img src=x onerror=alert(1)>" in _main(page).inner_text()
    assert _main(page).locator("img[src=x], a[href^='javascript']").count() == 0
    page.wait_for_timeout(1000)  # late requests (fonts, icons) of the last view
    wait_rendered(page)
    assert len(urls) > 50, urls  # the recorder saw the tour
    assert _outside(urls, server) == []
    assert page.page_errors == []


CONTROL_APP = """
import streamlit as st
st.set_page_config(page_title="Kontroll", page_icon=":material/home:")
st.title("Kontroll")
"""


def test_the_recorder_catches_a_request_outside_the_app(plain_server, new_page, tmp_path) -> None:
    """A control: a Material page icon makes Streamlit fetch the icon from Google; the recorder must see it."""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    (tmp_path / "app.py").write_text(CONTROL_APP)
    server = plain_server(tmp_path)
    page = new_page()
    urls = _record(page)
    goto_rendered(page, server.url_for("/"))
    page.wait_for_timeout(1000)
    assert any(u.startswith("https://fonts.gstatic.com/") for u in _outside(urls, server)), urls


def test_the_server_sends_nothing_outside_from_start_to_every_page() -> None:
    """serve.py with the repository's config: no packet leaves the machine (no external-IP lookup at start, none
    while every page runs), and the start-up banner names only the loopback address it listens on."""
    result = run_probe("visit")
    assert "error" not in result, result
    assert [p["page"] for p in result["pages"]] == [url_path for _key, _script, url_path, _text in ui.PAGES]
    assert all(p["exceptions"] == 0 and p["msgs"] > 10 for p in result["pages"]), result["pages"]
    assert result["sent"] == 0, result["log"]
    assert "External URL" not in result["log"] and "Did not auto detect" not in result["log"]
    assert "URL: http://127.0.0.1:" in result["log"], result["log"]
