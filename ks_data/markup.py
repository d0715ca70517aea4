"""Text from the data made inert for Streamlit's Markdown: escaping, highlighted search hits, status badges, and
cleaning of text from a link. No Streamlit here: ui draws what these return."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^])")
STATUS_BADGE_COLORS = {"fulfilled": "green", "met": "green", "partly": "orange", "near": "orange",
                       "not_fulfilled": "red", "missed": "red"}
# A value from a link shown in a notice is cut to this many characters.
MAX_PARAM_SHOWN = 40


def escape_markdown(text) -> str:
    """Return ``text`` with every Markdown character escaped, so data is shown as written and never as markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def escape_inline(text) -> str:
    """Return ``text`` escaped for Markdown that may hold our own HTML: "<" and ">" are escaped by escape_markdown,
    and "&" is escaped too, so it cannot start an entity."""
    return escape_markdown(text).replace("&", "\\&")


def format_highlighted(text: str, spans: Sequence[tuple[int, int]], color: str = "orange") -> str:
    """Return ``text`` as inert Markdown with each (start, end) span bold on a coloured background (never colour
    alone); every part is escaped, "&" too, so neither the text nor the spans can become markup or an entity."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(escape_inline(text[pos:start]))
        out.append(f":{color}-background[**{escape_inline(text[start:end])}**]")
        pos = end
    out.append(escape_inline(text[pos:]))
    return "".join(out)


def get_badge_color(status: str | None) -> str:
    """Return the badge colour of a status key (goal or indicator status); gray for none or an unknown one."""
    return STATUS_BADGE_COLORS.get(status, "gray")


def format_badges(items: list[tuple[str | None, str]]) -> str:
    """Return Markdown for status badges on one line; each carries symbol and word, never colour alone."""
    return " ".join(f":{get_badge_color(status)}-badge[{escape_markdown(label)}]" for status, label in items)


def clean_text(value: str) -> str:
    """Return ``value`` with control characters (tabs, line breaks, NUL) as spaces and invisible format
    characters (zero-width, text-direction overrides) removed."""
    out = []
    for char in str(value):
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category not in ("Cf", "Cs"):
            out.append(char)
    return "".join(out)


def shorten(value: str, max_chars: int = MAX_PARAM_SHOWN) -> str:
    """Return ``value`` cut to ``max_chars`` characters with "…" when longer (a value from a link in a notice)."""
    return value if len(value) <= max_chars else value[:max_chars] + "…"
