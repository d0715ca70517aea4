"""The data against the report it comes from (data/source/2020/verksamhetsberattelse-ks-2020.txt).

Numbers are parsed here, independently, from the report's text, so these tests are a real cross-check of
the committed data and not a copy of it. The report must be present: a missing report fails, never skips.
"""

from __future__ import annotations

import functools
import math
import re

import pandas as pd
import pytest

from ks_data import schema as s
from ks_data.reconcile import DEVIATION_SIGN
from tests.helpers import REPORT_PATH, real_table, report_text

GOAL_IDS = ["1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3"]


# --- reading the report -------------------------------------------------------------------------------------

def flat(text: str) -> str:
    """Return ``text`` with every run of whitespace (line breaks included) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Return ``text`` without whitespace and hyphens, lower case, footnote marks as digits.

    The extraction wraps lines anywhere and splits words with a hyphen ("styrelse-/verksamhet"), so texts
    are compared in this form; every letter and digit must still match in order.
    """
    text = text.translate(str.maketrans({"¹": "1", "²": "2"}))
    return re.sub(r"[\s\-–]", "", text).lower()


@functools.cache
def report_flat() -> str:
    return flat(report_text())


@functools.cache
def report_squashed() -> str:
    return squash(report_text())


@functools.cache
def goal_segments() -> dict[str, str]:
    """Return each goal's part of the (flat) report: from its heading to the next goal or Jämförelsetal."""
    text = report_flat()
    heads = [(m.group(1), m.start(1)) for m in re.finditer(r"(?:^| )(\d\.\d) - (?=[A-ZÅÄÖ])", text)]
    end = text.index("Jämförelsetal för styrelsens verksamhet")
    bounds = [start for _, start in heads[1:]] + [end]
    return {gid: text[start:stop] for (gid, start), stop in zip(heads, bounds, strict=True)}


def number_tokens(text: str) -> list[str]:
    """Return the leading run of number groups in ``text`` ("-8 380 - 8 736 -356 Samh…" → 5 groups)."""
    tokens, out, i = text.split(), [], 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "-" and i + 1 < len(tokens) and tokens[i + 1].isdigit():  # "- 8 736" is printed with a space
            tok, i = "-" + tokens[i + 1], i + 1
        if not re.fullmatch(r"-?\d{1,3}", tok):
            break
        out.append(tok)
        i += 1
    return out


def readings(tokens: list[str], n: int) -> list[list[int]]:
    """Return every way to read the groups as ``n`` amounts under 1 000 000 with a space as thousands separator."""
    found: list[list[int]] = []

    def walk(i: int, acc: list[int]) -> None:
        if i == len(tokens):
            if len(acc) == n:
                found.append(acc)
            return
        if len(acc) == n:
            return
        tok = tokens[i]
        digits = tok.lstrip("-")
        if digits.startswith("0") and digits != "0":
            return  # "094" can only continue a number
        walk(i + 1, [*acc, int(tok)])
        if digits != "0" and i + 1 < len(tokens) and re.fullmatch(r"\d{3}", tokens[i + 1]):
            walk(i + 2, [*acc, int(digits + tokens[i + 1]) * (-1 if tok.startswith("-") else 1)])

    walk(0, [])
    return found


def read_amounts(after: str, n: int, table: str | None = None) -> list[int]:
    """Return the ``n`` amounts printed right after a row label; fail unless exactly one reading fits."""
    options = readings(number_tokens(after), n)
    if len(options) > 1 and table is not None:
        # "-104 869 677" could be −104 | 869 677: keep readings whose printed deviation is within the
        # report's 1-tkr rounding of budget and outcome.
        options = [o for o in options if abs(o[2] - (o[1] - o[0]) * DEVIATION_SIGN[table]) <= 1]
    assert len(options) == 1, f"cannot read {n} amounts unambiguously from {after[:60]!r}: {options}"
    return options[0]


def test_report_is_present_where_ci_expects_it():
    assert REPORT_PATH.is_file(), f"missing {REPORT_PATH}"
    assert "Måluppföljning" in report_text()


def test_number_reader_handles_the_reports_run_together_columns():
    assert read_amounts("29 920 36 014 6 094 104 395 Verksamhetens", 4) == [29920, 36014, 6094, 104395]
    assert read_amounts("-8 380 - 8 736 -356 Samhällsenhet", 3) == [-8380, -8736, -356]
    assert read_amounts("0 2 538 -2 538 IT mm", 3) == [0, 2538, -2538]
    assert len(readings(number_tokens("-105 546 -104 869 677"), 3)) == 2
    assert read_amounts("-105 546 -104 869 677", 3, s.NET_COSTS) == [-105546, -104869, 677]


# --- goals ---------------------------------------------------------------------------------------------------

def _goal(goal_id: str) -> pd.Series:
    goals = real_table(s.GOALS)
    row = goals[goals[s.GOAL_ID] == goal_id]
    assert len(row) == 1, goal_id
    return row.iloc[0]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def test_all_eleven_goals_in_report_order():
    assert real_table(s.GOALS)[s.GOAL_ID].tolist() == GOAL_IDS
    assert re.findall(r"(?m)^\s*(\d\.\d) - ", report_text()) == GOAL_IDS
    assert list(goal_segments()) == GOAL_IDS


