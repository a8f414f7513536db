"""Tests of the one-dimensional domains and their unit-interval maps."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LogisticRegression

from sklearn_hpo.exceptions import SearchSpaceWarning
from sklearn_hpo.space import Categorical, Distribution, Integer, Real

FAST = settings(max_examples=50, deadline=None)
MEDIUM = settings(max_examples=80, deadline=None)

# A fine deterministic grid of unit coordinates: cell midpoints of [0, 1].
N_GRID = 100_000
GRID = (np.arange(N_GRID) + 0.5) / N_GRID
# An interval of width w holds between w * N - 1 and w * N + 1 grid points,
# so a cell's share of the grid is within 1 / N of its width.
GRID_TOL = 2.0 / N_GRID

# Choices of many kinds, distinct by identity (1, 1.0 and True compare equal
# but are different objects, which Categorical must keep apart).
CHOICE_POOL = [
    None,
    "rbf",
    "",
    "a",
    0,
    1,
    1.0,
    True,
    -3,
    2.5,
    float("nan"),
    (1, 2),
    frozenset({1}),
    LogisticRegression(),
    LogisticRegression(C=2.0),
    len,
]

unit_floats = st.floats(0.0, 1.0, allow_nan=False)
unit_arrays = st.lists(unit_floats, min_size=1, max_size=30).map(
    lambda u: np.array(u + [0.0, 1.0])
)


# ---------------------------------------------------------------------------
# strategies


@st.composite
def real_dims(draw, prior=None):
    if prior is None:
        prior = draw(st.sampled_from(["uniform", "log-uniform"]))
    if prior == "uniform":
        low = draw(st.floats(-1e6, 1e6))
        width = draw(st.floats(1e-3, 1e6))
        return Real(low, low + width)
    a = draw(st.floats(-8.0, 4.0))
    b = draw(st.floats(0.01, 8.0))
    return Real(10.0**a, 10.0 ** (a + b), prior="log-uniform")


@st.composite
def integer_dims(draw, prior=None):
    if prior is None:
        prior = draw(st.sampled_from(["uniform", "log-uniform"]))
    if prior == "uniform":
        low = draw(st.integers(-1000, 1000))
        return Integer(low, low + draw(st.integers(1, 1000)))
    low = draw(st.integers(1, 1000))
    return Integer(low, low + draw(st.integers(1, 5000)), prior="log-uniform")


@st.composite
def categorical_dims(draw, weighted=None):
    idx = draw(
        st.lists(
            st.integers(0, len(CHOICE_POOL) - 1), min_size=1, max_size=10, unique=True
        )
    )
    choices = [CHOICE_POOL[i] for i in idx]
    if weighted is None:
        weighted = draw(st.booleans())
    if not weighted:
        return Categorical(choices)
    weights = draw(
        st.lists(st.floats(1e-3, 1e3), min_size=len(choices), max_size=len(choices))
    )
    return Categorical(choices, weights=weights)


@st.composite
def continuous_dists(draw):
    kind = draw(st.sampled_from(["loguniform", "uniform", "norm"]))
    if kind == "loguniform":
        a = 10.0 ** draw(st.floats(-6.0, 3.0))
        return Distribution(stats.loguniform(a, a * 10.0 ** draw(st.floats(0.1, 6.0))))
    loc = draw(st.floats(-100.0, 100.0))
    scale = draw(st.floats(1e-2, 100.0))
    if kind == "uniform":
        return Distribution(stats.uniform(loc, scale))
    return Distribution(stats.norm(loc, scale))


@st.composite
def randint_dists(draw):
    low = draw(st.integers(-100, 100))
    return Distribution(stats.randint(low, low + draw(st.integers(1, 200))))


@st.composite
def values_of(draw, dim, n=20):
    """Values in the domain of ``dim``, bounds included."""
    if isinstance(dim, Real):
        vals = draw(st.lists(st.floats(dim.low, dim.high), min_size=1, max_size=n))
        return np.array(vals + [dim.low, dim.high])
    if isinstance(dim, Integer):
        vals = draw(st.lists(st.integers(dim.low, dim.high), min_size=1, max_size=n))
        return np.array(vals + [dim.low, dim.high])
    if isinstance(dim, Categorical):
        return draw(st.lists(st.sampled_from(dim.choices), min_size=1, max_size=n))
    lo, hi = dim.dist.support()
    if dim.is_discrete:
        vals = draw(st.lists(st.integers(int(lo), int(hi)), min_size=1, max_size=n))
        return np.array(vals + [int(lo), int(hi)])
    if dim.dist.dist.name == "norm":
        # within 4 sd: further out cdf(x) is too close to 1 to invert precisely
        loc, scale = dim.dist.mean(), dim.dist.std()
        lo, hi = loc - 4 * scale, loc + 4 * scale
    return np.array(draw(st.lists(st.floats(lo, hi), min_size=1, max_size=n)))


def _scale(dim):
    """Absolute tolerance for a Real round trip: 1e-9 of the range's magnitude."""
    return 1e-9 * max(abs(dim.low), abs(dim.high), dim.high - dim.low)


