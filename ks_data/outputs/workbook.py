"""Next year's report through Excel: write a template workbook, read a filled-in one, import it as a new year.

- write_template: an "Instruktioner" sheet and one sheet per table (Swedish sheet names and headers from
  ks_data/labels.py), holding one year's rows as the example; tkr columns formatted "#,##0", codes as Swedish
  words with a drop-down list.
- read_workbook / read_folder: the rows per table from a workbook or from a source folder (data/source/<år>/),
  codes mapped back from the Swedish words, and every problem found while reading.
- import_year: validate everything (types, codes, required cells, source.convert_rows, check.check_tables on the
  new year alone and on all years together), then write <source>/<år>/<table>.toml and <data>/<table>.parquet.
  Nothing is written if anything is wrong; problems name the sheet, the Excel row and the column header.

Atomicity: every new file is first written in full into a hidden staging folder (".ks-import-<pid>-<hex>") beside
its destination. Then a hidden sibling of the data folder is made, holding hard links to every file the data folder
has (nothing is copied) and to the new files in their places, and the two folders are swapped in one step (Linux's
renameat2 with RENAME_EXCHANGE): the app sees either the old data or the whole new year, never nine files of which
some are new. Where the file system cannot swap folders, the new files are renamed into place one by one (a kill
between two of those renames leaves a mix). A failed or killed import leaves every existing file as it was; stale
staging folders are never read by the build or the loader, and the next import removes them.

Test hook (tests only): KS_DATA_IMPORT_PAUSE=after-temp-writes (or before-switch: the swapped-in folder made, the
swap not yet done) makes import_year print a line starting with
PAUSE_MARKER to stderr and sleep (KS_DATA_IMPORT_PAUSE_SECONDS, default 600) once every temporary file is written
and before the first rename, so a test can kill the import at that point.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import shutil
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import tomli_w
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from ks_data import labels, paths
from ks_data import schema as s
from ks_data.build import build, hold_data_lock, new_staging_name, remove_stale_staging, replace_at_once
from ks_data.check import check_tables
from ks_data.errors import ERROR, WARNING, DataError, Problem
from ks_data.outputs.export import keep_text
from ks_data.source import SOURCE_SUFFIX, convert_rows, get_source_years, read_source_year

INSTRUCTIONS = "Instruktioner"
HEADER_ROW = 1
FIRST_DATA_ROW = 2
# Rows that get the drop-down lists; far more than any table of the report.
VALIDATION_ROWS = 2000
TKR_FORMAT = "#,##0"
TEXT_FORMAT = "@"
# Text columns whose longest value exceeds this many characters are wrapped in a wide column.
WIDE_TEXT_CHARS = 60

PAUSE_ENV = "KS_DATA_IMPORT_PAUSE"
PAUSE_SECONDS_ENV = "KS_DATA_IMPORT_PAUSE_SECONDS"
PAUSE_AFTER_TEMP_WRITES = "after-temp-writes"
PAUSE_BEFORE_SWITCH = "before-switch"
PAUSE_MARKER = "KS_DATA_IMPORT_PAUSE"

WORKBOOK = "workbook"
FOLDER = "folder"
MIN_YEAR, MAX_YEAR = 1900, 2999

_REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
_OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class ImportProblem(Problem):
    """A problem in a workbook, told by sheet (``table``), Excel row and Swedish column header."""

    def describe(self) -> str:
        """Return the problem as one Swedish sentence: blad, rad, kolumn, then what is wrong."""
        where = [f"blad '{self.table}'"] if self.table else [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportInput:
    """The rows per table read from a workbook or a source folder, with where each row came from."""

    origin: Path
    kind: str
    rows: dict[str, list] = field(default_factory=dict)
    sections: dict[str, str | None] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    missing: dict[str, set[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    raw_files: dict[str, bytes] = field(default_factory=dict)

    def locate(self, table: str, i: int | None, column: str | None, message: str, severity: str = ERROR) -> Problem:
        """Return a problem at row ``i`` (1-based, in read order) and ``column`` of ``table``, as the input shows it."""
        if self.kind == FOLDER:
            return Problem(str(self.origin / f"{table}{SOURCE_SUFFIX}"), table, message, row=i, column=column,
                           severity=severity)
        lines = self.lines.get(table, [])
        row = lines[i - 1] if i is not None and 0 < i <= len(lines) else None
        header = labels.get_header(table, column) if column in sheet_columns(table) else None
        return ImportProblem(str(self.origin), labels.get_sheet_name(table), _swedish(message, table), row=row,
                             column=header, severity=severity)


@dataclass
class ImportResult:
    """What an import wrote: the year, its source files, the rebuilt Parquet files and any warnings."""

    year: int
    source_files: list[Path]
    parquet_files: list[Path]
    warnings: list[Problem]


# --- columns, words and cell values -------------------------------------------------------------------------------


def sheet_columns(table: str) -> list[str]:
    """Return the columns of ``table``'s sheet: the schema's without year/position/area; Avsnitt last unless a key."""
    columns = [f.name for f in s.SCHEMAS[table] if f.name not in s.DERIVED_AT_BUILD]
    if s.SECTION not in s.get_key(table):
        columns.remove(s.SECTION)
        columns.append(s.SECTION)
    return columns


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _header_lookup(table: str) -> dict[str, str]:
    """Return {normalised header: column}; the header with or without its unit and the column name all work."""
    lookup = {}
    for column in sheet_columns(table):
        lookup[_norm(column)] = column
        lookup[_norm(labels.TABLE_HEADERS.get((table, column), labels.HEADERS[column]))] = column
        lookup[_norm(labels.get_header(table, column))] = column
    return lookup


def _int_bounds(type_: pa.DataType) -> tuple[int, int]:
    half = 2 ** (type_.bit_width - 1)
    return -half, half - 1


def _unit(table: str, column: str) -> str:
    return (s.SCHEMAS[table].field(column).metadata or {}).get(b"unit", b"").decode()


def _expected(table: str, column: str) -> str:
    """Return what a cell of ``column`` must hold, in Swedish: "ska vara ett heltal i tkr"."""
    type_ = s.SCHEMAS[table].field(column).type
    unit = _unit(table, column)
    if pa.types.is_integer(type_):
        return "ska vara ett heltal i tkr, t.ex. -105546" if unit == "tkr" else "ska vara ett heltal"
    if pa.types.is_floating(type_):
        return "ska vara ett tal, t.ex. 79 eller 12,5"
    return "ska vara text"


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def parse_number(text: str) -> int | float | None:
    """Return the number written in ``text`` ("−105 546", "12,5", "1 072"), or None if it is not one number."""
    t = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    t = re.sub(r"[\s\u00a0\u202f]", "", t)
    if not _NUMBER.fullmatch(t):
        return None
    t = t.replace(",", ".")
    return float(t) if "." in t else int(t)


def _number_text(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def to_code(value, table: str, column: str) -> tuple[str | None, str | None]:
    """Return (code, None) for a Swedish word (or the code itself) in a code column, or (None, Swedish error)."""
    words = labels.get_code_words(table, column) or {}
    text = _number_text(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    lookup = {_norm(code): code for code in words} | {_norm(word): code for code, word in words.items()}
    code = lookup.get(_norm(text))
    if code is None:
        return None, f"okänt värde {text!r}; tillåtna värden: {', '.join(words.values())}"
    return code, None


def cell_value(value, table: str, column: str) -> tuple[object, str | None]:
    """Return (value as the schema's Python type, None) for one cell of ``column``, or (None, Swedish error)."""
    type_ = s.SCHEMAS[table].field(column).type
    if value is None:
        return None, None
    if isinstance(value, datetime | date | time_of_day):
        return None, (f"Excel har tolkat värdet som ett datum eller klockslag ({value}); formatera cellen som text "
                      "och skriv in värdet igen")
    if isinstance(value, bool):
        return None, f"värdet {'SANT' if value else 'FALSKT'} {_expected(table, column)}"
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if not value.strip():
            return None, None
    if labels.get_code_words(table, column) is not None:
        return to_code(value, table, column)
    if pa.types.is_string(type_):
        return (value if isinstance(value, str) else _number_text(value)), None
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            return None, f"värdet {value!r} {_expected(table, column)}"
        value = number
    if not isinstance(value, int | float) or (isinstance(value, float) and not math.isfinite(value)):
        return None, f"värdet {value!r} {_expected(table, column)}"
    if pa.types.is_integer(type_):
        if isinstance(value, float) and not value.is_integer():
            return None, f"värdet {_number_text(value)} {_expected(table, column)}"
        low, high = _int_bounds(type_)
        if not low <= int(value) <= high:
            return None, f"värdet {int(value)} är utanför det tillåtna intervallet {low} till {high}"
        return int(value), None
    return float(value), None


# --- writing the template -------------------------------------------------------------------------------------------


def _number_format(table: str, column: str) -> str:
    type_ = s.SCHEMAS[table].field(column).type
    if pa.types.is_integer(type_):
        return TKR_FORMAT if _unit(table, column) == "tkr" else "0"
    if pa.types.is_floating(type_):
        return "General"
    return TEXT_FORMAT


def _header_comment(table: str, column: str) -> Comment:
    f = s.SCHEMAS[table].field(column)
    meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
    lines = [meta.get("description", ""), f"Krävs: {'ja' if not f.nullable else 'nej, får lämnas tom'}"]
    if meta.get("unit"):
        lines.append(f"Enhet: {meta['unit']}")
    words = labels.get_code_words(table, column)
    if words:
        lines.append(f"Välj i listan: {', '.join(words.values())}")
    comment = Comment("\n".join(lines), "KS-utforskaren")
    comment.width, comment.height = 320, 160
    return comment


def _write_sheet(ws, table: str, data: pa.Table | None) -> None:
    """Fill one table's sheet: Swedish headers in row 1, then ``data``'s rows with codes as Swedish words."""
    columns = sheet_columns(table)
    rows = data.to_pylist() if data is not None else []
    for j, column in enumerate(columns, start=1):
        f = s.SCHEMAS[table].field(column)
        letter = get_column_letter(j)
        header = labels.get_header(table, column)
        cell = ws.cell(HEADER_ROW, j, header)
        required = not f.nullable
        cell.font = Font(bold=True, color="FFFFFF" if required else "1F4E79")
        cell.fill = _REQUIRED_FILL if required else _OPTIONAL_FILL
        cell.alignment = Alignment(vertical="top")
        cell.comment = _header_comment(table, column)
        fmt = _number_format(table, column)
        ws.column_dimensions[letter].number_format = fmt
        words = labels.get_code_words(table, column)
        longest = max([len(header) + 2] + [len(str(words[r[column]] if words else r[column]).split("\n")[0])
                                           for r in rows if r[column] is not None])
        wrap = pa.types.is_string(f.type) and longest > WIDE_TEXT_CHARS
        ws.column_dimensions[letter].width = min(longest + 2, WIDE_TEXT_CHARS)
        if words:
            dv = DataValidation(type="list", formula1='"' + ",".join(words.values()) + '"', allow_blank=True,
                                showErrorMessage=True, showInputMessage=True, errorTitle="Okänt värde",
                                error=f"Välj ett av: {', '.join(words.values())}", promptTitle=header[:32],
                                prompt=f"Välj i listan: {', '.join(words.values())}")
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{VALIDATION_ROWS}")
            ws.add_data_validation(dv)
        for i, r in enumerate(rows, start=FIRST_DATA_ROW):
            value = r[column]
            if words and value is not None:
                value = words[value]
            cell = ws.cell(i, j)
            cell.value = value
            keep_text(cell)  # text that looks like a formula stays text
            cell.number_format = fmt
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(HEADER_ROW, len(rows) + 1)}"