@pytest.mark.parametrize("goal_id", GOAL_IDS)
def test_goal_title_area_and_definition_as_printed(goal_id):
    goal = _goal(goal_id)
    segment = goal_segments()[goal_id]
    assert segment.startswith(f"{goal_id} - {goal[s.TITLE]} ")
    assert goal[s.AREA] == int(goal_id[0])
    if _text(goal[s.DEFINITION]):
        assert segment.startswith(f"{goal_id} - {goal[s.TITLE]} {goal[s.DEFINITION]}")


ASSESSMENTS = {
    "1.3": None, "1.4": "not_assessed", "1.5": "partly", "2.1": "fulfilled", "2.2": "partly", "2.3": None,
    "3.1": "partly", "3.2": "fulfilled", "4.1": None, "4.2": "not_fulfilled", "4.3": "fulfilled",
}
# Words in the report's sentence that carry the verdict.
VERDICT_WORDS = {
    "not_assessed": "inte varit möjligt att mäta", "partly": r"delvis|till viss del",
    "fulfilled": r"uppfyll(t|s|as)", "not_fulfilled": "inte uppfyllas",
}


@pytest.mark.parametrize(("goal_id", "assessment"), ASSESSMENTS.items())
def test_goal_assessment_and_its_sentence(goal_id, assessment):
    goal = _goal(goal_id)
    sentence = _text(goal[s.ASSESSMENT_TEXT])
    if assessment is None:
        assert pd.isna(goal[s.ASSESSMENT])
        assert sentence == ""
        return
    assert goal[s.ASSESSMENT] == assessment
    assert sentence
    # The sentence stands verbatim in the goal's own texts ...
    own = "\n\n".join(_text(goal[c]) for c in (s.COMMENT, s.ANALYSIS, s.ACTION))
    assert sentence in own
    # ... and in the report, within that goal's section, and says what the code says.
    assert sentence in goal_segments()[goal_id]
    assert re.search(VERDICT_WORDS[assessment], sentence)


@pytest.mark.parametrize("goal_id", GOAL_IDS)
def test_goal_texts_come_from_that_goals_section(goal_id):
    goal = _goal(goal_id)
    segment = squash(goal_segments()[goal_id])
    assert _text(goal[s.COMMENT]), "every goal has a comment"
    for column, heading in ((s.COMMENT, None), (s.ANALYSIS, "analys"), (s.ACTION, "åtgärd")):
        paragraphs = [p for p in _text(goal[column]).split("\n\n") if p]
        for para in paragraphs:
            assert squash(para) in segment, (column, para[:60])
        if heading and paragraphs:
            # The first paragraph follows the report's heading Analys / Åtgärd.
            assert heading + squash(paragraphs[0]) in segment, column


def test_greta_effect_in_goal_1_3_analysis():
    assert "Greta-effekt" in _goal("1.3")[s.ANALYSIS]


# --- indicators ----------------------------------------------------------------------------------------------

WORD_NUMBERS = {"en": 1, "två": 2, "Två": 2, "tre": 3}
H20 = "hösten 2020"
JD = "juli–december 2020"

