"""The page's own CSS and JavaScript, as real files beside this module, each read once per process.

- ``document.js`` / ``document.css``: on every page (ui.frame.render_document_fixes) and screen. Streamlit hard-codes
  <html lang="en"> (streamlit#8399, #15726), so the document's language is set from the session's UI language. A wide
  view table that overflows its column must be reachable by keyboard (WCAG 2.1.1, axe "scrollable-region-focusable"),
  so a scroll box that scrolls gets tabindex, role and a name (the table's own, or a generic one). The style places
  split rows by their keys (ui.display.SPLIT_KEY, GOAL_LIST_KEY) and keeps buttons that Streamlit shows only on
  mouse hover shown, so Tab reaches them.
- ``share.css`` / ``share.js``: the share link's look and its copy button (ui.frame.show_share_link).
- ``presentation.css`` / ``presentation.js``: presentation mode's large type and its arrow keys (ui.presentation).

The CSS names our keys literally (a test checks them against the constants); JavaScript gets its values as the
argument of the function the file holds.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from urllib.parse import urlsplit

import rcssmin
import rjsmin

from ks_data.texts import DEFAULT_LANG, LANGUAGES, get_text
from ks_data.viewtable import TABLE_CLASS

ASSETS_DIR = Path(__file__).resolve().parent
# BCP 47 tag of each UI language, for <html lang>.
DOCUMENT_LANGS = {"sv": "sv", "en": "en"}
# Key of the language switch (ui.frame); document.js gives each of its options its own language.
LANG_SWITCH_KEY = "_ks_lang_switch"
# The share link as a plain link with a copy button of our own. Not st.code: its copy button comes with Streamlit's
# 1.5 MB syntax highlighter, which every page then fetched and compiled on first load (docs/performance.md).
SHARE_HTML = """<div class="ks-share" data-ks-share>
<a class="ks-share-url" href="%(url)s">%(url)s</a>
<button type="button" class="ks-share-copy" data-ks-copy="%(url)s">%(copy)s</button>
<span class="ks-share-status" role="status" data-ok="%(ok)s" data-failed="%(failed)s"></span>
</div>
"""


MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


@functools.cache
def read_asset(name: str) -> str:
    """Return the asset file ``name`` (e.g. "document.css") minified, read once per process."""
    # The files keep their comments (why a rule is there); the pages get them without: every full run of every
    # session sends the document's style and script, 8.6 kB as written, 5.0 kB minified (docs/performance.md).
    path = ASSETS_DIR / name
    return MINIFIERS[path.suffix](path.read_text(encoding="utf-8"))


def get_document_script(lang: str, unknown_page: bool = False) -> str:
    """Return the page script that declares the document's language ``lang`` and makes wide tables keyboard-scrollable,
    with the document's style; with ``unknown_page`` it closes the dialog Streamlit opens for an address naming no
    page (the page says so in its own language instead)."""
    texts_lang = lang if lang in LANGUAGES else DEFAULT_LANG
    config = {"tableLabel": get_text("a11y.table_scroll", texts_lang), "switchKey": LANG_SWITCH_KEY,
              "tableClass": TABLE_CLASS, "switchLangs": [DOCUMENT_LANGS[code] for code in LANGUAGES],
              "unknownPage": unknown_page}
    return (f"<script>\ndocument.documentElement.lang = {json.dumps(DOCUMENT_LANGS.get(lang, lang))};\n"
            f"{read_asset('document.js').rstrip()}({json.dumps(config)});\n</script>\n"
            f"<style>\n{read_asset('document.css')}</style>")


def get_share_html(url: str, lang: str) -> str:
    """Return the share link as HTML: the link itself (escaped; only an http(s) address becomes a link target) and a
    button that copies it."""
    if urlsplit(url).scheme not in ("http", "https"):
        url = ""
    texts_lang = lang if lang in LANGUAGES else DEFAULT_LANG
    return (SHARE_HTML % {"url": html.escape(url, quote=True),
                          "copy": html.escape(get_text("share.copy", texts_lang)),
                          "ok": html.escape(get_text("share.copied", texts_lang), quote=True),
                          "failed": html.escape(get_text("share.copy_failed", texts_lang), quote=True)}
            + f"<style>\n{read_asset('share.css')}</style>\n<script>\n{read_asset('share.js')}</script>")


def get_presentation_html() -> str:
    """Return presentation mode's style and its keyboard script (one per process)."""
    return (f"<style>\n{read_asset('presentation.css')}</style>\n"
            f"<script>\n{read_asset('presentation.js')}</script>")
