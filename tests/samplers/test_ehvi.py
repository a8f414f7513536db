"""EHVI: the box decomposition, the closed form against quasi-Monte Carlo and
quadrature, its gradient, and EHVISampler."""

import numpy as np
import pytest
from scipy import integrate, stats

from sklearn_hpo.multiobjective import hypervolume
from sklearn_hpo.samplers import EHVISampler
from sklearn_hpo.samplers._ehvi import (
    ehvi,
    ehvi_qmc,
    hypervolume_improvement,
    log_ehvi,
    nondominated_boxes,
)


def _sphere_front(k, m, seed):
    """``k`` points on the positive unit sphere: all non-dominated."""
    P = np.abs(np.random.default_rng(seed).normal(size=(k, m)))
    return P / np.linalg.norm(P, axis=1, keepdims=True)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_boxes_give_the_hypervolume_improvement(m):
    rng = np.random.default_rng(m)
    # a front plus dominated and repeated rows, which must not matter
    P = _sphere_front(12, m, seed=m)
    P = np.vstack([P, 0.5 * P[:3], P[:2]])
    r = np.full(m, -0.1)
    Y = rng.random((60, m)) * 1.4 - 0.2
    hv0 = hypervolume(P, r)
    expected = [hypervolume(np.vstack([P, y]), r) - hv0 for y in Y]
    np.testing.assert_allclose(
        hypervolume_improvement(Y, P, r), expected, rtol=0, atol=1e-12
    )
    lower, upper = nondominated_boxes(P, r)
    assert np.all(lower < upper) and np.all(np.isinf(upper[:, -1]))


def test_empty_front_is_one_box():
    lower, upper = nondominated_boxes(np.empty((0, 2)), [0.0, 1.0])
    np.testing.assert_array_equal(lower, [[0.0, 1.0]])
    np.testing.assert_array_equal(upper, [[np.inf, np.inf]])
    assert hypervolume_improvement([[2.0, 3.0]], np.empty((0, 2)), [0, 1])[0] == 4.0


@pytest.mark.parametrize("m, k", [(2, 15), (3, 10)])
def test_closed_form_matches_quasi_monte_carlo(m, k):
    rng = np.random.default_rng(10 + m)
    P = _sphere_front(k, m, seed=m)
    r = np.full(m, -0.1)
    mean = rng.uniform(0.2, 0.9, (6, m))
    var = rng.uniform(0.005, 0.05, (6, m))
    exact = ehvi(mean, var, P, r)
    estimate = ehvi_qmc(mean, var, P, r, n_samples=2**14)
    assert exact.max() > 1e-2
    # observed errors are about 5e-5 of the value: 20 to 40 times that
    np.testing.assert_allclose(estimate, exact, rtol=2e-3, atol=1e-3 * exact.max())


def test_closed_form_matches_quadrature():
    # objective 2 is known (variance at the floor): EHVI is a 1-d integral
    # of the improvement over the normal density of objective 1
    P = np.array([[0.2, 0.9], [0.5, 0.6], [0.8, 0.2]])
    r = np.array([0.0, 0.0])
    mu1, s1, y2 = 0.55, 0.3, 0.7

    def integrand(t):
        return hypervolume_improvement([[t, y2]], P, r)[0] * stats.norm.pdf(t, mu1, s1)

    # the improvement is piecewise linear: split at its kinks
    edges = [mu1 - 10 * s1, 0.0, 0.2, 0.5, 0.8, mu1 + 10 * s1]
    expected = sum(
        integrate.quad(integrand, a, b, epsabs=1e-13, epsrel=1e-12)[0]
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    )
    value = ehvi([[mu1, y2]], [[s1**2, 0.0]], P, r)[0]
    assert value == pytest.approx(expected, rel=1e-5)
    # and a 2-d integral on a one-point front: Gauss-Legendre on the
    # rectangles between the kinks, where the integrand is smooth
    P1 = np.array([[0.5, 0.5]])
    mu, sd = np.array([0.45, 0.6]), np.array([0.2, 0.15])
    nodes, weights = np.polynomial.legendre.leggauss(40)
    pieces = []
    for j in range(2):
        cuts = [0.0, 0.5, mu[j] + 10 * sd[j]]
        spans = list(zip(cuts[:-1], cuts[1:], strict=True))
        t = [(hi - lo) / 2 * nodes + (hi + lo) / 2 for lo, hi in spans]
        w = [(hi - lo) / 2 * weights for lo, hi in spans]
        pieces.append((np.concatenate(t), np.concatenate(w)))
    (ta, wa), (tb, wb) = pieces
    A, B = np.meshgrid(ta, tb, indexing="ij")
    hvi = hypervolume_improvement(np.stack([A, B], axis=-1), P1, r)
    dens = stats.norm.pdf(A, mu[0], sd[0]) * stats.norm.pdf(B, mu[1], sd[1])
    expected2 = float(np.sum(wa[:, None] * wb[None, :] * hvi * dens))
    value2 = ehvi([mu], [sd**2], P1, r)[0]
    assert value2 == pytest.approx(expected2, rel=1e-7)


