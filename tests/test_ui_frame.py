"""ui/frame.py: the frame around every page, as a user meets it: the language switch and the year selector change the
whole page and keep the link's view, the menu and page links restore a page's last view, "Dela vy" shows the view's
address, a bad frame value in a link is one Swedish notice on a working page, and a widget change inside a part
redraws only that part."""

from __future__ import annotations

import functools
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest, local_script_runner

import ui.frame
from ks_data.texts import TEXTS
from tests.apptest_util import TIMEOUT, assert_clean, get_all_text, get_params, get_share_link, open_page
from tests.helpers import DATA_DIR, get_bad_value_notice
from tests.years_data import NET_RESULT, two_year_data, two_years  # noqa: F401 - fixtures used by name

ECONOMY = "pages/2_ekonomi.py"
SEARCH = "pages/7_sok.py"



def _query(link) -> dict[str, list[str]]:
    return parse_qs(link.proto.query_string)


def _menu(at) -> dict[str, dict[str, list[str]]]:
    """Return the sidebar's links (the menu and "Presentationsläge") by label, each with its parameters."""
    return {link.proto.label: _query(link) for link in at.sidebar.get("page_link")}


def _document_lang(at) -> str:
    """Return the language the page declares on the document (<html lang>) for screen readers."""
    scripts = [h.proto.body for h in at.sidebar.get("html") if "documentElement.lang" in h.proto.body]
    assert len(scripts) == 1, "the sidebar declares the document's language once"
    return scripts[0].split("documentElement.lang = ", 1)[1].split(";", 1)[0].strip('"')


def _follow(at, label: str):
    """Follow the sidebar link ``label`` as a click does: to its page, with its parameters as the page's link."""
    link = next(link.proto for link in at.sidebar.get("page_link") if link.proto.label == label)
    at.query_params.clear()
    at.query_params.update({key: values if len(values) > 1 else values[0]
                            for key, values in parse_qs(link.query_string).items()})
    at.switch_page(next(script for _, script, path, _ in ui.frame.PAGES if path == link.page)).run()
    assert_clean(at)
    return at


def _switch_language(at, lang: str):
    at.sidebar.get("button_group")[0].set_value(lang).run()
    assert_clean(at)
    return at


def _outcome(at) -> str:
    """Return Ekonomi's outcome card (the net result's outcome) as shown, with plain spaces."""
    return next(m.value for m in at.metric if m.label.startswith("Utfall")).replace("\u00a0", " ")


def _tkr(amount: int) -> str:
    return f"{amount:,} tkr".replace(",", " ").replace("-", "−")


def _year_select(at):
    boxes = [b for b in at.sidebar.selectbox if b.key == ui.frame.YEAR_SELECT_KEY]
    return boxes[0] if boxes else None


# --- the language switch ----------------------------------------------------------------------------------------------


# Pages AppTest can switch back to Swedish: it formats a selectbox's options outside the page run, in Swedish, and
# then cannot find an English page's choice among them (Mål and Aktiviteter; see tests/test_language.py).
@pytest.mark.parametrize(("script", "params", "swedish", "english"), [
    (ECONOMY, {"tabell": "investeringar", "visa": "budget"}, "Ekonomi", "Finances"),
    ("pages/3_jamforelsetal.py", {"period": "2019-2020", "index": "1"}, "Jämförelsetal", "Comparative figures"),
    (SEARCH, {"q": "Greta"}, "Sök i rapporten", "Search the report"),
])
def test_the_language_switch_changes_the_whole_page_and_keeps_the_links_view(script, params, swedish, english):
    at = open_page(script, params)
    assert_clean(at)
    before = get_params(at)
    assert params.items() <= before.items() and at.title[0].value == swedish
    _switch_language(at, "en")
    assert at.title[0].value == english
    assert get_params(at) == before | {"lang": "en"}
    assert _document_lang(at) == "en"
    assert all(query.get("lang") == ["en"] for query in _menu(at).values())
    assert "lang=en" in get_share_link(at)
    _switch_language(at, "sv")
    assert at.title[0].value == swedish
    assert get_params(at) == before
    assert _document_lang(at) == "sv"
    assert all("lang" not in query for query in _menu(at).values())


# --- the year selector ------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("two_years")
@pytest.mark.parametrize(("params", "year", "kept"), [
    ({"visa": "budget"}, 2020, {"visa": "budget", "tabell": "nettokostnad"}),
    ({"ar": "2020", "grans": "1000"}, 2021, {"grans": "1000", "visa": "avvikelser"}),
])
def test_the_year_selector_writes_the_year_into_the_link_and_keeps_the_view(params, year, kept):
    at = open_page(ECONOMY, params)
    _year_select(at).set_value(year).run()
    assert_clean(at)
    assert _year_select(at).value == year
    assert get_params(at)["ar"] == str(year) and kept.items() <= get_params(at).items()
    assert f"ar={year}" in get_share_link(at)
    assert _outcome(at) == _tkr(NET_RESULT[year][1])


