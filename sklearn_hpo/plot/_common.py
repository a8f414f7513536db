"""What every plot function shares: matplotlib, axes, checks of the search."""

import numpy as np
from sklearn.exceptions import NotFittedError

__all__ = []

_INSTALL = "pip install 'sklearn-hpo[plot]'"


def pyplot(func_name):
    """Import ``matplotlib.pyplot``, or raise an ImportError naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{func_name} needs matplotlib, which is not installed: {_INSTALL}."
        ) from exc
    return plt


def new_axes(plt, ax, *, projection=None, figsize=(6.4, 4.4)):
    """``ax`` as given, or the Axes of a new pyplot figure."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, subplot_kw={"projection": projection})
    return ax


_SPACE_ATTRS = ("search_spaces", "param_distributions", "param_grid")


def _looks_like_search(obj):
    return hasattr(obj, "fit") and (
        hasattr(obj, "_space_spec") or any(hasattr(obj, a) for a in _SPACE_ATTRS)
    )


def check_search(search, func_name, *, cls=None, attribute="cv_results_"):
    """Raise a clear error for the wrong kind of object or an unfitted search.

    Parameters
    ----------
    search : object
    func_name : str
        The plot function, for the messages.
    cls : type or tuple of types, default=None
        The search classes accepted (any search with ``cv_results_`` when
        None).
    attribute : str
        The fitted attribute the plot reads.
    """
    if cls is not None:
        if not isinstance(search, cls):
            names = " or ".join(
                c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,))
            )
            raise TypeError(
                f"{func_name} draws a fitted {names}, got {type(search).__name__}."
            )
    elif not (hasattr(search, "cv_results_") or _looks_like_search(search)):
        raise TypeError(
            f"{func_name} draws a fitted hyperparameter search (an object with "
            f"cv_results_, such as BayesSearchCV or GridSearchCV), got "
            f"{type(search).__name__}."
        )
    if not hasattr(search, attribute):
        raise NotFittedError(
            f"This {type(search).__name__} is not fitted yet: call fit before "
            f"{func_name}."
        )


def score_key(search, metric=None):
    """The ``mean_test_*`` column to draw.

    ``metric`` names a metric of ``scoring``; None takes ``mean_test_score``
    (one metric), else the refit metric, else the first metric.
    """
    results = search.cv_results_
    if metric is not None:
        key = f"mean_test_{metric}"
        if key not in results:
            names = [
                k[len("mean_test_") :] for k in results if k.startswith("mean_test_")
            ]
            raise ValueError(f"metric={metric!r} is not among the metrics {names}.")
        return key
    if "mean_test_score" in results:
        return "mean_test_score"
    refit = getattr(search, "refit", None)
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return f"mean_test_{refit}"
    keys = [k for k in results if k.startswith("mean_test_")]
    if not keys:
        raise ValueError(
            f"The cv_results_ of this {type(search).__name__} hold no mean_test_* "
            "column to draw."
        )
    return keys[0]


def scores(search, key):
    """The column ``key`` as float64, nan where a candidate failed."""
    y = np.asarray(search.cv_results_[key], dtype=np.float64).copy()
    y[~np.isfinite(y)] = np.nan
    return y


def score_label(key):
    """``mean_test_score`` -> ``score``; ``mean_test_f1`` -> ``f1``."""
    return key[len("mean_test_") :] if key.startswith("mean_test_") else key


def is_log_scale(values):
    """Positive values spanning a factor 100 or more."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    return bool(v.size and np.all(v > 0) and v.max() >= 100 * v.min())
