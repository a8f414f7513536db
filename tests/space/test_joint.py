"""JointSubSpace: a list of dicts as one cube for a model-based search."""

import numpy as np

from sklearn_hpo.space import JointSubSpace, Real, SearchSpace

SPACE = SearchSpace(
    [
        {"kernel": ["linear"], "C": Real(0.1, 10.0)},
        {"kernel": ["poly"], "degree": [2, 3], "C": Real(0.1, 10.0)},
        {"kernel": ["rbf"], "C": Real(1.0, 2.0), "gamma": (1e-3, 1.0, "log-uniform")},
    ]
)


def test_columns_are_shared_by_name_and_dimension():
    joint = JointSubSpace(SPACE)
    # selector, C (shared by the first two), degree, C of rbf (other range), gamma
    assert joint.names == ["<subspace>", "C", "degree", "C", "gamma"]
    assert joint.n_dims == 5
    assert joint.cardinality == float("inf")


def test_from_unit_gives_each_subspace_its_own_parameters():
    joint = JointSubSpace(SPACE)
    U = joint.snap(np.random.default_rng(0).random((60, joint.n_dims)))
    params = joint.from_unit(U)
    kernels = {p["kernel"] for p in params}
    assert kernels == {"linear", "poly", "rbf"}
    for p in params:
        expected = {
            "linear": {"kernel", "C"},
            "poly": {"kernel", "degree", "C"},
            "rbf": {"kernel", "C", "gamma"},
        }[p["kernel"]]
        assert set(p) == expected
        if p["kernel"] == "rbf":
            assert 1.0 <= p["C"] <= 2.0


def test_snap_holds_inactive_columns_and_is_idempotent():
    joint = JointSubSpace(SPACE)
    U = joint.snap(np.random.default_rng(1).random((30, joint.n_dims)))
    np.testing.assert_array_equal(joint.snap(U), U)
    linear = joint.selector.index(U[:, 0]) == 0
    np.testing.assert_array_equal(U[linear][:, 2:], 0.5)


def test_keys_distinguish_subspaces_and_ignore_inactive_columns():
    joint = JointSubSpace(SPACE)
    u = joint.snap(np.array([[0.1, 0.3, 0.5, 0.5, 0.5]]))
    moved = u.copy()
    moved[0, 4] = 0.9  # an inactive column of the linear subspace
    assert joint.keys(u) == joint.keys(moved)
    other = u.copy()
    other[0, 0] = 0.5  # the poly subspace
    assert joint.keys(u)[0][0] != joint.keys(other)[0][0]


def test_enumerate_lists_every_setting_once():
    joint = JointSubSpace(SearchSpace([{"a": [1, 2]}, {"b": ["x", "y", "z"]}]))
    grid = joint.enumerate()
    params = joint.from_unit(grid)
    assert sorted(map(str, params)) == sorted(
        map(str, [{"a": 1}, {"a": 2}, {"b": "x"}, {"b": "y"}, {"b": "z"}])
    )
    assert len(set(joint.keys(grid))) == 5
    assert JointSubSpace(SPACE).enumerate() is None


def test_inactive_marks_the_columns_a_point_does_not_use():
    joint = JointSubSpace(SPACE)
    U = joint.snap(np.random.default_rng(2).random((40, joint.n_dims)))
    mask = joint.inactive(U)
    which = joint.selector.index(U[:, 0])
    used = {0: {0, 1}, 1: {0, 1, 2}, 2: {0, 3, 4}}
    for row, k in zip(mask, which, strict=True):
        assert set(np.flatnonzero(~row)) == used[int(k)]
    np.testing.assert_array_equal(U[mask], 0.5)


def test_gp_sampler_proposals_hold_inactive_columns():
    from sklearn_hpo.samplers import GPSampler

    joint = JointSubSpace(SPACE)
    rng = np.random.default_rng(3)
    X = joint.snap(rng.random((8, joint.n_dims)))
    y = rng.standard_normal(8)
    sampler = GPSampler(
        joint.dimensions, inactive=joint.inactive, n_initial_points=4, n_candidates=128
    )
    U = sampler.propose(X, y, 3, rng=rng)
    np.testing.assert_array_equal(U[joint.inactive(U)], 0.5)
    np.testing.assert_array_equal(joint.snap(U), U)
