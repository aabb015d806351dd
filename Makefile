# Industrial employment and apprenticeship in the French regions.
# `make reports` and `make test` set everything up on a fresh machine: the virtual
# environment from requirements.lock, the Jupyter kernel, the verified data.

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := analysis
# Folder holding copies of the open-data files; without it `make data` downloads them.
MIRROR ?= $(wildcard ../shared/data)

.PHONY: help venv data sources browser axe test lint lab reports bench strip lock clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo '  Variables: LEVEL, REGIONS, AREAS, YEARS (or REGION, YEAR), JOBS for reports;' \
		'MIRROR for data;' \
		'PYTHON for venv'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv installs the lock exactly (sync removes what the lock does not list); its own
	@# version is the one pinned in the lock.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		"$$(grep -E '^uv==' requirements.lock | cut -d' ' -f1)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode \
		requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
		--display-name "Python (analysis)" > /dev/null
	@touch $(STAMP)

venv: $(STAMP) ## Create or update .venv from requirements.lock

data: $(STAMP) ## Fetch the open-data files into data/raw, verified by sha256
	$(BIN)/python -m analysis fetch $(if $(MIRROR),--mirror $(MIRROR))

sources: $(STAMP) ## List the datasets and their local status
	$(BIN)/python -m analysis sources

browser: ## Install Debian's chromium, which prints the PDFs and runs the audits (root or sudo)
	@command -v chromium > /dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium > /dev/null; }

AXE := tools/axe/node_modules/axe-core/axe.min.js
$(AXE): tools/axe/package.json tools/axe/package-lock.json
	npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error
	@touch $(AXE)

axe: $(AXE) ## Install axe-core from npm (tools/axe/package-lock.json) for the accessibility audit

test: data browser axe ## Set up, fetch the data, install chromium and axe-core, run the tests
	$(BIN)/python -m pytest

lint: $(STAMP) ## Lint and check formatting with ruff
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools

lab: data ## Open JupyterLab on the notebooks, with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# Options of `make reports`, e.g. `make reports YEARS="2023 2024" JOBS=4`; YEAR and
# REGION are accepted for YEARS and REGIONS. LEVEL=departement builds the départements
# (of REGIONS, or AREAS="59 2A", else all 101) and then their regions' reports, which
# link to them.
LEVEL ?= region
AREAS ?=
REGIONS ?=
YEARS ?=
JOBS ?=

# A variable misspelt on the command line (JOB=2, year=2024) would be ignored and the
# default set built: refuse any that is not one of these. The environment is not checked.
VARIABLES := LEVEL AREAS REGIONS YEARS JOBS REGION YEAR MIRROR PYTHON
UNKNOWN := $(filter-out $(VARIABLES),$(foreach v,$(.VARIABLES),\
	$(if $(filter command line,$(origin $(v))),$(v))))
ifneq ($(UNKNOWN),)
$(error unknown variable$(if $(word 2,$(UNKNOWN)),s) $(UNKNOWN); the valid ones are \
	LEVEL, AREAS, REGIONS, YEARS (or REGION, YEAR) and JOBS for `make reports` (e.g. `make \
	reports YEARS="2023 2024" REGIONS="11 32" JOBS=2`), MIRROR for `make data`, PYTHON for `make venv`)
endif
ifeq ($(origin YEAR),command line)
ifeq ($(origin YEARS),command line)
$(error YEAR and YEARS name the same option: give one of them)
endif
YEARS := $(YEAR)
endif
ifeq ($(origin REGION),command line)
ifeq ($(origin REGIONS),command line)
$(error REGION and REGIONS name the same option: give one of them)
endif
REGIONS := $(REGION)
endif

reports: data browser ## Set up, fetch the data, build every region's report (HTML, PDF, Excel, JSON), France and the index
	$(BIN)/python -m analysis build \
		$(if $(filter departement département,$(LEVEL)),--level departement region,$(if \
		$(filter-out region,$(LEVEL)),--level $(LEVEL))) \
		$(if $(REGIONS),--region $(REGIONS)) $(if $(AREAS),--area $(AREAS)) \
		$(if $(YEARS),--year $(YEARS)) $(if $(JOBS),--jobs $(JOBS))

bench: data ## Time our build (cold, no-op) against papermill+nbconvert loops, side by side
	$(BIN)/python tools/bench_build.py

strip: $(STAMP) ## Strip the outputs of the committed notebooks
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

lock: $(STAMP) ## Regenerate requirements.lock and environment.yml from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock
	$(BIN)/python tools/write_environment_yml.py .

clean: ## Remove the environment and the cache (never data/raw)
	rm -rf $(VENV) data/processed .pytest_cache
