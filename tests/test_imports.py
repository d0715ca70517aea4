"""ks_data/imports.py: Altair is imported by the first chart, not by the app's start."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from ks_data.imports import import_on_use
from tests.apptest_util import REPO_ROOT

STARTUP_CODE = """
import json, sys
import ui  # what app.py and every page import first; with it every ks_data module the pages use
from ks_data import charts
from ks_data.outputs import report_pdf
from ks_data.views import presentation
before = "altair" in sys.modules
import pandas as pd
charts.status_count_chart(pd.DataFrame({"status_label": ["✔ Genomfört"], "kind": ["done"], "count": [2]}))
print(json.dumps([before, "altair" in sys.modules]))
"""


def test_the_app_starts_without_altair_and_the_first_chart_imports_it():
    result = subprocess.run([sys.executable, "-c", STARTUP_CODE], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, True]


def test_a_stand_in_answers_like_the_module():
    stand_in = import_on_use("json")
    assert stand_in.dumps({"a": 1}) == json.dumps({"a": 1})
    assert stand_in.JSONDecodeError is json.JSONDecodeError
    assert "imported on first use" in repr(stand_in)


def test_threads_using_it_first_at_once_all_get_the_one_module():
    stand_in, seen = import_on_use("colorsys"), []
    threads = [threading.Thread(target=lambda: seen.append(stand_in.rgb_to_hsv)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and len({id(f) for f in seen}) == 1


@pytest.mark.parametrize("name", ["no_such_module_ks", "ks_data.no_such_module"])
def test_a_missing_module_fails_when_used_not_when_named(name):
    stand_in = import_on_use(name)  # naming it is harmless
    with pytest.raises(ModuleNotFoundError):
        stand_in.anything  # noqa: B018 - the attribute read is the use
