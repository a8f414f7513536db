"""Analytic acquisition functions, tested with fake posteriors (no GP).

Independent references: the closed forms with ``scipy.stats.norm`` where they
are accurate, a quadrature of ``log h`` in the tail (mpmath is not a test
dependency) and the asymptotic series far out.
"""

import contextlib
import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import integrate, special, stats

from sklearn_hpo.acquisition import (
    EI,
    LCB,
    PI,
    UCB,
    VAR_FLOOR,
    LogEI,
    LogPI,
    _analytic,
    ei,
    lcb,
    log_ei,
    log_pi,
    pi,
    ucb,
)

LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
# name -> function; the third positional argument is best (beta for the bounds)
FUNCTIONS = {
    "log_ei": log_ei,
    "ei": ei,
    "log_pi": log_pi,
    "pi": pi,
    "ucb": ucb,
    "lcb": lcb,
}


@contextlib.contextmanager
def strict():
    """Fail on floating-point warnings (numpy, scipy.special); underflow is fine."""
    with (
        warnings.catch_warnings(),
        np.errstate(divide="raise", over="raise", invalid="raise"),
        special.errstate(all="raise", underflow="ignore"),
    ):
        warnings.simplefilter("error")
        yield


def closed_form_ei(mean, var, best):
    sigma = np.sqrt(var)
    z = (mean - best) / sigma
    return sigma * (stats.norm.pdf(z) + z * stats.norm.cdf(z))


def log_h_quadrature(t):
    """``log h(-t)`` from ``h(-t) = phi(t) / t^2 * J(t)``, computed by quad.

    ``h(z) / phi(z) = int_0^inf s exp(s z - s^2 / 2) ds``; with ``s = v / t``
    this is ``J(t) / t^2``, ``J(t) = int_0^inf v exp(-v - v^2 / (2 t^2)) dv``,
    a well-conditioned integral in (0, 1).
    """
    J, _ = integrate.quad(
        lambda v: v * np.exp(-v - v * v / (2 * t * t)),
        0,
        np.inf,
        epsabs=0,
        epsrel=1e-13,
        limit=200,
    )
    return -0.5 * t * t - LOG_SQRT_2PI - 2 * math.log(t) + math.log(J)


# --- reference values --------------------------------------------------------


def test_reference_values():
    # BoTorch's reference point: mean -0.5, var 1, best 0.
    expected = closed_form_ei(-0.5, 1.0, 0.0)
    assert abs(expected - 0.1977966) < 1e-7
    assert abs(ei(-0.5, 1.0, 0.0) - expected) <= 1e-12
    assert abs(log_ei(-0.5, 1.0, 0.0) - math.log(expected)) <= 1e-12
    assert abs(pi(-0.5, 1.0, 0.0) - stats.norm.cdf(-0.5)) <= 1e-15
    assert abs(log_pi(-0.5, 1.0, 0.0) - stats.norm.logcdf(-0.5)) <= 1e-14
    # sigma != 1 and best != 0
    assert abs(ei(1.5, 4.0, 2.5) - closed_form_ei(1.5, 4.0, 2.5)) <= 1e-12
    assert abs(pi(1.5, 4.0, 2.5) - stats.norm.cdf(-0.5)) <= 1e-15
    assert ucb(1.0, 4.0, 0.5) == 2.0
    assert lcb(1.0, 4.0, 0.5) == 0.0
    assert ucb(1.0, 4.0) == 5.0  # default beta = 2


def test_ei_and_log_ei_match_closed_form():
    z = np.linspace(-30, 30, 601)
    for sigma in (1e-3, 0.5, 1.0, 7.0, 1e3):
        best = 0.3
        mean = best + z * sigma
        var = np.full_like(z, sigma**2)
        expected = closed_form_ei(mean, var, best)
        # The closed form itself cancels: ~1e-10 relative error at z = -30.
        # test_log_ei_matches_quadrature_reference is the stricter check.
        assert_allclose(
            log_ei(mean, var, best), np.log(expected), rtol=1e-12, atol=1e-12
        )
        assert_allclose(ei(mean, var, best), expected, rtol=1e-9, atol=0)
        assert_allclose(pi(mean, var, best), stats.norm.cdf(z), rtol=1e-12, atol=0)
        assert_allclose(
            log_pi(mean, var, best), stats.norm.logcdf(z), rtol=1e-12, atol=0
        )


