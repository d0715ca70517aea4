"""The ks_data package stays free of streamlit and documents every public function."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
import pkgutil
import re
import subprocess
import sys

import pytest

import ks_data
from tests.helpers import REPO_ROOT

# Subpackages too (ks_data.views and its page modules).
MODULES = sorted(m.name for m in pkgutil.walk_packages(ks_data.__path__, "ks_data."))
# The modules this test file must see at least; others may be added by the app.
CORE = {"ks_data.build", "ks_data.calc", "ks_data.check", "ks_data.dictionary", "ks_data.errors", "ks_data.fmt",
        "ks_data.load", "ks_data.paths", "ks_data.reconcile", "ks_data.schema", "ks_data.source",
        "ks_data.__main__"}


def test_core_modules_are_found():
    assert CORE <= set(MODULES)


def test_importing_every_module_does_not_import_streamlit():
    code = (
        "import importlib, json, sys\n"
        f"for name in {['ks_data', *MODULES]!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def _public_functions():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj):
                yield f"{name}.{attr}", obj
            elif inspect.isclass(obj):
                yield f"{name}.{attr}", obj
                for meth_name, meth in vars(obj).items():
                    if not meth_name.startswith("_") and inspect.isfunction(meth):
                        yield f"{name}.{attr}.{meth_name}", meth


PUBLIC = sorted(_public_functions(), key=lambda item: item[0])


def test_there_are_public_functions_to_check():
    names = {n for n, _ in PUBLIC}
    assert {"ks_data.calc.calc_indicator_status", "ks_data.load.load_table", "ks_data.errors.Problem.describe",
            "ks_data.fmt.format_tkr", "ks_data.build.build"} <= names


@pytest.mark.parametrize("obj", [obj for _, obj in PUBLIC], ids=[name for name, _ in PUBLIC])
def test_public_function_has_a_docstring(obj):
    doc = obj.__doc__  # its own, not one inherited from a base class
    assert doc and doc.strip(), f"{obj.__module__}.{obj.__qualname__} has no docstring"


def test_the_repository_reads_nothing_beside_itself():
    """A clone with nothing beside it is complete: no tracked file points at ../shared (where the report once was)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    offenders = []
    for name in tracked.splitlines():
        path = REPO_ROOT / name
        if path.suffix not in {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".sh", ""} or not path.is_file():
            continue
        if name.startswith("bench/results/") or name == "tests/test_package.py":
            continue  # old benchmark records quote the paths of their day; this test names what it looks for
        text = path.read_text(encoding="utf-8", errors="replace")
        if "../shared" in text or "shared/report" in text:
            offenders.append(name)
    assert offenders == []
    assert (REPO_ROOT / "data" / "source" / "2020" / "verksamhetsberattelse-ks-2020.txt").is_file()


def _pins(name: str) -> dict[str, str]:
    """The ``name==version`` lines of a requirements file, by normalised package name (PEP 503)."""
    pins = {}
    for line in (REPO_ROOT / name).read_text(encoding="utf-8").splitlines():
        package, sep, version = line.split("#")[0].strip().partition("==")
        if sep:
            pins[re.sub(r"[-_.]+", "-", package).lower()] = version.strip()
    return pins


def test_every_installed_package_is_pinned_at_the_version_installed():
    """A fresh machine installs what the suite passed with: each package of the environment (requirements.txt's and
    what they pull in, constraints.txt) at the version pinned, and nothing pinned twice."""
    direct, pulled_in = _pins("requirements.txt"), _pins("constraints.txt")
    assert not direct.keys() & pulled_in.keys()
    pinned = direct | pulled_in
    installed = {re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower(): dist.version
                 for dist in importlib.metadata.distributions()}
    installed = {name: version for name, version in installed.items() if name not in {"pip", "setuptools", "wheel"}}
    assert {name: version for name, version in installed.items() if pinned.get(name) != version} == {}
    assert sorted(pinned.keys() - installed.keys()) == [], "pinned but not installed: an old pin to remove"
