"""AppTest tests of the downloads on every page: each table shown has "Ladda ner CSV" and "Ladda ner Excel", each
chart "Ladda ner PNG" and "Ladda ner SVG", and what they give parses back to the numbers the page shows.

The buttons generate their file when clicked (a callable ``data``); the tests catch those callables as the
page registers them and call them, as Streamlit does on a click.
"""

from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from ks_data import schema as s
from ks_data.outputs import export
from ks_data.outputs.report_pdf import ReportError
from tests import apptest_util
from tests.apptest_util import assert_clean, open_chart_extras, open_page

MISSING = {"", "–", "– (ingen budget)"}
SWEDISH_NUMBER = re.compile(r"^([+\u2212]?)(\d{1,3}(?:\u00a0\d{3})*)(?:,(\d+))?(?:\u00a0(?:tkr|%|procentenheter))?$")


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Record the callable behind every download button the page registers: {deferred file id: callable}."""
    recorded: dict = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        recorded[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return recorded


def _download(files: dict, button) -> bytes:
    """Return the file a download button gives, as a click would."""
    data = files[button.proto.deferred_file_id]()
    return data.encode("utf-8") if isinstance(data, str) else data


def _buttons(at, prefix: str) -> list:
    return [b for b in at.get("download_button") if (b.key or "").startswith(prefix)]


def _number(text: str) -> float | None:
    """The number a Swedish display cell shows ("−105 546 tkr" → -105546.0), or None for a text cell."""
    match = SWEDISH_NUMBER.match(text)
    if not match:
        return None
    sign, whole, fraction = match.groups()
    value = float(whole.replace("\u00a0", "") + (f".{fraction}" if fraction else ""))
    return -value if sign == "\u2212" else value


def _file_number(value) -> float | None:
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _footnote_rows(back: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of a file under the table's own rows: its footnotes ("* …" in the first cell, nothing else)."""
    notes = back.iloc[len(shown):]
    for _, row in notes.iterrows():
        assert str(row.iloc[0]).startswith("* "), row.iloc[0]
        assert all(_file_number(v) is None and not (isinstance(v, str) and v.strip()) for v in row.iloc[1:]), row
    return notes


def _assert_same_as_shown(shown: pd.DataFrame, back: pd.DataFrame, percent_scale: float = 1.0) -> None:
    """Every cell shown on the page is in the file: numbers as the same numbers, words as the same words; under them
    only the table's footnotes."""
    assert len(back) - len(_footnote_rows(back, shown)) == len(shown)
    back = back.iloc[:len(shown)]
    headers = list(back.columns)
    for column in shown.columns:
        header = str(column).replace("\\", "")
        match = [h for h in headers if h in (header, f"{header} (tkr)", f"{header} (%)")]
        assert match, (header, headers)
        is_pct = match[0].endswith("(%)") or "%" in header
        for cell, got in zip(shown[column], back[match[0]], strict=True):
            cell = str(cell).replace("\\", "")
            number = _number(cell)
            if cell in MISSING:
                assert _file_number(got) is None and (not isinstance(got, str) or got.strip() in ("", cell)), \
                    (header, cell, got)
            elif number is not None:
                got_number = _file_number(got)
                assert got_number is not None, (header, cell, got)
                scale = percent_scale if is_pct and cell.endswith("%") else 1.0
                assert math.isclose(got_number * scale, number, abs_tol=1e-6), (header, cell, got)
            else:
                assert str(got) == cell, (header, cell, got)


