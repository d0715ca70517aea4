"""Ekonomi page views in ks_data.views.economy: statement rows, labels, Swedish numbers, captions, tables and rounding."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ks_data import calc, statements, years
from ks_data import schema as s
from ks_data import viewtable as vt
from ks_data.views import economy, waterfall
from ks_data.viewtable import format_table
from tests.helpers import real_frames, real_table

NB = "\u00a0"
POLITIK = "politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"
BOLAG = "kommunalägda bolag och kommunförbund"
VARAV_POLITIK = f"\u2003↳ varav {POLITIK}"
VARAV_BOLAG = f"\u2003↳ varav {BOLAG}"


def _plain(value):
    """Return ``value`` (a text, or a list or dict of texts) with fmt's no-break spaces read as spaces."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value.replace(NB, " ") if isinstance(value, str) else value


def _rows(statement: str, threshold: float = 500, use_pct: bool = False) -> pd.DataFrame:
    table = statements.get_table_name(statement)
    return economy.get_statement_rows(real_table(table), table, threshold, use_pct)


def _beyond(rows: pd.DataFrame) -> set[str]:
    return set(rows.loc[rows[calc.BEYOND], economy.LABEL])


def _net_costs(units: list[tuple[str, str, int, int, int]], year: int = 2020) -> pd.DataFrame:
    """Return a small net_costs table from (unit_name, row_kind, budget, outcome, deviation) rows."""
    return pd.DataFrame([{s.YEAR: year, s.SECTION: "Ekonomi › Test", s.POSITION: i + 1, s.UNIT_NAME: name,
                          s.PARENT: None, s.ROW_KIND: kind, s.BUDGET: b, s.OUTCOME: o, s.DEVIATION: d}
                         for i, (name, kind, b, o, d) in enumerate(units)])


@pytest.mark.parametrize(("table", "words"), [
    (s.OPERATING, ("utfall − budget", "bättre än budget")),
    (s.NET_COSTS, ("utfall − budget", "bättre än budget")),
    (s.INVESTMENTS, ("budget − utfall", "lägre utgift")),
])
def test_sign_convention_is_one_sentence_per_table(table, words):
    text = economy.get_sign_text(table)
    assert all(w in text for w in words)
    assert text.count(".") == 1 and text.endswith(".")


@pytest.mark.parametrize(("statement", "labels"), [
    ("drift", ["Verksamhetens intäkter (+)", "Verksamhetens kostnader (-)", "Verksamhetens nettokostnader"]),
    ("nettokostnad", ["Kommunledningskontor", VARAV_POLITIK, VARAV_BOLAG, "Näringslivskontor", "Samhällsenhet",
                      "Kommunens oförutsedda", "Summa"]),
    ("investeringar", ["Strategiska markköp", "Vivsta 19:1", "IT mm", "Exploatering", "Allmänna investeringar KLK",
                       "Summa investeringar"]),
])
def test_statement_rows_keep_the_report_order_with_display_labels(statement, labels):
    rows = _rows(statement)
    assert rows[economy.LABEL].tolist() == labels
    assert years.get_latest_year(rows) == 2020


@pytest.mark.parametrize(("use_pct", "expected"), [
    (False, [-837.0, 1377.0, -2214.0, -356.0, 1721.0, 150.0, 677.0]),
    (True, [-837 / 89430 * 100, 1377 / 47368 * 100, -2214 / 42062 * 100, -356 / 8380 * 100, 1721 / 7586 * 100,
            100.0, 677 / 105546 * 100]),
])
def test_shown_deviation_follows_the_unit(use_pct, expected):
    assert _rows("nettokostnad", 500, use_pct)[economy.SHOWN].tolist() == pytest.approx(expected)


def test_only_the_latest_year_is_shown():
    old = _net_costs([("Samhällsenhet", "post", -10, -5, 5), ("Summa", "summa", -10, -5, 5)], year=2019)
    both = pd.concat([old, real_table(s.NET_COSTS)], ignore_index=True)
    rows = economy.get_statement_rows(both, s.NET_COSTS, 500, False)
    assert len(rows) == 7 and set(rows[s.YEAR]) == {2020}


