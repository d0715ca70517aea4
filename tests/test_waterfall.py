"""ks_data/views/waterfall.py: the steps from budget to outcome of the net costs, with the report's rounding."""

from __future__ import annotations

from ks_data import schema as s
from ks_data import statements
from ks_data.views import economy, waterfall
from tests.test_economy import _net_costs, _plain, _rows


def test_waterfall_frame_labels_the_rounding_step_in_swedish():
    frame = waterfall.get_waterfall_frame(_rows("nettokostnad"))
    assert frame[economy.LABEL].tolist() == ["Budget", "Kommunledningskontor", "Näringslivskontor", "Samhällsenhet",
                                             "Kommunens oförutsedda", "Avrundning i rapporten", "Utfall"]
    assert _plain(frame[statements.AMOUNT_LABEL].tolist()) == [
        "−105 546 tkr", "−837 tkr", "−356 tkr", "+1 721 tkr", "+150 tkr", "−1 tkr", "−104 869 tkr"]
    assert frame[economy.KIND_LABEL].tolist() == ["Budget och utfall", "Sämre än budget", "Sämre än budget",
                                                  "Bättre än budget", "Bättre än budget", "Avrundning i rapporten",
                                                  "Budget och utfall"]
    assert set(frame[economy.KIND_LABEL]) <= set(frame.attrs["kind_domain"])
    assert _plain(waterfall.get_waterfall_ends(frame)) == {"budget": "−105 546 tkr", "outcome": "−104 869 tkr"}


def test_waterfall_without_rounding_has_no_rounding_step():
    df = _net_costs([("A", "post", -100, -90, 10), ("B", "post", -50, -60, -10), ("Summa", "summa", -150, -150, 0)])
    frame = waterfall.get_waterfall_frame(economy.get_statement_rows(df, s.NET_COSTS, 0, False))
    assert "Avrundning i rapporten" not in frame[economy.LABEL].tolist()
    caption = waterfall.get_waterfall_caption(frame)
    assert "avrundning" not in caption and caption.endswith(".")


def test_waterfall_caption_names_largest_step_and_rounding():
    frame = waterfall.get_waterfall_frame(_rows("nettokostnad"))
    assert _plain(waterfall.get_waterfall_caption(frame)) == (
        "Nettokostnaden gick från budgeterade −105 546 tkr till utfallet −104 869 tkr; störst avvikelse hade "
        "Samhällsenhet, +1 721 tkr, och rapportens avrundning står för −1 tkr.")
