"""ParetoSearchCV: objectives and directions, constraints, refit rules, results."""

import numpy as np
import pytest
from scipy.stats import uniform
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import load_iris, make_regression
from sklearn.tree import DecisionTreeClassifier

from sklearn_hpo import ParetoSearchCV
from sklearn_hpo.multiobjective import (
    hypervolume,
    knee_point,
    non_dominated_ranks,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn_hpo.exceptions.HPOWarning")


class Tradeoff(RegressorMixin, BaseEstimator):
    """Two scores that trade off along ``x``: ``a = x``, ``b = 1 - x**2``,
    and a third one, ``c = y``, that only ``y`` moves."""

    def __init__(self, x=0.5, y=0.5, fail=False):
        self.x = x
        self.y = y
        self.fail = fail

    def fit(self, X, y=None):
        if self.fail:
            raise ValueError("Tradeoff was asked to fail")
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))


SCORING = {
    "a": lambda est, X, y: est.x,
    "b": lambda est, X, y: 1.0 - est.x**2,
    "c": lambda est, X, y: est.y,
}
SPACE = {"x": uniform(0, 1), "y": uniform(0, 1)}


@pytest.fixture(scope="module")
def data():
    return make_regression(40, 2, random_state=0)


def _search(**kwargs):
    kwargs.setdefault("scoring", SCORING)
    kwargs.setdefault("objectives", ["a", "b"])
    kwargs.setdefault("n_iter", 24)
    kwargs.setdefault("strategy", "sobol")
    kwargs.setdefault("cv", 2)
    kwargs.setdefault("random_state", 0)
    return ParetoSearchCV(Tradeoff(), kwargs.pop("space", SPACE), **kwargs)


def test_front_ranks_and_columns(data):
    X, y = data
    search = _search().fit(X, y)
    res = search.cv_results_
    x = np.array([p["x"] for p in res["params"]])
    np.testing.assert_allclose(res["objective_a"], x)
    np.testing.assert_allclose(res["objective_b"], 1 - x**2)
    # a rises and b falls with x: every candidate is on the front
    assert np.all(res["pareto_rank"] == 0)
    assert len(search.pareto_indices_) == len(x)
    assert list(search.pareto_front_.columns) == ["params", "x", "y", "a", "b"]
    assert list(search.pareto_front_.index) == list(search.pareto_indices_)
    assert search.objectives_ == {"a": "max", "b": "max"}


def test_directions_are_respected(data):
    X, y = data
    # minimizing b: a larger x is better on both, one candidate dominates
    search = _search(objectives={"a": "max", "b": "min"}).fit(X, y)
    res = search.cv_results_
    x = np.array([p["x"] for p in res["params"]])
    assert list(search.pareto_indices_) == [int(np.argmax(x))]
    assert search.best_index_ == int(np.argmax(x))
    ranks = non_dominated_ranks(np.column_stack([x, x**2]))
    np.testing.assert_array_equal(res["pareto_rank"], ranks)


def test_three_objectives_and_ranks(data):
    X, y = data
    search = _search(objectives=["a", "b", "c"]).fit(X, y)
    res = search.cv_results_
    Y = np.column_stack([res["objective_a"], res["objective_b"], res["objective_c"]])
    np.testing.assert_array_equal(res["pareto_rank"], non_dominated_ranks(Y))
    np.testing.assert_array_equal(
        search.pareto_indices_, np.flatnonzero(non_dominated_ranks(Y) == 0)
    )


def test_constraints_exclude_candidates(data):
    X, y = data
    search = _search(constraints={"a": ("<=", 0.5), "c": (">", 0.2)}).fit(X, y)
    res = search.cv_results_
    feasible = (res["objective_a"] <= 0.5) & (np.array(res["mean_test_c"]) > 0.2)
    np.testing.assert_array_equal(res["feasible"], feasible)
    assert feasible.any() and (~feasible).any()
    assert set(search.pareto_indices_) <= set(np.flatnonzero(feasible))
    assert np.all(res["pareto_rank"][~feasible] > res["pareto_rank"][feasible].max())
    assert feasible[search.best_index_]
    # refit on a: the largest a among the feasible candidates
    search = _search(constraints={"a": ("<=", 0.5)}, refit="a").fit(X, y)
    res = search.cv_results_
    ok = res["objective_a"] <= 0.5
    assert search.best_index_ == np.flatnonzero(ok)[np.argmax(res["objective_a"][ok])]
    assert search.best_score_ == res["mean_test_a"][search.best_index_]


def test_refit_knee_named_and_callable(data):
    X, y = data
    search = _search(refit="knee").fit(X, y)
    res = search.cv_results_
    front = search.pareto_indices_
    Y = np.column_stack([res["objective_a"], res["objective_b"]])[front]
    assert search.best_index_ == front[knee_point(Y)]
    # the knee of a = x, b = 1 - x**2 lies inside, not at an end
    assert 0.2 < search.best_params_["x"] < 0.9
    search = _search(refit="b").fit(X, y)
    assert search.best_index_ == int(np.argmax(search.cv_results_["objective_b"]))
    search = _search(refit=lambda results: 3).fit(X, y)
    assert search.best_index_ == 3 and not hasattr(search, "best_score_")
    with pytest.raises(ValueError, match="row index"):
        _search(refit=lambda results: -1).fit(X, y)


