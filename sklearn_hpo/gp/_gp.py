"""Gaussian-process regression with MAP hyperparameters.

Notation
--------
X : (n, d)      training inputs (real features)
y : (n,)        training targets (already standardized/warped by the caller)
Xq : (m, d)     query inputs
theta : (d + 3,) = [log l_1 .. log l_d, log s2, log noise, mean]

Model: ``y = f(X) + eps``, ``f ~ GP(mean, k)`` with the Matérn-5/2 ARD kernel
``k`` of :mod:`sklearn_hpo.gp._kernels`, ``eps ~ N(0, noise)``.

With ``K = k(X, X) + noise I = L L^T`` and ``alpha = K^-1 (y - mean)``::

    log p(y | theta) = -1/2 (y - mean)^T alpha - sum log diag L - n/2 log 2 pi
    d/d theta_i      = 1/2 tr(W dK/d theta_i),   W = alpha alpha^T - K^-1
    d/d mean         = sum(alpha)

    posterior mean   mu(Xq)  = mean + k(Xq, X) alpha
    posterior var    s2(Xq)  = s2 - || L^-1 k(X, Xq) ||^2      (of f, no noise)
    d mu / d Xq      = dk(Xq, X)/dXq . alpha
    d var / d Xq     = -2 dk(Xq, X)/dXq . K^-1 k(X, Xq)

Priors (MAP): independent normals on the log parameters,

    log l_j   ~ N(log(d) / 4, 1)             dimension-scaled: the median
                                             lengthscale grows as d^(1/4)
    log s2    ~ N(0, 1)                      targets are standardized
    log noise ~ N(log 1e-3, 4)               small unless the data say
                                             otherwise; bounded below by 1e-6
    mean      ~ N(0, 1)

The lengthscale prior follows the idea of Hvarfner et al. ("Vanilla Bayesian
optimization performs great in high dimensions", ICML 2024): scale the
prior lengthscale with the dimension, so that in many dimensions functions
are a priori smoother. Their prior, ``N(sqrt 2 + log(d) / 2, 3)``, puts the
median lengthscale at 10 for d = 6 and 13 for d = 10 on the unit cube; at the
budgets of hyperparameter search (tens of evaluations) that made the model
nearly linear and left it no better than random search on Ackley-10 in our
benchmarks (``benchmarks/bench_bayes.py``), so the scaling here is gentler
(median 1.6 for d = 6, 1.8 for d = 10, 2.7 for d = 50).

maximized by L-BFGS-B with analytic gradients from several starts (the
previous fit's theta when given, the prior mode, draws from the prior).
Beyond ``max_fit_points`` observations the hyperparameters are fitted on a
random subset of that size (an O(n^3) step per likelihood evaluation); the
posterior always uses every observation.
"""

import math

import numpy as np
from scipy import linalg, optimize
from scipy.linalg import lapack

from sklearn_hpo.gp._kernels import (
    matern52,
    matern52_grad_inputs,
    matern52_lengthscale_grad,
)
from sklearn_hpo.gp._linalg import cholesky_jitter, single_blas_thread

__all__ = ["GaussianProcess"]

_LOG_2PI = math.log(2.0 * math.pi)
_BOUNDS_LOG_L = (math.log(1e-3), math.log(1e3))
_BOUNDS_LOG_S2 = (math.log(1e-3), math.log(1e2))
_BOUNDS_LOG_NOISE = (math.log(1e-6), math.log(2.0))
_BOUNDS_MEAN = (-5.0, 5.0)


