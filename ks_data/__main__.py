"""Command line: python -m ks_data build | check | docs | template | import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ks_data import paths
from ks_data import schema as s
from ks_data.build import build
from ks_data.check import check_tables, has_errors
from ks_data.dictionary import render_markdown
from ks_data.errors import ERROR, DataError
from ks_data.fmt import format_tkr
from ks_data.load import load_tables
from ks_data.outputs.workbook import import_year, write_template
from ks_data.reconcile import CHECK, COLUMN, COMPUTED, PRINTED, ROW_LABEL, TABLE, calc_reconciliation, get_mismatches


def run_build(args) -> int:
    """Build data/*.parquet from the source folders."""
    try:
        written = build(Path(args.source), Path(args.out))
    except DataError as exc:
        print("Bygget avbröts; inga filer skrevs. Rätta följande:", file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p.describe()}", file=sys.stderr)
        return 1
    for name, path in written.items():
        print(f"Skrev {path} ({name})")
    return 0


def run_check(args) -> int:
    """Print validation and reconciliation results; exit 1 only on validation errors."""
    data_dir = Path(args.data)
    frames, problems = load_tables(data_dir)
    problems += check_tables(frames, data_dir)
    errors = [p for p in problems if p.severity == ERROR]
    warnings = [p for p in problems if p.severity != ERROR]
    print(f"Validering av {data_dir}: {len(errors)} fel, {len(warnings)} {'varning' if len(warnings) == 1 else 'varningar'}.")
    for p in problems:
        print(f"  - [{p.severity}] {p.describe()}")
    rec = calc_reconciliation(frames)
    mism = get_mismatches(rec)
    print(f"\nAvstämning: {len(rec)} kontroller, {len(mism)} skillnader mellan tryckt och beräknat "
          "(avrundning i rapporten; värdena står kvar som tryckta).")
    for _, r in mism.iterrows():
        print(f"  - {r[s.YEAR]} {r[TABLE]}, '{r[ROW_LABEL]}', {r[COLUMN]}: {r[CHECK]}: tryckt {format_tkr(r[PRINTED])}, "
              f"beräknat {format_tkr(r[COMPUTED])}")
    return 1 if has_errors(problems) else 0


def run_docs(args) -> int:
    """Write the data dictionary to docs/data.md."""
    Path(args.out).write_text(render_markdown(), encoding="utf-8")
    print(f"Skrev {args.out}")
    return 0


def run_template(args) -> int:
    """Write the Excel template with one sheet per table and the latest (or --year's) data as the example."""
    try:
        path = write_template(Path(args.path), Path(args.source), args.year)
    except DataError as exc:
        for p in exc.problems:
            print(f"  - {p.describe()}", file=sys.stderr)
        return 1
    print(f"Skrev mallen {path}. Fyll i den och importera med: python -m ks_data import {args.path} --year <år>")
    return 0


def run_import(args) -> int:
    """Import a filled-in workbook (or a source folder) as a new year; write nothing unless everything is right."""
    source = Path(args.source) if args.source else Path(args.data) / "source"
    try:
        result = import_year(Path(args.path), args.year, source, Path(args.data), replace=args.replace)
    except DataError as exc:
        errors = [p for p in exc.problems if p.severity == ERROR]
        print(f"Importen av {args.path} avbröts; inga filer skrevs. Rätta följande {len(errors)} fel och kör igen:",
              file=sys.stderr)
        for p in exc.problems:
            print(f"  - [{p.severity}] {p.describe()}", file=sys.stderr)
        return 1
    for p in result.warnings:
        print(f"  - [{p.severity}] {p.describe()}")
    for path in result.source_files + result.parquet_files:
        print(f"Skrev {path}")
    print(f"Importerade år {result.year} från {args.path}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m ks_data", description="Data för KS-utforskaren.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="bygg data/*.parquet från data/source/<år>/")
    p.add_argument("--source", default=str(paths.SOURCE_DIR))
    p.add_argument("--out", default=str(paths.DATA_DIR))
    p.set_defaults(func=run_build)
    p = sub.add_parser("check", help="validera och stäm av data/*.parquet")
    p.add_argument("--data", default=str(paths.DATA_DIR))
    p.set_defaults(func=run_check)
    p = sub.add_parser("docs", help="skriv datakatalogen docs/data.md")
    p.add_argument("--out", default=str(paths.DOCS_DATA))
    p.set_defaults(func=run_docs)
    p = sub.add_parser("template", help="skriv en Excel-mall med ett blad per tabell och senaste årets data som exempel")
    p.add_argument("path", help="arbetsboken som skrivs, t.ex. rapport.xlsx")
    p.add_argument("--source", default=str(paths.SOURCE_DIR))
    p.add_argument("--year", type=int, default=None, help="året vars data blir exempel (standard: senaste året)")
    p.set_defaults(func=run_template)
    p = sub.add_parser("import", help="läs in ett nytt år från en ifylld mall (.xlsx) eller en källmapp")
    p.add_argument("path", help="ifylld arbetsbok (.xlsx) eller mapp med <tabell>.toml")
    p.add_argument("--year", type=int, default=None, help="året som rapporten avser, t.ex. 2021")
    p.add_argument("--replace", action="store_true", help="ersätt året om det redan finns")
    p.add_argument("--data", default=str(paths.DATA_DIR), help="mappen med <tabell>.parquet (standard: data/)")
    p.add_argument("--source", default=None, help="källmappen med <år>/ (standard: <data>/source)")
    p.set_defaults(func=run_import)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
