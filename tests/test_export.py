"""Tests of ks_data.viewtable and ks_data.outputs.export: every view table downloads as CSV and Excel with the view's numbers,
and charts render offline to PNG and SVG with the Swedish number format."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from ks_data import calc, catalog, charts
from ks_data import schema as s
from ks_data import viewtable as vt
from ks_data.errors import Problem
from ks_data.outputs import export
from ks_data.reconcile import calc_reconciliation
from ks_data.views import activities as activity
from ks_data.views import comparisons as comparison
from ks_data.views import economy, waterfall
from ks_data.views import goals as goal_views
from ks_data.views import overview as overview_views
from tests.helpers import FORMULA_TEXTS, formula_frames, real_frames, real_table

MINUS, NBSP = "\u2212", "\u00a0"


def _rows(table: str, threshold: float = 500, use_pct: bool = False, frames: dict | None = None) -> pd.DataFrame:
    data = real_table(table) if frames is None else frames[table]
    return economy.get_statement_rows(data, table, threshold, use_pct)


def _view_tables(frames: dict[str, pd.DataFrame] | None = None, message: str = "Ett exempel") -> dict[str, pd.DataFrame]:
    """Every typed view table the pages show, built from ``frames`` (default: the committed data)."""
    frames = real_frames() if frames is None else frames
    net = _rows(s.NET_COSTS, frames=frames)
    comparisons = frames[s.COMPARISONS]
    changes = comparison.calc_changes(comparisons, None, 2018, 2020)
    indicators = calc.calc_indicator_statuses(frames[s.INDICATORS], 2)
    activities = frames[s.ACTIVITIES]
    problems = [Problem("data/goals.parquet", s.GOALS, message, row=3, column="title"),
                Problem("data/goals.parquet", s.GOALS, "Utan rad")]
    return {
        "drift": economy.get_statement_data(_rows(s.OPERATING, frames=frames), s.OPERATING, 500, False),
        "drift_pct": economy.get_statement_data(_rows(s.OPERATING, 10, True, frames), s.OPERATING, 10, True),
        "netto": economy.get_statement_data(net, s.NET_COSTS, 500, False),
        "invest_pct": economy.get_statement_data(_rows(s.INVESTMENTS, 10, True, frames), s.INVESTMENTS, 10, True),
        "budget": economy.get_budget_outcome_data(net),
        "waterfall": waterfall.get_waterfall_data(waterfall.get_waterfall_frame(net)),
        "changes": comparison.get_change_data(changes, True),
        "chart_table": comparison.get_chart_table_data(changes, False),
        "index_table": comparison.get_chart_table_data(changes, True),
        "counts": activity.get_count_data(activity.calc_status_counts(activities)),
        "indicators": goal_views.get_indicator_data(indicators),
        "mismatches": catalog.get_mismatch_data(calc_reconciliation(frames)),
        "sources": catalog.get_source_data(frames),
        "problems": catalog.get_problem_data(problems),
    }


VIEW_TABLES = _view_tables()


def _expected(value, column: vt.Column | None):
    """The value a download should hold for a typed cell: numbers rounded as shown, empty for missing."""
    if vt.is_missing(value) or value == "":
        return None
    if isinstance(value, str) or column is None or column.kind == vt.UNIT:
        return value
    return round(float(value), column.decimals) if column.decimals is not None else float(value)


def _same(expected, got) -> bool:
    """Compare a cell as expected with one read back, both normalized by _cell."""
    expected, got = _cell(expected), _cell(got)
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, float):
        return isinstance(got, float) and math.isclose(got, expected, abs_tol=1e-9)
    return str(got) == str(expected)


def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False,
                       na_values=[""])


def _cell(value):
    """A cell read back by pandas as a plain Python value (a number as float, text as str, empty as None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == "":
        return None
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    return float(value) if isinstance(value, int | float) else value


def _without_footnotes(back: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    """Check that a file holds the view's rows and under them its footnotes (first cell, the rest empty); return the
    view's rows."""
    notes = vt.get_footnotes(typed)
    assert len(back) == len(typed) + len(notes)
    under = back.iloc[len(typed):]
    assert under.iloc[:, 0].tolist() == notes
    assert all(_cell(v) is None for v in under.iloc[:, 1:].to_numpy().ravel())
    return back.iloc[:len(typed)]


@pytest.mark.parametrize("name", list(VIEW_TABLES))
def test_csv_reads_back_with_the_views_numbers(name: str) -> None:
    """CSV read with pandas (sep ';', decimal ','): same rows, the view's headers (with units), the same numbers."""
    typed = VIEW_TABLES[name]
    data = export.write_csv(typed)
    assert data.startswith(b"\xef\xbb\xbf")
    back = _read_csv(data)
    formats = vt.get_formats(typed)
    assert list(back.columns) == [vt.get_export_header(c, formats.get(c)) for c in typed.columns]
    back = _without_footnotes(back, typed)
    for column, header in zip(typed.columns, back.columns, strict=True):
        for value, got in zip(typed[column], back[header], strict=True):
            assert _same(_expected(value, formats.get(column)), got), (name, column, value, got)


@pytest.mark.parametrize("name", list(VIEW_TABLES))
def test_excel_reads_back_with_the_views_numbers(name: str) -> None:
    """Excel read with pandas: same headers and numbers; percentages are Excel percentages (0,9 % is 0.009)."""
    typed = VIEW_TABLES[name]
    back = pd.read_excel(io.BytesIO(export.write_xlsx(typed, name)))
    formats = vt.get_formats(typed)
    assert list(back.columns) == [vt.get_export_header(c, formats.get(c)) for c in typed.columns]
    back = _without_footnotes(back, typed)
    for column, header in zip(typed.columns, back.columns, strict=True):
        fmt = formats.get(column)
        for value, got in zip(typed[column], back[header], strict=True):
            if fmt is not None and fmt.kind == vt.PERCENT and _cell(got) is not None:
                got = _cell(got) * 100
            assert _same(_expected(value, fmt), got), (name, column, value, got)


def test_screen_and_download_hold_the_same_statement() -> None:
    """The screen shows "−105 546 tkr"; the CSV holds -105546 under "Budget 2020 (tkr)", Excel a number."""
    typed = VIEW_TABLES["netto"]
    shown = vt.format_table(typed)
    assert shown["Budget 2020"].iloc[-1] == f"{MINUS}105{NBSP}546{NBSP}tkr"
    assert shown["Avvikelse 2020"].iloc[-1] == f"+677{NBSP}tkr"
    text = export.write_csv(typed).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Verksamhet;Budget 2020 (tkr);Utfall 2020 (tkr);Avvikelse 2020 (tkr)")
    assert "Summa;-105546;-104869;677;" in text
    ws = load_workbook(io.BytesIO(export.write_xlsx(typed, "Nettokostnad 2020"))).active
    last = [c.value for c in ws[ws.max_row]]
    assert last[:4] == ["Summa", -105546, -104869, 677]
    assert ws["B2"].number_format == f'#,##0;"{MINUS}"#,##0;#,##0'
    assert ws["D2"].number_format == f'"+"#,##0;"{MINUS}"#,##0;#,##0'
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"


def test_percent_columns_are_excel_percentages_and_decimal_comma_in_csv() -> None:
    """A deviation in % of budget: "+20,4 %" on screen, 20,4 in the CSV, 0.204 formatted as a percentage in Excel."""
    typed = VIEW_TABLES["drift_pct"]
    header = "Avvikelse 2020, % av budget"
    assert vt.format_table(typed)[header].iloc[0] == f"+20,4{NBSP}%"
    assert ";20,4;" in export.write_csv(typed).decode("utf-8-sig")
    ws = load_workbook(io.BytesIO(export.write_xlsx(typed, "Drift"))).active
    column = [c.column_letter for c in ws[1] if c.value == header][0]
    assert ws[f"{column}2"].value == pytest.approx(0.204)
    assert "%" in ws[f"{column}2"].number_format and ws[f"{column}2"].number_format.startswith('"+"')


def test_zero_budget_percent_is_empty_in_the_files_and_explained_on_screen() -> None:
    """Vivsta 19:1 has no budget: the screen says "– (ingen budget)", the files leave the cell empty."""
    typed = VIEW_TABLES["invest_pct"]
    header = [c for c in typed.columns if "%" in c][0]
    row = list(typed.iloc[:, 0]).index("Vivsta 19:1")
    assert vt.format_table(typed)[header].iloc[row] == "– (ingen budget)"
    assert math.isnan(_read_csv(export.write_csv(typed))[header].iloc[row])


def test_indicator_values_keep_their_unit_and_words() -> None:
    """Measured values are numbers with an "Enhet" column in the files; a value the report gives in words stays text."""
    typed = VIEW_TABLES["indicators"]
    shown = vt.format_table(typed)
    assert "Enhet" in typed.columns and "Enhet" not in shown.columns
    assert shown["Mätvärde"].iloc[0] == f"80{NBSP}%"
    back = _read_csv(export.write_csv(typed))
    assert back["Enhet"].iloc[0] == "%" and float(back["Mätvärde"].iloc[0]) == 80
    words = [v for v in typed["Mätvärde"] if isinstance(v, str)]
    assert words and set(words) <= set(back["Mätvärde"].astype(str))


def test_units_in_header_for_printed_tables() -> None:
    """The PDF's tables print "−105 546" under "Budget 2020 (tkr)"."""
    printed = vt.format_table(VIEW_TABLES["netto"], units_in_header=True)
    assert printed["Budget 2020 (tkr)"].iloc[-1] == f"{MINUS}105{NBSP}546"


def test_plain_text_tables_download_as_they_are() -> None:
    """A table of text (no formats) goes into the files unchanged."""
    legend = overview_views.get_status_legend()
    assert vt.get_export_frame(legend) is legend
    back = _read_csv(export.write_csv(legend))
    assert back.equals(legend.astype(object)) or list(back.iloc[:, 0]) == list(legend.iloc[:, 0])


def test_formats_must_name_existing_columns() -> None:
    with pytest.raises(KeyError):
        vt.with_formats(pd.DataFrame({"a": [1]}), {"b": vt.Column(vt.TKR)})
    with pytest.raises(ValueError):
        vt.Column(vt.VALUE)


def test_sheet_and_file_names_are_safe() -> None:
    assert export.get_sheet_name("Budget [2020]: a/b?" + "x" * 40) == "Budget -2020-- a-b-xxxxxxxxxxxx"[:31]
    assert len(export.get_sheet_name("x" * 40)) == 31
    assert export.get_file_name("Ekonomi: Nettokostnad 2020", "csv") == "ekonomi-nettokostnad-2020.csv"


def test_catalog_csv_is_the_same_writer() -> None:
    """The raw-table CSV of Om data uses the one CSV writer: BOM, ';', decimal comma, whole numbers without ',0'."""
    data = catalog.write_csv(real_table(s.OPERATING), s.OPERATING)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert ";-105546;" in text and "-105546,0" not in text


@pytest.fixture(scope="module")
def waterfall_chart():
    return charts.waterfall_chart(waterfall.get_waterfall_frame(_rows(s.NET_COSTS)))


def test_chart_png_is_a_valid_image(waterfall_chart) -> None:
    png = export.write_chart_png(waterfall_chart)
    assert png.startswith(export.PNG_SIGNATURE) and len(png) > 10_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= export.CHART_WIDTH and height > 200


def test_chart_svg_has_the_swedish_numbers_as_on_screen(waterfall_chart) -> None:
    """SVG parses as XML and prints "−105 546 tkr" and axis labels "−105 000" with U+2212 and U+00A0."""
    svg = export.write_chart_svg(waterfall_chart)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = [el.text or "" for el in root.iter() if el.tag.endswith("text")]
    assert f"{MINUS}105{NBSP}546{NBSP}tkr" in texts
    assert f"{MINUS}105{NBSP}000" in texts
    assert f"+1{NBSP}721{NBSP}tkr" in texts
    assert not any("-105" in t or "105,546" in t for t in texts)


def test_chart_json_gets_export_width_and_font_but_keeps_concat_sizes() -> None:
    import json

    indicators = calc.calc_indicator_statuses(real_table(s.INDICATORS), 2)
    layered = json.loads(export.get_chart_json(charts.status_count_chart(
        activity.calc_status_counts(real_table(s.ACTIVITIES)))))
    assert layered["width"] == export.CHART_WIDTH and layered["config"]["font"] == export.CHART_FONT
    assert layered["config"]["locale"]["number"]["minus"] == MINUS
    one_goal = goal_views.get_goal_indicators(indicators, "2.1")
    concat = json.loads(export.get_chart_json(charts.target_chart(goal_views.get_target_chart_frame(one_goal))))
    assert "width" not in concat


def test_english_files_have_english_headers_and_numbers_for_english_excel() -> None:
    """In English the screen shows "−105,546 SEK k"; the CSV is comma-separated with a decimal point under
    "Budget 2020 (SEK k)"; Excel holds the same numbers under the same headers."""
    rows = economy.get_statement_rows(real_table(s.NET_COSTS), s.NET_COSTS, 500, False, "en")
    typed = economy.get_statement_data(rows, s.NET_COSTS, 500, False, "en")
    shown = vt.format_table(typed, "en")
    assert shown["Budget 2020"].iloc[-1] == f"{MINUS}105,546{NBSP}SEK{NBSP}k"
    text = export.write_csv(typed, "en").decode("utf-8-sig")
    assert text.splitlines()[0].startswith(f"Service,Budget 2020 (SEK{NBSP}k),Outcome 2020 (SEK{NBSP}k),Deviation 2020")
    assert "Summa,-105546,-104869,677," in text
    ws = load_workbook(io.BytesIO(export.write_xlsx(typed, "Net cost 2020", "en"))).active
    assert [c.value for c in ws[1]][:2] == ["Service", f"Budget 2020 (SEK{NBSP}k)"]
    pct = economy.get_statement_data(economy.get_statement_rows(real_table(s.OPERATING), s.OPERATING, 10, True, "en"),
                                     s.OPERATING, 10, True, "en")
    assert ",20.4," in export.write_csv(pct, "en").decode("utf-8-sig")


# ---------------------------------------------------------------------------------------------------------------
# Formula injection: text from the data that a spreadsheet would run is written as text, numbers stay numbers.

FORMULA_VIEW_TABLES = _view_tables(formula_frames(), message=FORMULA_TEXTS[0])
FORMULA_CASES = [(name, lang) for name in FORMULA_VIEW_TABLES for lang in ("sv", "en")]


def _is_csv_number(cell: str, lang: str) -> bool:
    sep, decimal = export.CSV_FORMATS[lang]
    try:
        float(cell.replace(decimal, ".") if decimal != "." else cell)
    except ValueError:
        return False
    return True


def _texts(frame: pd.DataFrame) -> list[str]:
    return [v for column in frame.columns for v in frame[column] if isinstance(v, str)]


def _csv_cells(data: bytes, lang: str) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=export.CSV_FORMATS[lang][0]))


