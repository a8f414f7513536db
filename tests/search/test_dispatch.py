"""Dispatch order of a batch's fits: longest predicted first (n_jobs > 1).

The search predicts each candidate's fit time from the evaluated candidates
near it (inverse-distance weighting) and dispatches the long fits first, so
that short ones fill the end of the batch. The order changes when fits start,
never what is recorded.
"""

import types

import joblib
import numpy as np
import pytest

from sklearn_hpo import BayesSearchCV
from sklearn_hpo.search import _executor
from sklearn_hpo.search._base import _History, _log_fit_cost, _longest_first
from sklearn_hpo.utils._testing import FaultyRegressor


def _history(points, sub=0, n_units=1):
    unit = types.SimpleNamespace(n_dims=2)  # what _History reads of a subspace
    history = _History([unit] * n_units)
    for p in points:
        history.add(sub, [np.asarray(p, dtype=float)], [tuple(p)])
    return history


def test_longest_first_predicts_from_the_evaluated_points_nearby():
    # the cost grows with the first coordinate
    seen = [(0.0, 0.5), (0.2, 0.5), (0.4, 0.5), (0.6, 0.5), (0.8, 0.5), (1.0, 0.5)]
    log_cost = np.log([0.1, 0.2, 0.4, 0.8, 1.6, 3.2])
    new = [(0.1, 0.4), (0.95, 0.6), (0.5, 0.5), (0.0, 0.5), (0.85, 0.5)]
    origin = [(0, np.asarray(u), u) for u in new]
    order = _longest_first(origin, _history(seen), log_cost)
    assert order == [1, 4, 2, 0, 3]
    # at an evaluated point, its own time
    seen_cost = _longest_first(origin[2:4], _history(seen), np.log([9, 1, 1, 1, 1, 1]))
    assert seen_cost == [1, 0]


def test_longest_first_without_any_time_keeps_the_batch_order():
    origin = [(0, np.array([0.1, 0.1]), 1), (0, np.array([0.9, 0.9]), 2)]
    assert _longest_first(origin, _history([]), np.empty(0)) is None
    # one candidate: nothing to order
    assert _longest_first(origin[:1], _history([(0.5, 0.5)]), np.zeros(1)) is None


def test_a_subspace_without_times_gets_the_median():
    seen = [(0.0, 0.0), (1.0, 1.0), (0.5, 0.5)]
    log_cost = np.log([1.0, 4.0, 2.0])
    history = _history(seen, n_units=2)  # all in subspace 0
    origin = [
        (1, np.array([0.0, 0.0]), "a"),  # subspace 1: nothing seen, median 2.0
        (0, np.array([1.0, 1.0]), "b"),  # 4.0
        (0, np.array([0.0, 0.0]), "c"),  # 1.0
    ]
    assert _longest_first(origin, history, log_cost) == [1, 0, 2]


def test_log_fit_cost_marks_unknown_times_as_nan():
    results = {"mean_fit_time": np.array([0.5, 0.0]), "mean_score_time": [0.5, 0.0]}
    np.testing.assert_allclose(_log_fit_cost(results), [0.0, np.nan])


@pytest.fixture
def dispatched(monkeypatch):
    """``(params, order)`` of each batch the executor ran."""
    calls = []
    original = _executor.FitExecutor.run

    def spy(self, candidate_params, first_index, order=None):
        calls.append((list(candidate_params), order))
        return original(self, candidate_params, first_index, order)

    monkeypatch.setattr(_executor.FitExecutor, "run", spy)
    return calls


def _sleepy_search(n_jobs):
    # fits sleep ``delay`` seconds: the cost is a known function of the point
    return BayesSearchCV(
        FaultyRegressor(mode="sleep"),
        {"delay": (0.0, 0.08), "x": (0.0, 1.0)},
        n_iter=12,
        n_points=4,
        cv=2,
        n_jobs=n_jobs,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4, "n_candidates": 256},
    )


def test_parallel_fits_go_longest_first_and_results_keep_batch_order(dispatched):
    X = np.zeros((20, 2))
    sequential = _sleepy_search(1).fit(X, np.zeros(20)).cv_results_
    assert not dispatched  # n_jobs=1: scikit-learn's evaluate_candidates
    with joblib.parallel_backend("threading"):
        results = _sleepy_search(2).fit(X, np.zeros(20)).cv_results_
    assert results["params"] == sequential["params"]
    np.testing.assert_array_equal(
        results["mean_test_score"], sequential["mean_test_score"]
    )
    assert [len(p) for p, _ in dispatched] == [4, 4, 4]
    assert dispatched[0][1] is None  # the initial design: no time known yet
    for params, order in dispatched[1:]:
        assert sorted(order) == [0, 1, 2, 3]
        delays = [params[i]["delay"] for i in order]
        # the longer fits go first (a prediction from neighbours: roughly)
        assert np.mean(delays[:2]) > np.mean(delays[2:])
