"""sklearn-hpo: hyperparameter search that follows scikit-learn's BaseSearchCV.

Swap the class name, keep the rest::

    from sklearn_hpo import SobolSearchCV
    search = SobolSearchCV(estimator, param_distributions, n_iter=32)

Public names are imported lazily, so that ``import sklearn_hpo.space`` (numpy
and scipy only) does not load scikit-learn.
"""

import importlib

__version__ = "0.1.0.dev0"

# public name -> module that defines it
_LAZY = {
    "Categorical": "sklearn_hpo.space",
    "Integer": "sklearn_hpo.space",
    "Real": "sklearn_hpo.space",
    "SearchSpace": "sklearn_hpo.space",
    "BayesSearchCV": "sklearn_hpo.search",
    "DeadlineStopper": "sklearn_hpo.search",
    "HyperbandSearchCV": "sklearn_hpo.search",
    "NestedCV": "sklearn_hpo.search",
    "NoImprovementStopper": "sklearn_hpo.search",
    "ParetoSearchCV": "sklearn_hpo.search",
    "ThresholdStopper": "sklearn_hpo.search",
    "SearchProgress": "sklearn_hpo.search",
    "SobolSearchCV": "sklearn_hpo.search",
    "compare_nested_cv": "sklearn_hpo.search",
}

__all__ = sorted(_LAZY) + ["__version__"]


# subpackages reachable as attributes (``sklearn_hpo.spaces.lightgbm()``)
# after a bare ``import sklearn_hpo``, imported on first use
_SUBPACKAGES = {"integrations", "multiobjective", "plot", "report", "spaces"}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"sklearn_hpo.{name}")
    raise AttributeError(f"module 'sklearn_hpo' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
