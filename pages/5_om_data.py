"""Om data: where every table comes from, the data dictionary, downloads, and the validation and reconciliation results."""

import streamlit as st

import ui
from ks_data import routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.ABOUT)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
catalog, dictionary = ui.views.catalog, ui.views.dictionary
SHOW_STATUS = {catalog.STATUS_ERROR: st.error, catalog.STATUS_WARNING: st.warning, catalog.STATUS_OK: st.success}


def render() -> None:
    """Lay out source and tables, the data dictionary with downloads, and the check results."""
    lang = ui.get_lang()
    frames = ui.get_loaded_tables()
    folder = ui.get_data_folder()

    st.header(ui.t("about.source.heading"), anchor=False)
    st.markdown(catalog.get_report_line(frames, lang))
    st.caption(catalog.format_build_line(folder, lang))
    ui.show_table(catalog.get_source_data(frames, lang), download_name="om-data-tabeller")
    st.subheader(ui.t("about.signs.heading"), anchor=False)
    ui.show_bullets(catalog.get_sign_lines(lang), escape=False)

    st.header(ui.t("about.dict.heading"), anchor=False)
    st.markdown(ui.t("about.dict.intro"))
    # Choosing another table redraws only its dictionary and its download, not the rest of the page.
    ui.run_part(page, render_dictionary, lang)
    st.download_button(ui.t("about.download.zip"),
                       lambda: catalog.write_dataset_zip(folder, catalog.get_report_name(frames, lang), lang),
                       file_name=catalog.ZIP_FILE_NAME, mime=catalog.ZIP_MIME, on_click="ignore", key="download_zip")
    st.caption(ui.t("about.download.zip.help"))
    ui.show_report_download("download_pdf")

    st.header(ui.t("about.check.heading"), anchor=False)
    st.markdown(ui.t("about.check.intro"))
    problems, reconciliation = ui.get_data_check()
    SHOW_STATUS[catalog.get_check_status(problems)](catalog.format_check_summary(problems, lang))
    if problems:
        st.markdown(ui.t("about.check.problems"))
        ui.show_table(catalog.get_problem_data(problems, lang), download_name="validering")

    st.subheader(ui.t("about.rec.heading"), anchor=False)
    if reconciliation.empty:
        st.info(ui.t("about.rec.none_run"))
        return
    st.markdown(f"**{catalog.format_reconciliation_summary(reconciliation, lang)}**")
    mismatches = catalog.get_mismatch_data(reconciliation, lang)
    if mismatches.empty:
        st.success(ui.t("about.rec.none"))
    else:
        st.markdown(ui.t("about.rec.explain"))
        ui.show_table(mismatches, download_name="avstamning")


def render_dictionary(lang: str) -> None:
    """Lay out the table chooser with the chosen table's dictionary and its CSV download."""
    select_col, _ = st.columns([1, 2])
    table = page.select(routes.TABLE, s.TABLES, s.GOALS, ui.t("about.dict.select"),
                        format_func=lambda code: catalog.format_table_option(code, lang), where=select_col)
    st.caption(catalog.get_dictionary_caption(table, lang))
    ui.show_table(dictionary.get_dictionary(table, lang), download_name=f"datakatalog-{table}")

    st.subheader(ui.t("about.download.heading"), anchor=False)
    with ui.data_section(table):
        frame = ui.get_table(table)  # a broken or empty table is said here, in its section
        # The file is written only when clicked (it was written on every run of the page).
        st.download_button(ui.t("about.download.csv", name=catalog.get_table_name(table, lang)),
                           lambda: catalog.write_csv(frame, table),
                           file_name=catalog.get_csv_file_name(table), mime=catalog.CSV_MIME, on_click="ignore",
                           help=ui.t("about.download.csv.help"), key="download_csv")
        st.caption(ui.t("about.download.caption"))


# The title stays put while a widget change redraws the content below it.
ui.show_title("about.title", "about.intro")
ui.run_page(page, render)
