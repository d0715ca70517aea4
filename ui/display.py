"""Drawing a page's content: titles and sources, rows and cards, charts (made by ui.chart) with their table twins and
downloads, view tables, texts from the data, and status badges."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from ks_data import catalog, years
from ks_data.check import MAX_TEXT_CHARS
from ks_data.markup import escape_inline, escape_markdown, get_badge_color
from ks_data.outputs import export, report_pdf
from ks_data.viewtable import format_html_table, format_table, is_typed
from ui.cache import SHOWN_TABLES, get_data_check, get_data_folder
from ui.chart import ChartSpec
from ui.data import get_loaded_tables, get_year_frames
from ui.state import get_lang, get_share_url, t

# Key of the list of goal cards on Mål och styrtal (the document's style aligns the cards' text by it).
GOAL_LIST_KEY = "ks_goal_list"
# A card keeps room for a small chart: at 1024 px with the menu open, three cards in a row squeezed each chart's
# year labels and values on top of each other; 16rem.
CARD_MIN_WIDTH_PX = 256
# Key of ui.split_row; its parts are keyed with _side and _main after it (the document's style places them by it).
SPLIT_KEY = "ks_split"
# A chart with a phone layout of its own (show_chart's ``narrow``): both stand in one box; document.css shows the
# phone's where the box is under 560 px wide (charts.NARROW_CONTAINER), the wide one elsewhere.
DUAL_PREFIX, WIDE_PREFIX, NARROW_PREFIX = "ks_dual_", "ks_wide_", "ks_narrow_"
# Key prefix of a chart's "table and downloads" expander (tests open them through the session state).
MORE_PREFIX = "ks_more_"
# Class of text read by screen readers but not shown (the usual clip pattern; see ui/assets/document.css).
SR_ONLY = "ks-sr-only"
SMALL_TABLE_ROWS = 40
MAX_PARAGRAPHS = 50


def show_title(title_key: str, intro_key: str | None = None) -> None:
    """Show the page title and its one-line introduction."""
    st.title(t(title_key))
    if intro_key:
        st.markdown(t(intro_key))


def show_source(section: str) -> None:
    """Show where the figures come from: "Källa: Ekonomi › Driftredovisning"."""
    st.caption(t("source.caption", section=escape_markdown(section)))


def show_status_badge(status: str | None, label: str) -> None:
    """Show a status as a coloured badge that also carries a symbol and a word (never colour alone)."""
    st.badge(label, color=get_badge_color(status))


def card_row(columns: int):
    """Return a grid for ui.card: up to ``columns`` framed cards side by side, each at least 16rem wide and as high as
    the highest in its row, on fewer columns (one under the other on a phone) where the main area is narrower."""
    # st.grid takes 1 to 24 columns; a view with no card (a broken table) still gets its row.
    return st.grid(min(max(columns, 1), 24), min_column_width=CARD_MIN_WIDTH_PX, gap="medium", border=True)


def figure_row():
    """Return a row for key-figure cards (st.metric with border): each as wide as its figure needs, wrapping onto more
    lines where the screen is narrow, so two short figures still stand side by side on a phone."""
    return st.container(horizontal=True, gap="medium")


def widget_row():
    """Return a row for a part's widgets, aligned at the bottom: each widget keeps the width its label needs and the
    row wraps where the screen is narrow (in columns, "Visa som index" was cut to "Visa som …" at 1024 px)."""
    return st.container(horizontal=True, gap="medium", vertical_alignment="bottom")


def card(row, *, wide: bool = False):
    """Return the next card of the card_row ``row``: one column of it, or two if ``wide`` (one where only one fits)."""
    return row.cell(column_span=2 if wide else 1)


def split_row():
    """Return (side, main): a list's part (a third, at least 16rem) beside what was opened from it (two thirds, at least
    36rem or the whole width); on a narrow screen the opened part comes first, above the list."""
    row = st.container(horizontal=True, gap="large", key=SPLIT_KEY)
    return row.container(key=f"{SPLIT_KEY}_side"), row.container(key=f"{SPLIT_KEY}_main")


@dataclass(frozen=True)
class TableTwin:
    """A chart's table for ui.show_chart that is more than the chart's data (e.g. the statement as in the report): its
    own download file name, its name for screen readers and a note shown under it (text from the data)."""

    data: pd.DataFrame
    download_name: str
    alt: str | None = None
    note: str | None = None


def show_chart(chart, alt_text: str, caption: str, table: pd.DataFrame | TableTwin | None = None,
               key: str | None = None, download_name: str | None = None, label: str | None = None,
               rows: Sequence[tuple[ChartSpec, str]] = (), narrow: ChartSpec | None = None) -> None:
    """Show a chart (an Altair chart, or better a ui.get_chart) with its text alternative, a one-sentence caption and,
    in an expander made when opened, an optional table twin (with its own CSV and Excel downloads) and PNG and SVG
    downloads. ``download_name`` (default: ``key``) names the files; the expander is keyed by ``key`` (else by the
    files). ``table`` is the chart's data as a view table, or a TableTwin.

    A chart redrawn by a widget gets a ``label`` that stays the same while its data change: the chart is then named by
    the label, and ``alt_text`` is read by screen readers right after it, in the caption (hidden from view).

    With ``rows`` ((chart, text alternative) pairs, e.g. charts.target_row_chart), the page shows those one under the
    other, each stretched to the column, and ``chart`` (their rows stacked in one) is what the files hold.

    ``narrow`` (a ui.get_chart) is the chart as a phone shows it, where one spec cannot serve both (a chart's rows have
    one height, so names broken onto lines need a chart of their own); the files hold ``chart``."""
    # Streamlit's frontend embeds a chart anew (30-40 ms) whenever its text alternative changes, instead of swapping
    # in the new data: a text alternative that describes the data would rebuild the chart on every widget change.
    shown_alt = t("chart.label", label=label) if label else alt_text
    if rows:
        for i, (row, row_alt) in enumerate(rows):
            _draw_spec(row, row_alt, f"{key}_row_{i}" if key else None)
    elif isinstance(chart, ChartSpec) and narrow is not None and key:
        with st.container(key=f"{DUAL_PREFIX}{key}"):
            with st.container(key=f"{WIDE_PREFIX}{key}"):
                _draw_spec(chart, shown_alt, key)
            with st.container(key=f"{NARROW_PREFIX}{key}"):
                _draw_spec(narrow, shown_alt, f"{key}_narrow")
    elif isinstance(chart, ChartSpec):
        _draw_spec(chart, shown_alt, key)
    else:
        st.altair_chart(chart, alt=shown_alt, key=key)
    if label:
        st.caption(f'{escape_inline(caption)} <span class="{SR_ONLY}">{escape_inline(alt_text)}</span>',
                   unsafe_allow_html=True)
    else:
        st.caption(escape_markdown(caption))  # captions name rows and metrics from the data
    name = download_name or key
    if not name:  # nothing to name the files and the expander by
        return
    # Keyed by the chart, not its files: a table opened under a chart stays open when a widget gives it other data.
    with _made_when_open(t("chart.more" if table is not None else "chart.files"), key or name) as more:
        if more.open:
            if table is not None:
                _show_twin(table if isinstance(table, TableTwin) else TableTwin(table, f"{name}-tabell"))
            show_chart_downloads(chart, name)


def _draw_spec(chart: ChartSpec, alt_text: str, key: str | None) -> None:
    # No deep copy (~0.5 ms a chart on every run): get_chart's spec is already this caller's own (the cache unpickles
    # one per call), and Streamlit copies the top level before it takes the datasets out.
    st.vega_lite_chart(chart.spec, alt=alt_text, key=key)


def show_table_twin(df: pd.DataFrame, download_name: str, label: str | None = None, note: str | None = None,
                    key: str | None = None) -> None:
    """Show a table twin of what is drawn above it (e.g. a list of cards) under ``label`` (default "Visa som tabell"),
    with a ``note`` under it and its CSV and Excel downloads, all made only while the expander is open. ``key``
    (default: the file name) names the expander: give one when the file name follows the widgets, so an opened table
    stays open when they change."""
    with _made_when_open(label or t("table.twin"), key or download_name) as more:
        if more.open:
            _show_twin(TableTwin(df, download_name, note=note))


def _show_twin(twin: TableTwin) -> None:
    show_table(twin.data, alt=twin.alt)
    if twin.note:  # right under the table whose columns it explains
        st.caption(escape_markdown(twin.note))
    show_table_downloads(twin.data, twin.download_name)


def _made_when_open(label: str, name: str):
    # An expander whose content the caller makes only while it is open (.open): drawn closed on every run, a chart's
    # table and files were 8 of a page's elements, which the browser re-applied on every widget change.
    return st.expander(label, key=f"{MORE_PREFIX}{name}", on_change="rerun")


def show_chart_downloads(chart, name: str) -> None:
    """Offer the chart (an Altair chart or a ui.get_chart) as PNG and SVG, rendered offline (vl-convert) only when the
    user clicks."""
    png, svg = export.get_file_name(name, "png"), export.get_file_name(name, "svg")

    def get_altair():
        return chart.build() if isinstance(chart, ChartSpec) else chart

    with st.container(horizontal=True, gap="small"):
        st.download_button(t("export.png"), lambda: export.write_chart_png(get_altair()), file_name=png,
                           mime=export.PNG_MIME, on_click="ignore", key=f"dl_png_{png}", help=t("export.png.help", file=png))
        st.download_button(t("export.svg"), lambda: export.write_chart_svg(get_altair()), file_name=svg,
                           mime=export.SVG_MIME, on_click="ignore", key=f"dl_svg_{svg}", help=t("export.svg.help", file=svg))


def show_table_downloads(df: pd.DataFrame, name: str) -> None:
    """Offer exactly this table (the typed view: numbers as numbers) as CSV and Excel, written only when clicked."""
    lang = get_lang()
    csv, xlsx = export.get_file_name(name, "csv"), export.get_file_name(name, "xlsx")
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("export.csv"), lambda: export.write_csv(df, lang), file_name=csv, mime=export.CSV_MIME,
                           on_click="ignore", key=f"dl_csv_{csv}", help=t("export.csv.help", file=csv))
        st.download_button(t("export.xlsx"), lambda: export.write_xlsx(df, name, lang), file_name=xlsx,
                           mime=export.XLSX_MIME, on_click="ignore", key=f"dl_xlsx_{xlsx}",
                           help=t("export.xlsx.help", file=xlsx))


class ReportOutcome:
    """How this session's PDF reports went: each is made in Streamlit's download thread, and the run that follows the
    click waits for it (``wait_for``), so a report that could not be made is told at once, beside its button."""

    def __init__(self) -> None:
        self._done = threading.Condition()
        self.asked = self.made = 0
        self.message: str | None = None

    def run(self, build: Callable[[], bytes]) -> bytes:
        """Return ``build()``; a ReportError's message is kept for the page, and the error raised on."""
        message = None
        try:
            return build()
        except report_pdf.ReportError as error:
            message = str(error)
            raise
        finally:
            with self._done:
                self.made, self.message = self.made + 1, message
                self._done.notify_all()

    def wait_for(self, timeout: float) -> None:
        """Wait until the report asked for by this run's click is made (at most ``timeout`` s)."""
        with self._done:
            self.asked += 1
            self._done.wait_for(lambda: self.made >= self.asked, timeout)


