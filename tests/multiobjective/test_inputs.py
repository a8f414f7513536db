"""Every function: bad input raises a ValueError naming the argument, and the
inputs are never modified."""

import numpy as np
import pytest

from sklearn_hpo.multiobjective import (
    augmented_chebyshev,
    hypervolume,
    hypervolume_contributions,
    knee_point,
    non_dominated_ranks,
    pareto_front_mask,
)


def _call(name, Y, m):
    r = np.zeros(m)
    w = np.full(m, 1.0 / m)
    return {
        "non_dominated_ranks": lambda: non_dominated_ranks(Y),
        "pareto_front_mask": lambda: pareto_front_mask(Y),
        "hypervolume": lambda: hypervolume(Y, r),
        "hypervolume_contributions": lambda: hypervolume_contributions(Y, r),
        "knee_point": lambda: knee_point(Y),
        "augmented_chebyshev": lambda: augmented_chebyshev(Y, w),
    }[name]()


FUNCTIONS = [
    "non_dominated_ranks",
    "pareto_front_mask",
    "hypervolume",
    "hypervolume_contributions",
    "knee_point",
    "augmented_chebyshev",
]

BAD_Y = {
    "1-D": (np.array([1.0, 2.0, 3.0]), 3, "2-D array"),
    "3-D": (np.ones((2, 2, 2)), 2, "2-D array"),
    "no objective": (np.ones((3, 0)), 0, "at least one objective"),
    "+inf": (np.array([[1.0, np.inf], [0.0, 0.0]]), 2, "infinite"),
    "-inf": (np.array([[1.0, -np.inf], [0.0, 0.0]]), 2, "infinite"),
    "strings": (np.array([["a", "b"]]), 2, "numbers"),
    "ragged": ([[1.0, 2.0], [3.0]], 2, "numbers"),
}


@pytest.mark.parametrize("case", list(BAD_Y))
@pytest.mark.parametrize("name", FUNCTIONS)
def test_bad_objectives_raise(name, case):
    Y, m, message = BAD_Y[case]
    with pytest.raises(ValueError, match=rf"^Y must .*{message}"):
        _call(name, Y, max(m, 1))


@pytest.mark.parametrize("func", [hypervolume, hypervolume_contributions])
def test_bad_reference_point_raises(func):
    Y = np.array([[1.0, 2.0], [2.0, 1.0]])
    for r in ([0.0], [0.0, 0.0, 0.0], [[0.0, 0.0]], 0.0):
        with pytest.raises(
            ValueError, match=r"^reference_point must have shape \(2,\)"
        ):
            func(Y, r)
    for r in ([np.nan, 0.0], [0.0, -np.inf]):
        with pytest.raises(ValueError, match="^reference_point must be finite"):
            func(Y, r)
    with pytest.raises(ValueError, match="^reference_point must be an array"):
        func(Y, ["a", "b"])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_inputs_are_not_modified(name):
    rng = np.random.default_rng(0)
    for m in (1, 2, 3, 4):
        Y = rng.integers(0, 4, size=(30, m)).astype(float)
        Y[3] = np.nan
        Y[5] = Y[6]
        Y[7] = -0.0
        before = Y.copy()
        Y.setflags(write=False)  # an in-place write would raise
        _call(name, Y, m)
        np.testing.assert_array_equal(Y, before)
        assert np.signbit(Y[7]).all()


def test_vector_arguments_are_not_modified():
    Y = np.array([[0.0, 2.0], [1.0, 1.0], [2.0, 0.0]])
    r = np.array([-1.0, -1.0])
    w = np.array([0.25, 0.75])
    ideal, nadir = np.array([2.0, 2.0]), np.array([0.0, 0.0])
    for a in (r, w, ideal, nadir):
        a.setflags(write=False)
    hypervolume(Y, r)
    hypervolume_contributions(Y, r)
    augmented_chebyshev(Y, w, ideal=ideal, nadir=nadir)
    assert r.tolist() == [-1.0, -1.0] and w.tolist() == [0.25, 0.75]
    assert ideal.tolist() == [2.0, 2.0] and nadir.tolist() == [0.0, 0.0]


def test_lists_and_integer_arrays_are_accepted():
    Y = [[0, 2], [1, 1], [2, 0], [0, 0]]
    assert non_dominated_ranks(Y).tolist() == [0, 0, 0, 1]
    assert hypervolume(np.array(Y), (-1, -1)) == 3 * 1 + 2 + 1
    assert knee_point(Y) == 1
    assert augmented_chebyshev(Y, (1, 1)).dtype == np.float64
