"""Parameter importance and partial dependence, from a GP surrogate of a search."""

import numpy as np
from sklearn.utils import Bunch

from sklearn_hpo.plot._common import (
    check_search,
    new_axes,
    pyplot,
    score_key,
    score_label,
    scores,
)
from sklearn_hpo.plot._surrogate import (
    base_points,
    first_order_shares,
    fit_surrogate,
    grid_blocks,
    numeric_choices,
    quadrature,
)
from sklearn_hpo.space import Categorical, Distribution, Integer, Real

__all__ = [
    "param_importance",
    "partial_dependence",
    "plot_param_importance",
    "plot_partial_dependence",
]

_METHODS = ("lengthscale", "variance")


def _surrogate(search, func_name, metric, random_state):
    check_search(search, func_name)
    key = score_key(search, metric)
    return fit_surrogate(search, scores(search, key), random_state=random_state), key


def param_importance(
    search, *, method="lengthscale", metric=None, n_samples=256, random_state=0
):
    """How much each hyperparameter matters, according to a GP surrogate.

    A Gaussian process (:class:`~sklearn_hpo.gp.GaussianProcess`) is fitted
    to the candidates' mean test scores on the unit cube of the search's own
    space (any search with ``cv_results_`` and one dict of
    ``search_spaces``, ``param_distributions`` or ``param_grid``; the
    searches do not keep their last surrogate, so it is refitted here, in a
    fraction of a second for a few hundred candidates).

    Parameters
    ----------
    search : fitted search
        BayesSearchCV, SobolSearchCV, HyperbandSearchCV (the rows of one
        resource: the largest with at least ``max(5, d + 2)`` scored
        candidates), scikit-learn's GridSearchCV, RandomizedSearchCV...
    method : {"lengthscale", "variance"}, default="lengthscale"
        ``"lengthscale"``: the ARD relevance, the inverse of the GP's
        lengthscale of each parameter on the unit cube (for a categorical
        parameter, the largest over its one-hot columns). ``"variance"``:
        the first-order share of the variance of the surrogate mean over the
        space that each parameter explains alone (Sobol' indices, estimated
        by quasi-Monte Carlo); the shares add up to 1 minus the interactions.
        Lengthscales tell how quickly the score changes with a parameter,
        not by how much (a large but smooth, nearly linear effect gets a
        long lengthscale); the variance shares tell how much.
    metric : str, default=None
        The metric to model (default: the only one, else the refit metric).
    n_samples : int, default=256
        Quasi-random points the other parameters are averaged over
        (``"variance"``); a power of 2.
    random_state : int, default=0
        Seeds the GP fit and the quasi-random points.

    Returns
    -------
    importance : pandas.Series
        Indexed by parameter name, in the space's order.

    See Also
    --------
    plot_param_importance : The same as a bar chart.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import SobolSearchCV
    >>> from sklearn_hpo.plot import param_importance
    >>> X, y = load_iris(return_X_y=True)
    >>> search = SobolSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 40)},
    ...     n_iter=16, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> shares = param_importance(search, method="variance")
    >>> list(shares.index)
    ['max_depth', 'min_samples_leaf']
    >>> bool(0 <= shares.sum() <= 1)
    True
    """
    return _param_importance(
        search, "param_importance", method, metric, n_samples, random_state
    )


def _param_importance(search, func_name, method, metric, n_samples, random_state):
    import pandas as pd

    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}.")
    surrogate, _ = _surrogate(search, func_name, metric, random_state)
    if method == "lengthscale":
        values = surrogate.relevance()
    else:
        rng = np.random.default_rng(random_state)
        base = base_points(len(surrogate.dimensions), n_samples, rng)
        values = first_order_shares(surrogate.predict, surrogate.dimensions, base)
    return pd.Series(values, index=pd.Index(surrogate.names, name="param"), name=method)


def _grid(dim, n):
    """Cube coordinates and values of one parameter's axis, in value order."""
    if isinstance(dim, Categorical):
        u, _ = quadrature(dim, n)
        values = dim.from_unit(u)
        if numeric_choices(dim):
            order = np.argsort(np.asarray(values, dtype=float), kind="stable")
            u, values = u[order], values[order]
        return u, values
    if dim.is_discrete:  # each value, or n of them for a large range
        u = np.unique(quadrature(dim, n)[0])
    else:
        u = np.linspace(0.0, 1.0, n)
    return u, dim.from_unit(u)


