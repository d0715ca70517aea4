"""ui/internals.py: each Streamlit internal the app relies on is still there and still does what the app needs. A
failure here after a Streamlit upgrade names the touchpoint to mend; nothing else in ui imports a private name."""

from __future__ import annotations

import dataclasses
import re

import pytest
from streamlit.runtime.scriptrunner import ScriptRunContext

import ui.internals
from tests.apptest_util import REPO_ROOT


def test_the_run_context_still_says_which_fragments_run():
    assert "fragment_ids_this_run" in {f.name for f in dataclasses.fields(ScriptRunContext)}
    assert ui.internals.is_fragment_rerun() is False  # outside a run


def test_the_run_context_still_says_which_page_the_browser_asked_for():
    # Streamlit runs the main page for a name no page has; the name asked for is still kept where the run can read it.
    from streamlit.runtime.pages_manager import PagesManager

    manager = PagesManager(str(REPO_ROOT / "app.py"))
    manager.set_script_intent("", "Mal")
    assert manager.intended_page_name == "Mal"
    assert "pages_manager" in {f.name for f in dataclasses.fields(ScriptRunContext)}
    assert ui.internals.get_requested_page() == ""  # outside a run


OTHER_MODULES = sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "ui").rglob("*.py")
                       if p.name != "internals.py")


@pytest.mark.parametrize("path", OTHER_MODULES)
def test_only_the_adapter_imports_streamlit_internals(path):
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import) streamlit\.(runtime|elements|web)\b", source, re.M), path
