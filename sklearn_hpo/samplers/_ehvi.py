"""Expected hypervolume improvement (EHVI) for two or three objectives.

Notation
--------
X : array of shape (n, d), values in [0, 1]
    Points evaluated so far.
y : array of shape (n, m)
    Their ``m`` objective values, each to maximize; a row holding nan is a
    failed (or infeasible) candidate.
P : array of shape (k, m)
    The current front: the distinct non-dominated rows of the (normalized)
    successful objectives.
r : array of shape (m,)
    The reference point; every front row is strictly above it.
mean, var : arrays of shape (q, m)
    Posterior means and variances of the ``m`` objectives at ``q``
    candidates, one independent Gaussian per objective.

Hypervolume improvement
-----------------------
``HVI(y) = HV(P + {y}) - HV(P)`` is the volume of the region above ``r``
that ``y`` dominates and no front row does. That *non-dominated region*
``A = {z >= r : no row of P dominates z}`` is cut into disjoint boxes
``[l_b, u_b)`` (``u_b`` may be infinite) by the grid of the front's
coordinates in the first ``m - 1`` objectives: a cell
``[g_i, g_{i+1}) x [h_j, h_{j+1})`` of that grid (``g_0 = r_1``,
``g_last = +inf``) is free above ``c_ij = max(r_m, max{p_m : p_1 >= g_{i+1},
p_2 >= h_{j+1}})``, so it contributes the box ``cell x [c_ij, +inf)``;
neighbouring cells along the last grid axis with the same ``c`` merge into
one box. For ``m = 2`` the boxes are the familiar vertical strips between
consecutive front points; for ``m = 3`` there are ``O(k^2)`` of them.
Then, since the boxes are disjoint and ``{z <= y}`` is a product set::

    HVI(y) = sum_b prod_j (min(y_j, u_bj) - l_bj)^+

Expectation (closed form)
-------------------------
With independent ``Y_j ~ N(mean_j, var_j)`` the expectation of each product
factorizes, and ``(min(Y, u) - l)^+ = (Y - l)^+ - (Y - u)^+`` for ``l < u``
gives each factor through the expected-improvement function
``g_j(c) = E[(Y_j - c)^+] = sigma_j h((mean_j - c) / sigma_j)``,
``h(z) = phi(z) + z Phi(z)``::

    EHVI = sum_b prod_j [g_j(l_bj) - g_j(u_bj)],     g_j(+inf) = 0

(Emmerich, Giannakoglou and Naujoks, 2006, for the strips of ``m = 2``; the
same factorization over any disjoint box decomposition is the basis of
Yang et al., 2019). It is computed in log space: ``log g_j`` is the stable
``log_ei`` of :mod:`sklearn_hpo.acquisition`,
``log(g(l) - g(u)) = log g(l) + log1mexp(log g(u) - log g(l))`` and the sum
over boxes is a log-sum-exp, so that log-EHVI keeps a slope far from the
front where EHVI underflows. Its derivatives with respect to ``mean`` and
``var`` follow from those of ``log_ei`` (with ``rho = g(u) / g(l)``)::

    d log(g(l) - g(u)) = (d log g(l) - rho d log g(u)) / (1 - rho)
    d log EHVI         = sum_b w_b sum_j d log(g_j(l_bj) - g_j(u_bj)),
    w_b                = term_b / EHVI  (softmax of the log terms)

Log-normal objectives
---------------------
A cost spanning orders of magnitude is better modelled in log space, while
the hypervolume a user reads is in the cost's own units. With
``log_normal[j] = s`` (``+1`` or ``-1``) the model is Gaussian in ``T_j``
and the objective is ``V_j = s exp(s T_j)`` (``s = -1``: a cost ``W =
exp(-T)``, maximized as ``-W``). The factorization above still holds, with
``g_j(c) = E[(V_j - c)^+]``, the price of an option on the log-normal ``W``
(Black and Scholes, with zero rate and unit time): for ``s = +1`` the call
``M Phi(d1) - c Phi(d2)``, for ``s = -1`` the put ``K Phi(-d2) - M Phi(-d1)``
with strike ``K = -c``, where ``mu = s mean``, ``M = exp(mu + var / 2)``,
``d2 = (mu - log K) / sigma``, ``d1 = d2 + sigma``. Both are differences
of two positive terms and are taken in log space the same way.

:func:`ehvi_qmc` estimates the same expectation by quasi-Monte Carlo (a
fixed set of scrambled-Sobol' normal samples, the hypervolume improvement of
every sample from the boxes, vectorized); the tests use it to check the
closed form.

References
----------
M. Emmerich, K. Giannakoglou and B. Naujoks, "Single- and multiobjective
evolutionary optimization assisted by Gaussian random field metamodels",
IEEE TEC 10(4), 2006. K. Yang, M. Emmerich, A. Deutz and T. Bäck, "Efficient
computation of expected hypervolume improvement using box decomposition
algorithms", Journal of Global Optimization 75, 2019.
"""

import warnings

import numpy as np
from scipy.special import log_ndtr, ndtri
from scipy.stats import qmc

