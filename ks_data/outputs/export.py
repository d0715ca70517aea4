"""Download files of what a page shows: tables as CSV and Excel, charts as PNG and SVG. Pure, offline, no Streamlit.

Tables are the typed view tables of ks_data.viewtable (numbers kept as numbers, a format per column); a
plain frame of text works too. Both table files are written from ``viewtable.get_export_frame``, so they
hold exactly the rows and columns of the view, with the unit in the header ("Budget 2020 (tkr)").

- CSV for Swedish Excel: semicolon-separated, decimal comma, UTF-8 with BOM, CRLF rows.
- Both: a text that a spreadsheet would read as a formula (it begins with = + - @, tab or CR; OWASP "CSV
  injection") is kept text: "'" before it in the CSV, a string cell in Excel (is_formula_text, one rule, also
  used by the Excel template of ks_data.outputs.workbook).
- Excel: one sheet with the Swedish headers; numbers are numbers with Excel number formats (thousands
  grouped, the minus sign "−", "+" where the view shows a sign); percentages are Excel percentages
  (stored as a fraction, 0,9 % is 0.009).
- Charts: rendered by vl-convert from the chart's Vega-Lite JSON, which carries the Swedish number locale
  (ks_data.charts.LOCALES), so labels read "−105 546" as on screen. No network is used.
"""

from __future__ import annotations

import io
import json
import math
import re

import pandas as pd

from ks_data import viewtable as vt
from ks_data.texts import get_text

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
PDF_MIME = "application/pdf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# (field separator, decimal sign) of the CSV files per UI language.
CSV_FORMATS = {"sv": (";", ","), "en": (",", ".")}

# Charts without a width of their own (on screen they fill the column) get this width in the files.
CHART_WIDTH = 800
# Exported charts use DejaVu Sans (fonts-dejavu-core), which has every symbol the charts print (↳ ◆ ✔ ➤ ⚠ −).
CHART_FONT = "DejaVu Sans"
PNG_SCALE = 2
MINUS = "\u2212"
SHEET_NAME_CHARS = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = "DCE6EF"
MIN_WIDTH, MAX_WIDTH = 8, 60
# OWASP "CSV injection": Excel and LibreOffice read a text cell that begins with one of these as a formula (or a DDE
# call, "=cmd|' /C calc'!A0"), so a text from the data could run or leak something when a clerk opens the download.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# In a CSV a leading apostrophe makes Excel take the cell as text, never as a formula (OWASP's advice).
CSV_TEXT_MARK = "'"


def is_formula_text(value) -> bool:
    """True if ``value`` is a text that a spreadsheet would read as a formula: it begins with = + - @ tab or CR and
    has more after it (a lone "-", the report's "none", is no formula and stays as written)."""
    return isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS)


def get_csv_text(value):
    """Return a CSV cell's value with a text that would read as a formula prefixed by "'"; anything else unchanged."""
    return CSV_TEXT_MARK + value if is_formula_text(value) else value


def keep_text(cell) -> None:
    """Store an openpyxl cell that holds formula-like text as a string cell (data_type "s"), never as a formula."""
    if is_formula_text(cell.value):
        cell.data_type = "s"


def write_csv(df: pd.DataFrame, lang: str = "sv") -> bytes:
    """Return a table as CSV bytes for Excel in the language (sv: sep ";", decimal ","; en: "," and "."), UTF-8 with BOM.

    Whole-number columns are written without decimals ("105546", not "105546,0"); empty cells stay empty. A text
    that a spreadsheet would read as a formula ("=…", "+…", "-…", "@…") is written "'=…", so Excel shows it as text;
    numbers, negative ones too, stay numbers.
    """
    frame = vt.get_export_frame(df, lang).copy()
    # English Excel reads commas between fields and a decimal point; Swedish Excel semicolons and a decimal comma.
    sep, decimal = CSV_FORMATS.get(lang, CSV_FORMATS["sv"])
    for name in frame.columns:
        dtype = frame[name].dtype
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype | pd.StringDtype):
            # A column mixing numbers and words (a value the report gives in words): numbers with the decimal sign.
            # Texts are made safe before numbers become text, so "-105546" from a number is never prefixed.
            frame[name] = pd.array([_csv_number(v, decimal) if isinstance(v, int | float) and not isinstance(v, bool)
                                    else get_csv_text(v) for v in frame[name]], dtype=object)
    headers = [get_csv_text(str(c)) for c in frame.columns]
    # CRLF rows (RFC 4180, as Excel writes): the csv module then quotes a field holding a lone CR, which would
    # otherwise end the row early in Excel.
    return frame.to_csv(sep=sep, decimal=decimal, index=False, header=headers, lineterminator="\r\n").encode("utf-8-sig")