REPORT_OUTCOME = "_ks_report_outcome"
# The longest a run after a click waits for its report (s): it takes a few seconds; the download goes on regardless.
REPORT_WAIT_S = 120


def show_report_download(key: str) -> None:
    """Offer the printable PDF report of the year, made offline when the user clicks (takes a few seconds);
    without its fonts, say in Swedish what to install instead, and if it could not be made, say so beside it."""
    lang = get_lang()
    missing = report_pdf.check_fonts(lang=lang)
    if missing:
        st.warning(missing)
        return
    frames = get_year_frames(get_loaded_tables())
    problems, reconciliation = get_data_check()
    folder = get_data_folder()
    # The app's address as this browser has it (with language and year): each section of the PDF links to its view.
    app_url = get_share_url("overview", {})
    outcome = st.session_state.setdefault(REPORT_OUTCOME, ReportOutcome())
    if st.session_state.get(key):  # this run follows a click: the file is being made meanwhile, in another thread
        with st.spinner(t("export.pdf.making")):
            outcome.wait_for(REPORT_WAIT_S)

    def make() -> bytes:
        return outcome.run(lambda: report_pdf.build_report(
            frames, problems, reconciliation, catalog.calc_fingerprint(folder.files), datetime.now(), folder.modified,
            lang, app_url=app_url))

    if outcome.message:
        # Streamlit's own words under the button ("Failed to generate file for download") are English and say nothing
        # of what still works; the detail is in the log (report_pdf).
        st.error(outcome.message)
    # A click reruns the page, which waits for the report above and so can tell at once if it failed.
    st.download_button(t("export.pdf"), make, file_name=report_pdf.get_file_name(years.get_report_year(frames)),
                       mime=export.PDF_MIME, on_click="rerun", key=key, help=t("export.pdf.help"))
    st.caption(t("export.pdf.caption"))