# (goal, name, period, unit, op, sign, pattern on the flat report text with groups value/target/target_high/value_text)
INDICATORS = [
    ("1.3", "Sammanvägt mätvärde: livskvalitet, service och klimatsmart", H20, "%", ">=", 1,
     r"mätvärde för mål 1\.3 är (?P<value>\d+) %, vilket är högre än målvärde (?P<target>\d+) %"),
    ("1.3", "Livskvalitet", H20, "%", None, 1, r"delvärden: Livskvalitet (?P<value>\d+) %"),
    ("1.3", "Service", H20, "%", None, 1, r"Livskvalitet \d+ %, Service (?P<value>\d+) %"),
    ("1.3", "Klimatsmart", H20, "%", None, 1, r"och Klimatsmart (?P<value>\d+) %"),
    ("1.3", "Livskvalitet", "2019", "%", None, 1, r"högre snitt än ifjol \((?P<value>\d+)%\) på livskvalitet"),
    ("1.3", "Klimatsmart, ökning mot föregående år", H20, "procentenheter", None, 1, r"Vi ökar (?P<value>\d+) %"),
    ("1.3", "Deltagare i enkäten", H20, "antal", None, 1, r"deltog (?P<value>\d+) personer"),
    ("1.3", "Svarande som genomförde enkäten korrekt", H20, "antal", None, 1,
     r"varav (?P<value>\d+) genomförde enkäten korrekt"),
    ("1.3", "Andel kvinnor bland de svarande", H20, "%", None, 1, r"fler kvinnor \((?P<value>\d+)%\)"),
    ("1.3", "Svarande i åldern 65–74 år", H20, "%", None, 1, r"65-74 år \((?P<value>\d+)%\)"),
    ("1.3", "Svarande i åldern 55–64 år", H20, "%", None, 1, r"55-64 år \((?P<value>\d+)%\)"),
    ("1.3", "Svarande i åldern 45–54 år", H20, "%", None, 1, r"45-54 \((?P<value>\d+)%\)"),
    ("1.3", "Svarande med akademisk utbildning", H20, "%", None, 1, r"akademisk utbildning \((?P<value>\d+)%\)"),
    ("1.3", "Svarande som bor i Timrå kommun", H20, "%", None, 1, r"bor i Timrå kommun \((?P<value>\d+)%\)"),
    ("1.3", "Svarande som bor i villa eller bostadsrätt", H20, "%", None, 1,
     r"villa eller bostadsrätt \((?P<value>\d+)%\)"),
    ("1.3", "Svarande som arbetar heltid", H20, "%", None, 1, r"hälften \((?P<value>\d+)%\) heltid"),
    ("1.3", "Heltidsarbetande svarande i offentlig sektor", H20, "%", None, 1,
     r"offentlig sektor \((?P<value>\d+)%\)"),
    ("1.3", "Heltidsarbetande svarande i privat sektor", H20, "%", None, 1, r"privata \((?P<value>\d+)%\)"),
    ("1.3", "Svarande som driver företag", H20, "%", None, 1, r"(?P<value>\d+) % har angett att det driver företag"),
    ("1.5", "Gröna blad: digitala tjänster som erbjuds", None, "antal", ">", 1,
     r"Gröna blad (?P<value>\d+) >(?P<target>\d+) "),
    ("1.5", "Röda blad: digitala tjänster som inte tillhandahålls", None, "antal", "<", 1,
     r"Röda blad (?P<value>\d+) <(?P<target>\d+) "),
    ("1.5", "Gröna blommor", None, "antal", ">=", 1, r"Gröna blommor (?P<value>\d+) (?P<target>\d+) Här skall"),
    ("1.5", "Hushåll och företag med möjlighet till bredband ≥ 100 Mbit/s", "2019-10-01", "%", ">=", 1,
     r"bredband ≥ 100 Mbit/s (?P<value>\d+) % (?P<target>\d+) %"),
    ("1.5", "Status 1.5.1 Dig2020", None, "text", None, 1, r"Status 1\.5\.1 (?P<value_text>\w+) Dig2020"),
    ("2.1", "Ranking i Norrland", None, "placering", "==", 1,
     r"Mätvärde (?P<value>\d+) \d+ Målvärde (?P<target>\d+) \d+-\d+"),
    ("2.1", "Service till företag, placering i Sverige", None, "placering", "range", 1,
     r"Mätvärde \d+ (?P<value>\d+) Målvärde \d+ (?P<target>\d+)-(?P<target_high>\d+)"),
    ("2.1", "Företagsklimat, placering i Sverige", None, "placering", None, 1,
     r"undersökning någonsin och rankas på plats (?P<value>\d+) i Sverige"),
    ("2.1", "Mätpunkter där Timrå är topp 5 i Sverige", None, "antal", None, 1,
     r"På (?P<value>\d+) av totalt 17 mätpunkter"),
    ("2.1", "År i rad som bäst i Västernorrland", None, "antal", None, 1,
     r"för (?P<value>\d+):e året i rad bäst i Västernorrland"),
    ("2.2", "Andel kvinnliga företagare", "2020", "%", ">=", 1,
     r"2020 ökar det till (?P<value>\d+) %\. Ökningen når dock inte upp till målvärdet från 2019 om (?P<target>\d+) %"),
    ("2.2", "Andel kvinnliga företagare", "2018", "%", None, 1, r"uppgick under 2018 till (?P<value>\d+) %"),
    ("2.2", "UF", "vår- och höstterminerna 2020", "text", None, 1,
     r"Mätningen av UF är gjord under vår- och höstterminerna 2020\. (?P<value_text>Målvärden nås [^.]+)\."),
    ("2.2", "Förändring av antal gästnätter", "2019–2020", "antal", None, -1,
     r"minskning med (?P<value>\d+ \d{3}) gästnätter mellan åren 2019 och 2020"),
    ("2.2", "Nyregistrerade företag", "2020", "antal", None, 1, r"har (?P<value>\d+) företag nyregistrerats"),
    ("2.2", "Avregistrerade företag", "2020", "antal", None, 1, r"samt (?P<value>\d+) avregistrerats"),
    ("2.2", "Nettoförändring av antal företag", "2020", "antal", None, 1,
     r"nettoförändring om \+(?P<value>\d+) företag"),
    ("2.3", "Nyskapade lägenheter", "2020", "antal", None, 1, r"Lägenheter (?P<value>\d+) Högre"),
    ("2.3", "Efterfrågan på lägenheter", "2020", "text", None, 1, r"Lägenheter \d+ (?P<value_text>\w+)"),
    ("2.3", "Nyskapade villor", "2020", "antal", None, 1, r"Villor (?P<value>\d+) Högre"),
    ("2.3", "Efterfrågan på villor", "2020", "text", None, 1, r"Villor \d+ (?P<value_text>\w+)"),
    ("2.3", "Invånare under 18 år", "2019-09-30", "%", "==", 1, r"Under 18 (?P<value>\d+) % (?P<target>\d+) %"),
    ("2.3", "Invånare 18–65 år", "2019-09-30", "%", "==", 1, r"18-65 (?P<value>\d+) % (?P<target>\d+) %"),
    ("2.3", "Invånare över 65 år", "2019-09-30", "%", "==", 1, r"Över 65 (?P<value>\d+) % (?P<target>\d+) %"),
    ("2.3", "Nya tomter vid det tänkta Ubo4-området", "2020", "antal", None, 1,
     r"skapades (?P<value>tre) tomter i anslutning till det tänkta Ubo4-området"),
    ("2.3", "Sålda tomter vid det tänkta Ubo4-området", "2020", "antal", None, 1,
     r"(?P<value>Två) av dessa såldes"),
    ("3.1", "Ärenden som klarat servicedeklarationen", "2020", "%", ">=", 1,
     r"uppgår till (?P<value>\d+) %, strax under målet om (?P<target>\d+) %"),
    ("3.2", "Publicerade processer", "2020", "antal", None, 1, r"Vi har (?P<value>\d+) publicerade processer"),
    ("4.2", "Annonser som uppfyller målet att attrahera mångfald", JD, "%", ">=", 1,
     r"uppfylls endast (?P<value>\d+) % av de analyserade annonserna, vilket är betydlig lägre än målvärdet om "
     r"(?P<target>\d+) %"),
    ("4.2", "Anställda av det underrepresenterade könet", "2020", "%", ">=", 1,
     r"kvar på samma andel som fjolåret 2019, (?P<value>\d+) %, och når inte upp till målet om minst (?P<target>\d+) %"),
    ("4.2", "Anställda av det underrepresenterade könet", "2019", "%", None, 1,
     r"kvar på samma andel som fjolåret 2019, (?P<value>\d+) %"),
    ("4.2", "Yngre anställda", "2020", "%", ">=", 1,
     r"Andel yngre anställda har minskat med 1% till (?P<value>\d+) %, vilket även det är lägre än mål om "
     r"(?P<target>\d+) %"),
    ("4.2", "Yngre anställda, förändring mot föregående år", "2020", "procentenheter", None, -1,
     r"Andel yngre anställda har minskat med (?P<value>\d+)% till"),
    ("4.2", "Analyserade rekryteringsannonser", JD, "antal", None, 1,
     r"utformningen av (?P<value>\d+) rekryteringsannonser"),
    ("4.2", "Annonser från Barn-och utbildningsförvaltningen", JD, "antal", None, 1,
     r"Barn-och utbildningsförvaltningen (?P<value>\d+) annonser"),
    ("4.2", "Annonser från Socialförvaltningen", JD, "antal", None, 1, r"Socialförvaltningen (?P<value>\d+) annonser"),
    ("4.2", "Annonser från Kultur och teknikförvaltningen", JD, "antal", None, 1,
     r"Kultur och teknikförvaltningen (?P<value>\d+) annonser"),
    ("4.2", "Annonser från Arbetsmarknadsenheten", JD, "antal", None, 1,
     r"Arbetsmarknadsenheten (?P<value>\d+) annonser"),
    ("4.2", "Annonser från Miljö och byggförvaltningen", JD, "antal", None, 1,
     r"Miljö och byggförvaltningen (?P<value>\d+) annons "),
    ("4.2", "Annonser från kommunledningskontoret", JD, "antal", None, 1,
     r"(?P<value>\d+) annonsen för kommunledningskontoret"),
    ("4.2", "Annonser mycket bra på efterfrågade mätbara meriter och kvalifikationer", JD, "antal", None, 1,
     r"vid (?P<value>\d+) annonseringar är mycket bra"),
    ("4.2", "Annonser bra på efterfrågade mätbara meriter och kvalifikationer", JD, "antal", None, 1,
     r"(?P<value>\d+) annonseringar är bra på efterfrågade mätbara meriter"),
    ("4.2", "Annonser som informerar mycket bra om tjänstens utvecklingsmöjligheter", JD, "antal", None, 1,
     r"Vid (?P<value>\d+) annonseringar framgår att vi informerar mycket bra om tjänstens utvecklingsmöjligheter"),
    ("4.2", "Annonser som informerar mycket bra och eftersträvar mångfald", JD, "antal", None, 1,
     r"Vid (?P<value>en) annons framgår att vi informerar mycket bra, och efterstävar mångfald"),
    ("4.2", "Annonser med text som är mycket bra inkluderande utifrån diskrimineringsgrunder", JD, "antal", None, 1,
     r"(?P<value>en) annonsering visar mycket bra att texten är inkluderande utifrån diskrimineringsgrunder"),
    ("4.3", "Uppfyllda punkter i utvecklingsplaner inom KS", "2020", "%", ">", 1,
     r"KS är god, (?P<value>\d+) % uppfyllda punkter.*större andel än (?P<target>\d+) %"),
]


