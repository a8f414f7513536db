"""Tests of parsing param_distributions, SubSpace and SearchSpace."""

import copy
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from sklearn_hpo.space import (
    Categorical,
    Distribution,
    Integer,
    Real,
    SearchSpace,
    SubSpace,
    as_dimension,
    as_search_space,
)

FAST = settings(max_examples=50, deadline=None)
MEDIUM = settings(max_examples=100, deadline=None)


# ---------------------------------------------------------------------------
# parsing one dimension


@pytest.mark.parametrize(
    "spec, expected",
    [
        ((1e-3, 1e3, "log-uniform"), Real(1e-3, 1e3, prior="log-uniform")),
        ((0.1, 1), Real(0.1, 1.0)),
        ((0, 1.0), Real(0.0, 1.0)),
        ((0.1, 1, "uniform"), Real(0.1, 1.0)),
        ((1, 10), Integer(1, 10)),
        ((1, 1000, "log-uniform"), Integer(1, 1000, prior="log-uniform")),
        ((np.int64(2), np.int32(5)), Integer(2, 5)),
        ((np.float64(0.5), 2), Real(0.5, 2.0)),
    ],
)
def test_skopt_tuples(spec, expected):
    dim = as_dimension(spec, "x")
    assert type(dim) is type(expected)
    assert dim == expected
    assert (dim.low, dim.high, dim.prior) == (
        expected.low,
        expected.high,
        expected.prior,
    )


def test_skopt_tuple_types():
    assert isinstance(as_dimension((1, 10)).low, int)
    assert isinstance(as_dimension((0.1, 1)).high, float)


@pytest.mark.parametrize(
    "spec",
    [
        (1, 2, 3),  # three numbers: choices, not a range
        (1, 2, 3, 4),
        ("a", "b"),
        (True, 5),  # a bool is not a bound
        (5,),
    ],
)
def test_other_tuples_are_choices(spec):
    dim = as_dimension(spec, "x")
    assert isinstance(dim, Categorical)
    assert dim.choices == list(spec)


def test_lists_of_any_objects_are_categorical():
    lr, svc = LogisticRegression(), SVC()
    choices = [None, "rbf", 3, 2.5, lr, svc, (1, 2), {"a": 1}]
    dim = as_dimension(choices, "x")
    assert isinstance(dim, Categorical)
    assert len(dim.choices) == len(choices)
    assert all(a is b for a, b in zip(dim.choices, choices, strict=True))
    u = dim.to_unit([lr, None, svc, {"a": 1}])
    out = dim.from_unit(u)
    assert out[0] is lr and out[1] is None and out[2] is svc and out[3] == {"a": 1}


@pytest.mark.parametrize(
    "spec, choices",
    [
        (np.array([0.1, 1.0, 10.0]), [0.1, 1.0, 10.0]),
        (range(3), [0, 1, 2]),
        (["linear", "rbf"], ["linear", "rbf"]),
    ],
)
def test_sequences_are_categorical(spec, choices):
    dim = as_dimension(spec, "x")
    assert isinstance(dim, Categorical)
    assert dim.choices == choices


@pytest.mark.parametrize(
    "frozen",
    [
        stats.loguniform(1e-3, 1e3),
        stats.uniform(0, 1),
        stats.norm(0, 1),
        stats.randint(1, 10),
        stats.poisson(3),
    ],
)
def test_scipy_distributions(frozen):
    dim = as_dimension(frozen, "x")
    assert isinstance(dim, Distribution)
    assert dim.dist is frozen
    assert dim.kind == ("integer" if hasattr(frozen.dist, "pmf") else "real")


def test_dimensions_pass_through():
    for dim in [
        Real(0, 1),
        Integer(0, 3),
        Categorical([1]),
        Distribution(stats.norm()),
    ]:
        assert as_dimension(dim, "x") is dim


# ---------------------------------------------------------------------------
# SubSpace / SearchSpace parsing


def test_one_element_list_is_fixed():
    lr = LogisticRegression()
    sub = SubSpace({"a": ["x"], "C": (0.1, 10.0), "est": [lr], "b": [None]})
    assert sub.names == ["C"]
    assert sub.n_dims == 1
    assert sub.fixed == {"a": "x", "est": lr, "b": None}
    assert sub.fixed["est"] is lr
    (params,) = sub.from_unit([[0.5]])
    assert params["est"] is lr and params["b"] is None and params["a"] == "x"
    assert params["C"] == pytest.approx(5.05)


