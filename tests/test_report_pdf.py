"""Tests of the printable PDF report (ks_data.outputs.report_pdf): it is a valid PDF whose text has the goals with their
status and texts, the economy tables, the comparison figures, the data checks, and the date and data version; and it
is tagged PDF/UA-1, read back from its structure tree: headings, tables with header cells, figures with alternative
text, the language, the bookmarks and the links to the same views in the app."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from ks_data import calc, catalog, routes, years
from ks_data import schema as s
from ks_data.outputs import report_pdf
from ks_data.reconcile import calc_reconciliation
from ks_data.views import common
from tests.helpers import DATA_DIR, real_frames

MADE = datetime(2026, 3, 14, 9, 30)
APP_URL = "https://intra.kommun.local/ks-utforskaren/"
SECTIONS = ["Årets verksamhet", "Måluppföljning", "Ekonomi", "Jämförelsetal", "Datakontroller", "Om underlaget"]


def _build(frames=None, with_charts: bool = True, **kwargs) -> bytes:
    frames = real_frames() if frames is None else frames
    folder = catalog.read_data_folder(DATA_DIR)
    return report_pdf.build_report(frames, [], calc_reconciliation(frames), catalog.calc_fingerprint(folder.files),
                                   MADE, folder.modified, with_charts=with_charts, **kwargs)


def _tags(pdf: bytes) -> list[dict]:
    """The structure elements of a tagged PDF in reading order (depth first from /StructTreeRoot)."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found = []

    def walk(node) -> None:
        node = node.get_object()
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid)

    walk(root["/StructTreeRoot"])
    return found


def _outline(items) -> list:
    """The bookmarks as [(title, [children...]), ...]."""
    result = []
    for item in items:
        if isinstance(item, list):
            result[-1] = (result[-1][0], _outline(item))
        else:
            result.append((item.title, []))
    return result


