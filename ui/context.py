"""The run context: what one script run (a whole page run, or a widget change that reruns one part) knows beside the
session state. It is made in one place, ``start_run``, and read through ``get_run``.

A run may run on another thread than the page's first run (a fragment rerun), so the context lives in a thread-local
and is replaced at the start of every run: by ui.frame.setup_page_or_stop for a whole page run (before the page
exists), and by the outermost part of ui.frame.run_part, which names its page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ui.state import Page


@dataclass
class RunContext:
    """What a script run knows beside the session state."""

    # The page of this run, whose notices get the data warnings found by ui.data.get_table (None: setup, or a
    # presentation screen, where a warning is shown where it is found).
    page: Page | None = None
    # The report years in the data, asked once per run (every link asks for them) instead of nine stat calls each.
    years: tuple[int, ...] | None = None
    # How many parts (ui.frame.run_part) are running: the outermost one ends the run and writes the URL.
    depth: int = 0
    # id(frame) -> (frame, its pickle): a page passes the same frame to a dozen view functions (ui.cache).
    frame_keys: dict[int, tuple[pd.DataFrame, bytes]] = field(default_factory=dict)
    # The session's frame parameters (the dict ui.state.set_frame keeps in st.session_state), asked once per run:
    # every text asks for the language (64 session state lookups a run of Ekonomi, 5 with this). set_frame forgets it,
    # so a change within the run is seen at once.
    frame_values: dict | None = None
    # path -> the data file's mtime, asked once per run (a run reads up to 18 tables, each asked its file version);
    # None outside a run (the warm-up thread's context lives on, and would never see a new file).
    mtimes: dict | None = None


_local = threading.local()


def start_run(page: Page | None = None) -> RunContext:
    """Start a new run context on this thread (the data may have changed since the last run) and return it."""
    run = _local.run = RunContext(page=page, mtimes={})
    return run


def get_run() -> RunContext:
    """Return this thread's run context (a blank one outside a run, e.g. in serve.py's warm-up)."""
    run = getattr(_local, "run", None)
    if run is None:
        run = _local.run = RunContext()
    return run