def test_all_fixed_subspace():
    sub = SubSpace({"a": [1], "b": ["x"]})
    assert sub.n_dims == 0 and sub.cardinality == 1
    assert sub.from_unit(np.empty((3, 0))) == [{"a": 1, "b": "x"}] * 3
    assert sub.keys(np.empty((2, 0))) == [(), ()]
    assert sub.enumerate().shape == (1, 0)
    assert sub.to_unit([{"a": 1, "b": "x"}]).shape == (1, 0)


def test_empty_dict():
    space = SearchSpace({})
    assert len(space.subspaces) == 1
    assert space.cardinality == 1
    assert space.subspaces[0].from_unit(np.empty((1, 0))) == [{}]


def test_list_of_dicts_gives_subspaces():
    pd = [
        {"kernel": ["linear"], "C": (1e-2, 1e2, "log-uniform")},
        {"kernel": ["poly"], "degree": (2, 5), "C": (1e-2, 1e2, "log-uniform")},
        {"kernel": ["rbf"], "gamma": stats.loguniform(1e-4, 1)},
    ]
    space = SearchSpace(pd)
    assert len(space.subspaces) == 3
    assert [s.fixed for s in space.subspaces] == [
        {"kernel": "linear"},
        {"kernel": "poly"},
        {"kernel": "rbf"},
    ]
    assert [s.names for s in space.subspaces] == [["C"], ["degree", "C"], ["gamma"]]
    assert isinstance(space.subspaces[1].dimensions[0], Integer)
    assert isinstance(space.subspaces[2].dimensions[0], Distribution)
    assert space.cardinality == math.inf
    # a tuple of dicts works as well, and a dict is one subspace
    assert len(SearchSpace(tuple(pd)).subspaces) == 3
    assert len(SearchSpace(pd[0]).subspaces) == 1


def test_as_search_space():
    space = SearchSpace({"a": [1, 2]})
    assert as_search_space(space) is space
    parsed = as_search_space([{"a": [1, 2]}, {"b": (0.0, 1.0)}])
    assert isinstance(parsed, SearchSpace)
    assert len(parsed.subspaces) == 2


def test_cardinality():
    sub = SubSpace(
        {
            "a": [1, 2, 3],
            "b": (1, 4),
            "c": stats.randint(0, 5),
            "d": ["fixed"],
        }
    )
    assert sub.cardinality == 3 * 4 * 5
    assert SubSpace({"a": [1, 2], "x": (0.0, 1.0)}).cardinality == math.inf
    space = SearchSpace([{"a": [1, 2]}, {"b": (1, 3)}, {"c": ["z"]}])
    assert space.cardinality == 2 + 3 + 1


def test_parsing_does_not_mutate():
    pd = [{"C": [0.1, 1.0], "k": ("a", "b")}, {"x": (0.0, 1.0), "y": ["z"]}]
    before = copy.deepcopy(pd)
    space = SearchSpace(pd)
    assert pd == before
    pd[0]["C"].append(10.0)
    assert space.subspaces[0].dimensions[0].choices == [0.1, 1.0]


# ---------------------------------------------------------------------------
# SubSpace.from_unit / to_unit


def test_from_unit_types_and_key_order():
    lr = LogisticRegression()
    pd = {
        "z_cat": ["a", "b"],
        "fixed": [lr],
        "real": (0.1, 1.0),
        "int": (1, 10),
        "log": (1e-3, 1e3, "log-uniform"),
        "ilog": (1, 100, "log-uniform"),
        "randint": stats.randint(0, 4),
        "loguniform": stats.loguniform(1e-2, 1),
        "a_fixed": [3],
    }
    sub = SubSpace(pd)
    rng = np.random.default_rng(0)
    params = sub.from_unit(rng.random((20, sub.n_dims)))
    assert len(params) == 20
    for p in params:
        assert list(p) == list(pd)
        assert type(p["real"]) is float and type(p["log"]) is float
        assert type(p["loguniform"]) is float
        assert type(p["int"]) is int and type(p["ilog"]) is int
        assert type(p["randint"]) is int
        assert p["fixed"] is lr and p["a_fixed"] == 3
        assert p["z_cat"] in ("a", "b")


def test_from_unit_checks_shape():
    sub = SubSpace({"a": (0.0, 1.0), "b": [1, 2]})
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        sub.from_unit([[0.5]])
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        sub.from_unit([0.5, 0.5])
    assert sub.from_unit(np.empty((0, 2))) == []


