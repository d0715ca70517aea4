"""Start the app, open URL paths at 1366x768 and 1920x1080 (or --viewports), save full-page PNGs and report errors.

Usage: .venv/bin/python scripts/screenshots.py / "/mal?x=1" --out /tmp/shots
       .venv/bin/python scripts/screenshots.py / --viewports phone-390,ipad-portrait,1280x720
A device name (tests/e2e/layout_util.py DEVICES: phone-360, phone-390, ipad-portrait, ipad-landscape, ...) opens the
page as that device (a phone or iPad with touch and a mobile viewport); WIDTHxHEIGHT opens a desktop window.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.browser_util import (  # noqa: E402
    exception_texts,
    goto_rendered,
    launch_browser,
    open_page,
    screenshot_full,
)
from tests.e2e.layout_util import DEVICE_BY_NAME, Device  # noqa: E402
from tests.e2e.server import REPO_ROOT, start_server  # noqa: E402

VIEWPORTS = [Device("1366x768", 1366, 768), Device("1920x1080", 1920, 1080)]


def parse_viewports(text: str) -> list[Device]:
    """Devices from "phone-390,ipad-portrait,1280x720": device names or WIDTHxHEIGHT (a desktop window)."""
    out = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if part in DEVICE_BY_NAME:
            out.append(DEVICE_BY_NAME[part])
        elif re.fullmatch(r"\d+x\d+", part):
            width, height = (int(v) for v in part.split("x"))
            out.append(Device(part, width, height))
        else:
            raise argparse.ArgumentTypeError(f"unknown viewport {part!r}: a device name "
                                             f"({', '.join(DEVICE_BY_NAME)}) or WIDTHxHEIGHT")
    return out


def slug(path: str) -> str:
    """File-name-safe form of a URL path: "/" -> "root", "/mal?x=1" -> "mal_x-1"."""
    s = re.sub(r"[^A-Za-z0-9]+", "_", path.replace("=", "-")).strip("_")
    return s or "root"


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; exit 1 on stException/console errors with --fail-on-error, 2 if a page never rendered."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["/"], help='URL paths such as / or "/mal?x=1" (default: /)')
    parser.add_argument("--out", default="/tmp/ks-screens", help="output directory (default: /tmp/ks-screens)")
    parser.add_argument("--app-dir", default=str(REPO_ROOT), help="directory to run the app from (default: repo root)")
    parser.add_argument("--app-file", default="app.py", help="app script inside --app-dir (default: app.py)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for each page (default: 30)")
    parser.add_argument("--fail-on-error", action="store_true", help="exit 1 if any error was seen")
    parser.add_argument("--viewports", type=parse_viewports, default=VIEWPORTS,
                        help="comma-separated device names or WIDTHxHEIGHT (default: 1366x768,1920x1080)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"output: {out}")
    errors = timeouts = 0
    with start_server(app_dir=args.app_dir, app_file=args.app_file) as server, sync_playwright() as playwright:
        print(f"server: {server.url} (pid {server.pid})")
        browser = launch_browser(playwright)
        for path in args.paths:
            for device in args.viewports:
                width, height = device.size
                page = open_page(browser, viewport=device.size, is_mobile=device.mobile, has_touch=device.mobile)
                target = out / f"{slug(path)}_{device.name}.png"
                try:
                    goto_rendered(page, server.url_for(path), timeout=args.timeout * 1000)
                except AssertionError as exc:
                    timeouts += 1
                    print(f"TIMEOUT {path} @ {width}x{height}: {exc}")
                screenshot_full(page, target)
                page.wait_for_timeout(300)  # catch late console errors
                found = [f"stException: {t}" for t in exception_texts(page)]
                found += [f"console: {t}" for t in page.console_errors + page.page_errors]
                errors += len(found)
                print(f"{target}  ({len(found)} error(s))")
                for line in found:
                    print("   " + line.replace("\n", " | ")[:500])
                page.context.close()
        browser.close()
    if timeouts:
        return 2
    return 1 if errors and args.fail_on_error else 0


if __name__ == "__main__":
    sys.exit(main())
