"""Presentation mode through AppTest, as a user opening links and pressing its buttons: every page turns into a
screen, the buttons move through the screens across pages with the address following, the mode survives page
changes, a bad screen name gives a notice, "Avsluta presentation" ends it, and the QR code holds the screen's link."""

from __future__ import annotations

import base64

import pytest

import ui
from ks_data import schema as s
from ks_data.views import presentation
from tests.apptest_util import assert_clean, get_all_text, get_params, open_deep_link, open_page
from tests.helpers import real_table
from tests.years_data import NET_RESULT, two_year_data, two_years  # noqa: F401 - fixtures used by name

SCREENS = presentation.get_screens(real_table(s.GOALS))
FIRST_TITLE = {"overview": "Årets resultat 2020", "goals": "Målen 2020 enligt rapportens bedömning",
               "economy": "Budget och utfall 2020 per verksamhet", "comparisons": "Jämförelsetal 2018–2020"}
SCRIPTS = [(key, script) for key, script, _, _ in ui.PAGES]


def _title(at) -> str:
    return at.title[0].value.replace("\\", "")



def _click(at, key: str):
    at.button(key=key).click().run()
    assert_clean(at)
    return at


def _assert_screen(at, slug: str) -> None:
    """Assert that the run shows screen ``slug`` with its own link in the address and no sidebar."""
    assert_clean(at)
    assert get_params(at).get("skarm") == slug, get_params(at)
    assert get_params(at).get("presentation") == "1"
    assert not at.sidebar.get("page_link"), "presentation mode shows no sidebar menu"
    assert [b.key for b in at.button] == ["ks_pres_prev", "ks_pres_next", "ks_pres_qr", "ks_pres_exit"]


@pytest.mark.parametrize(("key", "script"), SCRIPTS, ids=[k for k, _ in SCRIPTS])
def test_every_page_opened_in_presentation_mode_shows_a_screen(key, script):
    at = open_page(None if script == "app.py" else script, {"presentation": "1"})
    slug = SCREENS[presentation.get_first_screen(SCREENS, key)].slug
    _assert_screen(at, slug)
    # Pages without screens of their own start the sequence from its first screen.
    assert _title(at) == FIRST_TITLE.get(key, FIRST_TITLE["overview"])


@pytest.mark.parametrize(("key", "script"), SCRIPTS[1:4], ids=[k for k, _ in SCRIPTS[1:4]])
def test_a_deep_link_as_the_first_request_shows_the_screen(key, script):
    at = open_deep_link(script, {"presentation": "1"})
    _assert_screen(at, SCREENS[presentation.get_first_screen(SCREENS, key)].slug)
    assert _title(at) == FIRST_TITLE[key]


def test_next_and_previous_move_through_every_screen_across_pages():
    at = open_page(None, {"presentation": "1"})
    _assert_screen(at, "resultat")
    assert at.button(key="ks_pres_prev").disabled
    seen = [_title(at)]
    for screen in SCREENS[1:]:
        _click(at, "ks_pres_next")
        _assert_screen(at, screen.slug)
        seen.append(_title(at))
        assert f"{SCREENS.index(screen) + 1} / {len(SCREENS)}" in get_all_text(at)
    assert at.button(key="ks_pres_next").disabled
    assert len(set(seen)) == len(SCREENS)
    for screen in reversed(SCREENS[:-1]):
        _click(at, "ks_pres_prev")
        _assert_screen(at, screen.slug)
    assert _title(at) == "Årets resultat 2020"


def test_a_screens_own_link_opens_it():
    at = open_page("pages/1_mal.py", {"presentation": "1", "skarm": "malomrade-3"})
    _assert_screen(at, "malomrade-3")
    assert _title(at) == "Målområde 3"
    text = get_all_text(at)
    assert "3.1 Våra ledtider följer servicedeklarationen" in text and "◐ Delvis uppfyllt" in text


def test_a_link_to_another_pages_screen_opens_it_on_its_page():
    at = open_page("pages/1_mal.py", {"presentation": "1", "skarm": "avvikelser"})
    _assert_screen(at, "avvikelser")
    assert _title(at) == "Största avvikelserna mot budget 2020"


def test_presentation_mode_survives_a_page_change_without_the_parameter():
    at = open_page(None, {"presentation": "1"})
    _assert_screen(at, "resultat")
    # The menu and the browser drop query params on a page change; the session keeps the mode.
    at.query_params.clear()
    at.switch_page("pages/3_jamforelsetal.py").run()
    _assert_screen(at, "jamforelsetal")
    assert _title(at) == "Jämförelsetal 2018–2020"


@pytest.mark.parametrize(("script", "bad"), [("pages/2_ekonomi.py", "<script>"), ("pages/4_aktiviteter.py", "nope"),
                                             ("pages/2_ekonomi.py", "BUDGET")])