def _is_number(value) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
            and not math.isnan(value))


@pytest.mark.parametrize(("name", "lang"), FORMULA_CASES)
def test_csv_writes_formula_like_texts_as_text(name: str, lang: str) -> None:
    """Cell by cell: a text that begins with = + - @ tab or CR is written "'=…" (Excel shows the text, runs nothing),
    other texts as they are, and every number, negative ones too, as a bare number."""
    typed = FORMULA_VIEW_TABLES[name]
    frame = vt.get_export_frame(typed, lang)
    rows = _csv_cells(export.write_csv(typed, lang), lang)
    assert len(rows) == len(frame) + 1
    for values, cells in zip(frame.itertuples(index=False, name=None), rows[1:], strict=True):
        for value, cell in zip(values, cells, strict=True):
            if _is_number(value):
                assert _is_csv_number(cell, lang), (value, cell)
            elif isinstance(value, str):
                assert cell == ("'" + value if export.is_formula_text(value) else value), (value, cell)
    assert not [c for row in rows for c in row if export.is_formula_text(c) and not _is_csv_number(c, lang)]


@pytest.mark.parametrize(("name", "lang"), FORMULA_CASES)
def test_excel_stores_formula_like_texts_as_string_cells(name: str, lang: str) -> None:
    """No cell of the workbook is a formula: each text is a string cell holding the text as written, each number a
    number cell."""
    typed = FORMULA_VIEW_TABLES[name]
    frame = vt.get_export_frame(typed, lang)
    ws = load_workbook(io.BytesIO(export.write_xlsx(typed, name, lang))).active
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    for values, cells in zip(frame.itertuples(index=False, name=None), ws.iter_rows(min_row=2), strict=True):
        for value, cell in zip(values, cells, strict=True):
            if _is_number(value):
                assert cell.data_type == "n" and isinstance(cell.value, int | float), (value, cell.value)
            elif isinstance(value, str) and value:
                # XML reads a CR back as LF; the text is otherwise exactly as written, without a "'".
                assert cell.data_type == "s" and cell.value == value.replace("\r", "\n"), (value, cell.value)


