"""max_time and candidate_timeout on every search class."""

import time
import warnings

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_iris

from sklearn_hpo import (
    BayesSearchCV,
    HyperbandSearchCV,
    ParetoSearchCV,
    SobolSearchCV,
)
from sklearn_hpo.exceptions import HPOWarning
from tests.search._slow import SlowClassifier

X, y = load_iris(return_X_y=True)


def hyperband(**kw):
    return HyperbandSearchCV(
        SlowClassifier(),
        {"threshold": (0.0, 8.0), "delay": kw.pop("delay", [0.05])},
        resource="n_samples",
        min_resource=25,
        max_resource=75,
        cv=2,
        random_state=0,
        **kw,
    )


MAKERS = {
    "sobol": lambda space, **kw: SobolSearchCV(
        SlowClassifier(), space, n_iter=64, cv=2, random_state=0, **kw
    ),
    "bayes": lambda space, **kw: BayesSearchCV(
        SlowClassifier(), space, n_iter=64, cv=2, random_state=0, **kw
    ),
    "pareto": lambda space, **kw: ParetoSearchCV(
        SlowClassifier(),
        space,
        objectives=["score", "fit_time"],
        n_iter=64,
        cv=2,
        random_state=0,
        **kw,
    ),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_max_time_stops_starting_candidates(name):
    space = {"threshold": (0.0, 8.0), "delay": [0.05]}
    search = MAKERS[name](space, max_time=0.6)
    search.fit(X, y)
    n = len(search.cv_results_["params"])
    # 64 candidates x 2 folds x 0.05 s would take 6.4 s; the search stops
    assert 1 <= n < 64
    # every candidate kept was fitted on every split
    assert np.isfinite(search.cv_results_["split1_test_score"]).all()
    assert hasattr(search, "best_estimator_")  # refit included


def test_max_time_hyperband():
    full = hyperband(n_iter=27).fit(X, y)
    short = hyperband(n_iter=27, max_time=0.3).fit(X, y)
    assert len(short.cv_results_["params"]) < len(full.cv_results_["params"])
    assert hasattr(short, "best_estimator_")


def test_max_time_too_short_for_anything():
    space = {"threshold": (0.0, 8.0), "delay": [0.05]}
    search = MAKERS["sobol"](space, max_time=1e-9)
    with pytest.raises(RuntimeError, match="max_time=.* ran out before any"):
        search.fit(X, y)


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("name", ["sobol", "bayes"])
def test_candidate_timeout_scores_the_slow_fit_as_failed(name, n_jobs):
    space = {"threshold": [1.0, 5.0], "delay": [0.0, 30.0]}
    search = MAKERS[name](space, candidate_timeout=0.5, n_jobs=n_jobs, error_score=-1.0)
    search.set_params(n_iter=4)
    start = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    assert time.monotonic() - start < 30  # the 30 s fits were interrupted
    results = search.cv_results_
    slow = np.array([p["delay"] == 30.0 for p in results["params"]])
    assert slow.any() and (~slow).any()
    assert (results["mean_test_score"][slow] == -1.0).all()
    assert (results["mean_test_score"][~slow] > 0).all()
    assert search.best_params_["delay"] == 0.0


def test_candidate_timeout_hyperband():
    search = hyperband(delay=[0.0, 30.0], candidate_timeout=0.5, error_score=-1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    results = search.cv_results_
    slow = np.array([p["delay"] == 30.0 for p in results["params"]])
    assert slow.any() and (results["mean_test_score"][slow] == -1.0).all()


def test_candidate_timeout_warns_where_it_cannot_interrupt():
    space = {"threshold": [1.0, 5.0], "delay": [0.0]}
    search = MAKERS["sobol"](space, candidate_timeout=5.0, n_jobs=2)
    search.set_params(n_iter=2)
    with joblib.parallel_backend("threading", n_jobs=2):
        with pytest.warns(HPOWarning, match="not enforced with this joblib backend"):
            search.fit(X, y)
    assert len(search.cv_results_["params"]) == 2


def test_hyperband_checkpoint_needs_sync_mode(tmp_path):
    with pytest.raises(ValueError, match="checkpoint needs mode='sync'"):
        hyperband(checkpoint=tmp_path / "x.db", mode="async").fit(X, y)


@pytest.mark.parametrize(
    "param, value",
    [("max_time", 0), ("max_time", "1h"), ("candidate_timeout", -1), ("checkpoint", 3)],
)
def test_bad_budget_parameters(param, value):
    search = SobolSearchCV(SlowClassifier(), {"threshold": (0.0, 8.0)}, n_iter=2)
    with pytest.raises(ValueError, match=param):
        search.set_params(**{param: value}).fit(X, y)
