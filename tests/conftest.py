"""Test-run wide hooks: say where the browser tests left their screenshots (also with xdist and without -s)."""

from __future__ import annotations

import time

import pytest

from tests.e2e.shots import get_screenshot_dir

_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the screenshot folder when this run wrote screenshots into it."""
    folder = get_screenshot_dir()
    if not folder.is_dir():
        return
    shots = [p for p in folder.glob("*.png") if p.stat().st_mtime >= _STARTED - 1]
    if shots:
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(f"{len(shots)} screenshots (1366x768 and 1920x1080) for a person to look at: {folder}")