# ---------------------------------------------------------------------------
# round trips: from_unit(to_unit(values)) == values, to_unit(from_unit(u)) == snap


@MEDIUM
@given(st.data(), real_dims())
def test_real_round_trip_values(data, dim):
    x = data.draw(values_of(dim))
    out = dim.from_unit(dim.to_unit(x))
    if dim.prior == "log-uniform":
        np.testing.assert_allclose(out, x, rtol=1e-9, atol=0)
    else:
        np.testing.assert_allclose(out, x, rtol=1e-9, atol=_scale(dim))


@MEDIUM
@given(real_dims(), unit_arrays)
def test_real_round_trip_unit_and_snap(dim, u):
    # a continuum: snap is the identity and to_unit inverts from_unit
    np.testing.assert_array_equal(dim.snap(u), u)
    # up to the float resolution of the values, relative to the range
    ulp = np.spacing(max(abs(dim.low), abs(dim.high))) / (dim.high - dim.low)
    atol = 1e-9 + 4 * ulp * (dim.prior == "uniform")
    np.testing.assert_allclose(dim.to_unit(dim.from_unit(u)), u, rtol=0, atol=atol)


@MEDIUM
@given(st.data(), integer_dims())
def test_integer_round_trip_values(data, dim):
    v = data.draw(values_of(dim))
    out = dim.from_unit(dim.to_unit(v))
    assert out.dtype.kind == "i"
    np.testing.assert_array_equal(out, v)


@MEDIUM
@given(categorical_dims(), st.data())
def test_categorical_round_trip_values(dim, data):
    values = data.draw(values_of(dim))
    out = dim.from_unit(dim.to_unit(values))
    assert len(out) == len(values)
    # the very same objects come back (even NaN, estimators, 1 vs 1.0 vs True)
    assert all(a is b for a, b in zip(out, values, strict=True))


@MEDIUM
@given(st.data(), continuous_dists())
def test_continuous_distribution_round_trip(data, dim):
    x = data.draw(values_of(dim))
    out = dim.from_unit(dim.to_unit(x))
    scale = float(dim.dist.std()) + float(np.max(np.abs(x)))
    np.testing.assert_allclose(out, x, rtol=1e-9, atol=1e-9 * scale)
    u = data.draw(unit_arrays)
    np.testing.assert_array_equal(dim.snap(u), u)
    np.testing.assert_allclose(dim.to_unit(dim.from_unit(u)), u, rtol=0, atol=1e-9)


@MEDIUM
@given(st.data(), randint_dists())
def test_randint_distribution_round_trip(data, dim):
    v = data.draw(values_of(dim))
    out = dim.from_unit(dim.to_unit(v))
    assert out.dtype.kind == "i"
    np.testing.assert_array_equal(out, v)


discrete_dims = st.one_of(integer_dims(), categorical_dims(), randint_dists())