from sklearn_hpo.acquisition import VAR_FLOOR, log_ei
from sklearn_hpo.acquisition._analytic import _log1mexp
from sklearn_hpo.multiobjective._sorting import (
    front_mask_finite,
    nondominated_unique,
)
from sklearn_hpo.optim import maximize_acquisition
from sklearn_hpo.samplers._base import (
    BaseSampler,
    check_history,
    check_pending,
    log_columns,
)
from sklearn_hpo.samplers._gp import (
    _POLISH_MAXITER,
    GPSampler,
    _Encoder,
    _first_unseen,
)
from sklearn_hpo.samplers._qmc import QMCSampler

__all__ = ["EHVISampler", "ehvi", "ehvi_qmc", "hypervolume_improvement", "log_ehvi"]

_MAX_OBJECTIVES = 3
# Floats per block of the vectorized (candidates x boxes) arrays (32 MiB).
_BLOCK = 1 << 22


# ------------------------------------------------------------ decomposition
def _front(Y, reference_point):
    """Distinct non-dominated finite rows of ``Y`` strictly above ``r``."""
    Y = np.asarray(Y, dtype=np.float64).reshape(-1, len(reference_point))
    keep = np.all(np.isfinite(Y), axis=1) & np.all(Y > reference_point, axis=1)
    Y = Y[keep]
    if len(Y) == 0:
        return Y
    return nondominated_unique(Y)


def nondominated_boxes(front, reference_point):
    """Disjoint boxes that cover the region above ``r`` no front row dominates.

    Parameters
    ----------
    front : array-like of shape (k, m)
        Objective values (maximized); rows that are dominated, repeated, not
        finite or not strictly above ``r`` are ignored.
    reference_point : array-like of shape (m,)

    Returns
    -------
    lower, upper : ndarrays of shape (n_boxes, m)
        Box ``b`` is ``[lower[b], upper[b])``; ``upper`` may be ``+inf`` and
        is so in the last objective of every box.
    """
    r = np.asarray(reference_point, dtype=np.float64).ravel()
    P = _front(front, r)
    m = len(r)
    if m == 1:
        top = max(r[0], P[:, 0].max()) if len(P) else r[0]
        return np.array([[top]]), np.array([[np.inf]])
    # grid of the first m - 1 objectives: lower edges g, upper edges g_up
    grids = [np.concatenate([[r[j]], np.unique(P[:, j])]) for j in range(m - 1)]
    ups = [np.append(g[1:], np.inf) for g in grids]
    shape = tuple(len(g) for g in grids)
    # cell (i_1, .., i_{m-1}) is covered up to the best last objective of the
    # rows at least as good as its upper corner in every other objective,
    # i.e. of the rows at grid index > i_j in every objective j: a suffix
    # maximum, one axis at a time, of the rows' last objective placed at
    # their grid indices (O(k^(m-1)) memory, not O(k^m))
    best = np.full(tuple(n + 1 for n in shape), -np.inf)
    at = tuple(np.searchsorted(grids[j], P[:, j]) for j in range(m - 1))
    np.maximum.at(best, at, P[:, -1])
    for axis in range(m - 1):
        flipped = np.flip(best, axis)
        best = np.flip(np.maximum.accumulate(flipped, axis=axis), axis)
    c = np.maximum(best[(slice(1, None),) * (m - 1)], r[-1])
    # merge runs of equal c along the last grid axis
    rows = c.reshape(-1, shape[-1])
    start = np.ones(rows.shape, dtype=bool)
    start[:, 1:] = rows[:, 1:] != rows[:, :-1]
    r_idx, j_start = np.nonzero(start)
    # each run ends where the next one starts (or at the end of the row)
    nxt = np.append(j_start[1:], shape[-1])
    same_row = np.append(r_idx[1:] == r_idx[:-1], False)
    run_end = np.where(same_row, nxt, shape[-1])
    lead = np.unravel_index(r_idx, shape[:-1]) if m > 2 else ()
    n_boxes = len(r_idx)
    lower = np.empty((n_boxes, m))
    upper = np.empty((n_boxes, m))
    for j in range(m - 2):
        lower[:, j] = grids[j][lead[j]]
        upper[:, j] = ups[j][lead[j]]
    lower[:, m - 2] = grids[-1][j_start]
    upper[:, m - 2] = ups[-1][run_end - 1]
    lower[:, m - 1] = rows[r_idx, j_start]
    upper[:, m - 1] = np.inf
    return lower, upper


