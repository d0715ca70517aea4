"""Where the browser tests write their screenshots (for a person to look at) and at which sizes."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SCREENSHOT_DIR = "/tmp/ks-screenshots"
VIEWPORTS = ((1366, 768), (1920, 1080))


def get_screenshot_dir() -> Path:
    """The folder for screenshots: $KS_SCREENSHOT_DIR, else /tmp/ks-screenshots."""
    return Path(os.environ.get("KS_SCREENSHOT_DIR") or DEFAULT_SCREENSHOT_DIR)