def _csv_number(value: float, decimal: str = ",") -> str:
    if math.isnan(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value)).replace(".", decimal)


def get_sheet_name(name: str) -> str:
    """Return ``name`` as a valid Excel sheet name: at most 31 characters, none of []:*?/\\."""
    clean = SHEET_NAME_FORBIDDEN.sub("-", str(name)).strip("' ") or "Tabell"
    return clean[:SHEET_NAME_CHARS]


def get_excel_format(column: vt.Column, value=None) -> str:
    """Return the Excel number format of a column (of one cell, when decimals depend on the value)."""
    if column.kind == vt.YEAR:
        return "0"
    decimals = column.decimals
    if decimals is None:
        decimals = 0 if value is None or float(value).is_integer() else 1
    fraction = "." + "0" * decimals if decimals else ""
    body = f"0{fraction} %" if column.kind == vt.PERCENT else f"#,##0{fraction}"
    positive = f'"+"{body}' if column.signed else body
    return f'{positive};"{MINUS}"{body};{body}'


def _excel_value(value, column: vt.Column | None):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if column is not None and column.kind == vt.PERCENT and isinstance(value, int | float):
        return round(value / 100, (6 if column.decimals is None else column.decimals) + 2)
    return value


def write_xlsx(df: pd.DataFrame, sheet_name: str, lang: str = "sv") -> bytes:
    """Return a table as an Excel workbook: Swedish headers (bold, frozen, with a filter), numbers as numbers with
    Swedish-looking number formats, readable column widths and wrapped long texts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    frame = vt.get_export_frame(df, lang)
    formats = vt.get_formats(frame)
    wb = Workbook()
    ws = wb.active
    ws.title = get_sheet_name(sheet_name or get_text("export.sheet", lang))
    wb.properties.creator = get_text("app.title", lang)
    wb.properties.title = str(sheet_name)
    headers = [str(c) for c in frame.columns]
    ws.append(headers)
    for cell in ws[1]:
        keep_text(cell)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False, name=None):
        ws.append([_excel_value(v, formats.get(h)) for h, v in zip(headers, row, strict=True)])
    for index, header in enumerate(headers, start=1):
        column = formats.get(header)
        letter = get_column_letter(index)
        longest = len(header) // 2 + 2
        for cell in ws[letter][1:]:
            keep_text(cell)  # openpyxl stores a text beginning with "=" as a formula
            if column is not None and column.kind not in (vt.UNIT,) and isinstance(cell.value, int | float):
                cell.number_format = get_excel_format(column, cell.value)
                longest = max(longest, len(f"{cell.value:,.1f}") + 2)
            elif cell.value is not None:
                text = str(cell.value)
                longest = max(longest, min(len(text), MAX_WIDTH) + 2)
                if len(text) > MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = max(MIN_WIDTH, min(longest, MAX_WIDTH))
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(frame) + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def get_chart_json(chart, width: int | None = CHART_WIDTH) -> str:
    """Return a chart's Vega-Lite JSON (an Altair chart, a Vega-Lite dict with inline data, or JSON already) with
    ``width`` where it has none and the export font where it names none. Concatenated charts (which size their parts)
    keep their widths.
    """
    if isinstance(chart, dict):
        spec = json.loads(json.dumps(chart))  # a copy: the caller's spec stays as it was
    else:
        spec = json.loads(chart if isinstance(chart, str) else chart.to_json())
    spec.setdefault("config", {}).setdefault("font", CHART_FONT)
    concat = any(k in spec for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))
    if width and not concat and "width" not in spec:
        spec["width"] = width
    return json.dumps(spec, ensure_ascii=False)


def write_chart_svg(chart, width: int | None = CHART_WIDTH) -> bytes:
    """Return a chart as SVG bytes (UTF-8), rendered offline with the chart's own locale."""
    import vl_convert

    return vl_convert.vegalite_to_svg(get_chart_json(chart, width), allowed_base_urls=[]).encode("utf-8")


def write_chart_png(chart, width: int | None = CHART_WIDTH, scale: float = PNG_SCALE) -> bytes:
    """Return a chart as PNG bytes (``scale`` × its size in pixels), rendered offline with the chart's own locale."""
    import vl_convert

    return vl_convert.vegalite_to_png(get_chart_json(chart, width), scale=scale, allowed_base_urls=[])


def get_file_name(name: str, extension: str) -> str:
    """Return a safe download file name: lower case ASCII words joined by '-', then the extension."""
    from ks_data.views.comparisons import format_slug

    return f"{format_slug(name) or 'tabell'}.{extension}"