def _hvi_boxes(Y, lower, upper):
    """``sum_b prod_j (min(y_j, u_bj) - l_bj)^+`` for rows ``Y`` (N, m)."""
    N, m = Y.shape
    out = np.empty(N)
    step = max(1, _BLOCK // max(1, lower.size))
    for s in range(0, N, step):  # blocks of rows, bounded memory
        y = Y[s : s + step, None, :]
        side = np.clip(np.minimum(y, upper[None]) - lower[None], 0.0, None)
        out[s : s + step] = np.prod(side, axis=2).sum(axis=1)
    return out


def hypervolume_improvement(Y, front, reference_point):
    """Hypervolume that each row of ``Y`` would add to ``front``, alone.

    Parameters
    ----------
    Y : array-like of shape (..., m)
        Points (maximized); any leading shape.
    front : array-like of shape (k, m)
        The current set (dominated or repeated rows are ignored).
    reference_point : array-like of shape (m,)

    Returns
    -------
    ndarray of shape Y.shape[:-1]
        ``HV(front + {y}) - HV(front)`` for each ``y``.

    Examples
    --------
    >>> hypervolume_improvement([[2.0, 2.0]], [[1.0, 3.0], [3.0, 1.0]], [0, 0])
    array([1.])
    """
    r = np.asarray(reference_point, dtype=np.float64).ravel()
    Y = np.asarray(Y, dtype=np.float64)
    lower, upper = nondominated_boxes(front, r)
    flat = Y.reshape(-1, len(r))
    return _hvi_boxes(flat, lower, upper).reshape(Y.shape[:-1])


def _log_lognormal_ei(mean, var, strike, sign, return_grad=False):
    """``log E[(V - strike)^+]`` for ``V = sign * exp(sign * T)``,
    ``T ~ N(mean, var)`` (``sign`` +1 or -1), and its derivatives with respect
    to ``mean`` and ``var``; arrays broadcast together.

    With ``W = exp(sign * T)``, log-normal with ``mu = sign * mean`` and
    ``sigma^2 = var``, ``d2 = (mu - log K) / sigma`` and ``d1 = d2 + sigma``:

    - ``sign = +1``: ``V = W`` and the value is the call price
      ``M Phi(d1) - K Phi(d2)`` with ``K = strike``, ``M = E[W] =
      exp(mu + sigma^2 / 2)``; for ``K <= 0`` it is ``M - K``.
    - ``sign = -1``: ``V = -W`` and ``(V - strike)^+ = (K - W)^+`` with
      ``K = -strike``: the put price ``K Phi(-d2) - M Phi(-d1)``; 0 for
      ``K <= 0`` (``-inf`` in log).

    Both differences are taken in log space (``log A + log1mexp(log B -
    log A)``), with ``d/dmu`` of the call ``M Phi(d1)``, of the put
    ``-M Phi(-d1)``, and ``d/dsigma`` (``mu`` fixed, so ``dM/dsigma =
    sigma M``) ``M (phi(d1) + sigma Phi(d1))`` and ``M (phi(d1) - sigma
    Phi(-d1))``. The variance is floored at ``VAR_FLOOR`` as in
    :func:`~sklearn_hpo.acquisition.log_ei`.
    """
    mean, var, strike = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (mean, var, strike))
    )
    active = var > VAR_FLOOR
    v = np.where(active, var, VAR_FLOOR)
    sigma = np.sqrt(v)
    mu = sign * mean
    log_m = mu + 0.5 * v
    K = sign * strike
    valid = K > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_k = np.log(np.where(valid, K, 1.0))
        d2 = (mu - log_k) / sigma
        d1 = d2 + sigma
        if sign > 0:
            log_a = log_m + log_ndtr(d1)
            log_b = log_k + log_ndtr(d2)
        else:
            log_a = log_k + log_ndtr(-d2)
            log_b = log_m + log_ndtr(-d1)
        x = log_b - log_a
        neg = x < 0
        diff = np.full_like(x, -np.inf)
        diff[neg] = _log1mexp(x[neg])
        value = np.where(valid, log_a + diff, -np.inf)
        if sign > 0:  # K <= 0: M - K, no optionality left
            value = np.where(valid, value, np.logaddexp(log_m, np.log(-strike)))
    if not return_grad:
        return value
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        finite = np.isfinite(value)
        safe = np.where(finite, value, 0.0)
        log_pdf = -0.5 * d1**2 - 0.5 * np.log(2.0 * np.pi)
        if sign > 0:
            d_mu = np.exp(log_m + log_ndtr(d1) - safe)
            d_sigma = np.exp(log_m + log_pdf - safe) + sigma * d_mu
            # K <= 0: d/dmu = M / g, d/dsigma = sigma M / g
            d_mu = np.where(valid, d_mu, np.exp(log_m - safe))
            d_sigma = np.where(valid, d_sigma, sigma * d_mu)
        else:
            tail = np.exp(log_m + log_ndtr(-d1) - safe)
            d_mu = -tail
            d_sigma = np.exp(log_m + log_pdf - safe) - sigma * tail
        grad_mean = np.where(finite, sign * d_mu, 0.0)
        grad_var = np.where(finite & active, d_sigma / (2.0 * sigma), 0.0)
    return value, grad_mean, grad_var


def _check_log_normal(log_normal, m, name="log_normal"):
    """``log_normal`` as an array of m signs in {-1, 0, +1} (None: zeros)."""
    if log_normal is None:
        return np.zeros(m)
    signs = np.asarray(log_normal, dtype=np.float64).ravel()
    if signs.shape != (m,) or not np.all(np.isin(signs, (-1.0, 0.0, 1.0))):
        raise ValueError(
            f"{name} must hold one of -1, 0, +1 per objective ({m}), got "
            f"{log_normal!r}."
        )
    return signs


