"""ui/state.py and ui/context.py: the URL parameters and session keys are declared in one place each, and a run's
context is made at the start of every run."""

from __future__ import annotations

import re

import pytest

import ui.assets
import ui.context
import ui.display
import ui.frame
import ui.presentation
import ui.state
from ks_data import routes
from tests.apptest_util import open_page


def test_the_frame_parameters_are_the_route_tables():
    assert tuple(ui.state.FRAME_PARAMS) == routes.FRAME_PARAM_NAMES
    assert (ui.presentation.SCREEN_PARAM, ui.presentation.QR_PARAM) == routes.SCREEN_PARAM_NAMES
    assert ui.state.PAGES == tuple((r.key, r.script, r.path, r.nav_key) for r in routes.ROUTES)


def test_a_page_cannot_bind_a_parameter_the_route_table_does_not_declare():
    page = ui.state.Page(key="goals", notices=None)
    with pytest.raises(KeyError, match="not declared for page 'goals'"):
        page.toggle("utkast", False, "Utkast")


def test_every_session_key_the_app_names_is_in_the_table():
    named = {ui.state.FRAME_STATE, ui.state.REMEMBERED, ui.assets.LANG_SWITCH_KEY, ui.frame.YEAR_SELECT_KEY,
             ui.presentation.PRESENTATION_NOTICE, f"{ui.display.MORE_PREFIX}<name>"}
    assert named <= set(ui.state.SESSION_KEYS)


def _patterns() -> list[re.Pattern]:
    return [re.compile("".join(".+" if part.startswith("<") else re.escape(part)
                               for part in re.split(r"(<[^>]+>)", key)) + "$") for key in ui.state.SESSION_KEYS]


@pytest.mark.parametrize(("script", "params"), [
    (None, {"lang": "en"}),
    ("pages/1_mal.py", {"mal": "1.3"}),
    ("pages/2_ekonomi.py", {"visa": "budget"}),
    ("pages/3_jamforelsetal.py", {}),
    ("pages/7_sok.py", {"q": "Greta"}),
    ("pages/3_jamforelsetal.py", {"presentation": "1"}),
])
def test_the_app_keeps_no_session_key_of_its_own_outside_the_table(script, params):
    # Keys of the app's own state: frame, views, switches, notices, and opened expanders. Other widget keys (buttons,
    # downloads, charts) are Streamlit's own state, which the app never reads.
    at = open_page(script, params)
    keys = [k for k in at.session_state._state._state.filtered_state
            if k.startswith(("_ks", ui.display.MORE_PREFIX)) or "." in k]
    assert keys, "the page keeps some state"
    patterns = _patterns()
    assert [k for k in keys if not any(p.match(k) for p in patterns)] == []


def test_a_new_run_starts_a_new_context():
    first = ui.context.start_run()
    first.years = (2020,)
    assert ui.context.get_run() is first
    second = ui.context.start_run()
    assert second is not first and second.years is None and second.page is None and second.depth == 0