def _instruction_lines(year: int | None) -> list[tuple[str, ...] | str]:
    """Return the instructions sheet's content: strings are text lines, tuples are table rows, '#…' are headings."""
    example = f"{year}s" if year is not None else "ett tidigare års"
    lines: list[tuple[str, ...] | str] = [
        "#Mall för Kommunstyrelsens verksamhetsberättelse – data till KS-utforskaren",
        "",
        "#Så fyller du i mallen",
        f"Varje blad är en tabell i verksamhetsberättelsen. Bladen innehåller {example} värden som exempel:",
        "skriv över dem med det nya årets värden, lägg till rader och ta bort rader som inte finns med i år.",
        "En rad i bladet är en rad i rapporten, i samma ordning som i rapporten; ordningen sparas.",
        "Ändra inte bladens namn och inte rubrikraden (rad 1). Lägg inte till kolumner. Helt tomma rader hoppas över.",
        "Kolumner med mörkblå rubrik måste fyllas i på varje rad; kolumner med ljusblå rubrik får lämnas tomma.",
        "Lämna en cell tom när rapporten inte anger något (ingen bedömning, inget målvärde, ingen kommentar).",
        "År, ordning och målområde finns inte i bladen: året anges vid importen, ordningen är radens plats i bladet",
        "och målområdet räknas fram från målnumret (1.3 hör till målområde 1). Skriv målnummer som text, t.ex. 1.3.",
        "Skriv tal som tal utan enhet: 105546 eller −105 546 (mellanslag och decimalkomma går bra).",
        "Kolumner med rullista (bedömning, jämförelse, bättre är, radtyp, typ) tar bara orden i listan.",
        "Formler går bra om arbetsboken sparas i Excel, så att det uträknade värdet finns sparat i filen.",
        "Pekaren över en rubrik visar vad kolumnen innehåller. Texter med flera stycken: skilj styckena med en tom rad",
        "(Alt+Enter två gånger i Excel).",
        "",
        "#Teckenkonvention",
        "Belopp anges i tkr (tusental kronor), som tryckta i rapporten.",
        "Driftredovisning och Nettokostnad: intäkter positiva, kostnader negativa. Avvikelse = utfall − budget,",
        "så en positiv avvikelse är bättre än budget.",
        "Investeringar: utgifter positiva. Avvikelse = budget − utfall, så en positiv avvikelse betyder lägre utgift.",
        "Summarader (radtyp 'summa') och avvikelser skrivs in som tryckta, även när de skiljer sig 1 tkr från summan",
        "av delarna (rapportens avrundning). Importen stoppar bara skillnader större än avrundning.",
        "I Nettokostnad är en 'varav'-rad en del av raden som anges i kolumnen 'Del av'.",
        "",
        "#Importera",
        "Spara arbetsboken (.xlsx) och kör i projektmappen, med det år som rapporten avser:",
        "    python -m ks_data import rapport.xlsx --year 2021",
        "Allt kontrolleras först. Vid minsta fel skrivs ingenting, och varje problem visas på en gång med blad,",
        "rad och kolumn. Rätta arbetsboken och kör igen.",
        "Går allt igenom skrivs data/source/<år>/<tabell>.toml och data/<tabell>.parquet byggs om.",
        "Finns året redan stoppar importen; lägg till --replace för att ersätta det årets data.",
        "En ny mall med senaste årets data som exempel: python -m ks_data template rapport.xlsx",
        "",
        "#Bladen",
        ("Blad", "Innehåll", "Kolumner som identifierar en rad"),
    ]
    for table in s.TABLES:
        key = [labels.get_header(table, c) if c in sheet_columns(table) else "radens plats i bladet"
               for c in s.get_key(table) if c != s.YEAR]
        lines.append((labels.get_sheet_name(table), s.get_description(table), ", ".join(key) or "–"))
    lines += ["", "#Kolumner", ("Blad", "Kolumn", "Krävs", "Enhet", "Tillåtna ord", "Beskrivning")]
    for table in s.TABLES:
        for column in sheet_columns(table):
            f = s.SCHEMAS[table].field(column)
            words = labels.get_code_words(table, column)
            lines.append((labels.get_sheet_name(table), labels.get_header(table, column),
                          "nej" if f.nullable else "ja", _unit(table, column),
                          ", ".join(words.values()) if words else "",
                          (f.metadata or {}).get(b"description", b"").decode()))
    return lines