def partial_dependence(
    search,
    params,
    *,
    metric=None,
    grid_resolution=None,
    n_samples=256,
    random_state=0,
):
    """Partial dependence of the score on one or two hyperparameters.

    The mean of a GP surrogate of the scores (see :func:`param_importance`)
    at each value of ``params``, averaged over the other parameters drawn
    from the space (quasi-Monte Carlo, the same points for every value).

    Parameters
    ----------
    search : fitted search
        As for :func:`param_importance`.
    params : str or list of 1 or 2 str
        The parameters.
    metric : str, default=None
        The metric to model.
    grid_resolution : int, default=None
        Values per parameter of a continuous (or large integer) range; 50 for
        one parameter, 20 for two. A categorical parameter, or an integer one
        with fewer values, is evaluated at each of its values.
    n_samples : int, default=256
        Quasi-random points the other parameters are averaged over; a power
        of 2.
    random_state : int, default=0
        Seeds the GP fit and the quasi-random points.

    Returns
    -------
    result : sklearn.utils.Bunch
        ``names`` (list of str); ``grid_values`` (one array of values per
        parameter, in value order; choices for a categorical);
        ``average`` (shape ``(n_0,)`` or ``(n_0, n_1)``, in the score's
        units); ``std`` (one parameter only, else None: the posterior
        standard deviation of the average); ``observed_values`` (one array
        per parameter) and ``observed_scores``, the candidates the surrogate
        was fitted on; ``metric``, the ``cv_results_`` column modelled.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import SobolSearchCV
    >>> from sklearn_hpo.plot import partial_dependence
    >>> X, y = load_iris(return_X_y=True)
    >>> search = SobolSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 40)},
    ...     n_iter=16, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> pd = partial_dependence(search, "max_depth")
    >>> pd.grid_values[0].tolist()
    [1, 2, 3, 4, 5, 6, 7, 8]
    >>> pd.average.shape, pd.std.shape
    ((8,), (8,))
    """
    return _partial_dependence(
        search,
        params,
        "partial_dependence",
        metric=metric,
        grid_resolution=grid_resolution,
        n_samples=n_samples,
        random_state=random_state,
    )[0]


def _partial_dependence(
    search, params, func_name, *, metric, grid_resolution, n_samples, random_state
):
    names = [params] if isinstance(params, str) else list(params)
    if len(names) not in (1, 2):
        raise ValueError(f"params must name one or two parameters, got {params!r}.")
    if len(names) == 2 and names[0] == names[1]:
        raise ValueError(f"params names the same parameter twice: {params!r}.")
    surrogate, key = _surrogate(search, func_name, metric, random_state)
    unknown = [n for n in names if n not in surrogate.names]
    if unknown:
        raise ValueError(
            f"params {unknown} are not varying parameters of the search space "
            f"{surrogate.names}."
        )
    cols = [surrogate.names.index(n) for n in names]
    if grid_resolution is None:
        grid_resolution = 50 if len(names) == 1 else 20
    grids = [_grid(surrogate.dimensions[j], int(grid_resolution)) for j in cols]
    rng = np.random.default_rng(random_state)
    base = base_points(len(surrogate.dimensions), n_samples, rng)
    if len(names) == 1:
        blocks = grid_blocks(base, cols, grids[0][0][:, None])
        average, std = surrogate.average(blocks)
    else:
        g0, g1 = np.meshgrid(grids[0][0], grids[1][0], indexing="ij")
        blocks = grid_blocks(base, cols, np.column_stack([g0.ravel(), g1.ravel()]))
        average = surrogate.average(blocks, return_std=False).reshape(g0.shape)
        std = None
    rows = surrogate.rows_
    observed = [
        np.asarray([search.cv_results_["params"][i][n] for i in rows], dtype=object)
        for n in names
    ]
    return Bunch(
        names=names,
        grid_values=[g[1] for g in grids],
        average=average,
        std=std,
        observed_values=observed,
        observed_scores=surrogate.y_.copy(),
        metric=key,
    ), [surrogate.dimensions[j] for j in cols]


# -------------------------------------------------------------------- plots
def plot_param_importance(
    search,
    ax=None,
    method="lengthscale",
    *,
    metric=None,
    n_samples=256,
    random_state=0,
):
    """Bar chart of the importance of each hyperparameter (GP surrogate).

    Parameters
    ----------
    search : fitted search
        Any search with ``cv_results_`` over one dict of parameters; see
        :func:`param_importance`.
    ax : matplotlib Axes, default=None
        Where to draw; a new ``matplotlib.pyplot`` figure when None.
    method : {"lengthscale", "variance"}, default="lengthscale"
        ARD relevance (inverse GP lengthscales) or first-order shares of the
        variance of the surrogate mean; see :func:`param_importance`.
    metric : str, default=None
        The metric to model.
    n_samples : int, default=256
        Quasi-random points of the variance decomposition.
    random_state : int, default=0

    Returns
    -------
    ax : matplotlib Axes
        One horizontal bar per parameter, the most important on top.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import SobolSearchCV
    >>> from sklearn_hpo.plot import plot_param_importance
    >>> X, y = load_iris(return_X_y=True)
    >>> search = SobolSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 40)},
    ...     n_iter=16, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_param_importance(search, method="variance")
    >>> len(ax.patches)
    2
    """
    plt = pyplot("plot_param_importance")
    values = _param_importance(
        search, "plot_param_importance", method, metric, n_samples, random_state
    )
    ax = new_axes(plt, ax)
    order = np.argsort(values.to_numpy(), kind="stable")  # largest drawn last: on top
    pos = np.arange(len(values))
    ax.barh(pos, values.to_numpy()[order], color="C0")
    ax.set_yticks(pos, [str(n) for n in values.index[order]])
    if method == "lengthscale":
        ax.set_xlabel("ARD relevance: 1 / GP lengthscale (unit cube)")
    else:
        ax.set_xlabel("first-order share of the surrogate's variance")
        ax.set_xlim(0.0, max(1.0, float(values.max())))
    ax.set_title(f"Parameter importance ({type(search).__name__})")
    return ax


