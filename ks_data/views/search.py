"""Free-text search across the report's texts, with context snippets and the place in the app to go to.

Pure functions (no Streamlit). ``find_hits`` searches the latest year of:

- goals: title, definition, the report's assessment sentence, comment, analysis, action;
- indicators: name, note;
- activities: name, description, belongs_to, status, comment;
- narrative: each paragraph, bullet and footnote, and each section heading once.

Matching: case-insensitive (Python's Unicode case rules, so "greta" finds "Greta" and "åtgärd"
finds "Åtgärd") but accent-sensitive (a, å and ä are different letters), always literal (no regular
expressions or wildcards). Each word of the query must occur in the same text (a word may be part
of a longer word: "Corona" finds "Coronapandemin"); a query in double quotes is one phrase.
Whitespace in the data and the query counts as one space. The report writes some things two ways,
so a reader's way finds both: a hyphen is any dash ("65-74" finds "65–74", and the other way round),
and a number's per cent sign stands with or without a space ("80%" and "80 %" find both). One hit per
text, with the number of places it matches.

Where a hit links to (page key and URL parameters):

- a goal's texts and its indicators: Mål och styrtal with the goal opened (``routes.get_goal_link``);
- an activity: Aktiviteter with both filters at "alla", so the activity is in the list;
- the narrative: "Årets verksamhet" → Översikt (its "Året i korthet" card); an economy section →
  Ekonomi with that statement ("Ekonomi" itself, the year's result, → the operating statement
  "drift"); every other section (Ansvarsområde, Uppföljning av privata utförare) has no page of its
  own, so it links to Om data with the narrative table ("Löptext") chosen, where it can be downloaded.
  The search page shows these paragraphs in full, since no page does.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pandas as pd

from ks_data import routes
from ks_data import schema as s
from ks_data.statements import STATEMENTS, format_statement
from ks_data.texts import get_text
from ks_data.values import is_blank

CONTEXT_CHARS = 60
ELLIPSIS = "…"
QUOTES = "\"“”„«»"
MAX_QUERY_CHARS = 200
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, non-breaking hyphen, figure dash, en and em dash, minus

# Output columns of find_hits.
WHERE = "where"          # Swedish label of the place: "Mål 1.3 › Analys"
SNIPPET = "snippet"      # the matching text in context, "…" where it was cut
SPANS = "spans"          # [(start, end), ...] of the matches inside SNIPPET
COUNT = "count"          # how many matches the whole text holds
TABLE = "table"          # table code the text comes from
FIELD = "field"          # column the text comes from ("section" for a section heading)
ITEM = "item"            # goal id, indicator or activity name, or narrative section
TEXT = "text"            # the whole text, whitespace as stored
PAGE = "page"            # ui.PAGES key of the link target
PARAMS = "params"        # the link target's URL parameters, {name: value}
LINK_LABEL = "link_label"
COLUMNS = (WHERE, SNIPPET, SPANS, COUNT, TABLE, FIELD, ITEM, TEXT, PAGE, PARAMS, LINK_LABEL)

GOAL_FIELDS = ((s.TITLE, "col.title"), (s.DEFINITION, "goals.definition"),
               (s.ASSESSMENT_TEXT, "goals.report_assessment"), (s.COMMENT, "goals.comment"),
               (s.ANALYSIS, "goals.analysis"), (s.ACTION, "goals.action"))
INDICATOR_FIELDS = ((s.NAME, None), (s.NOTE, "col.note"))
ACTIVITY_FIELDS = ((s.NAME, None), (s.DESCRIPTION, "activities.col.description"),
                   (s.BELONGS_TO, "activities.col.belongs_to"), (s.STATUS, "activities.col.status"),
                   (s.COMMENT, "activities.col.comment"))
OVERVIEW_SECTION = "Årets verksamhet"
ECONOMY_SECTION = "Ekonomi"
ECONOMY_DEFAULT_STATEMENT = "drift"



def normalize_text(text) -> str:
    """Return ``text`` as searched and shown in a snippet: NFC, every run of whitespace one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def get_terms(query: str | None) -> list[str]:
    """Return the search terms of ``query``: its words (duplicates dropped), or one phrase if it is in quotes."""
    if query is None:
        return []
    # "80 %" is one term, the number's: as two words, "%" alone would match (and mark) every per cent sign.
    text = re.sub(r"(?<=\d) (?=%)", "", normalize_text(query)[:MAX_QUERY_CHARS].strip())
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        phrase = text.strip(QUOTES).strip()
        return [phrase] if phrase else []
    words = [w for w in (w.strip(QUOTES) for w in text.split()) if w]
    return _dedupe(words)


