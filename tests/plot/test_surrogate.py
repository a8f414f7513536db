"""The numerics of the surrogate plots, against closed forms.

Partial dependence and first-order variance shares are checked on functions
whose answers are known exactly (additive functions, a product), the
posterior band against the brute-force covariance of the GP, and the GP path
on data from an additive function.
"""

import numpy as np
import pytest

from sklearn_hpo.plot._surrogate import (
    Surrogate,
    average_over_blocks,
    base_points,
    first_order_shares,
    grid_blocks,
    quadrature,
)
from sklearn_hpo.space import Categorical, Integer, Real

RNG_SEED = 0


def base(d, n=1024):
    return base_points(d, n, np.random.default_rng(RNG_SEED))


# ---------------------------------------------------------------- quadrature
def test_quadrature_continuous_is_the_midpoint_rule():
    u, w = quadrature(Real(0.0, 1.0), 4)
    np.testing.assert_allclose(u, [0.125, 0.375, 0.625, 0.875])
    np.testing.assert_allclose(w, 0.25)
    u, w = quadrature(None, 8)
    assert np.isclose(w.sum(), 1.0) and len(u) == 8


def test_quadrature_categorical_uses_the_weights():
    dim = Categorical(["a", "b", "c"], weights=[2, 1, 1])
    u, w = quadrature(dim, 32)
    np.testing.assert_allclose(w, [0.5, 0.25, 0.25])
    assert dim.from_unit(u).tolist() == ["a", "b", "c"]


def test_quadrature_integer_values_weighted_by_their_cells():
    u, w = quadrature(Integer(1, 4), 32)
    assert Integer(1, 4).from_unit(u).tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(w, 0.25, atol=1e-3)
    # more values than points: snapped midpoints
    u, w = quadrature(Integer(1, 1000), 16)
    assert len(u) == 16 and np.isclose(w.sum(), 1.0)


# ---------------------------------------------------------- variance shares
@pytest.mark.parametrize("a,b", [(1.0, 1.0), (3.0, 0.5), (0.2, 2.0)])
def test_shares_of_an_additive_function_are_the_closed_form(a, b):
    # f = a u0 + b sin(2 pi u1) + 0 u2: Var = a^2/12 + b^2/2, no interaction
    def f(U):
        return a * U[:, 0] + b * np.sin(2 * np.pi * U[:, 1])

    shares = first_order_shares(f, None, base(3))
    total = a**2 / 12 + b**2 / 2
    np.testing.assert_allclose(
        shares, [a**2 / 12 / total, b**2 / 2 / total, 0.0], atol=5e-3
    )
    assert np.isclose(shares.sum(), 1.0, atol=5e-3)


def test_shares_of_a_product_leave_the_interaction_out():
    # f = u0 u1: Var E[f | u0] = 1/48, Var f = 1/9 - 1/16 = 7/144 -> 3/7 each
    shares = first_order_shares(lambda U: U[:, 0] * U[:, 1], None, base(2))
    np.testing.assert_allclose(shares, [3 / 7, 3 / 7], atol=5e-3)


def test_shares_weigh_categorical_values_by_their_probability():
    dim = Categorical(["a", "b", "c"], weights=[2, 1, 1])
    effect = np.array([0.0, 1.0, 3.0])

    def f(U):
        return effect[dim.index(U[:, 0])] + U[:, 1]

    p = np.array([0.5, 0.25, 0.25])
    var_cat = p @ effect**2 - (p @ effect) ** 2
    total = var_cat + 1 / 12
    shares = first_order_shares(f, [dim, Real(0, 1)], base(2, 4096))
    np.testing.assert_allclose(shares, [var_cat / total, 1 / 12 / total], atol=5e-3)


def test_shares_of_a_constant_are_zero():
    shares = first_order_shares(lambda U: np.full(len(U), 0.7), None, base(2))
    np.testing.assert_array_equal(shares, [0.0, 0.0])


# ------------------------------------------------------- partial dependence
@pytest.mark.parametrize("a", [0.5, -2.0])
def test_partial_dependence_of_an_additive_function(a):
    # f = a u0 + g(u1), g(u) = u^2: PD_0(u0) = a u0 + E[g] = a u0 + 1/3
    def f(U):
        return a * U[:, 0] + U[:, 1] ** 2

    grid = np.linspace(0, 1, 11)
    pd = average_over_blocks(f, grid_blocks(base(2), [0], grid[:, None]))
    np.testing.assert_allclose(pd, a * grid + 1 / 3, atol=1e-4)