def show_table(df: pd.DataFrame, download_name: str | None = None, alt: str | None = None) -> None:
    """Show a view table: small ones as a static, readable table named ``alt`` for screen readers, large ones
    scrollable; with ``download_name``, offer exactly this table as CSV and Excel.

    A typed view table (ks_data.viewtable: numbers plus column formats) is formatted here for the screen, and its
    numbers go unformatted into the downloads; a plain table of text is shown and downloaded as it is.
    """
    lang = get_lang()
    if len(df) <= SMALL_TABLE_ROWS:
        # One HTML element (escaped by format_html_table), not st.table: st.table draws every header and cell as a
        # Markdown element of its own, ~1 ms each on every redraw (~45 ms of an activity filter change).
        st.html(get_table_html(df, lang, alt))
    else:
        st.dataframe(get_shown_table(df, lang), hide_index=True, width="stretch")
    if download_name:
        show_table_downloads(df, download_name)


def get_table_html(df: pd.DataFrame, lang: str, alt: str | None = None) -> str:
    """Return a small view table as ui.show_table shows it (viewtable.format_html_table), made once per process for
    each table, language and name: formatting every cell in Python took 5-30 ms a run."""
    return SHOWN_TABLES.call(format_html_table, (df, lang, alt), {})


def get_shown_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a large view table as ui.show_table shows it (st.dataframe: plain text cells), formatted once per
    process for each table and language."""
    return SHOWN_TABLES.call(_format_shown_table, (df, lang), {})


def _format_shown_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return format_table(df, lang) if is_typed(df) else df


def show_text(text: str | None, max_chars: int = MAX_TEXT_CHARS) -> None:
    """Show a text from the data inertly (st.text: no HTML, no Markdown), paragraphs kept; overly long texts are
    shortened (validation warns about texts over check.MAX_TEXT_CHARS)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        st.markdown(f"*{t('goals.no_text')}*")
        return
    text = str(text)
    shortened = len(text) > max_chars
    paragraphs = [para for para in text[:max_chars].split("\n\n") if para.strip()]
    # Many paragraphs stay few elements: the rest share the last one.
    for para in paragraphs[:MAX_PARAGRAPHS - 1] + ["\n\n".join(paragraphs[MAX_PARAGRAPHS - 1:])]:
        if para:
            st.text(para)
    if shortened:
        st.caption(t("text.truncated", n=len(text)))


def show_bullets(lines: Iterable[str], escape: bool = True) -> None:
    """Show ``lines`` as one bulleted list (one element); each line escaped as text unless it is the app's own
    Markdown (``escape=False``)."""
    st.markdown("\n".join(f"- {escape_markdown(line) if escape else line}" for line in lines))


def show_conflicts(conflicts: list[dict[str, str]]) -> None:
    """Show each place where the report contradicts itself (views.get_indicator_conflicts, economy.get_conflicts):
    its figures and its words side by side, under one heading; nothing when there is none."""
    if not conflicts:
        return
    st.subheader(t("conflict.heading"), anchor=False)
    st.caption(t("conflict.intro"))
    for conflict in conflicts:
        figures, words = st.columns(2, border=True)
        with figures:
            st.markdown(f"**{escape_markdown(conflict['figures_title'])}**")
            show_text(conflict["figures"])
        with words:
            st.markdown(f"**{escape_markdown(conflict['text_title'])}**")
            show_text(t("goals.assessment_quote", text=conflict["text"]))
