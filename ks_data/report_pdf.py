"""The printable report of the year (PDF): cover, goals, economy, comparison figures and the data checks.

Built offline with reportlab's platypus from the same tables, view functions and charts the pages use, so the
PDF says what the app says. Every word comes from ks_data.texts (keys ``pdf.*`` and the pages' own keys) or
from the report's data; numbers go through ks_data.fmt. A4, DejaVu Sans (which has å ä ö, "−", "›" and the
status symbols ✔ ◐ ✖ ○ –), a header and a footer with the source and "Sida 3 av 12" on every page but the cover.

``build_report`` is pure apart from reading the font files; ``check_fonts`` tells in Swedish what is missing.
"""

from __future__ import annotations

import io
import re
import struct
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from ks_data import calc, catalog, charts, export, views
from ks_data import schema as s
from ks_data.errors import Problem
from ks_data.texts import get_text
from ks_data.views import comparisons as comparison
from ks_data.views import economy
from ks_data.viewtable import TKR, YEAR, format_table, get_export_header, get_formats

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
# The goals page's default margin for "near the target" (percentage points or units).
TOLERANCE = 2
# The narrative section with the report's text on the economy.
ECONOMY_SECTION = "Ekonomi"
THRESHOLD_TKR = economy.THRESHOLD_TKR[3]
CM = 28.3465
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.2 * CM, 2.6 * CM, 2.2 * CM
# Charts are rendered this wide (pixels, before the PNG scale) and drawn at most the frame's width.
CHART_PX = 800
CHART_MAX_HEIGHT = 11 * CM
MIN_TABLE_FONT = 6.8
NUMBER_COLUMN_WIDTH = 2.1 * CM
INK = "#1a1a1a"
GREY = "#5b5b5b"
RULE = "#9aa5b1"
HEADER_BG = "#e4eaf0"
SUM_BG = "#f2f5f8"
ACCENT = "#1f5f8b"
STATUS_COLORS = charts.STATUS_COLORS


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


def _register_fonts(font_dir: Path | None, lang: str) -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    message = check_fonts(font_dir, lang)
    if message:
        raise ReportError(message)
    folder = Path(font_dir or FONT_DIR)
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)


# --- text helpers ---------------------------------------------------------------------------------------------

def _x(text) -> str:
    """Return data text escaped for a reportlab Paragraph (which reads a small XML markup)."""
    return escape("" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text))


