"""Where the bundled data lives."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SOURCE_DIR = DATA_DIR / "source"
DOCS_DATA = ROOT / "docs" / "data.md"