def _check_tables(at, files: dict) -> int:
    """Check that each table on the page has a CSV and an Excel download that hold exactly what it shows."""
    csv_buttons, xlsx_buttons = _buttons(at, "dl_csv_"), _buttons(at, "dl_xlsx_")
    tables = apptest_util.get_tables(at) + [d.value for d in at.dataframe]
    assert len(csv_buttons) == len(xlsx_buttons) == len(tables) > 0
    assert {b.proto.label for b in csv_buttons} == {"Ladda ner CSV"}
    assert {b.proto.label for b in xlsx_buttons} == {"Ladda ner Excel"}
    for shown, csv_button, xlsx_button in zip(tables, csv_buttons, xlsx_buttons, strict=True):
        csv = _download(files, csv_button)
        assert csv.startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False,
                           na_values=[""])
        _assert_same_as_shown(shown, back)
        excel = pd.read_excel(io.BytesIO(_download(files, xlsx_button)))
        _assert_same_as_shown(shown, excel, percent_scale=100.0)
    return len(tables)


def _check_charts(at, files: dict, render: bool = False, sets: int | None = None) -> None:
    """Check that there are ``sets`` PNG and SVG downloads (default: one per chart; an opened goal draws one chart per
    indicator and offers them as one file); with ``render``, that they are a valid PNG and SVG."""
    png, svg = _buttons(at, "dl_png_"), _buttons(at, "dl_svg_")
    charts = len(apptest_util.get_charts(at))
    assert charts > 0 and len(png) == len(svg) == (charts if sets is None else sets)
    assert {b.proto.label for b in png} == {"Ladda ner PNG"} and {b.proto.label for b in svg} == {"Ladda ner SVG"}
    if render:
        for button in png:
            assert _download(files, button).startswith(export.PNG_SIGNATURE)
        for button in svg:
            ET.fromstring(_download(files, button))


def _keys_unique(at) -> None:
    keys = [b.key for b in at.get("download_button")]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("params", "tables"), [
    ({}, 1),  # the statement as in the report, under the deviation chart
    ({"tabell": "drift", "procent": "1"}, 1),
    ({"tabell": "investeringar", "grans": "1000"}, 1),
    ({"visa": "budget"}, 2),  # budget and outcome; the waterfall
    ({"tabell": "drift", "visa": "budget"}, 1),
])
def test_economy_downloads_hold_the_views_numbers(files, params, tables) -> None:
    at = open_chart_extras(open_page("pages/2_ekonomi.py", params))
    assert_clean(at)
    _keys_unique(at)
    assert _check_tables(at, files) == tables
    _check_charts(at, files)


FOOTNOTE = ("* Mellan åren 2019 och 2020 gjordes en ändring i redovisning av fördelning av gemensamma stödkostnader, "
            "vilket gör att beloppen inte är jämförbara mellan åren. En ytterligare faktor är att Arbetsmarknadsenheten "
            "flyttades från KS till Socialnämnden från och med 2020.")


@pytest.mark.parametrize("params", [{"tabell": "drift"}, {"tabell": "drift", "procent": "1"}])
def test_operating_statement_files_carry_the_footnote_on_last_years_column(files, params) -> None:
    """The report's "*" marks the whole "Utfall 2019" column: the note goes under the table in the CSV and the Excel."""
    at = open_chart_extras(open_page("pages/2_ekonomi.py", params))
    [csv_button] = [b for b in _buttons(at, "dl_csv_") if b.key.startswith("dl_csv_ekonomi-drift-2020")]
    [xlsx_button] = [b for b in _buttons(at, "dl_xlsx_") if b.key.startswith("dl_xlsx_ekonomi-drift-2020")]
    csv = pd.read_csv(io.BytesIO(_download(files, csv_button)), sep=";", decimal=",", encoding="utf-8-sig")
    excel = pd.read_excel(io.BytesIO(_download(files, xlsx_button)))
    for back in (csv, excel):
        assert "Utfall 2019 * (tkr)" in back.columns
        assert len(back) == 4 and back.iloc[-1, 0] == FOOTNOTE
        assert back["Utfall 2019 * (tkr)"].iloc[:3].tolist() == [104395, -194430, -90034]
        assert back.iloc[-1, 1:].isna().all()


