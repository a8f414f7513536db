"""ParEGOSampler: scalarized proposals spread along a front."""

import numpy as np
import pytest

from sklearn_hpo.samplers import ParEGOSampler


def _objectives(X):
    # a = x0, b = 1 - x0**2 - x1: the front is x1 = 0, x0 in [0, 1]
    return np.column_stack([X[:, 0], 1 - X[:, 0] ** 2 - X[:, 1]])


def test_proposals_approach_the_front_and_spread():
    rng = np.random.default_rng(0)
    X = rng.random((15, 2))
    sampler = ParEGOSampler(n_initial_points=5, n_candidates=256)
    U = sampler.propose(X, _objectives(X), 6, rng=rng)
    assert U.shape == (6, 2)
    # toward x1 = 0 (random points average 0.5) and not all in one place
    assert np.mean(U[:, 1]) < 0.3
    assert np.ptp(U[:, 0]) > 0.1
    assert sampler.weights_.shape == (2,) and sampler.weights_.sum() == pytest.approx(1)


def test_initial_design_then_model():
    rng = np.random.default_rng(1)
    sampler = ParEGOSampler(n_initial_points=4)
    X = np.empty((0, 2))
    U = sampler.propose(X, np.empty((0, 2)), 4, rng=rng)
    assert U.shape == (4, 2) and sampler.weights_ is None  # Sobol' design
    U2 = sampler.propose(U, _objectives(U), 1, rng=rng)
    assert U2.shape == (1, 2) and sampler.weights_ is not None


def test_failed_rows_are_tolerated():
    rng = np.random.default_rng(2)
    X = rng.random((10, 3))
    Y = np.column_stack([X[:, 0], -X[:, 1]])
    Y[[1, 4]] = np.nan
    U = ParEGOSampler(n_initial_points=3, n_candidates=64).propose(X, Y, 2, rng=rng)
    assert U.shape == (2, 3) and np.all((U >= 0) & (U <= 1))


def test_bad_parameters():
    with pytest.raises(ValueError, match="n_initial_points"):
        ParEGOSampler(n_initial_points=0)
    with pytest.raises(ValueError, match="rho"):
        ParEGOSampler(rho=-1)
