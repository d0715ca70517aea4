"""ui.py's own formatting: what the sidebar's share link shows and copies."""

from __future__ import annotations

import pytest

import ui


@pytest.mark.parametrize(("url", "shown"), [
    ("http://intra.timra.se/ks/mal?mal=1.3&lang=en", "http://intra.timra.se/ks/mal?mal=1.3&amp;lang=en"),
    ('https://x.se/sok?q=%22%3E%3Cscript%3E', "https://x.se/sok?q=%22%3E%3Cscript%3E"),
    ('http://x.se/"><img src=x onerror=alert(1)>', "http://x.se/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
])
def test_the_share_link_is_escaped_in_text_and_target(url, shown):
    html = ui.get_share_html(url, "sv")
    assert f'href="{shown}">{shown}</a>' in html
    assert f'data-ks-copy="{shown}"' in html
    assert "<img" not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_only_a_web_address_becomes_a_share_link(url):
    html = ui.get_share_html(url, "sv")
    assert 'href=""' in html and "alert" not in html and "passwd" not in html


@pytest.mark.parametrize(("lang", "button"), [("sv", "Kopiera länken"), ("en", "Copy link"), ("xx", "Kopiera länken")])
def test_the_copy_button_speaks_the_ui_language(lang, button):
    assert f">{button}</button>" in ui.get_share_html("http://x.se/", lang)