@pytest.mark.parametrize("statement", ["drift", "nettokostnad", "investeringar"])
@pytest.mark.parametrize(("threshold", "use_pct"), [(500, False), (3000, False), (10, True)])
def test_base_rows_give_what_no_threshold_changes(statement, threshold, use_pct):
    """Key figures, budget chart and waterfall drawn from the base rows are those of any threshold and unit."""
    table = statements.get_table_name(statement)
    base = economy.get_base_rows(real_table(table), table)
    rows = _rows(statement, threshold, use_pct)
    assert economy.get_key_figures(base, table) == economy.get_key_figures(rows, table)
    pd.testing.assert_frame_equal(economy.get_budget_outcome_frame(base), economy.get_budget_outcome_frame(rows))
    assert economy.get_result_caption(base, table) == economy.get_result_caption(rows, table)
    if table == s.NET_COSTS:
        pd.testing.assert_frame_equal(waterfall.get_waterfall_frame(base), waterfall.get_waterfall_frame(rows))


@pytest.mark.parametrize(("statement", "use_pct", "expected"), [
    ("drift", False, "ekonomi-drift-2020"), ("nettokostnad", True, "ekonomi-nettokostnad-2020-procent"),
])
def test_file_stem_names_statement_year_and_unit(statement, use_pct, expected):
    assert economy.get_file_stem(statement, 2020, use_pct) == expected


# --- threshold ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("statement", "threshold", "use_pct", "beyond"), [
    ("nettokostnad", 500, False, {"Kommunledningskontor", VARAV_POLITIK, VARAV_BOLAG, "Samhällsenhet"}),
    ("nettokostnad", 1000, False, {VARAV_POLITIK, VARAV_BOLAG, "Samhällsenhet"}),
    ("nettokostnad", 1800, False, {VARAV_BOLAG}),
    ("nettokostnad", 3000, False, set()),
    ("nettokostnad", 10, True, {"Samhällsenhet", "Kommunens oförutsedda"}),
    ("nettokostnad", 5, True, {VARAV_BOLAG, "Samhällsenhet", "Kommunens oförutsedda"}),
    ("drift", 500, False, {"Verksamhetens intäkter (+)", "Verksamhetens kostnader (-)"}),
    ("drift", 6000, False, {"Verksamhetens intäkter (+)"}),
    ("drift", 4, True, {"Verksamhetens intäkter (+)"}),  # 6 094 of 29 920 is 20 %; −5 417 of −135 466 is 4,0 %
    ("investeringar", 500, False, {"Strategiska markköp", "Vivsta 19:1", "IT mm"}),
    # Vivsta 19:1 has no budget: no percentage, but beyond any threshold.
    ("investeringar", 50, True, {"Strategiska markköp", "Vivsta 19:1", "Exploatering", "Allmänna investeringar KLK"}),
    ("investeringar", 100, True, {"Vivsta 19:1"}),
])
def test_rows_beyond_the_threshold(statement, threshold, use_pct, beyond):
    rows = _rows(statement, threshold, use_pct)
    assert _beyond(rows) == beyond
    assert not rows.loc[rows[s.ROW_KIND] == "summa", calc.BEYOND].any()


@pytest.mark.parametrize(("threshold", "use_pct", "expected"), [
    (500, False, "500 tkr"), (0, False, "0 tkr"), (1500, False, "1 500 tkr"), (10, True, "10 %"), (0, True, "0 %"),
])
def test_format_threshold(threshold, use_pct, expected):
    assert _plain(economy.format_threshold(threshold, use_pct)) == expected


@pytest.mark.parametrize(("value", "use_pct", "budget", "signed", "expected"), [
    (677, False, None, True, "+677 tkr"),
    (-837, False, None, True, "−837 tkr"),
    (1721, False, None, False, "1 721 tkr"),
    (0, False, None, True, "0 tkr"),
    (677 / 105546 * 100, True, -105546, True, "+0,6 %"),
    (-2214 / 42062 * 100, True, -42062, True, "−5,3 %"),
    (12.345, True, 100, False, "12,3 %"),
    (math.nan, True, 0, True, "– (ingen budget)"),
    (math.nan, True, 100, True, "–"),
])
def test_format_deviation(value, use_pct, budget, signed, expected):
    assert _plain(economy.format_deviation(value, use_pct, budget=budget, signed=signed)) == expected