class GaussianProcess:
    """A Gaussian process with a Matérn-5/2 ARD kernel, learned noise and mean.

    Parameters
    ----------
    noise : float or None, default=None
        Fixed observation-noise variance; None learns it.
    n_restarts : int, default=2
        Random starts drawn from the prior, besides the first start (``theta0``
        when given, the prior mode otherwise).
    max_fit_points : int, default=300
        Hyperparameters are fitted on at most this many observations.
    maxiter : int, default=200
        L-BFGS-B iterations per start.

    Attributes
    ----------
    theta_ : ndarray of shape (d + 3,)
        Fitted ``[log lengthscales, log signal variance, log noise, mean]``.
    lengthscales_, signal_variance_, noise_, mean_
        The same, unpacked.
    X_, y_ : the training data (copies).
    L_ : ndarray of shape (n, n)
        Lower Cholesky factor of ``K + jitter I``.
    alpha_ : ndarray of shape (n,)
        ``K^-1 (y - mean)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.gp import GaussianProcess
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((20, 2))
    >>> y = np.sin(6 * X[:, 0]) + X[:, 1]
    >>> gp = GaussianProcess().fit(X, y, rng=rng)
    >>> mean, var = gp.predict(X[:3])
    >>> bool(np.allclose(mean, y[:3], atol=0.1))
    True
    """

    def __init__(self, *, noise=None, n_restarts=2, max_fit_points=300, maxiter=200):
        self.noise = noise
        self.n_restarts = n_restarts
        self.max_fit_points = max_fit_points
        self.maxiter = maxiter

    # ----------------------------------------------------------- priors
    @staticmethod
    def prior(d):
        """Means and standard deviations of the normal priors on theta."""
        mu = np.concatenate(
            [np.full(d, 0.25 * math.log(max(d, 1))), [0.0, math.log(1e-3), 0.0]]
        )
        sd = np.concatenate([np.ones(d), [1.0, 2.0, 1.0]])
        return mu, sd

    @staticmethod
    def bounds(d):
        """L-BFGS-B bounds on theta, a list of (low, high)."""
        return [_BOUNDS_LOG_L] * d + [_BOUNDS_LOG_S2, _BOUNDS_LOG_NOISE, _BOUNDS_MEAN]

    # ------------------------------------------------------- likelihood
    def log_marginal_likelihood(self, theta, X, y, *, return_grad=False):
        """``log p(y | theta)`` (without the prior), and its gradient."""
        theta = np.asarray(theta, dtype=np.float64)
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n, d = X.shape
        ls, s2, noise, mean = _unpack(theta, d)
        if self.noise is not None:
            noise = float(self.noise)
        Kf, G = matern52(X, None, ls, s2, return_g=True)
        K = Kf.copy()
        K.flat[:: n + 1] += noise
        L, _ = cholesky_jitter(K)
        r = y - mean
        alpha = linalg.cho_solve((L, True), r, check_finite=False)
        lml = -0.5 * r @ alpha - np.sum(np.log(np.diag(L))) - 0.5 * n * _LOG_2PI
        if not return_grad:
            return lml
        W = np.outer(alpha, alpha) - _inverse_from_cholesky(L)
        grad = np.empty(d + 3)
        grad[:d] = 0.5 * matern52_lengthscale_grad(X, ls, W * G)
        grad[d] = 0.5 * np.sum(W * Kf)
        grad[d + 1] = 0.0 if self.noise is not None else 0.5 * noise * np.trace(W)
        grad[d + 2] = np.sum(alpha)
        return lml, grad

    def _neg_log_posterior(self, theta, X, y):
        d = X.shape[1]
        try:
            lml, grad = self.log_marginal_likelihood(theta, X, y, return_grad=True)
        except np.linalg.LinAlgError:
            return 1e25, np.zeros_like(theta)
        mu, sd = self.prior(d)
        z = (theta - mu) / sd
        lp = -0.5 * np.sum(z * z)
        glp = -z / sd
        if self.noise is not None:
            glp[d + 1] = 0.0
        value = -(lml + lp)
        if not np.isfinite(value):
            return 1e25, np.zeros_like(theta)
        return value, -(grad + glp)

    # -------------------------------------------------------------- fit
    def fit(self, X, y, *, theta0=None, optimize_hyperparameters=True, rng=None):
        """Fit the hyperparameters (MAP) and condition on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n, d)
        y : array-like of shape (n,)
            Finite targets (the caller imputes failures).
        theta0 : array-like of shape (d + 3,), default=None
            A start for the optimizer (the previous fit's ``theta_``), or the
            hyperparameters themselves when ``optimize_hyperparameters`` is
            False.
        optimize_hyperparameters : bool, default=True
        rng : numpy.random.Generator, default=None
            For the random restarts and the subset beyond ``max_fit_points``.

        Returns
        -------
        self
        """
        X = np.array(X, dtype=np.float64, copy=True)
        y = np.array(y, dtype=np.float64, copy=True)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(
                f"X must be (n, d) and y (n,), got {X.shape} and {y.shape}."
            )
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise ValueError("X and y must be finite (impute failed points first).")
        n, d = X.shape
        mu, sd = self.prior(d)
        with single_blas_thread():
            if optimize_hyperparameters:
                if rng is None:
                    rng = np.random.default_rng(0)
                Xf, yf = X, y
                if n > self.max_fit_points:
                    idx = rng.choice(n, self.max_fit_points, replace=False)
                    Xf, yf = X[idx], y[idx]
                theta = self._optimize(Xf, yf, theta0, mu, sd, rng)
            else:
                if theta0 is None:
                    raise ValueError("theta0 is required without optimization.")
                theta = np.asarray(theta0, dtype=np.float64).copy()
            self._condition(X, y, theta)
        return self

    def _optimize(self, X, y, theta0, mu, sd, rng):
        d = X.shape[1]
        bounds = self.bounds(d)
        lo = np.array([b[0] for b in bounds])
        hi = np.array([b[1] for b in bounds])
        # A warm start (the previous fit) replaces the prior mode as the
        # first start; n_restarts random draws from the prior follow.
        if theta0 is not None:
            starts = [np.clip(np.asarray(theta0, dtype=np.float64), lo, hi)]
        else:
            starts = [np.clip(mu, lo, hi)]
        for _ in range(self.n_restarts):
            starts.append(np.clip(mu + sd * rng.standard_normal(d + 3), lo, hi))
        if self.noise is not None:
            for s in starts:
                s[d + 1] = math.log(max(float(self.noise), 1e-300))
        best, best_val = starts[0], np.inf
        for start in starts:
            res = optimize.minimize(
                self._neg_log_posterior,
                start,
                args=(X, y),
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": self.maxiter, "ftol": 1e-9, "gtol": 1e-6},
            )
            if res.fun < best_val and np.all(np.isfinite(res.x)):
                best, best_val = res.x, res.fun
        return np.asarray(best, dtype=np.float64)

    def _condition(self, X, y, theta):
        d = X.shape[1]
        ls, s2, noise, mean = _unpack(theta, d)
        if self.noise is not None:
            noise = float(self.noise)
            theta = theta.copy()
            theta[d + 1] = math.log(max(noise, 1e-300))
        K = matern52(X, None, ls, s2) + noise * np.eye(X.shape[0])
        L, jitter = cholesky_jitter(K)
        self.theta_ = theta
        self.lengthscales_, self.signal_variance_ = ls, s2
        self.noise_, self.mean_ = noise, mean
        self.jitter_ = jitter
        self.X_, self.y_ = X, y
        self.L_ = L
        self.alpha_ = linalg.cho_solve((L, True), y - mean, check_finite=False)

    # ------------------------------------------------------- posterior
    def predict(self, Xq, *, return_var=True, return_grad=False):
        """Posterior mean and variance of ``f`` at ``Xq`` (m, d).

        Parameters
        ----------
        Xq : array-like of shape (m, d)
        return_var : bool, default=True
        return_grad : bool, default=False
            Also return the gradients with respect to ``Xq``, each (m, d).
            They cost an (m, n, d) array: ask for them on a few points only.

        Returns
        -------
        mean : (m,)
        var : (m,), if ``return_var``; clipped below at 1e-12 x signal variance
        dmean, dvar : (m, d), if ``return_grad``
        """
        Xq = np.asarray(Xq, dtype=np.float64)
        with single_blas_thread():
            Kq = matern52(Xq, self.X_, self.lengthscales_, self.signal_variance_)
            mean = self.mean_ + Kq @ self.alpha_
            out = [mean]
            if return_var or return_grad:
                V = linalg.solve_triangular(
                    self.L_, Kq.T, lower=True, check_finite=False
                )
                var = self.signal_variance_ - np.sum(V * V, axis=0)
                var = np.maximum(var, 1e-12 * self.signal_variance_)
                if return_var:
                    out.append(var)
            if return_grad:
                dK = matern52_grad_inputs(
                    Xq, self.X_, self.lengthscales_, self.signal_variance_
                )
                dmean = np.einsum("mnd,n->md", dK, self.alpha_)
                B = linalg.solve_triangular(
                    self.L_, V, lower=True, trans="T", check_finite=False
                )  # K^-1 k(X, Xq), (n, m)
                dvar = -2.0 * np.einsum("mnd,nm->md", dK, B)
                out += [dmean, dvar]
        return out[0] if len(out) == 1 else tuple(out)

    def posterior_covariance(self, Xq):
        """Joint posterior covariance of ``f`` at ``Xq``, shape (m, m)."""
        Xq = np.asarray(Xq, dtype=np.float64)
        with single_blas_thread():
            Kqq = matern52(Xq, None, self.lengthscales_, self.signal_variance_)
            Kq = matern52(Xq, self.X_, self.lengthscales_, self.signal_variance_)
            V = linalg.solve_triangular(self.L_, Kq.T, lower=True, check_finite=False)
            C = Kqq - V.T @ V
        return 0.5 * (C + C.T)

    def sample(self, Xq, n_samples, *, rng):
        """Joint posterior samples of ``f`` at ``Xq``: shape (n_samples, m)."""
        Xq = np.asarray(Xq, dtype=np.float64)
        mean = self.predict(Xq, return_var=False)
        C = self.posterior_covariance(Xq)
        Lc, _ = cholesky_jitter(C + 1e-10 * self.signal_variance_ * np.eye(len(C)))
        z = rng.standard_normal((len(C), n_samples))
        return (mean[:, None] + Lc @ z).T

    def condition_on(self, X_new, y_new):
        """A new GP with the same hyperparameters, conditioned on more data.

        The Cholesky factor is extended by a block (O(n^2 b) for b new
        points) instead of refactored; ``self`` is left unchanged. Used for
        batch proposals (kriging believer: ``y_new`` = the posterior mean).
        """
        X_new = np.atleast_2d(np.asarray(X_new, dtype=np.float64))
        y_new = np.atleast_1d(np.asarray(y_new, dtype=np.float64))
        ls, s2 = self.lengthscales_, self.signal_variance_
        with single_blas_thread():
            K12 = matern52(self.X_, X_new, ls, s2)
            K22 = matern52(X_new, None, ls, s2) + (self.noise_ + self.jitter_) * np.eye(
                len(X_new)
            )
            L21 = linalg.solve_triangular(
                self.L_, K12, lower=True, check_finite=False
            ).T
            L22, _ = cholesky_jitter(K22 - L21 @ L21.T)
            n, b = len(self.X_), len(X_new)
            L = np.zeros((n + b, n + b))
            L[:n, :n] = self.L_
            L[n:, :n] = L21
            L[n:, n:] = L22
            new = GaussianProcess(
                noise=self.noise,
                n_restarts=self.n_restarts,
                max_fit_points=self.max_fit_points,
                maxiter=self.maxiter,
            )
            new.theta_ = self.theta_
            new.lengthscales_, new.signal_variance_ = ls, s2
            new.noise_, new.mean_, new.jitter_ = self.noise_, self.mean_, self.jitter_
            new.X_ = np.vstack([self.X_, X_new])
            new.y_ = np.concatenate([self.y_, y_new])
            new.L_ = L
            new.alpha_ = linalg.cho_solve(
                (L, True), new.y_ - self.mean_, check_finite=False
            )
        return new


def _inverse_from_cholesky(L):
    """``K^-1`` from the lower Cholesky factor of ``K`` (LAPACK potri)."""
    inv, info = lapack.dpotri(L, lower=1)
    if info != 0:
        return linalg.cho_solve((L, True), np.eye(len(L)), check_finite=False)
    lower = np.tril(inv)
    return lower + np.tril(inv, -1).T


def _unpack(theta, d):
    ls = np.exp(theta[:d])
    s2 = math.exp(theta[d])
    noise = math.exp(theta[d + 1])
    mean = float(theta[d + 2])
    return ls, s2, noise, mean