@st.composite
def finite_params(draw, max_dims=3):
    """A dict of discrete specs with its list of per-parameter domains."""
    n = draw(st.integers(1, max_dims))
    pd, domains = {}, {}
    for j in range(n):
        kind = draw(st.sampled_from(["int", "ilog", "cat", "randint", "fixed"]))
        name = f"p{j}_{kind}"
        if kind == "int":
            low = draw(st.integers(-20, 20))
            high = low + draw(st.integers(1, 8))
            pd[name], domains[name] = (low, high), list(range(low, high + 1))
        elif kind == "ilog":
            low = draw(st.integers(1, 50))
            high = low + draw(st.integers(1, 20))
            pd[name] = (low, high, "log-uniform")
            domains[name] = list(range(low, high + 1))
        elif kind == "cat":
            pool = [None, "a", "b", 0, 7, 2.5, (1, 2), LogisticRegression()]
            idx = draw(st.lists(st.integers(0, 7), min_size=2, max_size=5, unique=True))
            choices = [pool[i] for i in idx]
            weighted = draw(st.booleans())
            if weighted:
                w = draw(
                    st.lists(st.floats(0.1, 10.0), min_size=len(idx), max_size=len(idx))
                )
                pd[name] = Categorical(choices, weights=w)
            else:
                pd[name] = choices
            domains[name] = choices
        elif kind == "randint":
            low = draw(st.integers(-5, 5))
            high = low + draw(st.integers(2, 8))
            pd[name], domains[name] = stats.randint(low, high), list(range(low, high))
        else:
            pd[name], domains[name] = ["only"], ["only"]
    return pd, domains


@st.composite
def mixed_params(draw):
    pd, _ = draw(finite_params())
    if draw(st.booleans()):
        pd["x_real"] = (-2.0, 3.0)
    if draw(st.booleans()):
        pd["x_log"] = (1e-4, 1e2, "log-uniform")
    if draw(st.booleans()):
        pd["x_unif"] = stats.uniform(-1.0, 3.0)
    return pd


def _unit_rows(n_dims):
    return st.lists(
        st.lists(st.floats(0.0, 1.0), min_size=n_dims, max_size=n_dims),
        min_size=1,
        max_size=15,
    ).map(lambda rows: np.array(rows, dtype=float).reshape(len(rows), n_dims))


@FAST
@given(mixed_params(), st.data())
def test_subspace_round_trip(pd, data):
    sub = SubSpace(pd)
    U = data.draw(_unit_rows(sub.n_dims))
    U_before = U.copy()
    params = sub.from_unit(U)
    params_before = copy.copy(params)
    V = sub.to_unit(params)
    np.testing.assert_array_equal(U, U_before)
    assert params == params_before
    assert V.shape == U.shape
    assert np.all((V >= 0.0) & (V <= 1.0))
    # to_unit o from_unit == snap, exactly on discrete columns
    S = sub.snap(U)
    np.testing.assert_array_equal(U, U_before)
    np.testing.assert_allclose(V, S, rtol=0, atol=1e-9)
    for j, dim in enumerate(sub.dimensions):
        if dim.is_discrete:
            np.testing.assert_array_equal(V[:, j], S[:, j])
    np.testing.assert_array_equal(sub.snap(S), S)
    # from_unit o to_unit is the identity on parameters
    again = sub.from_unit(V)
    for p, q in zip(params, again, strict=True):
        assert list(p) == list(q)
        for key in p:
            if isinstance(p[key], float):
                assert q[key] == pytest.approx(p[key], rel=1e-9, abs=1e-12)
            else:
                assert q[key] is p[key] or q[key] == p[key]


@MEDIUM
@given(finite_params(), st.data())
def test_keys_equal_iff_params_equal(spec, data):
    pd, _ = spec
    sub = SubSpace(pd)
    U = data.draw(_unit_rows(sub.n_dims))
    # add snapped copies and rows differing in one coordinate
    U = np.concatenate([U, sub.snap(U), np.clip(U[::-1] + 0.01, 0, 1)])
    keys = sub.keys(U)
    params = sub.from_unit(U)
    assert len(keys) == len(params) == len(U)
    for (k1, p1), (k2, p2) in itertools.combinations(zip(keys, params, strict=True), 2):
        assert (k1 == k2) == (p1 == p2)
    assert all(hash(k) is not None for k in keys)