def _write_instructions(ws, year: int | None) -> None:
    for i, line in enumerate(_instruction_lines(year), start=1):
        if isinstance(line, tuple):
            for j, text in enumerate(line, start=1):
                cell = ws.cell(i, j, text)
                cell.alignment = Alignment(vertical="top", wrap_text=j > 1)
            if line[0] == "Blad":
                for j in range(1, len(line) + 1):
                    ws.cell(i, j).font = Font(bold=True)
        elif line.startswith("#"):
            ws.cell(i, 1, line[1:]).font = Font(bold=True, size=14 if i == 1 else 12)
        elif line:
            ws.cell(i, 1, line)
    for letter, width in zip("ABCDEF", (22, 30, 8, 8, 40, 80)):
        ws.column_dimensions[letter].width = width


def write_template(path: Path, source_root: Path = paths.SOURCE_DIR, year: int | None = None) -> Path:
    """Write the workbook: Instruktioner plus one sheet per table with ``year``'s rows (default: the latest year)."""
    path = Path(path)
    years = get_source_years(Path(source_root))
    if year is None and years:
        year = years[-1]
    if year is not None and year not in years:
        have = ", ".join(map(str, years)) or "inga år"
        raise DataError([ImportProblem(str(Path(source_root) / str(year)), "",
                                       f"året {year} finns inte i källan; det finns: {have}")])
    tables = read_source_year(Path(source_root) / str(year)) if year is not None else {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS
    _write_instructions(ws, year)
    for table in s.TABLES:
        _write_sheet(wb.create_sheet(labels.get_sheet_name(table)), table, tables.get(table))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A hidden temporary name in the same folder, then a rename: a reader never sees half a workbook.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --- reading a workbook or a folder ---------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ws, formulas, table: str, inp: ImportInput) -> None:
    """Read one table's sheet into ``inp``: map headers to columns, convert every cell, note every problem."""
    sheet = labels.get_sheet_name(table)
    file = str(inp.origin)

    def problem(message, row=None, column=None, severity=ERROR):
        inp.problems.append(ImportProblem(file, sheet, message, row=row, column=column, severity=severity))

    lookup = _header_lookup(table)
    headers = [labels.get_header(table, c) for c in sheet_columns(table)]
    colmap: dict[int, str] = {}
    unknown: set[int] = set()
    for cell in next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW), ()):
        if _blank(cell.value):
            continue
        text = str(cell.value).strip()
        column = lookup.get(_norm(text))
        if column is None:
            problem(f"okänd kolumnrubrik; rubrikerna på bladet ska vara: {', '.join(headers)}", HEADER_ROW, text)
            unknown.add(cell.column)
        elif column in colmap.values():
            problem("rubriken finns två gånger; ta bort den ena kolumnen", HEADER_ROW, text)
            unknown.add(cell.column)
        else:
            colmap[cell.column] = column
    missing = [c for c in sheet_columns(table) if c not in colmap.values()]
    for column in missing:
        problem("kolumnen saknas; kopiera rubrikraden från mallen", HEADER_ROW, labels.get_header(table, column))
    inp.missing[table] = set(missing)
    rows: list[dict] = []
    lines: list[int] = []
    headless: set[int] = set()
    for cells in ws.iter_rows(min_row=FIRST_DATA_ROW):
        if all(_blank(c.value) and not _is_formula(formulas, c) for c in cells):
            continue
        row: dict = {}
        for c in cells:
            column = colmap.get(c.column)
            if column is None:
                if c.column not in unknown and c.column not in headless and not _blank(c.value):
                    headless.add(c.column)
                    problem("cellen har ett värde men kolumnen saknar rubrik", c.row, get_column_letter(c.column))
                continue
            header = labels.get_header(table, column)
            if c.data_type == "e":
                problem(f"cellen innehåller felvärdet {c.value}; skriv in värdet", c.row, header)
                continue
            if c.value is None and _is_formula(formulas, c):
                problem("cellen innehåller en formel utan sparat värde; skriv in värdet eller spara arbetsboken "
                        "i Excel", c.row, header)
                continue
            value, error = cell_value(c.value, table, column)
            if error:
                problem(error, c.row, header)
            elif value is not None:
                row[column] = value
        rows.append(row)
        lines.append(cells[0].row)
    inp.rows[table] = rows
    inp.lines[table] = lines
    inp.sections[table] = None


