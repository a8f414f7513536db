"""Hypervolume and contributions: against moocore, closed forms, invariances."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklearn_hpo.multiobjective import (
    hypervolume,
    hypervolume_contributions,
    pareto_front_mask,
)

moocore = pytest.importorskip("moocore")

FAST = settings(max_examples=40, deadline=None)


def _points(rng, n, m, kind):
    """Random sets with ties, duplicates and points below the reference point.

    The reference point is 0: "grid" draws integers in [-1, 3], so many
    coordinates equal the reference and some points are below it.
    """
    if kind == "grid":
        Y = rng.integers(-1, 4, size=(n, m)).astype(float)
    elif kind == "front":  # mutually non-dominated, on a sphere
        X = np.abs(rng.normal(size=(n, m)))
        Y = X / np.linalg.norm(X, axis=1, keepdims=True) - 0.05
    else:
        Y = rng.normal(0.5, 1.0, size=(n, m))
    repeat = rng.integers(0, n, size=n // 5)
    return np.vstack([Y, Y[repeat]])


def _reference_hv(Y, r):
    return moocore.hypervolume(Y, ref=r, maximise=True) if len(Y) else 0.0


SIZES = {2: (1, 3, 40, 300), 3: (1, 3, 40, 150), 4: (1, 3, 25, 60), 5: (1, 3, 25)}


@pytest.mark.parametrize("m", [2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["grid", "front", "normal"])
def test_hypervolume_equals_moocore(m, kind):
    rng = np.random.default_rng(10 * m + len(kind))
    r = np.zeros(m)
    for n in SIZES[m]:
        Y = _points(rng, n, m, kind)
        expected = _reference_hv(Y, r)
        assert hypervolume(Y, r) == pytest.approx(expected, rel=1e-12, abs=1e-14)
        # a reference point that cuts through the set
        r2 = np.quantile(Y, 0.3, axis=0)
        assert hypervolume(Y, r2) == pytest.approx(
            _reference_hv(Y, r2), rel=1e-12, abs=1e-14
        )


@pytest.mark.parametrize("m", [2, 3])
@pytest.mark.parametrize("kind", ["grid", "front", "normal"])
def test_contributions_equal_moocore(m, kind):
    rng = np.random.default_rng(7 * m + len(kind))
    r = np.zeros(m)
    for n in (1, 2, 12, 40):
        Y = _points(rng, n, m, kind)
        expected = moocore.hv_contributions(
            Y, ref=r, maximise=True, ignore_dominated=False
        )
        np.testing.assert_allclose(
            hypervolume_contributions(Y, r), expected, rtol=1e-10, atol=1e-13
        )


@pytest.mark.parametrize("m", [2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["grid", "front", "normal"])
def test_contributions_equal_moocore_leave_one_out(m, kind):
    # moocore's own hv_contributions(ignore_dominated=False) strays from its
    # leave-one-out hypervolumes by up to ~5e-9 on some sets in 4 or more
    # objectives (moocore 0.3.2), so the definition is checked instead
    rng = np.random.default_rng(11 * m + len(kind))
    r = np.zeros(m)
    for n in (1, 2, 15) if m == 5 else (1, 2, 12, 30):
        Y = _points(rng, n, m, kind)
        total = _reference_hv(Y, r)
        expected = [
            total - _reference_hv(np.delete(Y, i, axis=0), r) for i in range(len(Y))
        ]
        np.testing.assert_allclose(
            hypervolume_contributions(Y, r), expected, rtol=1e-10, atol=1e-13
        )


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5])
def test_contributions_are_leave_one_out_differences(m):
    rng = np.random.default_rng(m)
    Y = _points(rng, 15 if m < 5 else 10, m, "grid" if m % 2 else "normal")
    r = np.zeros(m)
    total = hypervolume(Y, r)
    loo = np.array(
        [total - hypervolume(np.delete(Y, i, axis=0), r) for i in range(len(Y))]
    )
    contributions = hypervolume_contributions(Y, r)
    np.testing.assert_allclose(contributions, loo, rtol=1e-9, atol=1e-12)
    assert (contributions >= 0).all()
    assert contributions.sum() <= total + 1e-12
    # dominated and repeated rows contribute nothing
    assert (contributions[~pareto_front_mask(Y)] == 0).all()


# ------------------------------------------------------------------ closed forms


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5, 6])
def test_single_point_is_a_box(m):
    rng = np.random.default_rng(m)
    r = rng.normal(size=m)
    y = r + rng.uniform(0.1, 2.0, size=m)
    assert hypervolume(y[None], r) == pytest.approx(np.prod(y - r), rel=1e-14)
    np.testing.assert_allclose(
        hypervolume_contributions(y[None], r), [np.prod(y - r)], rtol=1e-14
    )


def test_two_points_in_two_dimensions_by_hand():
    # boxes [0,3]x[0,1] and [0,1]x[0,2] overlap in [0,1]x[0,1]: 3 + 2 - 1
    Y = [[3.0, 1.0], [1.0, 2.0]]
    assert hypervolume(Y, [0.0, 0.0]) == 4.0
    assert hypervolume_contributions(Y, [0.0, 0.0]).tolist() == [2.0, 1.0]
    # (1, 2) is not above r = (1, 0.5) in the first objective: [1,3]x[0.5,1] is left
    assert hypervolume(Y, [1.0, 0.5]) == pytest.approx(2.0 * 0.5)


@pytest.mark.parametrize("k", [1, 2, 5, 50])
def test_staircase(k):
    # points (i, k + 1 - i): a staircase of area k (k + 1) / 2
    i = np.arange(1.0, k + 1)
    Y = np.column_stack([i, k + 1 - i])
    assert hypervolume(Y, [0.0, 0.0]) == k * (k + 1) / 2
    np.testing.assert_array_equal(hypervolume_contributions(Y, [0.0, 0.0]), 1.0)


@pytest.mark.parametrize("m", [2, 3, 4, 5, 6])
def test_unit_cube_with_one_step_per_axis(m):
    # 1 + e_j for each axis j: the unit cube plus m disjoint unit slabs
    Y = np.ones((m, m)) + np.eye(m)
    assert hypervolume(Y, np.zeros(m)) == m + 1
    np.testing.assert_array_equal(hypervolume_contributions(Y, np.zeros(m)), 1.0)


def test_three_dimensional_staircase():
    # the cubes [0, a] with a = (3,1,1), (1,3,1), (1,1,3), (2,2,2)
    Y = np.array([[3, 1, 1], [1, 3, 1], [1, 1, 3], [2, 2, 2]], float)
    # [0,2]^3 = 8, plus for each axis the slab (2,3] x [0,1]^2
    assert hypervolume(Y, np.zeros(3)) == 8 + 3
    # the others cover 3 * 2 - 3 * 1 + 1 = 4 of the cube [0,2]^3
    assert hypervolume_contributions(Y, np.zeros(3)).tolist() == [1, 1, 1, 8 - 4]


def test_points_not_above_the_reference_point_add_nothing():
    r = np.array([1.0, 1.0])
    Y = np.array([[2.0, 2.0], [5.0, 1.0], [1.0, 5.0], [0.0, 9.0], [9.0, -3.0]])
    assert hypervolume(Y, r) == 1.0
    assert hypervolume(Y[2:], r) == 0.0
    assert hypervolume_contributions(Y, r).tolist() == [1.0, 0, 0, 0, 0]


def test_edge_cases():
    assert hypervolume(np.empty((0, 3)), np.zeros(3)) == 0.0
    assert hypervolume_contributions(np.empty((0, 3)), np.zeros(3)).shape == (0,)
    assert hypervolume([[2.0], [5.0], [np.nan]], [1.0]) == 4.0
    assert hypervolume_contributions([[2.0], [5.0], [5.0]], [1.0]).tolist() == [0, 0, 0]
    assert hypervolume_contributions([[2.0], [5.0]], [1.0]).tolist() == [0.0, 3.0]
    # nan rows (failed candidates) add nothing and contribute nothing
    Y = np.array([[1.0, 2.0], [np.nan, 9.0], [2.0, 1.0]])
    assert hypervolume(Y, [0.0, 0.0]) == 3.0
    assert hypervolume_contributions(Y, [0.0, 0.0]).tolist() == [1.0, 0.0, 1.0]
    # duplicates: the volume counts once, each copy contributes nothing alone
    D = np.array([[1.0, 2.0, 3.0]] * 3)
    assert hypervolume(D, np.zeros(3)) == 6.0
    assert hypervolume_contributions(D, np.zeros(3)).tolist() == [0.0] * 3
    assert isinstance(hypervolume(D, np.zeros(3)), float)


def test_dominated_point_can_shrink_the_contribution_of_its_dominator():
    # (1, 1) is dominated by (2, 2) only, so removing (2, 2) keeps [0,1]^2
    Y = np.array([[2.0, 2.0], [1.0, 1.0], [3.0, 0.5]])
    total = hypervolume(Y, [0.0, 0.0])
    c = hypervolume_contributions(Y, [0.0, 0.0])
    assert c[1] == 0.0
    assert c[0] == pytest.approx(total - hypervolume(Y[1:], [0.0, 0.0]))
    assert c[0] < hypervolume_contributions(Y[[0, 2]], [0.0, 0.0])[0]


def test_small_blocks_give_the_same_volume(monkeypatch):
    from sklearn_hpo.multiobjective import _hypervolume

    rng = np.random.default_rng(5)
    for m in (2, 3):
        Y = _points(rng, 60, m, "front")
        hv, hvc = hypervolume(Y, np.zeros(m)), hypervolume_contributions(Y, np.zeros(m))
        monkeypatch.setattr(_hypervolume, "_BLOCK", 150)
        assert hypervolume(Y, np.zeros(m)) == pytest.approx(hv, rel=1e-13)
        np.testing.assert_allclose(
            hypervolume_contributions(Y, np.zeros(m)), hvc, rtol=1e-12, atol=1e-15
        )
        monkeypatch.undo()


# ------------------------------------------------------------------ invariances

_grids = st.integers(2, 4).flatmap(
    lambda m: arrays(
        np.float64,
        st.tuples(st.integers(1, 12), st.just(m)),
        elements=st.integers(-1, 4).map(float),
    )
)


@FAST
@given(_grids, st.randoms(use_true_random=False))
def test_hypervolume_invariances(Y, random):
    m = Y.shape[1]
    r = np.zeros(m)
    hv = hypervolume(Y, r)
    assert hv == pytest.approx(_reference_hv(Y, r), rel=1e-12, abs=1e-12)
    # permutation
    perm = np.array(random.sample(range(len(Y)), len(Y)))
    assert hypervolume(Y[perm], r) == pytest.approx(hv, rel=1e-12, abs=1e-12)
    # dominated points (each row shrunk towards r) and duplicates change nothing
    shrunk = Y - np.array([random.random() for _ in range(m)]) * 2
    assert hypervolume(np.vstack([Y, shrunk, Y]), r) == pytest.approx(
        hv, rel=1e-12, abs=1e-12
    )
    # the front alone has the same volume
    assert hypervolume(Y[pareto_front_mask(Y)], r) == pytest.approx(
        hv, rel=1e-12, abs=1e-12
    )
    # scaling every objective by c scales the volume by c**m; shifting is neutral
    assert hypervolume(2.5 * Y + 1.0, 2.5 * r + 1.0) == pytest.approx(
        2.5**m * hv, rel=1e-12, abs=1e-12
    )


@FAST
@given(_grids)
def test_contributions_sum_and_bounds(Y):
    r = np.zeros(Y.shape[1])
    c = hypervolume_contributions(Y, r)
    hv = hypervolume(Y, r)
    above = (Y > r).all(axis=1)
    assert (c >= 0).all() and c.sum() <= hv + 1e-12
    # each contribution is at most its own box
    boxes = np.where(above, np.prod(np.clip(Y - r, 0, None), axis=1), 0.0)
    assert (c <= boxes + 1e-12).all()
    for i in np.flatnonzero(c > 0):
        assert hv - hypervolume(np.delete(Y, i, axis=0), r) == pytest.approx(
            c[i], rel=1e-12
        )


def test_large_two_objective_front_is_exact():
    # points on the line y1 + y2 = 1: the area is a sum of n triangles removed
    n = 20_000
    t = np.linspace(0, 1, n)
    Y = np.column_stack([t, 1 - t])
    exact = 0.5 - 0.5 / (n - 1)  # the triangle minus n - 1 small triangles
    assert hypervolume(Y, [0.0, 0.0]) == pytest.approx(exact, rel=1e-12)
    assert math.isclose(
        hypervolume(Y, [0.0, 0.0]), moocore.hypervolume(Y, ref=[0, 0], maximise=True)
    )


def test_small_contributions_keep_their_precision():
    # points on y1 + y2 = const, far from r: each inner point adds h**2 to a
    # box of about 1e6, so subtracting whole boxes would leave ~1e-3 relative
    # error
    t = np.linspace(0.0, 1.0, 201)
    Y = np.column_stack([t, 1 - t]) + 1000.0
    c = hypervolume_contributions(Y, [0.0, 0.0])
    np.testing.assert_allclose(c[1:-1], np.diff(t)[1:] * np.diff(t)[:-1], rtol=1e-9)
    # a triangular grid on the plane y1 + y2 + y3 = const
    g = np.linspace(0.0, 1.0, 13)
    a, b = (x.ravel() for x in np.meshgrid(g, g))
    keep = a + b <= 1
    P = np.column_stack([a[keep], b[keep], 1 - a[keep] - b[keep]]) + 1000.0
    expected = moocore.hv_contributions(P, ref=np.zeros(3), maximise=True)
    assert expected.min() > 0
    np.testing.assert_allclose(
        hypervolume_contributions(P, np.zeros(3)), expected, rtol=1e-9
    )