@pytest.mark.parametrize(
    "spec, u1, u2",
    [
        # ppf is evaluated at u clipped to [1e-12, 1 - 1e-12]
        (stats.norm(), 0.0, 1e-13),
        # neighbouring coordinates round to the same float value
        ((1000.0, 1001.0), 0.5, 0.5 + 2.0**-52),
    ],
)
def test_keys_of_continuous_dimension(spec, u1, u2):
    sub = SubSpace({"x": spec})
    U = np.array([[u1], [u2]])
    p1, p2 = sub.from_unit(U)
    assert p1 == p2  # holds
    k1, k2 = sub.keys(U)
    assert k1 == k2


def test_keys_of_continuous_dimension_distinguish_values():
    sub = SubSpace({"x": (0.0, 1.0), "k": ["a", "b"]})
    U = np.array([[0.2, 0.1], [0.2, 0.9], [0.3, 0.1], [0.2, 0.4]])
    k = sub.keys(U)
    assert k[0] != k[1] and k[0] != k[2] and k[0] == k[3]
    # coordinates outside the cube are clipped like in from_unit
    V = np.array([[-0.5, -1.0], [0.0, 0.0], [1.5, 2.0], [1.0, 1.0]])
    k = sub.keys(V)
    assert sub.from_unit(V[:1]) == sub.from_unit(V[1:2])
    assert k[0] == k[1] and k[2] == k[3]


# ---------------------------------------------------------------------------
# enumerate


@MEDIUM
@given(finite_params())
def test_enumerate_lists_every_combination_once(spec):
    pd, domains = spec
    sub = SubSpace(pd)
    E = sub.enumerate()
    card = math.prod(len(v) for v in domains.values())
    assert sub.cardinality == card
    assert E.shape == (card, sub.n_dims)
    # the cell centres: snapping does not move them
    np.testing.assert_array_equal(sub.snap(E), E)
    params = sub.from_unit(E)
    seen = [tuple(p[name] for name in pd) for p in params]
    expected = list(itertools.product(*domains.values()))
    assert len(set(map(repr, seen))) == card
    assert sorted(map(repr, seen)) == sorted(map(repr, expected))
    assert len(set(sub.keys(E))) == card


def test_enumerate_small_example():
    sub = SubSpace({"a": ["x", "y"], "b": (1, 3), "c": ["fixed"]})
    params = sub.from_unit(sub.enumerate())
    assert params == [
        {"a": a, "b": b, "c": "fixed"} for a in ["x", "y"] for b in [1, 2, 3]
    ]


def test_enumerate_returns_none_when_infinite_or_huge():
    assert SubSpace({"a": (0.0, 1.0), "b": [1, 2]}).enumerate() is None
    assert SubSpace({"a": stats.poisson(3)}).enumerate() is None
    huge = SubSpace({"a": (0, 999), "b": (0, 999)})
    assert huge.cardinality == 10**6
    assert huge.enumerate() is None
    big = SubSpace({"a": (0, 199), "b": (0, 999)})
    assert big.enumerate().shape == (200_000, 2)


def test_enumerate_discrete_distribution_with_gaps():
    frozen = stats.rv_discrete(values=([1, 5, 10], [0.2, 0.3, 0.5]))()
    sub = SubSpace({"k": frozen})
    values = [p["k"] for p in sub.from_unit(sub.enumerate())]
    assert sorted(set(values)) == [1, 5, 10]  # holds
    assert len(values) == 3


# ---------------------------------------------------------------------------
# allocate


def _space_of(cards):
    pd = []
    for i, c in enumerate(cards):
        if c == math.inf:
            pd.append({f"x{i}": (0.0, 1.0)})
        else:
            pd.append({f"c{i}": list(range(c))})
    return SearchSpace(pd)


cardinalities = st.lists(
    st.one_of(st.integers(1, 60), st.just(math.inf)), min_size=1, max_size=6
)


@MEDIUM
@given(cardinalities, st.integers(0, 400))
def test_allocate(cards, n):
    space = _space_of(cards)
    assert [s.cardinality for s in space.subspaces] == cards
    shares = space.allocate(n)
    assert len(shares) == len(cards)
    assert all(type(s) is int for s in shares)
    assert sum(shares) == min(n, sum(cards))
    assert all(0 <= s <= c for s, c in zip(shares, cards, strict=True))
    caps = [min(c, n) for c in cards]
    for i, j in itertools.permutations(range(len(cards)), 2):
        if caps[i] == caps[j]:
            # equal subspaces (e.g. two continuous ones) share equally
            assert abs(shares[i] - shares[j]) <= 1
        elif caps[i] < caps[j]:
            assert shares[i] <= shares[j]


