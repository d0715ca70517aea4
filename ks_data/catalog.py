"""The "Om data" page's content: where each table comes from, the check results in words, and the export files.

Pure functions (no Streamlit): every table, sentence and file the page offers is built here and
unit-tested. Column headers and words come from ks_data.texts; numbers from ks_data.fmt. The one
function that touches the disk is ``read_data_folder``; everything after it works on its result.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ks_data import reconcile as r
from ks_data import schema as s
from ks_data.dictionary import render_markdown
from ks_data.errors import ERROR, Problem
from ks_data.fmt import format_number, get_locale
from ks_data.outputs import export
from ks_data.reconcile import format_check
from ks_data.texts import get_text
from ks_data.viewtable import NUMBER, TKR, YEAR, Column, with_formats

# Fixed time stamp for zip entries, so the same data always gives the same zip bytes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
ZIP_DATA_FOLDER = "data"
ZIP_DOCS = "docs/data.md"
ZIP_README = "README.txt"
ZIP_FILE_NAME = "ks-utforskaren-data.zip"
CSV_MIME = export.CSV_MIME
ZIP_MIME = "application/zip"
FINGERPRINT_CHARS = 12
SECTION_SEPARATOR = "; "

STATUS_OK = "ok"
STATUS_WARNING = "warning"
STATUS_ERROR = "error"


@dataclass(frozen=True)
class DataFolder:
    """The Parquet files of a data folder as read from disk: bytes per file name and the newest write time."""

    path: str
    files: dict[str, bytes] = field(default_factory=dict)
    modified: datetime | None = None


def get_table_name(table: str, lang: str = "sv") -> str:
    """Return a table's short Swedish name, e.g. operating -> "Driftredovisning"."""
    return get_text(f"about.table.{table}", lang)


def get_table_description(table: str, lang: str = "sv") -> str:
    """Return a table's one-line description in ``lang`` (the Swedish one is the schema's own)."""
    return get_text(f"about.table.description.{table}", lang)


def format_table_option(table: str, lang: str = "sv") -> str:
    """Return a table as a selector option: "Driftredovisning (operating)"."""
    return get_text("about.table.option", lang, name=get_table_name(table, lang), code=table)


def format_years(years) -> str:
    """Return years as "2020", "2019–2020" (consecutive) or "2018, 2020"; '–' if none."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return "–"
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def get_report_years(frames: dict[str, pd.DataFrame]) -> str:
    """Return the years (column year) found in any loaded table, formatted: "2020"."""
    years = set()
    for df in frames.values():
        if s.YEAR in df:
            years |= set(df[s.YEAR].dropna().astype(int))
    return format_years(years)


def get_report_name(frames: dict[str, pd.DataFrame], lang: str = "sv") -> str:
    """Return the source report's name, its year taken from the tables' year column."""
    return get_text("source.report", lang, year=get_report_years(frames))


def get_report_line(frames: dict[str, pd.DataFrame], lang: str = "sv") -> str:
    """Return the sentence naming the source report: "Alla värden kommer från **Verksamhetsberättelse 2020, …**"."""
    return get_text("about.source.report", lang, report=get_report_name(frames, lang))


def get_source_data(frames: dict[str, pd.DataFrame], lang: str = "sv") -> pd.DataFrame:
    """Take each table's section and year columns; give one row per schema table as a typed view table:
    Tabell, Beskrivning, Avsnitt i rapporten, Rader (a number), År, Fil.

    A table missing from ``frames`` (it could not be loaded) is still listed, marked as unreadable.
    """
    rows_header = get_text("about.col.rows", lang)
    rows = []
    for table in s.TABLES:
        df = frames.get(table)
        if df is None:
            sections, n_rows, years = get_text("about.source.unreadable", lang), None, "–"
        else:
            sections = SECTION_SEPARATOR.join(str(x) for x in df[s.SECTION].dropna().unique())
            n_rows, years = len(df), format_years(df[s.YEAR].dropna())
        rows.append({
            get_text("about.col.code", lang): get_table_name(table, lang),
            get_text("about.col.description", lang): get_table_description(table, lang),
            get_text("about.col.sections", lang): sections,
            rows_header: n_rows,
            get_text("about.col.years", lang): years,
            get_text("about.col.file", lang): s.get_file_name(table),
        })
    out = pd.DataFrame(rows)
    out[rows_header] = pd.array(out[rows_header], dtype="Int64")
    return with_formats(out, {rows_header: Column(NUMBER)})


def get_sign_lines(lang: str = "sv") -> list[str]:
    """Return the sign convention as short sentences, one per bullet ("Så läser du siffrorna")."""
    keys = ("amounts", "operating", "investments", "rounding", "derived")
    return [get_text(f"about.signs.{k}", lang) for k in keys]


def get_dictionary_caption(table: str, lang: str = "sv") -> str:
    """Return a table's description, file name and key columns as one sentence."""
    return get_text("about.dict.caption", lang, description=get_table_description(table, lang),
                    file=s.get_file_name(table), key_columns=", ".join(s.get_key(table)))