def _dedupe(words: list[str]) -> list[str]:
    seen, out = set(), []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            out.append(word)
    return out


@functools.lru_cache(maxsize=256)
def _pattern(term: str) -> re.Pattern:
    # Cached: find_spans asks for the same term once for each of the report's ~750 texts.
    dash = "[" + re.escape(DASHES) + "]"
    parts = []
    for i, char in enumerate(term):
        if char.isspace():
            parts.append(r"\s+")
        elif char in DASHES:
            parts.append(dash)
        elif char == "%" and i and term[i - 1].isdigit():
            parts.append(r"\s?%")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE)


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Return the merged (start, end) spans of every term in ``text``, or [] unless every term occurs."""
    spans = []
    for term in terms:
        found = [m.span() for m in _pattern(term).finditer(text) if m.end() > m.start()]
        if not found:
            return []
        spans += found
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def get_snippet(text: str, spans: list[tuple[int, int]], context: int = CONTEXT_CHARS
                ) -> tuple[str, list[tuple[int, int]]]:
    """Return the text around the first span (``context`` characters either side, cut between words, "…" where
    cut) and the spans that fall inside it, relative to the snippet."""
    if not spans:
        return text, []
    first_start, first_end = spans[0]
    start = first_start - context
    if start <= 0:
        start = 0
    else:
        space = text.find(" ", start, first_start)
        start = space + 1 if space != -1 else text.rfind(" ", 0, start) + 1
    end = first_end + context
    if end >= len(text):
        end = len(text)
    else:
        space = text.rfind(" ", first_end, end)
        if space == -1:
            space = text.find(" ", end)
        end = space if space != -1 else len(text)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(a, start) + shift, min(b, end) + shift) for a, b in spans if a < end and b > start]
    return f"{prefix}{text[start:end]}{suffix}", inside


def _latest(df: pd.DataFrame | None) -> pd.DataFrame:
    if df is None or df.empty:
        return pd.DataFrame()
    return df[df[s.YEAR] == df[s.YEAR].max()].sort_values(s.POSITION, kind="stable")


def _texts(frames: dict[str, pd.DataFrame], lang: str):
    """Yield (sort key, table, field, item, where, raw text, page, params, link label) for every searchable text."""
    goals = _latest(frames.get(s.GOALS))
    goal_order = {g: i for i, g in enumerate(goals[s.GOAL_ID])} if not goals.empty else {}
    for _, row in goals.iterrows():
        goal_id = row[s.GOAL_ID]
        link = (*routes.get_goal_link(goal_id), get_text("search.link.goal", lang, goal_id=goal_id))
        for i, (column, key) in enumerate(GOAL_FIELDS):
            where = get_text("search.where.goal", lang, goal_id=goal_id, field=get_text(key, lang))
            yield (0, goal_order[goal_id], 0, i), s.GOALS, column, goal_id, where, row.get(column), *link
    indicators = _latest(frames.get(s.INDICATORS))
    for n, (_, row) in enumerate(indicators.iterrows()):
        goal_id, name = row[s.GOAL_ID], row[s.NAME]
        link = (*routes.get_goal_link(goal_id), get_text("search.link.goal", lang, goal_id=goal_id))
        for i, (column, key) in enumerate(INDICATOR_FIELDS):
            where = (get_text("search.where.indicator", lang, goal_id=goal_id, name=name) if key is None else
                     get_text("search.where.indicator_field", lang, goal_id=goal_id, name=name,
                              field=get_text(key, lang)))
            order = goal_order.get(goal_id, len(goal_order))
            yield (0, order, 1, n, i), s.INDICATORS, column, name, where, row.get(column), *link
    activities = _latest(frames.get(s.ACTIVITIES))
    link = (*routes.get_activities_link(), get_text("search.link.activities", lang))
    for n, (_, row) in enumerate(activities.iterrows()):
        name = row[s.NAME]
        for i, (column, key) in enumerate(ACTIVITY_FIELDS):
            where = (get_text("search.where.activity", lang, name=name) if key is None else
                     get_text("search.where.activity_field", lang, name=name, field=get_text(key, lang)))
            yield (1, n, i), s.ACTIVITIES, column, name, where, row.get(column), *link
    narrative = _latest(frames.get(s.NARRATIVE))
    economy_sections = {get_section(frames.get(table)): key for key, table in STATEMENTS.items()}
    numbers: dict[tuple[str, str], int] = {}
    for n, (_, row) in enumerate(narrative.iterrows()):
        section, kind = row[s.SECTION], row[s.KIND]
        link = get_narrative_link(section, economy_sections, lang)
        if not any(key[0] == section for key in numbers):
            yield (2, n, 0), s.NARRATIVE, s.SECTION, section, \
                get_text("search.where.section", lang, section=section), section, *link
        numbers[(section, kind)] = numbers.get((section, kind), 0) + 1
        kind_key = kind if kind in s.NARRATIVE_KINDS else "paragraph"
        where = get_text(f"search.where.narrative.{kind_key}", lang, section=section, n=numbers[(section, kind)])
        yield (2, n, 1), s.NARRATIVE, s.TEXT, section, where, row.get(s.TEXT), *link


def get_section(df: pd.DataFrame | None) -> str | None:
    """Return the report section of a table's first row, or None for a missing or empty table."""
    return None if df is None or df.empty else str(df[s.SECTION].iloc[0])