@MEDIUM
@given(discrete_dims, unit_arrays)
def test_discrete_snap(dim, u):
    u_before = u.copy()
    s = dim.snap(u)
    np.testing.assert_array_equal(u, u_before)
    # snap == to_unit o from_unit, is idempotent and keeps every value
    np.testing.assert_array_equal(s, dim.to_unit(dim.from_unit(u)))
    np.testing.assert_array_equal(dim.snap(s), s)
    np.testing.assert_array_equal(dim.index(s), dim.index(u))
    assert all(
        a is b or a == b
        for a, b in zip(dim.from_unit(s), dim.from_unit(u), strict=True)
    )
    assert np.all((s > 0.0) & (s < 1.0))


def test_snap_moves_to_cell_centres():
    dim = Integer(0, 3)
    np.testing.assert_allclose(
        dim.snap([0.0, 0.1, 0.26, 0.49, 0.51, 1.0]),
        [0.125, 0.125, 0.375, 0.375, 0.625, 0.875],
    )
    cat = Categorical(["a", "b"], weights=[3, 1])
    np.testing.assert_allclose(
        cat.snap([0.0, 0.74, 0.75, 1.0]), [0.375] * 2 + [0.875] * 2
    )


# ---------------------------------------------------------------------------
# bounds


@FAST
@given(st.one_of(real_dims(), integer_dims()), unit_arrays)
def test_range_bounds(dim, u):
    x = dim.from_unit(u)
    assert x.shape == u.shape
    assert np.all((x >= dim.low) & (x <= dim.high))
    t = dim.to_unit(x)
    assert np.all((t >= 0.0) & (t <= 1.0))
    ends = dim.from_unit([0.0, 1.0])
    assert ends[0] == pytest.approx(dim.low, rel=1e-12)
    assert ends[1] == pytest.approx(dim.high, rel=1e-12)
    t_low, t_high = dim.to_unit([dim.low, dim.high])
    assert np.all((t_low <= t) & (t <= t_high))
    # coordinates outside [0, 1] are clipped, not extrapolated
    np.testing.assert_array_equal(dim.from_unit([-0.5, 1.5]), ends)


def test_integer_bounds_are_reached_exactly():
    for dim in [Integer(-3, 7), Integer(1, 1000, "log-uniform"), Integer(0, 1)]:
        assert dim.from_unit([0.0, 1.0]).tolist() == [dim.low, dim.high]


def test_real_uniform_bounds_are_reached_exactly():
    for low, high in [(0.1, 0.7), (-1e6, 1e6), (-3.3, 1e-3)]:
        assert Real(low, high).from_unit([0.0, 1.0]).tolist() == [low, high]


def test_real_log_uniform_bounds_are_reached_exactly():
    for low, high in [(1e-3, 1e3), (1e-5, 1.0), (0.1, 10.0), (3e-4, 0.7), (2.0, 9.0)]:
        dim = Real(low, high, prior="log-uniform")
        assert dim.from_unit([0.0, 1.0]).tolist() == [low, high]


@FAST
@given(categorical_dims(), unit_arrays)
def test_categorical_bounds(dim, u):
    ids = {id(c) for c in dim.choices}
    assert all(id(x) in ids for x in dim.from_unit(u))
    t = dim.to_unit(dim.choices)
    assert np.all((t > 0.0) & (t < 1.0))
    assert dim.from_unit([0.0])[0] is dim.choices[0]
    assert dim.from_unit([1.0])[0] is dim.choices[-1]


@FAST
@given(st.one_of(continuous_dists(), randint_dists()), unit_arrays)
def test_distribution_bounds(dim, u):
    lo, hi = dim.dist.support()
    x = dim.from_unit(u)
    assert np.all(np.isfinite(x))
    assert np.all((x >= lo) & (x <= hi))
    t = dim.to_unit(x)
    assert np.all((t >= 0.0) & (t <= 1.0))


