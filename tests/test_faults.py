"""Fault injection: estimators that raise, score nan or inf, or are slow.

:class:`~sklearn_hpo.utils._testing.FaultyRegressor` misbehaves according to
its ``mode`` hyperparameter, so that one search space mixes good and broken
candidates. Over every search class of the contract suite:

* the search completes and every candidate is in ``cv_results_``: failed
  fits and failed scoring with ``error_score``, nan and -inf scores as they
  were returned, good candidates with their exact score;
* ``best_*`` is a good candidate (never a failed or non-finite one);
* faults are contained the same way under a parallel backend;
* a run in which every candidate fails raises one ValueError listing the
  distinct exceptions.

The ``xfail(strict=True)`` tests reproduce known bugs; they start passing
(and so fail as XPASS) when the bug is fixed: remove the mark then.
"""

import math
import re
import warnings

import joblib
import numpy as np
import pytest

from sklearn_hpo.utils._testing import FaultyRegressor
from tests.contract._searches import SEARCHES, best_rows, final_rows

pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn_hpo.exceptions.HPOWarning"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning"),
    pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite"),
    pytest.mark.filterwarnings("ignore:Scoring failed"),
    # std of [inf, inf] or [-inf, -inf] folds in scikit-learn's _store
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
]

search_classes = pytest.mark.parametrize(
    "make", list(SEARCHES.values()), ids=list(SEARCHES)
)

GOOD = ("ok", "sleep")  # modes that score -(x - 0.3)**2
FAILED = ("raise", "predict_raise")  # an exception in fit or in scoring
MIXED = {"mode": [*GOOD, *FAILED, "nan", "-inf"], "x": (0.0, 1.0)}
N_ITER = 12
CV = 2


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, X[:, 0]


def _expected_score(params, error_score):
    mode = params["mode"]
    if mode in FAILED:
        return error_score
    if mode == "nan":
        return math.nan
    if mode == "-inf":
        return -math.inf
    return -((params["x"] - 0.3) ** 2)


def _check_results(search, error_score):
    res = search.cv_results_
    n_rows = len(res["params"])
    # every candidate reaches cv_results_ (a multi-fidelity search adds a
    # row per rung; its last rows are one per candidate)
    rows = final_rows(res)
    assert len(rows) == N_ITER
    assert len({tuple(sorted(res["params"][i].items())) for i in rows}) == N_ITER
    modes = {res["params"][i]["mode"] for i in rows}
    assert modes & set(GOOD)
    # the model-based samplers learn to avoid faults, but not at once
    assert len(modes - set(GOOD)) >= 2, modes
    if type(search).__name__ == "SobolSearchCV":  # stratified: every mode
        assert modes == set(MIXED["mode"])
    # every row has the score its mode gives, on every split
    for i in range(n_rows):
        want = _expected_score(res["params"][i], error_score)
        for key in ("mean_test_score", *(f"split{k}_test_score" for k in range(CV))):
            got = res[key][i]
            if math.isnan(want):
                assert np.isnan(got), (key, res["params"][i], got)
            else:
                assert got == pytest.approx(want), (key, res["params"][i], got)
    # the best candidate is a good one, and the best of the good ones
    assert search.best_params_["mode"] in GOOD
    assert search.best_score_ == res["mean_test_score"][search.best_index_]
    assert np.isfinite(search.best_score_)
    good = np.array([p["mode"] in GOOD for p in res["params"]])
    top = np.intersect1d(best_rows(res), np.flatnonzero(good))
    if type(search).__name__ != "ParetoSearchCV":  # a knee point, not the max
        assert search.best_score_ == pytest.approx(np.max(res["mean_test_score"][top]))
    assert search.best_estimator_.mode in GOOD
    assert np.all(np.isfinite(search.predict(np.zeros((2, 3)))))