def _is_formula(formulas, cell) -> bool:
    if formulas is None:
        return False
    value = formulas[cell.coordinate].value
    return isinstance(value, str) and value.startswith("=")


def read_workbook(path: Path) -> ImportInput:
    """Read a filled-in workbook: rows per table (codes mapped from Swedish words) and every problem found."""
    path = Path(path)
    inp = ImportInput(origin=path, kind=WORKBOOK)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except FileNotFoundError:
        inp.problems.append(ImportProblem(str(path), "", "filen finns inte"))
        return inp
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        inp.problems.append(ImportProblem(str(path), "", "filen går inte att läsa som en Excel-arbetsbok (.xlsx) "
                                          f"({type(exc).__name__}); spara den som .xlsx och försök igen"))
        return inp
    by_name = {_norm(ws.title): ws for ws in wb.worksheets}
    known = {_norm(INSTRUCTIONS)} | {_norm(labels.get_sheet_name(t)) for t in s.TABLES}
    for ws in wb.worksheets:
        if _norm(ws.title) not in known:
            inp.problems.append(ImportProblem(str(path), ws.title, "okänt blad; det läses inte in", severity=WARNING))
    for table in s.TABLES:
        sheet = labels.get_sheet_name(table)
        ws = by_name.get(_norm(sheet))
        if ws is None:
            inp.problems.append(ImportProblem(str(path), sheet, "bladet saknas; utgå från mallen som "
                                              "'python -m ks_data template' skriver"))
            continue
        _read_sheet(ws, formulas[ws.title], table, inp)
    return inp