@pytest.mark.parametrize(
    "frozen", [stats.randint(0, 5), stats.binom(10, 0.3), stats.norm(), stats.expon()]
)
def test_distribution_corners_are_finite(frozen):
    x = Distribution(frozen).from_unit([0.0, 1.0])
    assert np.all(np.isfinite(x))
    lo, hi = frozen.support()
    assert np.all((x >= lo) & (x <= hi))


@pytest.mark.parametrize("frozen", [stats.poisson(3.0), stats.geom(0.5)])
def test_unbounded_discrete_distribution_corner(frozen):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        x = Distribution(frozen).from_unit([0.5, 1.0])
    assert x[1] >= x[0] >= frozen.support()[0]


def test_real_huge_range_is_finite():
    dim = Real(-1e308, 1e308)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        x = dim.from_unit([0.0, 0.5, 1.0])
    assert np.all(np.isfinite(x))


# ---------------------------------------------------------------------------
# fair mass: a uniform u gives each value its probability


def _grid_shares(index, n_cells):
    counts = np.bincount(index, minlength=n_cells)
    assert counts.shape == (n_cells,)
    return counts / N_GRID


@FAST
@given(integer_dims("uniform"))
def test_integer_uniform_fair_mass(dim):
    shares = _grid_shares(dim.from_unit(GRID) - dim.low, dim.n_values)
    assert np.all(shares > 0)  # every integer is reachable
    np.testing.assert_allclose(shares, 1.0 / dim.n_values, rtol=0, atol=GRID_TOL)
    np.testing.assert_array_equal(dim.index(GRID), dim.from_unit(GRID) - dim.low)


@FAST
@given(integer_dims("log-uniform"))
def test_integer_log_uniform_fair_mass(dim):
    shares = _grid_shares(dim.from_unit(GRID) - dim.low, dim.n_values)
    v = np.arange(dim.low, dim.high + 1, dtype=float)
    expected = np.log((v + 0.5) / (v - 0.5)) / np.log(
        (dim.high + 0.5) / (dim.low - 0.5)
    )
    assert expected.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(shares, expected, rtol=0, atol=GRID_TOL)
    assert np.all(shares > 0)


@FAST
@given(categorical_dims())
def test_categorical_fair_mass(dim):
    k = dim.n_values
    shares = _grid_shares(dim.index(GRID), k)
    if dim.weights is None:
        expected = np.full(k, 1.0 / k)
    else:
        expected = np.asarray(dim.weights)
    assert expected.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(shares, expected, rtol=0, atol=GRID_TOL)
    # every choice with a visible mass is reached by the grid, every other
    # one by the centre of its cell
    assert np.all(shares[expected > GRID_TOL] > 0)
    np.testing.assert_array_equal(dim.index(dim.to_unit(dim.choices)), np.arange(k))
    some = GRID[::50]
    values = dim.from_unit(some)
    assert all(
        x is dim.choices[i] for x, i in zip(values, dim.index(some), strict=True)
    )


def test_categorical_weights_are_normalized():
    dim = Categorical(["a", "b", "c"], weights=[1, 2, 5])
    assert dim.weights == pytest.approx([1 / 8, 2 / 8, 5 / 8])
    assert Categorical(["a", "b"]).weights is None


@FAST
@given(randint_dists())
def test_randint_distribution_fair_mass(dim):
    lo = int(dim.dist.support()[0])
    shares = _grid_shares(dim.from_unit(GRID) - lo, dim.n_values)
    np.testing.assert_allclose(shares, 1.0 / dim.n_values, rtol=0, atol=GRID_TOL)
    assert np.all(shares > 0)


