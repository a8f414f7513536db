"""The knee point: the documented rule, its fallbacks and invariances."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklearn_hpo.multiobjective import knee_point, pareto_front_mask

FAST = settings(max_examples=40, deadline=None)

# A convex (towards the ideal) L-shaped front whose knee is (0.9, 0.9).
L_FRONT = np.array(
    [
        [0.0, 1.0],
        [0.2, 0.98],
        [0.5, 0.95],
        [0.9, 0.9],
        [0.95, 0.5],
        [0.98, 0.2],
        [1.0, 0.0],
    ]
)
L_KNEE = 3


def test_obvious_knee_of_an_l_shaped_front():
    assert knee_point(L_FRONT) == L_KNEE
    perm = np.random.default_rng(0).permutation(len(L_FRONT))
    assert perm[knee_point(L_FRONT[perm])] == L_KNEE


def test_knee_of_a_sharp_corner():
    # y2 = 1 - y1**8: flat, then a sharp drop near y1 = 1
    t = np.linspace(0, 1, 41)
    Y = np.column_stack([t, 1 - t**8])
    d = (Y[:, 0] + Y[:, 1] - 1) / np.sqrt(2)  # distance to the line of extremes
    assert knee_point(Y) == int(np.argmax(d))


def test_dominated_and_failed_rows_are_ignored():
    # dominated rows far below the front would change the nadir if counted,
    # and a dominated row may be closer to the line of extremes than the knee
    extra = np.array(
        [[-5.0, -5.0], [0.85, 0.85], [0.1, 0.1], [np.nan, 2.0], [np.nan, np.nan]]
    )
    Y = np.vstack([extra, L_FRONT])
    assert knee_point(Y) == len(extra) + L_KNEE
    assert pareto_front_mask(Y)[knee_point(Y)]


def test_knee_in_three_objectives():
    # a flat front (the simplex) with one point bulging towards the ideal
    Y = np.array(
        [
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 1.0],
            [1 / 3, 1 / 3, 1 / 3],
            [0.5, 0.5, 0.0],
            [0.6, 0.6, 0.6],
            [0.7, 0.1, 0.2],
        ]
    )
    assert knee_point(Y) == 5


def test_tied_extremes_go_to_the_one_furthest_out():
    # B and A both reach the best first objective; A has the smaller sum of
    # the others, so the plane goes through A, e2, e3: w = (0.8, 1, 1), which
    # puts P furthest above it (0.42 / 1.625 against 0.40 / 1.625 for Q).
    # Through B (the lower index) it would be w = (0.7, 1, 1) and Q.
    B, A = [1.0, 0.3, 0.0], [1.0, 0.1, 0.1]
    P, Q = [0.9, 0.4, 0.3], [0.3, 0.58, 0.58]
    Y = np.array([B, A, [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], P, Q])
    assert pareto_front_mask(Y).all()
    assert knee_point(Y) == 4


def test_extremes_spanning_a_plane_away_from_the_ideal_fall_back():
    # normalized: (0, .8, 1), (.8, 1, .8), (1, 0, 1), (1, .8, 0); the plane
    # through the extremes has w = (-5, 15, -5) / 7, with the ideal below it
    Y = np.array([[0, 4, 5], [4, 5, 4], [5, 0, 5], [5, 4, 0]], dtype=float)
    assert knee_point(Y) == 1  # closest to the ideal


def test_invariant_to_shifting_and_rescaling_objectives():
    Y = L_FRONT * np.array([1000.0, 0.01]) + np.array([-7.0, 3.0])
    assert knee_point(Y) == L_KNEE


def test_single_front_point():
    Y = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    assert knee_point(Y) == 1
    assert knee_point([[2.0, 5.0]]) == 0
    assert knee_point([[2.0]]) == 0


def test_duplicated_front_point_gives_the_first_copy():
    Y = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]])
    assert knee_point(Y) == 1


def test_two_front_points_give_the_first():
    # both are extremes at distance 1 from the ideal: the lower index wins
    assert knee_point([[0.0, 1.0], [1.0, 0.0]]) == 0
    assert knee_point([[-1.0, -1.0], [1.0, 0.0], [0.0, 5.0]]) == 1


def test_collinear_front_falls_back_to_closest_to_ideal():
    t = np.linspace(0, 1, 5)
    Y = np.column_stack([t, 1 - t])
    assert knee_point(Y) == 2  # the middle point is closest to (1, 1)
    Y4 = np.column_stack([t[:4], 1 - t[:4]])  # (1/3, 2/3) and (2/3, 1/3) tie
    assert knee_point(Y4) == 1


def test_concave_front_falls_back_to_closest_to_ideal():
    # bends towards the nadir: no point lies above the line of extremes
    Y = np.array([[0.0, 1.0], [0.5, 0.25], [0.8, 0.04], [1.0, 0.0]])
    dist = np.linalg.norm(1 - Y, axis=1)
    assert knee_point(Y) == int(np.argmin(dist)) == 1


def test_objective_constant_over_the_front_is_left_out():
    Y = np.column_stack([L_FRONT, np.full(len(L_FRONT), 2.0)])
    assert knee_point(Y) == L_KNEE


def test_one_objective():
    assert knee_point([[1.0], [3.0], [2.0], [3.0]]) == 1


def test_no_complete_row_raises():
    with pytest.raises(ValueError, match="Y must hold at least one row"):
        knee_point(np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="Y must hold at least one row"):
        knee_point(np.empty((0, 2)))


@FAST
@given(
    st.integers(2, 4).flatmap(
        lambda m: st.lists(
            st.lists(st.integers(0, 6).map(float), min_size=m, max_size=m),
            min_size=1,
            max_size=15,
        )
    )
)
def test_knee_is_a_front_point_and_follows_monotone_rescaling(rows):
    Y = np.array(rows)
    k = knee_point(Y)
    assert pareto_front_mask(Y)[k]
    # a positive affine map of each objective keeps the knee
    scale = np.arange(1.0, Y.shape[1] + 1) * 0.5
    assert knee_point(scale * Y + 10.0) == k