def test_a_statement_without_last_years_column_has_no_footnote_row(files) -> None:
    at = open_chart_extras(open_page("pages/2_ekonomi.py", {"tabell": "nettokostnad"}))
    button = [b for b in _buttons(at, "dl_csv_") if b.key == "dl_csv_ekonomi-nettokostnad-2020.csv"][0]
    back = pd.read_csv(io.BytesIO(_download(files, button)), sep=";", decimal=",", encoding="utf-8-sig")
    assert back.iloc[-1, 0] == "Summa" and not back.iloc[:, 0].astype(str).str.startswith("*").any()


def test_economy_chart_files_render_with_swedish_numbers(files) -> None:
    """The waterfall's SVG, as downloaded, says "−105 546 tkr" with U+2212 and U+00A0 as on screen."""
    at = open_chart_extras(open_page("pages/2_ekonomi.py", {"visa": "budget"}))
    _check_charts(at, files, render=True)
    waterfall = [b for b in _buttons(at, "dl_svg_") if "vattenfall" in b.key][0]
    svg = _download(files, waterfall).decode("utf-8")
    assert "\u2212105\u00a0546\u00a0tkr" in svg
    assert waterfall.proto.help.endswith("ekonomi-nettokostnad-2020-vattenfall.svg")


def test_economy_statement_csv_has_the_printed_figures(files) -> None:
    at = open_chart_extras(open_page("pages/2_ekonomi.py", {"tabell": "nettokostnad"}))
    button = [b for b in _buttons(at, "dl_csv_") if b.key == "dl_csv_ekonomi-nettokostnad-2020.csv"][0]
    back = pd.read_csv(io.BytesIO(_download(files, button)), sep=";", decimal=",", encoding="utf-8-sig")
    total = back[back["Verksamhet"] == "Summa"].iloc[0]
    assert (total["Budget 2020 (tkr)"], total["Utfall 2020 (tkr)"], total["Avvikelse 2020 (tkr)"]) == \
        (-105546, -104869, 677)


@pytest.mark.parametrize("params", [{}, {"status": "partly"}, {"mal": "1.3"}, {"mal": "2.2", "marginal": "10"},
                                    {"mal": "4.2"}])
def test_goal_downloads_hold_the_views_numbers(files, params) -> None:
    at = open_chart_extras(open_page("pages/1_mal.py", params))
    assert_clean(at)
    _keys_unique(at)
    _check_tables(at, files)
    if "mal" in params:
        _check_charts(at, files, render=True, sets=1)


def _wide_title(text) -> str:
    """A chart title as a desktop (and a downloaded file, drawn at its fixed width) shows it: a title that breaks onto
    lines in a narrow container is an expression ``narrow ? "…" : "…"``, whose last string is the wide one."""
    if isinstance(text, dict):
        return json.loads(re.findall(r'"(?:[^"\\]|\\.)*"', text["expr"])[-1])
    return text


def test_a_goals_chart_files_hold_every_indicator(files) -> None:
    at = open_chart_extras(open_page("pages/1_mal.py", {"mal": "4.2"}))
    assert len(apptest_util.get_charts(at)) == 3
    [button] = _buttons(at, "dl_svg_")
    texts = " ".join(ET.fromstring(_download(files, button)).itertext())
    names = [_wide_title(spec["title"]["text"]) for spec in apptest_util.get_chart_specs(at)]  # one per indicator
    assert len(set(names)) == 3 and all(name in texts for name in names), (names, texts[:500])


def test_goal_list_download_is_the_filtered_list(files) -> None:
    at = open_chart_extras(open_page("pages/1_mal.py", {"status": "fulfilled"}))
    back = pd.read_csv(io.BytesIO(_download(files, _buttons(at, "dl_csv_")[0])), sep=";", encoding="utf-8-sig")
    assert list(back["Mål"].astype(str)) == ["2.1", "3.2", "4.3"]