def test_plain_and_log_forms_agree():
    z = np.linspace(-35, 35, 141)
    var = np.full_like(z, 2.0)
    assert_allclose(ei(z, var, 0.0), np.exp(log_ei(z, var, 0.0)), rtol=1e-13)
    assert_allclose(pi(z, var, 0.0), np.exp(log_pi(z, var, 0.0)), rtol=1e-13)
    beta = np.linspace(0, 3, z.size)
    assert_array_equal(lcb(z, var, beta), -ucb(-z, var, beta))


# --- the tail of log EI ------------------------------------------------------


@pytest.mark.parametrize("var, best", [(1.0, 0.0), (4.0, 1.5), (1e-6, -2.0)])
def test_log_ei_finite_and_monotone_from_far_tail(var, best):
    z = np.concatenate([-np.logspace(6, -3, 500), [0.0], np.logspace(-3, 3, 300)])
    mean = best + z * math.sqrt(var)
    with strict():
        value, grad_mean, grad_var = log_ei(mean, var, best, return_grad=True)
    assert np.isfinite(value).all()
    assert (np.diff(value) > 0).all()
    assert np.isfinite(grad_mean).all() and (grad_mean > 0).all()
    # phi(z) / h(z) underflows to 0 for z > 38 (a true limit)
    assert np.isfinite(grad_var).all() and (grad_var[z < 30] > 0).all()
    assert (grad_var >= 0).all()


def test_log_ei_matches_asymptotic_series():
    t = np.array([1e3, 1e4, 1e6, 1e8, 1e12, 1e100])
    u = 1 / t**2
    expected = -0.5 * t**2 - LOG_SQRT_2PI - 2 * np.log(t) + np.log1p(-3 * u + 15 * u**2)
    with strict():
        value = log_ei(-t, 1.0, 0.0)
    assert_allclose(value, expected, rtol=1e-14, atol=0)
    # the correction term itself, where it is resolvable
    leading = -0.5 * t[:2] ** 2 - LOG_SQRT_2PI - 2 * np.log(t[:2])
    assert_allclose(value[:2] - leading, expected[:2] - leading, rtol=1e-4)


def test_tail_gradients_match_asymptotic_series():
    # u = 1 / t^2:  phi / h = t^2 (1 + 3u + O(u^2)),  Phi / h = t (1 + 2u + ...),
    # phi / Phi = t (1 + u + ...). A difference of two logarithms of size t^2
    # would lose eps t^2 here (1e-2 at t = 1e7).
    t = np.array([1e3, 1e5, 1e7, 1e9])
    u = 1 / t**2
    for var in (1.0, 0.25):
        sigma = math.sqrt(var)
        with strict():
            _, grad_mean, grad_var = log_ei(-t * sigma, var, 0.0, return_grad=True)
            _, pi_mean, pi_var = log_pi(-t * sigma, var, 0.0, return_grad=True)
        assert_allclose(grad_mean, t * (1 + 2 * u) / sigma, rtol=1e-11)
        assert_allclose(grad_var, t**2 * (1 + 3 * u) / (2 * var), rtol=1e-11)
        assert_allclose(pi_mean, t * (1 + u) / sigma, rtol=1e-11)
        assert_allclose(pi_var, t**2 * (1 + u) / (2 * var), rtol=1e-11)