# --- key figures -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("statement", "values", "delta", "color"), [
    ("drift", ["−105 546 tkr", "−104 869 tkr", "+677 tkr", "−90 034 tkr"], "0,6 % bättre än budget", "green"),
    ("nettokostnad", ["−105 546 tkr", "−104 869 tkr", "+677 tkr"], "0,6 % bättre än budget", "green"),
    ("investeringar", ["12 700 tkr", "11 595 tkr", "+1 104 tkr"], "8,7 % under budget", "gray"),
])
def test_key_figures_from_the_sum_row(statement, values, delta, color):
    table = statements.get_table_name(statement)
    cards = economy.get_key_figures(_rows(statement), table)
    assert _plain([c["value"] for c in cards]) == values
    assert cards[0]["label"] == "Budget 2020" and cards[1]["label"] == "Utfall 2020"
    assert _plain(cards[2]["delta"]) == delta
    assert cards[2]["delta_color"] == color and cards[2]["delta_arrow"] == "up"
    assert cards[2]["help"] == economy.get_sign_text(table)
    if statement == "drift":
        assert cards[3]["label"] == "Utfall 2019 *"


@pytest.mark.parametrize(("deviation", "delta_start", "color", "arrow"), [
    (-50, "50,0 % sämre", "red", "down"),
    (0, "som budget", "gray", "off"),
])
def test_key_figures_of_a_worse_or_even_result(deviation, delta_start, color, arrow):
    df = _net_costs([("A", "post", -100, -100 + deviation, deviation), ("Summa", "summa", -100, -100 + deviation,
                                                                         deviation)])
    card = economy.get_key_figures(economy.get_statement_rows(df, s.NET_COSTS, 10, False), s.NET_COSTS)[2]
    assert _plain(card["delta"]).startswith(delta_start)
    assert (card["delta_color"], card["delta_arrow"]) == (color, arrow)


def test_no_sum_row_gives_no_key_figures():
    df = _net_costs([("A", "post", -100, -90, 10)])
    rows = economy.get_statement_rows(df, s.NET_COSTS, 10, False)
    assert economy.get_key_figures(rows, s.NET_COSTS) == []
    assert economy.get_result_caption(rows, s.NET_COSTS) == "Tabellen saknar summarad."


# --- chart frames ------------------------------------------------------------------------------------------------

def test_budget_outcome_frame_is_long_with_both_measures():
    rows = _rows("nettokostnad")
    frame = economy.get_budget_outcome_frame(rows)
    assert len(frame) == 2 * len(rows)
    assert frame[statements.MEASURE].unique().tolist() == ["Budget 2020", "Utfall 2020"]
    assert _plain(frame[statements.AMOUNT_LABEL].iloc[len(rows) - 1]) == "−105 546 tkr"
    assert frame.attrs["tt_amount"] == "Belopp"


@pytest.mark.parametrize("statement", ["drift", "nettokostnad", "investeringar"])
def test_budget_chart_names_break_onto_lines_without_losing_a_word(statement):
    rows = _rows(statement)
    labels = list(dict.fromkeys(economy.get_budget_outcome_frame(rows)[economy.LABEL]))
    assert [" ".join(label.split()) for label in labels] == [" ".join(name.split()) for name in rows[economy.LABEL]]
    for label in labels:
        lines = label.split("\n")
        assert len(lines) <= economy.ROW_LABEL_LINES and all(len(line) <= economy.ROW_LABEL_WIDTH for line in lines)
    if statement == "nettokostnad":
        assert sum("\n" in label for label in labels) == 2  # the two long "varav" rows


@pytest.mark.parametrize(("statement", "use_pct", "threshold", "texts"), [
    ("nettokostnad", False, 500, {"Kommunledningskontor": "−837 tkr  ◆ över gränsen",
                                  "Näringslivskontor": "−356 tkr", "Samhällsenhet": "+1 721 tkr  ◆ över gränsen",
                                  "Summa": "+677 tkr"}),
    ("nettokostnad", False, 1000, {"Kommunledningskontor": "−837 tkr", "Samhällsenhet": "+1 721 tkr  ◆ över gränsen"}),
    ("investeringar", True, 10, {"Vivsta 19:1": "– (ingen budget)  ◆ över gränsen", "IT mm": "+17,7 %  ◆ över gränsen",
                                 "Summa investeringar": "+8,7 %"}),
])
def test_deviation_frame_marks_beyond_rows_in_text(statement, use_pct, threshold, texts):
    table = statements.get_table_name(statement)
    frame = economy.get_deviation_frame(_rows(statement, threshold, use_pct), table, use_pct)
    got = dict(zip(frame[economy.LABEL], frame[economy.BAR_TEXT]))
    for label, text in texts.items():
        assert _plain(got[label]) == text
    assert not frame[economy.TEXT_X].isna().any()  # a % without budget sits at 0
    assert frame.attrs["sign_domain"] == economy.get_sign_domain(table)
    assert frame.attrs["x_title"] == ("Avvikelse, % av budget" if use_pct else "Avvikelse, tkr")


