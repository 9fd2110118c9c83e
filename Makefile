# Two set-up commands: `make demo` and `make test`. Both build .venv from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := out

.PHONY: demo test test-paddleocr lint typecheck check-tools clean labeller

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The paddleocr extra in an environment of its own: it brings PaddleX and opencv-contrib-python,
# and the default environment keeps one OpenCV and no paddle packages
# (tests/test_dependencies.py). The contrib build is reinstalled last so that its files, not
# the headless build's, are the cv2 both packages write.
VENV_PADDLEOCR := .venv-paddleocr
$(VENV_PADDLEOCR)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_PADDLEOCR)
	$(VENV_PADDLEOCR)/bin/pip install --quiet --upgrade pip
	$(VENV_PADDLEOCR)/bin/pip install --quiet -e '.[paddleocr]' 'pytest>=8,<10'
	$(VENV_PADDLEOCR)/bin/pip install --quiet --force-reinstall --no-deps \
		"opencv-contrib-python==$$($(VENV_PADDLEOCR)/bin/pip show opencv-contrib-python | sed -n 's/^Version: //p')"
	$(VENV_PADDLEOCR)/bin/python -c "import cv2, paddleocr"
	touch $@

# The paddleocr engine's tests, in that environment (CI runs them as a step of their own).
test-paddleocr: $(VENV_PADDLEOCR)/.installed check-tools
	$(VENV_PADDLEOCR)/bin/python -m pytest -p no:cacheprovider tests-paddleocr

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

# The structure labeller's models (src/bulletin_ocr/structure/models/*.crfsuite and .sha256):
# tools/train_labeller.py generates bulletins from seeds disjoint from every evaluation set,
# labels their lines from the truth and trains one CRF per input kind. Offline, deterministic
# (the same models byte for byte); about 2.5 minutes on the 2-core development machine when it
# generates the 500 training bulletins (139 s measured, 480 MB peak), 45 s when they are
# already in out/labeller-corpus-layouts (353 MB peak).
labeller: $(VENV)/.installed-test check-tools
	PYTHONPATH=src:. $(BIN)/python tools/train_labeller.py --seed 30001 --count 500
