"""The printable report of the year (PDF): cover, goals, economy, comparison figures and the data checks.

Tagged PDF/UA-1, typeset offline by Typst (the ``typst`` package): headings are headings (H1 a section, H2 a goal
or a statement, H3 a part of one), tables have header cells that repeat on a new page, every chart is a figure
with alternative text (the app's own chart descriptions), the document language is set (sv, or en in English),
the outline (bookmarks) names every section, goal and statement, and each of them links to the same view in the
app. Built from the same tables, view functions and charts the pages use, so the PDF says what the app says.
Every word comes from ks_data.texts (keys ``pdf.*`` and the pages' own keys) or from the report's data; numbers
go through ks_data.fmt. A4, DejaVu Sans (which has å ä ö, "−", "›" and the status symbols ✔ ◐ ✖ ○ –), a header
and a footer with the source and "Sida 3 av 12" on every page but the cover's header.

The Typst source is generated here as code, never as markup: every text (the report's and ours) enters it as a
string literal (``_s``), so ``#``, ``*``, ``$``, ``[``, ``<``, ``@``, ``//`` and backslashes print as written.

``build_report`` is pure apart from reading the font files and a temporary folder for the chart images;
``check_fonts`` tells in Swedish what is missing.
"""

from __future__ import annotations

import functools
import logging
import re
import struct
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

from ks_data import calc, catalog, charts, routes, statements, years
from ks_data import schema as s
from ks_data.errors import Problem
from ks_data.outputs import export
from ks_data.texts import get_text
from ks_data.views import common, economy
from ks_data.views import comparisons as comparison
from ks_data.views import goals as goal_views
from ks_data.views import overview as overview_views
from ks_data.views import waterfall as waterfall_steps
from ks_data.viewtable import TKR, YEAR, format_table, get_export_header, get_formats

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LOG = logging.getLogger(__name__)
FONT = "DejaVu Sans"
FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
# The PDF standard Typst checks while it writes: a tagged document a screen reader can read (ISO 14289-1).
PDF_STANDARD = "ua-1"
# The goals page's default margin for "near the target" (percentage points or units).
TOLERANCE = 2
# The report's own language: its paragraphs, goal titles, indicator names and quotes are Swedish in every UI language.
REPORT_LANG = "sv"
# The narrative section with the report's text on the economy.
ECONOMY_SECTION = "Ekonomi"
THRESHOLD_TKR = economy.THRESHOLD_TKR[3]
CM = 28.3465
A4_WIDTH = 21.0 * CM
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.2 * CM, 2.6 * CM, 2.2 * CM
TEXT_WIDTH = A4_WIDTH - 2 * MARGIN_X
# Charts are rendered this wide (pixels, before the PNG scale) and drawn at most the text's width.
CHART_PX = 800
CHART_MAX_HEIGHT = 11 * CM
CELL_SIZE = 8.3
# A table with more columns than this is set smaller, so its words fit without breaking.
WIDE_TABLE_COLUMNS = 6
WIDE_CELL_SIZE = 7.4
# Table columns whose longest text has at most SHORT_TEXT characters are as wide as it; longer ones share the rest of
# the line in proportion to their length, up to LONG_TEXT characters.
SHORT_TEXT, LONG_TEXT = 18, 60
CELL_INSET = 3.5
# Advance widths (em) of DejaVu Sans Bold for what number cells hold; any other character counts as OTHER_EM.
BOLD_EM = {**dict.fromkeys("0123456789", 0.696), " ": 0.348, "\u00a0": 0.348, "\u2212": 0.838, "+": 0.838,
           ",": 0.38, ".": 0.38, "%": 1.0, "\u2013": 0.5}
OTHER_EM = 0.75
INK = "#1a1a1a"
GREY = "#5b5b5b"
RULE = "#9aa5b1"
ROW_RULE = "#cfd6dd"
HEADER_BG = "#e4eaf0"
SUM_BG = "#f2f5f8"
ACCENT = "#1f5f8b"
STATUS_COLORS = charts.STATUS_COLORS
# The app's pages the report links to (ui.PAGES: key -> path under the app's address; tests keep them equal).
# The pages the report links to (their addresses come from the route table).
APP_PAGES = (routes.OVERVIEW, routes.GOALS, routes.ECONOMY, routes.COMPARISONS, routes.ABOUT)
# The app's URL parameters a link from the report keeps from the app's address: the language and the report year.
LINK_FRAME_PARAMS = (routes.LANG, routes.YEAR)
# Characters a Typst string literal must escape.
STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Control characters, and the bidirectional embeddings and overrides, which would print a text's letters backwards.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
# Printed for a character the font has no glyph for (a control character, a rare symbol in a text): PDF/UA-1 allows
# no text a reader cannot show, and Typst refuses to write it.
NO_GLYPH = "\ufffd"


class ReportError(Exception):
    """The report cannot be made; ``str(error)`` is a Swedish sentence a user can act on."""


def get_missing_font(font_dir: Path | None = None) -> Path | None:
    """Return the first font file the report needs that is missing, or None when all are there."""
    folder = Path(font_dir or FONT_DIR)
    for name in FONT_FILES.values():
        if not (folder / name).is_file():
            return folder / name
    return None