def test_two_way_partial_dependence():
    # f = u0 u1 + u2: PD_01 = u0 u1 + 1/2
    def f(U):
        return U[:, 0] * U[:, 1] + U[:, 2]

    g0, g1 = np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 4), indexing="ij")
    values = np.column_stack([g0.ravel(), g1.ravel()])
    pd = average_over_blocks(f, grid_blocks(base(3), [0, 1], values))
    np.testing.assert_allclose(pd, values[:, 0] * values[:, 1] + 0.5, atol=1e-4)


def test_grid_blocks_do_not_modify_the_base():
    b = base(2, 8)
    before = b.copy()
    blocks = grid_blocks(b, [1], np.array([[0.1], [0.9]]))
    np.testing.assert_array_equal(b, before)
    assert blocks.shape == (2, 8, 2)
    np.testing.assert_array_equal(blocks[1, :, 1], 0.9)
    np.testing.assert_array_equal(blocks[1, :, 0], b[:, 0])


# ---------------------------------------------------------------- GP path
def additive_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    U = rng.random((n, 3))
    y = 10 + 2.0 * U[:, 0] + np.sin(2 * np.pi * U[:, 1])  # u2 does nothing
    return U, y


@pytest.fixture(scope="module")
def additive_surrogate():
    U, y = additive_data()
    return Surrogate([Real(0, 1)] * 3, U, y, names=["a", "b", "c"])


def test_surrogate_predicts_in_score_units(additive_surrogate):
    U, y = additive_data()
    mean, std = additive_surrogate.predict(U, return_std=True)
    np.testing.assert_allclose(mean, y, atol=0.05)
    assert np.all(std >= 0)
    # new points: close to the function as well
    V = np.random.default_rng(1).random((200, 3))
    truth = 10 + 2.0 * V[:, 0] + np.sin(2 * np.pi * V[:, 1])
    assert np.sqrt(np.mean((additive_surrogate.predict(V) - truth) ** 2)) < 0.1


def test_surrogate_shares_match_the_additive_function(additive_surrogate):
    total = 4 / 12 + 1 / 2
    shares = first_order_shares(
        additive_surrogate.predict, additive_surrogate.dimensions, base(3, 512)
    )
    np.testing.assert_allclose(shares, [(4 / 12) / total, 0.5 / total, 0.0], atol=0.04)


def test_surrogate_partial_dependence_matches_the_additive_function(
    additive_surrogate,
):
    grid = np.linspace(0.05, 0.95, 7)
    blocks = grid_blocks(base(3, 256), [0], grid[:, None])
    mean, std = additive_surrogate.average(blocks)
    # PD_a(u) = 10 + 2 u + E[sin] = 10 + 2 u
    np.testing.assert_allclose(mean, 10 + 2 * grid, atol=0.06)
    assert np.all(std > 0) and np.all(std < 0.1)


def test_relevance_ranks_the_irrelevant_dimension_last(additive_surrogate):
    rel = additive_surrogate.relevance()
    np.testing.assert_allclose(rel, 1 / additive_surrogate.gp_.lengthscales_)
    assert rel[2] < 0.5 * min(rel[0], rel[1])


def test_band_is_the_posterior_std_of_the_average(additive_surrogate):
    # Var[1/M sum f(x_m)] = 1^T Sigma 1 / M^2, Sigma the joint posterior
    # covariance (brute force), in score units
    s = additive_surrogate
    blocks = grid_blocks(base(3, 16), [0], np.array([[0.2], [0.7]]))
    _, std = s.average(blocks)
    for i in range(2):
        cov = s.gp_.posterior_covariance(s.encode(blocks[i]))
        expected = s.y_scale_ * np.sqrt(cov.sum()) / 16
        assert np.isclose(std[i], expected, rtol=1e-6)


def test_encoding_one_hot_and_ordinal():
    dims = [
        Categorical(["x", "y", "z"]),
        Categorical([10.0, 0.1, 1.0]),  # numbers: their rank, scaled
        Integer(1, 5),
    ]
    U = np.array([[0.1, 0.1, 0.5], [0.5, 0.5, 0.0], [0.9, 0.9, 1.0]])
    y = np.array([0.0, 1.0, 2.0])
    s = Surrogate(dims, U, y)
    F = s.encode(U)
    assert s.n_features_ == 5
    np.testing.assert_array_equal(F[:, :3], np.eye(3))
    np.testing.assert_allclose(F[:, 3], [1.0, 0.0, 0.5])  # 10, 0.1, 1 by rank
    np.testing.assert_allclose(F[:, 4], Integer(1, 5).snap(U[:, 2]))
    assert s.relevance().shape == (3,)