def get_check_status(problems: list[Problem]) -> str:
    """Return "error" if any problem is an error, "warning" if there are only warnings, else "ok"."""
    if any(p.severity == ERROR for p in problems):
        return STATUS_ERROR
    return STATUS_WARNING if problems else STATUS_OK


def format_check_summary(problems: list[Problem], lang: str = "sv") -> str:
    """Return "Validering: 1 fel, 0 varningar." (with a reassurance when there is nothing to fix)."""
    errors = sum(p.severity == ERROR for p in problems)
    key = "about.check.validation.ok" if not problems else "about.check.validation"
    return get_text(key, lang, errors=errors, warnings=len(problems) - errors)


def get_problem_data(problems: list[Problem], lang: str = "sv") -> pd.DataFrame:
    """Take each problem's severity, file, table, row and message; give a typed view table:
    Typ, Fil, Tabell, Rad (a number, empty when the problem is not about one row), Kolumn, Problem."""
    row = get_text("about.col.row", lang)
    out = pd.DataFrame({
        get_text("about.col.severity", lang): [get_text(f"about.check.severity.{p.severity}", lang) for p in problems],
        get_text("about.col.file", lang): [p.file for p in problems],
        get_text("about.col.code", lang): [p.table for p in problems],
        row: pd.array([p.row for p in problems], dtype="Int64"),
        get_text("about.col.column", lang): [p.column or "" for p in problems],
        get_text("about.col.message", lang): [p.message for p in problems],
    })
    return with_formats(out, {row: Column(NUMBER, missing="")})


def format_reconciliation_summary(reconciliation: pd.DataFrame, lang: str = "sv") -> str:
    """Take the reconciliation's difference column; give "32 kontroller, 7 skillnader"."""
    loc = get_locale(lang)
    mismatches = int((reconciliation[r.DIFFERENCE] != 0).sum())
    return get_text("about.rec.summary", lang, checks=format_number(len(reconciliation), 0, loc),
                    mismatches=format_number(mismatches, 0, loc))


def _column_name(column: str, lang: str) -> str:
    key = f"about.column.{column}"
    try:
        return get_text(key, lang)
    except KeyError:
        return column


