"""ParEGO's augmented Chebyshev scalarization and the simplex weights."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from sklearn_hpo.multiobjective import (
    augmented_chebyshev,
    pareto_front_mask,
    random_simplex_weights,
)

FAST = settings(max_examples=50, deadline=None)


def _parego_cost(F, w, rho):
    """Knowles (2006), minimization form, on costs normalized to [0, 1]."""
    return (w * F).max(axis=1) + rho * (w * F).sum(axis=1)


def test_formula_by_hand():
    Y = np.array([[0.0, 10.0], [3.0, 7.5], [4.0, 0.0]])
    # normalized: (0, 1), (0.75, 0.75), (1, 0); shortfalls 1 - y'
    s = augmented_chebyshev(Y, [0.2, 0.8], rho=0.1)
    expected = [
        min(0.2 * -1, 0.0) + 0.1 * (0.2 * -1),
        min(0.2 * -0.25, 0.8 * -0.25) + 0.1 * (-0.25),
        min(0.0, 0.8 * -1) + 0.1 * (0.8 * -1),
    ]
    np.testing.assert_allclose(s, expected, rtol=1e-15)


def test_is_minus_the_parego_cost():
    rng = np.random.default_rng(0)
    Y = rng.normal(size=(30, 3))
    w = random_simplex_weights(3, rng)
    F = (Y.max(0) - Y) / (Y.max(0) - Y.min(0))  # ParEGO's costs in [0, 1]
    np.testing.assert_allclose(
        augmented_chebyshev(Y, w), -_parego_cost(F, w, 0.05), rtol=1e-13, atol=1e-15
    )


def test_ideal_scores_zero_and_is_best():
    Y = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    s = augmented_chebyshev(Y, [0.3, 0.7])
    assert s[0] == 0.0 and (s[1:] < 0).all()


def test_weights_pick_the_matching_end_of_the_front():
    t = np.linspace(0, 1, 11)
    Y = np.column_stack([t, 1 - t**2])  # a concave-in-cost (convex) front
    assert augmented_chebyshev(Y, [1.0, 0.0]).argmax() == 10
    assert augmented_chebyshev(Y, [0.0, 1.0]).argmax() == 0
    # equal weights: the point whose shortfalls are equal, t = 0.6 here
    # (1 - t = t**2 at t = 0.618)
    assert augmented_chebyshev(Y, [0.5, 0.5], rho=0.0).argmax() == 6


def test_reaches_non_convex_parts_of_a_front():
    # a front bending towards the nadir: a weighted sum only ever picks the
    # ends, the Chebyshev scalarization reaches the middle
    t = np.linspace(0, 1, 21)
    Y = np.column_stack([t, (1 - t) ** 2])
    picked = {int(augmented_chebyshev(Y, [w, 1 - w]).argmax()) for w in t}
    weighted_sum = {int((Y @ [w, 1 - w]).argmax()) for w in t}
    assert weighted_sum <= {0, 20}
    assert len(picked) > 5


def test_given_bounds():
    Y = np.array([[0.5, 0.5], [0.25, 0.75]])
    s = augmented_chebyshev(Y, [0.5, 0.5], ideal=[1.0, 1.0], nadir=[0.0, 0.0])
    np.testing.assert_allclose(
        s, [-0.25 + 0.05 * -0.5, -0.375 + 0.05 * -0.5], rtol=1e-15
    )
    # only one bound given: the other comes from Y
    s = augmented_chebyshev(Y, [1.0, 1.0], ideal=[1.0, 1.0], rho=0.0)
    np.testing.assert_allclose(s, [-1.0, -1.0])
    # values outside the bounds are not clipped
    assert augmented_chebyshev([[2.0, 2.0]], [0.5, 0.5], ideal=[1, 1], nadir=[0, 0])[
        0
    ] == pytest.approx(0.5 + 0.05 * 1.0)


def test_constant_objective_does_not_matter():
    Y = np.array([[0.0, 3.0], [1.0, 3.0], [0.5, 3.0]])
    s = augmented_chebyshev(Y, [0.5, 0.5])
    np.testing.assert_allclose(s, 1.05 * 0.5 * (Y[:, 0] - 1.0))


def test_nan_rows_score_nan_and_do_not_set_the_bounds():
    Y = np.array([[0.0, 1.0], [np.nan, 9.0], [1.0, 0.0]])
    s = augmented_chebyshev(Y, [0.5, 0.5])
    assert np.isnan(s[1])
    np.testing.assert_allclose(s[[0, 2]], augmented_chebyshev(Y[[0, 2]], [0.5, 0.5]))
    assert np.isnan(augmented_chebyshev(np.full((2, 2), np.nan), [0.5, 0.5])).all()


def test_scaling_the_weights_scales_the_scores():
    rng = np.random.default_rng(1)
    Y = rng.random((10, 3))
    w = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(
        augmented_chebyshev(Y, 4 * w), 4 * augmented_chebyshev(Y, w), rtol=1e-14
    )


def test_bad_arguments():
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="weights"):
        augmented_chebyshev(Y, [0.5])
    with pytest.raises(ValueError, match="weights"):
        augmented_chebyshev(Y, [-0.5, 1.5])
    with pytest.raises(ValueError, match="weights"):
        augmented_chebyshev(Y, [0.0, 0.0])
    with pytest.raises(ValueError, match="weights"):
        augmented_chebyshev(Y, [np.nan, 1.0])
    with pytest.raises(ValueError, match="rho"):
        augmented_chebyshev(Y, [0.5, 0.5], rho=-0.1)
    with pytest.raises(ValueError, match="rho"):
        augmented_chebyshev(Y, [0.5, 0.5], rho="big")
    with pytest.raises(ValueError, match="ideal"):
        augmented_chebyshev(Y, [0.5, 0.5], ideal=[0.5, -1.0])
    with pytest.raises(ValueError, match="nadir"):
        augmented_chebyshev(Y, [0.5, 0.5], nadir=[0.0, 2.0])
    with pytest.raises(ValueError, match="ideal"):
        augmented_chebyshev(Y, [0.5, 0.5], ideal=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="nadir"):
        augmented_chebyshev(Y, [0.5, 0.5], nadir=[np.inf, 0.0])


_sets = st.integers(2, 4).flatmap(
    lambda m: st.tuples(
        arrays(
            np.float64,
            st.tuples(st.integers(1, 20), st.just(m)),
            elements=st.integers(0, 5).map(float),
        ),
        arrays(np.float64, (m,), elements=st.floats(0.01, 1.0, allow_subnormal=False)),
    )
)


@FAST
@given(_sets)
def test_best_score_is_pareto_optimal_and_dominance_is_respected(args):
    Y, w = args
    s = augmented_chebyshev(Y, w)
    best = np.flatnonzero(s == s.max())
    assert pareto_front_mask(Y)[best].all()
    # with positive weights and rho > 0, a dominating row scores strictly more
    ge = (Y[:, None, :] >= Y[None, :, :]).all(axis=2)
    gt = (Y[:, None, :] > Y[None, :, :]).any(axis=2)
    i, j = np.nonzero(ge & gt)
    assert (s[i] > s[j]).all()


# ------------------------------------------------------------------ weights


def test_simplex_weights_shape_and_sum():
    rng = np.random.default_rng(0)
    w = random_simplex_weights(4, rng)
    assert w.shape == (4,) and w.sum() == pytest.approx(1.0) and (w >= 0).all()
    W = random_simplex_weights(3, rng, size=500)
    assert W.shape == (500, 3)
    np.testing.assert_allclose(W.sum(axis=1), 1.0, rtol=1e-14)
    assert random_simplex_weights(1, rng).tolist() == [1.0]
    assert random_simplex_weights(2, rng, size=0).shape == (0, 2)


def test_simplex_weights_are_reproducible():
    a = random_simplex_weights(3, np.random.default_rng(7), size=5)
    b = random_simplex_weights(3, np.random.default_rng(7), size=5)
    np.testing.assert_array_equal(a, b)


def test_simplex_weights_are_uniform():
    # on the simplex in 3 objectives each weight is Beta(1, 2), and the mean is 1/3
    W = random_simplex_weights(3, np.random.default_rng(42), size=4000)
    for j in range(3):
        assert stats.kstest(W[:, j], stats.beta(1, 2).cdf).pvalue > 1e-3
    np.testing.assert_allclose(W.mean(axis=0), 1 / 3, atol=0.02)


def test_simplex_weights_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_objectives"):
        random_simplex_weights(0, rng)
    with pytest.raises(ValueError, match="n_objectives"):
        random_simplex_weights(2.5, rng)
    with pytest.raises(ValueError, match="size"):
        random_simplex_weights(2, rng, size=-1)
    with pytest.raises(TypeError, match="rng"):
        random_simplex_weights(2, 0)
    with pytest.raises(TypeError, match="rng"):
        random_simplex_weights(2, np.random.RandomState(0))
