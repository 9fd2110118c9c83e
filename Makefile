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

demo: $(VENV)/.installed check-tools
	$(BIN)/bulletin-ocr convert samples/raw -o $(OUT) --to all
	$(BIN)/bulletin-ocr convert samples/pdf -o $(OUT)/pdf --to all --page-images
	$(BIN)/bulletin-ocr convert samples/scans -o $(OUT)/scans --to all
	@echo "Results are in $(abspath $(OUT))/: .txt, .tei.xml and .json per raw extraction; for the"
	@echo "sample PDFs ($(OUT)/pdf/) and the degraded scans ($(OUT)/scans/) also .alto.xml, .page.xml,"
	@echo ".hocr, a searchable .ocr.pdf and a proof-reading .html; catalogue.csv in each folder."

# Debian packages the test suite needs, as probe:package pairs. A probe is a command looked
# up on PATH, or an absolute path that must exist (fonts). Append here; nothing else changes.
# jing validates TEI (lxml's RelaxNG takes many minutes on tei_all); pdfinfo (poppler-utils)
# reads a tagged PDF's structure tree; the CJK fonts draw the synthetic pages and the
# structure corpus (uming is also the searchable PDF's text font); chromium runs the
# proof-reading view's browser test; DejaVu Sans gives the searchable PDF's text layer the
# glyphs (maths signs) the CJK fonts lack.
SYSTEM_PACKAGES := \
	jing:jing \
	pdfinfo:poppler-utils \
	/usr/share/fonts/truetype/arphic/uming.ttc:fonts-arphic-uming \
	/usr/share/fonts/truetype/arphic/ukai.ttc:fonts-arphic-ukai \
	/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:fonts-wqy-zenhei \
	/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf:fonts-arphic-gbsn00lp \
	/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf:fonts-arphic-gkai00mp \
	chromium:chromium \
	/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core

# Prints the packages whose probe fails (nothing when all are present).
MISSING_PACKAGES = for pair in $(SYSTEM_PACKAGES); do \
		probe=$${pair%%:*}; package=$${pair\#*:}; \
		case $$probe in \
			/*) [ -e "$$probe" ] || echo "$$package";; \
			*) command -v "$$probe" >/dev/null 2>&1 || echo "$$package";; \
		esac; \
	done

# Installs what is missing when root with apt-get; otherwise stops with the exact command.
check-tools:
	@missing="$$(echo $$($(MISSING_PACKAGES)))"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "The tests need Debian packages that are missing. Install them with:"; \
		echo "  sudo apt-get install -y $$missing"; \
		exit 1; \
	fi; \
	echo "Installing Debian packages: $$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	still="$$(echo $$($(MISSING_PACKAGES)))"; \
	if [ -n "$$still" ]; then echo "Still missing after apt-get install: $$still"; exit 1; fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: $(VENV)/.installed-test check-tools lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT)