def read_folder(folder: Path) -> ImportInput:
    """Read a source folder (<table>.toml files as in data/source/<år>/) as the rows of a new year."""
    folder = Path(folder)
    inp = ImportInput(origin=folder, kind=FOLDER)
    for table in s.TABLES:
        path = folder / f"{table}{SOURCE_SUFFIX}"
        file = str(path)
        try:
            data = path.read_bytes()
            doc = tomllib.loads(data.decode("utf-8"))
        except FileNotFoundError:
            inp.problems.append(Problem(file, table, "filen saknas"))
            continue
        except UnicodeDecodeError:
            inp.problems.append(Problem(file, table, "filen är inte UTF-8-text"))
            continue
        except tomllib.TOMLDecodeError as exc:
            inp.problems.append(Problem(file, table, f"filen går inte att läsa som TOML ({exc})"))
            continue
        rows = doc.get("rows", [])
        if not isinstance(rows, list):
            inp.problems.append(Problem(file, table, "'rows' ska vara en lista av [[rows]]-tabeller"))
            continue
        rows = [dict(r) if isinstance(r, dict) else r for r in rows]
        for i, row in enumerate(rows, start=1):
            for f in s.SCHEMAS[table]:
                value = row.get(f.name) if isinstance(row, dict) else None
                if pa.types.is_integer(f.type) and isinstance(value, int) and not isinstance(value, bool):
                    low, high = _int_bounds(f.type)
                    if not low <= value <= high:
                        inp.problems.append(Problem(file, table, f"värdet {value} är utanför det tillåtna intervallet "
                                                    f"{low} till {high}", row=i, column=f.name))
                        row[f.name] = None
        inp.rows[table] = rows
        inp.sections[table] = doc.get("section")
        inp.lines[table] = list(range(1, len(rows) + 1))
        inp.raw_files[table] = data
    return inp


