"""Pareto ranks and the front mask: against moocore, by definition, by property."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklearn_hpo.multiobjective import non_dominated_ranks, pareto_front_mask

moocore = pytest.importorskip("moocore")

FAST = settings(max_examples=60, deadline=None)


def _dominates(a, b):
    """a[i] dominates b[j], maximization, by the definition: (len a, len b)."""
    ge = (a[:, None, :] >= b[None, :, :]).all(axis=2)
    gt = (a[:, None, :] > b[None, :, :]).any(axis=2)
    return ge & gt


def _points(rng, n, m, kind):
    if kind == "ties":  # small integer grid: ties and duplicates are frequent
        Y = rng.integers(0, 4, size=(n, m)).astype(float)
    else:
        Y = rng.normal(size=(n, m))
    repeat = rng.integers(0, n, size=n // 4)  # exact duplicate rows
    return np.vstack([Y, Y[repeat]])[rng.permutation(n + len(repeat))]


@pytest.mark.parametrize("m", [2, 3, 4])
@pytest.mark.parametrize("kind", ["ties", "continuous"])
def test_ranks_and_front_equal_moocore(m, kind):
    rng = np.random.default_rng(100 * m + len(kind))
    for n in (1, 2, 5, 30, 120):
        Y = _points(rng, n, m, kind)
        expected = moocore.pareto_rank(-Y)  # moocore minimizes
        np.testing.assert_array_equal(non_dominated_ranks(Y), expected)
        np.testing.assert_array_equal(pareto_front_mask(Y), expected == 0)
        np.testing.assert_array_equal(
            pareto_front_mask(Y), moocore.is_nondominated(-Y, keep_weakly=True)
        )


def test_ranks_by_hand():
    Y = np.array([[1, 3], [2, 2], [3, 1], [1, 1], [2, 2], [0, 0], [1, 2]], float)
    assert non_dominated_ranks(Y).tolist() == [0, 0, 0, 2, 0, 3, 1]
    assert pareto_front_mask(Y).tolist() == [True] * 3 + [False, True] + [False] * 2


def test_one_objective_is_a_dense_descending_rank():
    Y = np.array([[3.0], [1.0], [3.0], [2.0], [-1.0]])
    assert non_dominated_ranks(Y).tolist() == [0, 2, 0, 1, 3]
    assert pareto_front_mask(Y).tolist() == [True, False, True, False, False]


def test_a_chain_gives_one_rank_per_point():
    Y = np.repeat(np.arange(50.0)[::-1, None], 3, axis=1)
    assert non_dominated_ranks(Y).tolist() == list(range(50))


def test_equal_in_one_objective_better_in_another_dominates():
    Y = np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 2.0], [1.0, 1.0, 1.0]])
    assert non_dominated_ranks(Y).tolist() == [1, 0, 1]


def test_nan_rows_rank_after_every_finite_row():
    Y = np.array([[1.0, 0.0], [np.nan, 5.0], [0.0, 1.0], [0.0, 0.0], [np.nan] * 2])
    assert non_dominated_ranks(Y).tolist() == [0, 2, 0, 1, 2]
    assert pareto_front_mask(Y).tolist() == [True, False, True, False, False]
    all_nan = np.full((3, 2), np.nan)
    assert non_dominated_ranks(all_nan).tolist() == [0, 0, 0]
    assert pareto_front_mask(all_nan).tolist() == [False] * 3


def test_empty_input():
    assert non_dominated_ranks(np.empty((0, 3))).shape == (0,)
    assert pareto_front_mask(np.empty((0, 3))).shape == (0,)


def test_signed_zeros_are_equal():
    Y = np.array([[0.0, 1.0], [-0.0, 1.0]])
    assert non_dominated_ranks(Y).tolist() == [0, 0]


def test_large_front_mask_in_blocks(monkeypatch):
    # blocks of a few candidates exercise the blocked comparison path
    from sklearn_hpo.multiobjective import _sorting

    rng = np.random.default_rng(3)
    Y = _points(rng, 200, 3, "ties")
    expected = pareto_front_mask(Y)
    monkeypatch.setattr(_sorting, "_BLOCK", 7 * 200)
    np.testing.assert_array_equal(pareto_front_mask(Y), expected)
    np.testing.assert_array_equal(expected, moocore.pareto_rank(-Y) == 0)


# ------------------------------------------------------------------ properties

_small_grids = st.integers(1, 4).flatmap(
    lambda m: arrays(
        np.float64,
        st.tuples(st.integers(1, 25), st.just(m)),
        elements=st.integers(-2, 2).map(float),
    )
)


@FAST
@given(_small_grids)
def test_rank_properties(Y):
    ranks = non_dominated_ranks(Y)
    dom = _dominates(Y, Y)
    # the front is the set of points nobody dominates
    np.testing.assert_array_equal(ranks == 0, ~dom.any(axis=0))
    np.testing.assert_array_equal(pareto_front_mask(Y), ranks == 0)
    # no point is dominated by a point of the same or a worse rank
    same_or_worse = ranks[:, None] >= ranks[None, :]
    assert not (dom & same_or_worse).any()
    # every rank-k point (k > 0) is dominated by some rank-(k-1) point
    for i in np.flatnonzero(ranks > 0):
        assert (dom[:, i] & (ranks == ranks[i] - 1)).any()
    # ranks are contiguous from 0
    assert set(ranks.tolist()) == set(range(ranks.max() + 1))
    # equal rows share a rank
    equal = (Y[:, None, :] == Y[None, :, :]).all(axis=2)
    assert (ranks[:, None] == ranks[None, :])[equal].all()


@FAST
@given(_small_grids, st.randoms(use_true_random=False))
def test_ranks_are_permutation_equivariant(Y, random):
    perm = np.array(random.sample(range(len(Y)), len(Y)))
    np.testing.assert_array_equal(
        non_dominated_ranks(Y[perm]), non_dominated_ranks(Y)[perm]
    )
    np.testing.assert_array_equal(
        pareto_front_mask(Y[perm]), pareto_front_mask(Y)[perm]
    )


@FAST
@given(_small_grids)
def test_ranks_are_invariant_to_monotone_rescaling(Y):
    Z = 3.0 * Y**3 + np.arange(Y.shape[1])  # strictly increasing per column
    np.testing.assert_array_equal(non_dominated_ranks(Z), non_dominated_ranks(Y))
