# Set-up and everyday commands. Each target creates .venv when it is missing
# and installs what it needs, so `make demo` and `make test` work on a fresh
# machine with nothing but python3.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

.PHONY: demo test test-oldest bench lint clean

# The oldest supported scikit-learn, tested in a second virtualenv.
OLDEST_SKLEARN ?= 1.8.0
VENV_OLDEST ?= .venv-oldest

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install when the package metadata changes.
$(VENV)/.installed-base: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -e ".[test]"
	touch $@

$(VENV_OLDEST)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV_OLDEST)
	$(VENV_OLDEST)/bin/python -m pip --disable-pip-version-check -q install -e ".[test]" "scikit-learn==$(OLDEST_SKLEARN)"
	touch $@

demo: $(VENV)/.installed-base
	$(PY) examples/plot_replace_gridsearchcv.py

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite against the oldest supported scikit-learn release.
test-oldest: $(VENV_OLDEST)/.installed-test
	$(VENV_OLDEST)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-base
	$(PY) benchmarks/bench_sobol.py

lint: $(VENV)/.installed-test
	$(PIP) install ruff
	$(PY) -m ruff check sklearn_hpo tests examples benchmarks

clean:
	rm -rf $(VENV) $(VENV_OLDEST) build *.egg-info .pytest_cache .hypothesis
