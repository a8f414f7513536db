"""Maximize an acquisition function over the unit cube.

Notation
--------
fun(U, return_grad) : U (m, d) in [0, 1]^d  ->  values (m,) [, grads (m, d)]
    The acquisition, vectorized over candidates.
snap(U) -> U
    Moves discrete coordinates to valid values (identity if all continuous).
continuous : (d,) bool
    Coordinates the gradient polish may move; the others (categorical, say)
    keep the value of the raw candidate they start from.

Method (as in Optuna's and BoTorch's optimizers):

1. raw candidates: ``n_candidates`` scrambled Sobol' points, plus any extra
   candidates the caller gives (for example perturbations of the best points
   seen), snapped;
2. one vectorized call of ``fun`` on all of them;
3. L-BFGS-B from the ``n_polish`` best, all at once: the starts are stacked
   into one vector and the objective is the sum of their values, which is
   separable, so one call of ``fun`` per iteration polishes every start
   (bounds [0, 1], non-continuous coordinates pinned by their bounds);
4. the polished points are snapped and re-scored; the result is every
   distinct point, best first, so that the caller can skip those already
   evaluated or chosen.
"""

import warnings

import numpy as np
from scipy import optimize
from scipy.stats import qmc

__all__ = ["maximize_acquisition"]


def maximize_acquisition(
    fun,
    d,
    *,
    rng,
    snap=None,
    continuous=None,
    n_candidates=1024,
    n_polish=5,
    extra_candidates=None,
    maxiter=100,
):
    """Maximize ``fun`` over ``[0, 1]^d``.

    Parameters
    ----------
    fun : callable
        ``fun(U, return_grad=False)`` returns values of shape (m,); with
        ``return_grad=True`` also their gradients, shape (m, d).
    d : int
        Dimension.
    rng : numpy.random.Generator
        Seeds the Sobol' scrambling.
    snap : callable, default=None
        Maps (m, d) points to valid points; identity when None.
    continuous : array-like of bool of shape (d,), default=None
        Coordinates the polish may move (all when None).
    n_candidates : int, default=1024
        Raw quasi-random candidates.
    n_polish : int, default=5
        How many of the best raw candidates are polished with L-BFGS-B
        (0 skips the polish).
    extra_candidates : array-like of shape (k, d), default=None
        More raw candidates.
    maxiter : int, default=100
        L-BFGS-B iterations.

    Returns
    -------
    U : ndarray of shape (k, d)
        Distinct snapped points, best first.
    values : ndarray of shape (k,)
        Their acquisition values.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.optim import maximize_acquisition
    >>> def fun(U, return_grad=False):
    ...     v = -np.sum((U - 0.3) ** 2, axis=1)
    ...     return (v, -2 * (U - 0.3)) if return_grad else v
    >>> U, values = maximize_acquisition(fun, 2, rng=np.random.default_rng(0))
    >>> np.round(U[0], 4)
    array([0.3, 0.3])
    """
    snap = snap if snap is not None else (lambda U: U)
    continuous = (
        np.ones(d, dtype=bool)
        if continuous is None
        else np.asarray(continuous, dtype=bool)
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        raw = qmc.Sobol(d, scramble=True, rng=rng).random(n_candidates)
    if extra_candidates is not None and len(extra_candidates):
        extra = np.clip(np.asarray(extra_candidates, dtype=np.float64), 0.0, 1.0)
        raw = np.vstack([raw, extra.reshape(-1, d)])
    raw = snap(raw)
    values = np.asarray(fun(raw), dtype=np.float64)
    values = np.where(np.isfinite(values), values, -np.inf)

    pool_U, pool_v = [raw], [values]
    k = min(n_polish, len(raw))
    if k > 0 and continuous.any():
        starts = raw[np.argsort(-values, kind="stable")[:k]]
        polished = _polish(fun, starts, continuous, maxiter)
        polished = snap(polished)
        pool_U.append(polished)
        pool_v.append(np.asarray(fun(polished), dtype=np.float64))
    U = np.vstack(pool_U)
    v = np.concatenate(pool_v)
    v = np.where(np.isfinite(v), v, -np.inf)
    order = np.argsort(-v, kind="stable")
    U, v = U[order], v[order]
    _, first = np.unique(U, axis=0, return_index=True)
    keep = np.sort(first)
    return U[keep], v[keep]


def _polish(fun, starts, continuous, maxiter):
    """L-BFGS-B on all starts at once (a separable sum)."""
    k, d = starts.shape
    lower = np.where(continuous, 0.0, starts).ravel()
    upper = np.where(continuous, 1.0, starts).ravel()

    def objective(z):
        U = z.reshape(k, d)
        val, grad = fun(U, return_grad=True)
        val = np.asarray(val, dtype=np.float64)
        grad = np.where(continuous, np.asarray(grad, dtype=np.float64), 0.0)
        bad = ~np.isfinite(val)
        if bad.any():
            val = np.where(bad, -1e10, val)
            grad = np.where(bad[:, None], 0.0, grad)
        grad = np.where(np.isfinite(grad), grad, 0.0)
        return -float(np.sum(val)), -grad.ravel()

    res = optimize.minimize(
        objective,
        starts.ravel(),
        jac=True,
        method="L-BFGS-B",
        bounds=list(zip(lower, upper, strict=True)),
        options={"maxiter": maxiter},
    )
    return np.clip(res.x.reshape(k, d), 0.0, 1.0)
