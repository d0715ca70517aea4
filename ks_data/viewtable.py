"""Typed view tables: numbers stay numbers, and a format per column says how to show and export them.

A view function builds a DataFrame with the display headers and raw values (amounts in tkr as
numbers, percentages as numbers in percent, years as integers) and attaches a ``Column`` format
per numeric column with ``with_formats``. From that one frame

- ``format_table`` gives the strings shown on screen ("−105 546 tkr", "−0,9 %", "2020"), and
- ``get_export_frame`` gives the frame the CSV and Excel files are written from: the same rows and
  headers, the unit in the header ("Budget 2020 (tkr)"), numbers rounded to the decimals shown,

so what a user downloads can never drift from what the page shows. Columns without a format are
text and are shown and exported as they are. Pure functions, no Streamlit.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from ks_data.fmt import DASH, format_number, format_percent, format_tkr, format_unit, format_value, get_locale
from ks_data.texts import get_text

FORMATS = "column_formats"
FOOTNOTES = "footnotes"

# Column kinds.
NUMBER = "number"    # a plain number: "25 479", "56,1"
TKR = "tkr"          # an amount in thousands of kronor: "−105 546 tkr"
PERCENT = "percent"  # a value already in percent: "−0,9 %"
YEAR = "year"        # a year, never grouped: "2020"
VALUE = "value"      # a measured value whose unit is in another column, per row: "80 %", "298"; text stays text
UNIT = "unit"        # the unit column of a VALUE column (exported, not shown: the shown value carries it)
KINDS = (NUMBER, TKR, PERCENT, YEAR, VALUE, UNIT)
# Units a header gets in the export files, where the cells hold bare numbers.
HEADER_UNITS = {TKR: "tkr", PERCENT: "%"}


@dataclass(frozen=True)
class Column:
    """How one column of a view table is shown and exported.

    ``decimals`` None means as needed: none for whole numbers, else one. ``missing`` is shown for an
    empty cell. ``unit_column`` names the column that holds each row's unit (kind VALUE only).
    """

    kind: str = NUMBER
    decimals: int | None = 0
    signed: bool = False
    missing: str = DASH
    unit_column: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind == VALUE and not self.unit_column:
            raise ValueError("a VALUE column needs unit_column")

    @property
    def shown(self) -> bool:
        """Return False for a column that is exported but not shown on screen."""
        return self.kind != UNIT


def is_missing(value) -> bool:
    """Return True for None, NaN and pandas' NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def with_formats(df: pd.DataFrame, formats: dict[str, Column]) -> pd.DataFrame:
    """Attach the column formats to ``df`` (in place) and return it; every named column must exist."""
    unknown = [c for c in formats if c not in df.columns]
    if unknown:
        raise KeyError(f"formats for columns not in the table: {unknown}")
    df.attrs[FORMATS] = dict(formats)
    return df


def get_formats(df: pd.DataFrame) -> dict[str, Column]:
    """Return the column formats attached to ``df`` (empty for a plain text table)."""
    return dict(df.attrs.get(FORMATS, {}))