@pytest.mark.parametrize(
    "frozen",
    [stats.binom(30, 0.3), stats.poisson(4.5), stats.geom(0.2), stats.binom(5, 0.9)],
)
def test_discrete_distribution_fair_mass(frozen):
    dim = Distribution(frozen)
    x = dim.from_unit(GRID)
    lo = int(frozen.support()[0])
    hi = int(x.max()) if not math.isfinite(dim.n_values) else lo + dim.n_values - 1
    shares = _grid_shares(x - lo, hi - lo + 1)
    expected = frozen.pmf(np.arange(lo, hi + 1))
    np.testing.assert_allclose(shares, expected, rtol=0, atol=GRID_TOL)
    # every value with a visible mass is reached
    assert np.all(shares[expected > GRID_TOL] > 0)


# ---------------------------------------------------------------------------
# monotonicity and vectorization


@MEDIUM
@given(
    st.one_of(real_dims(), integer_dims(), continuous_dists(), randint_dists()),
    unit_arrays,
)
def test_from_unit_is_monotone(dim, u):
    x = dim.from_unit(np.sort(u))
    assert np.all(np.diff(x) >= 0)


@MEDIUM
@given(st.one_of(real_dims(), integer_dims()), unit_arrays)
def test_to_unit_is_monotone(dim, u):
    x = np.sort(dim.from_unit(u))
    assert np.all(np.diff(dim.to_unit(x)) >= 0)


all_dims = st.one_of(
    real_dims(), integer_dims(), categorical_dims(), continuous_dists(), randint_dists()
)


@FAST
@given(all_dims, unit_arrays)
def test_from_unit_is_vectorized(dim, u):
    batch = dim.from_unit(u)
    single = [dim.from_unit(np.array([x]))[0] for x in u]
    assert batch.shape == u.shape
    if dim.kind == "categorical":
        assert all(a is b for a, b in zip(batch, single, strict=True))
    elif dim.is_discrete:
        assert batch.tolist() == single
    else:
        np.testing.assert_allclose(batch, single, rtol=1e-14, atol=0)
    # and the same holds for a plain list input
    assert np.array_equal(dim.to_unit(batch), dim.to_unit(list(batch)))


@FAST
@given(all_dims, unit_arrays)
def test_to_unit_is_vectorized(dim, u):
    values = dim.from_unit(u)
    batch = dim.to_unit(values)
    single = [dim.to_unit(values[i : i + 1])[0] for i in range(len(values))]
    np.testing.assert_allclose(batch, single, rtol=1e-14, atol=0)


def test_empty_inputs():
    dims = [
        Real(0, 1),
        Integer(0, 3),
        Categorical(["a", "b"]),
        Distribution(stats.randint(0, 3)),
        Distribution(stats.norm()),
    ]
    for dim in dims:
        assert dim.from_unit(np.empty(0)).shape == (0,)
        assert dim.to_unit([]).shape == (0,)
        assert dim.snap([]).shape == (0,)


def test_from_unit_needs_1d():
    with pytest.raises(ValueError, match="1-d"):
        Real(0, 1).from_unit([[0.5]])


# ---------------------------------------------------------------------------
# inputs are not mutated


@FAST
@given(all_dims, unit_arrays)
def test_inputs_are_not_mutated(dim, u):
    u_out_of_range = np.concatenate([u, [-0.25, 1.25]])
    before = u_out_of_range.copy()
    values = dim.from_unit(u_out_of_range)
    dim.snap(u_out_of_range)
    dim.index(u_out_of_range)
    np.testing.assert_array_equal(u_out_of_range, before)
    as_list = list(values)
    values_before = values.copy()
    dim.to_unit(values)
    dim.to_unit(as_list)
    if dim.kind == "categorical":
        assert all(a is b for a, b in zip(values, values_before, strict=True))
        assert all(a is b for a, b in zip(as_list, values_before, strict=True))
    else:
        np.testing.assert_array_equal(values, values_before)
        np.testing.assert_array_equal(as_list, values_before)


def test_constructor_arguments_are_not_mutated():
    choices = ["a", None, 3]
    weights = np.array([1.0, 2.0, 3.0])
    dim = Categorical(choices, weights=weights)
    assert choices == ["a", None, 3]
    np.testing.assert_array_equal(weights, [1.0, 2.0, 3.0])
    # nor does mutating them afterwards change the dimension
    choices.append("b")
    weights[0] = 100.0
    assert dim.choices == ["a", None, 3]
    assert dim.weights == pytest.approx([1 / 6, 2 / 6, 3 / 6])


