"""ui/presentation.py: presentation mode as a user meets it: a screen's link (its slug and the QR flag) draws that
screen with what ks_data.views.presentation says is on it, a bad screen link is a Swedish notice on the page's first
screen, the buttons move to the next screen and out of presentation mode with the address following, and the QR code
holds the screen's own link on the browser's host."""

from __future__ import annotations

import base64

import pytest
from streamlit.testing.v1 import AppTest

import ui.state
from ks_data import schema as s
from ks_data.markup import escape_markdown
from ks_data.texts import TEXTS
from ks_data.views import presentation
from tests.apptest_util import assert_clean, get_all_text, get_captions, get_charts, get_params, open_page, unescape
from tests.helpers import get_bad_value_notice, real_frames, real_table
from ui.presentation import get_screen_params

SCREENS = presentation.get_screens(real_table(s.GOALS))
SCRIPT = {key: None if script == "app.py" else script for key, script, _, _ in ui.state.PAGES}  # None: Översikt
BUTTONS = ["ks_pres_prev", "ks_pres_next", "ks_pres_qr", "ks_pres_exit"]



def _screen(slug: str) -> presentation.Screen:
    return SCREENS[presentation.get_screen_index(SCREENS, slug)]


def _open_screen(slug: str, params: dict | None = None) -> AppTest:
    """Open screen ``slug``'s own link (with ``params`` besides) on its page, in a new session."""
    return open_page(SCRIPT[_screen(slug).page_key], {"presentation": "1", "skarm": slug} | (params or {}))


def _assert_on_screen(at, slug: str) -> None:
    assert_clean(at)
    assert get_params(at).get("skarm") == slug and get_params(at).get("presentation") == "1", get_params(at)
    assert [b.key for b in at.button] == BUTTONS
    assert not at.sidebar.get("page_link"), "no menu in presentation mode"


@pytest.mark.parametrize(("slug", "qr", "expected"), [
    ("budget", False, {"skarm": ["budget"]}),
    ("budget", True, {"skarm": ["budget"], "qr": ["1"]}),
    ("malomrade-3", False, {"skarm": ["malomrade-3"]}),
])
def test_a_screens_link_parameters_are_its_slug_and_whether_the_qr_code_shows(slug, qr, expected):
    assert get_screen_params(slug, qr) == expected


# Every kind of screen: key figures (the first screen), counts, a goal area's items, the two charts, the last screen.
@pytest.mark.parametrize("slug", [presentation.RESULT, presentation.GOAL_STATUS, "malomrade-2", presentation.BUDGET,
                                  presentation.DEVIATIONS, presentation.COMPARISONS])
def test_a_screens_link_draws_that_screen(slug):
    at = _open_screen(slug)
    _assert_on_screen(at, slug)
    index = presentation.get_screen_index(SCREENS, slug)
    content = presentation.get_screen_content(SCREENS[index], real_frames())
    assert unescape(at.title[0].value) == unescape(content.title)
    text = get_all_text(at)
    assert unescape(escape_markdown(content.message)) in text
    assert f"{index + 1} / {len(SCREENS)}" in text
    assert [unescape(m.label) for m in at.metric] == [unescape(f["label"]) for f in content.figures]
    assert all(unescape(item) in text for item, _, _ in content.items)
    # A chart screen draws its chart twice: for the projector, and laid out for a phone (the QR code's link).
    assert len(get_charts(at)) == (content.chart is not None) + (content.narrow_chart is not None)
    assert f"Källa: {content.source}" in [unescape(c) for c in get_captions(at)]
    assert at.button(key="ks_pres_prev").disabled is (index == 0)
    assert at.button(key="ks_pres_next").disabled is (index == len(SCREENS) - 1)


def _bad_screen(value: str) -> str:
    return f'Länken innehöll en okänd skärm "{value}". Sidans första skärm visas i stället.'


@pytest.mark.parametrize(("script", "params", "shown", "notices"), [
    ("pages/2_ekonomi.py", {"skarm": ["budget", "avvikelser"]}, "budget", [_bad_screen("budget, avvikelser")]),
    ("pages/2_ekonomi.py", {"skarm": "**fet**"}, "budget", [_bad_screen(r"\*\*fet\*\*")]),
    ("pages/3_jamforelsetal.py", {"skarm": "x" * 100}, "jamforelsetal", [_bad_screen("x" * 40 + "…")]),
    ("pages/2_ekonomi.py", {"skarm": "avvikelser", "qr": "ja", "foo": "1"}, "avvikelser",
     [get_bad_value_notice("qr", "ja"), 'Länken innehöll en okänd parameter "foo" som inte används.']),
    ("pages/1_mal.py", {"skarm": "nope", "lang": "en"}, "mal-status",
     ['The link named an unknown screen "nope". The page\'s first screen is shown instead.']),
])
def test_a_bad_screen_link_is_a_notice_on_a_screen_that_still_works(script, params, shown, notices):
    at = open_page(script, {"presentation": "1"} | params)
    _assert_on_screen(at, shown)
    assert [w.value for w in at.warning] == notices
    assert "qr" not in get_params(at) and "foo" not in get_params(at)
    # The screen goes on: its buttons work, and the notices are not shown again.
    at.button(key="ks_pres_qr").click().run()
    _assert_on_screen(at, shown)
    assert not at.warning and get_params(at).get("qr") == "1"