def test_deviation_frame_sign_labels_follow_the_table():
    frame = economy.get_deviation_frame(_rows("investeringar"), s.INVESTMENTS, False)
    got = dict(zip(frame[economy.LABEL], frame[economy.SIGN_LABEL]))
    assert got["Vivsta 19:1"] == "Högre utgift än budget"
    assert got["IT mm"] == "Lägre utgift än budget"


# --- tables ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("statement", "use_pct", "columns"), [
    ("drift", False, ["Post", "Budget 2020", "Utfall 2020", "Avvikelse 2020", "Utfall 2019 *",
                      "Över gränsen 500 tkr?"]),
    ("nettokostnad", False, ["Verksamhet", "Budget 2020", "Utfall 2020", "Avvikelse 2020", "Över gränsen 500 tkr?"]),
    ("nettokostnad", True, ["Verksamhet", "Budget 2020", "Utfall 2020", "Avvikelse 2020, % av budget",
                            "Över gränsen 10 %?"]),
    ("investeringar", False, ["Investering", "Budget 2020", "Utfall 2020", "Avvikelse 2020",
                              "Över gränsen 500 tkr?"]),
])
def test_statement_table_headers(statement, use_pct, columns):
    threshold = 10 if use_pct else 500
    table = statements.get_table_name(statement)
    got = format_table(economy.get_statement_data(_rows(statement, threshold, use_pct), table, threshold, use_pct), "sv")
    assert _plain(list(got.columns)) == columns


def test_net_cost_table_cells_are_swedish_and_sum_row_is_never_marked():
    rows = _rows("nettokostnad", 500)
    got = format_table(economy.get_statement_data(rows, s.NET_COSTS, 500, False), "sv")
    last = got.iloc[-1].tolist()
    assert _plain(last) == ["Summa", "−105 546 tkr", "−104 869 tkr", "+677 tkr", "summarad, markeras inte"]
    assert got.iloc[0, -1] == "◆ över gränsen"
    assert got.iloc[3, -1] == "inom gränsen"


def test_chart_twins_have_the_rows():
    rows = _rows("investeringar", 10, True)
    dev = format_table(economy.get_statement_data(rows, s.INVESTMENTS, 10, True), "sv")  # the deviation chart's table
    assert _plain(dev.iloc[1].tolist()) == ["Vivsta 19:1", "0 tkr", "2 538 tkr", "– (ingen budget)", "◆ över gränsen"]
    bud = format_table(economy.get_budget_outcome_data(rows), "sv")
    assert _plain(bud.iloc[-1].tolist()) == ["Summa investeringar", "12 700 tkr", "11 595 tkr"]
    fall = format_table(waterfall.get_waterfall_data(waterfall.get_waterfall_frame(_rows("nettokostnad"))), "sv")
    assert _plain(fall.iloc[5].tolist()) == ["Avrundning i rapporten", "−1 tkr", "−104 869 tkr"]


@pytest.mark.parametrize(("statement", "has_note"), [("drift", True), ("nettokostnad", False), ("investeringar", False)])
def test_prev_year_footnote_only_for_the_operating_statement(statement, has_note):
    note = economy.get_prev_year_note(_rows(statement))
    if has_note:
        assert note.startswith("* Mellan åren 2019 och 2020") and "inte är jämförbara" in note
    else:
        assert note is None


@pytest.mark.parametrize(("statement", "lang", "footnotes"), [
    ("drift", "sv", 1), ("drift", "en", 1), ("nettokostnad", "sv", 0), ("investeringar", "sv", 0)])
def test_statement_data_carries_the_footnote_on_last_years_column_into_its_files(statement, lang, footnotes):
    table = statements.get_table_name(statement)
    data = economy.get_statement_data(_rows(statement), table, 500, False, lang)
    assert vt.get_footnotes(data) == ([economy.get_prev_year_note(_rows(statement), lang)] if footnotes else [])
    frame = vt.get_export_frame(data, lang)
    assert len(frame) == len(data) + footnotes
    if footnotes:
        assert frame.iloc[-1, 0].startswith("* Mellan åren 2019 och 2020")