# ---------------------------------------------------------------------------
# attributes


def test_kinds_and_cardinalities():
    assert Real(0, 1).kind == "real" and not Real(0, 1).is_discrete
    assert Real(0, 1).n_values == math.inf
    assert Integer(-2, 2).kind == "integer" and Integer(-2, 2).n_values == 5
    assert Categorical([1, 2, 3]).kind == "categorical"
    assert Categorical([1, 2, 3]).n_values == 3
    assert Distribution(stats.randint(1, 10)).kind == "integer"
    assert Distribution(stats.randint(1, 10)).n_values == 9
    assert Distribution(stats.poisson(2)).n_values == math.inf
    assert Distribution(stats.loguniform(1e-3, 1)).kind == "real"
    assert Distribution(stats.loguniform(1e-3, 1)).n_values == math.inf


def test_integer_accepts_integral_floats_and_numpy_integers():
    assert Integer(1.0, 3.0) == Integer(1, 3)
    assert Integer(np.int64(1), np.int32(3)) == Integer(1, 3)
    assert isinstance(Integer(1.0, 3.0).low, int)


def test_equality_and_hash():
    assert Real(0, 1) == Real(0.0, 1.0)
    assert hash(Real(0, 1)) == hash(Real(0.0, 1.0))
    assert Real(0.1, 1) != Real(0.1, 1, prior="log-uniform")
    assert Integer(0, 1) != Real(0, 1)
    assert Categorical(["a", "b"]) != Categorical(["a", "b"], weights=[1, 2])


def test_categorical_tiny_weight_is_rejected():
    # a weight below float resolution would give its choice an empty cell
    with pytest.raises(ValueError, match="weight must be at least"):
        Categorical(["a", "b", "c"], weights=[1.0, 1e-20, 1.0])
    dim = Categorical(["a", "b", "c"], weights=[1.0, 1e-6, 1.0])
    out = dim.from_unit(dim.to_unit(["a", "b", "c"]))
    assert out.tolist() == ["a", "b", "c"]


def test_discrete_distribution_with_gaps_counts_its_values():
    frozen = stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5]))()
    dim = Distribution(frozen)
    assert set(dim.from_unit(GRID).tolist()) == {1, 5, 10}  # holds
    assert dim.n_values == 3


# ---------------------------------------------------------------------------
# bad inputs


@pytest.mark.parametrize("cls", [Real, Integer])
@pytest.mark.parametrize("low, high", [(1, 1), (5, 2)])
def test_low_not_below_high(cls, low, high):
    with pytest.raises(
        ValueError, match=rf"{cls.__name__}: low must be smaller .*high"
    ):
        cls(low, high)


@pytest.mark.parametrize(
    "cls, low, match",
    [
        (Real, 0.0, r"Real: a log-uniform prior needs low > 0"),
        (Real, -1.0, r"Real: a log-uniform prior needs low > 0"),
        (Integer, 0, r"Integer: a log-uniform prior needs low >= 1"),
        (Integer, -5, r"Integer: a log-uniform prior needs low >= 1"),
    ],
)
def test_log_prior_needs_positive_low(cls, low, match):
    with pytest.raises(ValueError, match=match):
        cls(low, 10, prior="log-uniform")


@pytest.mark.parametrize("cls", [Real, Integer])
@pytest.mark.parametrize("prior", ["normal", "log", "", None, "LOG-UNIFORM"])
def test_unknown_prior(cls, prior):
    with pytest.raises(ValueError, match=r"prior must be one of"):
        cls(1, 10, prior=prior)


