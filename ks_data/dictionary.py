"""The data dictionary, generated from the schemas (docs/data.md and the app's "Om data")."""

from __future__ import annotations

import pandas as pd

from ks_data import schema as s
from ks_data.fmt import format_unit
from ks_data.texts import get_text

COLUMN = "Kolumn"
TYPE = "Typ"
REQUIRED = "Krävs"
UNIT = "Enhet"
DESCRIPTION = "Beskrivning"

TYPE_KEYS = {"int8": "dict.type.int", "int16": "dict.type.int", "int64": "dict.type.int", "double": "dict.type.double",
             "string": "dict.type.string"}

INTRO = """# Datakatalog

Genererad från `ks_data/schema.py` med `python -m ks_data docs`; ändra inte för hand.

Källan till alla värden är Kommunstyrelsens verksamhetsberättelse 2020
(`data/source/2020/verksamhetsberattelse-ks-2020.txt`). Den redigerbara källan ligger i
`data/source/<år>/<tabell>.toml` och byggs till `data/<tabell>.parquet` med `python -m ks_data build`.

## Teckenkonvention

- Belopp i tkr (tusental kronor), som tryckta i rapporten.
- Driftredovisning och nettokostnad: intäkter positiva, kostnader negativa. Avvikelse = utfall − budget,
  så en positiv avvikelse är bättre än budget.
- Investeringar: utgifter positiva. Avvikelse = budget − utfall, så en positiv avvikelse betyder lägre
  utgift än budget.
- Tryckta summor och avvikelser lagras som tryckta, även där de skiljer sig 1 tkr från summan av delarna
  (rapportens avrundning). Avstämningen (`python -m ks_data check`) visar varje sådan skillnad.
- Inget som kan härledas lagras: avvikelse i procent, status mot målvärde, index och förändring räknas
  fram i `ks_data/calc.py`. Undantag: målområdet (`area`) fylls i av bygget från målnumret.
"""


def get_column_description(table: str, column: str, lang: str = "sv") -> str:
    """Return what ``column`` of ``table`` means, in ``lang`` (the Swedish one is the schema's own)."""
    return get_text(f"dict.description.{table}.{column}", lang)


def get_dictionary(table: str, lang: str = "sv") -> pd.DataFrame:
    """Return one row per column of ``table``: Kolumn, Typ, Krävs, Enhet, Beskrivning (headers, words and
    descriptions in ``lang``)."""
    rows = []
    for field in s.SCHEMAS[table]:
        meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
        type_key = TYPE_KEYS.get(str(field.type))
        rows.append({get_text("dict.col.column", lang): field.name,
                     get_text("dict.col.type", lang): get_text(type_key, lang) if type_key else str(field.type),
                     get_text("dict.col.required", lang): get_text("dict.no" if field.nullable else "dict.yes", lang),
                     get_text("dict.col.unit", lang): format_unit(meta.get("unit", ""), lang),
                     get_text("dict.col.description", lang): get_column_description(table, field.name, lang)})
    return pd.DataFrame(rows)


def render_markdown() -> str:
    """Return the whole data dictionary as Markdown."""
    parts = [INTRO]
    for table in s.TABLES:
        parts.append(f"## {table}\n\n{s.get_description(table)}\n\nFil: `data/{s.get_file_name(table)}`. "
                     f"Nyckel: {', '.join(f'`{k}`' for k in s.get_key(table))}.\n")
        df = get_dictionary(table)
        lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
        for _, r in df.iterrows():
            lines.append("| " + " | ".join(f"`{v}`" if c == COLUMN else str(v) for c, v in r.items()) + " |")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