def _amount(text: str) -> float:
    return float(WORD_NUMBERS.get(text, None) or int(text.replace(" ", "")))


def _indicator(goal_id: str, name: str, period: str | None) -> pd.Series:
    ind = real_table(s.INDICATORS)
    match = (ind[s.GOAL_ID] == goal_id) & (ind[s.NAME] == name)
    match &= ind[s.PERIOD].isna() if period is None else ind[s.PERIOD] == period
    rows = ind[match]
    assert len(rows) == 1, (goal_id, name, period)
    return rows.iloc[0]


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@pytest.mark.parametrize(("goal_id", "name", "period", "unit", "op", "sign", "pattern"), INDICATORS,
                         ids=[f"{c[0]} {c[1][:40]} {c[2] or ''}".strip() for c in INDICATORS])
def test_indicator_matches_the_report(goal_id, name, period, unit, op, sign, pattern):
    row = _indicator(goal_id, name, period)
    segment = goal_segments()[goal_id]
    matches = list(re.finditer(pattern, segment))
    assert len(matches) == 1, f"the pattern must find exactly one place in goal {goal_id}'s section"
    found = {k: v for k, v in matches[0].groupdict().items() if v is not None}

    assert row[s.UNIT] == unit
    if "value" in found:
        assert row[s.VALUE] == sign * _amount(found["value"])
    else:
        assert _is_missing(row[s.VALUE])
    if "value_text" in found:
        assert row[s.VALUE_TEXT] == found["value_text"]
    else:
        assert _is_missing(row[s.VALUE_TEXT])
    if "target" in found:
        assert row[s.TARGET_OP] == op
        assert row[s.TARGET] == _amount(found["target"])
    else:
        assert op is None
        assert _is_missing(row[s.TARGET_OP]) and _is_missing(row[s.TARGET])
    if "target_high" in found:
        assert row[s.TARGET_HIGH] == _amount(found["target_high"])
    else:
        assert _is_missing(row[s.TARGET_HIGH])