def test_hypervolume_trace(data):
    X, y = data
    search = _search(reference_point={"a": 0.0, "b": 0.0}).fit(X, y)
    res = search.cv_results_
    trace = search.hypervolume_
    assert trace.shape == (len(res["params"]),)
    assert np.all(np.diff(trace) >= -1e-12)
    Y = np.column_stack([res["objective_a"], res["objective_b"]])
    assert trace[-1] == pytest.approx(hypervolume(Y, [0.0, 0.0]))
    for i in (0, 5, 11):
        assert trace[i] == pytest.approx(hypervolume(Y[: i + 1], [0.0, 0.0]))
    # minimized objectives: measured with the sign flipped
    search = _search(
        objectives={"a": "max", "b": "min"}, reference_point=[0.0, 1.0]
    ).fit(X, y)
    res = search.cv_results_
    Y = np.column_stack([res["objective_a"], -res["objective_b"]])
    assert search.hypervolume_[-1] == pytest.approx(hypervolume(Y, [0.0, -1.0]))
    np.testing.assert_allclose(search.reference_point_, [0.0, 1.0])


def test_default_reference_point_is_below_every_candidate(data):
    X, y = data
    search = _search().fit(X, y)
    res = search.cv_results_
    assert np.all(search.reference_point_ < [res["objective_a"].min(), 1.0])
    assert search.hypervolume_[-1] > 0


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
@pytest.mark.parametrize("error_score", [np.nan, -1.0])
def test_failed_candidates_never_enter_the_front(data, error_score):
    X, y = data
    space = {**SPACE, "fail": [True, False]}
    search = _search(space=space, error_score=error_score, n_iter=16).fit(X, y)
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]])
    assert failed.any()
    assert not set(search.pareto_indices_) & set(np.flatnonzero(failed))
    assert not search.best_params_["fail"]


def test_model_size_is_the_pickled_size():
    X, y = load_iris(return_X_y=True)
    search = ParetoSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": (1, 8)},
        objectives=["score", "model_size"],
        n_iter=8,
        strategy="sobol",
        cv=3,
        random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    depth = np.array([p["max_depth"] for p in res["params"]])
    size = res["objective_model_size"]
    assert search.objectives_ == {"score": "max", "model_size": "min"}
    # deeper trees pickle larger (weakly: depth may stop growing)
    order = np.argsort(depth)
    assert np.all(np.diff(size[order]) >= 0) and size.max() > size.min()
    assert search.score(X, y) == pytest.approx(search.best_estimator_.score(X, y))


