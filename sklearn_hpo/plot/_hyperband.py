"""Hyperband rungs: each candidate's score against its resource."""

import numpy as np

from sklearn_hpo.plot._common import (
    check_search,
    new_axes,
    pyplot,
    score_key,
    score_label,
    scores,
)
from sklearn_hpo.search import HyperbandSearchCV

__all__ = ["plot_hyperband_rungs"]


def _candidate_ids(search):
    """One id per row: ``candidate``, else the parameters without the resource
    (scikit-learn's Halving searches)."""
    results = search.cv_results_
    if "candidate" in results:
        return np.asarray(results["candidate"])
    resource = getattr(search, "resource", None)
    keys = [
        repr(sorted((k, repr(v)) for k, v in p.items() if k != resource))
        for p in results["params"]
    ]
    _, ids = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
    return ids


def plot_hyperband_rungs(search, ax=None, *, metric=None):
    """Score against resource, one line per candidate, on a log resource axis.

    Each line follows one candidate up the rungs it reached; its colour is
    its bracket (Hyperband's ``s``, the legend). A star marks the row refit
    chose (``best_index_``).

    Parameters
    ----------
    search : fitted HyperbandSearchCV
        Or a search whose ``cv_results_`` has an ``n_resources`` column
        (scikit-learn's HalvingGridSearchCV and HalvingRandomSearchCV; their
        candidates are told apart by their parameters, and drawn in one
        colour).
    ax : matplotlib Axes, default=None
        Where to draw; a new ``matplotlib.pyplot`` figure when None.
    metric : str, default=None
        The metric to draw (default: the only one, else the refit metric).

    Returns
    -------
    ax : matplotlib Axes
        One line per candidate (``ax.lines``), in the order of their first
        row in ``cv_results_``.

    Examples
    --------
    >>> import warnings
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import SGDClassifier
    >>> from sklearn_hpo import HyperbandSearchCV
    >>> from sklearn_hpo.plot import plot_hyperband_rungs
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HyperbandSearchCV(
    ...     SGDClassifier(max_iter=9, random_state=0),
    ...     {"alpha": loguniform(1e-5, 1e-1)},
    ...     resource="max_iter", min_resource=1, cv=3, random_state=0,
    ... )
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # SGD's ConvergenceWarning
    ...     search = search.fit(X, y)
    >>> ax = plot_hyperband_rungs(search)
    >>> len(ax.lines) == len(set(search.cv_results_["candidate"]))
    True
    >>> ax.get_xscale()
    'log'
    """
    plt = pyplot("plot_hyperband_rungs")
    name = "plot_hyperband_rungs"
    if isinstance(search, HyperbandSearchCV):
        check_search(search, name, cls=HyperbandSearchCV)
    else:
        check_search(search, name)
        if "n_resources" not in search.cv_results_:
            raise TypeError(
                f"{name} draws a fitted HyperbandSearchCV (or a search with an "
                f"n_resources column, such as HalvingRandomSearchCV), got "
                f"{type(search).__name__}."
            )
    results = search.cv_results_
    key = score_key(search, metric)
    y = scores(search, key)
    resources = np.asarray(results["n_resources"], dtype=float)
    ids = _candidate_ids(search)
    brackets = np.asarray(results["bracket"]) if "bracket" in results else None
    ax = new_axes(plt, ax)
    _, first = np.unique(ids, return_index=True)
    labelled = set()
    for row in np.sort(first):
        rows = np.flatnonzero(ids == ids[row])
        rows = rows[np.argsort(resources[rows], kind="stable")]
        if brackets is None:
            color, label = "C0", None
        else:
            b = int(brackets[row])
            color = f"C{b % 10}"
            label = None if b in labelled else f"bracket {b}"
            labelled.add(b)
        ax.plot(
            resources[rows],
            y[rows],
            "o-",
            color=color,
            markersize=3,
            linewidth=1,
            alpha=0.7,
            label=label,
        )
    best = getattr(search, "best_index_", None)
    if best is not None:
        ax.scatter(
            [resources[best]],
            [y[best]],
            marker="*",
            s=160,
            color="k",
            zorder=3,
            label="best (refit)",
        )
    ax.set_xscale("log")
    resource = getattr(search, "resource", "n_resources")
    ax.set_xlabel(f"resource ({resource})")
    ax.set_ylabel(f"mean test {score_label(key)}")
    ax.set_title(f"Rungs of {type(search).__name__}")
    if ax.get_legend_handles_labels()[1]:
        ax.legend()
    return ax
