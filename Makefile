# Two set-up commands: `make demo` and `make test`. Both build .venv from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := out

.PHONY: demo test lint typecheck check-tools clean

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
	$(BIN)/bulletin-ocr convert samples/raw -o $(OUT) --to txt,tei,json
	$(BIN)/bulletin-ocr convert samples/pdf -o $(OUT)/pdf --to txt,tei,json
	$(BIN)/bulletin-ocr convert samples/scans -o $(OUT)/scans --to txt,tei,json
	@echo "Results are in $(abspath $(OUT))/: a .txt, .tei.xml and .json per sample (raw extractions),"
	@echo "and the same for the sample PDFs in $(OUT)/pdf/ and the degraded scans in $(OUT)/scans/."

# System tools the tests use: jing validates TEI (lxml's RelaxNG takes many minutes on
# tei_all), pdfinfo (poppler-utils) reads a tagged PDF's structure tree.
SYSTEM_TOOLS := jing:jing pdfinfo:poppler-utils

check-tools:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
		command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing:$$missing. Install with: sudo apt-get install$$missing (the tests that need them are skipped)"; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: $(VENV)/.installed-test check-tools lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT)
