"""Översikt's views (app.py): the net result and the investments against budget, the comparison figures' direction,
goals by status, the summary of the year.

Pure functions (no Streamlit) over the loaded tables and ks_data.calc's derived figures, so every figure and sentence the
overview shows is unit-tested. Amounts are tkr as printed; words from ks_data.texts, numbers from ks_data.fmt.
"""

from __future__ import annotations

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import format_percent, format_tkr, format_value, get_locale
from ks_data.texts import get_text
from ks_data.views.common import format_status
from ks_data.years import get_latest_year


def get_result_summary(operating: pd.DataFrame, lang: str = "sv") -> dict[str, str]:
    """Return the net result against budget: value (outcome), delta (deviation, signed) and a sentence."""
    total = calc.get_summa_row(operating)
    loc = get_locale(lang)
    if total is None:
        return {}
    dev = total[s.DEVIATION]
    key = "better" if dev > 0 else "worse" if dev < 0 else "equal"
    return {
        "label": total[s.LINE],
        "value": format_tkr(total[s.OUTCOME], loc),
        "budget": format_tkr(total[s.BUDGET], loc),
        "delta": format_tkr(dev, loc, signed=True),
        "sentence": get_text(f"caption.result.{key}", lang, amount=format_tkr(abs(dev), loc)),
    }


def get_investment_summary(investments: pd.DataFrame, lang: str = "sv") -> dict[str, str]:
    """Return total investment outcome, budget, deviation (tkr) and share of budget used, formatted."""
    total = calc.get_summa_row(investments)
    loc = get_locale(lang)
    if total is None:
        return {}
    used = calc.calc_deviation_pct(total[s.OUTCOME], total[s.BUDGET])
    return {
        "label": total[s.PROJECT],
        "value": format_tkr(total[s.OUTCOME], loc),
        "budget": format_tkr(total[s.BUDGET], loc),
        "delta": format_tkr(total[s.DEVIATION], loc, signed=True),
        "used": format_percent(used, 0, loc),
        "sentence": get_text("caption.investments", lang, outcome=format_tkr(total[s.OUTCOME], loc),
                             budget=format_tkr(total[s.BUDGET], loc), used=format_percent(used, 0, loc)),
    }


def get_trend_lines(comparisons: pd.DataFrame, lang: str = "sv") -> list[str]:
    """Return one line per comparison metric: "Färdtjänst, antal enkelresor: ▼ minskade från 25 479 (2018) till 14 288 (2020)"."""
    loc = get_locale(lang)
    out = []
    for _, r in calc.calc_trend(comparisons).iterrows():
        out.append(get_text("caption.trend", lang, metric=r[s.METRIC], trend=get_text(f"trend.{r['direction']}", lang),
                            first=format_value(r["first_value"], r[s.UNIT], loc), first_year=r["first_year"],
                            last=format_value(r["last_value"], r[s.UNIT], loc), last_year=r["last_year"]))
    return out


def get_status_counts(statuses: pd.Series, lang: str = "sv") -> pd.DataFrame:
    """Return goals per status (including 'none' = no assessment in the report) with symbol + word and meaning."""
    order = (*calc.GOAL_STATUSES, "none")
    counts = calc.calc_status_counts(statuses.fillna("none"), order)
    return pd.DataFrame({
        get_text("col.status", lang): [format_status(None if st == "none" else st, lang) for st in counts[calc.STATUS]],
        get_text("col.count", lang): counts["count"],
        get_text("col.meaning", lang): [get_text(f"status.help.{st}", lang) for st in counts[calc.STATUS]],
        "code": counts[calc.STATUS],
    })


SUMMARY_SECTION = "Årets verksamhet"


SUMMARY_PARAGRAPHS = 3


def get_summary_paragraphs(narrative: pd.DataFrame, year: int | None = None) -> list[str]:
    """Return the first paragraphs of "Årets verksamhet" of ``year`` (default: the latest year)."""
    year = year or get_latest_year(narrative)
    sel = narrative[(narrative[s.YEAR] == year) & (narrative[s.SECTION] == SUMMARY_SECTION)
                    & (narrative[s.KIND] == "paragraph")].sort_values(s.POSITION)
    return sel[s.TEXT].head(SUMMARY_PARAGRAPHS).tolist()


def get_comparisons_heading(comparisons: pd.DataFrame, lang: str = "sv") -> str:
    """Return "Jämförelsetal 2018–2020" with the years the table covers."""
    return get_text("overview.comparisons", lang, first=int(comparisons[s.MEASURE_YEAR].min()),
                    last=int(comparisons[s.MEASURE_YEAR].max()))


def get_status_count_lines(goals: pd.DataFrame, lang: str = "sv") -> list[str]:
    """Return one line per goal status with its count: "✔ Uppfyllt: **3**" (latest year)."""
    latest = goals[goals[s.YEAR] == get_latest_year(goals)]
    counts = get_status_counts(latest[s.ASSESSMENT], lang)
    return [f"{st}: **{n}**" for st, n in zip(counts[get_text("col.status", lang)], counts[get_text("col.count", lang)],
                                               strict=True)]


def get_status_legend(lang: str = "sv") -> pd.DataFrame:
    """Return every goal and indicator status as symbol + word with what it means."""
    rows = [(format_status(st, lang), get_text(f"status.help.{st}", lang)) for st in calc.GOAL_STATUSES]
    rows.append((format_status(None, lang), get_text("status.help.none", lang)))
    rows += [(format_status(st, lang, "ind"), get_text(f"ind.help.{st}", lang)) for st in calc.INDICATOR_STATUSES]
    return pd.DataFrame(rows, columns=[get_text("col.status", lang), get_text("col.meaning", lang)])

