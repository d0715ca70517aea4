"""serve.py keeps the server off the internet: Streamlit's external-IP lookup (two blocking GETs to
checkip.amazonaws.com) is never made, at start or for a request from a foreign Origin or Host; and a page address
with more than one segment is sent to its page instead of a blank page.

The server tests run it in a network namespace of its own where outbound packets are dropped (tests/netns_probe.py,
DNS included, one 1 s try): there each lookup blocked Streamlit's event loop, and so every session, for ~2 s (with
the machine's own resolver settings, 12 s). The TCP_NODELAY listener and the other launcher options are tested in
tests/test_bench.py; the redirect in a browser in tests/e2e/test_links.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import serve
from tests.netns_probe import run_probe

# What a normal session may wait for one answer while foreign connections arrive: far below the lookup's 2 s and
# more (a health check answers in milliseconds, a rerun of Översikt in tens), generous for a loaded 2-core machine.
HEALTH_BOUND_S = 1.0
RERUN_BOUND_S = 1.5


def test_external_ip_is_not_known_and_never_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """After install_no_external_ip the lookup answers None and makes no request; installing twice is harmless."""
    from streamlit import net_util
    from streamlit.web.server import server_util

    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)  # restored after the test
    asked = []
    monkeypatch.setattr(net_util, "_make_blocking_http_get", lambda url, timeout=5: asked.append(url))
    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "10.0.0.5")  # not even a UDP socket towards 8.8.8.8
    assert serve.install_no_external_ip() and serve.install_no_external_ip()
    assert net_util.get_external_ip() is None
    assert not server_util.is_url_from_allowed_origins("http://evil.example")
    assert server_util.is_url_from_allowed_origins("http://10.0.0.5:8501")  # the machine's own address still is
    assert server_util.is_url_from_allowed_origins("http://localhost:8501")
    assert server_util.is_url_from_allowed_origins("http://127.0.0.1:8501")
    assert asked == []


def test_foreign_origins_neither_reach_out_nor_stall_a_normal_session() -> None:
    """Foreign-Origin WebSockets (a hostile page, "null", an unknown host name or IP) are refused at once, nothing
    leaves the machine, and a normal session's health checks and reruns meanwhile are not held up by seconds."""
    result = run_probe("origin", "--foreign", "8")
    assert "error" not in result, result
    assert len(result["foreign"]) == 8
    assert all("InvalidStatus" in outcome for outcome in result["foreign"]), result["foreign"]
    assert result["sent"] == 0, result["log"]
    assert result["health_waits"] and result["rerun_waits"]
    assert max(result["health_waits"]) < HEALTH_BOUND_S, result["health_waits"]
    assert max(result["rerun_waits"]) < RERUN_BOUND_S, result["rerun_waits"]


def test_the_probe_sees_streamlits_own_lookup() -> None:
    """Control: under plain `streamlit run`, one foreign Origin makes the server ask for its external IP ("Did not
    auto detect external IP", packets out of the namespace) and holds up the normal session for seconds: the test
    above would see it if serve.py let it through (as the offline test would see the lookup at start)."""
    result = run_probe("origin", "--stock", "--foreign", "1")
    assert "error" not in result, result
    assert "Did not auto detect external IP" in result["log"]
    assert result["sent"] > 0
    assert max(result["health_waits"]) > HEALTH_BOUND_S, result["health_waits"]


STATIC_ENTRIES = frozenset({"static", "favicon.png", "index.html", "manifest.json"})
DOCUMENT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends for a page


@pytest.mark.parametrize(("path", "accept", "target"), [
    ("/ekonomi/extra", DOCUMENT, "../ekonomi"),              # something pasted after the page
    ("/mal/extra/mer", DOCUMENT, "../../mal"),
    ("/Mål/x", DOCUMENT, "../M%C3%A5l"),                     # the Location header is ASCII
    ("/nyheter/2020", DOCUMENT, "../nyheter"),               # an unknown first segment: the app names it
    ("/ekonomi//x", DOCUMENT, "../../ekonomi"),              # an empty segment counts, as the browser resolves it
    ("/ekonomi", DOCUMENT, None),                            # a page: Streamlit serves it
    ("/", DOCUMENT, None),
    ("/ekonomi/extra/", DOCUMENT, None),                     # Streamlit's own trailing-slash redirect comes first
    ("/ekonomi/extra", "*/*", None),                         # a script or fetch, not a page being opened
    ("/ekonomi/extra", "", None),
    ("/ekonomi/_stcore/health", DOCUMENT, None),             # the frontend's probe for the base path must stay 404
    ("/static/js/index.js", DOCUMENT, None),                 # Streamlit's files
    ("/favicon.png/x", DOCUMENT, None),
    ("/ekonomi/../etc/passwd", DOCUMENT, None),              # left to Streamlit's 400
])
def test_a_page_address_with_more_than_one_segment_is_sent_to_its_first_segment(path, accept, target):
    assert serve.get_page_redirect(path, accept, STATIC_ENTRIES) == target


def test_the_redirect_wraps_streamlits_static_files_once():
    from streamlit.web.server.starlette import starlette_static_routes

    assert serve.install_page_path_redirect() and serve.install_page_path_redirect()
    handler = starlette_static_routes.create_streamlit_static_handler(directory=str(Path(__file__).parent),
                                                                      base_url=None)
    assert isinstance(handler, serve.PagePathRedirect)
    assert not isinstance(handler.app, serve.PagePathRedirect), "installed twice, wrapped twice"
