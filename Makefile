# Set-up and everyday commands. Each target creates .venv when it is missing
# and installs what it needs, so `make demo` and `make test` work on a fresh
# machine with nothing but python3.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

.PHONY: demo test test-oldest bench lint clean docs

# The oldest supported scikit-learn, tested in a second virtualenv.
OLDEST_SKLEARN ?= 1.8.0
VENV_OLDEST ?= .venv-oldest

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install when the package metadata changes.
$(VENV)/.installed-base: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

# torch is pinned to the one release the machines install from their own
# disk (any other version is a download of several GB); skorch (in the test
# extra) does not pull torch in.
TORCH_VERSION ?= 2.13.0

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install "torch==$(TORCH_VERSION)"
	$(PIP) install -e ".[test]"
	touch $@

$(VENV_OLDEST)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV_OLDEST)
	$(VENV_OLDEST)/bin/python -m pip --disable-pip-version-check -q install "torch==$(TORCH_VERSION)"
	$(VENV_OLDEST)/bin/python -m pip --disable-pip-version-check -q install -e ".[test]" "scikit-learn==$(OLDEST_SKLEARN)"
	touch $@

demo: $(VENV)/.installed-base
	$(PY) examples/plot_replace_gridsearchcv.py

# The suite, then `asv check` (every asv benchmark imports and is well formed).
test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)
	cd asv_bench && ../$(PY) -m asv check --python=same

# The same suite against the oldest supported scikit-learn release.
test-oldest: $(VENV_OLDEST)/.installed-test
	$(VENV_OLDEST)/bin/python -m pytest $(PYTEST_ARGS)

# The documentation (docs/_build/html): user guide, API reference and the
# gallery, which runs every script in examples/ (a few minutes). Warnings are
# errors. torch for the skorch example, pinned as for the tests.
$(VENV)/.installed-docs: pyproject.toml | $(PY)
	$(PIP) install "torch==$(TORCH_VERSION)"
	$(PIP) install -e ".[docs]"
	touch $@

docs: $(VENV)/.installed-docs
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(VENV)/.installed-base
	$(PY) benchmarks/bench_sobol.py

lint: $(VENV)/.installed-test
	$(PIP) install ruff
	$(PY) -m ruff check sklearn_hpo tests examples benchmarks

clean:
	rm -rf $(VENV) $(VENV_OLDEST) build *.egg-info .pytest_cache .hypothesis