def _md(text: str) -> str:
    """Return app text with Markdown bold (**x**) as Paragraph bold, everything else escaped."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", _x(text).replace("\\", ""))


def _status_markup(status: str | None, label: str) -> str:
    """Return a status label ("✔ Uppfyllt") with its symbol in the status colour (the word carries the meaning)."""
    color = STATUS_COLORS.get(status or "none", GREY)
    symbol, _, word = label.partition(" ")
    return f'<font color="{color}">{_x(symbol)}</font> {_x(word)}'


def _paragraphs(text) -> list[str]:
    if not views.has_text(text):
        return []
    return [p.strip() for p in str(text).split("\n\n") if p.strip()]


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


class _Builder:
    """Collects the flowables of the report; one method per section."""

    def __init__(self, frames: dict[str, pd.DataFrame], problems: list[Problem], reconciliation: pd.DataFrame,
                 version: str, made: datetime, built: datetime | None, lang: str, with_charts: bool) -> None:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.frames, self.problems, self.reconciliation = frames, problems, reconciliation
        self.version, self.made, self.built, self.lang = version, made, built, lang
        self.with_charts = with_charts
        self.colors = colors
        self.year = get_year(frames) or ""
        base = ParagraphStyle("Body", fontName=FONT, fontSize=9.5, leading=13.2, textColor=INK, spaceAfter=5)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("Small", parent=base, fontSize=8.2, leading=10.8, textColor=GREY),
            "quote": ParagraphStyle("Quote", parent=base, leftIndent=10, textColor=GREY, borderPadding=0),
            "bullet": ParagraphStyle("Bullet", parent=base, leftIndent=14, bulletIndent=4, spaceAfter=2),
            "h1": ParagraphStyle("H1", parent=base, keepWithNext=1, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=4,
                                 spaceAfter=10, textColor=ACCENT),
            "h2": ParagraphStyle("H2", parent=base, keepWithNext=1, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=12,
                                 spaceAfter=5),
            "h3": ParagraphStyle("H3", parent=base, keepWithNext=1, fontName=FONT_BOLD, fontSize=9.8, leading=13, spaceBefore=7,
                                 spaceAfter=2),
            "chart_title": ParagraphStyle("ChartTitle", parent=base, fontName=FONT_BOLD, fontSize=9.8, leading=13,
                                          spaceBefore=7, spaceAfter=2),
            "cell": ParagraphStyle("Cell", parent=base, fontSize=8.3, leading=10.4, spaceAfter=0),
            "cell_bold": ParagraphStyle("CellBold", parent=base, fontName=FONT_BOLD, fontSize=8.3, leading=10.4,
                                        spaceAfter=0),
            "cell_right": ParagraphStyle("CellRight", parent=base, fontSize=8.3, leading=10.4, spaceAfter=0,
                                         alignment=TA_RIGHT),
            "cell_right_bold": ParagraphStyle("CellRightBold", parent=base, fontName=FONT_BOLD, fontSize=8.3,
                                              leading=10.4, spaceAfter=0, alignment=TA_RIGHT),
            "cover_title": ParagraphStyle("CoverTitle", parent=base, fontName=FONT_BOLD, fontSize=24, leading=30,
                                          textColor=ACCENT, spaceAfter=10),
            "cover_sub": ParagraphStyle("CoverSub", parent=base, fontSize=13, leading=17, textColor=GREY,
                                        spaceAfter=4),
            "toc": ParagraphStyle("Toc", parent=base, fontSize=10, leading=15),
        }
        self.story: list = []
        self.width = 0.0

    def t(self, key: str, **values) -> str:
        """Return the text ``key`` in the report's language."""
        return get_text(key, self.lang, **values)

    # --- building blocks ---

    def p(self, text: str, style: str = "body", markup: bool = False) -> None:
        """Add a paragraph (escaped unless ``markup``) in ``style``."""
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(text if markup else _x(text), self.styles[style]))

    def heading(self, text: str, level: int) -> None:
        """Add a heading of ``level``, listed in the contents and the PDF outline."""
        from reportlab.platypus import Paragraph

        para = Paragraph(_x(text), self.styles[f"h{level}"])
        para.toc_level = level  # read by the document to fill the contents and the PDF outline
        self.story.append(para)

    def spacer(self, height: float) -> None:
        """Add ``height`` points of space."""
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height))

    def column_widths(self, display: pd.DataFrame, markup_columns: set[str], size: float,
                      bold_rows: set[int], right: set[str]) -> list[float] | None:
        """Return column widths that fill the frame at font ``size``: no column narrower than its longest word (so
        words are not broken), short columns as wide as their text, long texts sharing the rest; None if the words
        alone are wider than the frame."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        pad = 7.5
        lows, highs = [], []
        for column in display.columns:
            cells = [(re.sub(r"<[^>]+>", "", str(v)) if column in markup_columns else str(v),
                      FONT_BOLD if i in bold_rows else FONT) for i, v in enumerate(display[column])]
            header_words = [stringWidth(w, FONT_BOLD, size) for w in re.split(r"[ \t\n]+", str(column))]
            words = [stringWidth(w, font, size) for text, font in cells for w in re.split(r"[ \t\n]+", text)]
            # Number columns get a common minimum, so amounts line up from table to table.
            low = max(header_words + words) + pad
            low = max(low, NUMBER_COLUMN_WIDTH * size / 8.3) if column in right else low
            lows.append(low)
            # A header may take two lines; the cells decide how wide a column wants to be.
            highs.append(max([stringWidth(text, font, size) for text, font in cells] + header_words + [low - pad])
                         + pad)
        if sum(lows) > self.width:
            return None
        if sum(highs) <= self.width:
            extra = self.width - sum(highs)
            return [h + extra * h / sum(highs) for h in highs]
        # Water-filling: short columns get all they want (no wrapping), long texts share what is left evenly.
        widths, room = list(lows), self.width - sum(lows)
        order = sorted(range(len(lows)), key=lambda i: highs[i] - lows[i])
        for n, i in enumerate(order):
            give = min(highs[i] - lows[i], room / (len(order) - n))
            widths[i] += give
            room -= give
        return widths

    def table(self, display: pd.DataFrame, right: set[str] | None = None, bold_rows: set[int] | None = None,
              markup_columns: set[str] | None = None):
        """Add a ruled table of a display frame (text cells), as wide as the frame, long cells wrapped; a table too
        wide for the normal size is set a little smaller rather than breaking words."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph, Table, TableStyle

        right, bold_rows, markup_columns = right or set(), bold_rows or set(), markup_columns or set()
        size = self.styles["cell"].fontSize
        col_widths = None
        while col_widths is None and size >= MIN_TABLE_FONT:
            col_widths = self.column_widths(display, markup_columns, size, bold_rows, right)
            if col_widths is None:
                size = round(size - 0.3, 1)
        if col_widths is None:
            size = MIN_TABLE_FONT
            col_widths = [self.width / len(display.columns)] * len(display.columns)
        styles = {name: ParagraphStyle(f"{name}-{size}", parent=self.styles[name], fontSize=size,
                                       leading=size * 1.25)
                  for name in ("cell", "cell_bold", "cell_right", "cell_right_bold")}

        def cell(value, column: str, bold: bool):
            style = ("cell_right" if column in right else "cell") + ("_bold" if bold else "")
            text = str(value) if column in markup_columns else _x(value)
            return Paragraph(text, styles[style])

        columns = list(display.columns)
        data = [[cell(c, c, True) for c in columns]]
        for i, row in enumerate(display.itertuples(index=False, name=None)):
            data.append([cell(v, c, i in bold_rows) for v, c in zip(row, columns, strict=True)])
        table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
        c = self.colors
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), c.HexColor(HEADER_BG)),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, c.HexColor(RULE)),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, c.HexColor(RULE)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, c.HexColor("#cfd6dd")),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, c.HexColor(RULE)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
        ]
        for i in bold_rows:
            commands += [("BACKGROUND", (0, i + 1), (-1, i + 1), c.HexColor(SUM_BG)),
                         ("LINEABOVE", (0, i + 1), (-1, i + 1), 0.6, c.HexColor(RULE))]
        table.setStyle(TableStyle(commands))
        self.story.append(table)
        self.spacer(6)
        return table

    def view_table(self, data: pd.DataFrame, bold_rows: set[int] | None = None,
                   drop: tuple[str, ...] = ()) -> None:
        """Add a typed view table (ks_data.viewtable) as printed: amounts without "tkr" under a "(tkr)" header."""
        display = format_table(data, self.lang, units_in_header=True)
        display = display[[c for c in display.columns if c not in drop]]
        numeric = {get_export_header(name, column, self.lang) if column.kind == TKR else name
                   for name, column in get_formats(data).items() if column.kind != YEAR}
        self.table(display, right=numeric & set(display.columns), bold_rows=bold_rows)

    def chart(self, chart, title: str, caption: str | None = None, width: float | None = None,
              px: int = CHART_PX) -> None:
        """Add a chart under a heading, kept on one page, as an image (rendered offline with the chart's Swedish
        locale) with an optional caption."""
        if not self.with_charts:
            return
        from reportlab.platypus import Image, KeepTogether, Paragraph

        png = export.write_chart_png(chart, width=px)
        w_px, h_px = _png_size(png)
        draw_w = min(width or self.width, self.width)
        draw_h = draw_w * h_px / w_px
        if draw_h > CHART_MAX_HEIGHT:
            draw_w, draw_h = draw_w * CHART_MAX_HEIGHT / draw_h, CHART_MAX_HEIGHT
        image = Image(io.BytesIO(png), width=draw_w, height=draw_h, hAlign="LEFT")
        # Kept together as one block; a heading's keepWithNext inside a KeepTogether would push it a page on.
        parts = [Paragraph(_x(title), self.styles["chart_title"]), image]
        if caption:
            parts.append(Paragraph(_x(caption), self.styles["small"]))
        self.story.append(KeepTogether(parts))
        self.spacer(8)

    def missing(self, table: str) -> bool:
        """Return whether ``table`` has no rows, after saying so in the report."""
        if table in self.frames and len(self.frames[table]):
            return False
        self.p(self.t("pdf.missing_table", table=catalog.get_table_name(table, self.lang)), "small")
        return True

    def narrative(self, section: str) -> None:
        """Add the report's running text of ``section``: paragraphs, bullets and footnotes."""
        df = self.frames.get(s.NARRATIVE)
        if df is None:
            return
        rows = views.get_latest(df)
        rows = rows[rows[s.SECTION] == section].sort_values(s.POSITION)
        for _, r in rows.iterrows():
            if r[s.KIND] == "bullet":
                self.p(_x(r[s.TEXT]), "bullet", markup=True)
                self.story[-1].bulletText = "•"
            elif r[s.KIND] == "footnote":
                self.p(r[s.TEXT], "small")
            else:
                self.p(r[s.TEXT])

    # --- sections ---

    def cover(self) -> None:
        """Add the cover (title, when and from which data the report was made) and the contents."""
        from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle
        from reportlab.platypus.tableofcontents import TableOfContents

        c = self.colors
        self.spacer(2.2 * CM)
        self.p(self.t("pdf.org"), "cover_sub")
        self.spacer(0.4 * CM)
        self.p(self.t("pdf.title", year=self.year), "cover_title")
        self.p(self.t("pdf.subtitle"), "cover_sub")
        self.spacer(0.8 * CM)
        report = get_text("source.report", self.lang, year=self.year)
        facts = [(self.t("pdf.cover.made"), self.made.strftime("%Y-%m-%d %H:%M")),
                 (self.t("pdf.cover.version"), self.t("pdf.cover.version.value", version=self.version))]
        if self.built:
            facts.append((self.t("pdf.cover.built"), self.built.strftime("%Y-%m-%d %H:%M")))
        facts.append((self.t("pdf.cover.source"), report))
        fact_table = Table([[Paragraph(_x(k), self.styles["cell_bold"]), Paragraph(_x(v), self.styles["cell"])]
                            for k, v in facts], colWidths=[3.6 * CM, self.width - 3.6 * CM], hAlign="LEFT")
        fact_table.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, c.HexColor(RULE)),
                                        ("LINEBELOW", (0, -1), (-1, -1), 0.8, c.HexColor(RULE)),
                                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        self.story.append(fact_table)
        self.spacer(0.7 * CM)
        self.glance()
        self.spacer(0.4 * CM)
        self.p(self.t("pdf.cover.note"), "small")
        self.spacer(0.4 * CM)
        self.p(self.t("pdf.cover.contents"), "h2")
        toc = TableOfContents()
        toc.levelStyles = [self.styles["toc"]]
        toc.dotsMinLevel = 0
        self.story.append(toc)
        self.story.append(PageBreak())

    def glance(self) -> None:
        """The year at a glance, as on Översikt: net result against budget, goals by status, investments."""
        from reportlab.platypus import Paragraph, Table, TableStyle

        cells = []
        if s.OPERATING in self.frames:
            result = views.get_result_summary(self.frames[s.OPERATING], self.lang)
            if result:
                cells.append([self.t("overview.result"), f"<b>{_x(result['delta'])}</b>", _x(result["sentence"]),
                              _x(self.t("overview.budget_was", budget=result["budget"]))])
        if s.GOALS in self.frames:
            lines = [_md(line) for line in views.get_status_count_lines(self.frames[s.GOALS], self.lang)]
            cells.append([self.t("overview.goals"), *lines])
        if s.INVESTMENTS in self.frames:
            inv = views.get_investment_summary(self.frames[s.INVESTMENTS], self.lang)
            if inv:
                cells.append([self.t("overview.investments"), f"<b>{_x(inv['value'])}</b>", _x(inv["sentence"])])
        if not cells:
            return
        self.p(self.t("pdf.cover.glance"), "h2")
        columns = [[Paragraph(_x(title), self.styles["cell_bold"])] + [Paragraph(x, self.styles["cell"]) for x in rest]
                   for title, *rest in cells]
        box = Table([columns], colWidths=[self.width / len(columns)] * len(columns), hAlign="LEFT")
        c = self.colors
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, c.HexColor(RULE)),
                                 ("INNERGRID", (0, 0), (-1, -1), 0.6, c.HexColor(RULE)),
                                 ("BACKGROUND", (0, 0), (-1, -1), c.HexColor(SUM_BG)),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        self.story.append(box)

    def summary(self) -> None:
        """Add the report's own summary text."""
        df = self.frames.get(s.NARRATIVE)
        if df is None or not (df[s.SECTION] == views.SUMMARY_SECTION).any():
            return
        self.heading(self.t("pdf.section.summary"), 1)
        self.narrative(views.SUMMARY_SECTION)

    def goals(self) -> None:
        """Add the goals: their statuses, then each goal with its indicators and texts."""
        from reportlab.platypus import CondPageBreak, PageBreak

        self.story.append(PageBreak())
        self.heading(self.t("pdf.section.goals"), 1)
        if self.missing(s.GOALS) or self.missing(s.INDICATORS):
            return
        goals = views.get_latest(self.frames[s.GOALS])
        indicators = calc.calc_indicator_statuses(views.get_latest(self.frames[s.INDICATORS]), TOLERANCE)
        statuses = calc.calc_goal_statuses(goals, views.get_latest(self.frames[s.INDICATORS]), TOLERANCE)
        self.p(self.t("pdf.goals.intro", tolerance=TOLERANCE))
        self.p(self.t("pdf.goals.overview"), "h3")
        overview = views.get_goal_overview(statuses, self.lang)
        assessment, computed = self.t("col.assessment"), self.t("col.computed")
        overview[assessment] = [_status_markup(a, label) for a, label in
                                zip(statuses[s.ASSESSMENT], overview[assessment], strict=True)]
        overview[computed] = [_status_markup(st, label) for st, label in
                              zip(statuses[calc.COMPUTED_STATUS], overview[computed], strict=True)]
        self.table(overview, markup_columns={assessment, computed})
        self.p(get_text("source.caption", self.lang, section=views.get_section(goals)), "small")
        for _, goal in statuses.iterrows():
            self.story.append(CondPageBreak(6 * CM))
            self.goal(goal, views.get_goal_indicators(indicators, goal[s.GOAL_ID]))

    def goal(self, goal: pd.Series, goal_ind: pd.DataFrame) -> None:
        """Add one goal: its definition, assessments, indicator tables and its comment, analysis and action texts."""
        from reportlab.platypus import Paragraph, Table, TableStyle

        self.heading(f"{goal[s.GOAL_ID]} {goal[s.TITLE]}", 2)
        if views.has_text(goal[s.DEFINITION]):
            self.p(f"<b>{_x(self.t('goals.definition'))}:</b> {_x(goal[s.DEFINITION])}", markup=True)
        rows = [
            (self.t("goals.report_assessment"), _status_markup(goal[s.ASSESSMENT],
                                                               views.format_status(goal[s.ASSESSMENT], self.lang))),
            (self.t("goals.computed_status"),
             _status_markup(goal[calc.COMPUTED_STATUS], views.format_status(goal[calc.COMPUTED_STATUS], self.lang))
             + f" – {_x(views.get_rule_text(goal, self.lang))}"),
        ]
        box = Table([[Paragraph(_x(k), self.styles["cell_bold"]), Paragraph(v, self.styles["cell"])] for k, v in rows],
                    colWidths=[4.4 * CM, self.width - 4.4 * CM], hAlign="LEFT")
        box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), self.colors.HexColor(SUM_BG)),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        self.story.append(box)
        self.spacer(4)
        if goal[calc.DISAGREES]:
            self.p(self.t("goals.disagree"), "small")
        if views.has_text(goal[s.ASSESSMENT_TEXT]):
            self.p(self.t("goals.assessment_quote", text=goal[s.ASSESSMENT_TEXT]), "quote")
        targeted = views.get_with_target(goal_ind)
        if not targeted.empty:
            self.p(self.t("goals.indicators"), "h3")
            data = views.get_indicator_data(targeted, self.lang)
            display = format_table(data, self.lang)
            status_col = self.t("col.status")
            display[status_col] = [_status_markup(st, label) for st, label in
                                   zip(targeted[calc.STATUS], display[status_col], strict=True)]
            keep = [self.t(k) for k in ("col.indicator", "col.measured", "col.target", "col.gap", "col.status",
                                        "col.period")]
            self.table(display[keep], right={self.t("col.measured"), self.t("col.gap")}, markup_columns={status_col})
        others = views.get_without_target(goal_ind)
        if not others.empty:
            self.p(self.t("pdf.goals.others"), "h3")
            data = views.get_indicator_data(others, self.lang)
            measured = self.t("col.measured")
            in_words = any(isinstance(v, str) for v in data[measured])  # values the report gives only in words
            display = format_table(data, self.lang)
            keep = [self.t(k) for k in ("col.indicator", "col.measured", "col.period", "col.note")]
            self.table(display[keep], right=set() if in_words else {measured})
        if goal_ind.empty:
            self.p(self.t("goals.indicators.none"), "small")
        for key, column in (("goals.comment", s.COMMENT), ("goals.analysis", s.ANALYSIS), ("goals.action", s.ACTION)):
            self.p(self.t(key), "h3")
            paragraphs = _paragraphs(goal[column])
            if not paragraphs:
                self.p(self.t("goals.no_text"), "small")
            for para in paragraphs:
                self.p(para)

    def economy(self) -> None:
        """Add the three statements: each one's table and captions, the waterfall and the investments' budget chart."""
        from reportlab.platypus import PageBreak

        self.story.append(PageBreak())
        self.heading(self.t("pdf.section.economy"), 1)
        self.narrative(ECONOMY_SECTION)
        self.p(self.t("pdf.economy.amounts"), "small")
        for table in economy.STATEMENTS.values():
            if table not in self.frames or self.frames[table].empty:
                self.heading(catalog.get_table_name(table, self.lang), 2)
                self.missing(table)
                continue
            self.statement(table)

    def statement(self, table: str) -> None:
        """One economy statement: its table as printed, the result sentence, its text and its chart."""
        from reportlab.platypus import CondPageBreak

        rows = economy.get_statement_rows(self.frames[table], table, THRESHOLD_TKR, False, self.lang)
        section = views.get_section(rows)
        self.story.append(CondPageBreak(7 * CM))
        self.heading(section.split(" › ")[-1], 2)
        self.p(economy.get_sign_text(table, self.lang), "small")
        data = economy.get_statement_data(rows, table, THRESHOLD_TKR, False, self.lang)
        beyond = [c for c in data.columns if c == self.t("economy.col.beyond",
                                                         threshold=economy.format_threshold(THRESHOLD_TKR, False,
                                                                                            self.lang))]
        bold = {i for i, kind in enumerate(rows[s.ROW_KIND]) if kind == "summa"}
        self.view_table(data, bold_rows=bold, drop=tuple(beyond))
        note = economy.get_prev_year_note(rows, self.lang)
        if note:
            self.p(note, "small")
        self.p(economy.get_result_caption(rows, table, self.lang))
        self.p(get_text("source.caption", self.lang, section=section), "small")
        if table == s.INVESTMENTS:
            self.narrative(section)
        if table == s.NET_COSTS:
            waterfall = economy.get_waterfall_frame(rows, self.lang)
            self.chart(charts.waterfall_chart(waterfall, self.lang), self.t("economy.heading.waterfall"),
                       economy.get_waterfall_caption(waterfall, self.lang), px=640)
        elif table == s.INVESTMENTS:
            self.chart(charts.budget_outcome_chart(economy.get_budget_outcome_frame(rows, self.lang), self.lang),
                       self.t("economy.heading.budget"), px=640)

    def comparisons(self) -> None:
        """Add the comparison figures: a table by year, each change in a sentence, and their charts."""
        from reportlab.platypus import PageBreak, Table, TableStyle

        self.story.append(PageBreak())
        self.heading(self.t("pdf.section.comparisons"), 1)
        if self.missing(s.COMPARISONS):
            return
        data = views.get_latest(self.frames[s.COMPARISONS])
        first, last = comparison.get_year_bounds(data)
        changes = comparison.calc_changes(data, None, first, last)
        years = list(range(first, last + 1))
        metric_col, unit_col = self.t("comparisons.col.metric"), self.t("comparisons.col.unit")
        table = {metric_col: [], unit_col: []} | {str(y): [] for y in years}
        for frame in comparison.get_metric_frames(changes):
            table[metric_col].append(frame[s.METRIC].iloc[0])
            table[unit_col].append(frame[s.UNIT].iloc[0])
            by_year = dict(zip(frame[s.MEASURE_YEAR].astype(int), frame[s.VALUE], strict=True))
            for y in years:
                table[str(y)].append(comparison.format_value_number(by_year.get(y), self.lang))
        self.table(pd.DataFrame(table), right={str(y) for y in years})
        for frame in comparison.get_metric_frames(changes):
            self.p(comparison.format_change_caption(frame, self.lang), "bullet")
            self.story[-1].bulletText = "•"
        self.p(get_text("source.caption", self.lang, section=views.get_section(data)), "small")
        if not self.with_charts:
            return
        from reportlab.platypus import Image, Paragraph

        self.p(self.t("pdf.comparisons.values"), "h3")
        cells = []
        frames = comparison.get_metric_frames(changes)
        cell_w = self.width / max(len(frames), 1)
        for frame in frames:
            chart = charts.comparison_chart(comparison.get_chart_frame(frame, False, self.lang), s.VALUE, self.lang,
                                            height=170)
            png = export.write_chart_png(chart, width=190)
            w_px, h_px = _png_size(png)
            draw_w = cell_w - 8
            cells.append([Paragraph(f"<b>{_x(frame[s.METRIC].iloc[0])}</b>", self.styles["cell"]),
                          Image(io.BytesIO(png), width=draw_w, height=draw_w * h_px / w_px)])
        grid = Table([[c[0] for c in cells], [c[1] for c in cells]], colWidths=[cell_w] * len(cells), hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        self.story.append(grid)

    def checks(self) -> None:
        """Add the validation and reconciliation results."""
        from reportlab.platypus import PageBreak

        self.story.append(PageBreak())
        self.heading(self.t("pdf.section.checks"), 1)
        self.p(self.t("about.check.intro"))
        self.p(self.t("pdf.checks.validation"), "h2")
        self.p(catalog.format_check_summary(self.problems, self.lang))
        if self.problems:
            self.p(self.t("about.check.problems"))
            data = catalog.get_problem_data(self.problems, self.lang)
            self.view_table(data)
        self.p(self.t("about.rec.heading"), "h2")
        if self.reconciliation.empty:
            self.p(self.t("about.rec.none_run"))
            return
        self.p(f"<b>{_x(catalog.format_reconciliation_summary(self.reconciliation, self.lang))}</b>", markup=True)
        data = catalog.get_mismatch_data(self.reconciliation, self.lang)
        if data.empty:
            self.p(self.t("about.rec.none"))
            return
        self.p(self.t("about.rec.explain"))
        self.view_table(data, drop=(self.t("about.col.year"),))  # the PDF is of one year

    def about(self) -> None:
        """Add how to read the figures and the statuses, and when and by which version the report was made."""
        from reportlab.platypus import CondPageBreak

        self.story.append(CondPageBreak(8 * CM))
        self.heading(self.t("pdf.section.about"), 1)
        self.p(self.t("pdf.about.signs"), "h3")
        for line in catalog.get_sign_lines(self.lang):
            self.p(line, "bullet")
            self.story[-1].bulletText = "•"
        self.p(self.t("pdf.about.statuses"), "h3")
        legend = views.get_status_legend(self.lang)
        self.table(legend)
        self.p(self.t("pdf.about.made", made=self.made.strftime("%Y-%m-%d %H:%M"), version=self.version,
                      year=self.year), "small")


def _make_doc(buffer: io.BytesIO, builder: _Builder, title: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable) -> None:
            level = getattr(flowable, "toc_level", None)
            if level is None:
                return
            text = flowable.getPlainText()
            key = f"h{level}-{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level - 1, closed=level > 1)
            if level == 1:
                self.notify("TOCEntry", (0, text, self.page, key))

    doc = Doc(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
              bottomMargin=MARGIN_BOTTOM, title=title, author=get_text("app.title", builder.lang),
              subject=get_text("source.report", builder.lang, year=builder.year),
              creator=get_text("app.title", builder.lang), lang="sv-SE" if builder.lang == "sv" else "en")
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="body", frames=[frame])])
    builder.width = doc.width
    return doc


