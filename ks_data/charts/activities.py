"""Charts of the activities page: the number of activities per status."""

from __future__ import annotations

import pandas as pd

from ks_data.charts.common import FONT_SIZE, alt, configure_chart, get_font_size, get_layer

# Activity status kinds (ks_data.views.activities): never colour alone, every bar is labelled with symbol and word.
ACTIVITY_KIND_COLORS = {"done": "#007a5a", "on_track": "#1f5f8b", "deviation": "#b36b00", "other": "#6b6b6b",
                        "none": "#9a9a9a"}


def status_count_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return horizontal bars of the number of activities per status, each bar labelled with its count.

    Takes columns status_label (symbol + word), kind (done/on_track/deviation/other/none) and count,
    in the order to show, and attrs x_title, tt_status and tt_count.
    """
    kinds = list(ACTIVITY_KIND_COLORS)
    # The rows' own order (sort=None), not a list of them: the spec then stays the same when a filter changes the
    # rows, and the browser swaps the data instead of building the chart anew.
    base = alt.Chart(df).encode(
        y=alt.Y("status_label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("count:Q", title=df.attrs.get("x_title", ""), axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domainMin=0, nice=True)),
        tooltip=[alt.Tooltip("status_label:N", title=df.attrs.get("tt_status", "")),
                 alt.Tooltip("count:Q", title=df.attrs.get("tt_count", ""))],
    )
    bars = base.mark_bar(size=22).encode(
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=[ACTIVITY_KIND_COLORS[k] for k in kinds]),
                        legend=None))
    labels = base.mark_text(align="left", dx=5, fontSize=get_font_size(FONT_SIZE)).encode(text=alt.Text("count:Q"))
    return configure_chart(get_layer(bars, labels).properties(height=alt.Step(34)), lang)
