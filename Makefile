# The README's two commands: `make run` starts the app on the bundled data, `make test` runs every test.
# Both install what is missing first (a virtual environment with the pinned packages; Chromium for the browser tests).
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test browser lint data bench

# Where `make run` listens: 127.0.0.1 (.streamlit/config.toml); `make run ADDRESS=0.0.0.0` shares it on the network.
ADDRESS ?=

run: $(VENV)/.installed
	$(PY) serve.py$(if $(ADDRESS), --server.address=$(ADDRESS))

test: $(VENV)/.installed browser
	$(PY) -m pytest

$(VENV)/.installed: requirements.txt constraints.txt
	@python3 -c 'import sys; assert sys.version_info >= (3, 11), f"Python 3.11 or newer is needed, not {sys.version}"'
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

# Debian's Chromium for the Playwright tests (Playwright cannot download its own browser here), DejaVu Sans, the font
# of the PDF report and the exported charts, and nginx for the scale-out recipe that bench/scale.py and its smoke test
# run. A package's service is not started on install (policy-rc.d says no while apt-get runs): we start what we need.
browser:
	@[ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] && [ -x /usr/sbin/nginx ] || { \
	  own_policy=; [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1; }; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core nginx >/dev/null; \
	  rc=$$?; [ -z "$$own_policy" ] || rm -f /usr/sbin/policy-rc.d; exit $$rc; }

lint: $(VENV)/.installed
	$(PY) -m ruff check .

# Rebuild data/*.parquet and docs/data.md from data/source/<year>/ and check them.
data: $(VENV)/.installed
	$(PY) -m ks_data build && $(PY) -m ks_data docs && $(PY) -m ks_data check

# Benchmark against a bare Streamlit app in the same run; writes bench/results/ (10–15 min on 2 cores).
bench: $(VENV)/.installed browser
	$(PY) -m bench.run