def test_every_indicator_is_cross_checked_above():
    ind = real_table(s.INDICATORS)
    in_data = sorted((g, n, None if _is_missing(p) else p) for g, n, p in
                     ind[[s.GOAL_ID, s.NAME, s.PERIOD]].itertuples(index=False))
    assert in_data == sorted((c[0], c[1], c[2]) for c in INDICATORS)


# (goal, indicator name, period, verdict, the part of the goal's section the sentence stands in, the sentence): the
# verdicts the report states in words for indicators without a printed target, and only those.
VERDICTS = [
    ("1.3", "Livskvalitet", H20, "missed", "Åtgärd",
     "Vi når inte målen när det gäller livskvalitet och service, men vi ligger nära"),
    ("1.3", "Service", H20, "missed", "Åtgärd",
     "Vi når inte målen när det gäller livskvalitet och service, men vi ligger nära"),
    ("2.2", "UF", "vår- och höstterminerna 2020", "met", "Kommentar", "Målvärden nås med minsta möjliga marginal."),
    ("2.3", "Efterfrågan på lägenheter", "2020", "missed", "Analys", "I dagsläget motsvarar inte utbudet efterfrågan."),
    ("2.3", "Efterfrågan på villor", "2020", "missed", "Analys", "I dagsläget motsvarar inte utbudet efterfrågan."),
    ("3.2", "Publicerade processer", "2020", "met", "Analys",
     "Målet bedöms vara uppfyllt utifrån de mätbara värden som finns tillgängliga."),
]
# The goal sections' headings in the flat text ("Kommenta r" is split by the extraction).
PARTS = {"Kommentar": r"Kommenta ?r", "Analys": r"Analys", "Åtgärd": r"Åtgärd"}


def _goal_part(goal_id: str, part: str) -> str:
    """Return one part (Kommentar, Analys, Åtgärd) of a goal's flat section: from its heading to the next heading."""
    segment = goal_segments()[goal_id]
    heads = sorted((m.start(), name) for name, pattern in PARTS.items() for m in re.finditer(pattern, segment))
    starts = [(i, start) for i, (start, name) in enumerate(heads) if name == part]
    assert len(starts) == 1, (goal_id, part, heads)
    i, start = starts[0]
    stop = heads[i + 1][0] if i + 1 < len(heads) else len(segment)
    return segment[start:stop]


@pytest.mark.parametrize(("goal_id", "name", "period", "verdict", "part", "sentence"), VERDICTS,
                         ids=[f"{v[0]} {v[1]}" for v in VERDICTS])
def test_verdict_in_words_as_the_report_states_it(goal_id, name, period, verdict, part, sentence):
    row = _indicator(goal_id, name, period)
    assert (row[s.VERDICT], row[s.VERDICT_TEXT]) == (verdict, sentence)
    assert _is_missing(row[s.TARGET]), "a verdict in words stands only where no target is printed"
    assert squash(sentence) in squash(_goal_part(goal_id, part))


def test_no_verdict_in_words_beyond_the_cases_above():
    ind = real_table(s.INDICATORS)
    with_verdict = ind[ind[s.VERDICT].notna() | ind[s.VERDICT_TEXT].notna()]
    assert sorted(zip(with_verdict[s.GOAL_ID], with_verdict[s.NAME], strict=True)) == \
        sorted((v[0], v[1]) for v in VERDICTS)


# (table, row key, where the contradicting sentence stands, the sentence, what the row says in figures)
CONFLICTS = [
    (s.INDICATORS, ("2.2", "Andel kvinnliga företagare", "2020"), "Mål 2.2 › Analys",
     "Andelen företagsamma kvinnor har minskat i relation till föregående år, tillbaka till samma nivå som under 2018"),
    (s.NET_COSTS, "Kommunledningskontor", "Årets verksamhet",
     "Tillsammans med återhållsamhet och vakanser förklarar det en positiv avvikelse för kommunledningskontorets "
     "verksamhet."),
]


@pytest.mark.parametrize(("table", "key", "where", "sentence"), CONFLICTS, ids=[c[0] for c in CONFLICTS])
def test_where_the_report_contradicts_itself_both_sides_are_kept(table, key, where, sentence):
    if table == s.INDICATORS:
        row = _indicator(*key)
        rows = real_table(s.INDICATORS)
        earlier = rows[(rows[s.GOAL_ID] == "2.2") & (rows[s.NAME] == key[1]) & (rows[s.PERIOD] == "2018")].iloc[0]
        # The figures say it rose (Kommentar: "2020 ökar det till 21 %"), the Analys that it fell.
        assert row[s.VALUE] > earlier[s.VALUE]
        assert "ökar det till" in goal_segments()["2.2"] and squash(sentence) in squash(_goal_part("2.2", "Analys"))
    else:
        row = real_table(s.NET_COSTS).set_index(s.UNIT_NAME).loc[key]
        assert row[s.DEVIATION] == -837  # the table: a negative deviation; the text: "en positiv avvikelse"
        narrative = real_table(s.NARRATIVE)
        assert sentence in set(narrative.loc[narrative[s.SECTION] == where, s.TEXT])
    assert (row[s.CONFLICT_WHERE], row[s.CONFLICT_TEXT]) == (where, sentence)
    assert squash(sentence) in report_squashed()


