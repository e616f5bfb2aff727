# newsarchive — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

# setup.py compiles newsarchive/_speedups.pyx (Cython, lxml's C API) into the checkout;
# -qq keeps setuptools' notes on editable installs off the screen (errors still show).
$(STAMP): pyproject.toml setup.py newsarchive/_speedups.pyx
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -qq -e '.[test]'
	touch $(STAMP)

## Serve the bundled demo site on 127.0.0.1, crawl it into archive/demo.sqlite, print a summary.
demo: $(STAMP)
	$(PY) scripts/demo.py

## Run the test suite.
test: $(STAMP)
	$(PY) -m pytest -q

## Static checks: ruff and mypy --strict (installs the dev extras).
lint: $(STAMP)
	$(PY) -m pip install -qq -e '.[dev]'
	$(PY) -m ruff check newsarchive spiders pipelines middlewares tests benchmarks scripts
	$(PY) -m mypy

clean:
	rm -rf $(VENV) archive build *.egg-info .pytest_cache newsarchive/_speedups.c newsarchive/_speedups.*.so