def test_log1mexp():
    x = np.array([-1e-300, -1e-20, -1e-8, -0.1, -math.log(2), -1.0, -50.0, -800.0])
    expected = [
        math.log(1e-300),
        math.log(1e-20),
        math.log(1e-8) - 0.5e-8,  # log(-x) + log1p(x / 2 + ...)
        math.log(-math.expm1(-0.1)),
        -math.log(2),
        math.log1p(-math.exp(-1.0)),
        -math.exp(-50.0),
        -0.0,
    ]
    assert_allclose(_analytic._log1mexp(x), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("t", [1.0, 1.5, 3.0, 8.0, 20.0, 30.0, 45.0, 55.0, 100.0, 1e3])
def test_log_ei_matches_quadrature_reference(t):
    reference = log_h_quadrature(t)
    for sigma in (1.0, 0.3):
        value = log_ei(-t * sigma, sigma**2, 0.0)
        assert abs(value - math.log(sigma) - reference) <= 1e-11
        assert abs(value - math.log(sigma) - reference) <= 1e-9 * abs(reference)


@pytest.mark.parametrize("z0", [_analytic._Z_ERFCX, _analytic._Z_SERIES])
def test_log_ei_continuous_at_branch_points(z0):
    # z0 itself belongs to the lower branch, the next float up to the upper one
    z = np.array([z0, np.nextafter(z0, 0.0)])
    for var in (1.0, 2.0):
        sigma = math.sqrt(var)
        value, grad_mean, grad_var = log_ei(z * sigma, var, 0.0, return_grad=True)
        assert np.diff(value) >= 0
        assert abs(value[1] - value[0]) <= 1e-12 * abs(value[0]) + 1e-13
        assert_allclose(grad_mean[1], grad_mean[0], rtol=1e-11)
        assert_allclose(grad_var[1], grad_var[0], rtol=1e-11)


def test_log_h_branches_agree_where_they_overlap():
    # direct vs erfcx form on [-3, -1], erfcx form vs series on [-100, -30]:
    # log h, log(Phi / h) and log(phi / h)
    t = np.linspace(1, 3, 201)
    for a, b in zip(
        _analytic._log_h_direct(-t), _analytic._log_h_erfcx(t), strict=True
    ):
        assert_allclose(a, b, rtol=0, atol=1e-13)
    t = np.linspace(30, 100, 201)
    for a, b in zip(_analytic._log_h_erfcx(t), _analytic._log_h_series(t), strict=True):
        assert_allclose(a, b, rtol=0, atol=5e-12)


# --- gradients ---------------------------------------------------------------

Z_TAIL = [-40.0, -30.0, -5.0, -1.001, -0.999, -0.5, 0.0, 0.3, 2.0, 10.0]
Z_POINTS = {
    "log_ei": Z_TAIL + [-50.1, -49.9, -1e3],
    "ei": [-30.0, -5.0, -1.001, -0.999, -0.5, 0.0, 0.3, 2.0, 10.0],
    "log_pi": Z_TAIL + [-1e3],
    "pi": [-30.0, -5.0, -1.0, -0.5, 0.0, 0.3, 2.0, 5.0],
    "ucb": [-3.0, 0.0, 1.0],
    "lcb": [-3.0, 0.0, 1.0],
}


def check_against_central_differences(f, x, grad, rtol=1e-6, rel_step=1e-6):
    """``grad`` is ``df/dx`` up to the truncation error (``rtol``) and the
    rounding noise of the difference quotient (a few ulps of ``f`` over the
    step)."""
    step = rel_step * np.maximum(np.abs(x), 1e-3)
    up, down = x + step, x - step
    f_up, f_down = f(up), f(down)
    fd = (f_up - f_down) / (up - down)
    noise = 8 * np.finfo(float).eps * (np.abs(f_up) + np.abs(f_down)) / (up - down)
    assert np.all(np.abs(grad - fd) <= rtol * np.abs(fd) + noise), (grad, fd, noise)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_gradients_match_finite_differences(name):
    func = FUNCTIONS[name]
    z = np.array(Z_POINTS[name])
    for var in (0.25, 1.0, 9.0):
        for third in (0.0, 2.5):  # best, or beta for the bounds
            best = 0.0 if name in ("ucb", "lcb") else third
            mean = best + z * math.sqrt(var)
            var_ = np.full_like(mean, var)
            value, grad_mean, grad_var = func(mean, var_, third, return_grad=True)
            assert_array_equal(value, func(mean, var_, third))
            check_against_central_differences(
                lambda m, v=var_, c=third: func(m, v, c), mean, grad_mean
            )
            check_against_central_differences(
                lambda v, m=mean, c=third: func(m, v, c), var_, grad_var
            )


# --- contract: shapes, purity, degenerate inputs ----------------------------


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_inputs_not_mutated(name):
    func = FUNCTIONS[name]
    rng = np.random.default_rng(0)
    mean = rng.normal(size=(4, 3))
    var = rng.uniform(0, 2, size=(4, 3))
    var[0, 0], var[1, 1] = 0.0, -1e-15
    third = rng.uniform(0, 1, size=3)
    copies = [a.copy() for a in (mean, var, third)]
    func(mean, var, third)
    func(mean, var, third, return_grad=True)
    for a, c in zip((mean, var, third), copies, strict=True):
        assert_array_equal(a, c)
        assert a.flags.writeable


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_broadcasting(name):
    func = FUNCTIONS[name]
    mean = np.linspace(-3, 3, 5).reshape(5, 1)
    var = np.linspace(0.5, 2, 5).reshape(5, 1)
    third = np.array([-1.0, 0.0, 2.0])
    value, grad_mean, grad_var = func(mean, var, third, return_grad=True)
    for out in (value, grad_mean, grad_var):
        assert out.shape == (5, 3)
    for i in range(5):
        for j in range(3):
            v, gm, gv = func(mean[i, 0], var[i, 0], third[j], return_grad=True)
            assert np.ndim(v) == 0 and isinstance(v, np.float64)
            assert (v, gm, gv) == (value[i, j], grad_mean[i, j], grad_var[i, j])
    # lists are accepted
    assert_array_equal(
        func([0.0, 1.0], [1.0, 1.0], 0.5), func(np.array([0.0, 1.0]), np.ones(2), 0.5)
    )


@pytest.mark.parametrize("name", list(FUNCTIONS))
@pytest.mark.parametrize("var", [0.0, -1e-15, 0.5 * VAR_FLOOR])
def test_variance_below_floor_is_finite(name, var):
    func = FUNCTIONS[name]
    mean = np.array([-1.0, 0.0, 1.0])
    with strict():
        value, grad_mean, grad_var = func(mean, var, 0.0, return_grad=True)
    assert np.isfinite(value).all() and np.isfinite(grad_mean).all()
    assert_array_equal(grad_var, 0.0)
    # the value is the one at the floor
    assert_array_equal(value, func(mean, VAR_FLOOR, 0.0))


def test_zero_variance_limits():
    mean = np.array([-1.0, 0.0, 1.0])
    # EI(var -> 0) = max(mean - best, 0), to the last bits above the incumbent
    expected = [0.0, 1e-6 / math.sqrt(2 * math.pi), 1.0]
    assert_allclose(ei(mean, 0.0, 0.0), expected, rtol=2e-16, atol=0)
    assert_array_equal(pi(mean, 0.0, 0.0), [0.0, 0.5, 1.0])
    value = log_ei(mean, 0.0, 0.0)
    assert value[0] < -1e11 and abs(value[2]) < 1e-12


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_nan_propagates(name):
    func = FUNCTIONS[name]
    value, grad_mean, grad_var = func(
        np.array([np.nan, 0.0, 0.0]),
        np.array([1.0, np.nan, 1.0]),
        0.0,
        return_grad=True,
    )
    assert np.isnan(value[:2]).all() and np.isnan(grad_var[1])
    assert np.isfinite(value[2]) and np.isfinite(grad_mean[2])
    if name not in ("ucb", "lcb"):  # the bounds' mean gradient is 1 regardless
        assert np.isnan(grad_mean[:2]).all()


# --- bindings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "binding, func, kwargs",
    [
        (LogEI, log_ei, {"best": 0.5}),
        (EI, ei, {"best": 0.5}),
        (LogPI, log_pi, {"best": 0.5}),
        (PI, pi, {"best": 0.5}),
        (UCB, ucb, {"beta": 1.5}),
        (LCB, lcb, {"beta": 1.5}),
    ],
)
def test_bindings_call_their_function(binding, func, kwargs):
    acq = binding(**kwargs)
    mean = np.linspace(-2, 2, 7)
    var = np.linspace(0.1, 3, 7)
    assert_array_equal(acq(mean, var), func(mean, var, *kwargs.values()))
    for a, b in zip(
        acq(mean, var, return_grad=True),
        func(mean, var, *kwargs.values(), return_grad=True),
        strict=True,
    ):
        assert_array_equal(a, b)
    name, value = next(iter(kwargs.items()))
    assert repr(acq) == f"{binding.__name__}({name}={value!r})"