def read_input(path: Path) -> ImportInput:
    """Read a workbook, or a source folder if ``path`` is a folder."""
    path = Path(path)
    return read_folder(path) if path.is_dir() else read_workbook(path)


# --- validation ------------------------------------------------------------------------------------------------------


def _swedish(message: str, table: str) -> str:
    """Return a check message with column names, table names and codes as the workbook shows them."""
    for t in s.TABLES:
        sheet = labels.get_sheet_name(t)
        message = re.sub(rf"\bi tabellen {t}\b", f"på bladet '{sheet}'", message)
        message = re.sub(rf"\btabellen {t}\b", f"bladet '{sheet}'", message)
    message = message.replace("tabellen har", "bladet har")
    message = re.sub(rf"\b{s.YEAR}=-?\d+, ", "", message)
    columns = sheet_columns(table)
    for column in sorted(columns, key=len, reverse=True):
        header = labels.get_header(table, column)
        message = re.sub(rf"(?<![\w']){re.escape(column)}=", f"{header}=", message)
        if "_" in column:
            message = re.sub(rf"(?<![\w']){re.escape(column)}\b", f"'{header}'", message)
        for code, word in (labels.get_code_words(table, column) or {}).items():
            if code != word:
                message = message.replace(f"'{code}'", f"'{word}'")
    return message