@pytest.mark.parametrize(("statement", "lang", "expected"), [
    ("nettokostnad", "sv", [{"figures_title": "Tabellen Nettokostnad och budgetavvikelse",
                             "figures": "Kommunledningskontor: avvikelse −837\u00a0tkr\n"
                                        "\u2003↳ varav politik, stöd- och ledningsfunktioner som IT, offentlig "
                                        "service, ekonomi- och upphandling samt HR: avvikelse +1\u00a0377\u00a0tkr\n"
                                        "\u2003↳ varav kommunalägda bolag och kommunförbund: avvikelse "
                                        "−2\u00a0214\u00a0tkr",
                             "text_title": "Rapporten, Årets verksamhet",
                             "text": "Tillsammans med återhållsamhet och vakanser förklarar det en positiv avvikelse för "
                                     "kommunledningskontorets verksamhet."}]),
    ("nettokostnad", "en", [{"figures_title": "The net cost and budget deviation table",
                             "figures": "Kommunledningskontor: deviation −837\u00a0SEK\u00a0k\n"
                                        "\u2003↳ of which politik, stöd- och ledningsfunktioner som IT, offentlig "
                                        "service, ekonomi- och upphandling samt HR: deviation +1,377\u00a0SEK\u00a0k\n"
                                        "\u2003↳ of which kommunalägda bolag och kommunförbund: deviation "
                                        "−2,214\u00a0SEK\u00a0k",
                             "text_title": "The report, Årets verksamhet",
                             "text": "Tillsammans med återhållsamhet och vakanser förklarar det en positiv avvikelse för "
                                     "kommunledningskontorets verksamhet."}]),
    ("drift", "sv", []),
    ("investeringar", "sv", []),
])
def test_conflicts_set_the_tables_figure_beside_the_text_that_contradicts_it(statement, lang, expected):
    table = statements.get_table_name(statement)
    rows = economy.get_base_rows(real_table(table), table, lang)
    assert economy.get_conflicts(rows, table, lang) == expected


# --- captions ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("statement", "expected"), [
    ("drift", "Utfallet blev 677 tkr bättre än budget: −104 869 tkr mot budgeterade −105 546 tkr."),
    ("nettokostnad", "Utfallet blev 677 tkr bättre än budget: −104 869 tkr mot budgeterade −105 546 tkr."),
    ("investeringar", "Investeringarna blev 1 104 tkr lägre än budget: 11 595 tkr mot budgeterade 12 700 tkr."),
])
def test_result_caption(statement, expected):
    assert _plain(economy.get_result_caption(_rows(statement), statements.get_table_name(statement))) == expected


@pytest.mark.parametrize(("statement", "threshold", "use_pct", "expected"), [
    ("nettokostnad", 500, False, "2 av 4 verksamheter och 2 av 2 varav-rader ligger över gränsen 500 tkr; "
                                 "Samhällsenhet har störst positiv avvikelse, 1 721 tkr."),
    ("nettokostnad", 1000, False, "1 av 4 verksamheter och 2 av 2 varav-rader ligger över gränsen 1 000 tkr; "
                                  "Samhällsenhet har störst positiv avvikelse, 1 721 tkr."),
    ("nettokostnad", 10, True, "2 av 4 verksamheter och 0 av 2 varav-rader ligger över gränsen 10 %; "
                               "Kommunens oförutsedda har störst positiv avvikelse, 100,0 %."),
    ("drift", 500, False, "2 av 2 poster ligger över gränsen 500 tkr; "
                          "Verksamhetens intäkter (+) har störst positiv avvikelse, 6 094 tkr."),
    ("investeringar", 3000, False, "0 av 5 investeringar ligger över gränsen 3 000 tkr; "
                                   "IT mm har störst positiv avvikelse, 1 943 tkr."),
])
def test_deviation_caption(statement, threshold, use_pct, expected):
    rows = _rows(statement, threshold, use_pct)
    got = economy.get_deviation_caption(rows, statements.get_table_name(statement), threshold, use_pct)
    assert _plain(got) == expected


def test_deviation_caption_names_the_largest_negative_when_none_is_positive():
    df = _net_costs([("A", "post", -100, -110, -10), ("B", "post", -100, -130, -30), ("Summa", "summa", -200, -240, -40)])
    rows = economy.get_statement_rows(df, s.NET_COSTS, 20, False)
    assert _plain(economy.get_deviation_caption(rows, s.NET_COSTS, 20, False)) == (
        "1 av 2 verksamheter ligger över gränsen 20 tkr; B har störst negativ avvikelse, −30 tkr.")
    assert _plain(economy.get_result_caption(rows, s.NET_COSTS)) == (
        "Utfallet blev 40 tkr sämre än budget: −240 tkr mot budgeterade −200 tkr.")


