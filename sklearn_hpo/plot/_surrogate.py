"""A GP surrogate of a fitted search, its partial dependence and variance shares.

Notation
--------
U : (n, d)
    Points of the search space's unit cube, one column per varying parameter
    (in :class:`~sklearn_hpo.space.SubSpace` order). ``U ~ p``, uniform on
    the cube, is the space's own prior: log-uniform ranges are uniform in
    the log, categorical choices drawn by their weights.
y : (n,)
    The candidates' mean test scores (failed candidates left out).
f(U)
    The GP posterior mean, in the units of the score. The GP
    (:class:`~sklearn_hpo.gp.GaussianProcess`, Matérn-5/2 ARD, MAP
    hyperparameters) sees standardized scores (a linear map, undone here,
    so that partial dependence is in score units) and the features
    ``F = encode(U)``: a numeric column as it is (snapped to its cell for an
    integer), a categorical one as a one-hot block, and a categorical of
    numbers (a ``GridSearchCV`` grid) as its rank among the sorted choices
    scaled to [0, 1].

Partial dependence of the columns ``S`` at ``u_S``::

    PD_S(u_S) = E_{U_-S ~ p}[ f(u_S, U_-S) ]
              ~ 1/M sum_m f(u_S, B_m,-S)

on ``M`` scrambled Sobol' points ``B`` (the same points for every ``u_S``,
so that the curve is smooth). The average of the GP over the ``M`` points is
Gaussian under the posterior; its standard deviation (the band of the plot)
is, with ``K_qq`` the prior covariance of the ``M`` points, ``K_q`` their
covariance with the training points and ``K = L L^T``::

    Var[1/M sum_m f(x_m)] = (1^T K_qq 1 - || L^-1 K_q^T 1 ||^2) / M^2

First-order variance shares (Sobol' indices of the surrogate mean)::

    S_j = Var_{u_j}[ PD_j(u_j) ] / Var_U[ f(U) ]

the variance over ``u_j`` taken on a quadrature of the column (midpoints for
a continuous parameter; each value weighted by its probability for a
discrete one) and the total variance on the ``M`` points. ``S_j`` lies in
[0, 1]; the shares add up to 1 when ``f`` is additive, and ``1 - sum_j S_j``
is the share of the interactions.
"""

import numpy as np
from scipy import linalg
from scipy.stats import qmc

from sklearn_hpo.gp import GaussianProcess, matern52, standardize
from sklearn_hpo.space import Categorical, as_search_space

__all__ = []

# Rows predicted at a time (the cross-covariance is rows x training points).
_CHUNK = 4096
# Fine grid of a discrete column, to weigh each value by its probability.
_FINE = 4096
# A surrogate needs at least this many scored candidates.
_MIN_POINTS = 3


def _is_number(x):
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
        x, (bool, np.bool_)
    )


def numeric_choices(dim):
    """Whether ``dim`` is a categorical whose choices are all numbers."""
    return (
        isinstance(dim, Categorical)
        and dim.n_values >= 2
        and all(_is_number(c) for c in dim.choices)
    )


# ----------------------------------------------------------------- numerics
def base_points(d, n, rng):
    """``n`` scrambled Sobol' points of ``[0, 1]^d`` (n a power of 2)."""
    return qmc.Sobol(d, scramble=True, seed=rng).random(n)


def quadrature(dim, n):
    """Points ``u`` (q,) of one cube column and weights ``w`` (q,), sum 1.

    ``sum_i w_i g(u_i)`` approximates ``E[g(u)]`` for ``u ~ U(0, 1)`` and a
    function ``g`` of the column's value: midpoints of ``n`` cells for a
    continuous column (``dim`` None or real); for a discrete one, each value
    (at its cell's centre) weighted by its probability, or ``n`` snapped
    midpoints when it has more than ``n`` values.
    """
    mid = (np.arange(n) + 0.5) / n
    if dim is None or not dim.is_discrete:
        return mid, np.full(n, 1.0 / n)
    if isinstance(dim, Categorical):
        k = dim.n_values
        w = np.full(k, 1.0 / k) if dim.weights is None else np.asarray(dim.weights)
        w = w / w.sum()
        edges = np.concatenate([[0.0], np.cumsum(w)])
        return 0.5 * (edges[:-1] + edges[1:]), w
    fine = (np.arange(_FINE) + 0.5) / _FINE
    keys = np.asarray(dim.index(fine))
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    if len(first) > n:
        return dim.snap(mid), np.full(n, 1.0 / n)
    order = np.argsort(first)
    return dim.snap(fine[first[order]]), counts[order] / _FINE


