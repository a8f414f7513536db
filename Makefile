# Set-up and everyday commands. Each target creates .venv when it is missing
# and installs what it needs, so `make demo` and `make test` work on a fresh
# machine with nothing but python3.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

.PHONY: demo test bench lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install when the package metadata changes.
$(VENV)/.installed-base: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -e ".[test]"
	touch $@

demo: $(VENV)/.installed-base
	$(PY) examples/plot_replace_gridsearchcv.py

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-base
	$(PY) benchmarks/bench_sobol.py

lint: $(VENV)/.installed-test
	$(PIP) install ruff
	$(PY) -m ruff check sklearn_hpo tests examples benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