@search_classes
@pytest.mark.parametrize("error_score", [np.nan, -10.0], ids=["nan", "numeric"])
def test_faults_are_contained_and_recorded(make, data, error_score):
    X, y = data
    search = make(
        FaultyRegressor(delay=0.01),
        MIXED,
        n_iter=N_ITER,
        cv=CV,
        error_score=error_score,
        random_state=2,
    )
    search.fit(X, y)
    _check_results(search, error_score)


@search_classes
def test_faults_are_contained_under_threads(make, data):
    X, y = data

    def run():
        search = make(FaultyRegressor(delay=0.01), MIXED, n_iter=N_ITER, cv=CV)
        return search.fit(X, y)

    sequential = run()
    with joblib.parallel_backend("threading", n_jobs=2):
        threaded = run()
    _check_results(threaded, np.nan)
    a, b = sequential.cv_results_, threaded.cv_results_
    assert a["params"] == b["params"]
    np.testing.assert_array_equal(a["mean_test_score"], b["mean_test_score"])
    assert a["rank_test_score"].tolist() == b["rank_test_score"].tolist()


# ----------------------------------------------------------- +inf scores
@search_classes
def test_an_infinite_score_is_not_the_best(make, data):
    X, y = data
    search = make(
        FaultyRegressor(), {"mode": ["ok", "inf"], "x": (0.0, 1.0)}, n_iter=6, cv=CV
    )
    search.fit(X, y)
    res = search.cv_results_
    rows = final_rows(res)
    assert {res["params"][i]["mode"] for i in rows} == {"ok", "inf"}
    assert np.isposinf(res["mean_test_score"][rows]).any()  # recorded as it came
    assert search.best_params_["mode"] == "ok"
    assert np.isfinite(search.best_score_)


# ------------------------------------------------------- everything fails
def _listed_errors(message):
    return re.findall(r"^ +(\d+) fits: (.*)$", message, flags=re.M)


@search_classes
def test_every_candidate_raising_gives_one_error_listing_distinct_exceptions(
    make, data
):
    X, y = data
    space = {"mode": ["raise"], "error": [ValueError, RuntimeError], "x": (0.0, 1.0)}
    search = make(FaultyRegressor(), space, n_iter=4, cv=CV)
    with pytest.raises(ValueError, match=r"All 4 candidates failed") as info:
        search.fit(X, y)
    listed = _listed_errors(str(info.value))
    # one line per distinct exception, whatever the number of fits
    assert sorted(msg for _, msg in listed) == [
        "RuntimeError: FaultyRegressor was asked to fail",
        "ValueError: FaultyRegressor was asked to fail",
    ]
    assert sum(int(n) for n, _ in listed) >= 4 * CV
    assert "error_score='raise'" in str(info.value)


@search_classes
def test_every_candidate_failing_with_error_score_raise_reraises(make, data):
    X, y = data
    space = {"mode": ["raise"], "error": [RuntimeError], "x": (0.0, 1.0)}
    search = make(FaultyRegressor(), space, n_iter=2, cv=CV, error_score="raise")
    with pytest.raises(RuntimeError, match="asked to fail"):
        search.fit(X, y)


@search_classes
@pytest.mark.parametrize(
    "mode",
    [
        "predict_raise",
        "nan",
    ],
)
def test_every_candidate_failing_at_scoring_gives_one_error(make, data, mode):
    X, y = data
    search = make(FaultyRegressor(), {"mode": [mode], "x": (0.0, 1.0)}, n_iter=3, cv=CV)
    with pytest.raises(ValueError, match="All 3 candidates failed"):
        search.fit(X, y)


def test_pareto_no_feasible_candidate_warns(data):
    from sklearn_hpo.exceptions import HPOWarning

    X, y = data
    search = SEARCHES["ParetoSearchCV"](
        FaultyRegressor(),
        {"x": (0.0, 1.0)},
        n_iter=3,
        cv=CV,
        constraints={"score": (">=", 1.0)},  # -(x - 0.3)**2 never is
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)  # TypeError today (pytest.warns would hide it)
    assert any(
        issubclass(w.category, HPOWarning) and "No candidate is feasible" in str(w)
        for w in caught
    )
    assert search.best_params_