def check_fonts(font_dir: Path | None = None, lang: str = "sv") -> str | None:
    """Return a Swedish message naming the missing font and how to install it, or None when the report can be made."""
    missing = get_missing_font(font_dir)
    return None if missing is None else get_text("export.font_missing", lang, path=missing)


def get_app_url(app_url: str | None, page: str, params: dict[str, str] | None = None) -> str | None:
    """Return the absolute address of ``page`` (a page key of ks_data.routes) with ``params`` in the app at ``app_url``.

    ``app_url`` is the app's own address as the user's browser has it (ui.get_share_url of Översikt), with the
    frame parameters in its query: the language and year (LINK_FRAME_PARAMS) are kept, so the link opens the same
    language and year; presentation mode is not (the report links to the pages, not to the meeting-room screens).
    None without an address: a link guessed from the server's side (localhost) would not open on a reader's iPad.
    """
    if not app_url:
        return None
    parts = urlsplit(app_url)
    path = parts.path.rstrip("/") + "/" + routes.ROUTE_BY_KEY[page].path
    query = list((params or {}).items()) + [(k, v) for k, v in parse_qsl(parts.query)
                                            if k in LINK_FRAME_PARAMS and k not in (params or {})]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


# --- Typst source helpers -------------------------------------------------------------------------------------

def _s(text) -> str:
    """Return any text as a Typst string literal (code, not markup: nothing in it is read as markup)."""
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return '"' + "".join(STRING_ESCAPES.get(ch, ch) for ch in CONTROL.sub(NO_GLYPH, value)) + '"'


@functools.cache
def get_font_coverage(font_dir: str) -> frozenset[int]:
    """Return the code points that both the regular and the bold font in ``font_dir`` have a glyph for."""
    return frozenset.intersection(*(_read_cmap(Path(font_dir) / file) for file in FONT_FILES.values()))


def _read_cmap(path: Path) -> frozenset[int]:
    """Return the code points of a TrueType font's Unicode character map (cmap format 12, else format 4)."""
    data = path.read_bytes()
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0]
              for i in range(struct.unpack_from(">H", data, 4)[0])}
    cmap = tables[b"cmap"]
    subtables = {}
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap + offset
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        at = subtables.get(key)
        if at is None:
            continue
        points: set[int] = set()
        fmt = struct.unpack_from(">H", data, at)[0]
        if fmt == 12:
            for group in range(struct.unpack_from(">I", data, at + 12)[0]):
                start, end, _ = struct.unpack_from(">III", data, at + 16 + 12 * group)
                points.update(range(start, end + 1))
            return frozenset(points)
        if fmt == 4:
            segments = struct.unpack_from(">H", data, at + 6)[0] // 2
            ends = struct.unpack_from(f">{segments}H", data, at + 14)
            starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
            for start, end in zip(starts, ends, strict=True):
                if start != 0xFFFF:
                    points.update(range(start, end + 1))
            return frozenset(points)
    return frozenset()


def _replace_missing_glyphs(source: str, covered: frozenset[int]) -> str:
    """Return the Typst source with every character the font cannot show as NO_GLYPH (it can only stand in a
    string: the code around the strings is ASCII)."""
    missing = NO_GLYPH if ord(NO_GLYPH) in covered else "?"
    return "".join(ch if ch < "\x80" or ord(ch) in covered else missing for ch in source)


def _md(text: str) -> str:
    """Return app text with Markdown bold (**x**) as Typst content: the bold parts strong, all of it as written."""
    parts = re.split(r"\*\*(.+?)\*\*", text.replace("\\", ""))
    return "[" + "".join(f"#strong({_s(p)})" if i % 2 else f"#{_s(p)}" for i, p in enumerate(parts) if p) + "]"


def _status(status: str | None, label: str) -> str:
    """Return a status label ("✔ Uppfyllt") as Typst content, the symbol in the status colour (the word carries the
    meaning)."""
    color = STATUS_COLORS.get(status or "none", GREY)
    symbol, _, word = label.partition(" ")
    return f'[#text(fill: rgb("{color}"), {_s(symbol)}) #{_s(word)}]'


def _paragraphs(text) -> list[str]:
    if not common.has_text(text):
        return []
    return [p.strip() for p in str(text).split("\n\n") if p.strip()]


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _get_text_width(text: str, size: float) -> float:
    """Return about how wide ``text`` is in DejaVu Sans Bold at ``size`` points (an upper bound for the regular)."""
    return sum(BOLD_EM.get(ch, OTHER_EM) for ch in text) * size


def _get_column_width(values: pd.Series, header: str, number: bool, size: float) -> str:
    """Return a Typst column width: a number column as wide as its widest cell (its header may take two lines, as
    "Budget 2020" over "(tkr)"), a short text as wide as it is ("auto"), long texts sharing the rest of the line in
    proportion to their longest cell (characters), so a long name is not squeezed by a short column."""
    if number:
        words = [w for w in re.split(r"[ \t\n]+", header) if w]
        widest = max([_get_text_width(str(v), size) for v in values] + [_get_text_width(w, size) for w in words])
        return _pt(widest + 2 * CELL_INSET + 1)
    longest = max([len(str(v)) for v in values] + [len(header)])
    return "auto" if longest <= SHORT_TEXT else f"{min(longest, LONG_TEXT)}fr"


def _pt(value: float) -> str:
    return f"{value:.2f}pt"