def grid_blocks(base, columns, values):
    """``base`` (M, d) repeated for each row of ``values`` (Q, k), with the
    ``columns`` set to it: shape (Q, M, d)."""
    base = np.asarray(base, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64).reshape(-1, len(columns))
    blocks = np.repeat(base[None, :, :], len(values), axis=0)
    blocks[:, :, list(columns)] = values[:, None, :]
    return blocks


def average_over_blocks(predict, blocks):
    """Mean of ``predict`` over the second axis of ``blocks`` (Q, M, d)."""
    q, m, d = blocks.shape
    return np.asarray(predict(blocks.reshape(q * m, d))).reshape(q, m).mean(axis=1)


def first_order_shares(predict, dimensions, base, *, n_grid=32):
    """First-order variance shares ``S_j`` of ``predict`` over the cube.

    Parameters
    ----------
    predict : callable
        ``predict(U)`` of shape (N,) for ``U`` of shape (N, d).
    dimensions : list of Dimension or None
        Of the columns (None: all continuous), for the quadrature.
    base : ndarray of shape (M, d)
        Points of the cube the other columns are averaged over (and the total
        variance is measured on).
    n_grid : int, default=32
        Quadrature points of a continuous column.

    Returns
    -------
    shares : ndarray of shape (d,)
        Zeros when ``predict`` is constant.
    """
    base = np.asarray(base, dtype=np.float64)
    d = base.shape[1]
    dims = [None] * d if dimensions is None else list(dimensions)
    total = float(np.var(predict(base)))
    shares = np.zeros(d)
    if not total > 0:
        return shares
    for j in range(d):
        u, w = quadrature(dims[j], n_grid)
        pd = average_over_blocks(predict, grid_blocks(base, [j], u[:, None]))
        mean = w @ pd
        shares[j] = (w @ (pd - mean) ** 2) / total
    return np.clip(shares, 0.0, 1.0)


# ---------------------------------------------------------------- surrogate
class Surrogate:
    """A GP fitted to scores on a search space's unit cube.

    Parameters
    ----------
    dimensions : list of Dimension
        The varying dimensions (columns of ``U``).
    U : ndarray of shape (n, d)
    y : ndarray of shape (n,)
        Finite scores.
    names : list of str, default=None
    random_state : int, default=0
        Seeds the restarts of the hyperparameter fit.
    """

    def __init__(self, dimensions, U, y, *, names=None, random_state=0):
        self.dimensions = list(dimensions)
        self.names = (
            list(names)
            if names is not None
            else [f"x{j}" for j in range(len(dimensions))]
        )
        self.U_ = np.asarray(U, dtype=np.float64)
        self.y_ = np.asarray(y, dtype=np.float64)
        if self.U_.ndim != 2 or self.U_.shape[1] != len(self.dimensions):
            raise ValueError(
                f"U must have one column per dimension ({len(self.dimensions)}), "
                f"got shape {self.U_.shape}."
            )
        self._plan()
        self.y_mean_ = float(np.mean(self.y_))
        sd = float(np.std(self.y_))
        t = standardize(self.y_)
        self.y_scale_ = sd if np.any(t != 0) else 1.0
        rng = np.random.default_rng(random_state)
        self.gp_ = GaussianProcess().fit(self.encode(self.U_), t, rng=rng)

    def _plan(self):
        """Feature columns of each dimension: (kind, first column, width)."""
        self._cols = []
        col = 0
        for dim in self.dimensions:
            if numeric_choices(dim):
                ranks = np.argsort(np.argsort(np.asarray(dim.choices, dtype=float)))
                self._cols.append(("ordinal", col, 1, ranks / (dim.n_values - 1)))
                col += 1
            elif isinstance(dim, Categorical):
                self._cols.append(("onehot", col, dim.n_values, None))
                col += dim.n_values
            else:
                self._cols.append(("numeric", col, 1, None))
                col += 1
        self.n_features_ = col

    def encode(self, U):
        """GP features of cube points ``U`` (n, d): shape (n, n_features_)."""
        U = np.asarray(U, dtype=np.float64)
        F = np.zeros((len(U), self.n_features_))
        for j, (dim, (kind, col, _width, table)) in enumerate(
            zip(self.dimensions, self._cols, strict=True)
        ):
            u = U[:, j]
            if kind == "numeric":
                F[:, col] = dim.snap(u) if dim.is_discrete else u
            elif kind == "ordinal":
                F[:, col] = table[dim.index(u)]
            else:
                F[np.arange(len(U)), col + dim.index(u)] = 1.0
        return F

    def predict(self, U, return_std=False):
        """Posterior mean (and standard deviation) of the score at ``U``."""
        U = np.asarray(U, dtype=np.float64)
        means, stds = [], []
        for start in range(0, len(U), _CHUNK):
            F = self.encode(U[start : start + _CHUNK])
            if return_std:
                m, v = self.gp_.predict(F)
                stds.append(np.sqrt(v))
            else:
                m = self.gp_.predict(F, return_var=False)
            means.append(m)
        mean = self.y_mean_ + self.y_scale_ * np.concatenate(means or [np.empty(0)])
        if not return_std:
            return mean
        return mean, self.y_scale_ * np.concatenate(stds or [np.empty(0)])

    def average(self, blocks, return_std=True):
        """Mean of the surrogate over each block, and its posterior std.

        Parameters
        ----------
        blocks : ndarray of shape (Q, M, d)

        Returns
        -------
        mean : ndarray of shape (Q,)
        std : ndarray of shape (Q,), if ``return_std``
            Standard deviation of ``1/M sum_m f(x_m)`` under the posterior
            (see the module docstring).
        """
        mean = average_over_blocks(self.predict, blocks)
        if not return_std:
            return mean
        gp = self.gp_
        q, m, d = blocks.shape
        var = np.empty(q)
        for i in range(q):
            F = self.encode(blocks[i])
            Kq = matern52(F, gp.X_, gp.lengthscales_, gp.signal_variance_)
            prior = np.sum(matern52(F, None, gp.lengthscales_, gp.signal_variance_))
            v = linalg.solve_triangular(
                gp.L_, Kq.sum(axis=0), lower=True, check_finite=False
            )
            var[i] = (prior - v @ v) / (m * m)
        return mean, self.y_scale_ * np.sqrt(np.maximum(var, 0.0))

    def relevance(self):
        """ARD relevance per dimension: the inverse lengthscale ``1 / l``.

        A one-hot block (a categorical parameter) counts its largest inverse
        lengthscale.
        """
        inv = 1.0 / self.gp_.lengthscales_
        return np.array(
            [inv[col : col + width].max() for _, col, width, _ in self._cols]
        )


