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