def get_narrative_link(section: str, economy_sections: dict[str | None, str], lang: str = "sv"
                       ) -> tuple[str, dict[str, str], str]:
    """Return (page key, URL parameters, link label) for a narrative section (see the module docstring)."""
    if section == OVERVIEW_SECTION:
        return routes.OVERVIEW, {}, get_text("search.link.overview", lang)
    statement = economy_sections.get(section)
    if statement is None and (section == ECONOMY_SECTION or section.startswith(f"{ECONOMY_SECTION} ›")):
        statement = ECONOMY_DEFAULT_STATEMENT
    if statement is not None:
        return *routes.get_statement_link(statement), get_text("search.link.economy", lang,
                                                               statement=format_statement(statement, lang))
    return *routes.get_dictionary_link(s.NARRATIVE), get_text("search.link.about", lang)


def find_hits(frames: dict[str, pd.DataFrame], query: str | None, lang: str = "sv") -> pd.DataFrame:
    """Return one row per text (latest year) that matches ``query``, in the app's order: goals with their
    indicators, activities, narrative. Columns: see COLUMNS. An empty query finds nothing."""
    terms = get_terms(query)
    rows = []
    if terms:
        for sort_key, table, field, item, where, raw, page, params, label in _texts(frames, lang):
            if is_blank(raw):
                continue
            text = normalize_text(raw)
            spans = find_spans(text, terms)
            if not spans:
                continue
            snippet, inside = get_snippet(text, spans)
            rows.append((sort_key, {WHERE: where, SNIPPET: snippet, SPANS: inside, COUNT: len(spans), TABLE: table,
                                    FIELD: field, ITEM: item, TEXT: str(raw), PAGE: page, PARAMS: params,
                                    LINK_LABEL: label}))
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame([r[1] for r in rows], columns=list(COLUMNS))


def format_count(n: int, query: str, lang: str = "sv") -> str:
    """Return "3 träffar för "Greta"" ("1 träff …", "Inga träffar …")."""
    key = "search.count.none" if n == 0 else "search.count.one" if n == 1 else "search.count"
    return get_text(key, lang, n=n, query=normalize_text(query))
