"""ks_data/routes.py: one route table names every page and URL parameter; links are built from it."""

from __future__ import annotations

import re

import pytest

from ks_data import routes
from ks_data.texts import TEXTS
from ks_data.views import activities as activity
from ks_data.views import comparisons as comparison
from tests.helpers import REPO_ROOT


def test_every_route_has_a_script_a_unique_address_and_a_menu_text():
    assert len({r.key for r in routes.ROUTES}) == len({r.path for r in routes.ROUTES}) == len(routes.ROUTES)
    for route in routes.ROUTES:
        assert (REPO_ROOT / route.script).is_file(), route.script
        assert route.nav_key in TEXTS["sv"] and route.nav_key in TEXTS["en"], route.nav_key


def test_a_page_parameter_is_never_a_frame_or_screen_parameter():
    # The frame's parameters hold for the whole session: a page widget of the same name would fight over them.
    frame = {*routes.FRAME_PARAM_NAMES, *routes.SCREEN_PARAM_NAMES, *routes.STREAMLIT_PARAMS}
    for route in routes.ROUTES:
        names = routes.get_page_params(route.key)
        assert len(set(names)) == len(names) and not frame & set(names), route.key


def test_the_all_value_is_the_one_the_filters_use():
    assert routes.ALL == activity.ALL == comparison.ALL


@pytest.mark.parametrize(("link", "expected"), [
    (routes.get_goal_link("1.3"), ("goals", {"mal": "1.3"})),
    (routes.get_activities_link(), ("activities", {"status": "alla", "verksamhet": "alla"})),
    (routes.get_statement_link("drift"), ("economy", {"tabell": "drift"})),
    (routes.get_statement_link("nettokostnad", "budget"), ("economy", {"tabell": "nettokostnad", "visa": "budget"})),
    (routes.get_dictionary_link("narrative"), ("about", {"tabell": "narrative"})),
])
def test_a_link_names_a_page_and_parameters_it_declares(link, expected):
    assert link == expected
    page, params = link
    assert set(params) <= set(routes.get_page_params(page))


@pytest.mark.parametrize("module", ["ks_data/views/search.py", "ks_data/views/presentation.py", "ui/presentation.py",
                                    "ui/frame.py", "ui/state.py"])
def test_modules_name_pages_and_parameters_through_the_route_table(module):
    source = (REPO_ROOT / module).read_text(encoding="utf-8")
    names = {p for r in routes.ROUTES for p in routes.get_page_params(r.key)} | {*routes.FRAME_PARAM_NAMES,
                                                                               *routes.SCREEN_PARAM_NAMES}
    names |= {r.key for r in routes.ROUTES if r.key not in ("search", "economy", "goals")}  # also common words
    found = sorted(n for n in names if re.search(rf"""[\[({{,=] ?["']{re.escape(n)}["'] ?[:,)\]]""", source))
    assert not found, f"{module} spells {found} as literals: use ks_data.routes"


@pytest.mark.parametrize(("page_name", "expected"), [
    ("", None),                  # Översikt
    ("mal", None),
    ("mal/", None),
    ("Mal", "Mal"),              # the name of no page: Streamlit runs Översikt
    ("nyheter", "nyheter"),
    ("/om_data/", None),
    ("Mål", "Mål"),
])
def test_a_page_name_is_unknown_only_when_no_route_has_it(page_name, expected):
    assert routes.get_unknown_page(page_name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Mal", routes.GOALS),
    ("MÅL", routes.GOALS),
    ("Ekonmi", routes.ECONOMY),
    ("om-data", routes.ABOUT),
    ("omdata", routes.ABOUT),
    ("sök", routes.SEARCH),
    ("Jamforelsetal", routes.COMPARISONS),
    ("nyheter", None),
    ("index.html", None),
    ("ekonomi/2020", None),
])
def test_the_page_an_unknown_address_meant_is_found_despite_case_accents_and_a_typo(name, expected):
    assert routes.find_page(name) == expected
