"""SobolSearchCV: coverage, drop-in use, sequences, budgets and warnings."""

import warnings

import numpy as np
import pytest
from scipy.stats import loguniform, qmc, randint, uniform
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_hpo import Categorical, Integer, Real, SobolSearchCV
from sklearn_hpo.exceptions import HPOWarning, SearchSpaceWarning
from sklearn_hpo.utils._testing import SyntheticObjective

X_DUMMY = np.zeros((20, 2))
CUBE = {"x0": uniform(0, 1), "x1": uniform(0, 1), "x2": uniform(0, 1)}


def _points(search):
    return np.array([[p["x0"], p["x1"], p["x2"]] for p in search.cv_results_["params"]])


def test_lower_discrepancy_than_randomizedsearchcv():
    n, seeds = 32, range(8)
    ours, theirs = [], []
    for seed in seeds:
        s = SobolSearchCV(SyntheticObjective(), CUBE, n_iter=n, cv=2, random_state=seed)
        r = RandomizedSearchCV(
            SyntheticObjective(), CUBE, n_iter=n, cv=2, random_state=seed
        )
        ours.append(qmc.discrepancy(_points(s.fit(X_DUMMY))))
        theirs.append(qmc.discrepancy(_points(r.fit(X_DUMMY))))
    # Every Sobol' run beats the median random run, and on average by a wide
    # margin (scrambled Sobol' discrepancy falls like n^-1+eps, random n^-1/2).
    assert max(ours) < np.median(theirs)
    assert np.mean(ours) < 0.5 * np.mean(theirs)


@pytest.mark.parametrize("sequence", ["halton", "lhs"])
def test_other_sequences_also_cover_better_than_random(sequence):
    ours, theirs = [], []
    for seed in range(6):
        s = SobolSearchCV(
            SyntheticObjective(),
            CUBE,
            n_iter=30,
            cv=2,
            random_state=seed,
            sequence=sequence,
        )
        r = RandomizedSearchCV(
            SyntheticObjective(), CUBE, n_iter=30, cv=2, random_state=seed
        )
        ours.append(qmc.discrepancy(_points(s.fit(X_DUMMY))))
        theirs.append(qmc.discrepancy(_points(r.fit(X_DUMMY))))
    assert np.mean(ours) < np.mean(theirs)


def test_randomizedsearchcv_script_runs_unchanged():
    X, y = make_classification(n_samples=100, n_features=5, random_state=0)
    kwargs = dict(
        estimator=make_pipeline(StandardScaler(), LogisticRegression()),
        param_distributions={
            "logisticregression__C": loguniform(1e-3, 1e3),
            "logisticregression__fit_intercept": [True, False],
            "logisticregression__max_iter": randint(50, 200),
        },
        n_iter=8,
        scoring="accuracy",
        n_jobs=1,
        refit=True,
        cv=3,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=0,
        error_score=np.nan,
        return_train_score=True,
    )
    theirs = RandomizedSearchCV(**kwargs).fit(X, y)
    ours = SobolSearchCV(**kwargs).fit(X, y)
    assert set(ours.cv_results_) == set(theirs.cv_results_)
    assert ours.best_estimator_.predict(X).shape == theirs.predict(X).shape
    extra = {"sequence", "scramble", "max_time", "checkpoint", "candidate_timeout"}
    assert set(ours.get_params()) == set(theirs.get_params()) | extra
    for p in ours.cv_results_["params"]:
        assert 1e-3 <= p["logisticregression__C"] <= 1e3
        assert 50 <= p["logisticregression__max_iter"] < 200
        assert isinstance(p["logisticregression__max_iter"], int)


def test_power_of_two_warning():
    with pytest.warns(HPOWarning, match="n_iter=10 is not a power of two.*8 or 16"):
        SobolSearchCV(SyntheticObjective(), CUBE, n_iter=10, cv=2).fit(X_DUMMY)
    for kwargs in [dict(n_iter=16), dict(n_iter=10, sequence="halton")]:
        with warnings.catch_warnings():
            warnings.simplefilter("error", HPOWarning)
            SobolSearchCV(SyntheticObjective(), CUBE, cv=2, **kwargs).fit(X_DUMMY)


def test_warning_points_at_the_callers_line():
    with pytest.warns(HPOWarning) as record:
        SobolSearchCV(SyntheticObjective(), CUBE, n_iter=3, cv=2).fit(X_DUMMY)
    assert record[0].filename == __file__