@pytest.mark.parametrize("m", [2, 3])
def test_zero_variance_is_the_improvement_and_dominated_is_zero(m):
    rng = np.random.default_rng(m)
    P = _sphere_front(8, m, seed=20 + m)
    r = np.full(m, -0.1)
    Y = rng.uniform(0.3, 1.1, (10, m))
    hvi = hypervolume_improvement(Y, P, r)
    assert (hvi > 0).sum() >= 3  # some improve, some do not
    value = ehvi(Y, np.full(Y.shape, 1e-16), P, r)
    np.testing.assert_allclose(value, hvi, rtol=1e-4, atol=1e-5)
    # a point surely dominated: far below the front, small variance
    dominated = np.full((1, m), 0.1)
    tiny = ehvi(dominated, np.full((1, m), 1e-4), P, r)
    assert 0 <= tiny[0] < 1e-20
    # the log keeps a finite value and a slope towards the front
    value, g_mean, _ = log_ehvi(
        dominated, np.full((1, m), 1e-4), P, r, return_grad=True
    )
    assert np.isfinite(value[0]) and np.all(g_mean > 0)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_log_ehvi_gradient_matches_finite_differences(m):
    rng = np.random.default_rng(30 + m)
    P = _sphere_front(10, m, seed=m)
    r = np.full(m, -0.1)
    mean = rng.uniform(0.0, 1.0, (5, m))
    var = rng.uniform(0.002, 0.08, (5, m))
    _, g_mean, g_var = log_ehvi(mean, var, P, r, return_grad=True)
    h = 1e-6
    for j in range(m):
        e = np.zeros_like(mean)
        e[:, j] = h
        fd_mean = (log_ehvi(mean + e, var, P, r) - log_ehvi(mean - e, var, P, r)) / (
            2 * h
        )
        fd_var = (log_ehvi(mean, var + e, P, r) - log_ehvi(mean, var - e, P, r)) / (
            2 * h
        )
        np.testing.assert_allclose(g_mean[:, j], fd_mean, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(g_var[:, j], fd_var, rtol=1e-5, atol=1e-6)


def test_functions_do_not_mutate_their_inputs():
    rng = np.random.default_rng(0)
    P, r = _sphere_front(6, 2, seed=0), np.array([-0.1, -0.1])
    mean, var = rng.random((4, 2)), rng.uniform(0.01, 0.1, (4, 2))
    copies = [a.copy() for a in (P, r, mean, var)]
    log_ehvi(mean, var, P, r, return_grad=True)
    ehvi_qmc(mean, var, P, r, n_samples=64)
    hypervolume_improvement(mean, P, r)
    for a, b in zip((P, r, mean, var), copies, strict=True):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ sampler
def _problem(X):
    # a = x0 and b = 1 - x0^2 - mean(x1..x3): the front is x1 = x2 = x3 = 0
    return np.column_stack([X[:, 0], 1 - X[:, 0] ** 2 - X[:, 1:].mean(axis=1)])


def test_sampler_beats_random_on_every_seed():
    ref = [0.0, -1.0]  # the best front has hypervolume 2 - 1/3
    for seed in range(3):
        rng = np.random.default_rng(seed)
        # no polish, to keep the test fast
        sampler = EHVISampler(n_initial_points=8, n_candidates=256, n_polish=0)
        X = sampler.propose(np.empty((0, 4)), np.empty((0, 2)), 8, rng=rng)
        for _ in range(8):
            X = np.vstack([X, sampler.propose(X, _problem(X), 1, rng=rng)])
        ours = hypervolume(_problem(X), ref)
        R = np.random.default_rng(100 + seed).random((16, 4))
        random = hypervolume(_problem(R), ref)
        # observed: ours 1.46-1.48, random 1.23-1.25 (0.22 or more apart)
        assert ours > random + 0.1, (seed, ours, random)


def test_sampler_batch_history_nan_and_no_mutation():
    rng = np.random.default_rng(1)
    X = rng.random((14, 3))
    Y = _problem(np.column_stack([X, X[:, :1]]))
    Y[[2, 7]] = np.nan
    Y[9, 1] = np.nan  # one missing objective fails the whole row
    X0, Y0 = X.copy(), Y.copy()
    sampler = EHVISampler(n_initial_points=4, n_candidates=64, n_polish=1)
    U = sampler.propose(X, Y, 3, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    assert U.shape == (3, 3) and np.all((U >= 0) & (U <= 1))
    assert len(np.unique(U, axis=0)) == 3
    assert not any(np.all(X == u, axis=1).any() for u in U)
    assert sampler.reference_point_.shape == (2,)
    assert np.isfinite(sampler.log_ehvi_)
    # the row with one nan is a failure: same proposals as with both nan
    Y2 = Y.copy()
    Y2[9] = np.nan
    again = EHVISampler(n_initial_points=4, n_candidates=64, n_polish=1)
    np.testing.assert_array_equal(
        again.propose(X, Y2, 3, rng=np.random.default_rng(5)), U
    )


def test_reference_point_given_and_derived():
    rng = np.random.default_rng(2)
    X = rng.random((12, 2))
    Y = np.column_stack([X[:, 0], 1 - X[:, 0] ** 2 - X[:, 1]])
    sampler = EHVISampler(n_initial_points=4, n_candidates=64, n_polish=1)
    sampler.propose(X, Y, 1, rng=rng)
    derived = sampler.reference_point_
    # below the worst front value by a tenth of the observed range
    from sklearn_hpo.multiobjective import pareto_front_mask

    nadir = Y[pareto_front_mask(Y)].min(axis=0)
    np.testing.assert_allclose(derived, nadir - 0.1 * np.ptp(Y, axis=0))
    sampler = EHVISampler(
        n_initial_points=4, n_candidates=64, n_polish=1, reference_point=[0.2, np.nan]
    )
    sampler.propose(X, Y, 1, rng=rng)
    np.testing.assert_allclose(sampler.reference_point_, [0.2, derived[1]])


def test_initial_design_and_bad_parameters():
    rng = np.random.default_rng(0)
    sampler = EHVISampler(n_initial_points=4)
    U = sampler.propose(np.empty((0, 2)), np.empty((0, 2)), 4, rng=rng)
    assert U.shape == (4, 2) and sampler.reference_point_ is None  # Sobol'
    with pytest.raises(ValueError, match="ParEGOSampler"):
        sampler.propose(rng.random((5, 2)), rng.random((5, 4)), 1, rng=rng)
    with pytest.raises(ValueError, match="n_initial_points"):
        EHVISampler(n_initial_points=0)
    with pytest.raises(ValueError, match="reference_margin"):
        EHVISampler(reference_margin=0)
    with pytest.raises(ValueError, match="output_warping"):
        EHVISampler(output_warping="log")
    with pytest.raises(ValueError, match="one value per objective"):
        EHVISampler(n_initial_points=2, reference_point=[0.0]).propose(
            rng.random((5, 2)), rng.random((5, 2)), 1, rng=rng
        )


def test_reproducible_and_one_objective():
    rng = np.random.default_rng(3)
    X = rng.random((8, 2))
    y = -np.sum((X - 0.3) ** 2, axis=1)  # 1-d: one objective, EHVI is EI

    def run():
        sampler = EHVISampler(n_initial_points=2, n_candidates=64, n_polish=1)
        return sampler.propose(X, y, 2, rng=np.random.default_rng(4))

    U = run()
    np.testing.assert_array_equal(U, run())
    assert U.shape == (2, 2) and np.all((U >= 0) & (U <= 1))


# ------------------------------------------- log-normal objectives (costs)
@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize(
    "mean, var, strike",
    [
        (0.3, 0.4, 1.2),
        (0.3, 0.4, -1.2),
        (-1.0, 0.25, -1.5),
        (1.0, 2.0, 3.0),
        (0.0, 0.3, -3.0),
        (0.5, 1e-4, 1.5),
    ],
)
def test_log_normal_factor_matches_quadrature_and_finite_differences(
    sign, mean, var, strike
):
    from sklearn_hpo.samplers._ehvi import _log_lognormal_ei

    sd = np.sqrt(var)

    def integrand(t):
        return max(sign * np.exp(sign * t) - strike, 0.0) * stats.norm.pdf(t, mean, sd)

    kink = [sign * np.log(sign * strike)] if sign * strike > 0 else None
    expected = integrate.quad(
        integrand, mean - 12 * sd, mean + 12 * sd, points=kink, limit=200
    )[0]
    value, g_mean, g_var = _log_lognormal_ei(mean, var, strike, sign, True)
    if sign < 0 and strike >= 0:  # -exp(T) > strike >= 0 never happens
        assert expected == 0.0
        assert value == -np.inf and g_mean == 0.0 and g_var == 0.0
        return
    assert np.exp(value) == pytest.approx(expected, rel=1e-9)
    h, hv = 1e-6, 1e-6 * var
    fd_mean = (
        _log_lognormal_ei(mean + h, var, strike, sign)
        - _log_lognormal_ei(mean - h, var, strike, sign)
    ) / (2 * h)
    fd_var = (
        _log_lognormal_ei(mean, var + hv, strike, sign)
        - _log_lognormal_ei(mean, var - hv, strike, sign)
    ) / (2 * hv)
    assert g_mean == pytest.approx(fd_mean, rel=1e-6)
    assert g_var == pytest.approx(fd_var, rel=1e-5)


def _cost_front(m, k, seed):
    """A front in natural units: a score in (0, 1), ``-cost`` (log-normal
    cost) and, for m = 3, a positive log-normal value to maximize."""
    rng = np.random.default_rng(seed)
    cols = [rng.random(k), -np.exp(rng.normal(0, 1, k)), np.exp(rng.normal(0, 1, k))]
    return np.column_stack(cols[:m]), np.array([0.0, -1.0, 1.0][:m])


@pytest.mark.parametrize("m", [2, 3])
def test_log_normal_ehvi_matches_quasi_monte_carlo_and_its_gradient(m):
    rng = np.random.default_rng(40 + m)
    P, signs = _cost_front(m, 6, seed=m)
    r = np.array([0.0, -10.0, 0.05][:m])
    mean = np.column_stack(
        [rng.random(5), -rng.normal(0, 1, 5), rng.normal(0, 1, 5)][:m]
    )
    var = rng.uniform(0.05, 0.5, (5, m))
    exact = ehvi(mean, var, P, r, log_normal=signs)
    estimate = ehvi_qmc(mean, var, P, r, log_normal=signs, n_samples=2**16)
    assert exact.min() > 1e-2
    # observed: within 3e-4 of the value
    np.testing.assert_allclose(estimate, exact, rtol=3e-3)
    _, g_mean, g_var = log_ehvi(mean, var, P, r, log_normal=signs, return_grad=True)
    h = 1e-6
    for j in range(m):
        e = np.zeros_like(mean)
        e[:, j] = h

        def f(mu, v):
            return log_ehvi(mu, v, P, r, log_normal=signs)

        np.testing.assert_allclose(
            g_mean[:, j], (f(mean + e, var) - f(mean - e, var)) / (2 * h), rtol=1e-6
        )
        np.testing.assert_allclose(
            g_var[:, j], (f(mean, var + e) - f(mean, var - e)) / (2 * h), rtol=1e-6
        )
    # with no uncertainty, the improvement of exp(mean) in natural units
    natural = mean.copy()
    for j in np.flatnonzero(signs):
        natural[:, j] = signs[j] * np.exp(signs[j] * mean[:, j])
    np.testing.assert_allclose(
        ehvi(mean, np.full(mean.shape, 1e-14), P, r, log_normal=signs),
        hypervolume_improvement(natural, P, r),
        rtol=1e-5,
        atol=1e-9,
    )


def test_sampler_models_log_costs_and_measures_natural_units(monkeypatch):
    from sklearn_hpo.gp import _warping
    from sklearn_hpo.samplers import GPSampler

    seen = []
    original = GPSampler._fit

    def spy(self, F, t, rng):
        seen.append(np.array(t, copy=True))
        return original(self, F, t, rng)

    monkeypatch.setattr(GPSampler, "_fit", spy)
    rng = np.random.default_rng(6)
    X = rng.random((14, 2))
    cost = np.exp(6 * X[:, 0] - 2)  # spans five orders of magnitude
    Y = np.column_stack([X[:, 0] - X[:, 1] ** 2, -cost])
    Y[3] = np.nan  # a failed candidate
    sampler = EHVISampler(
        n_initial_points=4,
        n_candidates=64,
        n_polish=1,
        reference_point=[-1.0, -50.0],
        log_objectives=[0, -1],
    )
    U = sampler.propose(X, Y, 2, rng=rng)
    assert U.shape == (2, 2) and np.isfinite(sampler.log_ehvi_)
    ok = np.isfinite(Y[:, 1])
    # the cost's model fits the standardized -log(cost) of the successes
    np.testing.assert_allclose(
        seen[1][ok], _warping.standardize(-np.log(cost[ok])), atol=1e-12
    )
    # the reference point stays in natural units
    np.testing.assert_allclose(sampler.reference_point_, [-1.0, -50.0])
    with pytest.raises(ValueError, match="log_objectives needs output_warping"):
        EHVISampler(log_objectives=[0, -1], output_warping="power")
    with pytest.raises(ValueError, match="log_objectives must hold"):
        EHVISampler(n_initial_points=2, log_objectives=[0, 2])
    with pytest.raises(ValueError, match="log_objectives must hold"):
        EHVISampler(n_initial_points=2, log_objectives=[0, -1, -1]).propose(
            X, Y, 1, rng=rng
        )


def test_sampler_log_column_with_zero_costs():
    rng = np.random.default_rng(7)
    X = rng.random((10, 2))
    Y = np.column_stack([X[:, 0], np.zeros(10)])  # a timer that reads 0
    Y[:5, 1] = -X[:5, 1]  # and some negative "costs" of sign -1: -value > 0
    sampler = EHVISampler(
        n_initial_points=4, n_candidates=64, n_polish=1, log_objectives=[0, -1]
    )
    assert sampler.propose(X, Y, 1, rng=rng).shape == (1, 2)
    # no positive cost at all: no log, the column is modelled as it is
    zero = np.column_stack([X[:, 0], np.zeros(10)])
    plain = EHVISampler(n_initial_points=4, n_candidates=64, n_polish=1)
    logged = EHVISampler(
        n_initial_points=4, n_candidates=64, n_polish=1, log_objectives=[0, -1]
    )
    np.testing.assert_array_equal(
        logged.propose(X, zero, 1, rng=np.random.default_rng(8)),
        plain.propose(X, zero, 1, rng=np.random.default_rng(8)),
    )


def test_log_normal_factor_far_in_the_tail_keeps_a_slope():
    from sklearn_hpo.samplers._ehvi import _log_lognormal_ei

    # a cost of about exp(2) = 7.4, sure to stay above 0.5: the improvement
    # underflows in linear space, its log keeps a slope towards lower costs
    value, g_mean, _ = _log_lognormal_ei(-2.0, 0.01, -0.5, -1, True)
    assert np.exp(value) < 1e-150 and np.isfinite(value)
    assert g_mean > 0