def _loose_value(value, type_: pa.DataType):
    """Return ``value`` if it fits ``type_`` (ints within range), else None; used to check tables with bad cells."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    if pa.types.is_integer(type_):
        low, high = _int_bounds(type_)
        return value if isinstance(value, int) and low <= value <= high else None
    if pa.types.is_floating(type_):
        return float(value) if isinstance(value, int | float) else None
    return value if isinstance(value, str) else None


def _lenient_table(rows: list, table: str, year: int, default_section: str | None) -> pa.Table:
    """Return the rows as ``table`` with every column nullable and unusable values empty, so checks can still run."""
    schema = s.SCHEMAS[table]
    out = []
    for i, raw in enumerate(rows, start=1):
        raw = raw if isinstance(raw, dict) else {}
        row = {f.name: _loose_value(raw.get(f.name), f.type) for f in schema}
        row[s.YEAR], row[s.POSITION] = year, i
        if row[s.SECTION] is None and s.SECTION not in raw:
            row[s.SECTION] = _loose_value(default_section, pa.string())
        if table == s.GOALS and isinstance(row[s.GOAL_ID], str) and row[s.GOAL_ID].split(".")[0].isdigit():
            row[s.AREA] = _loose_value(int(row[s.GOAL_ID].split(".")[0]), pa.int8())
        out.append(row)
    return pa.Table.from_pylist(out, schema=pa.schema([f.with_nullable(True) for f in schema]))


@dataclass
class _Stack:
    """All years of one table stacked as check_tables sees them, and which rows belong to which year."""

    frame: pd.DataFrame
    segments: list[tuple[int, int, int]]  # (year, first row (1-based), number of rows)

    def find(self, row: int) -> tuple[int, int] | None:
        """Return (year, row within that year, 1-based) of a stacked row."""
        for year, start, count in self.segments:
            if start <= row < start + count:
                return year, row - start + 1
        return None


def _stack(others: dict[int, dict[str, pa.Table]], new: dict[str, pd.DataFrame], year: int) -> dict[str, _Stack]:
    stacks = {}
    for table, new_frame in new.items():
        parts = {y: tables[table].to_pandas() for y, tables in others.items() if table in tables} | {year: new_frame}
        frames, segments, start = [], [], 1
        for y in sorted(parts):
            frames.append(parts[y])
            segments.append((y, start, len(parts[y])))
            start += len(parts[y])
        frame = pd.concat(frames, ignore_index=True) if frames else new_frame
        stacks[table] = _Stack(frame, segments)
    return stacks


def _relocate(p: Problem, stack: _Stack | None, year: int, inp: ImportInput, source_root: Path) -> Problem:
    """Point a problem found by check_tables at the input's sheet and row, or at another year's source file."""
    if stack is None or p.table not in inp.rows:
        return p

    def where(row: int) -> tuple[int, int] | None:
        return stack.find(row)

    def reword(message: str, target_year: int) -> str:
        # check_keys names the other row by its position within its year: "som rad 2 för år 2021".
        def sub(m):
            position, other_year = int(m.group(1)), int(m.group(2))
            if other_year != year:
                return f"som rad {position} i källfilen för {other_year}"
            lines = inp.lines.get(p.table, [])
            shown = lines[position - 1] if inp.kind == WORKBOOK and 0 < position <= len(lines) else position
            return f"som rad {shown}"
        return re.sub(r"som rad (\d+) för år (\d+)", sub, message)

    if p.row is None:
        return inp.locate(p.table, None, p.column, p.message, p.severity)
    found = where(p.row)
    if found is None:
        return p
    row_year, i = found
    if row_year == year:
        return inp.locate(p.table, i, p.column, reword(p.message, year), p.severity)
    file = source_root / str(row_year) / f"{p.table}{SOURCE_SUFFIX}"
    return Problem(str(file), p.table, reword(p.message, row_year), row=i, column=p.column, severity=p.severity)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """Drop repeated problems and keep only the first problem of each cell (the later ones follow from it)."""
    seen, cells, out = set(), set(), []
    for p in problems:
        key = (p.file, p.table, p.row, p.column, p.message)
        cell = (p.file, p.table, p.row, p.column) if p.row is not None and p.column is not None else None
        if key in seen or (cell is not None and cell in cells):
            continue
        seen.add(key)
        if cell is not None:
            cells.add(cell)
        out.append(p)
    return out


def _order(problems: list[Problem]) -> list[Problem]:
    rank = {"": -1} | {t: i for i, t in enumerate(s.TABLES)}
    rank |= {labels.get_sheet_name(t): i for i, t in enumerate(s.TABLES)}
    return sorted(problems, key=lambda p: (p.severity != ERROR, rank.get(p.table, len(rank)), p.row or 0))


def _follows(p: Problem, new: dict[str, pa.Table]) -> bool:
    """Return True for a problem in a build-filled column of a table that failed conversion (reported already)."""
    return p.column in s.DERIVED_AT_BUILD and p.table not in new


def validate_input(inp: ImportInput, year: int, source_root: Path) -> tuple[dict[str, pa.Table], dict[int, dict],
                                                                               list[Problem]]:
    """Return (the new year's tables, the other years' tables, every problem) for ``inp`` read as ``year``."""
    problems = list(inp.problems)
    new: dict[str, pa.Table] = {}
    frames: dict[str, pd.DataFrame] = {}
    for table in s.TABLES:
        if table not in inp.rows:
            continue
        rows, section = inp.rows[table], inp.sections.get(table)
        file = str(inp.origin / f"{table}{SOURCE_SUFFIX}") if inp.kind == FOLDER else str(inp.origin)
        try:
            new[table] = convert_rows(rows, table, year, section, file)
        except DataError as exc:
            problems += [inp.locate(table, p.row, p.column, p.message, p.severity) for p in exc.problems
                         if p.column not in inp.missing.get(table, ())]
        except (pa.ArrowException, ValueError, TypeError) as exc:
            problems.append(inp.locate(table, None, None, f"raderna går inte att tolka ({exc})"))
        frames[table] = (new[table] if table in new else _lenient_table(rows, table, year, section)).to_pandas()
    others: dict[int, dict[str, pa.Table]] = {}
    for other in get_source_years(source_root):
        if other == year:
            continue
        try:
            others[other] = read_source_year(source_root / str(other))
        except DataError as exc:
            problems += exc.problems
    alone = {t: _Stack(df, [(year, 1, len(df))]) for t, df in frames.items()}
    stacks = _stack(others, frames, year)
    for group in (alone, stacks):
        checked = check_tables({t: st.frame for t, st in group.items()})
        problems += [_relocate(p, group.get(p.table), year, inp, source_root) for p in checked
                     if p.column not in inp.missing.get(p.table, ()) and not _follows(p, new)]
    return new, others, _order(_dedupe(problems))


# --- writing the new year ------------------------------------------------------------------------------------------


def render_source(table: pa.Table, name: str, origin: str) -> str:
    """Return one table's rows as a source file: comments, top-level section, one [[rows]] each (no year/position/area)."""
    rows = table.to_pylist()
    sections = [r[s.SECTION] for r in rows]
    default = max(sections, key=sections.count) if sections else None
    per_row = s.SECTION in s.get_key(name)
    out = []
    for r in rows:
        d = {}
        if per_row or r[s.SECTION] != default:
            d[s.SECTION] = r[s.SECTION]
        for f in s.SCHEMAS[name]:
            if f.name in s.DERIVED_AT_BUILD or f.name == s.SECTION or r[f.name] is None:
                continue
            d[f.name] = r[f.name]
        out.append(d)
    doc = ({"section": default} if default is not None else {}) | {"rows": out}
    head = (f"# {s.get_description(name)}\n# Importerad från {origin} med: python -m ks_data import. "
            "Bygg med: python -m ks_data build\n\n")
    return head + tomli_w.dumps(doc, multiline_strings=True)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _pause(point: str) -> None:
    """Test hook: sleep at ``point`` when KS_DATA_IMPORT_PAUSE names it, so a test can kill the import there."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"{PAUSE_MARKER} {point}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV, "600")))


def _commit(new: dict[str, pa.Table], sources: dict[str, bytes] | None, year: int, others: dict[int, dict],
            source_root: Path, data_dir: Path) -> tuple[list[Path], list[Path]]:
    """Write all new files into hidden staging folders, rebuild Parquet there, then switch them into place at once
    (or rename them one by one where the file system cannot swap folders)."""
    for folder in (source_root, data_dir):
        remove_stale_staging(folder)
    token = new_staging_name()
    src_stage, out_stage = source_root / token, data_dir / token
    target = source_root / str(year)
    try:
        src_stage.mkdir(parents=True)
        out_stage.mkdir(parents=True)
        year_stage = src_stage / str(year)
        if sources is None:
            year_stage.symlink_to(Path("..") / str(year), target_is_directory=True)
        else:
            year_stage.mkdir()
            for table, data in sources.items():
                _write_synced(year_stage / f"{table}{SOURCE_SUFFIX}", data)
        for other in others:
            (src_stage / str(other)).symlink_to(Path("..") / str(other), target_is_directory=True)
        build(src_stage, out_stage, at_once=False)  # a fresh staging folder: the swap comes below
        staged = read_source_year(year_stage)
        differing = [t for t in s.TABLES if not staged[t].equals(new[t])]
        if differing:
            raise DataError([ImportProblem(str(year_stage), "", "intern kontroll: den skrivna källan läses inte "
                                           f"tillbaka lika för {', '.join(differing)}; inget har skrivits")])
        _pause(PAUSE_AFTER_TEMP_WRITES)
        staged_sources = {target / f"{t}{SOURCE_SUFFIX}": year_stage / f"{t}{SOURCE_SUFFIX}" for t in sources or ()}
        staged_parquet = {data_dir / s.get_file_name(t): out_stage / s.get_file_name(t) for t in s.TABLES}
        source_files, parquet_files = list(staged_sources), list(staged_parquet)
        # In one step where it can be done; a source root outside the data folder is not (replace_at_once says no).
        if replace_at_once(data_dir, staged_sources | staged_parquet, before_switch=lambda: _pause(PAUSE_BEFORE_SWITCH)):
            return source_files, parquet_files
        if sources is not None:
            if target.is_dir():
                for table in sources:
                    os.replace(year_stage / f"{table}{SOURCE_SUFFIX}", target / f"{table}{SOURCE_SUFFIX}")
            else:
                os.rename(year_stage, target)  # the whole new year appears in one step
        for table in s.TABLES:
            name = s.get_file_name(table)
            os.replace(out_stage / name, data_dir / name)
        return source_files, parquet_files
    finally:
        shutil.rmtree(src_stage, ignore_errors=True)
        shutil.rmtree(out_stage, ignore_errors=True)


def import_year(path: Path, year: int | None = None, source_root: Path = paths.SOURCE_DIR,
                data_dir: Path = paths.DATA_DIR, replace: bool = False) -> ImportResult:
    """Import a filled-in workbook (or a source folder) as ``year``; raise DataError with every problem, writing nothing."""
    path, source_root, data_dir = Path(path), Path(source_root), Path(data_dir)
    if year is None and path.is_dir() and path.name.isdigit():
        year = int(path.name)
    if year is None:
        raise DataError([ImportProblem(str(path), "", "ange vilket år rapporten avser med --year, t.ex. --year 2021")])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DataError([ImportProblem(str(path), "", f"året {year} ska ligga mellan {MIN_YEAR} och {MAX_YEAR}")])
    # One import or build of the folder at a time, from the checks to the swap: both are made from what it holds now.
    with hold_data_lock(data_dir):
        return _import_locked(path, year, source_root, data_dir, replace)


def _import_locked(path: Path, year: int, source_root: Path, data_dir: Path, replace: bool) -> ImportResult:
    inp = read_input(path)
    target = source_root / str(year)
    same_folder = inp.kind == FOLDER and target.exists() and path.resolve() == target.resolve()
    problems: list[Problem] = []
    if inp.kind == FOLDER and path.name.isdigit() and int(path.name) != year:
        problems.append(ImportProblem(str(path), "", f"mappen heter {path.name} men --year är {year}"))
    if target.exists() and not replace and not same_folder:
        problems.append(ImportProblem(str(target), "", f"året {year} finns redan; lägg till --replace för att "
                                      "ersätta det årets data"))
    new, others, found = validate_input(inp, year, source_root)
    problems += found
    if any(p.severity == ERROR for p in problems):
        raise DataError(problems)
    if same_folder:
        sources = None
    elif inp.kind == FOLDER:
        sources = dict(inp.raw_files)
    else:
        sources = {t: render_source(new[t], t, path.name).encode("utf-8") for t in s.TABLES}
    source_files, parquet_files = _commit(new, sources, year, others, source_root, data_dir)
    return ImportResult(year, source_files, parquet_files, [p for p in problems if p.severity != ERROR])
