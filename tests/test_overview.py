"""Översikt's views (ks_data.views.overview): the result and investment summaries, trend lines, goals by status,
the summary paragraphs and the status legend, from the data."""

from __future__ import annotations

from ks_data import calc
from ks_data import schema as s
from ks_data.views import overview as overview_views
from tests.helpers import real_table


def test_result_summary_says_677_tkr_better_than_budget():
    result = overview_views.get_result_summary(real_table(s.OPERATING))
    assert result["sentence"] == "Utfallet blev 677\u00a0tkr bättre än budget."
    assert result["value"] == "−104\u00a0869\u00a0tkr"
    assert result["delta"] == "+677\u00a0tkr"


def test_result_summary_says_worse_when_deviation_is_negative():
    operating = real_table(s.OPERATING)
    operating.loc[operating[s.ROW_KIND] == "summa", s.DEVIATION] = -50
    assert overview_views.get_result_summary(operating)["sentence"] == "Utfallet blev 50\u00a0tkr sämre än budget."


def test_investment_summary_reports_share_of_budget_used():
    inv = overview_views.get_investment_summary(real_table(s.INVESTMENTS))
    assert inv["sentence"] == ("Investeringarna blev 11\u00a0595\u00a0tkr mot en budget på 12\u00a0700\u00a0tkr; "
                               "91\u00a0% av budgeten användes.")


def test_trend_lines_follow_the_data():
    lines = overview_views.get_trend_lines(real_table(s.COMPARISONS))
    assert "Räddningstjänsten, kostnader i kr per invånare: ▼ minskade från 1\u00a0082\u00a0kr/invånare (2018) till " \
           "1\u00a0072\u00a0kr/invånare (2020)." in lines
    assert len(lines) == 3


def test_status_counts_include_goals_without_assessment():
    lines = overview_views.get_status_count_lines(real_table(s.GOALS))
    assert lines == ["✔ Uppfyllt: **3**", "◐ Delvis uppfyllt: **3**", "✖ Ej uppfyllt: **1**", "○ Ej bedömt: **1**",
                     "– Ingen bedömning i rapporten: **3**"]


def test_summary_paragraphs_come_from_aarets_verksamhet():
    paragraphs = overview_views.get_summary_paragraphs(real_table(s.NARRATIVE))
    assert paragraphs[0].startswith("Timrå kommun är hårt påverkad av pandemihanteringen")
    assert len(paragraphs) == overview_views.SUMMARY_PARAGRAPHS


def test_status_legend_explains_every_status():
    legend = overview_views.get_status_legend()
    assert len(legend) == len(calc.GOAL_STATUSES) + 1 + len(calc.INDICATOR_STATUSES)
    assert legend["Vad det betyder"].str.len().min() > 10
