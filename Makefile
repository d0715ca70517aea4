# The README's two commands: `make run` starts the app on the bundled data, `make test` runs every test.
# Both install what is missing first (a virtual environment with the pinned packages; Chromium for the browser tests).
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test browser lint data bench

run: $(VENV)/.installed
	$(VENV)/bin/streamlit run app.py

test: $(VENV)/.installed browser
	$(PY) -m pytest

$(VENV)/.installed: requirements.txt
	@python3 -c 'import sys; assert sys.version_info >= (3, 11), f"Python 3.11 or newer is needed, not {sys.version}"'
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

# Debian's Chromium for the Playwright tests (Playwright cannot download its own browser here).
browser:
	@[ -x /usr/bin/chromium ] || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

lint: $(VENV)/.installed
	$(PY) -m ruff check .

# Rebuild data/*.parquet and docs/data.md from data/source/<year>/ and check them.
data: $(VENV)/.installed
	$(PY) -m ks_data build && $(PY) -m ks_data docs && $(PY) -m ks_data check
