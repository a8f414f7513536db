"""The shared engine: equivalence with GridSearchCV, batches, callbacks, dedup."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, ShuffleSplit

from sklearn_hpo.exceptions import SearchSpaceWarning
from sklearn_hpo.samplers import BaseSampler, RandomSampler
from sklearn_hpo.search import DeadlineStopper, SearchProgress
from sklearn_hpo.search._base import BaseSampledSearchCV, _FrozenSplits, _split_batch
from sklearn_hpo.utils._testing import SyntheticObjective


class _ListSampler(BaseSampler):
    """Proposes fixed unit-cube points in order (continuing across calls)."""

    def __init__(self, points):
        self.points = np.asarray(points, dtype=float)
        self.calls = []

    def propose(self, X, y, n, *, rng):
        self.calls.append((np.array(X), np.array(y), n))
        start = len(X)
        return self.points[start : start + n]


class _ScriptedSearchCV(BaseSampledSearchCV):
    """A test search: fixed points or a given sampler, optional batch size."""

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=10,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        sampler=None,
        batch_size=None,
    ):
        self.param_distributions = param_distributions
        self.sampler = sampler
        self.batch_size = batch_size
        super().__init__(
            estimator,
            n_iter=n_iter,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
        )

    _parameter_constraints = {
        **BaseSampledSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "sampler": [object, None],
        "batch_size": [int, None],
    }

    def _make_sampler(self, subspace, rng):
        return self.sampler if self.sampler is not None else RandomSampler()

    def _batch_size(self):
        return self.batch_size


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=90, n_features=5, random_state=0)


def test_fixed_candidates_reproduce_gridsearchcv(data):
    X, y = data
    cs = [0.01, 0.1, 1.0, 10.0]
    space = {"C": cs}
    points = [[(i + 0.5) / len(cs)] for i in range(len(cs))]
    ours = _ScriptedSearchCV(
        LogisticRegression(),
        space,
        n_iter=4,
        cv=3,
        sampler=_ListSampler(points),
        scoring=["accuracy", "f1"],
        refit="f1",
        return_train_score=True,
    ).fit(X, y)
    grid = GridSearchCV(
        LogisticRegression(),
        {"C": cs},
        cv=3,
        scoring=["accuracy", "f1"],
        refit="f1",
        return_train_score=True,
    ).fit(X, y)
    a, b = ours.cv_results_, grid.cv_results_
    assert set(a) == set(b)
    assert a["params"] == b["params"]
    for key in a:
        if "time" in key or key == "params":
            continue
        np.testing.assert_array_equal(
            np.asarray(a[key]), np.asarray(b[key]), err_msg=key
        )
    assert ours.best_params_ == grid.best_params_
    assert ours.best_score_ == grid.best_score_


def test_batches_reread_results_and_pass_history(data):
    X, y = data
    sampler = _ListSampler(np.linspace(0.05, 0.95, 6)[:, None])
    search = _ScriptedSearchCV(
        LogisticRegression(),
        {"C": (0.01, 100.0, "log-uniform")},
        n_iter=6,
        cv=3,
        sampler=sampler,
        batch_size=2,
    ).fit(X, y)
    assert [n for _, _, n in sampler.calls] == [2, 2, 2]
    assert [len(X_) for X_, _, _ in sampler.calls] == [0, 2, 4]
    # y handed to the sampler is the mean test score of the earlier candidates
    X_last, y_last, _ = sampler.calls[-1]
    np.testing.assert_array_equal(y_last, search.cv_results_["mean_test_score"][:4])
    np.testing.assert_allclose(X_last[:, 0], np.linspace(0.05, 0.95, 6)[:4])


def test_failed_candidates_reach_the_sampler_as_nan(data):
    from sklearn_hpo.utils._testing import FailingClassifier

    X, y = data
    # fail=True is the first category (cell [0, 0.5)), fail=False the second
    sampler = _ListSampler([[0.25], [0.75], [0.5]])
    with pytest.warns(Warning):
        _ScriptedSearchCV(
            FailingClassifier(),
            {"fail": [True, False]},
            n_iter=2,
            cv=3,
            sampler=sampler,
            batch_size=1,
        ).fit(X, y)
    _, y_seen, _ = sampler.calls[-1]
    assert np.isnan(y_seen[0])


def test_callbacks_stop_the_search_and_see_progress(data):
    X, y = data
    seen = []

    def stop_after_two(progress):
        seen.append(progress)
        return progress.n_batches == 2

    search = _ScriptedSearchCV(
        SyntheticObjective(),
        {"x0": (0.0, 1.0)},
        n_iter=10,
        cv=2,
        batch_size=3,
        random_state=0,
    ).fit(X, y, callback=[stop_after_two])
    assert len(search.cv_results_["params"]) == 6
    assert [p.n_candidates for p in seen] == [3, 6]
    last = seen[-1]
    assert isinstance(last, SearchProgress)
    assert last.best_score == pytest.approx(
        np.max(search.cv_results_["mean_test_score"])
    )
    assert last.best_params == search.best_params_
    assert last.elapsed >= 0
    # the refit happened on what was found before the stop
    assert search.best_estimator_.x0 == search.best_params_["x0"]
    assert not hasattr(search, "_callbacks")


def test_deadline_stopper(data):
    X, y = data
    search = _ScriptedSearchCV(
        SyntheticObjective(),
        {"x0": (0.0, 1.0)},
        n_iter=50,
        cv=2,
        batch_size=5,
        random_state=0,
    ).fit(X, y, callback=DeadlineStopper(1e-9))
    assert len(search.cv_results_["params"]) == 5
    with pytest.raises(ValueError, match="positive"):
        DeadlineStopper(0)
    with pytest.raises(TypeError, match="callable"):
        _ScriptedSearchCV(SyntheticObjective(), {"x0": (0.0, 1.0)}).fit(
            X, y, callback="stop"
        )


def test_duplicates_are_replaced_and_small_spaces_exhausted(data):
    X, y = data

    class _Stuck(BaseSampler):
        def propose(self, X, y, n, *, rng):
            return np.full((n, 2), 0.1)  # always the same cell

    space = {"a": [1, 2, 3], "b": ["x", "y"]}
    search = _ScriptedSearchCV(
        SyntheticObjective(),
        {"x0": space["a"], "c": space["b"]},
        n_iter=6,
        cv=2,
        sampler=_Stuck(),
        random_state=0,
    ).fit(X, y)
    params = [(p["x0"], p["c"]) for p in search.cv_results_["params"]]
    assert len(params) == len(set(params)) == 6

    with pytest.warns(SearchSpaceWarning, match="6 distinct candidates"):
        search = _ScriptedSearchCV(
            SyntheticObjective(),
            {"x0": space["a"], "c": space["b"]},
            n_iter=20,
            cv=2,
            random_state=0,
        ).fit(X, y)
    assert len(search.cv_results_["params"]) == 6


def test_continuous_space_with_a_stuck_sampler_stops_with_a_warning(data):
    X, y = data

    class _Stuck(BaseSampler):
        def propose(self, X, y, n, *, rng):
            return np.full((n, 1), 0.5)

    with pytest.warns(SearchSpaceWarning, match="no new candidate"):
        search = _ScriptedSearchCV(
            SyntheticObjective(),
            {"x0": (0.0, 1.0)},
            n_iter=5,
            cv=2,
            sampler=_Stuck(),
            batch_size=1,
        ).fit(X, y)
    assert len(search.cv_results_["params"]) == 1


def test_bad_sampler_output_is_reported(data):
    X, y = data

    class _Broken(BaseSampler):
        def propose(self, X, y, n, *, rng):
            return np.full((n, 3), np.nan)

    with pytest.raises(RuntimeError, match="_Broken.propose"):
        _ScriptedSearchCV(
            SyntheticObjective(), {"x0": (0.0, 1.0)}, n_iter=2, cv=2, sampler=_Broken()
        ).fit(X, y)


def test_fixed_parameters_only(data):
    X, y = data
    search = _ScriptedSearchCV(
        SyntheticObjective(), {"x0": [0.3], "c": ["good"]}, n_iter=1, cv=2
    ).fit(X, y)
    assert search.cv_results_["params"] == [{"x0": 0.3, "c": "good"}]


def test_frozen_splits_are_computed_once():
    X = np.arange(20).reshape(10, 2)
    cv = _FrozenSplits(ShuffleSplit(n_splits=3, test_size=0.3))
    first = [test.tolist() for _, test in cv.split(X)]
    second = [test.tolist() for _, test in cv.split(X)]
    assert first == second
    assert cv.get_n_splits() == 3
    k = _FrozenSplits(KFold(2))
    assert [t.tolist() for _, t in k.split(X)] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


@pytest.mark.parametrize(
    "batch,remaining,expected",
    [
        (4, [10, 10], [2, 2]),
        (3, [1, 10], [0, 3]),
        (3, [2, 2], [2, 1]),
        (5, [0, 3], [0, 3]),
        (1, [5, 5], [1, 0]),
    ],
)
def test_split_batch(batch, remaining, expected):
    out = _split_batch(batch, remaining)
    assert out == expected
    assert sum(out) == min(batch, sum(remaining))


def test_sklearn_callbacks_api_sees_every_fit(data):
    callback = pytest.importorskip(
        "sklearn.callback", reason="scikit-learn's callbacks API appears in 1.9"
    )
    X, y = data

    class _Count(callback.FitCallback):
        def __init__(self):
            self.tasks = {}

        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, **kwargs):
            self.tasks[context.task_name] = self.tasks.get(context.task_name, 0) + 1

        def on_fit_task_end(self, estimator, context, **kwargs):
            pass

    counter = _Count()
    search = _ScriptedSearchCV(
        SyntheticObjective(),
        {"x0": (0.0, 1.0)},
        n_iter=6,
        cv=2,
        batch_size=4,
        random_state=0,
    )
    search.set_callbacks(counter)
    search.fit(X, y)
    assert counter.tasks["search"] == 1
    assert counter.tasks["batch"] == 2
    assert counter.tasks["candidate-split-evaluation"] == 6 * 2


def test_extension_points_for_resources_and_several_objectives(data):
    # What multi-fidelity and Pareto searches build on: extra cv_results_
    # columns per batch, and a 2-d objective handed to the sampler.
    X, y = data
    sampler = _ListSampler(np.linspace(0.1, 0.9, 4)[:, None])

    class _TwoObjectives(_ScriptedSearchCV):
        def _evaluate_batch(self, evaluate, params, cv, ctx, more_results=None):
            resource = [10 * (i + 1) for i in range(len(params))]
            return super()._evaluate_batch(
                evaluate, params, cv, ctx, more_results={"resource": resource}
            )

        def _objective_values(self, results):
            score = super()._objective_values(results)
            return np.column_stack([score, -results["mean_fit_time"]])

    search = _TwoObjectives(
        SyntheticObjective(),
        {"x0": (0.0, 1.0)},
        n_iter=4,
        cv=2,
        sampler=sampler,
        batch_size=2,
    ).fit(X, y)
    np.testing.assert_array_equal(search.cv_results_["resource"], [10, 20, 10, 20])
    _, y_seen, _ = sampler.calls[-1]
    assert y_seen.shape == (2, 2)
    np.testing.assert_array_equal(
        y_seen[:, 0], search.cv_results_["mean_test_score"][:2]
    )


# ------------------------------------------ checks of fit's inputs (fuzzing)
@pytest.mark.parametrize(
    "pre_dispatch", [1, 3, "all", "2*n_jobs", "n_jobs", "1.5*n_jobs"]
)
def test_valid_pre_dispatch_is_accepted(pre_dispatch):
    from sklearn_hpo.search._base import _check_pre_dispatch

    _check_pre_dispatch(pre_dispatch)


@pytest.mark.parametrize(
    "pre_dispatch, error",
    [
        (0, ValueError),
        (-1, ValueError),
        ("0*n_jobs", ValueError),
        ("n_jobs-1", ValueError),
        ("0.5*n_jobs", ValueError),
        ("two", ValueError),
        ("__import__('os')", ValueError),
        ("9**9**9", ValueError),
        (1.5, TypeError),
        (True, TypeError),
    ],
)
def test_invalid_pre_dispatch_is_a_clear_error(pre_dispatch, error):
    X, y = make_classification(n_samples=30, random_state=0)
    search = _ScriptedSearchCV(
        LogisticRegression(), {"C": (0.1, 10.0)}, n_iter=2, cv=2
    ).set_params(pre_dispatch=pre_dispatch)
    with pytest.raises(error, match="pre_dispatch"):
        search.fit(X, y)


def test_cv_bytes_is_a_clear_error():
    X, y = make_classification(n_samples=30, random_state=0)
    search = _ScriptedSearchCV(LogisticRegression(), {"C": (0.1, 10.0)}, cv=b"ab")
    with pytest.raises(ValueError, match=r"^cv must be"):
        search.fit(X, y)


def test_cv_index_past_the_data_is_a_clear_error():
    X, y = make_classification(n_samples=30, random_state=0)
    cv = [(np.arange(15), np.arange(15, 30)), (np.arange(15, 31), np.arange(15))]
    search = _ScriptedSearchCV(LogisticRegression(), {"C": (0.1, 10.0)}, cv=cv)
    with pytest.raises(ValueError, match=r"cv: split 1 has train index 30"):
        search.fit(X, y)


def test_cv_with_negative_indices_in_range_still_works():
    X, y = make_classification(n_samples=30, random_state=0)
    cv = [(np.arange(15), np.arange(-15, 0)), (np.arange(-15, 0), np.arange(15))]
    search = _ScriptedSearchCV(
        LogisticRegression(), {"C": (0.1, 10.0)}, n_iter=2, cv=cv
    )
    assert search.fit(X, y).n_splits_ == 2


class _InfScore:
    """A scorer giving +inf to C > 1 (a broken metric, say)."""

    def __call__(self, estimator, X, y):
        return np.inf if estimator.C > 1 else estimator.C


@pytest.mark.filterwarnings("ignore:One or more of the test scores")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("multimetric", [False, True])
def test_best_ignores_infinite_scores(multimetric):
    X, y = make_classification(n_samples=30, random_state=0)
    scoring = {"s": _InfScore(), "acc": "accuracy"} if multimetric else _InfScore()
    search = _ScriptedSearchCV(
        LogisticRegression(),
        {"C": [0.5, 0.8, 2.0, 3.0]},
        n_iter=4,
        cv=2,
        scoring=scoring,
        refit="s" if multimetric else True,
    ).fit(X, y)
    key = "mean_test_s" if multimetric else "mean_test_score"
    assert np.isposinf(search.cv_results_[key]).sum() == 2
    assert search.best_params_ == {"C": 0.8}
    assert search.best_score_ == 0.8


@pytest.mark.parametrize(
    "index, error",
    [(-1, ValueError), (4, ValueError), (True, TypeError), (1.0, TypeError)],
)
def test_refit_callable_must_return_a_row_index(index, error):
    X, y = make_classification(n_samples=30, random_state=0)
    search = _ScriptedSearchCV(
        LogisticRegression(),
        {"C": [0.5, 0.8, 2.0, 3.0]},
        n_iter=4,
        cv=2,
        refit=lambda results: index,
    )
    with pytest.raises(error, match=r"^refit returned"):
        search.fit(X, y)


def test_refit_callable_index_is_used():
    X, y = make_classification(n_samples=30, random_state=0)
    search = _ScriptedSearchCV(
        LogisticRegression(),
        {"C": [0.5, 0.8, 2.0, 3.0]},
        n_iter=4,
        cv=2,
        refit=lambda results: np.int64(2),
    ).fit(X, y)
    assert search.best_index_ == 2 and isinstance(search.best_index_, int)
