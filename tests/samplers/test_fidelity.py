"""MultiFidelitySampler: the level it models and its random share."""

import numpy as np
import pytest

from sklearn_hpo.samplers import MultiFidelitySampler


def _history(n, levels, promoted, rng):
    """n candidates at level 0, the first ``promoted[j]`` also at level j."""
    X = rng.random((n, 2))
    f = -np.sum((X - 0.25) ** 2, axis=1)
    y = np.full((n, levels), np.nan)
    for j in range(levels):
        k = promoted[j]
        y[:k, j] = f[:k] + 0.01 * j
    return X, y


def test_models_the_highest_level_with_enough_points():
    rng = np.random.default_rng(0)
    X, y = _history(30, 3, [30, 10, 3], rng)
    sampler = MultiFidelitySampler(random_fraction=0.0, n_candidates=128)
    U = sampler.propose(X, y, 2, rng=rng)
    assert U.shape == (2, 2)
    assert sampler.level_ == 1  # level 2 has 3 < d + 2 = 4 points
    y[:4, 2] = y[:4, 1]
    sampler.propose(X, y, 1, rng=rng)
    assert sampler.level_ == 2


def test_random_until_a_level_has_enough_points():
    rng = np.random.default_rng(1)
    X, y = _history(3, 2, [3, 1], rng)
    sampler = MultiFidelitySampler(random_fraction=0.0)
    a = sampler.propose(X, y, 5, rng=np.random.default_rng(7))
    assert sampler.level_ is None
    np.testing.assert_array_equal(a, np.random.default_rng(7).random((5, 2)))


def test_failures_count_as_evaluated_but_need_two_successes():
    rng = np.random.default_rng(2)
    X = rng.random((6, 2))
    y = np.full((6, 1), -np.inf)
    y[0, 0] = 0.5
    sampler = MultiFidelitySampler(random_fraction=0.0, n_candidates=64)
    sampler.propose(X, y, 1, rng=rng)
    assert sampler.level_ is None  # one success only
    y[1, 0] = 0.1
    U = sampler.propose(X, y, 1, rng=rng)
    assert sampler.level_ == 0 and np.all(np.isfinite(U))


def test_model_proposals_move_toward_the_optimum():
    rng = np.random.default_rng(3)
    X, y = _history(40, 2, [40, 12], rng)
    sampler = MultiFidelitySampler(random_fraction=0.0, n_candidates=256)
    U = sampler.propose(X, y, 4, rng=rng)
    # the model's proposals are closer to (0.25, 0.25) than random points are
    # on average (expected distance of a uniform point: about 0.47)
    assert np.mean(np.linalg.norm(U - 0.25, axis=1)) < 0.3


def test_random_fraction_one_is_uniform():
    rng = np.random.default_rng(4)
    X, y = _history(20, 1, [20], rng)
    sampler = MultiFidelitySampler(random_fraction=1.0)
    a = sampler.propose(X, y, 6, rng=np.random.default_rng(5))
    gen = np.random.default_rng(5)
    assert gen.binomial(6, 1.0) == 6
    np.testing.assert_array_equal(a, gen.random((6, 2)))
    with pytest.raises(ValueError, match="random_fraction"):
        MultiFidelitySampler(random_fraction=1.5)


def test_does_not_propose_a_candidate_without_a_result_at_the_level():
    # The score grows with x up to the box's bound: the model's best point
    # is x = 1. A candidate already sits there with a result at level 0
    # only (or none yet: running), so the model has not seen it at level 1.
    # Proposing it again would be a duplicate (ASHA once stopped early on
    # this: the search drops duplicates, and the model kept returning it).
    X = np.vstack([np.linspace(0.0, 0.8, 6)[:, None], [[1.0]], [[1.0]]])
    y = np.full((8, 2), np.nan)
    y[:6, 1] = X[:6, 0]  # six results at level 1, increasing in x
    y[:7, 0] = X[:7, 0]  # the seventh candidate, x = 1: level 0 only
    for last in (np.nan, 0.5):  # the eighth (also x = 1): running or stopped
        y[7, 0] = last
        sampler = MultiFidelitySampler(random_fraction=0.0, n_candidates=64)
        for seed in range(3):
            U = sampler.propose(X, y, 2, rng=np.random.default_rng(seed))
            assert sampler.level_ == 1
            assert not np.any(U == 1.0) and U.shape == (2, 1)
