"""Swedish names for the schema: sheet names, column headers and code words (the Excel workbook uses them).

Kept next to ks_data/schema.py and keyed by its constants, so a new table, column or code
fails loudly (tests/test_workbook.py checks that every one has a Swedish name).
"""

from __future__ import annotations

from ks_data import schema as s

# One Excel sheet per table (at most 31 characters, none of []:*?/\).
SHEET_NAMES: dict[str, str] = {
    s.GOALS: "Mål",
    s.INDICATORS: "Styrtal",
    s.COMPARISONS: "Jämförelsetal",
    s.OPERATING: "Driftredovisning",
    s.NET_COSTS: "Nettokostnad",
    s.INVESTMENTS: "Investeringar",
    s.ACTIVITIES: "Aktiviteter",
    s.NARRATIVE: "Löptext",
    s.ORGANISATION: "Organisation",
}

# Column header per column name; TABLE_HEADERS overrides it where a table means something narrower.
HEADERS: dict[str, str] = {
    s.YEAR: "År",
    s.SECTION: "Avsnitt",
    s.POSITION: "Ordning",
    s.GOAL_ID: "Målnummer",
    s.AREA: "Målområde",
    s.TITLE: "Rubrik",
    s.DEFINITION: "Definition",
    s.ASSESSMENT: "Bedömning",
    s.ASSESSMENT_TEXT: "Bedömningstext",
    s.COMMENT: "Kommentar",
    s.ANALYSIS: "Analys",
    s.ACTION: "Åtgärd",
    s.NAME: "Namn",
    s.UNIT: "Enhet",
    s.VALUE: "Värde",
    s.VALUE_TEXT: "Värde i ord",
    s.TARGET_OP: "Jämförelse",
    s.TARGET: "Målvärde",
    s.TARGET_HIGH: "Målvärde övre gräns",
    s.DIRECTION: "Bättre är",
    s.PERIOD: "Period",
    s.NOTE: "Anmärkning",
    s.VERDICT: "Bedömning i ord",
    s.VERDICT_TEXT: "Bedömningstext",
    s.CONFLICT_WHERE: "Motsägelse, var",
    s.CONFLICT_TEXT: "Motsägelse, text",
    s.METRIC: "Mått",
    s.MEASURE_YEAR: "Avser år",
    s.LINE: "Rad",
    s.UNIT_NAME: "Verksamhet",
    s.PARENT: "Del av",
    s.PROJECT: "Investering",
    s.ROW_KIND: "Radtyp",
    s.BUDGET: "Budget",
    s.OUTCOME: "Utfall",
    s.DEVIATION: "Avvikelse",
    s.OUTCOME_PREV: "Utfall föregående år",
    s.DESCRIPTION: "Beskrivning",
    s.BELONGS_TO: "Tillhör verksamhet",
    s.INVESTMENT: "Investeringsutgift",
    s.FINANCING: "Finansiering",
    s.RUN_AS_PROJECT: "Bedrivs som projekt",
    s.STATUS: "Status",
    s.KIND: "Typ",
    s.TEXT: "Text",
    s.ABBREVIATION: "Förkortning",
    s.ORG_TYPE: "Typ av organ",
}

TABLE_HEADERS: dict[tuple[str, str], str] = {
    (s.ACTIVITIES, s.UNIT_NAME): "Förvaltning",
    (s.ACTIVITIES, s.NAME): "Aktivitet",
    (s.ORGANISATION, s.NAME): "Organ",
    (s.OPERATING, s.NOTE): "Fotnot",
}

# Units that are shown in the header, e.g. "Budget (tkr)".
UNITS_IN_HEADER = ("tkr",)

# The Swedish word for each code; the workbook shows the words and the import maps them back.
CODE_WORDS: dict[str, dict[str, str]] = {
    s.ASSESSMENT: {"fulfilled": "uppfyllt", "partly": "delvis uppfyllt", "not_fulfilled": "ej uppfyllt",
                   "not_assessed": "ej bedömt"},
    s.TARGET_OP: {">=": "minst", "<=": "högst", ">": "mer än", "<": "mindre än", "==": "exakt",
                  "range": "intervall"},
    s.DIRECTION: {"higher": "högre", "lower": "lägre", "target": "målvärde"},
    s.VERDICT: {"met": "når målet", "missed": "når inte målet"},
    s.ROW_KIND: {"post": "post", "varav": "varav", "summa": "summa"},
    s.KIND: {"paragraph": "stycke", "bullet": "punkt", "footnote": "fotnot"},
    s.ORG_TYPE: {"office": "kontor", "municipal_federation": "kommunalförbund", "joint_committee": "gemensam nämnd",
                 "municipal_company": "kommunalt bolag"},
}


def get_sheet_name(table: str) -> str:
    """Return the Swedish sheet name of ``table``."""
    return SHEET_NAMES[table]


def get_header(table: str, column: str) -> str:
    """Return the Swedish header of ``column`` in ``table``, with its unit when that is tkr: "Budget (tkr)"."""
    header = TABLE_HEADERS.get((table, column), HEADERS[column])
    field = s.SCHEMAS[table].field(column)
    unit = (field.metadata or {}).get(b"unit", b"").decode()
    return f"{header} ({unit})" if unit in UNITS_IN_HEADER else header


def get_code_words(table: str, column: str) -> dict[str, str] | None:
    """Return {code: Swedish word} for the allowed codes of ``column`` in ``table``, or None if it has no codes."""
    allowed = s.CODES.get((table, column))
    if allowed is None:
        return None
    return {code: CODE_WORDS[column][code] for code in allowed}


def get_code_word(table: str, column: str, code: str) -> str:
    """Return the Swedish word for ``code``, or the code itself if the column has no words for it."""
    words = get_code_words(table, column) or {}
    return words.get(code, code)
