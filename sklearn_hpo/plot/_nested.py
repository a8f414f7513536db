"""Per-fold results of a NestedCV, from its report's plots."""

import numpy as np

from sklearn_hpo.plot._common import check_search, pyplot
from sklearn_hpo.search import NestedCV

__all__ = ["plot_nested_cv"]


def plot_nested_cv(nested, axes=None):
    """Per-fold results of a fitted NestedCV, in two panels.

    Left, the outer test score of each fold (one line per outer metric, the
    mean dashed); right, the inner search's best score against the outer
    score of the same metric, one point per fold, with the diagonal: points
    below it are folds where the search's own estimate was optimistic. These
    are the plots of ``nested.report_`` (``plot_outer_scores`` and
    ``plot_inner_vs_outer``; ``report_.plot_chosen_params()`` draws the
    chosen hyperparameters).

    Parameters
    ----------
    nested : fitted NestedCV
    axes : sequence of 2 matplotlib Axes, default=None
        Where to draw; a new ``matplotlib.pyplot`` figure with two panels
        when None.

    Returns
    -------
    figure : matplotlib Figure
        The figure of the axes (``figure.axes[:2]``).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import NestedCV
    >>> from sklearn_hpo.plot import plot_nested_cv
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(DecisionTreeClassifier(random_state=0),
    ...                       {"max_depth": [1, 2, 4]}, cv=3)
    >>> nested = NestedCV(search, outer_cv=3, random_state=0).fit(X, y)
    >>> fig = plot_nested_cv(nested)
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['outer fold', "inner best score (search's own CV)"]
    """
    plt = pyplot("plot_nested_cv")
    check_search(nested, "plot_nested_cv", cls=NestedCV, attribute="report_")
    if axes is None:
        figure, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    else:
        axes = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(axes) != 2:
            raise ValueError(f"axes must hold 2 Axes, got {len(axes)}.")
        figure = axes[0].figure
    report = nested.report_
    report.plot_outer_scores(axes[0])
    report.plot_inner_vs_outer(axes[1])
    figure.suptitle(report.title)
    return figure