def test_finite_space_is_exhausted_without_duplicates():
    space = {"x0": [0.0, 0.5, 1.0], "c": ["good", "bad"]}
    search = SobolSearchCV(SyntheticObjective(), space, n_iter=6, cv=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HPOWarning)
        search.fit(X_DUMMY)
    seen = [(p["x0"], p["c"]) for p in search.cv_results_["params"]]
    assert sorted(seen) == sorted((a, b) for a in space["x0"] for b in space["c"])
    with pytest.warns(SearchSpaceWarning, match="6 distinct candidates"):
        SobolSearchCV(SyntheticObjective(), space, n_iter=16, cv=2).fit(X_DUMMY)


def test_integer_rounding_never_repeats_a_candidate():
    search = SobolSearchCV(
        SyntheticObjective(),
        {"x0": Integer(0, 4), "x1": Real(0, 1)},
        n_iter=16,
        cv=2,
        random_state=0,
    ).fit(X_DUMMY)
    keys = [(p["x0"], p["x1"]) for p in search.cv_results_["params"]]
    assert len(set(keys)) == 16
    # each of the five values is used, none much more than its share 16/5
    counts = np.bincount([p["x0"] for p in search.cv_results_["params"]], minlength=5)
    assert counts.min() >= 2 and counts.max() <= 5


def test_list_of_dicts_splits_n_iter_by_size():
    space = [
        {"c": ["bad"], "x0": [0.1, 0.2]},  # 2 settings
        {"c": ["good"], "x0": Real(0, 1)},  # continuous
        {"c": ["good"], "x1": Real(0, 1), "x0": Real(0, 1)},  # continuous
    ]
    search = SobolSearchCV(SyntheticObjective(), space, n_iter=16, cv=2, random_state=0)
    search.fit(X_DUMMY)
    params = search.cv_results_["params"]
    sizes = [
        sum(p["c"] == "bad" for p in params),
        sum(p["c"] == "good" and "x1" not in p for p in params),
        sum("x1" in p for p in params),
    ]
    # weights min(size, 16) = 2, 16, 16 -> 16 * (2, 16, 16) / 34 = 0.9, 7.5, 7.5
    assert sizes == [1, 8, 7]


def test_scramble_false_is_the_same_for_every_seed():
    runs = [
        SobolSearchCV(
            SyntheticObjective(), CUBE, n_iter=8, cv=2, scramble=False, random_state=s
        )
        .fit(X_DUMMY)
        .cv_results_["params"]
        for s in (0, 1)
    ]
    assert runs[0] == runs[1]


def test_random_sequence_matches_the_prior():
    space = {"x0": Categorical(["a", "b"], weights=[0.9, 0.1])}
    search = SobolSearchCV(
        SyntheticObjective(),
        {"c": space["x0"], "x1": Real(0, 1)},
        n_iter=64,
        cv=2,
        random_state=0,
        sequence="random",
    ).fit(X_DUMMY)
    share = np.mean([p["c"] == "a" for p in search.cv_results_["params"]])
    assert 0.75 < share < 0.99


def test_finds_the_known_optimum_better_than_random_on_average():
    space = {
        "x0": (0.0, 1.0),
        "x1": (0.0, 1.0),
        "x2": (0.0, 1.0),
        "c": ["good", "bad", "worse"],
    }
    rand_space = {**{k: uniform(0, 1) for k in ("x0", "x1", "x2")}, "c": space["c"]}
    ours, theirs = [], []
    for seed in range(10):
        ours.append(
            SobolSearchCV(
                SyntheticObjective(), space, n_iter=32, cv=2, random_state=seed
            )
            .fit(X_DUMMY)
            .best_score_
        )
        theirs.append(
            RandomizedSearchCV(
                SyntheticObjective(), rand_space, n_iter=32, cv=2, random_state=seed
            )
            .fit(X_DUMMY)
            .best_score_
        )
    # regret = -best_score (the optimum scores 0)
    assert np.mean(ours) > np.mean(theirs)
    assert max(ours) <= 0.0


def test_bad_sequence_and_scramble():
    with pytest.raises(ValueError, match="sequence"):
        SobolSearchCV(SyntheticObjective(), CUBE, sequence="sobel").fit(X_DUMMY)
    with pytest.raises(ValueError, match="scramble"):
        SobolSearchCV(SyntheticObjective(), CUBE, scramble="yes").fit(X_DUMMY)
    with pytest.raises(TypeError, match="has no ppf/cdf"):

        class _OnlyRvs:
            def rvs(self, size=None, random_state=None):
                return 0.5

        SobolSearchCV(SyntheticObjective(), {"x0": _OnlyRvs()}).fit(X_DUMMY)
