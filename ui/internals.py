"""The Streamlit internals the app relies on, each behind one function here, so a Streamlit upgrade that moves one
fails its test (tests/test_ui_internals.py) instead of a page; nothing else in ui imports a private Streamlit name.

- ``is_fragment_rerun``: ``streamlit.runtime.scriptrunner.get_script_run_ctx().fragment_ids_this_run``: whether a
  run is a fragment's own rerun (a widget change inside a page's part), which Streamlit has no public call for.
- ``get_requested_page``: ``get_script_run_ctx().pages_manager.intended_page_name``: the page the browser asked for,
  which Streamlit replaces with the main page, without telling the script, when no page has that name.

No longer here: the chart conversion (``_convert_altair_to_vega_lite_spec``); ui.chart makes the same spec with
Altair's public data transformer (docs/performance.md, "Public APIs").

Not here: serve.py's wrap of the listener's ``_bind_socket`` (guarded by tests/test_bench.py), and the CSS on
Streamlit's ``data-testid``s in ui/assets/.
"""

from __future__ import annotations

from streamlit.runtime.scriptrunner import get_script_run_ctx


def is_fragment_rerun() -> bool:
    """Return whether this run is a widget change inside a page (a fragment's rerun), not a whole page run."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def get_requested_page() -> str:
    """Return the page name the browser asked for in this run (its address's path after the app's own), "" for the
    main page."""
    ctx = get_script_run_ctx()
    return (ctx.pages_manager.intended_page_name or "") if ctx is not None else ""
