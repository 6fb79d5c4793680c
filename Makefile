# Loss Functions, Hands-On.  On a fresh machine with Python 3.11+ and make:
#   make lab    set up .venv (first time only) and open the course in JupyterLab
#   make test   set up .venv (first time only) and run the whole test suite, notebooks included
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab applies every settings file in here (the course's: no "Jupyter news?" prompt).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d

.PHONY: help install lab test test-wheel test-numeric test-site test-all test-browser notebooks exercises slides site bench release clean

help:
	@echo "make lab        open the course in JupyterLab (sets up .venv the first time)"
	@echo "make test       run every test: library, notebooks (nbval), exercises and solutions"
	@echo "make test-all   make test, then the wheel test, the numeric tests on a generic BLAS kernel and the site"
	@echo "make notebooks  re-execute the lesson notebooks in place (reproducible outputs)"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make slides     build one reveal.js slide deck per lesson into slides/"
	@echo "make site       build the course website (lessons, exercises, catalogue) into build/site/"
	@echo "make test-browser  drive JupyterLab and the website in headless Chromium (screenshots in artifacts/)"
	@echo "make bench      run the speed benchmarks against PyTorch (needs: $(BIN)/pip install torch)"
	@echo "make release    build the student bundle in dist/ (no solutions, hidden tests or instructor notes)"
	@echo "make clean      remove .venv and generated files"

$(STAMP): pyproject.toml lab-settings/loss-functions-hands-on.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	mkdir -p $(LAB_OVERRIDES) && cp lab-settings/loss-functions-hands-on.json $(LAB_OVERRIDES)/
	touch $(STAMP)

install: $(STAMP)

# Jupyter refuses to start as root (e.g. in a container) unless told that it is intended.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00_welcome.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest

# The wheel (not the editable install) holds every module and works in a fresh virtual environment.
test-wheel: $(STAMP)
	$(BIN)/python -m pytest -m wheel -n 0 tests/test_wheel.py

# The numeric tests again with OpenBLAS forced onto its generic kernels, so that a test comparing two
# code paths bit for bit fails on every machine, not only on some processors.
OPENBLAS_GENERIC := $(if $(filter aarch64 arm64,$(shell uname -m)),ARMV8,Prescott)
NUMERIC_TESTS := $(wildcard tests/test_losses*.py tests/test_nn*.py tests/test_landscape*.py tests/test_datasets*.py \
	tests/test_checks*.py tests/test_metrics*.py tests/test_gradcheck*.py tests/test_practical*.py tests/test_scenes*.py)
test-numeric: $(STAMP)
	OPENBLAS_CORETYPE=$(OPENBLAS_GENERIC) $(BIN)/python -m pytest $(NUMERIC_TESTS) lessons_lib

# The course website: built once, links, images, course order, no solution material (about 20 s).
test-site: $(STAMP)
	$(BIN)/python -m pytest -m site tests/browser/test_site.py

test-all: test test-wheel test-numeric test-site

# Only the tests that drive a real browser (Debian's chromium + playwright); `make test` runs them too
# when both are installed.
test-browser: $(STAMP)
	$(BIN)/python -m pytest -n 0 -m browser tests/browser

notebooks: $(STAMP)
	$(BIN)/python -m lessons_lib.authoring execute notebooks/*.ipynb

exercises: $(STAMP)
	$(BIN)/python -m lessons_lib.authoring exercises

slides: $(STAMP)
	$(BIN)/jupyter nbconvert --to slides --output-dir slides notebooks/*.ipynb

# Static HTML of the committed notebooks; nothing is executed or downloaded. Open build/site/index.html.
site: $(STAMP)
	$(BIN)/python -m sphinx -b html -q -c site . build/site
	@echo "site built: build/site/index.html"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_losses.py
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_grader.py
	$(BIN)/python benchmarks/bench_lessons.py

release: $(STAMP)
	$(BIN)/python -m lessons_lib.authoring release --out dist/release

clean:
	rm -rf $(VENV) slides build dist *.egg-info .pytest_cache artifacts site/_generated
