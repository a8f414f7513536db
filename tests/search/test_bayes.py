"""BayesSearchCV: search quality, failures, batches, scikit-optimize drop-in."""

import numpy as np
import pytest
from scipy.stats import uniform
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV

from sklearn_hpo import (
    BayesSearchCV,
    Categorical,
    NoImprovementStopper,
    Real,
    ThresholdStopper,
)
from sklearn_hpo.utils._testing import SyntheticObjective

X_DUMMY = np.zeros((20, 2))
FAST = {"n_candidates": 256}


def test_beats_random_search_on_a_synthetic_problem():
    # maximize -(x0 - 0.3)^2 - (x1 - 0.7)^2 over [0, 1]^2 with 20 candidates
    space = {"x0": (0.0, 1.0), "x1": (0.0, 1.0)}
    ours, theirs = [], []
    for seed in range(5):
        ours.append(
            BayesSearchCV(
                SyntheticObjective(x2=0.5, x3=0.5),
                space,
                n_iter=20,
                cv=2,
                random_state=seed,
                optimizer_kwargs={"n_initial_points": 6, **FAST},
            )
            .fit(X_DUMMY)
            .best_score_
        )
        theirs.append(
            RandomizedSearchCV(
                SyntheticObjective(x2=0.5, x3=0.5),
                {"x0": uniform(0, 1), "x1": uniform(0, 1)},
                n_iter=20,
                cv=2,
                random_state=seed,
            )
            .fit(X_DUMMY)
            .best_score_
        )
    regret_ours, regret_theirs = -np.array(ours), -np.array(theirs)
    # the GP's regret is orders of magnitude below random search's: assert a
    # factor of 10 on the mean and that it wins on every seed
    assert regret_ours.mean() < 0.1 * regret_theirs.mean()
    assert np.all(regret_ours < regret_theirs)
    assert regret_ours.max() < 1e-2


class _FailsInARegion(RegressorMixin, BaseEstimator):
    """Scores -(x - 0.8)^2, but fit raises for x < 1/3 (a third of the space)."""

    def __init__(self, x=0.0):
        self.x = x

    def fit(self, X, y=None):
        if self.x < 1 / 3:
            raise ValueError("cannot fit here")
        return self

    def score(self, X, y=None):
        return -((self.x - 0.8) ** 2)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_a_third_of_the_candidates_failing_is_survived():
    search = BayesSearchCV(
        _FailsInARegion(),
        {"x": (0.0, 1.0)},
        n_iter=15,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 6, **FAST},
    ).fit(X_DUMMY)
    scores = search.cv_results_["mean_test_score"]
    xs = np.array([p["x"] for p in search.cv_results_["params"]])
    failed = np.isnan(scores)
    assert len(scores) == 15
    assert failed.any() and np.all(xs[failed] < 1 / 3)
    assert search.best_params_["x"] == pytest.approx(0.8, abs=0.05)
    # the failed region is not proposed again and again after the initial design
    assert np.sum(xs[6:] < 1 / 3) <= 2


def test_no_duplicate_candidates_in_a_small_discrete_space():
    space = {"x0": [0.1, 0.3, 0.5], "c": ["good", "bad"]}
    search = BayesSearchCV(
        SyntheticObjective(),
        space,
        n_iter=6,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 2, **FAST},
    ).fit(X_DUMMY)
    seen = [(p["x0"], p["c"]) for p in search.cv_results_["params"]]
    assert len(seen) == len(set(seen)) == 6


@pytest.mark.parametrize("acquisition", ["ei", "log_pi", "ucb", "thompson"])
def test_every_acquisition_improves_on_the_initial_design(acquisition):
    search = BayesSearchCV(
        SyntheticObjective(),
        {"x0": (0.0, 1.0), "x1": (0.0, 1.0)},
        n_iter=14,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 6, "acquisition": acquisition, **FAST},
    ).fit(X_DUMMY)
    scores = search.cv_results_["mean_test_score"]
    assert scores[6:].max() > scores[:6].max()


def test_batches_are_distinct_and_n_jobs_does_not_matter():
    space = {"x0": (0.0, 1.0), "x1": (0.0, 1.0), "c": ["good", "bad"]}
    kw = dict(
        n_iter=12,
        n_points=3,
        cv=2,
        random_state=3,
        optimizer_kwargs={"n_initial_points": 3, **FAST},
    )
    a = BayesSearchCV(SyntheticObjective(), space, n_jobs=1, **kw).fit(X_DUMMY)
    b = BayesSearchCV(SyntheticObjective(), space, n_jobs=2, **kw).fit(X_DUMMY)
    assert a.cv_results_["params"] == b.cv_results_["params"]
    keys = [tuple(sorted(p.items())) for p in a.cv_results_["params"]]
    assert len(set(keys)) == 12