def _links(pdf: bytes) -> list[str]:
    """Every web address a link annotation in the PDF opens, page by page."""
    return [annot.get_object()["/A"]["/URI"] for page in PdfReader(io.BytesIO(pdf)).pages
            for annot in page.get("/Annots", []) if "/A" in annot.get_object()]


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and no-break spaces as plain spaces (a title may wrap over two lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    missing = report_pdf.check_fonts()
    if missing:  # `make test` installs the font (Makefile target browser); say what is missing, do not skip
        pytest.fail(missing, pytrace=False)
    return _build(app_url=APP_URL)


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return _text(pdf)


def test_is_a_valid_pdf_with_pages_and_charts(pdf) -> None:
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 10
    assert sum(len(page.images) for page in reader.pages) >= 3  # the economy and comparison charts
    assert reader.metadata.title == "Verksamhetsberättelse 2020 – Kommunstyrelsen, Timrå kommun"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4


def test_cover_has_title_date_and_data_version(text) -> None:
    folder = catalog.read_data_folder(DATA_DIR)
    assert "Verksamhetsberättelse 2020 – Kommunstyrelsen, Timrå kommun" in text
    assert "Sammanställd ur KS-utforskaren" in text
    assert "2026-03-14 09:30" in text
    assert catalog.calc_fingerprint(folder.files) in text
    assert "Innehåll" in text and "Måluppföljning" in text


def test_every_page_has_source_and_page_number(pdf) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    n = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        page_text = " ".join(page.extract_text().replace("\u00a0", " ").split())
        assert "Källa: Verksamhetsberättelse 2020, Kommunstyrelsen, Timrå kommun" in page_text
        assert f"Sida {number} av {n}" in page_text


def test_every_goal_with_both_statuses_and_the_reports_texts(text) -> None:
    frames = real_frames()
    statuses = calc.calc_goal_statuses(frames[s.GOALS], frames[s.INDICATORS], report_pdf.TOLERANCE)
    for _, goal in statuses.iterrows():
        assert f"{goal[s.GOAL_ID]} {' '.join(goal[s.TITLE].split())}" in text
        for column in (s.COMMENT, s.ANALYSIS, s.ACTION):
            if common.has_text(goal[column]):
                first = " ".join(str(goal[column]).split()[:8])
                assert first in text, (goal[s.GOAL_ID], column)
    for label in ("Rapportens bedömning", "Status från styrtalen", "✔ Uppfyllt", "◐ Delvis uppfyllt", "✖ Ej uppfyllt",
                  "○ Ej bedömt", "– Ingen bedömning i rapporten", "Kommentar", "Analys", "Åtgärd"):
        assert label in text


def test_economy_tables_with_swedish_numbers(text) -> None:
    for expected in ("Driftredovisning", "Nettokostnad och budgetavvikelse", "Investeringsredovisning",
                     "Budget 2020 (tkr)", "Verksamhetens nettokostnader −105 546 −104 869 +677 −90 034",
                     "Summa −105 546 −104 869 +677", "Summa investeringar 12 700 11 595 +1 104",
                     "↳ varav kommunalägda bolag och kommunförbund −42 062 −44 277 −2 214",
                     "Från budget till utfall", "Utfallet blev 677 tkr bättre än budget"):
        assert expected in text, expected
    assert "-105" not in text and "105,546" not in text


def test_comparisons_and_data_checks(text) -> None:
    assert "Jämförelsetal" in text
    assert re.search(r"Färdtjänst, antal enkelresor antal 25 479 25 070 14 288", text)
    assert "Datakontroller" in text and "Validering: 0 fel, 0 varningar" in text
    assert "32 kontroller, 7 skillnader" in text
    assert "−104 869 −104 868 −1" in text  # one of the report's seven rounding differences


def test_missing_table_is_named_and_the_rest_is_printed() -> None:
    frames = real_frames()
    del frames[s.INVESTMENTS]
    text = _text(_build(frames, with_charts=False))
    assert "Tabellen Investeringsredovisning kunde inte läsas" in text
    assert "Driftredovisning" in text and "1.3 Medborgarna" in text


def test_missing_font_gives_a_swedish_message(tmp_path) -> None:
    assert "fonts-dejavu-core" in report_pdf.check_fonts(tmp_path)
    with pytest.raises(report_pdf.ReportError, match="typsnittet DejaVu Sans saknas"):
        _build(with_charts=False, font_dir=tmp_path)
    assert report_pdf.check_fonts() is None


@pytest.mark.parametrize(("lang", "words"), [
    ("sv", "PDF-rapporten kunde inte skapas. Allt annat fungerar som vanligt: sidornas tabeller kan fortfarande "
           "laddas ner som CSV och Excel"),
    ("en", "The PDF report could not be made. Everything else works as usual: the pages' tables can still be "
           "downloaded as CSV and Excel"),
])
def test_a_typst_failure_gives_a_clear_message_and_logs_typsts_own(monkeypatch, caplog, lang, words) -> None:
    import typst

    def fail(*args, **kwargs):
        raise typst.TypstError("failed to compile: unexpected argument")

    monkeypatch.setattr(typst, "compile", fail)
    with caplog.at_level("ERROR", logger=report_pdf.__name__), pytest.raises(report_pdf.ReportError) as raised:
        _build(with_charts=False, lang=lang)
    assert str(raised.value).startswith(words)
    assert "unexpected argument" not in str(raised.value)  # Typst's words are for the log, not for the user
    assert any("unexpected argument" in record.getMessage() for record in caplog.records)


def test_file_name_and_year() -> None:
    assert years.get_report_year(real_frames()) == 2020
    assert report_pdf.get_file_name(2020) == "verksamhetsberattelse-ks-2020.pdf"


def test_the_report_in_english_has_english_headings_numbers_and_the_reports_own_texts() -> None:
    text = _text(_build(lang="en", with_charts=False))
    for part in ("Annual report 2020 – Municipal Executive Board, Timrå Municipality", "Goal follow-up", "Finances",
                 "Comparative figures", "Data checks", "Page 1 of", "Amounts in SEK k as printed in the report.",
                 "Operating statement", "−105,546"):
        assert part in text, part
    for swedish in ("Sida 1 av", "Belopp i tkr", "Verksamhetsberättelse 2020 –", "105 546"):
        assert swedish not in text, swedish
    # The report's own texts stay as written.
    assert "Medborgarna anser att Timrå erbjuder livskvalitet och service" in text


def test_is_tagged_pdf_ua_1_in_swedish(pdf) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "sv-SE"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True  # a reader shows the title, not the file name
    assert b"<pdfuaid:part>1</pdfuaid:part>" in root["/Metadata"].get_object().get_data()
    # Header and footer are page furniture a screen reader skips, not text in the reading order.
    for number, page in enumerate(reader.pages, start=1):
        content = page.get_contents().get_data()
        assert b"/Subtype/Footer/Type/Pagination" in content, number
        assert b"/Subtype/Header/Type/Pagination" in content or number == 1, number  # the cover has no header


def test_headings_tables_and_reading_order_are_tagged(pdf) -> None:
    tags = [str(t["/S"]) for t in _tags(pdf)]
    # The cover's title, then one H1 per section, in the order they are read.
    assert tags.count("/H1") == 1 + len(SECTIONS)
    # Every goal (11) and statement (3) is an H2, with the parts of one under it as H3.
    assert tags.count("/H2") >= 11 + 3 and tags.count("/H3") >= 11 * 3
    assert tags.index("/H1") < tags.index("/H2") < tags.index("/H3")
    tables = [t for t in _tags(pdf) if t["/S"] == "/Table"]
    assert len(tables) >= 11 + 3 + 3  # goal overview and indicators, statements, comparisons, checks, legend
    for table in tables:
        cells = [str(t["/S"]) for t in _tags_of(table)]
        assert "/THead" in cells and "/TH" in cells and "/TD" in cells, cells
    headers = [t for t in _tags(pdf) if t["/S"] == "/TH"]
    assert all(t["/A"][0]["/Scope"] == "/Column" for t in headers)
    assert "/L" in tags and "/LI" in tags  # the report's bullets and the sign rules are lists
    assert "/BlockQuote" in tags  # the report's own assessment of a goal


def _tags_of(node) -> list[dict]:
    found = []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            found += [kid, *_tags_of(kid)]
    return found


def test_every_chart_is_a_figure_with_the_apps_alternative_text(pdf) -> None:
    figures = [t for t in _tags(pdf) if t["/S"] == "/Figure"]
    assert len(figures) == 5  # the waterfall, the investments' budget and outcome, three comparison figures
    alts = [str(f["/Alt"]) for f in figures]
    assert all(len(alt) > 30 for alt in alts), alts
    assert alts[0].startswith("Vattenfallsdiagram: från budgeterad nettokostnad −105")
    assert alts[1].startswith("Liggande stapeldiagram över Investeringar 2020: budget och utfall")
    assert alts[2].startswith("Linjediagram: Räddningstjänsten, kostnader i kr per invånare")


def test_bookmarks_name_every_section_goal_and_statement(pdf) -> None:
    outline = _outline(PdfReader(io.BytesIO(pdf)).outline)
    assert [title for title, _ in outline] == SECTIONS
    goals = dict(outline)["Måluppföljning"]
    frames = real_frames()
    expected = [f"{g} {' '.join(t.split())}" for g, t in zip(frames[s.GOALS][s.GOAL_ID], frames[s.GOALS][s.TITLE],
                                                          strict=True)]
    assert [" ".join(title.split()) for title, _ in goals] == ["Översikt över målen", *expected]
    assert [title for title, _ in dict(outline)["Ekonomi"]] == ["Driftredovisning", "Nettokostnad och budgetavvikelse",
                                                               "Investeringsredovisning"]


def test_each_section_links_to_the_same_view_in_the_app(pdf) -> None:
    links = _links(pdf)
    for view in ("", "mal", "mal?mal=1.3", "mal?mal=4.3", "ekonomi", "ekonomi?tabell=drift",
                 "ekonomi?tabell=nettokostnad", "ekonomi?tabell=investeringar",
                 "ekonomi?tabell=nettokostnad&visa=budget", "jamforelsetal", "om_data"):
        assert APP_URL + view in links, view
    assert all(link.startswith(APP_URL) for link in links)
    # Each link is tagged (a /Link element points at it) and says where it goes to a screen reader.
    annots = [a.get_object() for page in PdfReader(io.BytesIO(pdf)).pages for a in page.get("/Annots", [])]
    assert all("/StructParent" in a and a["/Contents"] for a in annots)
    assert [str(t["/S"]) for t in _tags(pdf)].count("/Link") >= len(annots)


def test_without_the_apps_address_the_report_has_no_links() -> None:
    pdf = _build(with_charts=False)
    assert _links(pdf) == []
    assert "Samma vy i KS-utforskaren" not in _text(pdf)


@pytest.mark.parametrize(("app_url", "page", "params", "expected"), [
    ("http://localhost:8501/", "goals", {"mal": "1.3"}, "http://localhost:8501/mal?mal=1.3"),
    ("http://localhost:8501", "overview", {}, "http://localhost:8501/"),
    # Under a path behind a proxy, with the language and year the user had: both stay in every link.
    ("https://intra.kommun.local/ks-utforskaren/?lang=en&ar=2020", "economy", {"tabell": "drift", "visa": "budget"},
     "https://intra.kommun.local/ks-utforskaren/ekonomi?tabell=drift&visa=budget&lang=en&ar=2020"),
    ("https://intra.kommun.local/ks-utforskaren/?lang=en", "about", {},
     "https://intra.kommun.local/ks-utforskaren/om_data?lang=en"),
    # The report links to the pages, not to presentation mode's screens.
    ("http://localhost:8501/?presentation=1&ar=2020", "comparisons", {}, "http://localhost:8501/jamforelsetal?ar=2020"),
    (None, "goals", {"mal": "1.3"}, None),
])
def test_get_app_url(app_url, page, params, expected) -> None:
    assert report_pdf.get_app_url(app_url, page, params) == expected


def test_links_keep_only_the_language_and_year_of_the_apps_frame() -> None:
    from ui.state import FRAME_PARAMS

    assert set(report_pdf.LINK_FRAME_PARAMS) == {"lang", "ar"} and set(report_pdf.LINK_FRAME_PARAMS) < set(FRAME_PARAMS)
    assert all(page in routes.ROUTE_BY_KEY for page in report_pdf.APP_PAGES)


HOSTILE = "#set page(width: 1cm) *fet* _kursiv_ $x^2$ [länk](u) <etikett> @ref // ingen kommentar \\ \"citat\" -- ~ `kod` = 100 % & <b>"


def test_report_texts_with_markup_characters_print_as_written() -> None:
    frames = real_frames()
    goals = frames[s.GOALS]
    goals.loc[goals.index[0], s.TITLE] = "Mål " + HOSTILE
    goals.loc[goals.index[0], s.COMMENT] = HOSTILE + "\n\nAndra stycket ]) #panic(\"x\")"
    narrative = frames[s.NARRATIVE]
    narrative.loc[narrative.index[0], s.TEXT] = HOSTILE
    pdf = _build(frames, with_charts=False)
    text = _text(pdf)
    assert text.count(HOSTILE) >= 3  # the narrative, the goal's heading, its comment (the overview's cell wraps)
    assert "Andra stycket ]) #panic(\"x\")" in text
    goal_titles = [title for title, _ in dict(_outline(PdfReader(io.BytesIO(pdf)).outline))["Måluppföljning"]]
    assert f"{goals[s.GOAL_ID].iloc[0]} Mål {HOSTILE}" in goal_titles


def test_the_english_report_is_tagged_english_with_the_language_in_its_links() -> None:
    pdf = _build(lang="en", with_charts=False, app_url="http://localhost:8501/?lang=en")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/Lang"] == "en"
    assert [title for title, _ in _outline(PdfReader(io.BytesIO(pdf)).outline)] == [
        "The year's activities", "Goal follow-up", "Finances", "Comparative figures", "Data checks", "About the data"]
    links = _links(pdf)
    assert "http://localhost:8501/mal?mal=1.3&lang=en" in links and all(link.endswith("lang=en") for link in links)
    assert "The same view in KS-utforskaren" in _text(pdf)


def _languages(pdf: bytes) -> list[str]:
    """Every change of language the PDF declares: on structure elements and on marked-content spans."""
    spans = [lang.decode() for page in PdfReader(io.BytesIO(pdf)).pages
             for lang in re.findall(rb"/Lang\s*\(([^)]*)\)", page.get_contents().get_data())]
    return [str(tag["/Lang"]) for tag in _tags(pdf) if "/Lang" in tag] + spans


def test_the_english_report_declares_the_reports_own_swedish_words_as_swedish() -> None:
    # PDF/UA-1 7.2: a change of language is declared, so a screen reader speaks the report's paragraphs, goal titles,
    # indicator names and quotes in Swedish inside the English report.
    frames = real_frames()
    goals = common.get_latest(frames[s.GOALS])
    paragraphs = common.get_latest(frames[s.NARRATIVE])
    swedish = _languages(_build(frames, lang="en", with_charts=False)).count("sv-SE")
    assert swedish >= len(goals) * 2 + len(paragraphs)  # each goal's heading and overview cell, each paragraph


def test_the_swedish_report_declares_no_other_language() -> None:
    assert set(_languages(_build(lang="sv", with_charts=False))) <= {"sv-SE"}


def test_characters_the_font_cannot_show_print_as_a_replacement_mark_and_the_report_is_still_made() -> None:
    # PDF/UA-1 allows no text that cannot be shown: a control character, text in a script DejaVu Sans lacks, or a
    # bidirectional override (which would print the rest backwards) is printed as "�", the rest as written.
    frames = real_frames()
    goals = frames[s.GOALS]
    goals.loc[goals.index[0], s.COMMENT] = "Början A\x07B\x00C\u202eD 漢字 ÅÄÖ − ✔ slut."
    text = _text(_build(frames, with_charts=False))
    assert "Början A�B�C�D �� ÅÄÖ − ✔ slut." in text


def test_where_the_report_contradicts_itself_both_sides_are_printed(pdf, text) -> None:
    """As in the app: the figures and the report's words side by side under a heading, for the goal and for Ekonomi."""
    assert text.count("Rapporten säger emot sig själv") == 2
    # Goal 2.2: the women entrepreneurs' figures beside the Analys sentence.
    assert "Mätvärdena: Andel kvinnliga företagare" in text and "2018: 20 % · 2020: 21 %" in text
    assert "Rapporten, Mål 2.2 › Analys" in text and "Andelen företagsamma kvinnor har minskat" in text
    # Net costs: Kommunledningskontor's −837 tkr beside "en positiv avvikelse".
    assert "Kommunledningskontor: avvikelse −837 tkr" in text
    assert "förklarar det en positiv avvikelse för kommunledningskontorets verksamhet" in text