def _canvas_maker(header_left: str, header_right: str, footer_left: str, page_text, lang: str):
    """Return a canvas class that draws header and footer once the page count is known ("Sida 3 av 12")."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            self.setStrokeColor(colors.HexColor(RULE))
            self.setLineWidth(0.5)
            self.setFillColor(colors.HexColor(GREY))
            if page > 1:
                self.setFont(FONT, 7.8)
                y = height - MARGIN_TOP + 0.9 * CM
                self.drawString(MARGIN_X, y, header_left)
                self.drawRightString(width - MARGIN_X, y, header_right)
                self.line(MARGIN_X, y - 4, width - MARGIN_X, y - 4)
            self.setFont(FONT, 7.8)
            y = MARGIN_BOTTOM - 1.0 * CM
            self.line(MARGIN_X, y + 9, width - MARGIN_X, y + 9)
            self.drawString(MARGIN_X, y, footer_left)
            self.drawRightString(width - MARGIN_X, y, page_text(page, total))
            self.restoreState()

    return NumberedCanvas


def build_report(frames: dict[str, pd.DataFrame], problems: list[Problem], reconciliation: pd.DataFrame,
                 version: str, made: datetime, built: datetime | None = None, lang: str = "sv",
                 with_charts: bool = True, font_dir: Path | None = None) -> bytes:
    """Return the year's report as PDF bytes.

    ``frames`` are the loaded tables (a missing one is named in the PDF, the rest still printed), ``problems`` and
    ``reconciliation`` the data checks (ui.get_data_check), ``version`` the data's checksum
    (catalog.calc_fingerprint), ``made`` the time it is made, ``built`` when the data files were written.
    Raises ReportError (a Swedish message) if the fonts are missing.
    """
    _register_fonts(font_dir, lang)
    builder = _Builder(frames, problems, reconciliation, version, made, built, lang, with_charts)
    title = get_text("pdf.title", lang, year=builder.year)
    buffer = io.BytesIO()
    doc = _make_doc(buffer, builder, title)
    builder.cover()
    builder.summary()
    builder.goals()
    builder.economy()
    builder.comparisons()
    builder.checks()
    builder.about()
    maker = _canvas_maker(get_text("pdf.header", lang, year=builder.year),
                          get_text("pdf.header.version", lang, version=version, made=made.strftime("%Y-%m-%d")),
                          get_text("pdf.footer.source", lang, report=get_text("source.report", lang, year=builder.year)),
                          lambda page, total: get_text("pdf.footer.page", lang, page=page, pages=total), lang)
    doc.multiBuild(builder.story, canvasmaker=maker)
    return buffer.getvalue()


def get_year(frames: dict[str, pd.DataFrame]) -> int | None:
    """Return the report year: the latest year of the goals (else the operating statement, the comparisons)."""
    return next((views.get_latest_year(frames[t]) for t in (s.GOALS, s.OPERATING, s.COMPARISONS)
                 if t in frames and len(frames[t])), None)


def get_file_name(year) -> str:
    """Return the report's download file name: "verksamhetsberattelse-ks-2020.pdf"."""
    return f"verksamhetsberattelse-ks-{year}.pdf"