def test_list_of_dicts_is_one_search_that_follows_the_better_subspace():
    space = [
        {"c": ["bad"], "x0": Real(0.0, 1.0)},  # penalized by 1
        {"c": ["good"], "x0": Real(0.0, 1.0)},
    ]
    search = BayesSearchCV(
        SyntheticObjective(),
        space,
        n_iter=16,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4, **FAST},
    ).fit(X_DUMMY)
    later = [p["c"] for p in search.cv_results_["params"][4:]]
    assert later.count("good") >= 10
    assert len(search.optimizer_results_) == 1
    assert search.best_params_["c"] == "good"


def test_tuples_give_each_subspace_its_own_budget():
    space = [({"c": ["bad"], "x0": Real(0.0, 1.0)}, 3), ({"x1": Real(0.0, 1.0)}, 5)]
    search = BayesSearchCV(
        SyntheticObjective(),
        space,
        n_iter=50,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 2, **FAST},
    )
    assert search.total_iterations == 8
    search.fit(X_DUMMY)
    params = search.cv_results_["params"]
    assert sum("c" in p for p in params) == 3 and sum("x1" in p for p in params) == 5
    results = search.optimizer_results_
    assert [len(r.x_iters) for r in results] == [3, 5]
    # scikit-optimize minimizes: func_vals are minus the scores
    rows = [i for i, p in enumerate(params) if "x1" in p]
    np.testing.assert_allclose(
        results[1].func_vals, -search.cv_results_["mean_test_score"][rows]
    )
    assert results[1].fun == pytest.approx(np.min(results[1].func_vals))
    assert results[1].names == ["x1"]
    with pytest.raises(ValueError, match="positive integer"):
        BayesSearchCV(SyntheticObjective(), [({"x0": [1, 2]}, 0)]).fit(X_DUMMY)


def test_skopt_style_fit_groups_callback_and_fit_params():
    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    groups = np.arange(60) % 4
    from sklearn.model_selection import GroupKFold

    calls = []
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (1e-2, 1e2, "log-uniform")},
        n_iter=4,
        cv=GroupKFold(2),
        fit_params={"sample_weight": np.ones(60)},
        random_state=0,
        optimizer_kwargs={"n_initial_points": 2, "acq_func": "EI", **FAST},
    )
    search.fit(X, y, groups=groups, callback=lambda progress: calls.append(progress))
    # n_points=1: the initial design (2 points, no score needed) in one
    # round, then one round per candidate
    assert [c.n_candidates for c in calls] == [2, 3, 4]


@pytest.mark.filterwarnings("ignore:The search space holds 8")
def test_stoppers():
    space = {"x0": (0.0, 1.0)}
    kw = dict(
        n_iter=30,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 3, **FAST},
    )
    search = BayesSearchCV(SyntheticObjective(x1=0.7, x2=0.5, x3=0.5), space, **kw)
    search.fit(X_DUMMY, callback=ThresholdStopper(-0.01))
    n = len(search.cv_results_["params"])
    assert n < 30 and search.best_score_ >= -0.01
    assert np.all(search.cv_results_["mean_test_score"][: n - 1] < -0.01)

    flat = BayesSearchCV(
        SyntheticObjective(penalty=0.0),
        {"c": Categorical(["a", "b", "c", "d", "e", "f", "g", "h"])},
        **kw,
    )
    flat.fit(X_DUMMY, callback=NoImprovementStopper(3))
    # every candidate scores the same: no improvement after the first
    assert len(flat.cv_results_["params"]) == 4
    with pytest.raises(ValueError, match="positive integer"):
        NoImprovementStopper(0)
    with pytest.raises(TypeError, match="number"):
        ThresholdStopper("high")


def test_multimetric_optimizes_the_refit_metric():
    X, y = make_classification(n_samples=80, n_features=4, random_state=0)
    calls = []

    def scorer(est, X_, y_):
        # "up" grows with C, "down" shrinks: the search must follow refit
        return {"up": np.log10(est.C), "down": -np.log10(est.C)}

    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (1e-3, 1e3, "log-uniform")},
        n_iter=10,
        cv=2,
        scoring=scorer,
        refit="down",
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4, **FAST},
    ).fit(X, y, callback=calls.append)
    cs = [p["C"] for p in search.cv_results_["params"]]
    assert search.best_params_["C"] == min(cs)
    assert min(cs) < 2e-3  # it went to the low end, where "down" is best
    np.testing.assert_allclose(calls[-1].scores, search.cv_results_["mean_test_down"])


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"bogus": 1}, "unknown option"),
        ({"base_estimator": "RF"}, "base_estimator"),
        ({"acq_func": "EIps"}, "acq_func"),
        ({"acquisition": "random"}, "acquisition"),
        ({"n_initial_points": 0}, "n_initial_points"),
    ],
)
def test_bad_optimizer_kwargs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BayesSearchCV(
            SyntheticObjective(), {"x0": (0.0, 1.0)}, optimizer_kwargs=kwargs
        ).fit(X_DUMMY)