def _preamble(title: str, subject: str, author: str, made: datetime, lang: str, header: tuple[str, str],
              footer_left: str, page_text: str) -> str:
    """Return the document's settings: metadata and language, A4 page with header and footer, text and heading
    styles, tables and figures."""
    # "Sida {page} av {pages}": the two numbers are Typst's page counter, the words around them text.
    before, between, after = re.split("\x01|\x02", page_text)
    number = (f"{_s(before)} + str(counter(page).get().first()) + {_s(between)}"
              f" + str(counter(page).final().first()) + {_s(after)}")
    region = ', region: "SE"' if lang == "sv" else ""
    date = (f"datetime(year: {made.year}, month: {made.month}, day: {made.day}, hour: {made.hour}, "
            f"minute: {made.minute}, second: {made.second})")
    return "\n".join([
        f"#set document(title: {_s(title)}, author: {_s(author)}, description: {_s(subject)}, date: {date})",
        f'#set text(font: "{FONT}", size: 9.5pt, fill: rgb("{INK}"), lang: "{lang}"{region})',
        "#set par(leading: 0.5em, spacing: 0.75em)",
        f"#set page(paper: \"a4\", margin: (x: {_pt(MARGIN_X)}, top: {_pt(MARGIN_TOP)}, bottom: {_pt(MARGIN_BOTTOM)}),",
        "  header: context { if counter(page).get().first() > 1 {",
        f'    set text(size: 7.8pt, fill: rgb("{GREY}"))',
        f'    block(width: 100%, inset: (bottom: 4pt), stroke: (bottom: 0.5pt + rgb("{RULE}")),'
        f" [#{_s(header[0])} #h(1fr) #{_s(header[1])}])",
        "  } },",
        "  footer: context {",
        f'    set text(size: 7.8pt, fill: rgb("{GREY}"))',
        f'    block(width: 100%, inset: (top: 4pt), stroke: (top: 0.5pt + rgb("{RULE}")),'
        f" [#{_s(footer_left)} #h(1fr) #({number})])",
        "  })",
        f'#show heading.where(level: 1): set text(size: 16pt, fill: rgb("{ACCENT}"))',
        "#show heading.where(level: 1): set block(above: 6pt, below: 10pt)",
        "#show heading.where(level: 2): set text(size: 11.5pt)",
        "#show heading.where(level: 2): set block(above: 14pt, below: 6pt)",
        "#show heading.where(level: 3): set text(size: 9.8pt)",
        "#show heading.where(level: 3): set block(above: 10pt, below: 5pt)",
        # The contents' own heading sits under the cover's title (H1), beside "Året i korthet".
        "#show outline: set heading(level: 2)",
        "#set outline.entry(fill: repeat[.])",
        f'#show link: set text(fill: rgb("{ACCENT}"))',
        "#set list(marker: [•], indent: 4pt, body-indent: 6pt)",
        '#set quote(block: true)',
        f'#show quote: set text(fill: rgb("{GREY}"))',
        f'#set table(stroke: (x, y) => if y == 0 {{ (top: 0.8pt + rgb("{RULE}"), bottom: 0.8pt + rgb("{RULE}")) }}'
        f' else {{ (bottom: 0.25pt + rgb("{ROW_RULE}")) }}, fill: (x, y) => if y == 0 {{ rgb("{HEADER_BG}") }},'
        f" inset: (x: {CELL_INSET}pt, top: 2.5pt, bottom: 3pt))",
        "#set figure(numbering: none, gap: 4pt)",
        "#show figure: set align(left)",
        f'#show figure.caption: set text(size: 8.2pt, fill: rgb("{GREY}"))',
        f'#let small(body) = par(text(size: 8.2pt, fill: rgb("{GREY}"), body))',
        "",
    ])


