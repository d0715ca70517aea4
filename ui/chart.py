"""A chart as Streamlit draws it: an Altair chart (a ks_data.charts ``*_chart``) turned into its finished Vega-Lite spec,
its data as Arrow datasets named by their place in the chart, built once per process for equal arguments (get_chart);
ui.display draws it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ks_data.imports import import_on_use
from ui.cache import CHART_SPECS

# Imported by the first chart, not at the app's start (ks_data/imports.py, tests/test_imports.py).
alt = import_on_use("altair")

# Altair's theme, data transformer and debug mode are settings of the whole process: one chart builds at a time.
_ALTAIR_LOCK = threading.Lock()
DATASETS_TRANSFORMER = "ks_named_datasets"


def _to_arrow_bytes(df: pd.DataFrame) -> bytes:
    """Return a frame as Arrow IPC stream bytes, the form st.vega_lite_chart sends a dataset in."""
    table = pa.Table.from_pandas(df)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def get_arrow_datasets(spec: dict) -> dict:
    """Return a Vega-Lite spec whose datasets given as rows (Altair's own ``to_dict()``: a list of records each) are
    Arrow IPC bytes instead, the form st.vega_lite_chart passes on untouched. Given rows, Streamlit makes a frame of
    each dataset and its Arrow bytes on every run: ~1.2 ms a dataset, a third of a presentation screen's run."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    # The frame Streamlit would make of the rows (pandas' DataFrame of records), so the browser gets the same table.
    return {**spec, "datasets": {name: rows if isinstance(rows, bytes) else _to_arrow_bytes(pd.DataFrame(rows))
                                 for name, rows in datasets.items()}}


def _name_dataset(data, datasets: dict[str, bytes]) -> dict[str, str]:
    # Altair names a dataset by a hash of its rows, so new data made a new spec, and the browser built the chart anew
    # (~20 ms) on each widget change. Named by its place in the chart, a chart whose data alone changed keeps its
    # spec, and Streamlit's frontend only swaps the data into the chart it already has. The same data twice (a
    # layered chart) is one dataset.
    data_bytes = _to_arrow_bytes(data)
    name = next((known for known, held in datasets.items() if held == data_bytes), f"ks_data_{len(datasets)}")
    datasets[name] = data_bytes
    return {"name": name}


def _to_vega_lite(chart) -> dict:
    """Return an Altair chart as a Vega-Lite dict for st.vega_lite_chart: its data as Arrow datasets named by their
    place in the chart, through Altair's public data transformer (no Streamlit internals). The caller holds
    _ALTAIR_LOCK."""
    datasets: dict[str, bytes] = {}
    # Registered here, not at the app's start (Altair is imported by the first chart): registering again only sets the
    # same dict entry, where asking the registry's names() first read the installed packages' entry points (~1 ms).
    alt.data_transformers.register(DATASETS_TRANSFORMER, _name_dataset)
    # Altair's default theme adds a width and height that st.altair_chart leaves out as well.
    theme = alt.theme.enable("none") if alt.theme.active == "default" else contextlib.nullcontext()
    with theme, alt.data_transformers.enable(DATASETS_TRANSFORMER, datasets=datasets):
        spec = chart.to_dict(validate=False)
    if datasets:
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def build_spec(builder: Callable, *args, **kwargs) -> dict:
    """Return the Vega-Lite spec of ``builder(*args, **kwargs)`` as st.vega_lite_chart takes it (uncached)."""
    # Not validated against the Vega-Lite schema here, neither each part as Altair makes it (its debug mode) nor the
    # whole spec: that was half of a chart's build (bench.chart_build). tests/test_ui_chart.py validates every chart
    # the views draw instead.
    with _ALTAIR_LOCK, alt.utils.schemapi.debug_mode(False):
        return _to_vega_lite(builder(*args, **kwargs))


@dataclass(eq=False)
class ChartSpec:
    """A chart as its finished Vega-Lite spec (ui.get_chart), and the builder call that makes it again for PNG and SVG."""

    spec: dict
    builder: Callable
    args: tuple
    kwargs: dict

    def build(self):
        """Return the Altair chart again (for the PNG/SVG files, made only when the user asks for one)."""
        return self.builder(*self.args, **self.kwargs)


def get_chart(builder: Callable, *args, **kwargs) -> ChartSpec:
    """Return the chart ``builder(*args, **kwargs)`` (a ks_data.charts ``*_chart``) for ui.show_chart, built once per
    process for equal arguments: building an Altair chart takes 10-60 ms (bench.chart_build)."""
    return ChartSpec(CHART_SPECS.call(build_spec, (builder, *args), kwargs), builder, args, kwargs)