def test_n_points_below_one():
    with pytest.raises(ValueError, match="n_points"):
        BayesSearchCV(SyntheticObjective(), {"x0": (0.0, 1.0)}, n_points=0).fit(X_DUMMY)


def test_accepts_randomizedsearchcv_style_spaces():
    search = BayesSearchCV(
        SyntheticObjective(),
        {"x0": uniform(0, 1), "c": ["good", "bad"]},
        n_iter=6,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 3, **FAST},
    ).fit(X_DUMMY)
    assert all(0 <= p["x0"] <= 1 for p in search.cv_results_["params"])


# --------------------------------------------------- optimizer_kwargs checks
@pytest.mark.parametrize(
    "options, error, where",
    [
        ({"n_candidates": None}, TypeError, "n_candidates"),
        ({"n_candidates": 0}, ValueError, "n_candidates"),
        ({"n_initial_points": 2.5}, TypeError, "n_initial_points"),
        ({"n_initial_points": True}, TypeError, "n_initial_points"),
        ({"n_polish": -1}, ValueError, "n_polish"),
        ({"beta": "high"}, TypeError, "beta"),
        ({"kappa": float("nan")}, ValueError, "kappa"),
        ({"acquisition": np.zeros(2)}, ValueError, "acquisition"),
        ({"acq_func": "XX"}, ValueError, "acq_func"),
        ({"output_warping": 3}, ValueError, "output_warping"),
    ],
    ids=repr,
)
def test_optimizer_kwargs_values_are_checked(options, error, where):
    search = BayesSearchCV(
        SyntheticObjective(), {"x0": (0.0, 1.0)}, n_iter=2, optimizer_kwargs=options
    )
    with pytest.raises(error, match=rf"^optimizer_kwargs\['{where}'\]"):
        search.fit(X_DUMMY, np.zeros(20))


def test_valid_optimizer_kwargs_are_accepted():
    options = {
        "n_initial_points": np.int64(2),
        "n_candidates": 64,
        "n_polish": 0,
        "kappa": 1,
        "acq_func": "LCB",
        "output_warping": "rank",
        "xi": "ignored",
    }
    search = BayesSearchCV(
        SyntheticObjective(), {"x0": (0.0, 1.0)}, n_iter=3, optimizer_kwargs=options
    )
    assert len(search.fit(X_DUMMY, np.zeros(20)).cv_results_["params"]) == 3


@pytest.mark.parametrize("fit_params", [object(), [1], "a"])
def test_fit_params_not_a_dict_is_a_clear_error(fit_params):
    search = BayesSearchCV(
        SyntheticObjective(), {"x0": (0.0, 1.0)}, n_iter=2, fit_params=fit_params
    )
    with pytest.raises(ValueError, match="fit_params"):
        search.fit(X_DUMMY, np.zeros(20))


def test_the_initial_design_goes_as_one_batch():
    # the Sobol' points of the initial design do not depend on any score:
    # whole rounds of them are one batch (no wait for the workers between
    # them), and they are the points the rounds would have proposed
    calls = []
    kwargs = dict(
        n_iter=9,
        n_points=2,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 5, **FAST},
    )
    search = BayesSearchCV(SyntheticObjective(), {"x0": (0.0, 1.0)}, **kwargs)
    search.fit(X_DUMMY, callback=lambda p: calls.append(p.n_candidates))
    # 4 initial points in one batch, then rounds of 2 (the fifth initial
    # point shares its round with the first model-based one, as before)
    assert calls == [4, 6, 8, 9]
    # the same initial points, in the same order, whatever the round size
    one = BayesSearchCV(
        SyntheticObjective(), {"x0": (0.0, 1.0)}, **{**kwargs, "n_points": 1}
    ).fit(X_DUMMY)
    assert one.cv_results_["params"][:5] == search.cv_results_["params"][:5]
    from sklearn_hpo.samplers import GPSampler

    sampler = GPSampler([Real(0.0, 1.0)], n_initial_points=5)
    assert [sampler.n_independent(n) for n in (0, 4, 5, 9)] == [5, 1, 0, 0]