@pytest.mark.usefixtures("two_years")
def test_a_chosen_year_the_data_no_longer_holds_falls_back_to_the_latest_quietly(monkeypatch):
    at = open_page("pages/1_mal.py", {"ar": "2021"})
    assert _year_select(at).value == 2021
    monkeypatch.setenv("KS_DATA_DIR", str(DATA_DIR))  # the data is replaced by one without 2021
    at.query_params.clear()  # the next page's own link, as a menu click gives it
    at.switch_page(ECONOMY).run()
    assert_clean(at)
    assert not at.warning
    assert _outcome(at) == _tkr(NET_RESULT[2020][1])
    assert _year_select(at) is None and "ar" not in get_params(at) and "ar=" not in get_share_link(at)
    # The menu of that very run leads to the years there are: a link with ar=2021 would open on a notice.
    assert all("ar" not in params for params in _menu(at).values()), _menu(at)


# --- the menu and page links ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("frame", [{}, {"lang": "en"}])
def test_the_menu_restores_each_pages_last_view_but_not_the_current_pages(frame):
    # Sök, then Ekonomi from the menu, then back to Sök from the menu: both views are remembered in the session.
    lang = frame.get("lang", "sv")
    at = open_page(SEARCH, {"q": "Greta"} | frame)
    for key in ("nav.economy", "nav.search"):
        _follow(at, TEXTS[lang][key])
    carried = {key: [value] for key, value in frame.items()}
    menu = _menu(at)
    assert menu[TEXTS[lang]["nav.economy"]] == {"tabell": ["nettokostnad"], "visa": ["avvikelser"], "procent": ["0"],
                                                "grans": ["500"]} | carried
    assert menu[TEXTS[lang]["nav.search"]] == carried  # the page itself: its view lives in the session
    assert menu[TEXTS[lang]["nav.overview"]] == carried
    assert get_params(at) == {"q": "Greta"} | frame
    start = next(link.proto for link in at.sidebar.get("page_link") if link.proto.label == TEXTS[lang]["pres.nav.start"])
    assert start.page == "sok" and parse_qs(start.query_string) == carried | {"presentation": ["1"]}


# Översikt's cards link with ui.page_link: to a page's remembered view, or to the parameters the card names.
@pytest.mark.parametrize(("visited", "frame", "label", "expected"), [
    (None, {}, "Till Ekonomi", {}),
    (None, {}, "Till Investeringar", {"tabell": ["investeringar"]}),
    ({"visa": "budget"}, {}, "Till Ekonomi", {"tabell": ["nettokostnad"], "visa": ["budget"]}),
    ({"visa": "budget"}, {}, "Till Investeringar", {"tabell": ["investeringar"]}),
    (None, {"lang": "en"}, "To Investments", {"tabell": ["investeringar"], "lang": ["en"]}),
])
def test_a_page_link_goes_to_the_pages_address_with_its_params(visited, frame, label, expected):
    if visited is None:
        at = open_page(None, frame)
    else:
        at = open_page(ECONOMY, visited | frame)
        at.query_params.clear()
        at.switch_page("app.py").run()
    assert_clean(at)
    links = [link for link in at.main.get("page_link") if link.proto.label == label]
    assert len(links) == 1, [link.proto.label for link in at.main.get("page_link")]
    assert links[0].proto.page == "ekonomi" and _query(links[0]) == expected


# --- the share link ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "script", "params", "expected"), [
    (None, ECONOMY, {"visa": "budget"}, "http://localhost:8501/ekonomi?tabell=nettokostnad&visa=budget"),
    ("https://ks.example.se/rapport/ekonomi?visa=budget", ECONOMY, {"visa": "budget", "lang": "en"},
     "https://ks.example.se/rapport/ekonomi?tabell=nettokostnad&visa=budget&lang=en"),
    ("https://ks.example.se/rapport/mal", None, {"lang": "en"}, "https://ks.example.se/rapport?lang=en"),
    ("https://ks.example.se/", SEARCH, {"q": "Greta Thunberg"}, "https://ks.example.se/sok?q=Greta+Thunberg"),
])
def test_the_share_link_is_the_current_views_address_on_the_browsers_host(address, script, params, expected):
    at = open_page(script, params)
    if address is not None:
        at.context["url"] = address  # the address the browser shows
        at.run()
    assert_clean(at)
    assert get_share_link(at) == expected