# ------------------------------------------------------ from a fitted search
def search_subspace(search):
    """The (single) subspace a search searched, from its own parameters."""
    if hasattr(search, "_space_spec"):
        spec = search._space_spec()
        where = getattr(search, "_space_param", "param_distributions")
    else:
        for where in ("search_spaces", "param_distributions", "param_grid"):
            if hasattr(search, where):
                spec = getattr(search, where)
                break
        else:
            raise TypeError(
                f"Cannot find the search space of {type(search).__name__}: it "
                "has none of search_spaces, param_distributions, param_grid."
            )
    space = as_search_space(spec, where=where)
    if len(space.subspaces) != 1:
        raise ValueError(
            f"The surrogate plots support a search over one dict of "
            f"parameters; {where} of this {type(search).__name__} is a list of "
            f"{len(space.subspaces)} dicts (a conditional space)."
        )
    sub = space.subspaces[0]
    if sub.n_dims == 0:
        raise ValueError(
            f"No parameter varies in {where} of this {type(search).__name__}: "
            "there is nothing to draw."
        )
    return sub


def training_rows(search, y, n_dims):
    """Rows of ``cv_results_`` the surrogate is fitted on.

    All scored rows; for a multi-fidelity search (``n_resources`` column:
    HyperbandSearchCV, scikit-learn's Halving searches) only those at one
    resource, the largest with at least ``max(5, d + 2)`` scored rows (the
    resource with the most scored rows when none has that many), since
    scores at different resources are not comparable.
    """
    ok = np.isfinite(y)
    results = search.cv_results_
    if "n_resources" not in results:
        return np.flatnonzero(ok)
    resources = np.asarray(results["n_resources"])
    levels = np.unique(resources[ok])
    counts = np.array([np.sum(ok & (resources == r)) for r in levels])
    enough = levels[counts >= max(5, n_dims + 2)]
    level = enough.max() if len(enough) else levels[np.argmax(counts)]
    return np.flatnonzero(ok & (resources == level))


def fit_surrogate(search, y, *, random_state=0):
    """A :class:`Surrogate` of a fitted search's scores ``y`` (one per row)."""
    sub = search_subspace(search)
    rows = training_rows(search, y, sub.n_dims)
    if len(rows) < _MIN_POINTS:
        raise ValueError(
            f"The surrogate needs at least {_MIN_POINTS} scored candidates; this "
            f"{type(search).__name__} has {len(rows)}."
        )
    params = search.cv_results_["params"]
    U = sub.to_unit([params[i] for i in rows])
    surrogate = Surrogate(
        sub.dimensions, U, y[rows], names=sub.names, random_state=random_state
    )
    surrogate.rows_ = rows
    return surrogate