def test_no_contradiction_beyond_the_cases_above():
    found = 0
    for table in (s.INDICATORS, s.NET_COSTS):
        df = real_table(table)
        found += int((df[s.CONFLICT_WHERE].notna() | df[s.CONFLICT_TEXT].notna()).sum())
    assert found == len(CONFLICTS)


def test_a_count_note_never_reads_as_more_than_its_whole():
    """"21" with the note "Av 8 bedömningsområden." read as 21 of 8: a note "av N" on a count must have N ≥ the count."""
    ind = real_table(s.INDICATORS)
    for _, row in ind[ind[s.UNIT] == "antal"].iterrows():
        note = row[s.NOTE] if isinstance(row[s.NOTE], str) else ""
        for whole in re.findall(r"\b[Aa]v (?:totalt |de )?(\d+)", note):
            assert int(whole) >= row[s.VALUE], (row[s.NAME], row[s.VALUE], note)


def test_a_change_of_a_share_is_in_percentage_points():
    """"Vi ökar 9 %" and "har minskat med 1% till 5 %" are changes of a share: points, not per cent."""
    ind = real_table(s.INDICATORS)
    changes = ind[ind[s.NAME].str.contains("förändring mot|ökning mot", regex=True)]
    assert len(changes) == 2
    assert set(changes[s.UNIT]) == {"procentenheter"}


def test_chart_labels_after_the_goals_are_not_taken_as_indicators():
    """"80%" and "70%" after Jämförelsetal are chart labels of goal 4.3, not separate values."""
    text = report_flat()
    assert "Antal antagna översiktsplaner 0 0 1 80% 70%" in text
    ind = real_table(s.INDICATORS)
    assert ind[ind[s.GOAL_ID] == "4.3"][[s.VALUE, s.TARGET]].values.tolist() == [[80.0, 70.0]]


# --- economy -------------------------------------------------------------------------------------------------

# Each printed row's label, in print order: (table, label in the report, label in the data).
ECONOMY_ROWS = [
    (s.OPERATING, "Verksamhetens intäkter (+)", "Verksamhetens intäkter (+)"),
    (s.OPERATING, "Verksamhetens kostnader (-)", "Verksamhetens kostnader (-)"),
    (s.OPERATING, "Verksamhetens nettokostnader*", "Verksamhetens nettokostnader"),
    (s.NET_COSTS, "Kommunledningskontor", "Kommunledningskontor"),
    (s.NET_COSTS, "-varav politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling "
     "samt HR", "politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"),
    (s.NET_COSTS, "-varav kommunalägda bolag och kommunförbund", "kommunalägda bolag och kommunförbund"),
    (s.NET_COSTS, "Näringslivskontor", "Näringslivskontor"),
    (s.NET_COSTS, "Samhällsenhet", "Samhällsenhet"),
    (s.NET_COSTS, "Kommunens oförutsedda", "Kommunens oförutsedda"),
    (s.NET_COSTS, "Summa", "Summa"),
    (s.INVESTMENTS, "Strategiska markköp", "Strategiska markköp"),
    (s.INVESTMENTS, "Vivsta 19:1", "Vivsta 19:1"),
    (s.INVESTMENTS, "IT mm", "IT mm"),
    (s.INVESTMENTS, "Exploatering", "Exploatering"),
    (s.INVESTMENTS, "Allmänna investeringar KLK", "Allmänna investeringar KLK"),
    (s.INVESTMENTS, "Summa investeringar", "Summa investeringar"),
]
LABEL = {s.OPERATING: s.LINE, s.NET_COSTS: s.UNIT_NAME, s.INVESTMENTS: s.PROJECT}


@functools.cache
def printed_economy() -> dict[tuple[str, str], list[int]]:
    """Return the printed amounts of every economy row, read from the report in print order."""
    text = report_flat()
    text = text[text.index("Resultaträkning (tkr) Budget 2020 Utfall 2020 Avvikelse 2020 Utfall 2019*"):]
    out, pos = {}, 0
    for table, printed_label, data_label in ECONOMY_ROWS:
        i = text.index(printed_label + " ", pos)
        pos = i + len(printed_label)
        n = 4 if table == s.OPERATING else 3
        out[(table, data_label)] = read_amounts(text[pos:], n, table)
    return out


def test_economy_headers_as_expected():
    text = report_flat()
    assert "Resultaträkning (tkr) Budget 2020 Utfall 2020 Avvikelse 2020 Utfall 2019*" in text
    assert "Nettokostnad och budgetavvikelse (tkr) Budget 2020 Utfall 2020 Avvikelse 2020" in text
    assert "Investering (tkr) Budget 2020 Utfall 2020 Avvikelse 2020" in text


