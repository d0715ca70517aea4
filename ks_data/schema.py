"""One pyarrow schema per table, with column names as constants.

Each field carries Swedish metadata (``description`` and ``unit``) so the data
dictionary (docs/data.md and the app's "Om data" page) is generated from the
schema and can never drift from it. The English UI's table and column descriptions are in
ks_data/texts.py (``about.table.description.<table>``, ``dict.description.<table>.<column>``) beside a
Swedish copy that tests keep equal to the metadata here: a new column needs its keys there too.

Sign convention (as printed in the report):
- operating and net_costs: revenues positive, costs negative; deviation is
  outcome − budget, so a positive deviation is better than budget.
- investments: expenditure positive; deviation is budget − outcome, so a
  positive deviation means less was spent than budgeted.
"""

from __future__ import annotations

import pyarrow as pa

# Columns shared by every table.
YEAR = "year"
SECTION = "section"
POSITION = "position"

# goals
GOAL_ID = "goal_id"
AREA = "area"
TITLE = "title"
DEFINITION = "definition"
ASSESSMENT = "assessment"
ASSESSMENT_TEXT = "assessment_text"
COMMENT = "comment"
ANALYSIS = "analysis"
ACTION = "action"

# indicators
NAME = "name"
UNIT = "unit"
VALUE = "value"
VALUE_TEXT = "value_text"
TARGET_OP = "target_op"
TARGET = "target"
TARGET_HIGH = "target_high"
DIRECTION = "direction"
PERIOD = "period"
NOTE = "note"
VERDICT = "verdict"
VERDICT_TEXT = "verdict_text"

# Where the report says one thing in its text and another in its figures (indicators, net_costs).
CONFLICT_WHERE = "conflict_where"
CONFLICT_TEXT = "conflict_text"

# comparisons
METRIC = "metric"
MEASURE_YEAR = "measure_year"

# economy tables
LINE = "line"
UNIT_NAME = "unit_name"
PARENT = "parent"
PROJECT = "project"
ROW_KIND = "row_kind"
BUDGET = "budget"
OUTCOME = "outcome"
DEVIATION = "deviation"
OUTCOME_PREV = "outcome_prev"

# activities
DESCRIPTION = "description"
BELONGS_TO = "belongs_to"
INVESTMENT = "investment"
FINANCING = "financing"
RUN_AS_PROJECT = "run_as_project"
STATUS = "status"

# narrative and organisation
KIND = "kind"
TEXT = "text"
ABBREVIATION = "abbreviation"
ORG_TYPE = "org_type"

# Allowed codes. Values are stored as English codes; the UI translates them.
ASSESSMENTS = ("fulfilled", "partly", "not_fulfilled", "not_assessed")
TARGET_OPS = (">=", "<=", ">", "<", "==", "range")
DIRECTIONS = ("higher", "lower", "target")
ROW_KINDS = ("post", "varav", "summa")
NARRATIVE_KINDS = ("paragraph", "bullet", "footnote")
# A verdict the report states in words for an indicator without a printed target (the indicator status codes).
VERDICTS = ("met", "missed")
ORG_TYPES = ("office", "municipal_federation", "joint_committee", "municipal_company")

GOALS = "goals"
INDICATORS = "indicators"
COMPARISONS = "comparisons"
OPERATING = "operating"
NET_COSTS = "net_costs"
INVESTMENTS = "investments"
ACTIVITIES = "activities"
NARRATIVE = "narrative"
ORGANISATION = "organisation"


def _field(name: str, type_: pa.DataType, nullable: bool, description: str, unit: str = "") -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description, "unit": unit})


def _common() -> list[pa.Field]:
    return [
        _field(YEAR, pa.int16(), False, "Verksamhetsåret som rapporten avser", "år"),
        _field(SECTION, pa.string(), False, "Avsnitt i rapporten som raden kommer från, t.ex. 'Ekonomi › Driftredovisning'"),
        _field(POSITION, pa.int16(), False, "Radens ordning i rapporten inom året (1, 2, 3 …)"),
    ]


def _schema(description: str, key: tuple[str, ...], fields: list[pa.Field]) -> pa.Schema:
    meta = {"description": description, "key": ",".join(key)}
    return pa.schema(_common() + fields, metadata=meta)


