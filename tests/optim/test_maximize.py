"""maximize_acquisition: finds known maximizers, respects discrete coordinates."""

import numpy as np
import pytest

from sklearn_hpo.optim import maximize_acquisition


def _quadratic(center):
    center = np.asarray(center, dtype=float)

    def fun(U, return_grad=False):
        diff = U - center
        v = -np.sum(diff * diff, axis=1)
        return (v, -2 * diff) if return_grad else v

    return fun


@pytest.mark.parametrize("d", [1, 3, 8])
def test_finds_the_maximizer_of_a_smooth_function(d):
    center = np.random.default_rng(d).uniform(0.1, 0.9, d)
    U, values = maximize_acquisition(
        _quadratic(center), d, rng=np.random.default_rng(0)
    )
    np.testing.assert_allclose(U[0], center, atol=1e-5)
    assert values[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(values) <= 0)  # best first


def test_maximizer_on_the_boundary():
    U, _ = maximize_acquisition(
        _quadratic([1.3, -0.2]), 2, rng=np.random.default_rng(0)
    )
    np.testing.assert_allclose(U[0], [1.0, 0.0], atol=1e-8)


def test_multimodal_function_global_maximum():
    # two bumps; the higher and narrower one at 0.8
    def fun(U, return_grad=False):
        a = np.exp(-np.sum((U - 0.2) ** 2, 1) / 0.02)
        b = 1.5 * np.exp(-np.sum((U - 0.8) ** 2, 1) / 0.005)
        v = a + b
        if not return_grad:
            return v
        g = -a[:, None] * 2 * (U - 0.2) / 0.02 - b[:, None] * 2 * (U - 0.8) / 0.005
        return v, g

    U, _ = maximize_acquisition(fun, 2, rng=np.random.default_rng(1))
    np.testing.assert_allclose(U[0], [0.8, 0.8], atol=1e-4)


def test_discrete_coordinates_are_snapped_and_pinned():
    # coordinate 1 is discrete with 4 cells (centres 1/8, 3/8, 5/8, 7/8)
    centres = (np.arange(4) + 0.5) / 4

    def snap(U):
        U = U.copy()
        U[:, 1] = centres[np.clip((U[:, 1] * 4).astype(int), 0, 3)]
        return U

    calls = []

    def fun(U, return_grad=False):
        calls.append(U.copy())
        return _quadratic([0.33, 0.6])(U, return_grad)

    U, values = maximize_acquisition(
        fun, 2, rng=np.random.default_rng(0), snap=snap, continuous=[True, False]
    )
    assert U[0, 1] == pytest.approx(5 / 8)
    assert U[0, 0] == pytest.approx(0.33, abs=1e-5)
    assert set(np.round(U[:, 1], 12)) <= set(np.round(centres, 12))
    # the polish never moved the pinned coordinate off a valid value
    for batch in calls:
        assert set(np.round(batch[:, 1], 12)) <= set(np.round(centres, 12))


def test_results_are_distinct_and_finite():
    def fun(U, return_grad=False):
        v = np.where(U[:, 0] > 0.5, np.nan, U[:, 0])
        return (v, np.ones_like(U)) if return_grad else v

    U, values = maximize_acquisition(fun, 2, rng=np.random.default_rng(0))
    assert len(np.unique(U, axis=0)) == len(U)
    assert U[0, 0] <= 0.5 and np.isfinite(values[0])


def test_extra_candidates_are_considered():
    # a spike too narrow for the quasi-random candidates to hit
    spike = np.array([0.123456, 0.654321])

    def fun(U, return_grad=False):
        v = np.where(np.all(np.abs(U - spike) < 1e-9, axis=1), 1.0, 0.0)
        return (v, np.zeros_like(U)) if return_grad else v

    U, values = maximize_acquisition(
        fun,
        2,
        rng=np.random.default_rng(0),
        extra_candidates=spike[None, :],
        n_polish=0,
    )
    np.testing.assert_array_equal(U[0], spike)
    assert values[0] == 1.0


def test_inputs_not_mutated():
    extra = np.array([[0.2, 0.3]])
    before = extra.copy()
    maximize_acquisition(
        _quadratic([0.5, 0.5]), 2, rng=np.random.default_rng(0), extra_candidates=extra
    )
    np.testing.assert_array_equal(extra, before)
