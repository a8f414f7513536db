"""The GP core against references: scikit-learn's GaussianProcessRegressor,
finite differences, closed forms."""

import math

import numpy as np
import pytest
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern

from sklearn_hpo.gp import (
    GaussianProcess,
    cholesky_jitter,
    matern52,
    power_warp,
    rank_warp,
    standardize,
    warp,
)
from sklearn_hpo.gp._kernels import matern52_grad_inputs, matern52_lengthscale_grad


def _data(n=25, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = np.sin(5 * X[:, 0]) + X[:, -1] ** 2 + 0.05 * rng.normal(size=n)
    return X, y


def _fixed_gp(X, y, ls, s2, noise, mean=0.0):
    theta = np.concatenate([np.log(ls), [math.log(s2), math.log(noise), mean]])
    return GaussianProcess().fit(X, y, theta0=theta, optimize_hyperparameters=False)


def _sklearn_gpr(X, y, ls, s2, noise):
    kernel = ConstantKernel(s2, "fixed") * Matern(ls, "fixed", nu=2.5)
    return GaussianProcessRegressor(kernel, alpha=noise, optimizer=None).fit(X, y)


# ------------------------------------------------------------------ kernel
def test_kernel_equals_sklearn_matern():
    rng = np.random.default_rng(1)
    X1, X2 = rng.random((7, 4)), rng.random((5, 4))
    ls = np.array([0.3, 1.0, 2.0, 0.7])
    ref = (ConstantKernel(1.7) * Matern(ls, nu=2.5))(X1, X2)
    np.testing.assert_allclose(matern52(X1, X2, ls, 1.7), ref, rtol=1e-12, atol=1e-14)
    K = matern52(X1, None, ls, 1.7)
    np.testing.assert_array_equal(K, K.T)
    np.testing.assert_array_equal(np.diag(K), 1.7)


def test_kernel_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    X, Xq = rng.random((6, 3)), rng.random((4, 3))
    ls, s2, h = np.array([0.4, 0.9, 1.5]), 1.3, 1e-6
    # inputs
    dK = matern52_grad_inputs(Xq, X, ls, s2)
    for j in range(3):
        e = np.zeros(3)
        e[j] = h
        fd = (matern52(Xq + e, X, ls, s2) - matern52(Xq - e, X, ls, s2)) / (2 * h)
        np.testing.assert_allclose(dK[:, :, j], fd, rtol=1e-6, atol=1e-8)
    # lengthscales, contracted with a symmetric weight matrix
    A = rng.random((6, 6))
    W = A + A.T
    _, G = matern52(X, None, ls, s2, return_g=True)
    g = matern52_lengthscale_grad(X, ls, W * G)
    for j in range(3):
        up, down = ls.copy(), ls.copy()
        up[j] *= math.exp(h)
        down[j] *= math.exp(-h)
        fd = np.sum(W * (matern52(X, None, up, s2) - matern52(X, None, down, s2)))
        assert g[j] == pytest.approx(fd / (2 * h), rel=1e-6)


# --------------------------------------------------------------- posterior
@pytest.mark.parametrize("d", [1, 3, 6])
def test_posterior_equals_gaussianprocessregressor(d):
    X, y = _data(n=30, d=d, seed=d)
    rng = np.random.default_rng(d)
    ls, s2, noise = rng.uniform(0.2, 2.0, d), 1.4, 1e-3
    ours = _fixed_gp(X, y, ls, s2, noise)
    ref = _sklearn_gpr(X, y, ls, s2, noise)
    Xq = rng.random((200, d))
    mean, var = ours.predict(Xq)
    ref_mean, ref_std = ref.predict(Xq, return_std=True)
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(var, ref_std**2, rtol=1e-8, atol=1e-8)
    # full covariance too
    _, ref_cov = ref.predict(Xq[:20], return_cov=True)
    np.testing.assert_allclose(ours.posterior_covariance(Xq[:20]), ref_cov, atol=1e-8)


def test_log_marginal_likelihood_equals_sklearn():
    X, y = _data(n=40, d=2)
    ls, s2, noise = np.array([0.5, 1.2]), 0.8, 1e-2
    ours = GaussianProcess().log_marginal_likelihood(
        np.concatenate([np.log(ls), [math.log(s2), math.log(noise), 0.0]]), X, y
    )
    ref = _sklearn_gpr(X, y, ls, s2, noise).log_marginal_likelihood_value_
    assert ours == pytest.approx(ref, rel=1e-10)


def test_log_marginal_likelihood_gradient_matches_finite_differences():
    X, y = _data(n=30, d=3, seed=4)
    gp = GaussianProcess()
    theta = np.array([-0.5, 0.1, 0.8, 0.3, math.log(3e-2), 0.2])
    _, grad = gp.log_marginal_likelihood(theta, X, y, return_grad=True)
    h = 1e-6
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        fd = (
            gp.log_marginal_likelihood(theta + e, X, y)
            - gp.log_marginal_likelihood(theta - e, X, y)
        ) / (2 * h)
        assert grad[i] == pytest.approx(fd, rel=1e-5, abs=1e-6), i


def test_neg_log_posterior_gradient_matches_finite_differences():
    X, y = _data(n=20, d=2, seed=5)
    gp = GaussianProcess()
    theta = np.array([0.2, -0.3, -0.1, math.log(5e-3), -0.4])
    _, grad = gp._neg_log_posterior(theta, X, y)
    h = 1e-6
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        fd = (
            gp._neg_log_posterior(theta + e, X, y)[0]
            - gp._neg_log_posterior(theta - e, X, y)[0]
        ) / (2 * h)
        assert grad[i] == pytest.approx(fd, rel=1e-5, abs=1e-6), i


def test_predictive_gradients_match_finite_differences():
    X, y = _data(n=25, d=3, seed=6)
    gp = _fixed_gp(X, y, np.array([0.3, 0.6, 1.1]), 1.2, 1e-3, mean=0.1)
    Xq = np.random.default_rng(0).random((5, 3))
    _, _, dmean, dvar = gp.predict(Xq, return_grad=True)
    h = 1e-6
    for j in range(3):
        e = np.zeros(3)
        e[j] = h
        m1, v1 = gp.predict(Xq + e)
        m0, v0 = gp.predict(Xq - e)
        np.testing.assert_allclose(
            dmean[:, j], (m1 - m0) / (2 * h), rtol=1e-5, atol=1e-7
        )
        np.testing.assert_allclose(
            dvar[:, j], (v1 - v0) / (2 * h), rtol=1e-5, atol=1e-7
        )


def test_condition_on_equals_a_refit_with_the_same_hyperparameters():
    X, y = _data(n=20, d=2, seed=7)
    X_new, y_new = np.random.default_rng(1).random((3, 2)), np.array([0.1, -0.2, 0.3])
    gp = _fixed_gp(X, y, np.array([0.4, 0.8]), 1.0, 1e-2, mean=0.05)
    cond = gp.condition_on(X_new, y_new)
    full = _fixed_gp(
        np.vstack([X, X_new]),
        np.concatenate([y, y_new]),
        np.array([0.4, 0.8]),
        1.0,
        1e-2,
        mean=0.05,
    )
    Xq = np.random.default_rng(2).random((50, 2))
    for a, b in zip(cond.predict(Xq), full.predict(Xq), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10)
    assert len(gp.X_) == 20  # the original is unchanged


def test_samples_follow_the_posterior():
    X, y = _data(n=15, d=1, seed=8)
    gp = _fixed_gp(X, y, np.array([0.3]), 1.0, 1e-2)
    Xq = np.linspace(0, 1, 6)[:, None]
    S = gp.sample(Xq, 20000, rng=np.random.default_rng(0))
    mean, var = gp.predict(Xq)
    assert S.shape == (20000, 6)
    # 20000 samples: the standard error of the mean is sqrt(var / 20000)
    assert np.all(np.abs(S.mean(0) - mean) < 5 * np.sqrt(var / 20000) + 1e-9)
    np.testing.assert_allclose(S.var(0), var, rtol=0.06, atol=1e-6)


def test_inputs_are_not_mutated():
    X, y = _data()
    X0, y0 = X.copy(), y.copy()
    gp = GaussianProcess().fit(X, y, rng=np.random.default_rng(0))
    Xq = X[:4].copy()
    Xq0 = Xq.copy()
    gp.predict(Xq, return_grad=True)
    gp.condition_on(Xq, y[:4])
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(Xq, Xq0)


# -------------------------------------------------------------------- MAP fit
def test_map_fit_finds_the_relevant_dimensions():
    rng = np.random.default_rng(0)
    X = rng.random((60, 4))
    y = np.sin(6 * X[:, 0]) + 0.02 * rng.normal(size=60)
    gp = GaussianProcess().fit(X, standardize(y), rng=rng)
    ls = gp.lengthscales_
    assert ls[0] < 0.5 * min(ls[1:])
    # the fit interpolates the data closely but not exactly (noise is learned)
    mean = gp.predict(X, return_var=False)
    assert np.corrcoef(mean, standardize(y))[0, 1] > 0.99
    assert 1e-6 <= gp.noise_ < 0.1


def test_map_fit_beats_the_prior_mode_and_warm_start_is_consistent():
    X, y = _data(n=40, d=3, seed=9)
    y = standardize(y)
    gp = GaussianProcess().fit(X, y, rng=np.random.default_rng(0))
    mu, _ = GaussianProcess.prior(3)
    at_map = gp._neg_log_posterior(gp.theta_, X, y)[0]
    assert at_map < gp._neg_log_posterior(mu, X, y)[0]
    warm = GaussianProcess(n_restarts=0).fit(X, y, theta0=gp.theta_)
    assert warm._neg_log_posterior(warm.theta_, X, y)[0] <= at_map + 1e-6


def test_fixed_noise_is_kept():
    X, y = _data(n=20, d=2)
    gp = GaussianProcess(noise=0.05).fit(
        X, standardize(y), rng=np.random.default_rng(0)
    )
    assert gp.noise_ == 0.05


def test_fit_rejects_bad_input():
    with pytest.raises(ValueError, match="finite"):
        GaussianProcess().fit(np.zeros((3, 1)), [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match=r"\(n, d\)"):
        GaussianProcess().fit(np.zeros(3), [0.0, 1.0, 1.0])


def test_many_points_fit_on_a_subset_but_condition_on_all():
    rng = np.random.default_rng(3)
    X = rng.random((80, 2))
    y = standardize(np.cos(4 * X[:, 0]))
    gp = GaussianProcess(max_fit_points=30).fit(X, y, rng=rng)
    assert gp.L_.shape == (80, 80)


# ------------------------------------------------------------------ Cholesky
def test_cholesky_jitter_escalates_and_fails_cleanly():
    X = np.repeat(np.random.default_rng(0).random((5, 2)), 2, axis=0)  # duplicates
    K = matern52(X, None, np.ones(2), 1.0)
    L, jitter = cholesky_jitter(K)
    assert jitter > 0
    np.testing.assert_allclose(L @ L.T, K + jitter * np.eye(10), atol=1e-12)
    L, jitter = cholesky_jitter(K + np.eye(10))
    assert jitter == 0.0
    with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
        cholesky_jitter(-np.eye(3))


# ------------------------------------------------------------------- warping
@pytest.mark.parametrize("method", ["power", "rank", "standardize"])
def test_warpings_are_monotone_and_standardized(method):
    rng = np.random.default_rng(0)
    y = -np.exp(3 * rng.random(50))  # a long tail of bad scores
    w = warp(y, method)
    order = np.argsort(y)
    assert np.all(np.diff(w[order]) >= -1e-12)
    assert abs(np.mean(w)) < 1e-9 and abs(np.std(w) - 1) < 1e-9
    np.testing.assert_array_equal(warp(np.full(5, 3.0), method), np.zeros(5))


def test_power_warp_compresses_only_the_tail_of_bad_scores():
    rng = np.random.default_rng(2)
    good_tail = np.exp(4 * rng.random(200))  # a few very good scores
    np.testing.assert_allclose(power_warp(good_tail), standardize(good_tail))
    bad_tail = -good_tail
    w = power_warp(bad_tail)
    assert not np.allclose(w, standardize(bad_tail))
    # the spread among the best scores grows relative to the worst ones
    order = np.argsort(bad_tail)
    z = standardize(bad_tail)
    top, bottom = order[-20:], order[:20]
    assert np.ptp(w[top]) / np.ptp(w[bottom]) > np.ptp(z[top]) / np.ptp(z[bottom])


def test_power_warp_reduces_skew():
    from scipy.stats import skew

    y = -np.exp(4 * np.random.default_rng(1).random(200))
    assert abs(skew(power_warp(y))) < 0.5 * abs(skew(y))
    assert abs(skew(rank_warp(y))) < 0.1
    with pytest.raises(ValueError, match="output warping"):
        warp(y, "log")


def test_lengthscale_prior_scales_with_the_dimension():
    medians = [math.exp(GaussianProcess.prior(d)[0][0]) for d in (1, 6, 10, 50)]
    np.testing.assert_allclose(medians, [1.0, 6**0.25, 10**0.25, 50**0.25])
    mu, sd = GaussianProcess.prior(3)
    assert mu.shape == sd.shape == (6,) and np.all(sd > 0)