def test_the_formula_texts_reach_the_view_tables() -> None:
    """The cases above are not empty: the tables that show text from the data show formula-like texts, of each kind."""
    carrying = {name for name, typed in FORMULA_VIEW_TABLES.items()
                if any(export.is_formula_text(t) for t in _texts(vt.get_export_frame(typed)))}
    assert carrying >= {"drift", "netto", "budget", "waterfall", "changes", "indicators", "mismatches", "sources",
                        "problems", "invest_pct"}, carrying
    seen = {t.split(" ")[0] for typed in FORMULA_VIEW_TABLES.values() for t in _texts(vt.get_export_frame(typed))}
    assert {t.split(" ")[0] for t in FORMULA_TEXTS} <= seen


@pytest.mark.parametrize("text", [*FORMULA_TEXTS, "-", "+", "=", "Summa", "−105 546", "a=b"])
def test_one_rule_for_formula_like_text(text: str) -> None:
    """The rule: a text that begins with = + - @ tab or CR and has more after it; U+2212 and a lone sign are text."""
    expected = len(text) > 1 and text[0] in "=+-@\t\r"
    assert export.is_formula_text(text) is expected
    assert export.get_csv_text(text) == ("'" + text if expected else text)
    assert not export.is_formula_text(-105546) and export.get_csv_text(-105546) == -105546