class _CountingState(dict):
    """A session state that counts how often the frame is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return super().get(key, default)


class _Link(dict):
    def get_all(self, key: str) -> list[str]:
        return [self[key]] if key in self else []


def test_a_run_asks_the_session_for_its_frame_once_and_sees_a_change_at_once(monkeypatch):
    # Every text asks for the language: once per run from the session state, and a switch is seen at once.
    state = _CountingState()
    monkeypatch.setattr(ui.state.st, "session_state", state)
    monkeypatch.setattr(ui.state.st, "query_params", _Link())
    monkeypatch.setattr(ui.context._local, "run", ui.context.RunContext(mtimes={}), raising=False)
    assert [ui.state.get_lang() for _ in range(50)] == ["sv"] * 50
    assert state.reads == 1
    ui.state.set_frame(routes.LANG, "en")
    assert ui.state.get_lang() == "en" and ui.state.t("goals.badge.report") == "The report"
    assert ui.state.st.query_params == {"lang": "en"}
    # A new run asks the session again.
    ui.context.start_run()
    reads = state.reads
    assert ui.state.get_lang() == "en" and state.reads == reads + 1


def test_one_sessions_language_stays_in_that_session():
    # Översikt: AppTest formats a selector's options outside the page run, in Swedish (tests/test_language.py).
    english = open_page(None)
    english.sidebar.get("button_group")[0].set_value("en").run()
    swedish = open_page(None)
    assert swedish.title[0].value == "Översikt"
    english.run()
    assert english.title[0].value == "Overview"
    swedish.run()
    assert swedish.title[0].value == "Översikt"


class _Address(dict):
    """The address bar as st.query_params: it counts the page's writes, since the browser makes each an entry of its
    history (the Back button's steps)."""

    def __init__(self, params: dict[str, list[str]]) -> None:
        super().__init__(params)
        self.writes = 0

    def get_all(self, key: str) -> list[str]:
        return list(self.get(key, []))

    def from_dict(self, params: dict[str, list[str]]) -> None:
        super().clear()
        super().update(params)
        self.writes += 1

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.writes += 1

    def __delitem__(self, key) -> None:
        super().__delitem__(key)
        self.writes += 1


class _Notices(list):
    def warning(self, text: str) -> None:
        self.append(text)


GOALS_VIEW = {"omrade": ["3"], "status": ["alla"], "marginal": ["2"], "mal": None}


@pytest.mark.parametrize(("before", "after", "writes", "notices"), [
    ({}, {"omrade": ["3"], "status": ["alla"], "marginal": ["2"]}, 1, 0),
    ({"omrade": ["3"]}, {"omrade": ["3"], "status": ["alla"], "marginal": ["2"]}, 1, 0),
    ({"omrade": ["3"], "status": ["alla"], "marginal": ["2"]}, {"omrade": ["3"], "status": ["alla"], "marginal": ["2"]},
     0, 0),
    ({"mal": ["1.3"], "x": ["1"], "lang": ["sv"], "embed": ["true"]},
     {"embed": ["true"], "omrade": ["3"], "status": ["alla"], "marginal": ["2"]}, 1, 1),
], ids=["empty", "one-given", "already-written", "unknown-and-stale"])
def test_a_page_writes_its_view_into_the_address_in_one_step(monkeypatch, before, after, writes, notices):
    address = _Address(before)
    monkeypatch.setattr(ui.state.st, "session_state", {})
    monkeypatch.setattr(ui.state.st, "query_params", address)
    monkeypatch.setattr(ui.context._local, "run", ui.context.RunContext(mtimes={}), raising=False)
    page = ui.state.Page(key=routes.GOALS, notices=_Notices(), params=dict(GOALS_VIEW))
    page.finish()
    assert dict(address) == after and list(address) == list(after)
    assert address.writes == writes, "one entry of the browser's history per run at most"
    assert len(page.notices) == notices


def _area(at) -> str:
    return at.selectbox(key="goals.omrade").value


def test_the_address_wins_when_it_holds_another_view_than_the_page_wrote():
    # Back and Forward: the browser runs the page again with an earlier address, while the session still holds the
    # widget's last value; a change of the widget itself runs with the address the page wrote, and keeps the value.
    at = open_page("pages/1_mal.py")
    written = {key: at.query_params[key] for key in at.query_params}
    assert _area(at) == "alla" and written["omrade"] == "alla"
    at.selectbox(key="goals.omrade").set_value(3).run()
    assert _area(at) == 3 and at.query_params["omrade"] == "3"
    at.run()
    assert _area(at) == 3, "the session's value when the address is the one the page wrote"
    at.query_params.clear()
    for key, value in written.items():
        at.query_params[key] = value
    at.run()
    assert _area(at) == "alla" and at.query_params["omrade"] == "alla"
    assert len([b for b in at.button if b.key.startswith("open_")]) == 11