def get_mismatch_data(reconciliation: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Take the reconciliation's rows with a difference; give a typed view table: År, Tabell, Rad, Kolumn, Kontroll,
    Tryckt, Beräknat, Skillnad (tkr as numbers)."""
    m = r.get_mismatches(reconciliation)
    year = get_text("about.col.year", lang)
    printed, computed = get_text("about.col.printed", lang), get_text("about.col.computed", lang)
    difference = get_text("about.col.difference", lang)
    out = pd.DataFrame({
        year: [int(y) for y in m[s.YEAR]],
        get_text("about.col.code", lang): [get_table_name(t, lang) for t in m[r.TABLE]],
        get_text("about.col.row", lang): [str(x) for x in m[r.ROW_LABEL]],
        get_text("about.col.column", lang): [_column_name(c, lang) for c in m[r.COLUMN]],
        get_text("about.col.check", lang): [format_check(str(x), lang) for x in m[r.CHECK]],
        printed: [int(v) for v in m[r.PRINTED]],
        computed: [int(v) for v in m[r.COMPUTED]],
        difference: [int(v) for v in m[r.DIFFERENCE]],
    }, index=range(len(m)))
    return with_formats(out, {year: Column(YEAR), printed: Column(TKR), computed: Column(TKR),
                              difference: Column(TKR, signed=True)})


def read_data_folder(data_dir: Path) -> DataFolder:
    """Read the bytes of every table's Parquet file that exists in ``data_dir`` (broken ones as they are)."""
    data_dir = Path(data_dir)
    files: dict[str, bytes] = {}
    newest = None
    for table in s.TABLES:
        path = data_dir / s.get_file_name(table)
        try:
            files[path.name] = path.read_bytes()
            mtime = path.stat().st_mtime
        except OSError:
            continue
        newest = mtime if newest is None else max(newest, mtime)
    return DataFolder(str(data_dir), files, datetime.fromtimestamp(newest) if newest is not None else None)


def calc_fingerprint(files: dict[str, bytes]) -> str:
    """Return a short SHA-256 over the file names and bytes: the same build gives the same fingerprint."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def format_build_line(folder: DataFolder, lang: str = "sv") -> str:
    """Return the data folder's name, file count, newest write time and fingerprint as one line.

    Only the folder's name: the server's full path means nothing to a reader and tells outsiders how the server
    is laid out; the fingerprint is what tells two data versions apart.
    """
    if not folder.files:
        return get_text("about.source.build.none", lang, folder=Path(folder.path).name)
    return get_text("about.source.build", lang, folder=Path(folder.path).name, n=len(folder.files),
                    built=folder.modified.strftime("%Y-%m-%d %H:%M") if folder.modified else "–",
                    fingerprint=calc_fingerprint(folder.files))


def get_csv_file_name(table: str) -> str:
    """Return the download name of a table's CSV file: "operating.csv"."""
    return f"{table}.csv"


def write_csv(df: pd.DataFrame, table: str) -> bytes:
    """Take a loaded table (schema columns); give CSV bytes for Swedish Excel: sep ';', decimal ',', UTF-8 with BOM.

    Whole-number columns stay whole numbers (no "1,0") even where some cells are empty.
    """
    out = df.copy()
    for f in s.SCHEMAS[table]:
        if f.name in out and pa.types.is_integer(f.type):
            out[f.name] = out[f.name].astype("Int64")
    return export.write_csv(out)


def write_readme(folder: DataFolder, report: str, lang: str = "sv") -> str:
    """Return the zip's README: the source report, the files with their descriptions and the fingerprint."""
    by_file = {s.get_file_name(t): t for t in s.TABLES}
    lines = [get_text("about.readme.file", lang, file=name, description=get_table_description(by_file[name], lang))
             for name in sorted(folder.files, key=lambda n: s.TABLES.index(by_file[n]))]
    return get_text("about.readme", lang, report=report, files="\n".join(lines),
                    fingerprint=calc_fingerprint(folder.files))


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def write_dataset_zip(folder: DataFolder, report: str, lang: str = "sv") -> bytes:
    """Return a zip (in memory, same bytes for the same data) of data/*.parquet, docs/data.md and README.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        _add(zf, ZIP_README, write_readme(folder, report, lang).encode("utf-8"))
        _add(zf, ZIP_DOCS, render_markdown().encode("utf-8"))
        for table in s.TABLES:
            name = s.get_file_name(table)
            if name in folder.files:
                _add(zf, f"{ZIP_DATA_FOLDER}/{name}", folder.files[name])
    return buffer.getvalue()
