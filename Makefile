# Ironloop: `make demo` sets up and serves the site; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: venv install install-dev system-deps messages migrate seed train backtest real-data demo serve test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/python

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages: gettext (compilemessages), Chromium (browser tests), CJK fonts (PDFs).
system-deps:
	@bash scripts/system_deps.sh

messages: install
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --verbosity 0

migrate: install messages
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

train: seed
	$(BIN)/python manage.py valuation_train

# Six monthly fits of the platform model (each a full train(): seconds on ~20,000 sales), so
# /valuation/backtest/ and the model card show results on a fresh demo.
backtest: train
	$(BIN)/python manage.py valuation_backtest --source platform --months 6

# Real auction data, when ../shared (outside the repository) is there: import it as external
# USD sale records, back-test its three newest months (2011-09, 2012-01, 2012-02) and record
# this code's public benchmark for the model cards (about 3 minutes); skipped otherwise.
BLUEBOOK_TRAIN ?= ../shared/data/bluebook/train.csv
real-data: migrate
	@if [ -f "$(BLUEBOOK_TRAIN)" ]; then \
	  $(BIN)/python manage.py valuation_import_bluebook "$(BLUEBOOK_TRAIN)" && \
	  $(BIN)/python manage.py valuation_backtest --source external --months 3 && \
	  $(BIN)/python manage.py valuation_benchmark --train "$(BLUEBOOK_TRAIN)" --record; \
	else echo "no $(BLUEBOOK_TRAIN): real-data back-test and public benchmark skipped"; fi

demo: system-deps backtest real-data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@bash scripts/serve_demo.sh $(HOST) $(PORT)

# gunicorn + task worker + scheduler (scripts/serve_demo.sh); WhiteNoise serves the collected
# static files with DEBUG off. WEB_CONCURRENCY / GUNICORN_THREADS size gunicorn.
serve: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@bash scripts/serve_demo.sh $(HOST) $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: system-deps install-dev
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --verbosity 0
	@bash scripts/run_tests.sh $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
