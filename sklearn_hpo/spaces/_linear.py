"""Spaces for penalized linear models: logistic regression, ridge, elastic net."""

from sklearn_hpo.space import Real
from sklearn_hpo.spaces._common import prefixed

__all__ = ["elastic_net", "logistic_regression", "ridge"]


def logistic_regression(prefix="", *, elastic_net=False):
    """A search space for :class:`~sklearn.linear_model.LogisticRegression`.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    C                  1e-4 .. 1e4              log-uniform
    l1_ratio           0 .. 1                   uniform (``elastic_net=True``)
    solver             "saga" (fixed)           (``elastic_net=True``)
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="logisticregression__"``).
    elastic_net : bool, default=False
        Also search the elastic-net mixing ``l1_ratio`` (0: the L2 penalty,
        1: the L1 penalty), with the "saga" solver, the one that supports it
        for every problem. Without it the estimator keeps its own penalty
        (L2 by default) and solver.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real` or lists of
        values, usable by every search class.

    Notes
    -----
    The range of ``C`` (the inverse of the penalty strength) is the one
    scikit-learn's :class:`~sklearn.linear_model.LogisticRegressionCV`
    searches by default: ten values spaced on a log scale from 1e-4 to 1e4.
    The mixing parameter is searched over its whole range as Probst,
    Boulesteix and Bischl (2019) do for glmnet's ``alpha``. Scale the
    features first (a ``StandardScaler`` in a Pipeline): the penalty treats
    every coefficient alike, and "saga" converges slowly on unscaled data.
    Large ``C`` may end with a ``ConvergenceWarning``; raising ``max_iter``
    on the estimator helps.

    References
    ----------
    scikit-learn API reference, ``LogisticRegressionCV`` (parameter ``Cs``).

    P. Probst, A.-L. Boulesteix and B. Bischl (2019), "Tunability: importance
    of hyperparameters of machine learning algorithms", JMLR 20(53).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> spaces.logistic_regression()
    {'C': Real(0.0001, 10000.0, prior='log-uniform')}
    >>> sorted(spaces.logistic_regression(prefix="lr__", elastic_net=True))
    ['lr__C', 'lr__l1_ratio', 'lr__solver']
    """
    owner = "spaces.logistic_regression"
    space = {"C": Real(1e-4, 1e4, prior="log-uniform")}
    if elastic_net:
        space["l1_ratio"] = Real(0.0, 1.0)
        space["solver"] = ["saga"]
    return prefixed(space, prefix, owner)


def ridge(prefix=""):
    """A search space for :class:`~sklearn.linear_model.Ridge`.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    alpha              1e-4 .. 1e4              log-uniform
    ================== ======================== =================

    Also fits :class:`~sklearn.linear_model.RidgeClassifier`, which has the
    same penalty.

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="ridge__"``).

    Returns
    -------
    dict
        ``{"alpha": Real(1e-4, 1e4, prior="log-uniform")}`` (with the prefix).

    Notes
    -----
    The penalty strength is the only hyperparameter of ridge regression that
    matters, and it acts on a log scale. Ridge's squared error is summed,
    not averaged, over the samples, so the useful ``alpha`` grows with the
    number of samples; the range is therefore wider than auto-sklearn's
    1e-5 .. 10 (Feurer et al., 2015) and as wide as the grids of
    scikit-learn's ridge examples. With one dimension, a 1-d search is cheap:
    :class:`~sklearn.linear_model.RidgeCV` (efficient leave-one-out) is an
    alternative when nothing else is tuned.

    References
    ----------
    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    scikit-learn user guide, "Ridge regression and classification".

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> spaces.ridge(prefix="ridge__")
    {'ridge__alpha': Real(0.0001, 10000.0, prior='log-uniform')}
    """
    return prefixed(
        {"alpha": Real(1e-4, 1e4, prior="log-uniform")}, prefix, "spaces.ridge"
    )


def elastic_net(prefix=""):
    """A search space for :class:`~sklearn.linear_model.ElasticNet`.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    alpha              1e-4 .. 10               log-uniform
    l1_ratio           0.01 .. 1                uniform
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="elasticnet__"``).

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real`, usable
        by every search class.

    Notes
    -----
    scikit-learn's ``ElasticNet`` minimizes the same objective as glmnet
    (squared error averaged over the samples, plus
    ``alpha * (l1_ratio * |w|_1 + (1 - l1_ratio) / 2 * |w|_2^2)``), whose
    ``lambda`` and ``alpha`` Probst, Boulesteix and Bischl (2019) tune over
    ``[2^-10, 2^10]`` (log scale) and ``[0, 1]``. The upper end of ``alpha``
    is cut at 10: with standardized features and target, larger values
    give the model with every coefficient zero. ``l1_ratio`` starts at
    0.01: scikit-learn's ``ElasticNet`` documentation warns that smaller
    values are not reliable, and a pure L2 penalty is :func:`ridge`. (Its
    ``ElasticNetCV`` documentation suggests trying more values near 1, the
    lasso, than near 0; a uniform prior is the neutral choice.) Scale the
    features first.

    References
    ----------
    P. Probst, A.-L. Boulesteix and B. Bischl (2019), "Tunability: importance
    of hyperparameters of machine learning algorithms", JMLR 20(53).

    J. Friedman, T. Hastie and R. Tibshirani (2010), "Regularization paths
    for generalized linear models via coordinate descent", Journal of
    Statistical Software 33(1).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> sorted(spaces.elastic_net())
    ['alpha', 'l1_ratio']
    """
    space = {
        "alpha": Real(1e-4, 10.0, prior="log-uniform"),
        "l1_ratio": Real(0.01, 1.0),
    }
    return prefixed(space, prefix, "spaces.elastic_net")