SCHEMAS: dict[str, pa.Schema] = {
    GOALS: _schema(
        "Målen i Måluppföljning med rapportens egen bedömning och texter.",
        (YEAR, GOAL_ID),
        [
            _field(GOAL_ID, pa.string(), False, "Målets nummer, t.ex. '1.3'"),
            _field(AREA, pa.int8(), False, "Målområde: första siffran i målets nummer"),
            _field(TITLE, pa.string(), False, "Målets rubrik"),
            _field(DEFINITION, pa.string(), True, "Meningen under rubriken som preciserar målet; tom om rapporten saknar den"),
            _field(ASSESSMENT, pa.string(), True,
                   "Rapportens egen bedömning: fulfilled (uppfyllt), partly (delvis uppfyllt), "
                   "not_fulfilled (ej uppfyllt), not_assessed (ej bedömt); tom om rapporten inte anger någon"),
            _field(ASSESSMENT_TEXT, pa.string(), True, "Meningen i rapporten som bedömningen kommer från"),
            _field(COMMENT, pa.string(), True, "Avsnittet Kommentar; stycken åtskilda av tom rad"),
            _field(ANALYSIS, pa.string(), True, "Avsnittet Analys; stycken åtskilda av tom rad"),
            _field(ACTION, pa.string(), True, "Avsnittet Åtgärd; stycken åtskilda av tom rad"),
        ],
    ),
    INDICATORS: _schema(
        "Styrtal och andra mätvärden i målavsnitten, med målvärde där rapporten anger ett.",
        (YEAR, GOAL_ID, NAME, PERIOD),
        [
            _field(GOAL_ID, pa.string(), False, "Målet som mätvärdet hör till"),
            _field(NAME, pa.string(), False, "Mätvärdets namn"),
            _field(UNIT, pa.string(), False,
                   "Enhet: '%', 'procentenheter' (förändring av en andel), 'antal', 'placering' eller 'text' för "
                   "omdömen utan siffra"),
            _field(VALUE, pa.float64(), True, "Uppmätt värde i angiven enhet; tomt för omdömen och ej mätta värden", "se unit"),
            _field(VALUE_TEXT, pa.string(), True, "Uppmätt omdöme i ord, t.ex. 'Högre' eller 'OK'"),
            _field(TARGET_OP, pa.string(), True,
                   "Jämförelse mot målvärdet: '>=', '<=', '>', '<', '==' (exakt) eller 'range' (intervall); tomt om målvärde saknas"),
            _field(TARGET, pa.float64(), True, "Målvärde (undre gräns för intervall)", "se unit"),
            _field(TARGET_HIGH, pa.float64(), True, "Övre gräns när målvärdet är ett intervall", "se unit"),
            _field(DIRECTION, pa.string(), True,
                   "Vilket håll som är bättre: higher (högre), lower (lägre), target (så nära målvärdet som möjligt)"),
            _field(PERIOD, pa.string(), True, "Perioden eller tidpunkten som mätts; tomt = verksamhetsåret"),
            _field(NOTE, pa.string(), True, "Anmärkning, med rapportens egna ord där det går"),
            _field(VERDICT, pa.string(), True,
                   "Rapportens bedömning i ord där inget målvärde är tryckt: met (når målet), missed (når inte målet); "
                   "tom om rapporten inte säger något"),
            _field(VERDICT_TEXT, pa.string(), True, "Meningen i rapporten som bedömningen i ord kommer från"),
            _field(CONFLICT_WHERE, pa.string(), True,
                   "Var i rapporten en mening står som säger emot mätvärdet, t.ex. 'Mål 2.2 › Analys'"),
            _field(CONFLICT_TEXT, pa.string(), True, "Meningen som säger emot mätvärdet, som tryckt; appen visar båda"),
        ],
    ),
    COMPARISONS: _schema(
        "Jämförelsetal för styrelsens verksamhet, ett värde per mått och år.",
        (YEAR, METRIC, MEASURE_YEAR),
        [
            _field(METRIC, pa.string(), False, "Måttets namn som i rapporten"),
            _field(UNIT, pa.string(), False, "Enhet, t.ex. 'kr/invånare' eller 'antal'"),
            _field(MEASURE_YEAR, pa.int16(), False, "Året som värdet avser", "år"),
            _field(VALUE, pa.float64(), False, "Värdet", "se unit"),
        ],
    ),
    OPERATING: _schema(
        "Driftredovisning (resultaträkning) i tkr, som tryckt.",
        (YEAR, LINE),
        [
            _field(LINE, pa.string(), False, "Radens namn som i rapporten"),
            _field(ROW_KIND, pa.string(), False, "post (vanlig rad) eller summa (tryckt summarad)"),
            _field(BUDGET, pa.int64(), False, "Budget för året; intäkter positiva, kostnader negativa", "tkr"),
            _field(OUTCOME, pa.int64(), False, "Utfall för året; intäkter positiva, kostnader negativa", "tkr"),
            _field(DEVIATION, pa.int64(), False, "Tryckt avvikelse = utfall − budget; positiv = bättre än budget", "tkr"),
            _field(OUTCOME_PREV, pa.int64(), True, "Föregående års utfall som tryckt", "tkr"),
            _field(NOTE, pa.string(), True, "Fotnot till raden"),
        ],
    ),
    NET_COSTS: _schema(
        "Nettokostnad och budgetavvikelse per verksamhet i tkr, som tryckt, med varav-rader och summarad.",
        (YEAR, UNIT_NAME),
        [
            _field(UNIT_NAME, pa.string(), False, "Verksamhetens namn som i rapporten (utan 'varav')"),
            _field(PARENT, pa.string(), True, "För varav-rader: verksamheten raden är en del av"),
            _field(ROW_KIND, pa.string(), False, "post, varav (del av en annan rad) eller summa"),
            _field(BUDGET, pa.int64(), False, "Budgeterad nettokostnad (negativ)", "tkr"),
            _field(OUTCOME, pa.int64(), False, "Nettokostnad, utfall (negativ)", "tkr"),
            _field(DEVIATION, pa.int64(), False, "Tryckt avvikelse = utfall − budget; positiv = bättre än budget", "tkr"),
            _field(CONFLICT_WHERE, pa.string(), True,
                   "Var i rapporten en mening står som säger emot raden, t.ex. 'Årets verksamhet'"),
            _field(CONFLICT_TEXT, pa.string(), True, "Meningen som säger emot raden, som tryckt; appen visar båda"),
        ],
    ),
    INVESTMENTS: _schema(
        "Investeringsredovisning i tkr, som tryckt, med summarad.",
        (YEAR, PROJECT),
        [
            _field(PROJECT, pa.string(), False, "Investeringens namn som i rapporten"),
            _field(ROW_KIND, pa.string(), False, "post eller summa"),
            _field(BUDGET, pa.int64(), False, "Budgeterad utgift (positiv)", "tkr"),
            _field(OUTCOME, pa.int64(), False, "Utgift, utfall (positiv)", "tkr"),
            _field(DEVIATION, pa.int64(), False, "Tryckt avvikelse = budget − utfall; positiv = lägre utgift än budget", "tkr"),
        ],
    ),
    ACTIVITIES: _schema(
        "Aktiviteter i verksamhetsplanen med status och kommentar; tomma celler där rapporten är tom.",
        (YEAR, NAME),
        [
            _field(UNIT_NAME, pa.string(), False, "Förvaltningen vars aktivitetstabell raden står i"),
            _field(NAME, pa.string(), False, "Aktivitet"),
            _field(DESCRIPTION, pa.string(), True, "Beskrivning"),
            _field(BELONGS_TO, pa.string(), True, "Tillhör verksamhet"),
            _field(INVESTMENT, pa.string(), True, "Investeringsutgift (tkr) som tryckt; '-' betyder ingen"),
            _field(FINANCING, pa.string(), True, "Intäkt/kostnad: hur aktiviteten finansieras"),
            _field(RUN_AS_PROJECT, pa.string(), True, "Bedrivs som projekt: som tryckt ('Ja', 'Nej', 'Projekt 2019-2021')"),
            _field(STATUS, pa.string(), True, "Status som tryckt; tom om rapporten inte anger någon"),
            _field(COMMENT, pa.string(), True, "Kommentar"),
        ],
    ),
    NARRATIVE: _schema(
        "Rapportens löptext, ett stycke per rad.",
        (YEAR, SECTION, POSITION),
        [
            _field(KIND, pa.string(), False, "paragraph (stycke), bullet (punkt i lista) eller footnote (fotnot)"),
            _field(TEXT, pa.string(), False, "Texten"),
        ],
    ),
    ORGANISATION: _schema(
        "Organ som kommunstyrelsen leder eller har uppsikt över, efter typ.",
        (YEAR, NAME),
        [
            _field(NAME, pa.string(), False, "Organets namn som i rapporten"),
            _field(ABBREVIATION, pa.string(), True, "Förkortning som rapporten använder"),
            _field(ORG_TYPE, pa.string(), False,
                   "office (kontor), municipal_federation (kommunalförbund), joint_committee (gemensam nämnd), "
                   "municipal_company (kommunalt bolag)"),
            _field(NOTE, pa.string(), True, "Anmärkning med rapportens ord"),
        ],
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)

# Allowed values per (table, column); checked by validation.
CODES: dict[tuple[str, str], tuple[str, ...]] = {
    (GOALS, ASSESSMENT): ASSESSMENTS,
    (INDICATORS, TARGET_OP): TARGET_OPS,
    (INDICATORS, DIRECTION): DIRECTIONS,
    (INDICATORS, VERDICT): VERDICTS,
    (OPERATING, ROW_KIND): ("post", "summa"),
    (NET_COSTS, ROW_KIND): ROW_KINDS,
    (INVESTMENTS, ROW_KIND): ("post", "summa"),
    (NARRATIVE, KIND): NARRATIVE_KINDS,
    (ORGANISATION, ORG_TYPE): ORG_TYPES,
}

# Columns the build fills in, so the editable source does not repeat them.
DERIVED_AT_BUILD: tuple[str, ...] = (YEAR, POSITION, AREA)


def get_key(table: str) -> tuple[str, ...]:
    """Return the columns that identify one row of ``table``."""
    return tuple(SCHEMAS[table].metadata[b"key"].decode().split(","))


def get_description(table: str) -> str:
    """Return the Swedish one-line description of ``table``."""
    return SCHEMAS[table].metadata[b"description"].decode()


def get_file_name(table: str) -> str:
    """Return the Parquet file name of ``table``."""
    return f"{table}.parquet"
