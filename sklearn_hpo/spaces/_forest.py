"""Spaces for randomized tree ensembles: RandomForest and ExtraTrees."""

from sklearn_hpo.space import Integer, Real
from sklearn_hpo.spaces._common import check_choice, prefixed, size_spec

__all__ = ["extra_trees", "random_forest"]

_TASKS = ("classification", "regression")


def _forest(owner, prefix, task, n_estimators, bootstrap):
    check_choice(task, "task", _TASKS, owner)
    space = {}
    n_est = size_spec(n_estimators, "n_estimators", owner)
    if n_est is not None:
        space["n_estimators"] = n_est
    space["max_features"] = Real(0.1, 1.0)
    space["min_samples_leaf"] = Integer(1, 20, prior="log-uniform")
    space["min_samples_split"] = Integer(2, 20, prior="log-uniform")
    space["bootstrap"] = bootstrap
    if task == "classification":
        space["criterion"] = ["gini", "entropy"]
    return prefixed(space, prefix, owner)


_DOC = """A search space for scikit-learn's {title}.

    For :class:`~sklearn.ensemble.{name}Classifier` (``task="classification"``)
    and :class:`~sklearn.ensemble.{name}Regressor` (``task="regression"``).

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    n_estimators       left out by default (see below)
    max_features       0.1 .. 1 (a fraction)    uniform
    min_samples_leaf   1 .. 20                  log-uniform
    min_samples_split  2 .. 20                  log-uniform
    bootstrap          {bootstrap}
    criterion          "gini", "entropy"        (classification only)
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="{short}__"``).
    task : {{"classification", "regression"}}, default="classification"
        Which estimator the space is for; only classification searches the
        split criterion.
    n_estimators : None, int, (low, high) or dimension, default=None
        The number of trees. None (the default) leaves it out of the space:
        more trees never make a forest worse, only slower, so set it on the
        estimator (or make it the resource of
        :class:`~sklearn_hpo.HyperbandSearchCV`, which continues the forests
        by warm start). A pair is a log-uniform integer range, an int a fixed
        value.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real`,
        :class:`~sklearn_hpo.space.Integer` or lists of values, usable by
        every search class.

    Notes
    -----
    van Rijn and Hutter (2018) measured, over about a hundred OpenML data
    sets, which forest hyperparameters matter most: the minimum leaf size
    and the fraction of features tried at each split. Probst, Boulesteix and
    Bischl (2019) also find the number of features per split the most
    tunable, over its whole range, and Probst and Boulesteix (2018) show that
    the number of trees is not worth tuning (more is better, with
    diminishing returns). The ranges of the leaf and split sizes (1 .. 20
    and 2 .. 20), the bootstrap switch and the criteria are those of
    auto-sklearn's forest spaces (Feurer et al., 2015); the log prior gives
    the small sizes, where forests usually do best, more of the budget. The
    depth is left unlimited, as there. The regression criterion is not
    searched: ``"squared_error"`` is the usual choice and
    ``"absolute_error"`` is far slower.

    References
    ----------
    J. N. van Rijn and F. Hutter (2018), "Hyperparameter importance across
    datasets", KDD.

    P. Probst, A.-L. Boulesteix and B. Bischl (2019), "Tunability: importance
    of hyperparameters of machine learning algorithms", JMLR 20(53).

    P. Probst and A.-L. Boulesteix (2018), "To tune or not to tune the number
    of trees in random forest", JMLR 18(181).

    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> sorted(spaces.{func}(task="regression"))
    ['bootstrap', 'max_features', 'min_samples_leaf', 'min_samples_split']
    >>> "{short}__criterion" in spaces.{func}(prefix="{short}__")
    True
    """


def random_forest(prefix="", *, task="classification", n_estimators=None):
    return _forest("spaces.random_forest", prefix, task, n_estimators, [True, False])


def extra_trees(prefix="", *, task="classification", n_estimators=None):
    return _forest("spaces.extra_trees", prefix, task, n_estimators, [False, True])


random_forest.__doc__ = _DOC.format(
    title="random forests",
    name="RandomForest",
    bootstrap="True, False",
    short="rf",
    func="random_forest",
)
extra_trees.__doc__ = _DOC.format(
    title="extremely randomized trees",
    name="ExtraTrees",
    bootstrap="False, True",
    short="et",
    func="extra_trees",
)