def test_an_unknown_screen_gives_a_notice_and_a_first_screen(script, bad):
    at = open_page(script, {"presentation": "1", "skarm": bad})
    key = next(k for k, sc in SCRIPTS if sc == script)
    _assert_screen(at, SCREENS[presentation.get_first_screen(SCREENS, key)].slug)
    notices = [w.value for w in at.warning]
    assert len(notices) == 1 and "okänd skärm" in notices[0], notices
    assert "<script>" not in notices[0]


def test_an_invalid_presentation_value_is_a_notice_and_the_normal_page():
    at = open_page("pages/2_ekonomi.py", {"presentation": "ja"})
    assert_clean(at)
    assert at.title[0].value == "Ekonomi"
    assert any("presentation" in w.value for w in at.warning)


def test_end_presentation_returns_to_the_screens_page_in_its_normal_view():
    at = open_page("pages/1_mal.py", {"presentation": "1", "skarm": "malomrade-2"})
    _click(at, "ks_pres_exit")
    assert "presentation" not in get_params(at) and "skarm" not in get_params(at)
    assert at.title[0].value == "Mål och styrtal"
    assert at.selectbox(key="goals.omrade").value == 2
    assert at.sidebar.get("page_link")
    # And it stays off on the next page.
    at.query_params.clear()
    at.switch_page("pages/2_ekonomi.py").run()
    assert at.title[0].value == "Ekonomi"


def test_the_sidebar_offers_presentation_mode_on_every_page():
    at = open_page("pages/2_ekonomi.py")
    links = {link.proto.label: link.proto for link in at.sidebar.get("page_link")}
    link = links["Presentationsläge"]
    assert link.page == "ekonomi" and "presentation=1" in link.query_string


def test_qr_code_holds_the_screens_link():
    at = open_page("pages/2_ekonomi.py", {"presentation": "1", "skarm": "budget"})
    assert not at.get("image")
    _click(at, "ks_pres_qr")
    _assert_screen(at, "budget")
    assert get_params(at).get("qr") == "1"
    link = at.text[-1].value
    assert link.endswith("/ekonomi?skarm=budget&presentation=1"), link
    url = at.get("image")[0].proto.imgs[0].url
    assert url.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(url.split(",", 1)[1]).decode("utf-8") == presentation.get_qr_svg(link)
    # The QR code stays on while moving, and goes off again.
    _click(at, "ks_pres_next")
    assert get_params(at).get("qr") == "1" and get_params(at).get("skarm") == "avvikelser"
    _click(at, "ks_pres_qr")
    assert "qr" not in get_params(at) and not at.get("image")


def test_presentation_in_english_keeps_the_language_in_its_links():
    at = open_page(None, {"presentation": "1", "lang": "en"})
    _assert_screen(at, "resultat")
    assert _title(at) == "The year's result 2020"
    assert at.button(key="ks_pres_next").label == "Next"
    _click(at, "ks_pres_next")
    assert get_params(at) == {"lang": "en", "presentation": "1", "skarm": "mal-status"}


def test_a_broken_table_breaks_only_its_screen(tmp_path, monkeypatch):
    from tests.helpers import copy_data

    data = copy_data(tmp_path)
    (data / s.get_file_name(s.NET_COSTS)).write_bytes(b"not parquet")
    monkeypatch.setenv("KS_DATA_DIR", str(data))
    at = open_page("pages/2_ekonomi.py", {"presentation": "1", "skarm": "budget"})
    assert not at.exception
    assert len(at.error) == 1 and s.NET_COSTS in at.error[0].value, [e.value for e in at.error]
    # The buttons still move on, to screens whose tables are fine.
    at.button(key="ks_pres_next").click().run()
    assert get_params(at).get("skarm") == "avvikelser" and len(at.error) == 1
    at.button(key="ks_pres_next").click().run()
    assert get_params(at).get("skarm") == "jamforelsetal"
    assert_clean(at)


@pytest.mark.usefixtures("two_years")
@pytest.mark.parametrize("year", [2020, 2021])
def test_screens_show_the_chosen_report_year_and_links_keep_it(year):
    at = open_page(None, {"presentation": "1", "ar": str(year)})
    _assert_screen(at, "resultat")
    assert _title(at) == f"Årets resultat {year}"
    budget, outcome, deviation = NET_RESULT[year]
    assert f"{deviation:+d} tkr".replace("-", "−") in get_all_text(at)
    _click(at, "ks_pres_next")
    assert get_params(at).get("ar") == str(year) and get_params(at).get("skarm") == "mal-status"
    assert _title(at) == f"Målen {year} enligt rapportens bedömning"