class _Builder:
    """Collects the Typst source of the report; one method per section."""

    def __init__(self, frames: dict[str, pd.DataFrame], problems: list[Problem], reconciliation: pd.DataFrame,
                 version: str, made: datetime, built: datetime | None, lang: str, with_charts: bool,
                 app_url: str | None, folder: Path) -> None:
        self.frames, self.problems, self.reconciliation = frames, problems, reconciliation
        self.version, self.made, self.built, self.lang = version, made, built, lang
        self.with_charts, self.app_url, self.folder = with_charts, app_url, folder
        self.year = years.get_report_year(frames) or ""
        self.out: list[str] = []
        self.images = 0

    def t(self, key: str, **values) -> str:
        """Return the text ``key`` in the report's language."""
        return get_text(key, self.lang, **values)

    def _quote(self, text) -> str:
        """Return "The report: "…"" as Typst content, the report's words marked as Swedish (self.sv)."""
        before, _, after = self.t("goals.assessment_quote", text="\x00").partition("\x00")
        return f"[#{_s(before)}#{self.sv(text)}#{_s(after)}]"

    def sv(self, text) -> str:
        """Return the report's own (Swedish) text as Typst code; in a report in another language, marked as Swedish.

        PDF/UA-1 (7.2) and WCAG 3.1.2 ask for every change of language to be declared, so a screen reader reading the
        English report speaks the report's Swedish quotes, names and paragraphs in Swedish: Typst writes the text's
        language on its structure element or span.
        """
        return _s(text) if self.lang == REPORT_LANG else f'text(lang: "{REPORT_LANG}", region: "SE", {_s(text)})'

    # --- building blocks ---

    def add(self, code: str) -> None:
        """Add one piece of Typst code (starting with ``#``) on its own line."""
        self.out.append(code)

    def p(self, text: str, style: str = "body", content: str | None = None) -> None:
        """Add a paragraph of ``text`` (or of Typst ``content``) in ``style`` (body, small, strong)."""
        body = content or _s(text)
        if style == "small":
            self.add(f"#small({body})")
        elif style == "strong":
            self.add(f"#par(strong({body}))")
        else:
            self.add(f"#par({body})")

    def heading(self, text: str, level: int, content: str | None = None, listed: bool = True) -> None:
        """Add a heading of ``level``; if ``listed``, levels 1 and 2 are in the bookmarks, level 1 also in the
        contents."""
        self.add(f"#heading(level: {level}, outlined: {str(listed and level == 1).lower()}, "
                 f"bookmarked: {str(listed and level <= 2).lower()}, {content or _s(text)})")

    def link(self, page: str, params: dict[str, str] | None = None) -> None:
        """Add the link to the same view in the app (none when the app's address is not known)."""
        code = self.link_code(page, params or {})
        if code:
            self.add(f"#{code}")

    def link_code(self, page: str, params: dict[str, str]) -> str:
        """Return the paragraph with the link to the same view in the app as Typst code, or "" without an address."""
        url = get_app_url(self.app_url, page, params)
        return f'small([#{_s(self.t("pdf.link"))} #link({_s(url)})])' if url else ""

    def bullets(self, items: list[str]) -> None:
        """Add a bulleted list of Typst content items."""
        if items:
            self.add(f"#list({', '.join(items)})")

    def table(self, display: pd.DataFrame, right: set[str] | None = None, bold_rows: set[int] | None = None,
              code_columns: set[str] | None = None, report_columns: set[str] | None = None) -> None:
        """Add a data table of a display frame (text cells; Typst content in ``code_columns``, such as a status in its
        colour): a header row that repeats on each page, number columns right-aligned, sum rows bold on a tint; a
        wide table is set a little smaller. Cells of ``report_columns`` hold the report's own words (self.sv)."""
        right, bold_rows, code_columns = right or set(), bold_rows or set(), code_columns or set()
        report_columns = report_columns or set()
        columns = list(display.columns)
        size = WIDE_CELL_SIZE if len(columns) > WIDE_TABLE_COLUMNS else CELL_SIZE

        def cell(value, column: str, bold: bool) -> str:
            body = (str(value) if column in code_columns else self.sv(value) if column in report_columns
                    else _s(value))
            return f'table.cell(fill: rgb("{SUM_BG}"), strong({body}))' if bold else body

        header = ", ".join(f"strong({_s(c)})" for c in columns)
        rows = [", ".join(cell(v, c, i in bold_rows) for v, c in zip(row, columns, strict=True))
                for i, row in enumerate(display.itertuples(index=False, name=None))]
        align = ", ".join("right" if c in right else "left" for c in columns)
        widths = ", ".join("auto" if c in code_columns else _get_column_width(display[c], c, c in right, size)
                           for c in columns)
        # In a wide table a word too long for its column is hyphenated (in the report's language), not run into the
        # next column.
        hyphenate = str(len(columns) > WIDE_TABLE_COLUMNS).lower()
        self.add(f"#block(below: 10pt, text(size: {size}pt, hyphenate: {hyphenate}, table(columns: ({widths},),"
                 f" align: ({align},),"
                 f" table.header(repeat: true, {header}), {''.join(r + ', ' for r in rows)}"
                 f'table.hline(stroke: 0.8pt + rgb("{RULE}")))))')

    def view_table(self, data: pd.DataFrame, bold_rows: set[int] | None = None,
                   drop: tuple[str, ...] = (), report_columns: set[str] | None = None) -> None:
        """Add a typed view table (ks_data.viewtable) as printed: amounts without "tkr" under a "(tkr)" header."""
        display = format_table(data, self.lang, units_in_header=True)
        display = display[[c for c in display.columns if c not in drop]]
        numeric = {get_export_header(name, column, self.lang) if column.kind == TKR else name
                   for name, column in get_formats(data).items() if column.kind != YEAR}
        self.table(display, right=numeric & set(display.columns), bold_rows=bold_rows, report_columns=report_columns)

    def image(self, chart, px: int) -> tuple[str, int, int]:
        """Render ``chart`` as a PNG (offline, with the chart's Swedish locale) into the build folder; return its file
        name and size in pixels."""
        png = export.write_chart_png(chart, width=px)
        self.images += 1
        name = f"chart-{self.images}.png"
        (self.folder / name).write_bytes(png)
        return (name, *_png_size(png))

    def figure(self, name: str, alt: str, width: float, caption: str | None = None) -> str:
        """Return a figure of the image ``name`` with its alternative text (what a screen reader says for the chart)
        and an optional caption, ``width`` points wide."""
        caption_code = f", caption: {_s(caption)}" if caption else ""
        return f"figure(image({_s(name)}, alt: {_s(alt)}, width: {_pt(width)}){caption_code})"

    def chart(self, chart, title: str, alt: str, caption: str | None = None, px: int = CHART_PX,
              link: tuple[str, dict[str, str]] | None = None) -> None:
        """Add a chart under its heading (H3), kept on one page, with its alternative text, an optional caption and
        the link to its view in the app (``link``: page key and URL parameters, as ks_data.routes builds them)."""
        if not self.with_charts:
            return
        name, w_px, h_px = self.image(chart, px)
        draw_w = TEXT_WIDTH
        if draw_w * h_px / w_px > CHART_MAX_HEIGHT:
            draw_w = CHART_MAX_HEIGHT * w_px / h_px
        self.add(f"#block(breakable: false, below: 12pt)[#heading(level: 3, bookmarked: false, {_s(title)})"
                 f" #{self.figure(name, alt, draw_w, caption)}"
                 + (f" #{self.link_code(*link)}" if link and self.app_url else "") + "]")

    def missing(self, table: str) -> bool:
        """Return whether ``table`` has no rows, after saying so in the report."""
        if table in self.frames and len(self.frames[table]):
            return False
        self.p(self.t("pdf.missing_table", table=catalog.get_table_name(table, self.lang)), "small")
        return True

    def conflicts(self, conflicts: list[dict[str, str]]) -> None:
        """Add each place where the report contradicts itself: its figures and its words side by side, as in the app
        (the app does not choose, and neither does the report it prints)."""
        if not conflicts:
            return
        self.heading(self.t("conflict.heading"), 3)
        self.p(self.t("conflict.intro"), "small")
        for conflict in conflicts:
            figures = ", ".join(f"par({_s(line)})" for line in conflict["figures"].split("\n"))
            quote = self._quote(conflict["text"])
            side = f'block(width: 100%, fill: rgb("{SUM_BG}"), inset: 4pt)'
            self.add(f"#block(width: 100%, breakable: false, below: 8pt, text(size: {CELL_SIZE}pt, grid("
                     f"columns: (1fr, 1fr), column-gutter: 8pt, "
                     f"{side}[#strong({_s(conflict['figures_title'])}) #stack(spacing: 3pt, {figures})], "
                     f"{side}[#strong({_s(conflict['text_title'])}) #par({quote})])))")

    def narrative(self, section: str) -> None:
        """Add the report's running text of ``section``: paragraphs, bullets (one list) and footnotes."""
        df = self.frames.get(s.NARRATIVE)
        if df is None:
            return
        rows = common.get_latest(df)
        rows = rows[rows[s.SECTION] == section].sort_values(s.POSITION)
        bullets: list[str] = []
        for _, r in rows.iterrows():
            if r[s.KIND] == "bullet":
                bullets.append(self.sv(r[s.TEXT]))
                continue
            self.bullets(bullets)
            bullets = []
            self.p("", "small" if r[s.KIND] == "footnote" else "body", content=self.sv(r[s.TEXT]))
        self.bullets(bullets)

    # --- sections ---

    def cover(self) -> None:
        """Add the cover (title, when and from which data the report was made), the year at a glance and the
        contents."""
        self.add("#v(2.2cm)")
        self.add(f'#par(text(size: 13pt, fill: rgb("{GREY}"), {_s(self.t("pdf.org"))}))')
        self.add("#v(0.3cm)")
        # The cover's title is the document's one H1 of its own; the contents list the sections, not it.
        self.heading("", 1, content=f"text(size: 24pt, {_s(self.t('pdf.title', year=self.year))})", listed=False)
        self.add(f'#par(text(size: 13pt, fill: rgb("{GREY}"), {_s(self.t("pdf.subtitle"))}))')
        self.add("#v(0.6cm)")
        report = get_text("source.report", self.lang, year=self.year)
        facts = [(self.t("pdf.cover.made"), self.made.strftime("%Y-%m-%d %H:%M")),
                 (self.t("pdf.cover.version"), self.t("pdf.cover.version.value", version=self.version))]
        if self.built:
            facts.append((self.t("pdf.cover.built"), self.built.strftime("%Y-%m-%d %H:%M")))
        facts.append((self.t("pdf.cover.source"), report))
        # Label and value side by side: a layout grid, read row by row (not a data table with header cells).
        cells = ", ".join(f"strong({_s(k)}), {_s(v)}" for k, v in facts)
        self.add(f'#block(width: 100%, inset: (y: 3pt), stroke: (y: 0.8pt + rgb("{RULE}")), text(size: {CELL_SIZE}pt,'
                 f" grid(columns: (3.6cm, 1fr), row-gutter: 6pt, {cells})))")
        self.add("#v(0.5cm)")
        self.glance()
        self.add("#v(0.3cm)")
        self.p(self.t("pdf.cover.note"), "small")
        self.add("#v(0.3cm)")
        self.add(f"#outline(title: {_s(self.t('pdf.cover.contents'))}, depth: 1)")
        self.add("#pagebreak()")

    def glance(self) -> None:
        """The year at a glance, as on Översikt: net result against budget, goals by status, investments."""
        cells = []
        if s.OPERATING in self.frames:
            result = overview_views.get_result_summary(self.frames[s.OPERATING], self.lang)
            if result:
                cells.append([self.t("overview.result"), f"strong({_s(result['delta'])})", _s(result["sentence"]),
                              _s(self.t("overview.budget_was", budget=result["budget"]))])
        if s.GOALS in self.frames:
            lines = [_md(line) for line in overview_views.get_status_count_lines(self.frames[s.GOALS], self.lang)]
            cells.append([self.t("overview.goals"), *lines])
        if s.INVESTMENTS in self.frames:
            inv = overview_views.get_investment_summary(self.frames[s.INVESTMENTS], self.lang)
            if inv:
                cells.append([self.t("overview.investments"), f"strong({_s(inv['value'])})", _s(inv["sentence"])])
        if not cells:
            return
        self.heading(self.t("pdf.cover.glance"), 2, listed=False)
        boxes = ", ".join("[" + " ".join(f"#par({x})" for x in [f"strong({_s(title)})", *rest]) + "]"
                          for title, *rest in cells)
        self.add(f'#text(size: {CELL_SIZE}pt, grid(columns: {len(cells)}, stroke: 0.6pt + rgb("{RULE}"),'
                 f' fill: rgb("{SUM_BG}"), inset: 6pt, {boxes}))')

    def summary(self) -> None:
        """Add the report's own summary text."""
        df = self.frames.get(s.NARRATIVE)
        if df is None or not (df[s.SECTION] == overview_views.SUMMARY_SECTION).any():
            return
        self.heading(self.t("pdf.section.summary"), 1)
        self.link(routes.OVERVIEW)
        self.narrative(overview_views.SUMMARY_SECTION)

    def goals(self) -> None:
        """Add the goals: their statuses, then each goal with its indicators and texts."""
        self.add("#pagebreak(weak: true)")
        self.heading(self.t("pdf.section.goals"), 1)
        if self.missing(s.GOALS) or self.missing(s.INDICATORS):
            return
        self.link(routes.GOALS)
        goals = common.get_latest(self.frames[s.GOALS])
        indicators = calc.calc_indicator_statuses(common.get_latest(self.frames[s.INDICATORS]), TOLERANCE)
        statuses = calc.calc_goal_statuses(goals, common.get_latest(self.frames[s.INDICATORS]), TOLERANCE)
        self.p(self.t("pdf.goals.intro", tolerance=TOLERANCE))
        self.heading(self.t("pdf.goals.overview"), 2)
        overview = goal_views.get_goal_overview(statuses, self.lang)
        assessment, computed = self.t("col.assessment"), self.t("col.computed")
        overview[assessment] = [_status(a, label) for a, label in
                                zip(statuses[s.ASSESSMENT], overview[assessment], strict=True)]
        overview[computed] = [_status(st, label) for st, label in
                              zip(statuses[calc.COMPUTED_STATUS], overview[computed], strict=True)]
        self.table(overview, code_columns={assessment, computed}, report_columns={self.t("col.title")})
        self.p(get_text("source.caption", self.lang, section=common.get_section(goals)), "small")
        for _, goal in statuses.iterrows():
            self.goal(goal, goal_views.get_goal_indicators(indicators, goal[s.GOAL_ID]))

    def goal(self, goal: pd.Series, goal_ind: pd.DataFrame) -> None:
        """Add one goal: its definition, assessments, indicator tables and its comment, analysis and action texts."""
        self.heading(f"{goal[s.GOAL_ID]} {goal[s.TITLE]}", 2,
                     content=f"[#{_s(goal[s.GOAL_ID])} #{self.sv(goal[s.TITLE])}]")
        self.link(*routes.get_goal_link(goal[s.GOAL_ID]))
        if common.has_text(goal[s.DEFINITION]):
            self.p("", content=f"[#strong({_s(self.t('goals.definition') + ':')}) #{self.sv(goal[s.DEFINITION])}]")
        computed = _status(goal[calc.COMPUTED_STATUS], common.format_status(goal[calc.COMPUTED_STATUS], self.lang))
        rows = [(self.t("goals.report_assessment"),
                 _status(goal[s.ASSESSMENT], common.format_status(goal[s.ASSESSMENT], self.lang))),
                (self.t("goals.computed_status"), f"[{computed[1:-1]} #{_s('– ' + goal_views.get_rule_text(goal, self.lang))}]")]
        cells = ", ".join(f"strong({_s(k)}), {v}" for k, v in rows)
        self.add(f'#block(width: 100%, fill: rgb("{SUM_BG}"), inset: 4pt, below: 8pt, text(size: {CELL_SIZE}pt,'
                 f" grid(columns: (4.4cm, 1fr), row-gutter: 5pt, {cells})))")
        if goal[calc.DISAGREES]:
            self.p(self.t("goals.disagree"), "small")
        if common.has_text(goal[s.ASSESSMENT_TEXT]):
            self.add(f"#quote({self._quote(goal[s.ASSESSMENT_TEXT])})")
        targeted = goal_views.get_with_target(goal_ind)
        if not targeted.empty:
            self.heading(self.t("goals.indicators"), 3)
            data = goal_views.get_indicator_data(targeted, self.lang)
            display = format_table(data, self.lang)
            status_col = self.t("col.status")
            display[status_col] = [_status(st, label) for st, label in
                                   zip(targeted[calc.STATUS], display[status_col], strict=True)]
            keep = [self.t(k) for k in ("col.indicator", "col.measured", "col.target", "col.gap", "col.status",
                                        "col.period")]
            self.table(display[keep], right={self.t("col.measured"), self.t("col.gap")}, code_columns={status_col},
                       report_columns={self.t("col.indicator")})
        others = goal_views.get_without_target(goal_ind)
        if not others.empty:
            self.heading(self.t("pdf.goals.others"), 3)
            data = goal_views.get_indicator_data(others, self.lang)
            measured = self.t("col.measured")
            in_words = any(isinstance(v, str) for v in data[measured])  # values the report gives only in words
            display = format_table(data, self.lang)
            keep = [self.t(k) for k in ("col.indicator", "col.measured", "col.period", "col.note")]
            self.table(display[keep], right=set() if in_words else {measured},
                       report_columns={self.t("col.indicator"), self.t("col.note")})
        if goal_ind.empty:
            self.p(self.t("goals.indicators.none"), "small")
        self.conflicts(goal_views.get_indicator_conflicts(goal_ind, self.lang))
        for key, column in (("goals.comment", s.COMMENT), ("goals.analysis", s.ANALYSIS), ("goals.action", s.ACTION)):
            self.heading(self.t(key), 3)
            paragraphs = _paragraphs(goal[column])
            if not paragraphs:
                self.p(self.t("goals.no_text"), "small")
            for para in paragraphs:
                self.p("", content=self.sv(para))

    def economy(self) -> None:
        """Add the three statements: each one's table and captions, the waterfall and the investments' budget chart."""
        self.add("#pagebreak(weak: true)")
        self.heading(self.t("pdf.section.economy"), 1)
        self.link(routes.ECONOMY)
        self.narrative(ECONOMY_SECTION)
        self.p(self.t("pdf.economy.amounts"), "small")
        for statement, table in statements.STATEMENTS.items():
            if table not in self.frames or self.frames[table].empty:
                self.heading(catalog.get_table_name(table, self.lang), 2)
                self.missing(table)
                continue
            self.statement(statement, table)

    def statement(self, statement: str, table: str) -> None:
        """One economy statement: its table as printed, the result sentence, its text and its chart."""
        rows = economy.get_statement_rows(self.frames[table], table, THRESHOLD_TKR, False, self.lang)
        section = common.get_section(rows)
        name, year = statements.format_statement(statement, self.lang), years.get_latest_year(rows)
        self.heading(section.split(" › ")[-1], 2)
        self.link(*routes.get_statement_link(statement))
        self.p(economy.get_sign_text(table, self.lang), "small")
        data = economy.get_statement_data(rows, table, THRESHOLD_TKR, False, self.lang)
        beyond = [c for c in data.columns if c == self.t("economy.col.beyond",
                                                         threshold=economy.format_threshold(THRESHOLD_TKR, False,
                                                                                            self.lang))]
        bold = {i for i, kind in enumerate(rows[s.ROW_KIND]) if kind == "summa"}
        self.view_table(data, bold_rows=bold, drop=tuple(beyond), report_columns={data.columns[0]})  # its rows' names
        note = economy.get_prev_year_note(rows, self.lang)
        if note:
            self.p(note, "small")
        self.p(economy.get_result_caption(rows, table, self.lang))
        self.conflicts(economy.get_conflicts(rows, table, self.lang))
        self.p(get_text("source.caption", self.lang, section=section), "small")
        if table == s.INVESTMENTS:
            self.narrative(section)
        if table == s.NET_COSTS:
            waterfall = waterfall_steps.get_waterfall_frame(rows, self.lang)
            self.chart(charts.waterfall_chart(waterfall, self.lang), self.t("economy.heading.waterfall"),
                       self.t("economy.alt.waterfall", **waterfall_steps.get_waterfall_ends(waterfall, self.lang)),
                       waterfall_steps.get_waterfall_caption(waterfall, self.lang), px=640,
                       link=routes.get_statement_link(statement, economy.PART_BUDGET))
        elif table == s.INVESTMENTS:
            self.chart(charts.budget_outcome_chart(economy.get_budget_outcome_frame(rows, self.lang), self.lang),
                       self.t("economy.heading.budget"), self.t("economy.alt.budget", statement=name, year=year),
                       economy.get_result_caption(rows, table, self.lang), px=640,
                       link=routes.get_statement_link(statement, economy.PART_BUDGET))

    def comparisons(self) -> None:
        """Add the comparison figures: a table by year, each change in a sentence, and their charts."""
        self.add("#pagebreak(weak: true)")
        self.heading(self.t("pdf.section.comparisons"), 1)
        if self.missing(s.COMPARISONS):
            return
        self.link(routes.COMPARISONS)
        data = common.get_latest(self.frames[s.COMPARISONS])
        first, last = comparison.get_year_bounds(data)
        changes = comparison.calc_changes(data, None, first, last)
        measure_years = list(range(first, last + 1))
        metric_col, unit_col = self.t("comparisons.col.metric"), self.t("comparisons.col.unit")
        table = {metric_col: [], unit_col: []} | {str(y): [] for y in measure_years}
        for frame in comparison.get_metric_frames(changes):
            table[metric_col].append(frame[s.METRIC].iloc[0])
            table[unit_col].append(frame[s.UNIT].iloc[0])
            by_year = dict(zip(frame[s.MEASURE_YEAR].astype(int), frame[s.VALUE], strict=True))
            for y in measure_years:
                table[str(y)].append(comparison.format_value_number(by_year.get(y), self.lang))
        self.table(pd.DataFrame(table), right={str(y) for y in measure_years}, report_columns={metric_col})
        self.bullets([_s(comparison.format_change_caption(frame, self.lang))
                      for frame in comparison.get_metric_frames(changes)])
        self.p(get_text("source.caption", self.lang, section=common.get_section(data)), "small")
        if not self.with_charts:
            return
        self.heading(self.t("pdf.comparisons.values"), 2)
        cards = comparison.get_value_cards(changes, self.lang)
        cell_w = TEXT_WIDTH / max(len(cards), 1) - 8
        cells = []
        for card in cards:
            chart = charts.comparison_chart(card.chart_frame, s.VALUE, self.lang, height=170)
            name, _, _ = self.image(chart, 190)
            cells.append(f"[#par(strong({_s(card.title)})) #{self.figure(name, card.alt, cell_w)}]")
        self.add(f"#text(size: {CELL_SIZE}pt, grid(columns: {len(cells)}, column-gutter: 8pt, {', '.join(cells)}))")

    def checks(self) -> None:
        """Add the validation and reconciliation results."""
        self.add("#pagebreak(weak: true)")
        self.heading(self.t("pdf.section.checks"), 1)
        self.link(routes.ABOUT)
        self.p(self.t("about.check.intro"))
        self.heading(self.t("pdf.checks.validation"), 2)
        self.p(catalog.format_check_summary(self.problems, self.lang))
        if self.problems:
            self.p(self.t("about.check.problems"))
            self.view_table(catalog.get_problem_data(self.problems, self.lang))
        self.heading(self.t("about.rec.heading"), 2)
        if self.reconciliation.empty:
            self.p(self.t("about.rec.none_run"))
            return
        self.p(catalog.format_reconciliation_summary(self.reconciliation, self.lang), "strong")
        data = catalog.get_mismatch_data(self.reconciliation, self.lang)
        if data.empty:
            self.p(self.t("about.rec.none"))
            return
        self.p(self.t("about.rec.explain"))
        self.view_table(data, drop=(self.t("about.col.year"),))  # the PDF is of one year

    def about(self) -> None:
        """Add how to read the figures and the statuses, and when and by which version the report was made."""
        self.heading(self.t("pdf.section.about"), 1)
        self.heading(self.t("pdf.about.signs"), 2)
        self.bullets([_s(line) for line in catalog.get_sign_lines(self.lang)])
        self.heading(self.t("pdf.about.statuses"), 2)
        self.table(overview_views.get_status_legend(self.lang))
        self.p(self.t("pdf.about.made", made=self.made.strftime("%Y-%m-%d %H:%M"), version=self.version,
                      year=self.year), "small")