# --- reconciliation ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("statement", "expected"), [
    ("drift", ['"Verksamhetens nettokostnader", utfall 2019: tryckt −90 034 tkr, beräknat −90 035 tkr '
               "(summan av raderna ovanför)."]),
    ("nettokostnad", [f'"varav {POLITIK}", avvikelse: tryckt 1 377 tkr, beräknat 1 378 tkr '
                      "(avvikelsen räknad ur budget och utfall).",
                      f'"varav {BOLAG}", avvikelse: tryckt −2 214 tkr, beräknat −2 215 tkr '
                      "(avvikelsen räknad ur budget och utfall).",
                      '"Summa", utfall: tryckt −104 869 tkr, beräknat −104 868 tkr (summan av raderna ovanför).',
                      '"Summa", avvikelse: tryckt 677 tkr, beräknat 678 tkr (summan av raderna ovanför).']),
    ("investeringar", ['"Summa investeringar", avvikelse: tryckt 1 104 tkr, beräknat 1 105 tkr '
                       "(avvikelsen räknad ur budget och utfall).",
                       '"Summa investeringar", avvikelse: tryckt 1 104 tkr, beräknat 1 105 tkr '
                       "(summan av raderna ovanför)."]),
])
def test_mismatch_lines_in_plain_swedish(statement, expected):
    frames = real_frames()
    assert _plain(economy.get_mismatch_lines(frames, statements.get_table_name(statement))) == expected


def test_no_mismatch_lines_when_the_figures_agree():
    df = _net_costs([("A", "post", -100, -90, 10), ("Summa", "summa", -100, -90, 10)])
    assert economy.get_mismatch_lines({s.NET_COSTS: df}, s.NET_COSTS) == []


@pytest.mark.parametrize(("part", "sv", "en"), [
    ("avvikelser", "Avvikelser", "Deviations"),
    ("budget", "Budget och utfall", "Budget and outcome"),
    ("avstamning", "Avstämning mot rapporten", "Reconciliation with the report"),
])
def test_each_part_has_a_name_in_both_languages(part, sv, en):
    assert part in economy.PARTS
    assert (economy.format_part(part), economy.format_part(part, "en")) == (sv, en)


@pytest.mark.parametrize(("statement", "threshold", "broken", "lines"), [
    # Net costs: the two "↳ varav" rows need four and two lines of 30 characters, the first with its marker's line.
    ("nettokostnad", 500, 2, 5),
    ("nettokostnad", 5000, 2, 4),  # nothing beyond the threshold: no marker lines
])
def test_a_phone_gets_the_deviation_names_broken_onto_lines_and_never_cut(statement, threshold, broken, lines):
    frame = economy.get_deviation_frame(_rows(statement, threshold), statements.get_table_name(statement), False)
    narrow, most = economy.get_narrow_deviation_frame(frame)
    assert most == lines
    assert sum("\n" in label for label in narrow[economy.LABEL]) == broken
    assert [label.replace("\n", " ") for label in narrow[economy.LABEL]] == list(frame[economy.LABEL])
    assert all(len(line) <= economy.NARROW_NAME_CHARS for label in narrow[economy.LABEL] for line in label.split("\n"))
    assert narrow.attrs == frame.attrs


def test_short_deviation_names_need_no_phone_chart_of_their_own():
    frame = economy.get_deviation_frame(_rows("drift"), s.OPERATING, False)
    assert all(len(str(label)) <= economy.NARROW_NAME_CHARS for label in frame[economy.LABEL])
    assert economy.get_narrow_deviation_frame(frame) is None


@pytest.mark.parametrize(("statement", "bar_step"), [("nettokostnad", 57), ("drift", 22), ("investeringar", 22)])
def test_a_phones_budget_chart_breaks_names_onto_short_lines_and_makes_room_for_them(statement, bar_step):
    frame, step = economy.get_narrow_budget_outcome_frame(_rows(statement))
    assert step == bar_step  # net costs: the longest "↳ varav" name takes seven lines, so each bar is 57 px high
    assert all(len(line) <= economy.NARROW_LABEL_CHARS for name in frame[economy.LABEL] for line in name.split("\n"))
    assert not any("…" in name for name in frame[economy.LABEL])
    assert list(frame[statements.AMOUNT]) == list(economy.get_budget_outcome_frame(_rows(statement))[statements.AMOUNT])
