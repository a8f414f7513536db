"""Spaces for gradient-boosted trees: LightGBM and HistGradientBoosting."""

from sklearn_hpo.space import Integer, Real
from sklearn_hpo.spaces._common import prefixed, size_spec

__all__ = ["hist_gradient_boosting", "lightgbm"]


def lightgbm(prefix="", *, n_estimators=(50, 1000)):
    """A search space for LightGBM's ``LGBMClassifier`` and ``LGBMRegressor``.

    The parameters are those of LightGBM's scikit-learn API (not their
    aliases, which LightGBM warns about): the size and shape of the trees,
    the learning rate, row and column subsampling and the two penalties.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    n_estimators       50 .. 1000 (see below)   log-uniform
    learning_rate      0.01 .. 0.3              log-uniform
    num_leaves         4 .. 256                 log-uniform
    min_child_samples  5 .. 200                 log-uniform
    subsample          0.5 .. 1                 uniform
    subsample_freq     1 (fixed)
    colsample_bytree   0.3 .. 1                 uniform
    reg_alpha          0.001 .. 10              log-uniform
    reg_lambda         0.001 .. 10              log-uniform
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="clf__"``).
    n_estimators : None, int, (low, high) or dimension, default=(50, 1000)
        The number of boosting rounds. A pair is an integer range with a
        log-uniform prior, an int a fixed value; None leaves it out of the
        space, for when it is the resource of
        :class:`~sklearn_hpo.HyperbandSearchCV` or set by early stopping.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real`,
        :class:`~sklearn_hpo.space.Integer` or lists of values, usable as
        ``param_distributions`` or ``search_spaces`` of every search class.

    Notes
    -----
    Where the ranges come from:

    - LightGBM's "Parameters Tuning" guide names ``num_leaves`` as the main
      control of tree complexity (grown leaf-wise, so it is tuned instead of
      the depth, which is left unlimited), ``min_data_in_leaf``
      (``min_child_samples``) as the main guard against over-fitting (hundreds
      or more on large data), bagging (``subsample`` together with a positive
      ``subsample_freq``: bagging is off while the frequency is 0, so it is
      fixed at 1 here), feature subsampling (``colsample_bytree``) and the L1
      and L2 penalties; and a small learning rate with many rounds for
      accuracy.
    - Probst, Boulesteix and Bischl (2019) tune xgboost's learning rate over
      ``[2^-10, 1]`` and its penalties over ``[2^-10, 2^10]``, all on a log
      scale, with up to 5000 rounds. The learning rate is kept to
      ``[0.01, 0.3]`` here so that 50 to 1000 rounds can reach a good fit,
      and the penalties to ``[0.001, 10]``, the lower part of their range
      (larger values flatten small or medium data sets).

    Rows are subsampled without replacement; with ``subsample=1`` bagging is
    a no-op. LightGBM's own defaults (31 leaves, 20 samples per leaf,
    learning rate 0.1, 100 rounds) lie inside the space.

    References
    ----------
    LightGBM documentation, "Parameters Tuning" (lightgbm.readthedocs.io).

    P. Probst, A.-L. Boulesteix and B. Bischl (2019), "Tunability: importance
    of hyperparameters of machine learning algorithms", JMLR 20(53).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> space = spaces.lightgbm(prefix="clf__", n_estimators=None)
    >>> sorted(space)[:3]
    ['clf__colsample_bytree', 'clf__learning_rate', 'clf__min_child_samples']
    >>> space["clf__learning_rate"]
    Real(0.01, 0.3, prior='log-uniform')
    """
    owner = "spaces.lightgbm"
    space = {}
    n_est = size_spec(n_estimators, "n_estimators", owner)
    if n_est is not None:
        space["n_estimators"] = n_est
    space.update(
        {
            "learning_rate": Real(0.01, 0.3, prior="log-uniform"),
            "num_leaves": Integer(4, 256, prior="log-uniform"),
            "min_child_samples": Integer(5, 200, prior="log-uniform"),
            "subsample": Real(0.5, 1.0),
            "subsample_freq": [1],
            "colsample_bytree": Real(0.3, 1.0),
            "reg_alpha": Real(1e-3, 10.0, prior="log-uniform"),
            "reg_lambda": Real(1e-3, 10.0, prior="log-uniform"),
        }
    )
    return prefixed(space, prefix, owner)


def hist_gradient_boosting(prefix="", *, max_iter=(32, 512)):
    """A search space for scikit-learn's HistGradientBoosting estimators.

    For :class:`~sklearn.ensemble.HistGradientBoostingClassifier` and
    :class:`~sklearn.ensemble.HistGradientBoostingRegressor`.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    max_iter           32 .. 512 (see below)    log-uniform
    learning_rate      0.01 .. 1                log-uniform
    max_leaf_nodes     3 .. 2047                log-uniform
    min_samples_leaf   1 .. 200                 log-uniform
    l2_regularization  1e-10 .. 1               log-uniform
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="hgb__"``).
    max_iter : None, int, (low, high) or dimension, default=(32, 512)
        The number of boosting iterations. A pair is an integer range with a
        log-uniform prior, an int a fixed value; None leaves it out, for when
        it is the resource of :class:`~sklearn_hpo.HyperbandSearchCV` (which
        continues the models by warm start).

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real` or
        :class:`~sklearn_hpo.space.Integer`, usable by every search class.

    Notes
    -----
    The ranges of the learning rate, the number of leaves, the minimum leaf
    size and the L2 penalty are those auto-sklearn (Feurer et al., 2015)
    searches for its histogram gradient boosting component, all on a log
    scale; its earlier releases also searched ``max_iter`` over 32 .. 512.
    The depth is left unlimited (the number of leaves bounds the trees), as
    there. scikit-learn's defaults (learning rate 0.1, 31 leaves, 20 samples
    per leaf, 100 iterations) lie inside the space.

    With more than 10,000 samples scikit-learn turns on its own early
    stopping (``early_stopping="auto"``), and ``max_iter`` is then an upper
    bound.

    References
    ----------
    M. Feurer, A. Klein, K. Eggensperger, J. Springenberg, M. Blum and
    F. Hutter (2015), "Efficient and robust automated machine learning",
    NeurIPS (auto-sklearn).

    scikit-learn user guide, "Histogram-Based Gradient Boosting".

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> sorted(spaces.hist_gradient_boosting(max_iter=None))
    ['l2_regularization', 'learning_rate', 'max_leaf_nodes', 'min_samples_leaf']
    """
    owner = "spaces.hist_gradient_boosting"
    space = {}
    iters = size_spec(max_iter, "max_iter", owner)
    if iters is not None:
        space["max_iter"] = iters
    space.update(
        {
            "learning_rate": Real(0.01, 1.0, prior="log-uniform"),
            "max_leaf_nodes": Integer(3, 2047, prior="log-uniform"),
            "min_samples_leaf": Integer(1, 200, prior="log-uniform"),
            "l2_regularization": Real(1e-10, 1.0, prior="log-uniform"),
        }
    )
    return prefixed(space, prefix, owner)
