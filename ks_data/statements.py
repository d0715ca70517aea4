"""The economy statements: which table each statement's URL value names, the statements' names, and the row labels
and budget-against-outcome frame that every view of a statement shares (Ekonomi, the year comparisons, search, the PDF).

Data core: pure functions of the tables (no Streamlit, no view module). Amounts are tkr as printed; words from
ks_data.texts, numbers from ks_data.fmt.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ks_data import schema as s
from ks_data.fmt import format_tkr, get_locale
from ks_data.texts import get_text

# URL value of the statement selector → table.
STATEMENTS: dict[str, str] = {"drift": s.OPERATING, "nettokostnad": s.NET_COSTS, "investeringar": s.INVESTMENTS}
DEFAULT_STATEMENT = "nettokostnad"

# Columns of a statement's rows for display and of the chart frame of charts.budget_outcome_chart.
LABEL = "label"
MEASURE = "measure"
AMOUNT = "amount"
AMOUNT_LABEL = "amount_label"


def get_table_name(statement: str) -> str:
    """Return the table behind a statement's URL value ('drift' → 'operating')."""
    return STATEMENTS[statement]


def get_statement(table: str) -> str:
    """Return the URL value of the statement shown from a table ('investments' → 'investeringar'), for links."""
    return next(statement for statement, name in STATEMENTS.items() if name == table)


def get_needed_tables(statement: str) -> tuple[str, ...]:
    """Return the tables a statement's view needs: its own, plus the operating statement for net costs' cross-check."""
    table = get_table_name(statement)
    return (table, s.OPERATING) if table == s.NET_COSTS else (table,)


def format_statement(statement: str, lang: str = "sv") -> str:
    """Return a statement's name for the selector, e.g. 'Nettokostnad per verksamhet'."""
    return get_text(f"economy.statement.{statement}", lang)


def format_row_label(label: str, row_kind: str, lang: str = "sv") -> str:
    """Return a row's display label: varav rows become an indented "↳ varav …"."""
    return get_text("economy.varav_label", lang, label=label) if row_kind == "varav" else label


def get_measure_frame(labels: Iterable[str], budget: pd.Series, outcome: pd.Series, measures: tuple[str, str],
                      label_title: str, lang: str = "sv") -> pd.DataFrame:
    """Return label, measure, amount (tkr) and amount_label per label, budget rows then outcome rows, for
    charts.budget_outcome_chart; ``measures`` names budget and outcome, ``label_title`` the labels in tooltips."""
    loc, labels = get_locale(lang), list(labels)
    parts = [pd.DataFrame({LABEL: labels, MEASURE: name, AMOUNT: values.astype(float).to_numpy(),
                           AMOUNT_LABEL: [format_tkr(v, loc) for v in values]})
             for name, values in zip(measures, (budget, outcome), strict=True)]
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {"tt_label": label_title, "tt_measure": get_text("economy.tt.measure", lang),
                 "tt_amount": get_text("economy.tt.amount", lang)}
    return out
