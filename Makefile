# Two set-up commands: `make demo` and `make test`. Both build .venv from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLES := samples/raw
OUT := out

.PHONY: demo test lint typecheck check-jing clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/bulletin-ocr convert $(SAMPLES) -o $(OUT) --to txt,tei,json
	@echo "Results are in $(abspath $(OUT)): one .txt, .tei.xml and .json per sample."

# TEI validation in the tests uses jing (lxml's RelaxNG takes many minutes on tei_all).
check-jing:
	@if command -v jing >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing jing (Debian package) for TEI validation"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jing >/dev/null; \
	else \
		echo "jing is missing: install it with 'sudo apt-get install jing' (TEI validation tests will be skipped)"; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: $(VENV)/.installed-test check-jing lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT)
