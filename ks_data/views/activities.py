"""Display preparation for the Aktiviteter page: filter choices, the activity table and counts per status.

Pure functions (no Streamlit) on the activities table (columns name, description, belongs_to,
investment, financing, run_as_project, status, comment, position). Statuses are free text as
printed in the report; each is shown with a symbol and its word, never by colour alone. An empty
status is shown as "Ingen status angiven"; every other empty cell stays empty.
"""

from __future__ import annotations

import pandas as pd

from ks_data import schema as s
from ks_data.texts import get_text
from ks_data.values import is_blank
from ks_data.views.comparisons import format_slug, get_slug_options
from ks_data.viewtable import NUMBER, Column, with_formats

ALL = "alla"
NONE = "ingen"
RESERVED = (ALL, NONE)

# Status kinds: the printed statuses the app knows (by slug), in the order of progress.
DONE, ON_TRACK, DEVIATION, OTHER, NO_STATUS = "done", "on_track", "deviation", "other", "none"
STATUS_KINDS = {"genomfort": DONE, "paborjat-enl-plan": ON_TRACK, "paborjat-enligt-plan": ON_TRACK,
                "paborjat-med-avvikelse": DEVIATION}
KIND_ORDER = (DONE, ON_TRACK, DEVIATION, OTHER, NO_STATUS)
KIND_SYMBOLS = {DONE: "✔", ON_TRACK: "➤", DEVIATION: "⚠", OTHER: "•", NO_STATUS: "–"}

# Output columns of calc_status_counts.
STATUS_LABEL = "status_label"
COUNT = "count"
KIND = "kind"
SLUG = "slug"

TABLE_COLUMNS = (
    (s.NAME, "activities.col.name"),
    (s.DESCRIPTION, "activities.col.description"),
    (s.BELONGS_TO, "activities.col.belongs_to"),
    (s.INVESTMENT, "activities.col.investment"),
    (s.FINANCING, "activities.col.financing"),
    (s.RUN_AS_PROJECT, "activities.col.run_as_project"),
    (s.STATUS, "activities.col.status"),
    (s.COMMENT, "activities.col.comment"),
)



def _in_report_order(activities: pd.DataFrame) -> pd.DataFrame:
    return activities.sort_values(s.POSITION, kind="stable")


def get_status_kind(status) -> str:
    """Return the kind of a printed status: done, on_track, deviation, other (unknown wording) or none (empty)."""
    if is_blank(status):
        return NO_STATUS
    return STATUS_KINDS.get(format_slug(status), OTHER)


def format_activity_status(status, lang: str = "sv") -> str:
    """Return a printed status with its symbol ("✔ Genomfört"); an empty one reads "– Ingen status angiven"."""
    kind = get_status_kind(status)
    word = get_text("activities.status.none", lang) if kind == NO_STATUS else str(status).strip()
    return f"{KIND_SYMBOLS[kind]} {word}"


def get_status_options(activities: pd.DataFrame) -> dict[str, str | None]:
    """Return {URL value: printed status} (column status), ordered by progress, with "ingen": None if any is empty."""
    present = [st for st in _in_report_order(activities)[s.STATUS] if not is_blank(st)]
    ordered = sorted(dict.fromkeys(present), key=lambda st: KIND_ORDER.index(get_status_kind(st)))
    options: dict[str, str | None] = dict(get_slug_options(ordered, RESERVED))
    if any(is_blank(st) for st in activities[s.STATUS]):
        options[NONE] = None
    return options


def get_belongs_to_options(activities: pd.DataFrame) -> dict[str, str | None]:
    """Return {URL value: verksamhet} (column belongs_to) in report order, with "ingen": None if any is empty."""
    present = [b for b in _in_report_order(activities)[s.BELONGS_TO] if not is_blank(b)]
    options: dict[str, str | None] = dict(get_slug_options(present, RESERVED))
    if any(is_blank(b) for b in activities[s.BELONGS_TO]):
        options[NONE] = None
    return options


def format_status_option(option: str, options: dict[str, str | None], lang: str = "sv") -> str:
    """Return the selector text of a status option: "Alla statusar", "✔ Genomfört" or "– Ingen status angiven"."""
    if option == ALL:
        return get_text("activities.status.all", lang)
    return format_activity_status(options[option], lang)


def format_belongs_to_option(option: str, options: dict[str, str | None], lang: str = "sv") -> str:
    """Return the selector text of a verksamhet option: "Alla verksamheter", the name, or "Ingen verksamhet angiven"."""
    if option == ALL:
        return get_text("activities.belongs_to.all", lang)
    if option == NONE:
        return get_text("activities.belongs_to.none", lang)
    return str(options[option])


