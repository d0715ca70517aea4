"""Fixtures for the browser (Playwright) tests: a Streamlit server, Chromium and pages.

Helpers for the tests themselves: `from tests.e2e.browser_util import wait_rendered, ...`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.browser_util import launch_browser, open_page
from tests.e2e.server import AppServer, start_server

E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e with `browser` (before -m deselection runs)."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    """The app (repo root app.py) served on a free 127.0.0.1 port for the whole session."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def start_app_server() -> Iterator[Callable[..., AppServer]]:
    """Factory: start_app_server(app_dir=REPO_ROOT, app_file="app.py", extra_args=(), launcher=False) -> a fresh server."""
    servers: list[AppServer] = []

    def start(**kwargs) -> AppServer:
        """Start a fresh server; it is stopped when the test ends."""
        server = start_server(**kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium shared by the session."""
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Factory: new_page(viewport=(1366, 768), locale="sv-SE") -> a page in its own context.

    The page carries `console_errors`, `page_errors` and `ignored_errors` lists.
    """
    pages: list[Page] = []

    def make(viewport: tuple[int, int] = (1366, 768), locale: str = "sv-SE") -> Page:
        """Open a fresh context and page; closed when the test ends."""
        page = open_page(browser, viewport=viewport, locale=locale)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
