"""Modules imported when first used, not when the app starts.

Altair takes ~0.2 s to import, and the first page a fresh server shows (Översikt) draws no chart: the charts'
modules name it through ``import_on_use`` so that cost falls on the first chart instead of the cold start.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType


class LazyModule:
    """A stand-in for a module that is imported on the first attribute read (thread-safe: the import system locks)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None
        self._lock = threading.Lock()

    def __getattr__(self, attr: str):
        module = self._module
        if module is None:
            with self._lock:
                if self._module is None:
                    self._module = importlib.import_module(self._name)
                module = self._module
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def import_on_use(name: str) -> LazyModule:
    """Return a stand-in for module ``name`` that imports it on first use."""
    return LazyModule(name)
