"""Downloads in a real browser: clicking a table's CSV and Excel, a chart's PNG and SVG and the PDF report gives
files that parse back to what the page shows."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pypdf import PdfReader

from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rerun

DOWNLOAD_TIMEOUT_MS = 60_000


def _visible_button(page: Page, label: str, index: int = 0):
    """The index-th visible download button with ``label`` (buttons of a closed "Visa som tabell" are hidden)."""
    return page.locator("[data-testid=stDownloadButton] button").filter(has_text=label).locator("visible=true").nth(index)


def _download(page: Page, label: str, index: int = 0, attempts: int = 2) -> tuple[str, bytes]:
    """Click a download button and return the file's suggested name and bytes; clicked once more if no file comes (under
    CI load a click right after the rerun that drew the button was lost once: no download, no error)."""
    for attempt in range(attempts):
        try:
            with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
                _visible_button(page, label, index).click()
            break
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_statement_table_downloads_as_csv_and_excel(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/ekonomi?tabell=nettokostnad")
    # The table as in the report is under the deviation chart, made when opened.
    wait_rerun(page, page.locator("[data-testid=stExpander] summary").filter(has_text="Visa som tabell och ladda ner").click)
    name, csv = _download(page, "Ladda ner CSV")
    assert name == "ekonomi-nettokostnad-2020.csv"
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig")
    total = back[back["Verksamhet"] == "Summa"].iloc[0]
    assert (total["Budget 2020 (tkr)"], total["Utfall 2020 (tkr)"], total["Avvikelse 2020 (tkr)"]) == \
        (-105546, -104869, 677)
    name, xlsx = _download(page, "Ladda ner Excel")
    assert name == "ekonomi-nettokostnad-2020.xlsx"
    excel = pd.read_excel(io.BytesIO(xlsx))
    assert excel.equals(back) or excel["Budget 2020 (tkr)"].tolist() == back["Budget 2020 (tkr)"].tolist()
    assert exception_texts(page) == []


def test_chart_downloads_as_png_and_svg(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/ekonomi?tabell=nettokostnad&visa=budget")
    extras = page.locator("[data-testid=stExpander] summary").filter(has_text="Visa som tabell och ladda ner")
    assert extras.count() == 2 and not page.locator("[data-testid=stDownloadButton]").filter(has_text="PNG").count()
    for i in range(2):  # each chart's table and files are made when its expander opens
        wait_rerun(page, extras.nth(i).click)
    name, png = _download(page, "Ladda ner PNG")
    assert name.endswith(".png") and png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    name, svg = _download(page, "Ladda ner SVG", index=1)  # the second chart: the waterfall
    assert name == "ekonomi-nettokostnad-2020-vattenfall.svg"
    ET.fromstring(svg)
    assert "\u2212105\u00a0546\u00a0tkr" in svg.decode("utf-8")


def test_report_pdf_downloads_from_about_page(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/om_data")
    name, pdf = _download(page, "Rapport (PDF)")
    assert name == "verksamhetsberattelse-ks-2020.pdf"
    assert pdf.startswith(b"%PDF-") and len(pdf) > 50_000
    # The PDF links each section to its view at the address this browser used.
    links = [a.get_object()["/A"]["/URI"] for p in PdfReader(io.BytesIO(pdf)).pages for a in p.get("/Annots", [])
             if "/A" in a.get_object()]
    assert app_server.url + "/om_data" in links and app_server.url + "/ekonomi?tabell=drift" in links
    assert exception_texts(page) == []