def _matches(values: pd.Series, option: str, options: dict[str, str | None]) -> pd.Series:
    if option == ALL:
        return pd.Series(True, index=values.index)
    if option == NONE:
        return values.map(is_blank)
    return values == options[option]


def filter_activities(activities: pd.DataFrame, status: str = ALL, belongs_to: str = ALL) -> pd.DataFrame:
    """Return the activities (report order) whose status and belongs_to match the URL values ("alla" = any, "ingen" = empty).

    An unknown URL value matches nothing.
    """
    status_options, belongs_options = get_status_options(activities), get_belongs_to_options(activities)
    if (status != ALL and status not in status_options) or (belongs_to != ALL and belongs_to not in belongs_options):
        return activities.iloc[0:0]
    mask = (_matches(activities[s.STATUS], status, status_options)
            & _matches(activities[s.BELONGS_TO], belongs_to, belongs_options))
    return _in_report_order(activities[mask])


def get_activity_table(activities: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the activities for display: Aktivitet, Beskrivning, Tillhör verksamhet, Investeringsutgift (tkr),
    Intäkt/kostnad, Bedrivs som projekt, Status (symbol + word), Kommentar; empty cells stay empty ("")."""
    out = {}
    for column, key in TABLE_COLUMNS:
        if column == s.STATUS:
            out[get_text(key, lang)] = [format_activity_status(st, lang) for st in activities[column]]
        else:
            out[get_text(key, lang)] = ["" if is_blank(v) else str(v) for v in activities[column]]
    return pd.DataFrame(out)


def calc_status_counts(activities: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the number of activities per status (only statuses present), ordered by progress.

    Columns: slug (URL value), status (as printed; None = empty), kind, status_label (symbol + word),
    count (antal aktiviteter).
    """
    options = get_status_options(activities)
    rows = []
    for slug, status in options.items():
        n = int(_matches(activities[s.STATUS], slug, options).sum())
        if n:
            rows.append({SLUG: slug, s.STATUS: status, KIND: get_status_kind(status),
                         STATUS_LABEL: format_activity_status(status, lang), COUNT: n})
    out = pd.DataFrame(rows, columns=[SLUG, s.STATUS, KIND, STATUS_LABEL, COUNT])
    out.attrs.update({"y_title": get_text("activities.col.status", lang),
                      "x_title": get_text("activities.col.count", lang),
                      "tt_status": get_text("activities.col.status", lang),
                      "tt_count": get_text("activities.col.count", lang)})
    return out


def get_count_data(counts: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return calc_status_counts as a typed view table: Status (symbol + word), Antal aktiviteter (a number)."""
    count = get_text("activities.col.count", lang)
    out = pd.DataFrame({get_text("activities.col.status", lang): list(counts[STATUS_LABEL]),
                        count: [int(n) for n in counts[COUNT]]}, index=range(len(counts)))
    return with_formats(out, {count: Column(NUMBER)})


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {get_text('activities.and', lang)} {items[-1]}"


def format_count_caption(counts: pd.DataFrame, lang: str = "sv") -> str:
    """Return one sentence on how many of the plan's activities have each status (calc_status_counts' columns)."""
    total = int(counts[COUNT].sum())
    if total == 0:
        return get_text("activities.none_match", lang)
    items = [get_text("activities.caption.item.none", lang, n=n) if kind == NO_STATUS
             else get_text("activities.caption.item", lang, n=n, status=status)
             for kind, status, n in zip(counts[KIND], counts[s.STATUS], counts[COUNT])]
    key = "activities.caption.one" if total == 1 else "activities.caption"
    return get_text(key, lang, n=total, items=_join(items, lang))


def format_count_alt(counts: pd.DataFrame, lang: str = "sv") -> str:
    """Return the text alternative of the status bar chart (calc_status_counts' columns)."""
    bars = "; ".join(f"{label}: {n}" for label, n in zip(counts[STATUS_LABEL], counts[COUNT]))
    return get_text("activities.alt", lang, n=int(counts[COUNT].sum()), bars=bars)


def format_shown_count(shown: pd.DataFrame, activities: pd.DataFrame, lang: str = "sv") -> str:
    """Return "3 av 8 aktiviteter visas." for the filtered and the whole table."""
    return get_text("activities.count", lang, n=len(shown), total=len(activities))