def with_footnote(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """Attach a footnote that belongs to the whole table, e.g. one marking a column (in place), and return ``df``; the
    CSV and Excel files get it as a row under the table."""
    df.attrs[FOOTNOTES] = [*df.attrs.get(FOOTNOTES, []), text]
    return df


def get_footnotes(df: pd.DataFrame) -> list[str]:
    """Return the footnotes attached to ``df`` with ``with_footnote``, in order."""
    return list(df.attrs.get(FOOTNOTES, []))


def _with_footnote_rows(frame: pd.DataFrame, footnotes: list[str]) -> pd.DataFrame:
    # One row per footnote under the table, the text in the first column and every other cell empty (of its dtype, so a
    # whole-number column stays whole numbers).
    if not footnotes or not len(frame.columns):
        return frame
    first = frame.columns[0]
    frame = frame.astype({first: object})
    empty = {}
    for c in frame.columns:
        try:
            empty[c] = pd.array([None] * len(footnotes), dtype=frame[c].dtype)
        except (TypeError, ValueError):  # a numpy integer or bool column has no empty cell: it becomes text cells
            frame[c] = frame[c].astype(object)
            empty[c] = pd.array([None] * len(footnotes), dtype=object)
    extra = pd.DataFrame(empty)
    extra[first] = pd.array(footnotes, dtype=object)
    out = pd.concat([frame, extra], ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def is_typed(df: pd.DataFrame) -> bool:
    """Return True if ``df`` carries column formats."""
    return bool(get_formats(df))


def format_cell(value, column: Column, lang: str = "sv", unit: str | None = None) -> str:
    """Return one cell as shown on screen, in the language's number format."""
    loc = get_locale(lang)
    if isinstance(value, str):
        return value
    if is_missing(value):
        return column.missing
    if column.kind == YEAR:
        return str(int(value))
    decimals = column.decimals
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    if column.kind == TKR:
        return format_tkr(value, loc, signed=column.signed)
    if column.kind == PERCENT:
        return format_percent(value, decimals, loc, signed=column.signed)
    if column.kind == VALUE:
        return format_value(value, unit or "", loc, decimals)
    return format_number(value, decimals, loc, signed=column.signed)


def format_table(df: pd.DataFrame, lang: str = "sv", units_in_header: bool = False) -> pd.DataFrame:
    """Return the table as shown: every typed column as text, unit columns left out, text columns as they are.

    With ``units_in_header`` (printed tables), amounts in tkr read "−105 546" under a header "Budget 2020 (tkr)".
    """
    formats = get_formats(df)
    out = {}
    for name in df.columns:
        column = formats.get(name)
        if column is None:
            out[name] = list(df[name])
        elif column.shown:
            header = name
            if units_in_header and column.kind == TKR:
                header = get_export_header(name, column, lang)
                column = Column(NUMBER, 0, column.signed, column.missing)
            units = list(df[column.unit_column]) if column.unit_column else [None] * len(df)
            out[header] = [format_cell(v, column, lang, u) for v, u in zip(df[name], units, strict=True)]
    return pd.DataFrame(out, index=range(len(df)))


# Kinds whose cells are numbers and are aligned to the right, so digits line up; a VALUE may be text.
ALIGNED_RIGHT = (NUMBER, TKR, PERCENT, YEAR)
TABLE_CLASS = "ks-table"


def format_html_table(df: pd.DataFrame, lang: str = "sv", label: str | None = None) -> str:
    """Return the table as shown (format_table for a typed one) as one HTML table in a scroll box: every header and
    cell escaped, empty cells empty, number columns aligned right, ``label`` as the table's accessible name.

    Each cell carries its column's header (``data-label``), so a phone can show every row as a card of header and
    value (ui/assets/document.css); the explicit table roles keep it a table for screen readers there, where the
    browser would otherwise drop a table's semantics with its table layout."""
    right = {name for name, column in get_formats(df).items() if column.kind in ALIGNED_RIGHT}
    shown = format_table(df, lang) if is_typed(df) else df

    def cell(tag: str, value, name, extra: str = "") -> str:
        text = "" if is_missing(value) else html.escape(str(value))
        align = ' class="num"' if name in right else ""
        return f"<{tag}{extra}{align}>{text}</{tag}>"

    head = "".join(cell("th", name, name, ' scope="col" role="columnheader"') for name in shown.columns)
    labels = [f' role="cell" data-label="{html.escape(str(name), quote=True)}"' for name in shown.columns]
    rows = "".join('<tr role="row">' + "".join(cell("td", value, name, extra)
                                               for name, value, extra in zip(shown.columns, row, labels)) + "</tr>"
                   for row in shown.itertuples(index=False, name=None))
    name = f' aria-label="{html.escape(label)}"' if label else ""
    return (f'<div class="{TABLE_CLASS}"><table role="table"{name}><thead role="rowgroup"><tr role="row">{head}</tr>'
            f'</thead><tbody role="rowgroup">{rows}</tbody></table></div>')


def get_export_header(header: str, column: Column | None, lang: str = "sv") -> str:
    """Return a column's header in the export files: with its unit when the cells hold bare numbers."""
    unit = HEADER_UNITS.get(column.kind) if column else None
    unit = format_unit(unit, lang) if unit else None
    if unit is None or unit in header:
        return header
    return get_text("export.header_unit", lang, header=header, unit=unit)


def _rounded(value, decimals: int | None):
    if isinstance(value, str) or is_missing(value):
        return None if is_missing(value) else value
    value = float(value)
    if decimals is not None:
        value = round(value, decimals)
    return int(value) if value.is_integer() else value


def get_export_frame(df: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the frame the CSV and Excel files are written from: headers with units, numbers rounded as shown.

    Whole-number columns become nullable integers (no "1,0"); the formats go along, keyed by export header.
    Footnotes (with_footnote) follow as rows under the table. A text table comes back unchanged but for those.
    """
    formats = get_formats(df)
    if not formats:
        return _with_footnote_rows(df, get_footnotes(df))
    out, out_formats = {}, {}
    for name in df.columns:
        column = formats.get(name)
        header = get_export_header(name, column, lang)
        if column is None:
            out[header] = list(df[name])
        elif column.kind == UNIT:
            out[header] = [format_unit(u, lang) for u in df[name]]
        else:
            values = [_rounded(v, column.decimals) for v in df[name]]
            numbers = [v for v in values if v is not None]
            if all(isinstance(v, int) for v in numbers):
                out[header] = pd.array(values, dtype="Int64")
            elif all(isinstance(v, int | float) for v in numbers):
                out[header] = pd.array([math.nan if v is None else float(v) for v in values], dtype="float64")
            else:
                out[header] = pd.array(values, dtype=object)
        if column is not None:
            out_formats[header] = column
    frame = pd.DataFrame(out, index=range(len(df)))
    frame.attrs[FORMATS] = out_formats
    return _with_footnote_rows(frame, get_footnotes(df))
