"""Tests of the printable PDF report (ks_data.report_pdf): it is a valid PDF whose text has the goals with their
status and texts, the economy tables, the comparison figures, the data checks, and the date and data version."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from ks_data import calc, catalog, report_pdf, views
from ks_data import schema as s
from ks_data.reconcile import calc_reconciliation
from tests.helpers import DATA_DIR, real_frames

MADE = datetime(2026, 3, 14, 9, 30)


def _build(frames=None, with_charts: bool = True, **kwargs) -> bytes:
    frames = real_frames() if frames is None else frames
    folder = catalog.read_data_folder(DATA_DIR)
    return report_pdf.build_report(frames, [], calc_reconciliation(frames), catalog.calc_fingerprint(folder.files),
                                   MADE, folder.modified, with_charts=with_charts, **kwargs)


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and no-break spaces as plain spaces (a title may wrap over two lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    missing = report_pdf.check_fonts()
    if missing:  # `make test` installs the font (Makefile target browser); say what is missing, do not skip
        pytest.fail(missing, pytrace=False)
    return _build()


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
            if views.has_text(goal[column]):
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


def test_file_name_and_year() -> None:
    assert report_pdf.get_year(real_frames()) == 2020
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