def _is_log_dim(dim):
    from sklearn_hpo.plot._common import is_log_scale

    if isinstance(dim, (Real, Integer)):
        return dim.prior == "log-uniform"
    if numeric_choices(dim):
        return is_log_scale(dim.choices)
    if isinstance(dim, Distribution):
        name = getattr(getattr(dim.dist, "dist", None), "name", "")
        return name in ("loguniform", "reciprocal")
    return False


def _axis_positions(dim, grid_values, observed):
    """x (or y) coordinates of the grid and of the observed values, and the
    tick labels of a categorical axis (None for a numeric one)."""
    if isinstance(dim, Categorical) and not numeric_choices(dim):
        labels = [str(v) for v in grid_values]
        index = {label: i for i, label in enumerate(labels)}
        return (
            np.arange(len(labels), dtype=float),
            np.array([index[str(v)] for v in observed], dtype=float),
            labels,
        )
    return (
        np.asarray(grid_values, dtype=float),
        np.asarray(observed, dtype=float),
        None,
    )


def _set_axis(ax, which, dim, name, labels):
    if labels is not None:
        getattr(ax, f"set_{which}ticks")(np.arange(len(labels)), labels)
    elif _is_log_dim(dim):
        getattr(ax, f"set_{which}scale")("log")
    getattr(ax, f"set_{which}label")(name)


def plot_partial_dependence(
    search,
    params,
    ax=None,
    *,
    metric=None,
    grid_resolution=None,
    n_samples=256,
    random_state=0,
):
    """Partial dependence of the score on one or two hyperparameters.

    One parameter: the surrogate's partial dependence as a line, a band of
    plus or minus two posterior standard deviations of the average, and the
    observed candidates as dots (their scores, which also vary with the other
    parameters). Two parameters: filled contours with a colour bar, and the
    observed candidates as dots. Log-uniform ranges get a log axis,
    categorical parameters one tick per choice.

    Parameters
    ----------
    search : fitted search
        Any search with ``cv_results_`` over one dict of parameters; see
        :func:`partial_dependence`.
    params : str or list of 1 or 2 str
        The parameters.
    ax : matplotlib Axes, default=None
        Where to draw; a new ``matplotlib.pyplot`` figure when None.
    metric : str, default=None
        The metric to model.
    grid_resolution : int, default=None
        Values per continuous parameter (50 for one, 20 for two).
    n_samples : int, default=256
        Quasi-random points the other parameters are averaged over.
    random_state : int, default=0

    Returns
    -------
    ax : matplotlib Axes

    See Also
    --------
    partial_dependence : The numbers drawn.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import SobolSearchCV
    >>> from sklearn_hpo.plot import plot_partial_dependence
    >>> X, y = load_iris(return_X_y=True)
    >>> search = SobolSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 40)},
    ...     n_iter=16, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_partial_dependence(search, "max_depth")
    >>> ax.get_xlabel(), len(ax.lines)
    ('max_depth', 1)
    """
    plt = pyplot("plot_partial_dependence")
    res, dims = _partial_dependence(
        search,
        params,
        "plot_partial_dependence",
        metric=metric,
        grid_resolution=grid_resolution,
        n_samples=n_samples,
        random_state=random_state,
    )
    ax = new_axes(plt, ax)
    label = score_label(res.metric)
    axes = [
        _axis_positions(dim, grid, obs)
        for dim, grid, obs in zip(
            dims, res.grid_values, res.observed_values, strict=True
        )
    ]
    if len(res.names) == 1:
        x, obs_x, ticks = axes[0]
        style = "o-" if ticks is not None else "-"
        ax.plot(x, res.average, style, color="C0", label="partial dependence")
        ax.fill_between(
            x,
            res.average - 2 * res.std,
            res.average + 2 * res.std,
            color="C0",
            alpha=0.25,
            label="± 2 std",
        )
        ax.scatter(obs_x, res.observed_scores, color="k", s=12, label="candidates")
        _set_axis(ax, "x", dims[0], res.names[0], ticks)
        ax.set_ylabel(f"{label} (partial dependence)")
        ax.legend()
    else:
        (x, obs_x, xticks), (y, obs_y, yticks) = axes
        contours = ax.contourf(x, y, res.average.T, levels=12, cmap="viridis")
        ax.figure.colorbar(contours, ax=ax, label=f"{label} (partial dependence)")
        ax.scatter(obs_x, obs_y, color="w", edgecolor="k", s=18, label="candidates")
        _set_axis(ax, "x", dims[0], res.names[0], xticks)
        _set_axis(ax, "y", dims[1], res.names[1], yticks)
    ax.set_title(f"Partial dependence ({type(search).__name__})")
    return ax