@pytest.mark.parametrize(
    "low, high, name",
    [("a", 1.0, "low"), (0.0, None, "high"), (True, 2.0, "low"), ([0], 1.0, "low")],
)
@pytest.mark.parametrize("cls", [Real, Integer])
def test_non_numeric_bounds(cls, low, high, name):
    with pytest.raises(TypeError, match=rf"{cls.__name__}: {name} must be"):
        cls(low, high)


@pytest.mark.parametrize(
    "low, high, name", [(float("-inf"), 1.0, "low"), (0.0, float("nan"), "high")]
)
def test_non_finite_bounds(low, high, name):
    with pytest.raises(ValueError, match=rf"Real: {name} must be finite"):
        Real(low, high)


@pytest.mark.parametrize(
    "low, high, name", [(1.5, 3, "low"), (0, 2.5, "high"), (np.float64(0.1), 3, "low")]
)
def test_integer_needs_integral_bounds(low, high, name):
    with pytest.raises(TypeError, match=rf"Integer: {name} must be an integer"):
        Integer(low, high)


def test_empty_choices():
    with pytest.raises(ValueError, match=r"Categorical: choices must not be empty"):
        Categorical([])
    with pytest.raises(ValueError, match=r"choices"):
        Categorical(np.array([]))


@pytest.mark.parametrize("choices", ["abc", b"ab", 3, None])
def test_choices_must_be_a_sequence(choices):
    with pytest.raises(TypeError, match=r"Categorical: choices must be a list"):
        Categorical(choices)


@pytest.mark.parametrize(
    "weights, match",
    [
        ([1.0], r"weights must have one entry per choice \(3\), got 1"),
        ([1.0, 1.0, 1.0, 1.0], r"weights must have one entry per choice \(3\), got 4"),
        ([1.0, 0.0, 1.0], r"weights must be finite and positive"),
        ([1.0, -1.0, 3.0], r"weights must be finite and positive"),
        ([1.0, float("nan"), 3.0], r"weights must be finite and positive"),
        ([1.0, float("inf"), 3.0], r"weights must be finite and positive"),
    ],
)
def test_bad_weights(weights, match):
    with pytest.raises(ValueError, match=rf"Categorical: {match}"):
        Categorical(["a", "b", "c"], weights=weights)


def test_value_not_among_choices():
    with pytest.raises(ValueError, match=r"'z' is not one of"):
        Categorical(["a", "b"]).to_unit(["a", "z"])


def test_integer_to_unit_rejects_non_finite():
    with pytest.raises(ValueError, match=r"Integer.to_unit: values must be finite"):
        Integer(0, 5).to_unit([1.0, float("nan")])


class _OnlyRvs:
    def rvs(self, size=None, random_state=None):
        return 0.5


class _FakeFrozen:
    def ppf(self, q):
        return q

    def cdf(self, x):
        return x


@pytest.mark.parametrize(
    "spec, match",
    [
        ("loguniform", r"Distribution: 'loguniform' has no ppf/cdf"),
        (_OnlyRvs(), r"Distribution: .* has no ppf/cdf"),
        (_FakeFrozen(), r"is not a scipy.stats frozen distribution"),
        (stats.norm, r"is not a scipy.stats frozen distribution"),
    ],
)
def test_bad_distributions(spec, match):
    with pytest.raises(TypeError, match=match):
        Distribution(spec)


@FAST
@given(st.sampled_from(["uniform", "log-uniform"]), st.floats(1e-3, 1e3))
def test_real_accepts_every_valid_range(prior, low):
    dim = Real(low, low * 1.5, prior=prior)
    assert dim.low == low and dim.high == low * 1.5 and dim.prior == prior
    assert isinstance(dim.low, float) and isinstance(dim.high, float)


def test_distinct_custom_discrete_distributions_are_not_equal():
    a = Distribution(stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5]))())
    b = Distribution(stats.rv_discrete(values=([0, 1], [0.5, 0.5]))())
    assert a.from_unit([0.9]).tolist() != b.from_unit([0.9]).tolist()  # holds
    assert a != b