def build_report(frames: dict[str, pd.DataFrame], problems: list[Problem], reconciliation: pd.DataFrame,
                 version: str, made: datetime, built: datetime | None = None, lang: str = "sv",
                 with_charts: bool = True, font_dir: Path | None = None, app_url: str | None = None) -> bytes:
    """Return the year's report as tagged PDF/UA-1 bytes.

    ``frames`` are the loaded tables (a missing one is named in the PDF, the rest still printed), ``problems`` and
    ``reconciliation`` the data checks (ui.get_data_check), ``version`` the data's checksum
    (catalog.calc_fingerprint), ``made`` the time it is made, ``built`` when the data files were written,
    ``app_url`` the app's address with its frame parameters (get_app_url), for a link from each section to the
    same view; without it the report has no links. Raises ReportError (a Swedish message) if the fonts are missing or
    Typst cannot typeset the report (its own message goes to the log).
    """
    import typst

    message = check_fonts(font_dir, lang)
    if message:
        raise ReportError(message)
    with tempfile.TemporaryDirectory(prefix="ks-report-") as tmp:
        folder = Path(tmp)
        builder = _Builder(frames, problems, reconciliation, version, made, built, lang, with_charts, app_url, folder)
        year = builder.year
        builder.cover()
        builder.summary()
        builder.goals()
        builder.economy()
        builder.comparisons()
        builder.checks()
        builder.about()
        preamble = _preamble(get_text("pdf.title", lang, year=year), get_text("source.report", lang, year=year),
                             get_text("app.title", lang), made, lang,
                             (get_text("pdf.header", lang, year=year),
                              get_text("pdf.header.version", lang, version=version, made=made.strftime("%Y-%m-%d"))),
                             get_text("pdf.footer.source", lang, report=get_text("source.report", lang, year=year)),
                             get_text("pdf.footer.page", lang, page="\x01", pages="\x02"))
        source = _replace_missing_glyphs(preamble + "\n".join(builder.out) + "\n",
                                         get_font_coverage(str(Path(font_dir or FONT_DIR))))
        (folder / "report.typ").write_text(source, encoding="utf-8")
        # Only the given font folder: the same PDF on every server, and no font from elsewhere slips in.
        try:
            return typst.compile(str(folder / "report.typ"), root=str(folder),
                                 font_paths=[str(Path(font_dir or FONT_DIR))], ignore_system_fonts=True,
                                 pdf_standards=PDF_STANDARD)
        except (RuntimeError, OSError, ValueError) as error:  # typst.TypstError is a RuntimeError
            # The user gets a sentence they can act on; whoever runs the app gets Typst's own words in the log.
            LOG.error("Typst could not make the PDF report (%s, %s): %s", year, lang, error, exc_info=True)
            raise ReportError(get_text("export.pdf.failed", lang)) from error


def get_file_name(year) -> str:
    """Return the report's download file name: "verksamhetsberattelse-ks-2020.pdf"."""
    return f"verksamhetsberattelse-ks-{year}.pdf"