@FAST
@given(st.integers(1, 6), st.integers(0, 300))
def test_allocate_equal_continuous_subspaces(k, n):
    shares = _space_of([math.inf] * k).allocate(n)
    assert sum(shares) == n
    assert max(shares) - min(shares) <= 1
    if n % k == 0:
        assert shares == [n // k] * k
    # earlier subspaces first on ties
    assert shares == sorted(shares, reverse=True)


def test_allocate_examples():
    assert _space_of([math.inf, math.inf]).allocate(10) == [5, 5]
    assert _space_of([3, math.inf]).allocate(100) == [3, 97]
    assert _space_of([2, 3]).allocate(100) == [2, 3]
    assert _space_of([1, 1, 1]).allocate(2) == [1, 1, 0]
    assert _space_of([5]).allocate(0) == [0]


# ---------------------------------------------------------------------------
# bad inputs: messages name the parameter


class _OnlyRvs:
    def rvs(self, size=None, random_state=None):
        return 0.5


@pytest.mark.parametrize(
    "spec, exc, detail",
    [
        ((10.0, 1.0), ValueError, r"low must be smaller than high"),
        ((1.0, 1.0), ValueError, r"low must be smaller than high"),
        ((5, 1), ValueError, r"low must be smaller than high"),
        ((0.0, 1.0, "log-uniform"), ValueError, r"log-uniform prior needs low > 0"),
        ((0, 10, "log-uniform"), ValueError, r"log-uniform prior needs low >= 1"),
        ((0.1, 1.0, "normal"), ValueError, r"prior must be one of"),
        ((1, 10, "log"), ValueError, r"prior must be one of"),
        ([], ValueError, r"choices must not be empty"),
        ("rbf", TypeError, r"For a single value write \['rbf'\]"),
        (b"rbf", TypeError, r"expected a list of values"),
        ({"a": 1}, TypeError, r"expected a list of values"),
        (3, TypeError, r"expected a list of values"),
        (None, TypeError, r"expected a list of values"),
        (_OnlyRvs(), TypeError, r"has rvs\) but has no ppf/cdf"),
        (stats.norm, TypeError, r"not a scipy.stats frozen distribution"),
        (np.zeros((2, 2)), ValueError, r"must be 1-d"),
    ],
)
def test_bad_specs_name_the_parameter(spec, exc, detail):
    with pytest.raises(exc, match=rf"^param_distributions\['my_param'\]: .*{detail}"):
        as_dimension(spec, "my_param")
    with pytest.raises(exc, match=rf"param_distributions\['my_param'\]: .*{detail}"):
        SearchSpace({"ok": [1, 2], "my_param": spec})
    # in a list of dicts, the message also names the dict
    with pytest.raises(exc, match=r"param_distributions\[1\]\['my_param'\]"):
        SearchSpace([{"ok": [1, 2]}, {"other": (0.0, 1.0), "my_param": spec}])
    with pytest.raises(exc, match=r"^search_spaces\['my_param'\]"):
        SearchSpace({"my_param": spec}, where="search_spaces")


def test_non_dict_in_list():
    with pytest.raises(TypeError, match=r"param_distributions\[1\] must be a dict"):
        SearchSpace([{"a": [1]}, ["b"]])
    with pytest.raises(TypeError, match=r"param_distributions\[0\] must be a dict"):
        SearchSpace([3])


def test_empty_list():
    with pytest.raises(ValueError, match=r"param_distributions: an empty list"):
        SearchSpace([])


@pytest.mark.parametrize("pd", ["abc", 3, None, {1, 2}])
def test_not_a_dict_or_list(pd):
    with pytest.raises(TypeError, match=r"param_distributions must be a dict"):
        SearchSpace(pd)
    with pytest.raises(TypeError, match=r"param_distributions must be a dict"):
        as_search_space(pd)


def test_subspace_needs_a_dict():
    with pytest.raises(TypeError, match=r"param_distributions must be a dict"):
        SubSpace([("a", [1])])


def test_parameter_names_must_be_strings():
    with pytest.raises(TypeError, match=r"parameter names must be strings, got 1"):
        SearchSpace({1: [1, 2]})


def test_numpy_array_of_choices_gives_python_values():
    sub = SubSpace({"a": np.array([1, 2, 3]), "b": np.logspace(-1, 1, 3)})
    (params,) = sub.from_unit([[0.5, 0.9]])
    assert params == {"a": 2, "b": 10.0}
    assert type(params["a"]) is int and type(params["b"]) is float