@pytest.mark.parametrize(("script", "params", "notices"), [
    ("pages/1_mal.py", {"skarm": "avvikelser"}, []),
    ("pages/1_mal.py", {"skarm": "avvikelser", "qr": "2"}, [get_bad_value_notice("qr", "2")]),
    (None, {"skarm": "avvikelser", "foo": "1", "lang": "en"},
     ['The link held an unknown parameter "foo", which is not used.']),
])
def test_a_link_to_another_pages_screen_opens_it_on_its_page_with_the_links_notices(script, params, notices):
    at = open_page(script, {"presentation": "1"} | params)
    _assert_on_screen(at, "avvikelser")
    assert unescape(at.title[0].value) == ("The largest deviations from budget 2020" if "lang" in params
                                           else "Största avvikelserna mot budget 2020")
    assert [w.value for w in at.warning] == notices
    # The address is the screen's own link. (No clicks here: AppTest's next run would ask for the page it opened.)
    assert get_params(at) == {"presentation": "1", "skarm": "avvikelser"} | ({"lang": "en"} if "lang" in params else {})


@pytest.mark.parametrize(("slug", "params", "button", "expected"), [
    ("malomrade-4", {}, "ks_pres_next", {"presentation": "1", "skarm": "budget"}),  # on to Ekonomi's first screen
    ("budget", {}, "ks_pres_prev", {"presentation": "1", "skarm": "malomrade-4"}),  # back to Mål's last
    ("resultat", {"lang": "en", "qr": "1"}, "ks_pres_next", {"lang": "en", "presentation": "1", "skarm": "mal-status",
                                                             "qr": "1"}),
    ("budget", {}, "ks_pres_qr", {"presentation": "1", "skarm": "budget", "qr": "1"}),
    ("avvikelser", {"qr": "1"}, "ks_pres_qr", {"presentation": "1", "skarm": "avvikelser"}),
])
def test_the_buttons_open_the_next_screen_with_the_address_following(slug, params, button, expected):
    at = _open_screen(slug, params)
    at.button(key=button).click().run()
    _assert_on_screen(at, expected["skarm"])
    assert get_params(at) == expected
    content = presentation.get_screen_content(_screen(expected["skarm"]), real_frames(), params.get("lang", "sv"))
    assert unescape(at.title[0].value) == unescape(content.title)
    assert bool(at.get("image")) is ("qr" in expected)


@pytest.mark.parametrize(("visited", "frame", "slug", "title", "expected"), [
    (None, {}, "resultat", "Översikt", {}),
    (None, {}, "budget", "Ekonomi", {"tabell": "nettokostnad", "visa": "budget"}),
    (None, {}, "malomrade-2", "Mål och styrtal", {"omrade": "2", "status": "alla", "marginal": "2"}),
    # The page's last view in this session, with the screen's own part of it.
    ({"grans": "1000"}, {}, "avvikelser", "Ekonomi",
     {"tabell": "nettokostnad", "visa": "avvikelser", "procent": "0", "grans": "1000"}),
    ({"index": "1"}, {"lang": "en"}, "jamforelsetal", "Comparative figures",
     {"lang": "en", "matt": "alla", "period": "2018-2020", "index": "1"}),
    # The screen's own part wins over what the page showed before: leaving "Målområde 3" shows area 3, not area 1.
    ({"omrade": "1"}, {}, "malomrade-3", "Mål och styrtal", {"omrade": "3", "status": "alla", "marginal": "2"}),
    ({"visa": "budget"}, {}, "avvikelser", "Ekonomi",
     {"tabell": "nettokostnad", "visa": "avvikelser", "procent": "0", "grans": "500"}),
])
def test_ending_the_presentation_opens_the_screens_page_in_its_normal_view(visited, frame, slug, title, expected):
    if visited is None:
        at = _open_screen(slug, frame)
    else:
        script = SCRIPT[_screen(slug).page_key]
        at = open_page(script, visited | frame)
        at.query_params.clear()
        at.query_params.update({"presentation": "1", "skarm": slug} | frame)
        at.switch_page(script or "app.py").run()
        _assert_on_screen(at, slug)
    at.button(key="ks_pres_exit").click().run()
    assert_clean(at)
    assert at.title[0].value == title
    assert get_params(at) == expected
    assert at.sidebar.get("page_link"), "the menu is back"
    # Presentation mode stays off on the next page.
    at.query_params.clear()
    at.switch_page("pages/6_tillganglighet.py").run()
    assert_clean(at)
    assert "presentation" not in get_params(at) and not at.button and at.sidebar.get("page_link")


@pytest.mark.parametrize(("address", "params", "link", "caption"), [
    (None, {"skarm": "budget", "qr": "1"}, "http://localhost:8501/ekonomi?skarm=budget&presentation=1",
     TEXTS["sv"]["pres.qr.caption"]),
    ("https://ks.example.se/rapport/ekonomi?presentation=1&skarm=budget&qr=1", {"skarm": "budget", "qr": "1"},
     "https://ks.example.se/rapport/ekonomi?skarm=budget&presentation=1", TEXTS["sv"]["pres.qr.caption"]),
    (None, {"skarm": "resultat", "qr": "1", "lang": "en"}, "http://localhost:8501/?skarm=resultat&lang=en&presentation=1",
     TEXTS["en"]["pres.qr.caption"]),
    (None, {"skarm": "budget", "qr": "0"}, None, None),
])
def test_the_qr_parameter_shows_the_code_with_the_screens_own_link(address, params, link, caption):
    at = _open_screen(params["skarm"], params)
    if address is not None:
        at.context["url"] = address  # the address the projector's browser shows
        at.run()
    _assert_on_screen(at, params["skarm"])
    images = at.get("image")
    if link is None:
        assert not images and "qr" not in get_params(at) and not at.text
        return
    assert get_params(at).get("qr") == "1"
    assert [t.value for t in at.text] == [link]
    assert caption in [m.value for m in at.markdown]
    assert len(images) == 1
    url = images[0].proto.imgs[0].url
    assert url.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(url.split(",", 1)[1]).decode("utf-8") == presentation.get_qr_svg(link)
