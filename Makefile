# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-unit lint format bench clean-sandbox system-run system-test

# Debian packages: installed when run as root, else one sentence saying how.
system-run:
	sh devenv/system-packages memcached

system-test:
	sh devenv/system-packages memcached chromium chromium-driver gettext

$(STAMP): requirements-dev.txt constraints.txt setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## run: the embedded cloud + Horizon with the plugin at http://127.0.0.1:8000/
## (DCOS_DASHBOARD_WORKERS Horizon workers, default 3; memcached on
## DCOS_SANDBOX_MEMCACHED_PORT, default 11211)
run: system-run $(STAMP)
	$(PY) -m devenv.run

## test: every test (unit, panels, sandbox, live Horizon, browser)
test: system-test $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

test-unit: $(STAMP)
	$(PY) -m pytest tests/unit

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP)
	$(PY) -m bench

clean-sandbox:
	rm -rf .sandbox
