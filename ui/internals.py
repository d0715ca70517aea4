"""The Streamlit internals the app relies on, each behind one function here, so a Streamlit upgrade that moves one
fails its test (tests/test_ui_internals.py) instead of a page; nothing else in ui imports a private Streamlit name.

- ``to_vega_lite``: ``streamlit.elements.vega_charts._convert_altair_to_vega_lite_spec``, the conversion
  st.altair_chart itself makes (data as Arrow bytes, not JSON rows), so ui.display.get_chart can cache the finished
  spec and draw it with the public st.vega_lite_chart. Without it, a chart's data is inlined (larger, still correct).
- ``is_fragment_rerun``: ``streamlit.runtime.scriptrunner.get_script_run_ctx().fragment_ids_this_run``: whether a
  run is a fragment's own rerun (a widget change inside a page's part), which Streamlit has no public call for.

Not here: serve.py's wrap of the listener's ``_bind_socket`` (guarded by tests/test_bench.py), and the CSS on
Streamlit's ``data-testid``s in ui/assets/.
"""

from __future__ import annotations

from streamlit.runtime.scriptrunner import get_script_run_ctx

try:
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
except ImportError:  # a later Streamlit moved it: to_vega_lite falls back to Altair's own (public) to_dict
    _convert_altair_to_vega_lite_spec = None


def to_vega_lite(chart) -> dict:
    """Return an Altair chart as the Vega-Lite dict st.altair_chart would send (its datasets as Arrow bytes), or as
    Altair's own dict with the data inline if this Streamlit has no such conversion."""
    if _convert_altair_to_vega_lite_spec is None:
        return chart.to_dict()
    return _convert_altair_to_vega_lite_spec(chart)


def is_fragment_rerun() -> bool:
    """Return whether this run is a widget change inside a page (a fragment's rerun), not a whole page run."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)