@pytest.mark.parametrize(("table", "label"), [(t, d) for t, _, d in ECONOMY_ROWS],
                         ids=[f"{t}: {d[:40]}" for t, _, d in ECONOMY_ROWS])
def test_economy_row_matches_the_printed_numbers(table, label):
    printed = printed_economy()[(table, label)]
    df = real_table(table)
    row = df[df[LABEL[table]] == label]
    assert len(row) == 1
    row = row.iloc[0]
    columns = [s.BUDGET, s.OUTCOME, s.DEVIATION] + ([s.OUTCOME_PREV] if table == s.OPERATING else [])
    assert [int(row[c]) for c in columns] == printed


@pytest.mark.parametrize("table", [s.OPERATING, s.NET_COSTS, s.INVESTMENTS])
def test_economy_tables_have_exactly_the_printed_rows_in_order(table):
    printed = [d for t, _, d in ECONOMY_ROWS if t == table]
    assert real_table(table)[LABEL[table]].tolist() == printed


def test_economy_row_kinds_and_varav_parents_as_printed():
    nc = real_table(s.NET_COSTS).set_index(s.UNIT_NAME)
    parent = None
    for table, printed_label, data_label in ECONOMY_ROWS:
        df = real_table(table).set_index(LABEL[table])
        kind = df.loc[data_label, s.ROW_KIND]
        if printed_label.startswith("-varav "):
            assert kind == "varav"
            assert nc.loc[data_label, s.PARENT] == parent
        elif printed_label.startswith(("Summa", "Verksamhetens nettokostnader")):
            assert kind == "summa"
        else:
            assert kind == "post"
            parent = data_label
    assert nc[s.ROW_KIND].value_counts().to_dict() == {"post": 4, "varav": 2, "summa": 1}


def test_operating_footnote_is_kept_with_its_row():
    op = real_table(s.OPERATING).set_index(s.LINE)
    note = op.loc["Verksamhetens nettokostnader", s.NOTE]
    assert note.startswith("Mellan åren 2019 och 2020 gjordes en ändring i redovisning")
    assert squash(note) in report_squashed()


# --- comparisons ---------------------------------------------------------------------------------------------

COMPARISON_METRICS = [
    ("Räddningstjänsten, kostnader i kr per invånare", "kr/invånare"),
    ("Färdtjänst, antal enkelresor", "antal"),
    ("Antal antagna översiktsplaner", "antal"),
]


@pytest.mark.parametrize(("metric", "unit"), COMPARISON_METRICS)
def test_comparisons_2018_to_2020_as_printed(metric, unit):
    text = report_flat()
    header = re.search(r"Jämförelsetal för styrelsens verksamhet (\d{4}) (\d{4}) (\d{4}) ", text)
    years = [int(y) for y in header.groups()]
    assert years == [2020, 2019, 2018]
    i = text.index(metric + " ", header.end())
    printed = dict(zip(years, read_amounts(text[i + len(metric):], 3), strict=True))
    comp = real_table(s.COMPARISONS)
    comp = comp[comp[s.METRIC] == metric]
    assert dict(zip(comp[s.MEASURE_YEAR].astype(int), comp[s.VALUE], strict=True)) == printed
    assert set(comp[s.UNIT]) == {unit}


def test_comparisons_have_nothing_else():
    comp = real_table(s.COMPARISONS)
    assert sorted(set(comp[s.METRIC])) == sorted(m for m, _ in COMPARISON_METRICS)
    assert len(comp) == 9


# --- activities ----------------------------------------------------------------------------------------------

# (activity, status, run as project) as printed; None where the report's cell is empty.
ACTIVITIES = [
    ("Timrå i framkant för obrutna flöden", "Genomfört", "Projekt 2019-2021"),
    ("Ny styrmodell", "Påbörjat med avvikelse", "Nej"),
    ("Civilt försvar", "Påbörjat med avvikelse", "Nej"),
    ("Nytt avtal IT-drift", "Genomfört", "Ja"),
    ("Modern IT-miljö inom skolan", None, "Ja"),
    ("Digitalisering", None, None),
    ("Planprogram Ubo4", "Påbörjat med avvikelse", None),
    ("Småhustomter i mindre kluster", "Påbörjat, enl plan", None),
]


def test_activities_as_printed_in_order():
    act = real_table(s.ACTIVITIES)
    got = [(n, None if _is_missing(st) else st, None if _is_missing(p) else p)
           for n, st, p in act[[s.NAME, s.STATUS, s.RUN_AS_PROJECT]].itertuples(index=False)]
    assert got == ACTIVITIES
    assert set(act[s.UNIT_NAME]) == {"Kommunledningskontoret"}
    # The names stand in this order in the report's activity table.
    section = squash(report_text()[report_text().index(" Aktiviteter"):report_text().index("Ekonomi\n")])
    positions = [section.index(squash(name)) for name, _, _ in ACTIVITIES]
    assert positions == sorted(positions)
    for _, status, run in ACTIVITIES:
        for cell in (status, run):
            if cell:
                assert squash(cell) in section


# --- narrative, organisation and every text ------------------------------------------------------------------