# ----------------------------------------------- bounds, duplicates, checks
def test_duplicate_choices_are_merged_with_their_weights():
    with pytest.warns(SearchSpaceWarning, match=r"duplicate choices \['a'\]"):
        dim = Categorical(["a", "b", "a", None], weights=[1, 2, 3, 2])
    assert dim.choices == ["a", "b", None]
    assert dim.weights == pytest.approx([0.5, 0.25, 0.25])
    assert dim.n_values == 3
    # each value owns one cell and snapping keeps it
    u = np.linspace(0, 1, 11)
    np.testing.assert_array_equal(dim.index(dim.snap(u)), dim.index(u))


def test_equal_choices_of_different_types_stay_distinct():
    # max_features=1 (one feature) is not max_features=1.0 (all of them)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dim = Categorical([1, 1.0, True, np.int64(1)])
    assert dim.n_values == 4
    # a value equal to a choice but another object finds its own type's cell
    assert dim.index_of(float("1.0")) == 1
    assert dim.index_of(np.int64(1)) == 3


def test_unhashable_duplicates_are_merged():
    with pytest.warns(SearchSpaceWarning):
        dim = Categorical([[1, 2], [1, 2], [3]])
    assert dim.choices == [[1, 2], [3]]


@pytest.mark.parametrize(
    "low, high, prior",
    [
        (0, 2**63, "uniform"),
        (2, 2**52 + 2, "uniform"),
        (-(2**51), 0, "uniform"),
        (1, 2**40, "log-uniform"),
    ],
)
def test_integer_range_beyond_float64_resolution_is_rejected(low, high, prior):
    with pytest.raises(ValueError, match=r"^Integer: .*2\*\*"):
        Integer(low, high, prior)


@pytest.mark.parametrize(
    "low, high, prior",
    [(-(2**50), 2**50, "uniform"), (0, 2**50, "uniform"), (1, 2**30, "log-uniform")],
)
def test_widest_integer_ranges_are_exact(low, high, prior):
    dim = Integer(low, high, prior)
    u = np.concatenate([[0.0, 1e-300, 0.5, 1.0 - 1e-16, 1.0], GRID[::97]])
    assert dim.from_unit([0.0, 1.0]).tolist() == [low, high]
    np.testing.assert_array_equal(dim.index(dim.snap(u)), dim.index(u))
    values = dim.from_unit(u)
    np.testing.assert_array_equal(dim.from_unit(dim.to_unit(values)), values)


def _dist_id(dist):
    return f"{dist.dist.name}{dist.args}"


@pytest.mark.parametrize(
    "dist",
    [
        stats.uniform(0, -1),
        stats.norm(0, math.inf),
        stats.loguniform(2, 1),
        stats.poisson(-1),
        stats.randint(5, 1),
        stats.randint(0, 2**60),
    ],
    ids=_dist_id,
)
def test_invalid_distribution_parameters_are_rejected(dist):
    with pytest.raises(ValueError, match=r"^Distribution: "):
        Distribution(dist)


@pytest.mark.parametrize(
    "dist", [stats.norm(0, 1), stats.expon(), stats.poisson(3)], ids=_dist_id
)
def test_unbounded_distributions_are_accepted(dist):
    values = Distribution(dist).from_unit([0.0, 0.5, 1.0])
    assert np.all(np.isfinite(values))


@pytest.mark.parametrize(
    "weights, error",
    [
        ({"a": 1, "b": 2}, TypeError),
        ("", TypeError),
        (["x", 1], TypeError),
        ([True, 1], TypeError),
        (print, TypeError),
        (np.ones((2, 1)), ValueError),
        (2.0, ValueError),
    ],
    ids=repr,
)
def test_weights_of_the_wrong_kind_are_clear_errors(weights, error):
    with pytest.raises(error, match=r"^Categorical: weights must"):
        Categorical(["a", "b"], weights=weights)


@pytest.mark.parametrize("cls", [Real, Integer])
def test_array_prior_is_a_clear_error(cls):
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: prior must be one of"):
        cls(1, 5, np.zeros(2))
