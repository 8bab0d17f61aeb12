# Every target bootstraps .venv from constraints.txt on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck train evaluate bench fuzz soak memcheck audit peer openapi clean

$(STAMP): pyproject.toml setup.py constraints.txt service/core/_kernels.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)  ## start gunicorn on port 8000 with the shipped model
	$(BIN)/gunicorn -c gunicorn.conf.py "service:create_app()"

test: $(STAMP) lint typecheck  ## lint, type-check and run the whole test suite
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check service training tests benchmarks reliability
	$(BIN)/ruff format --check service training tests benchmarks reliability

typecheck: $(STAMP)
	$(BIN)/mypy

train: $(STAMP)  ## train the shipped model from ../shared/data
	$(BIN)/python -m training train --data $(DATA)

peer: $(STAMP)  ## install the optional MiniLM peer baseline (CPU torch, about 1.2 GB)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,peer]'

evaluate: peer  ## evaluate the shipped model and rewrite metrics.json and the model card
	$(BIN)/python -m training evaluate --data $(DATA)

bench: $(STAMP)  ## in-process, peer and HTTP benchmarks -> benchmarks/results/latest.json (uses wrk if installed)
	$(BIN)/python -m benchmarks

fuzz: $(STAMP)  ## schemathesis, >= 1,000 generated requests against a real gunicorn
	$(BIN)/python reliability/fuzz_full.py

soak: $(STAMP)  ## 5 minutes at 80 % of measured max throughput; fails on errors or RSS growth >= 5 %
	$(BIN)/python reliability/soak.py

memcheck: $(STAMP)  ## the C kernels' tests under valgrind memcheck; fails on any error in their code
	$(BIN)/python reliability/memcheck.py

audit: $(STAMP)  ## pip-audit over constraints.txt (detects an advisory service that checked nothing)
	$(BIN)/pytest -q -rs tests/reliability/test_rel_audit.py

openapi: $(STAMP)  ## regenerate docs/openapi.json from the marshmallow schemas
	$(BIN)/python -m service.api.openapi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