def test_narrative_sections_present_in_report_order():
    nar = real_table(s.NARRATIVE)
    sections = list(dict.fromkeys(nar[s.SECTION]))
    assert sections == ["Ansvarsområde", "Årets verksamhet", "Uppföljning av privata utförare", "Ekonomi",
                        "Ekonomi › Investeringsredovisning"]
    for section in sections:
        heading = section.split(" › ")[-1]
        assert re.search(rf"(?m)^\s*{re.escape(heading)}\s*$", report_text()), heading
    assert nar.groupby(s.SECTION)[s.KIND].apply(set).to_dict()["Ansvarsområde"] == {"paragraph", "bullet",
                                                                                    "footnote"}
    # Paragraphs and bullets follow the report's order (footnotes sit at the foot of the printed page).
    body = nar[nar[s.KIND] != "footnote"]
    positions = [report_squashed().index(squash(t)) for t in body[s.TEXT]]
    assert positions == sorted(positions)


def test_narrative_footnotes_and_bullets():
    nar = real_table(s.NARRATIVE)
    assert nar.loc[nar[s.KIND] == "bullet", s.TEXT].tolist() == [
        "KS styrning och ledning av kommunens samlade verksamhet", "Kommunfullmäktiges presidium",
        "Kommunens förvaltningar"]
    assert nar.loc[nar[s.KIND] == "footnote", s.TEXT].tolist() == [
        "¹ Se reglemente för kommunstyrelsen", "² Enligt kommunallagen (KL) 6 kap § 1"]
    assert "förvaltningsorgan¹." in nar[s.TEXT].iloc[0]
    assert "förvaltningsorgan1" not in " ".join(nar[s.TEXT])


def test_organisation_as_named_in_ansvarsomrade():
    org = real_table(s.ORGANISATION)
    section = report_flat()[:report_flat().index("Årets verksamhet")]
    for name in org[s.NAME]:
        assert name.lower() in section.lower(), name
    companies = org.loc[org[s.ORG_TYPE] == "municipal_company", s.NAME].tolist()
    assert companies == ["AB Timråbo", "Timrå Vatten AB", "Midlanda Fastigheter AB", "Wifsta Water AB",
                         "Timrå Invest AB"]
    assert org.set_index(s.NAME).loc["Kommunledningskontoret", s.ABBREVIATION] == "KLK"


def _text_cells():
    """Yield (table, column, row number, text) for every text cell of every table."""
    for table in s.TABLES:
        df = real_table(table)
        for field in s.SCHEMAS[table]:
            if str(field.type) != "string":
                continue
            for i, value in df[field.name].items():
                if isinstance(value, str):
                    yield table, field.name, i + 1, value


# Texts taken over from the report, in the form that must occur in it (the other text columns are codes,
# section names, periods, units or the editors' own notes and indicator names).
FROM_REPORT = {
    s.GOALS: (s.TITLE, s.DEFINITION, s.ASSESSMENT_TEXT, s.COMMENT, s.ANALYSIS, s.ACTION),
    s.ACTIVITIES: (s.UNIT_NAME, s.NAME, s.DESCRIPTION, s.BELONGS_TO, s.INVESTMENT, s.FINANCING, s.RUN_AS_PROJECT,
                   s.STATUS, s.COMMENT),
    s.NARRATIVE: (s.TEXT,),
    s.ORGANISATION: (s.NAME, s.ABBREVIATION),
    s.OPERATING: (s.LINE, s.NOTE),
    s.NET_COSTS: (s.UNIT_NAME, s.PARENT),
    s.INVESTMENTS: (s.PROJECT,),
    s.COMPARISONS: (s.METRIC,),
}


@pytest.mark.parametrize(("table", "column"), [(t, c) for t, cols in FROM_REPORT.items() for c in cols])
def test_every_text_taken_from_the_report_occurs_in_it(table, column):
    checked = 0
    for t, c, row, text in _text_cells():
        if (t, c) != (table, column):
            continue
        for para in text.split("\n\n"):
            assert squash(para) in report_squashed(), f"{table} row {row} {column}: {para[:80]!r}"
            checked += 1
    assert checked > 0


@functools.cache
def line_break_hyphens() -> list[tuple[str, str]]:
    """Return the word pairs the extraction split with a hyphen at the end of a line ("styrelse-", "verksamhet")."""
    return re.findall(r"(\S+)-[ \t]*\n\s*(\S+)", report_text())


def test_report_has_the_line_break_hyphens_the_artefact_test_looks_for():
    assert ("styrelse", "verksamhet") in line_break_hyphens()
    assert len(line_break_hyphens()) >= 5


def test_no_text_carries_extraction_artefacts():
    pairs = line_break_hyphens()
    bad = []
    for table, column, row, text in _text_cells():
        where = f"{table} row {row} {column}"
        if re.search(r"Kommenta\s+r\b", text) or "Kommenta\n" in text:
            bad.append((where, "split heading 'Kommenta r'"))
        if "  " in text:
            bad.append((where, "double space"))
        if text != text.strip():
            bad.append((where, "leading or trailing whitespace"))
        if re.search(r"(?<!\n)\n(?!\n)", text):
            bad.append((where, "line break inside a paragraph"))
        if "\n\n\n" in text:
            bad.append((where, "more than one empty line"))
        # "styrelse- verksamhet": a hyphen from a line break, left with a space (but "miljö- och" is Swedish).
        for m in re.finditer(r"\w- (?!och\b|eller\b|samt\b)\w+", text):
            bad.append((where, f"line-break hyphen {m.group()!r}"))
        for before, after in pairs:
            if f"{before}- {after}" in text:
                bad.append((where, f"line-break hyphen {before}- {after}"))
    assert bad == []