# --- a bad frame value in a link ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "notice"), [
    ({"lang": "fr"}, get_bad_value_notice("lang", "fr")),
    ({"lang": ["en", "sv"]}, get_bad_value_notice("lang", "en, sv")),
    ({"lang": "**fet**"}, get_bad_value_notice("lang", r"\*\*fet\*\*")),
    ({"lang": "x" * 100}, get_bad_value_notice("lang", "x" * 40 + "…")),
    ({"presentation": "2"}, get_bad_value_notice("presentation", "2")),
    ({"ar": "1999"}, get_bad_value_notice("ar", "1999")),
    ({"lang": "en", "ar": "1999"}, 'The link held an invalid value for "ar" (1999). The default is shown instead.'),
])
def test_a_bad_frame_value_in_a_link_is_one_notice_on_a_page_that_still_works(params, notice):
    at = open_page(ECONOMY, params)
    assert_clean(at)
    assert [w.value for w in at.warning] == [notice]
    english = params.get("lang") == "en"
    assert at.title[0].value == ("Finances" if english else "Ekonomi")
    assert get_params(at) == {"tabell": "nettokostnad", "visa": "avvikelser", "procent": "0", "grans": "500"} | (
        {"lang": "en"} if english else {})
    assert len(at.sidebar.get("page_link")) == len(ui.frame.PAGES) + 1  # the menu and "Presentationsläge"
    # The page goes on: a widget change reads the cleaned link, so the notice is not shown again.
    at.slider(key="economy.grans").set_value(1000).run()
    assert_clean(at)
    assert not at.warning and get_params(at)["grans"] == "1000"


# --- a page's parts ---------------------------------------------------------------------------------------------------


def _parts_page() -> None:
    """A page (Ekonomi's key and parameters) with a widget of its own and two parts, each with a widget; every text
    counts the runs that drew it."""
    import streamlit as st

    import ui.frame
    import ui.state

    def count(name: str) -> None:
        runs = st.session_state[name] = st.session_state.get(name, 0) + 1
        st.markdown(f"{name} {runs}")

    def toggle_part(name: str) -> None:
        count(name)
        page.toggle("procent", False, "Procent")

    def slider_part(name: str) -> None:
        count(name)
        page.slider("grans", 0, 5000, 500, "Gräns", step=100)

    def render() -> None:
        count("content")
        page.select("visa", ["avvikelser", "budget"], "avvikelser", "Del")
        ui.frame.run_part(page, toggle_part, "first part")
        ui.frame.run_part(page, slider_part, "second part")

    page = ui.state.Page(key="economy", notices=st.container())
    count("page")
    ui.frame.run_page(page, render)


def _failing_page() -> None:
    """A page whose first part breaks."""
    import streamlit as st

    import ui.frame
    import ui.state

    def broken() -> None:
        st.markdown("broken part")
        raise RuntimeError("a bug")

    def render() -> None:
        ui.frame.run_part(page, broken)
        ui.frame.run_part(page, st.markdown, "the next part")

    page = ui.state.Page(key="search", notices=st.container())
    ui.frame.run_page(page, render)


def _run_only_part(at: AppTest, index: int) -> AppTest:
    """Rerun only the ``index``-th part the page drew (0: run_page's, the whole content), as the browser asks when a
    widget inside that part changes; AppTest itself reruns the whole page on every change. The parts are AppTest's
    stored fragments, in the order they were first drawn."""
    fragment = list(at._fragment_storage._fragments)[index]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(local_script_runner, "RerunData", functools.partial(RerunData, fragment_id_queue=[fragment]))
        at.run()
    return at


def _texts(at) -> list[str]:
    return [m.value for m in at.main.markdown]


@pytest.mark.parametrize(("kind", "key", "value", "part", "redrawn", "link"), [
    ("toggle", "economy.procent", True, 1, ["first part 2"], {"visa": "avvikelser", "procent": "1", "grans": "500"}),
    ("slider", "economy.grans", 1000, 2, ["second part 2"], {"visa": "avvikelser", "procent": "0", "grans": "1000"}),
    ("selectbox", "economy.visa", "budget", 0, ["content 2", "first part 2", "second part 2"],
     {"visa": "budget", "procent": "0", "grans": "500"}),
], ids=["first-part", "second-part", "content"])
def test_a_widget_change_in_a_part_redraws_only_that_part_and_writes_the_link(kind, key, value, part, redrawn, link):
    at = AppTest.from_function(_parts_page, default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert _texts(at) == ["page 1", "content 1", "first part 1", "second part 1"]
    assert get_params(at) == {"visa": "avvikelser", "procent": "0", "grans": "500"}
    getattr(at, kind)(key=key).set_value(value)
    _run_only_part(at, part)
    assert_clean(at)
    assert _texts(at) == redrawn  # nothing else is sent again: the browser keeps what the rest of the page showed
    assert not at.sidebar.get("html"), "the share link is not drawn again"
    assert at.session_state["page"] == 1
    assert get_params(at) == link
    # The next whole run draws everything again, with the changed value.
    at.run()
    assert _texts(at)[0] == "page 2" and getattr(at, kind)(key=key).value == value
    assert get_params(at) == link
    assert parse_qs(urlsplit(get_share_link(at)).query) == {param: [text] for param, text in link.items()}


def test_a_broken_part_is_a_swedish_message_and_the_rest_of_the_page_still_shows():
    at = AppTest.from_function(_failing_page, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == [TEXTS["sv"]["error.unexpected"]]
    assert "Något gick fel" in at.error[0].value and "a bug" not in get_all_text(at)
    assert _texts(at) == ["broken part", "the next part"]
    assert get_share_link(at) == "http://localhost:8501/sok"