def test_parego_beats_random_search_on_a_front(data):
    # three seeds each; the model-based search finds a larger hypervolume on
    # a = x, b = 1 - x**2 - y (y only costs), where random search wastes
    # candidates on large y
    X, y = data
    scoring = {
        "a": lambda est, X, y: est.x,
        "b": lambda est, X, y: 1.0 - est.x**2 - est.y,
    }
    hv = {}
    for strategy in ("bayes", "random"):
        hv[strategy] = [
            _search(
                scoring=scoring,
                strategy=strategy,
                n_iter=20,
                n_initial_points=6,
                reference_point=[0.0, -1.0],
                random_state=seed,
            )
            .fit(X, y)
            .hypervolume_[-1]
            for seed in range(3)
        ]
    assert np.mean(hv["bayes"]) > np.mean(hv["random"])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(objectives=["a"]), "at least two"),
        (dict(objectives=["a", "zz"]), "'zz', which is neither"),
        (dict(objectives={"a": "max", "b": "up"}), "'max' or 'min'"),
        (dict(objectives=["fit_time", "model_size"]), "at least one metric"),
        (dict(constraints={"a": ("=", 1)}), "constraints"),
        (dict(refit="zz"), "refit='zz'"),
        (dict(refit=True), "refit=True is ambiguous"),
        (dict(reference_point=[0.0]), "one value per objective"),
        (dict(reference_point={"a": 0.0}), "lacks the objectives"),
        (dict(strategy="nsga"), "strategy"),
    ],
)
def test_bad_input(data, kwargs, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        _search(**kwargs).fit(X, y)


def test_plot_pareto_front(data):
    matplotlib = pytest.importorskip("matplotlib", reason="the plot extra")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = data
    search = _search(objectives={"a": "max", "b": "max"}, n_iter=12).fit(X, y)
    ax = search.plot_pareto_front()
    n_front = len(search.pareto_indices_)
    sizes = [len(c.get_offsets()) for c in ax.collections]
    assert sizes == [0, n_front, 1]  # others, front, refit choice
    assert ax.get_xlabel() == "a (max)" and ax.get_ylabel() == "b (max)"
    assert len(ax.lines) == 1  # the front's staircase
    plt.close("all")
    search3 = _search(objectives=["a", "b", "c"], n_iter=12).fit(X, y)
    ax3 = search3.plot_pareto_front()
    assert ax3.name == "3d" and ax3.get_zlabel() == "c (max)"
    plt.close("all")
    with pytest.raises(ValueError, match="2 or 3"):
        search.plot_pareto_front(objectives=["a"])


# ------------------------------------------------------- model-based strategies
def _spy(monkeypatch):
    """Record, for every ``propose`` of EHVI and ParEGO, the sampler and the
    objectives it receives."""
    from sklearn_hpo.samplers import EHVISampler, ParEGOSampler

    calls = []
    for cls in (EHVISampler, ParEGOSampler):
        original = cls.propose

        def propose(self, X, y, n, *, rng, _original=original):
            calls.append((self, np.array(y, copy=True)))
            return _original(self, X, y, n, rng=rng)

        monkeypatch.setattr(cls, "propose", propose)
    return calls


SCORING4 = {**SCORING, "d": lambda est, X, y: -est.y * est.x}


@pytest.mark.parametrize(
    "strategy, objectives, expected",
    [
        ("bayes", ["a", "b"], "EHVISampler"),
        ("bayes", ["a", "b", "c"], "EHVISampler"),
        ("bayes", ["a", "b", "c", "d"], "ParEGOSampler"),
        ("ehvi", ["a", "b", "c"], "EHVISampler"),
        ("parego", ["a", "b"], "ParEGOSampler"),
    ],
)
def test_strategy_picks_the_sampler(data, monkeypatch, strategy, objectives, expected):
    X, y = data
    calls = _spy(monkeypatch)
    search = _search(
        scoring=SCORING4,
        objectives=objectives,
        strategy=strategy,
        n_iter=6,
        n_initial_points=4,
    ).fit(X, y)
    assert {type(s).__name__ for s, _ in calls} == {expected}
    assert len(search.cv_results_["params"]) == 6
    assert all(Y.shape[1] == len(objectives) for _, Y in calls if len(Y))


def test_ehvi_with_four_objectives_is_refused(data):
    X, y = data
    search = _search(scoring=SCORING4, objectives=["a", "b", "c", "d"], strategy="ehvi")
    with pytest.raises(ValueError, match=r"strategy='ehvi'.*strategy='parego'"):
        search.fit(X, y)


@pytest.mark.parametrize("strategy", ["ehvi", "parego"])
def test_models_see_costs_in_log_space(monkeypatch, strategy):
    calls = _spy(monkeypatch)
    X, y = load_iris(return_X_y=True)
    search = ParetoSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": (1, 8), "min_samples_leaf": (1, 20)},
        objectives=["score", "model_size", "fit_time"],
        reference_point={"score": 0.0, "model_size": 1e5, "fit_time": 1.0},
        strategy=strategy,
        n_iter=7,
        n_initial_points=5,
        cv=2,
        random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    sampler, Y = calls[-1]
    n = len(Y)
    assert n == 6  # the history before the last proposal
    natural = np.column_stack(
        [res["objective_score"], -res["objective_model_size"], -res["mean_fit_time"]]
    )
    np.testing.assert_allclose(Y[:, 0], res["mean_test_score"][:n])
    if strategy == "ehvi":
        # EHVI gets natural units and models the two costs in log space
        # itself (tests/samplers/test_ehvi.py), with the reference point as
        # given
        np.testing.assert_allclose(Y, natural[:n])
        np.testing.assert_array_equal(sampler.log_objectives, [0, -1, -1])
        np.testing.assert_allclose(sampler.reference_point, [0.0, -1e5, -1.0])
    else:
        np.testing.assert_allclose(Y[:, 1], -np.log(res["objective_model_size"][:n]))
        np.testing.assert_allclose(Y[:, 2], -np.log(res["mean_fit_time"][:n]))
    # what is reported stays in natural units
    np.testing.assert_array_equal(res["objective_fit_time"], res["mean_fit_time"])
    assert np.all(res["objective_model_size"] > 100)
    assert search.hypervolume_[-1] == pytest.approx(
        hypervolume(natural, [0.0, -1e5, -1.0])
    )


def test_log_costs_transform():
    from sklearn_hpo.samplers._base import log_columns

    Y = np.array([[0.5, -2.0, 3.0], [np.nan, np.nan, np.nan], [0.7, 0.0, 1.0]])
    Y0 = Y.copy()
    out = log_columns(Y, np.array([0.0, -1.0, 1.0]))
    np.testing.assert_array_equal(Y, Y0)  # not modified
    np.testing.assert_array_equal(out[:, 0], Y[:, 0])
    # a zero cost is raised to the smallest positive one (2.0)
    np.testing.assert_allclose(out[[0, 2], 1], -np.log([2.0, 2.0]))
    np.testing.assert_allclose(out[[0, 2], 2], np.log([3.0, 1.0]))
    assert np.all(np.isnan(out[1]))