@pytest.mark.parametrize("table", s.TABLES)
def test_raw_csv_of_om_data_writes_formula_like_texts_as_text(table: str) -> None:
    """Om data's raw table CSVs: the same rule; negative amounts stay bare numbers."""
    frames = formula_frames()
    rows = _csv_cells(catalog.write_csv(frames[table], table), "sv")
    assert len(rows) == len(frames[table]) + 1
    cells = [c for row in rows for c in row]
    assert [c for c in cells if export.is_formula_text(c) and not _is_csv_number(c, "sv")] == []
    for text in _texts(frames[table]):
        if export.is_formula_text(text):
            assert "'" + text in cells, text
    if table == s.NET_COSTS:
        assert "-105546" in cells


def test_dataset_zip_holds_no_spreadsheet_and_the_texts_as_written(tmp_path) -> None:
    """The zip holds Parquet, Markdown and a README (nothing a spreadsheet runs); its Parquet keeps the texts as written."""
    import zipfile

    import pyarrow.parquet as pq

    from tests.helpers import write_formula_data

    folder = catalog.read_data_folder(write_formula_data(tmp_path / "data"))
    with zipfile.ZipFile(io.BytesIO(catalog.write_dataset_zip(folder, "rapport"))) as zf:
        names = zf.namelist()
        assert not [n for n in names if n.endswith((".csv", ".xlsx", ".xls"))], names
        parquet = [n for n in names if n.endswith(".parquet") and "activities" in n][0]
        back = pq.read_table(io.BytesIO(zf.read(parquet))).to_pandas()
    assert list(back["name"]) == list(formula_frames()[s.ACTIVITIES]["name"])