@pytest.mark.parametrize(("script", "params"), [
    ("pages/3_jamforelsetal.py", {}), ("pages/3_jamforelsetal.py", {"index": "1"}),
    ("pages/3_jamforelsetal.py", {"matt": "fardtjanst", "period": "2019-2020"}),
    ("pages/4_aktiviteter.py", {}), ("pages/4_aktiviteter.py", {"status": "genomfort"}),
])
def test_comparison_and_activity_downloads_hold_the_views_numbers(files, script, params) -> None:
    at = open_chart_extras(open_page(script, params))
    assert_clean(at)
    _keys_unique(at)
    _check_tables(at, files)
    _check_charts(at, files)


@pytest.mark.parametrize("script", ["pages/2_ekonomi.py", "pages/4_aktiviteter.py"])
def test_chart_table_and_files_wait_behind_one_closed_expander(script) -> None:
    """Each chart offers its table and its files under "Visa som tabell och ladda ner", closed at first; opening it
    shows the table twin with CSV and Excel and the chart's PNG and SVG."""
    at = open_page(script)
    closed = {b.key for b in at.get("download_button")}
    charts = len(apptest_util.get_charts(at))
    extras = [e for e in at.expander if e.label == "Visa som tabell och ladda ner"]
    assert charts > 0 and len(extras) == charts
    assert not any(key.startswith(("dl_png_", "dl_svg_")) for key in closed)
    opened = open_chart_extras(at)
    assert_clean(opened)
    keys = [b.key for b in opened.get("download_button")]
    assert sum(key.startswith("dl_png_") for key in keys) == sum(key.startswith("dl_svg_") for key in keys) == charts
    assert len([k for k in keys if k.startswith("dl_csv_")]) == len([k for k in closed if k.startswith("dl_csv_")]) \
        + charts


def test_overview_offers_its_table_and_the_report(files) -> None:
    at = open_page()
    assert_clean(at)
    _check_tables(at, files)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Rapport (PDF)" in labels


def test_about_page_tables_zip_and_report(files) -> None:
    """Om data: its tables download as shown; the zip has every Parquet file; the report is a PDF with the goals."""
    at = open_page("pages/5_om_data.py")
    assert_clean(at)
    _keys_unique(at)
    _check_tables(at, files)
    by_key = {b.key: b for b in at.get("download_button")}
    with zipfile.ZipFile(io.BytesIO(_download(files, by_key["download_zip"]))) as zf:
        names = zf.namelist()
        assert {f"data/{s.get_file_name(t)}" for t in s.TABLES} <= set(names)
        assert "docs/data.md" in names and "README.txt" in names
        goals = pd.read_parquet(io.BytesIO(zf.read("data/goals.parquet")))
    assert len(goals) == 11
    pdf = _download(files, by_key["download_pdf"])
    assert pdf.startswith(b"%PDF-") and len(pdf) > 50_000
    assert by_key["download_pdf"].proto.label == "Rapport (PDF)"
    # Tagged, and each section links to its view at the app's address (AppTest has no browser: the default one).
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    links = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])
             if "/A" in a.get_object()]
    assert "http://localhost:8501/om_data" in links and "http://localhost:8501/mal?mal=1.3" in links


@pytest.mark.parametrize(("lang", "words"), [("sv", "PDF-rapporten kunde inte skapas"),
                                             ("en", "The PDF report could not be made")])
def test_a_report_typst_cannot_make_is_told_beside_its_button_and_the_rest_still_downloads(files, monkeypatch, lang,
                                                                                            words) -> None:
    import typst

    def fail(*args, **kwargs):
        raise typst.TypstError("failed to compile")

    monkeypatch.setattr(typst, "compile", fail)
    at = open_page("pages/5_om_data.py", {"lang": lang} if lang != "sv" else None)
    assert not at.error
    by_key = {b.key: b for b in at.get("download_button")}
    with pytest.raises(ReportError):
        _download(files, by_key["download_pdf"])  # what Streamlit's download thread runs on a click
    at.run()  # the run the click started (on_click="rerun") shows how it went
    assert [e.value for e in at.error] and all(e.value.startswith(words) for e in at.error), [e.value for e in at.error]
    assert "failed to compile" not in at.error[0].value
    # The rest still works: the tables' CSV and Excel files and the zip.
    by_key = {b.key: b for b in at.get("download_button")}
    assert _download(files, by_key["download_zip"]).startswith(b"PK")
    csv = [b for b in at.get("download_button") if (b.key or "").startswith("dl_csv_")]
    assert csv and _download(files, csv[0])


