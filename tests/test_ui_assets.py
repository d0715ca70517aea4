"""ui/assets: the share link's own formatting: what the sidebar's share link shows and copies."""

from __future__ import annotations

import json

import pytest

import ui.assets
import ui.display
from ks_data.viewtable import TABLE_CLASS


@pytest.mark.parametrize(("url", "shown"), [
    ("http://intra.timra.se/ks/mal?mal=1.3&lang=en", "http://intra.timra.se/ks/mal?mal=1.3&amp;lang=en"),
    ('https://x.se/sok?q=%22%3E%3Cscript%3E', "https://x.se/sok?q=%22%3E%3Cscript%3E"),
    ('http://x.se/"><img src=x onerror=alert(1)>', "http://x.se/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
])
def test_the_share_link_is_escaped_in_text_and_target(url, shown):
    html = ui.assets.get_share_html(url, "sv")
    assert f'href="{shown}">{shown}</a>' in html
    assert f'data-ks-copy="{shown}"' in html
    assert "<img" not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_only_a_web_address_becomes_a_share_link(url):
    html = ui.assets.get_share_html(url, "sv")
    assert 'href=""' in html and "alert" not in html and "passwd" not in html


@pytest.mark.parametrize(("lang", "button"), [("sv", "Kopiera länken"), ("en", "Copy link"), ("xx", "Kopiera länken")])
def test_the_copy_button_speaks_the_ui_language(lang, button):
    assert f">{button}</button>" in ui.assets.get_share_html("http://x.se/", lang)


@pytest.mark.parametrize("selector", [
    f".{TABLE_CLASS} ", f".{ui.display.SR_ONLY} ", f".st-key-{ui.display.SPLIT_KEY} ",
    f".st-key-{ui.display.SPLIT_KEY}_side", f".st-key-{ui.display.SPLIT_KEY}_main",
    f".st-key-{ui.display.GOAL_LIST_KEY} button",
])
def test_the_document_style_names_our_keys(selector):
    # The CSS is a real file: it names the keys literally, so a renamed key must be renamed there too.
    assert selector in (ui.assets.ASSETS_DIR / "document.css").read_text(encoding="utf-8")
    assert selector.strip() in ui.assets.read_asset("document.css")  # and the pages get it


@pytest.mark.parametrize("lang", ["sv", "en", "xx"])
def test_the_document_script_is_one_script_with_its_style(lang):
    html = ui.assets.get_document_script(lang)
    assert html.count("<script>") == 1 and html.count("<style>") == 1
    assert f"document.documentElement.lang = {json.dumps(lang)};" in html
    assert "%(" not in html and '"switchKey": "_ks_lang_switch"' in html


def test_presentation_mode_has_its_style_and_keys():
    html = ui.assets.get_presentation_html()
    assert "<style>" in html and "ks_pres_" in html and "ArrowRight" in html


@pytest.mark.parametrize("name", ["document.css", "document.js", "share.css", "share.js", "presentation.css",
                                  "presentation.js"])
def test_pages_get_the_assets_without_their_comments(name):
    # Every full run of every session sends them: the comments stay in the files, not on the wire.
    written = (ui.assets.ASSETS_DIR / name).read_text(encoding="utf-8")
    sent = ui.assets.read_asset(name)
    assert "/*" not in sent and "\n//" not in sent and "\n\n" not in sent
    assert len(sent) < 0.9 * len(written)