class _Boxes:
    """The box decomposition of one front, ready for many EHVI evaluations.

    Per objective ``j``, the distinct finite box edges ``values_j`` (where
    ``log g_j`` is evaluated once per candidate) and the distinct
    ``(lower, upper)`` edge pairs (one ``log(g(l) - g(u))`` each), so the
    work per candidate is ``O(m k)`` special functions plus ``O(n_boxes)``
    additions and one log-sum-exp.

    ``log_normal[j] = +1 or -1`` makes objective ``j`` log-normal: its
    ``mean``/``var`` are those of ``T``, its value in the box units is
    ``(sign exp(sign T) - low_j) / scale_j`` and ``g_j`` the matching
    option price (:func:`_log_lognormal_ei`), divided by ``scale_j``.
    """

    def __init__(self, front, reference_point, log_normal=None, low=None, scale=None):
        self.r = np.asarray(reference_point, dtype=np.float64).ravel()
        self.lower, self.upper = nondominated_boxes(front, self.r)
        self.m = len(self.r)
        self.log_normal = _check_log_normal(log_normal, self.m)
        self.low = np.zeros(self.m) if low is None else np.asarray(low, float)
        self.scale = np.ones(self.m) if scale is None else np.asarray(scale, float)
        self.per_objective = []
        for j in range(self.m):
            lo, up = self.lower[:, j], self.upper[:, j]
            finite_up = np.isfinite(up)
            values = np.unique(np.concatenate([lo, up[finite_up]]))
            lo_i = np.searchsorted(values, lo)
            up_i = np.where(
                finite_up, np.searchsorted(values, np.where(finite_up, up, 0)), -1
            )
            pairs, box_pair = np.unique(
                np.column_stack([lo_i, up_i]), axis=0, return_inverse=True
            )
            box_pair = box_pair.reshape(-1)
            onehot = np.zeros((len(lo), len(pairs)))
            onehot[np.arange(len(lo)), box_pair] = 1.0
            self.per_objective.append((values, pairs, box_pair, onehot))

    def log_ehvi(self, mean, var, return_grad=False):
        """log EHVI (q,) [and its gradients (q, m) twice], in blocks of
        candidates so that the (candidates, boxes) arrays stay bounded."""
        mean = np.asarray(mean, dtype=np.float64)
        var = np.asarray(var, dtype=np.float64)
        step = max(1, _BLOCK // (4 * len(self.lower)))
        if len(mean) <= step:
            return self._log_ehvi(mean, var, return_grad)
        blocks = [
            self._log_ehvi(mean[s : s + step], var[s : s + step], return_grad)
            for s in range(0, len(mean), step)
        ]
        if not return_grad:
            return np.concatenate(blocks)
        return tuple(np.concatenate(parts) for parts in zip(*blocks, strict=True))

    def _log_g(self, j, mean, var, edges):
        """``log g_j`` at the box edges and its derivatives."""
        sign = self.log_normal[j]
        if sign == 0:
            return log_ei(mean, var, edges, return_grad=True)
        strike = self.low[j] + edges * self.scale[j]
        value, d_mean, d_var = _log_lognormal_ei(mean, var, strike, sign, True)
        return value - np.log(self.scale[j]), d_mean, d_var

    def _log_ehvi(self, mean, var, return_grad):
        q = len(mean)
        total = np.zeros((q, len(self.lower)))
        parts = []
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for j, (values, pairs, box_pair, _) in enumerate(self.per_objective):
                res = self._log_g(j, mean[:, j, None], var[:, j, None], values[None])
                lg, dlg_m, dlg_v = (np.asarray(a).reshape(q, -1) for a in res)
                lo, up = pairs[:, 0], pairs[:, 1]
                inf_up = up < 0
                lA = lg[:, lo]
                lB = np.where(inf_up, -np.inf, lg[:, np.where(inf_up, 0, up)])
                x = np.minimum(lB - lA, 0.0)
                one_minus = -np.expm1(x)  # 1 - rho
                log_d = lA + np.log(one_minus)
                log_d = np.where(one_minus > 0, log_d, -np.inf)
                total += log_d[:, box_pair]
                if return_grad:
                    rho = np.exp(x)
                    safe = np.where(one_minus > 0, one_minus, 1.0)
                    dB_m = np.where(inf_up, 0.0, dlg_m[:, np.where(inf_up, 0, up)])
                    dB_v = np.where(inf_up, 0.0, dlg_v[:, np.where(inf_up, 0, up)])
                    gm = (dlg_m[:, lo] - rho * dB_m) / safe
                    gv = (dlg_v[:, lo] - rho * dB_v) / safe
                    ok = one_minus > 0
                    parts.append((np.where(ok, gm, 0.0), np.where(ok, gv, 0.0)))
            top = np.max(total, axis=1)
            finite = np.isfinite(top)
            shift = np.where(finite, top, 0.0)
            w = np.exp(total - shift[:, None])
            s = w.sum(axis=1)
            value = np.where(finite, shift + np.log(np.where(s > 0, s, 1.0)), -np.inf)
        if not return_grad:
            return value
        w = np.where(finite[:, None], w / np.where(s > 0, s, 1.0)[:, None], 0.0)
        grad_mean = np.empty((q, self.m))
        grad_var = np.empty((q, self.m))
        for j, (gm, gv) in enumerate(parts):
            weight = w @ self.per_objective[j][3]  # (q, n_pairs)
            grad_mean[:, j] = np.sum(weight * gm, axis=1)
            grad_var[:, j] = np.sum(weight * gv, axis=1)
        return value, grad_mean, grad_var


def _check_posterior(mean, var, m):
    mean = np.asarray(mean, dtype=np.float64)
    var = np.asarray(var, dtype=np.float64)
    if mean.ndim != 2 or mean.shape[1] != m or var.shape != mean.shape:
        raise ValueError(
            f"mean and var must both have shape (q, {m}), got {mean.shape} and "
            f"{var.shape}."
        )
    return mean, var


def log_ehvi(mean, var, front, reference_point, *, log_normal=None, return_grad=False):
    """Log expected hypervolume improvement of independent Gaussian outcomes.

    Parameters
    ----------
    mean, var : array-like of shape (q, m)
        Posterior mean and variance of each objective at ``q`` candidates
        (variances clipped below at ``acquisition.VAR_FLOOR``).
    front : array-like of shape (k, m)
        The current points (maximized); dominated rows are ignored.
    reference_point : array-like of shape (m,)
    log_normal : array-like of shape (m,) or None, default=None
        Per objective 0 (Gaussian), or ``+1`` / ``-1`` for an objective
        whose model is Gaussian in ``T = sign * log(sign * value)``: its
        ``mean`` and ``var`` are those of ``T``, the value is
        ``sign * exp(sign * T)`` (log-normal; ``-1``: a cost, maximized as
        ``-cost``) and the hypervolume is measured in the values' units.
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray of shape (q,)
        ``log EHVI`` (``-inf`` where EHVI is exactly 0).
    grad_mean, grad_var : ndarrays of shape (q, m)
        Only with ``return_grad=True``.

    Examples
    --------
    >>> import numpy as np
    >>> v = log_ehvi([[2.0, 2.0]], [[1e-12, 1e-12]], [[1.0, 3.0], [3.0, 1.0]], [0, 0])
    >>> round(float(np.exp(v[0])), 6)  # no uncertainty: the improvement itself
    1.0
    """
    r = np.asarray(reference_point, dtype=np.float64).ravel()
    mean, var = _check_posterior(mean, var, len(r))
    boxes = _Boxes(front, r, log_normal=log_normal)
    return boxes.log_ehvi(mean, var, return_grad=return_grad)


def ehvi(mean, var, front, reference_point, *, log_normal=None):
    """Expected hypervolume improvement, closed form (see the module notes).

    Parameters
    ----------
    mean, var : array-like of shape (q, m)
    front : array-like of shape (k, m)
    reference_point : array-like of shape (m,)
    log_normal : array-like of shape (m,) or None, default=None
        As in :func:`log_ehvi`.

    Returns
    -------
    ndarray of shape (q,)
    """
    return np.exp(log_ehvi(mean, var, front, reference_point, log_normal=log_normal))


def ehvi_qmc(
    mean, var, front, reference_point, *, log_normal=None, n_samples=4096, seed=0
):
    """Quasi-Monte-Carlo estimate of the expected hypervolume improvement.

    The same ``n_samples`` standard normal vectors (a scrambled Sobol'
    sequence seeded by ``seed``, through the normal quantile function) serve
    every candidate; the hypervolume improvement of each sample comes from
    the box decomposition, vectorized over candidates and samples.

    Parameters
    ----------
    mean, var : array-like of shape (q, m)
    front : array-like of shape (k, m)
    reference_point : array-like of shape (m,)
    log_normal : array-like of shape (m,) or None, default=None
        As in :func:`log_ehvi`: those objectives' samples are transformed
        to ``sign * exp(sign * T)``.
    n_samples : int, default=4096
        A power of 2 keeps the Sobol' balance properties.
    seed : int, default=0

    Returns
    -------
    ndarray of shape (q,)
    """
    r = np.asarray(reference_point, dtype=np.float64).ravel()
    mean, var = _check_posterior(mean, var, len(r))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        u = qmc.Sobol(len(r), scramble=True, rng=np.random.default_rng(seed)).random(
            n_samples
        )
    z = ndtri(np.clip(u, 1e-12, 1.0 - 1e-12))
    lower, upper = nondominated_boxes(front, r)
    Y = mean[:, None, :] + np.sqrt(np.maximum(var, 0.0))[:, None, :] * z[None]
    signs = _check_log_normal(log_normal, len(r))
    for j in np.flatnonzero(signs):
        Y[..., j] = signs[j] * np.exp(signs[j] * Y[..., j])
    hvi = _hvi_boxes(Y.reshape(-1, len(r)), lower, upper)
    return hvi.reshape(len(mean), n_samples).mean(axis=1)


# ------------------------------------------------------------------ sampler
class EHVISampler(BaseSampler):
    """Multi-objective Bayesian optimization by expected hypervolume improvement.

    After a scrambled Sobol' design, one :class:`~sklearn_hpo.gp.
    GaussianProcess` per objective (independent models, each fitted as
    :class:`GPSampler` fits its single objective) and the point of largest
    expected hypervolume improvement (EHVI) of the current front, in exact
    closed form (see :mod:`sklearn_hpo.samplers._ehvi`), maximized in log
    space by :func:`~sklearn_hpo.optim.maximize_acquisition`.

    Parameters
    ----------
    dimensions : list of Dimension or None, default=None
        The dimensions of the cube's columns (integers are snapped,
        categoricals one-hot encoded); None treats every column as
        continuous.
    n_initial_points : int, default=10
        Points of a scrambled Sobol' design before the models take over.
    reference_point : array-like of shape (n_objectives,) or None, default=None
        The reference point of the hypervolume, in the objectives' own units
        (maximized), when the caller knows which region matters (e.g. the
        reference point its hypervolume is measured from); nan entries, or
        None for all, are derived from the data as below.
    reference_margin : float, default=0.1
        The derived reference point. Each objective is transformed as for a
        single-objective GP (``output_warping``, monotone) and normalized to
        ``[0, 1]`` between its worst and its best successful value; the
        reference point is the nadir of the current front (the worst value
        of each objective among the non-dominated points) minus
        ``reference_margin`` (a fraction of the observed range), as BoTorch's
        ``infer_reference_point`` does. Points that the front's nadir does
        not bound, far out on one objective, then count for what they add
        near the front only.
    output_warping : {"standardize", "power", "rank"}, default="standardize"
        The transform of each objective before its GP (see
        :mod:`sklearn_hpo.gp`). The hypervolume is measured in the
        normalized transformed objectives: with ``"standardize"`` (an affine
        map) that is the objectives' own geometry up to scale; a non-linear
        warp keeps the front (it is monotone) but weights its regions
        differently.
    n_candidates : int, default=1024
        Raw quasi-random candidates of the acquisition maximization.
    n_polish : int, default=5
        Candidates polished by L-BFGS-B (analytic gradients).
    inactive : callable or None, default=None
        As in :class:`GPSampler`.
    refit_every : int, default=10
        As in :class:`GPSampler`, for each objective's model.
    log_objectives : array-like of shape (n_objectives,) or None, default=None
        Objectives whose model works in log space while the hypervolume
        stays in the objectives' own units: ``-1`` for a cost (a column
        holding ``-value``, ``value > 0``, modelled as ``-log(value)``),
        ``+1`` for a positive value modelled as ``log(value)``, 0 (or None
        for all) for an objective modelled as it is. The predictive
        distribution of such an objective is log-normal and EHVI integrates
        it in closed form (option prices, see :func:`log_ehvi`), so a cost
        spanning orders of magnitude is modelled on a scale where a GP fits
        it, while the improvement counts in the units the hypervolume is
        reported in. A non-positive value is raised to the smallest
        positive one of its column for the model. Needs
        ``output_warping="standardize"`` (an affine map of the log values).

    Attributes
    ----------
    reference_point_ : ndarray of shape (n_objectives,) or None
        The reference point of the last model-based proposal, in the
        objectives' own units (a derived coordinate is carried back through
        the warp; exact for ``"standardize"``).
    log_ehvi_ : float or None
        log EHVI of the last proposed point (normalized units).

    Notes
    -----
    Failed rows (any nan) are left out of the front; for the models they are
    imputed one standard deviation below the worst success, per objective
    (as :class:`GPSampler` and so :class:`ParEGOSampler` do), so that the
    proposals steer away from them. A batch (``n > 1``) is built kriging-
    believer style: each chosen point's posterior means join every model and
    the front as a pseudo-observation before the next point is chosen (a
    ``log_objectives`` objective joins the front at the exponential of its
    model's mean, the log-normal's median).
    Two or three objectives (one works too: EHVI is then EI); for more, use
    :class:`ParEGOSampler`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.samplers import EHVISampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((12, 2))
    >>> Y = np.column_stack([X[:, 0], 1 - X[:, 0] ** 2 - X[:, 1]])
    >>> EHVISampler(n_initial_points=4, n_candidates=64).propose(
    ...     X, Y, 2, rng=rng).shape
    (2, 2)
    """

    adaptive = True
    supports_pending = True

    def __init__(
        self,
        dimensions=None,
        *,
        n_initial_points=10,
        reference_point=None,
        reference_margin=0.1,
        output_warping="standardize",
        n_candidates=1024,
        n_polish=5,
        inactive=None,
        refit_every=10,
        log_objectives=None,
    ):
        if int(n_initial_points) != n_initial_points or n_initial_points < 1:
            raise ValueError(
                "n_initial_points must be a positive integer, got "
                f"{n_initial_points!r}."
            )
        if not reference_margin > 0:
            raise ValueError(f"reference_margin must be > 0, got {reference_margin!r}.")
        self.dimensions = dimensions
        self.n_initial_points = int(n_initial_points)
        self.reference_point = reference_point
        self.reference_margin = float(reference_margin)
        self.output_warping = output_warping
        self.n_candidates = int(n_candidates)
        self.n_polish = int(n_polish)
        self.inactive = inactive
        self.refit_every = int(refit_every)
        self.log_objectives = log_objectives
        if log_objectives is not None:
            signs = _check_log_normal(
                log_objectives, np.size(log_objectives), "log_objectives"
            )
            if signs.any() and output_warping != "standardize":
                raise ValueError(
                    "log_objectives needs output_warping='standardize' (the "
                    f"models' log values must be an affine map), got "
                    f"{output_warping!r}."
                )
        # validates output_warping and the other options
        self._models = [self._new_model()]
        self._initial = QMCSampler("sobol")
        self.reference_point_ = None
        self.log_ehvi_ = None

    def _new_model(self):
        if self.output_warping not in ("standardize", "power", "rank"):
            raise ValueError(
                "output_warping must be one of ('standardize', 'power', 'rank'), "
                f"got {self.output_warping!r}."
            )
        return GPSampler(
            self.dimensions,
            n_initial_points=1,
            output_warping=self.output_warping,
            n_candidates=self.n_candidates,
            n_polish=self.n_polish,
            inactive=self.inactive,
            refit_every=self.refit_every,
        )

    def propose(self, X, y, n, *, rng, pending=None):
        """Propose ``n`` points; see :meth:`BaseSampler.propose`.

        ``pending`` (shape (k, d)): points proposed earlier and not scored
        yet; each objective's GP is conditioned on them at its posterior mean
        and the front extended by those values (kriging believer, as within
        a batch).
        """
        X, Y, n = check_history(X, y, n)
        if Y.ndim == 1:
            Y = Y[:, None]
        d, m = X.shape[1], Y.shape[1]
        P = check_pending(pending, d)
        if m > _MAX_OBJECTIVES:
            raise ValueError(
                f"EHVISampler handles 1 to {_MAX_OBJECTIVES} objectives, got {m}; "
                "use ParEGOSampler for more."
            )
        if n == 0 or d == 0:
            return np.empty((n, d))
        n_ok = int(np.sum(np.all(np.isfinite(Y), axis=1)))
        n_init = max(0, min(n, self.n_initial_points - len(X) - len(P)))
        if n_ok < 2:
            n_init = n
        out = []
        if n_init:
            out.append(self._initial.propose(X, Y, n_init, rng=rng))
        if n - n_init > 0:
            out.append(self._propose_model(X, Y, n - n_init, rng, P))
        return np.vstack(out)

    def _propose_model(self, X, Y, n, rng, P=None):
        d, m = X.shape[1], Y.shape[1]
        if len(self._models) != m:
            self._models = [self._new_model() for _ in range(m)]
        enc = _Encoder(self.dimensions, d, self.inactive)
        F = enc.encode(X)
        ok = np.all(np.isfinite(Y), axis=1)
        signs = _check_log_normal(self.log_objectives, m, "log_objectives")
        # an objective without a positive value has no log: modelled as it is
        signs = np.where(np.any(signs * Y[ok] > 0, axis=0), signs, 0.0)
        Yf = np.where(ok[:, None], log_columns(Y, signs), np.nan)
        T = np.column_stack(
            [model._targets(Yf[:, j]) for j, model in enumerate(self._models)]
        )
        gps = [model._fit(F, T[:, j], rng) for j, model in enumerate(self._models)]
        # the hypervolume's units: the models' targets, or the objectives'
        # own values for the log-normal ones; normalized so that the worst
        # success -> 0, the best -> 1
        H = np.where(signs != 0, Y, T)[ok]
        low, high = H.min(axis=0), H.max(axis=0)
        scale = np.where(high > low, high - low, 1.0)
        Z = (H - low) / scale
        # each model's posterior -> what the boxes take: the normalized value
        # (Gaussian), or the log value (log-normal, through the affine
        # standardization of its targets)
        Tok, Lok = T[ok], Yf[ok]
        span = np.ptp(Tok, axis=0)
        slope = np.ptp(Lok, axis=0) / np.where(span > 0, span, 1.0)
        alpha = np.where(signs != 0, slope, 1.0 / scale)
        beta = np.where(
            signs != 0, Lok.mean(axis=0) - slope * Tok.mean(axis=0), -low / scale
        )
        ref = self._reference(Y[ok], H, Z, low, scale)
        front = _front(Z, ref)
        extra = self._local_candidates(X[ok], Z, enc, rng)

        def to_box(mu):
            # posterior means (model units) -> normalized box coordinates
            out = beta + alpha * mu
            logn = signs != 0
            out[:, logn] = (
                signs[logn] * np.exp(signs[logn] * out[:, logn]) - low[logn]
            ) / scale[logn]
            return out

        chosen, seen = [], X

        def believe(gps, front, f):
            # kriging believer: every GP conditioned on the encoded points
            # ``f`` at its posterior mean there, the front extended by them
            mu = np.column_stack([gp.predict(f, return_var=False) for gp in gps])
            gps = [gp.condition_on(f, mu[:, j]) for j, gp in enumerate(gps)]
            return gps, _front(np.vstack([front, to_box(mu)]), ref)

        if P is not None and len(P):  # pending points
            gps, front = believe(gps, front, enc.encode(P))
            seen = np.vstack([X, P])
        for _ in range(n):
            boxes = _Boxes(front, ref, log_normal=signs, low=low, scale=scale)
            fun = _acquisition(gps, enc, boxes, alpha, beta)
            U, values = maximize_acquisition(
                fun,
                d,
                rng=rng,
                snap=enc.snap,
                continuous=enc.numeric,
                n_candidates=self.n_candidates,
                n_polish=self.n_polish,
                extra_candidates=extra,
                maxiter=_POLISH_MAXITER,
            )
            u = _first_unseen(U, seen)
            if u is None:  # every candidate already evaluated: explore
                u = enc.snap(rng.random((1, d)))[0]
                self.log_ehvi_ = None
            else:
                hit = np.flatnonzero(np.all(U == u, axis=1))
                self.log_ehvi_ = float(values[hit[0]])
            chosen.append(u)
            seen = np.vstack([seen, u])
            if len(chosen) < n:
                gps, front = believe(gps, front, enc.encode(u[None, :]))
        return np.asarray(chosen)

    def _reference(self, Y_ok, T_ok, Z, low, scale):
        """The reference point in normalized units; sets ``reference_point_``.

        Given coordinates are carried through the (monotone) warp by
        piecewise-linear interpolation of the observed pairs, extrapolated
        linearly (exact for the affine ``"standardize"``); the others are the
        front's nadir minus ``reference_margin``.
        """
        m = Z.shape[1]
        nadir = Z[front_mask_finite(Z)].min(axis=0)
        ref = nadir - self.reference_margin
        given = (
            np.full(m, np.nan)
            if self.reference_point is None
            else np.asarray(self.reference_point, dtype=np.float64).ravel()
        )
        if given.shape != (m,):
            raise ValueError(
                f"reference_point must have one value per objective ({m}), got "
                f"shape {given.shape}."
            )
        out = np.empty(m)
        for j in range(m):  # a few objectives
            if np.isfinite(given[j]) and np.ptp(Y_ok[:, j]) > 0:
                t = _interp(given[j], Y_ok[:, j], T_ok[:, j])
                ref[j] = (t - low[j]) / scale[j]
                out[j] = given[j]
            else:
                out[j] = _interp(low[j] + ref[j] * scale[j], T_ok[:, j], Y_ok[:, j])
        self.reference_point_ = out
        return ref

    def _local_candidates(
        self, X_ok, Z_ok, enc, rng, n_best=8, per_point=32, scale=0.05
    ):
        """Perturbations of front points (numeric coordinates jittered,
        categorical ones resampled with probability 0.2)."""
        idx = np.flatnonzero(front_mask_finite(Z_ok))
        if len(idx) > n_best:
            idx = np.sort(rng.choice(idx, n_best, replace=False))
        C = np.repeat(X_ok[idx], per_point, axis=0)
        noise = rng.normal(0.0, scale, C.shape)
        C = np.where(enc.numeric, C + noise, C)
        flip = rng.random(C.shape) < 0.2
        C = np.where(~enc.numeric & flip, rng.random(C.shape), C)
        return np.clip(C, 0.0, 1.0)


def _acquisition(gps, enc, boxes, alpha, beta):
    """log EHVI of the posterior, as ``fun(U, return_grad)``; the boxes take
    ``beta + alpha * mean`` and ``alpha^2 * var`` of each model."""

    def fun(U, return_grad=False):
        F = enc.encode(U)
        preds = [gp.predict(F, return_grad=return_grad) for gp in gps]
        mean = beta + alpha * np.column_stack([p[0] for p in preds])
        var = np.column_stack([p[1] for p in preds]) * alpha**2
        if not return_grad:
            return boxes.log_ehvi(mean, var)
        value, g_mean, g_var = boxes.log_ehvi(mean, var, return_grad=True)
        dF = np.zeros_like(preds[0][2])
        for j, p in enumerate(preds):
            dF += (g_mean[:, j] * alpha[j])[:, None] * p[2]
            dF += (g_var[:, j] * alpha[j] ** 2)[:, None] * p[3]
        return value, enc.grad_to_unit(dF, U)

    return fun


def _interp(x, xp, fp):
    """Monotone piecewise-linear map through the pairs ``(xp, fp)``, extended
    beyond them by the line through their extremes (flat if degenerate)."""
    order = np.argsort(xp, kind="stable")
    xp, fp = xp[order], fp[order]
    span = xp[-1] - xp[0]
    slope = (fp[-1] - fp[0]) / span if span > 0 else 0.0
    if x < xp[0]:
        return float(fp[0] + (x - xp[0]) * slope)
    if x > xp[-1]:
        return float(fp[-1] + (x - xp[-1]) * slope)
    return float(np.interp(x, xp, fp))