# ---------------------------------------------------------------------------------------------------------------
# Formula injection: with every text of the data beginning like a formula (tests.helpers.formula_frames), no CSV
# or Excel file a page offers holds a cell a spreadsheet would run.

FORMULA_VIEWS = [
    ("app.py", {}), ("pages/1_mal.py", {}), ("pages/1_mal.py", {"mal": "1.3"}),
    ("pages/2_ekonomi.py", {"tabell": "nettokostnad"}), ("pages/2_ekonomi.py", {"tabell": "drift"}),
    ("pages/2_ekonomi.py", {"tabell": "investeringar", "procent": "1"}), ("pages/2_ekonomi.py", {"visa": "budget"}),
    ("pages/3_jamforelsetal.py", {}),
    ("pages/3_jamforelsetal.py", {"index": "1"}), ("pages/4_aktiviteter.py", {}),
    ("pages/4_aktiviteter.py", {"lang": "en"}), ("pages/2_ekonomi.py", {"tabell": "nettokostnad", "lang": "en"}),
    *[("pages/5_om_data.py", {"tabell": table}) for table in s.TABLES],
]


@pytest.fixture
def formula_data(tmp_path, monkeypatch: pytest.MonkeyPatch):
    from tests.helpers import write_formula_data

    monkeypatch.setenv("KS_DATA_DIR", str(write_formula_data(tmp_path / "data")))


def _spreadsheet_cells(name: str, data: bytes, lang: str = "sv") -> list[tuple[str, object]]:
    """(type, value) of every cell of a CSV ("csv", text) or Excel file (openpyxl's data type, value)."""
    import csv

    from openpyxl import load_workbook

    if name.endswith(".csv"):
        text = io.StringIO(data.decode("utf-8-sig"), newline="")
        return [("csv", c) for row in csv.reader(text, delimiter=export.CSV_FORMATS[lang][0]) for c in row]
    ws = load_workbook(io.BytesIO(data)).active
    return [(c.data_type, c.value) for row in ws.iter_rows() for c in row]


@pytest.mark.parametrize(("script", "params"), FORMULA_VIEWS, ids=[f"{s_}-{p}" for s_, p in FORMULA_VIEWS])
def test_no_download_holds_a_live_formula(files, formula_data, script, params) -> None:
    """Every CSV and Excel of the view (tables, charts' tables, Om data's raw table): formula-like texts are "'=…" in
    the CSV and string cells in Excel, no cell is a formula, and the data's formula-like texts did reach the files."""
    at = open_chart_extras(open_page(None if script == "app.py" else script, params), required=False)
    assert_clean(at)
    buttons = [b for b in at.get("download_button")
               if (b.key or "").startswith(("dl_csv_", "dl_xlsx_")) or b.key == "download_csv"]
    assert buttons, (script, params)
    marked = 0
    for button in buttons:
        name = button.proto.label + " " + (button.key or "")
        kind = ".csv" if "csv" in (button.key or "") else ".xlsx"
        for data_type, value in _spreadsheet_cells(kind, _download(files, button), params.get("lang", "sv")):
            assert data_type != "f", (name, value)
            if data_type == "csv":
                assert not (export.is_formula_text(value) and _file_number(value) is None), (name, value)
                marked += value.startswith("'") and export.is_formula_text(value[1:])
            else:
                marked += isinstance(value, str) and export.is_formula_text(value)
    if script != "app.py":  # Översikt's one table holds counts of the goals, no text from the data
        assert marked > 0, (script, params)
