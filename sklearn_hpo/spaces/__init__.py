"""Curated search spaces: well-chosen defaults for common estimators.

Each function returns a new dict mapping parameter names to
:class:`~sklearn_hpo.space.Real`, :class:`~sklearn_hpo.space.Integer` or
lists of values, usable as ``param_distributions`` or ``search_spaces`` by
every search class, and takes ``prefix=`` for a step of a Pipeline::

    from lightgbm import LGBMClassifier
    from sklearn_hpo import BayesSearchCV, spaces

    search = BayesSearchCV(LGBMClassifier(), spaces.lightgbm())
    search = BayesSearchCV(pipe, spaces.lightgbm(prefix="clf__"))

The dicts are plain data: edit them (drop a key, narrow a range, fix a
value with a one-element list) before passing them on. Each docstring says
where its ranges come from. This package imports neither scikit-learn nor
the estimators' libraries.
"""

from sklearn_hpo.spaces._boosting import hist_gradient_boosting, lightgbm
from sklearn_hpo.spaces._forest import extra_trees, random_forest
from sklearn_hpo.spaces._linear import elastic_net, logistic_regression, ridge
from sklearn_hpo.spaces._neighbors import knn
from sklearn_hpo.spaces._neural import mlp, skorch_net
from sklearn_hpo.spaces._svm import svc, svr

__all__ = [
    "elastic_net",
    "extra_trees",
    "hist_gradient_boosting",
    "knn",
    "lightgbm",
    "logistic_regression",
    "mlp",
    "random_forest",
    "ridge",
    "skorch_net",
    "svc",
    "svr",
]
