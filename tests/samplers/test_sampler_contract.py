"""Contract of every sampler: shape, bounds, reproducibility, nan tolerance.

A new sampler joins by being added to ``SAMPLERS``.
"""

import numpy as np
import pytest

from sklearn_hpo.samplers import (
    SEQUENCES,
    EHVISampler,
    GPSampler,
    MultiFidelitySampler,
    ParEGOSampler,
    QMCSampler,
    RandomSampler,
)

SAMPLERS = {
    "random": RandomSampler,
    **{f"qmc-{s}": (lambda s=s: QMCSampler(s)) for s in SEQUENCES},
    "qmc-sobol-unscrambled": lambda: QMCSampler("sobol", scramble=False),
    # the model path runs from the third point on
    "gp-log_ei": lambda: GPSampler(n_initial_points=2, n_candidates=128),
    "gp-ucb": lambda: GPSampler(
        n_initial_points=2, n_candidates=128, acquisition="ucb"
    ),
    "gp-thompson": lambda: GPSampler(
        n_initial_points=2, n_candidates=128, acquisition="thompson"
    ),
    # 1-d y is one fidelity level; the model runs from min_points on
    "multi-fidelity": lambda: MultiFidelitySampler(min_points=3, n_candidates=128),
    # 1-d y is a single objective; the model runs from the third point on
    "parego": lambda: ParEGOSampler(n_initial_points=2, n_candidates=128),
    # 1-d y: one objective, where EHVI is EI; the model runs from the third point
    "ehvi": lambda: EHVISampler(n_initial_points=2, n_candidates=128),
}
samplers = pytest.mark.parametrize("make", list(SAMPLERS.values()), ids=list(SAMPLERS))


@samplers
@pytest.mark.parametrize("d", [1, 3, 7])
def test_shape_and_bounds_with_empty_history(make, d):
    U = make().propose(np.empty((0, d)), np.empty(0), 16, rng=np.random.default_rng(0))
    assert U.shape == (16, d)
    assert U.dtype == np.float64
    assert np.all((U >= 0) & (U <= 1))


@samplers
def test_reproducible_given_rng(make):
    X, y = np.empty((0, 2)), np.empty(0)
    a = make().propose(X, y, 8, rng=np.random.default_rng(3))
    b = make().propose(X, y, 8, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


@samplers
def test_tolerates_nan_in_y_and_does_not_mutate(make):
    rng = np.random.default_rng(0)
    X = rng.random((5, 2))
    y = np.array([0.1, np.nan, 0.3, np.nan, 0.2])
    X0, y0 = X.copy(), y.copy()
    U = make().propose(X, y, 4, rng=rng)
    assert U.shape == (4, 2) and np.all(np.isfinite(U))
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@samplers
def test_zero_dimensions_and_zero_points(make):
    rng = np.random.default_rng(0)
    assert make().propose(np.empty((0, 0)), [], 3, rng=rng).shape == (3, 0)
    assert make().propose(np.empty((0, 2)), [], 0, rng=rng).shape == (0, 2)


@samplers
def test_proposals_are_distinct_from_the_history(make):
    rng = np.random.default_rng(1)
    X = rng.random((6, 2))
    y = -np.sum((X - 0.5) ** 2, axis=1)
    U = make().propose(X, y, 3, rng=rng)
    for u in U:
        assert not np.any(np.all(X == u, axis=1))
    assert len(np.unique(U, axis=0)) == 3


@samplers
def test_rejects_inconsistent_history(make):
    with pytest.raises(ValueError, match="y must have one row"):
        make().propose(np.zeros((3, 2)), np.zeros(2), 1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="X must be 2-d"):
        make().propose(np.zeros(3), np.zeros(3), 1, rng=np.random.default_rng(0))


def test_sobol_batches_continue_one_sequence():
    # Two calls of 8 give the same 16 points as one call of 16.
    one = QMCSampler("sobol").propose(
        np.empty((0, 3)), [], 16, rng=np.random.default_rng(5)
    )
    s = QMCSampler("sobol")
    rng = np.random.default_rng(5)
    first = s.propose(np.empty((0, 3)), [], 8, rng=rng)
    second = s.propose(first, np.zeros(8), 8, rng=rng)
    np.testing.assert_array_equal(np.vstack([first, second]), one)


def test_sobol_power_of_two_is_balanced():
    # 2^m scrambled Sobol' points put exactly one point in each of 2^m slabs
    # of every coordinate.
    U = QMCSampler("sobol").propose(
        np.empty((0, 4)), [], 32, rng=np.random.default_rng(1)
    )
    for j in range(4):
        counts = np.bincount(np.floor(U[:, j] * 32).astype(int), minlength=32)
        assert np.all(counts == 1)


def test_lhs_is_stratified():
    U = QMCSampler("lhs").propose(
        np.empty((0, 3)), [], 10, rng=np.random.default_rng(1)
    )
    for j in range(3):
        assert sorted(np.floor(U[:, j] * 10).astype(int).tolist()) == list(range(10))


def test_unscrambled_sobol_ignores_rng():
    a = QMCSampler("sobol", scramble=False).propose(
        np.empty((0, 2)), [], 4, rng=np.random.default_rng(0)
    )
    b = QMCSampler("sobol", scramble=False).propose(
        np.empty((0, 2)), [], 4, rng=np.random.default_rng(99)
    )
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a[0], [0.0, 0.0])


def test_unknown_sequence():
    with pytest.raises(ValueError, match="sequence must be one of"):
        QMCSampler("sobel")


PENDING = [name for name, make in SAMPLERS.items() if make().supports_pending]


def test_the_model_based_samplers_take_pending_points():
    # what overlapping batches rely on (the others get the constant liar)
    assert {"random", "gp-log_ei", "gp-ucb", "parego", "ehvi"} <= set(PENDING)
    assert "multi-fidelity" not in PENDING


@pytest.mark.parametrize("name", PENDING)
def test_pending_points_are_believed_not_proposed_again(name):
    # the point a sampler proposes is, once pending, not where it proposes
    # next: the model believes it (variance ~0 there) instead of ignoring it
    rng = np.random.default_rng(0)
    X = rng.random((12, 2))
    y = -np.sum((X - 0.3) ** 2, axis=1)
    u = SAMPLERS[name]().propose(X, y, 1, rng=np.random.default_rng(1))
    again = SAMPLERS[name]().propose(X, y, 1, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(u, again)
    moved = SAMPLERS[name]().propose(X, y, 1, rng=np.random.default_rng(1), pending=u)
    assert moved.shape == (1, 2) and np.all((moved >= 0) & (moved <= 1))
    if SAMPLERS[name]().adaptive:
        assert np.linalg.norm(moved - u) > 0.02
    else:  # random and quasi-random draws ignore the history
        np.testing.assert_array_equal(moved, u)


@pytest.mark.parametrize("name", PENDING)
def test_pending_of_the_wrong_shape_is_a_clear_error(name):
    X, y = np.random.default_rng(0).random((4, 2)), np.zeros(4)
    with pytest.raises(ValueError, match=r"pending must have shape \(k, 2\)"):
        SAMPLERS[name]().propose(
            X, y, 1, rng=np.random.default_rng(0), pending=np.zeros((1, 3))
        )
