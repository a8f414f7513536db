"""Convergence: the best score so far against evaluations or time."""

import re

import numpy as np

from sklearn_hpo.plot._common import (
    check_search,
    new_axes,
    pyplot,
    score_key,
    score_label,
    scores,
)

__all__ = ["plot_convergence"]

_X = ("iteration", "time")


def _n_splits(search, key):
    n = getattr(search, "n_splits_", None)
    if n is not None:
        return int(n)
    metric = score_label(key)
    pattern = re.compile(rf"split\d+_test_{re.escape(metric)}")
    return sum(1 for k in search.cv_results_ if pattern.fullmatch(k))


def _cumulative_time(search, key):
    """Seconds of fitting and scoring up to each row (summed over splits)."""
    results = search.cv_results_
    per_row = np.zeros(len(results["params"]))
    for column in ("mean_fit_time", "mean_score_time"):
        if column in results:
            per_row += np.nan_to_num(np.asarray(results[column], dtype=float))
    return np.cumsum(per_row * _n_splits(search, key))


def convergence_data(search, x="iteration", metric=None):
    """x, each row's score and the running best, in ``cv_results_`` order."""
    key = score_key(search, metric)
    y = scores(search, key)
    best = np.fmax.accumulate(y) if len(y) else y
    if x == "iteration":
        xs = np.arange(1, len(y) + 1, dtype=float)
    else:
        xs = _cumulative_time(search, key)
    return xs, y, best, key


def plot_convergence(search, ax=None, x="iteration", *, labels=None, metric=None):
    """Best mean test score so far, against evaluations or cumulative time.

    The line is the running maximum of the score column in the order of
    ``cv_results_`` (the order of evaluation for every search of sklearn-hpo;
    for HyperbandSearchCV a row is a candidate at one rung, so low-resource
    scores count too); failed candidates (nan) are skipped. The dots are the
    candidates' own scores; the y-axis is fitted to the running best, so
    that candidates far below it fall off the axes.

    Parameters
    ----------
    search : fitted search or list of fitted searches
        Any search with ``cv_results_`` (scikit-learn's too). A list is drawn
        on the same axes, one line each.
    ax : matplotlib Axes, default=None
        Where to draw; a new ``matplotlib.pyplot`` figure when None.
    x : {"iteration", "time"}, default="iteration"
        ``"iteration"``: the number of evaluations (rows of ``cv_results_``).
        ``"time"``: cumulative fit and score time in seconds,
        ``(mean_fit_time + mean_score_time) * n_splits`` summed over the rows
        so far: the computing time spent, which is the wall time of a run
        with ``n_jobs=1`` (without the proposal and refit overhead) and
        larger than the wall time of a parallel run (the searches do not
        record when each candidate finished).
    labels : list of str, default=None
        One legend entry per search; default the class names (numbered when
        they repeat). A legend is drawn for a list of searches or when
        ``labels`` is given.
    metric : str, default=None
        The metric to draw (default: the only one, else the refit metric,
        else the first).

    Returns
    -------
    ax : matplotlib Axes
        One line (the running best, drawn as steps) and one set of dots per
        search.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import SobolSearchCV
    >>> from sklearn_hpo.plot import plot_convergence
    >>> X, y = load_iris(return_X_y=True)
    >>> search = SobolSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 40)},
    ...     n_iter=8, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_convergence(search)
    >>> line = ax.lines[0]
    >>> len(line.get_xdata()), ax.get_ylabel()
    (8, 'best score so far')
    """
    plt = pyplot("plot_convergence")
    if x not in _X:
        raise ValueError(f"x must be one of {_X}, got {x!r}.")
    several = isinstance(search, (list, tuple))
    searches = list(search) if several else [search]
    if not searches:
        raise ValueError("search is an empty list: give at least one fitted search.")
    for s in searches:
        check_search(s, "plot_convergence")
    legend = several or labels is not None
    if labels is None:
        names = [type(s).__name__ for s in searches]
        labels = [
            f"{n} #{names[:i].count(n) + 1}" if names.count(n) > 1 else n
            for i, n in enumerate(names)
        ]
    else:
        labels = [str(label) for label in labels]
        if len(labels) != len(searches):
            raise ValueError(
                f"labels has {len(labels)} entries for {len(searches)} searches."
            )
    ax = new_axes(plt, ax)
    metrics, firsts, tops = [], [], []
    for s, label in zip(searches, labels, strict=True):
        xs, y, best, key = convergence_data(s, x, metric)
        metrics.append(score_label(key))
        (line,) = ax.plot(xs, best, drawstyle="steps-post", label=label)
        ax.scatter(xs, y, s=10, alpha=0.4, color=line.get_color())
        finite = best[np.isfinite(best)]
        if finite.size:
            firsts.append(finite[0])
            tops.append(finite[-1])
    if firsts:
        # the running best fills the axes; far worse candidates fall below
        lo, hi = min(firsts), max(tops)
        span = hi - lo if hi > lo else max(0.05 * abs(hi), 1e-3)
        ax.set_ylim(lo - 0.5 * span, hi + 0.15 * span)
    metric_name = metrics[0] if len(set(metrics)) == 1 else "score"
    ax.set_xlabel(
        "evaluations" if x == "iteration" else "cumulative fit + score time (s)"
    )
    ax.set_ylabel(f"best {metric_name} so far")
    ax.set_title("Convergence")
    if legend:
        ax.legend()
    return ax
