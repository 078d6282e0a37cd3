# The two commands a new user runs: `make render` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: render test lint unit bench clean

render: $(STAMP)
	rm -rf rendered
	$(PY) -m render --all -o rendered
	@echo "wrote rendered/<stack>/kubernetes.yaml and resources.yaml for: $$(ls rendered | tr '\n' ' ')"

test: lint unit

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

unit: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/bench.py

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) rendered bench/out .pytest_cache .mypy_cache .ruff_cache
