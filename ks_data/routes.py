"""The route table: every page's key, script, address and menu text, and every URL parameter the app reads, with
what it means. Modules name pages and parameters through these constants (and build links through the ``get_*_link``
functions), never as string literals, so a renamed parameter is renamed in one place (datasette's url_builder.py is
the model).

A link inside the app is (page key, parameters): ui turns it into a ``st.page_link`` or a share URL.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

# Page keys (the first element of a route; also the prefix of a page widget's session key, "goals.mal").
OVERVIEW = "overview"
GOALS = "goals"
ECONOMY = "economy"
COMPARISONS = "comparisons"
ACTIVITIES = "activities"
ABOUT = "about"
SEARCH = "search"
ACCESSIBILITY = "accessibility"

# URL parameters of the frame: they hold for the whole session and every link the app makes carries them.
LANG = "lang"
PRESENTATION = "presentation"
YEAR = "ar"
# URL parameters of presentation mode's screens (read only while ``presentation=1``).
SCREEN = "skarm"
QR = "qr"
# Streamlit's own parameters: any page accepts them and the app leaves them alone.
STREAMLIT_PARAMS = ("embed", "embed_options")

# URL parameters of the pages.
GOAL_AREA = "omrade"
STATUS = "status"
TOLERANCE = "marginal"
GOAL = "mal"
STATEMENT = "tabell"
PART = "visa"
AS_PERCENT = "procent"
THRESHOLD = "grans"
THRESHOLD_PCT = "grans_pct"
METRIC = "matt"
PERIOD = "period"
AS_INDEX = "index"
BELONGS_TO = "verksamhet"
TABLE = "tabell"
QUERY = "q"
# The value of a filter parameter that shows everything (activity.ALL, comparison.ALL, the goals page's ALL).
ALL = "alla"


@dataclass(frozen=True)
class Route:
    """One page: its key, its script (relative to the app root), its URL path, the text key of its menu entry, and
    the URL parameters its widgets are bound to (name -> what it holds)."""

    key: str
    script: str
    path: str
    nav_key: str
    params: tuple[tuple[str, str], ...] = ()


# The menu's order. Every URL parameter a page reads is declared here: ui.state.Page refuses to bind another.
ROUTES: tuple[Route, ...] = (
    Route(OVERVIEW, "app.py", "", "nav.overview"),
    Route(GOALS, "pages/1_mal.py", "mal", "nav.goals", (
        (GOAL_AREA, "goal area shown, or alla"), (STATUS, "status shown, or alla"),
        (TOLERANCE, "margin in percent for the computed status"), (GOAL, "the opened goal's id, absent if none"))),
    Route(ECONOMY, "pages/2_ekonomi.py", "ekonomi", "nav.economy", (
        (STATEMENT, "the statement (statements.STATEMENTS)"), (PART, "the part of it shown (economy.PARTS)"),
        (AS_PERCENT, "1: threshold in percent"), (THRESHOLD, "deviation threshold in tkr"),
        (THRESHOLD_PCT, "deviation threshold in percent"))),
    Route(COMPARISONS, "pages/3_jamforelsetal.py", "jamforelsetal", "nav.comparisons", (
        (METRIC, "one measure's slug, or alla"), (PERIOD, "measure years low-high"), (AS_INDEX, "1: as index"))),
    Route(ACTIVITIES, "pages/4_aktiviteter.py", "aktiviteter", "nav.activities", (
        (STATUS, "status shown, or alla"), (BELONGS_TO, "verksamhet shown, or alla"))),
    Route(ABOUT, "pages/5_om_data.py", "om_data", "nav.about", ((TABLE, "the table of the data dictionary"),)),
    Route(SEARCH, "pages/7_sok.py", "sok", "nav.search", ((QUERY, "the words searched for"),)),
    Route(ACCESSIBILITY, "pages/6_tillganglighet.py", "tillganglighet", "nav.accessibility"),
)
ROUTE_BY_KEY = {route.key: route for route in ROUTES}
# The frame's and presentation mode's parameters (their defaults and checks are in ui.state.FRAME_PARAMS).
FRAME_PARAM_NAMES = (LANG, PRESENTATION, YEAR)
SCREEN_PARAM_NAMES = (SCREEN, QR)


def get_page_params(page_key: str) -> tuple[str, ...]:
    """Return the names of the URL parameters page ``page_key`` binds to its widgets."""
    return tuple(name for name, _ in ROUTE_BY_KEY[page_key].params)


def get_goal_link(goal_id: str) -> tuple[str, dict[str, str]]:
    """Return the link to Mål och styrtal with goal ``goal_id`` opened."""
    return GOALS, {GOAL: str(goal_id)}


def get_activities_link() -> tuple[str, dict[str, str]]:
    """Return the link to Aktiviteter with every status and verksamhet shown."""
    return ACTIVITIES, {STATUS: ALL, BELONGS_TO: ALL}


def get_statement_link(statement: str, part: str | None = None) -> tuple[str, dict[str, str]]:
    """Return the link to Ekonomi showing ``statement`` (and its part ``part``, if given)."""
    return ECONOMY, {STATEMENT: statement} | ({PART: part} if part is not None else {})


def get_dictionary_link(table: str) -> tuple[str, dict[str, str]]:
    """Return the link to Om data with ``table`` chosen in the data dictionary."""
    return ABOUT, {TABLE: table}


def get_unknown_page(page_name: str) -> str | None:
    """Return the page name a browser asked for when no page has it (Streamlit then runs Översikt), else None."""
    name = page_name.strip("/")
    return name if name and name not in {route.path for route in ROUTES} else None


def _fold(text: str) -> str:
    # "Mål", "MAL" and "mal" name the same page: case and accents are folded away, as a person typing an address may.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("-", "_").strip("/ ")


def find_page(name: str) -> str | None:
    """Return the key of the page an unknown page path most likely meant ("Mal", "Mål", "ekonmi", "om-data"), or
    None when none is close."""
    by_path = {_fold(route.path): route.key for route in ROUTES if route.path}
    match = difflib.get_close_matches(_fold(name), list(by_path), n=1, cutoff=0.75)
    return by_path[match[0]] if match else None
