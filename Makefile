# TĐKT: two commands. `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3   # resolves to 3.12 through .python-version (pyenv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed e2e unit lint clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 12), "Cần Python 3.12 (pyenv + .python-version)"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requirements.txt
	$(PY) -m pip install -q -r $(VENV)/requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0

seed: migrate
	$(PY) manage.py seed_demo --print-logins

run: seed
	@echo "TĐKT: http://$(HOST):$(PORT)/  (Ctrl+C để dừng; tác vụ nền chạy cùng)"
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py db_worker & \
	DJANGO_DEBUG_PAGES=false $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest -q -n 2 --durations=15 --ignore=tests/e2e
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q tests/e2e --screenshot only-on-failure --output test-results

unit: install
	$(PY) -m pytest -q -n 2 --durations=15 --ignore=tests/e2e

e2e: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q tests/e2e --screenshot only-on-failure --output test-results

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles test-results
