"""Space for nearest-neighbour estimators."""

import numbers

from sklearn_hpo.space import Integer
from sklearn_hpo.spaces._common import prefixed

__all__ = ["knn"]


def knn(prefix="", *, max_neighbors=50):
    """A search space for ``KNeighborsClassifier`` and ``KNeighborsRegressor``.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    n_neighbors        1 .. ``max_neighbors``   log-uniform
    weights            "uniform", "distance"
    p                  1, 2                     (Manhattan, Euclidean)
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="knn__"``).
    max_neighbors : int, default=50
        The largest number of neighbours tried. It must not exceed the
        number of samples of a training fold, or the fit fails.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Integer` or
        lists of values, usable by every search class.

    Notes
    -----
    auto-sklearn (Feurer et al., 2015) searches ``n_neighbors`` over 1 .. 100
    on a log scale, the weighting and ``p`` in {1, 2}; Probst, Boulesteix and
    Bischl (2019) search ``k`` over 1 .. 30. The default upper end, 50,
    lies between the two and suits data sets of a few hundred samples and
    more; raise it for large data. ``p`` is the exponent of the Minkowski
    metric, the estimators' default metric. Scale the features first.

    References
    ----------
    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    P. Probst, A.-L. Boulesteix and B. Bischl (2019), "Tunability: importance
    of hyperparameters of machine learning algorithms", JMLR 20(53).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> spaces.knn(max_neighbors=30)["n_neighbors"]
    Integer(1, 30, prior='log-uniform')
    """
    if (
        isinstance(max_neighbors, bool)
        or not isinstance(max_neighbors, numbers.Integral)
        or max_neighbors < 2
    ):
        raise ValueError(
            f"spaces.knn: max_neighbors must be an integer >= 2, got {max_neighbors!r}."
        )
    space = {
        "n_neighbors": Integer(1, int(max_neighbors), prior="log-uniform"),
        "weights": ["uniform", "distance"],
        "p": [1, 2],
    }
    return prefixed(space, prefix, "spaces.knn")
