"""HyperbandSearchCV: brackets, promotion, continuation, results, bad input."""

import os

import numpy as np
import pytest
from scipy.stats import loguniform, uniform
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import KFold

from sklearn_hpo import HyperbandSearchCV
from sklearn_hpo.exceptions import HPOWarning
from sklearn_hpo.utils._testing import ResourceObjective
from tests.schedulers.test_hyperband import PAPER_TABLE

pytestmark = pytest.mark.filterwarnings("ignore::sklearn_hpo.exceptions.HPOWarning")

SPACE = {"x": uniform(0, 1)}


@pytest.fixture(scope="module")
def reg_data():
    return make_regression(60, 3, random_state=0)


def _history_len(est, X, y=None):
    return float(len(est.history_))


def _units_spent(est, X, y=None):
    return float(est.units_spent_)


def _search(**kwargs):
    kwargs.setdefault("resource", "n_estimators")
    kwargs.setdefault("min_resource", 1)
    kwargs.setdefault("max_resource", 81)
    kwargs.setdefault("cv", 2)
    kwargs.setdefault("random_state", 0)
    estimator = kwargs.pop("estimator", ResourceObjective())
    return HyperbandSearchCV(estimator, kwargs.pop("space", SPACE), **kwargs)


def _counts(results):
    out = {}
    cols = (results["bracket"], results["rung"], results["n_resources"])
    for b, r, n in zip(*cols, strict=True):
        out.setdefault(int(b), {}).setdefault((int(r), int(n)), 0)
        out[int(b)][(int(r), int(n))] += 1
    return {b: [(c, n) for (_, n), c in sorted(v.items())] for b, v in out.items()}


def test_one_iteration_runs_the_paper_brackets(reg_data):
    X, y = reg_data
    search = _search().fit(X, y)
    res = search.cv_results_
    assert _counts(res) == PAPER_TABLE
    assert len(set(res["candidate"])) == 143
    assert search.min_resource_ == 1 and search.max_resource_ == 81
    # a candidate's rows carry its own parameters and the rung's resource
    for c in set(res["candidate"]):
        rows = np.flatnonzero(res["candidate"] == c)
        xs = {res["params"][i]["x"] for i in rows}
        assert len(xs) == 1
        assert [res["params"][i]["n_estimators"] for i in rows] == list(
            res["n_resources"][rows]
        )
    # iter numbers the rounds: one per rung of each bracket, increasing
    assert np.all(np.diff(res["iter"]) >= 0)
    assert res["iter"].max() + 1 == sum(len(r) for r in PAPER_TABLE.values())


def test_promotion_keeps_the_best_and_scores_match_the_objective(reg_data):
    X, y = reg_data
    res = _search().fit(X, y).cv_results_
    x = np.array([p["x"] for p in res["params"]])
    expected = -((x - 0.3) ** 2)
    np.testing.assert_allclose(res["mean_test_score"], expected)
    for b in set(res["bracket"]):
        for r in range(int(b)):
            here = (res["bracket"] == b) & (res["rung"] == r)
            up = (res["bracket"] == b) & (res["rung"] == r + 1)
            promoted = set(res["candidate"][up])
            order = np.argsort(-res["mean_test_score"][here], kind="stable")
            best = set(res["candidate"][here][order][: len(promoted)])
            assert promoted == best


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_promoted_candidates_continue_their_own_models(reg_data, n_jobs):
    # The scorers read the model's own history, so they see through any
    # backend whether a promoted candidate continued (history [1, 3, 9]) or
    # was fitted from scratch (history [9]).
    X, y = reg_data
    search = _search(
        estimator=ResourceObjective(warm_start=False),
        scoring={"score": "r2", "fits": _history_len, "units": _units_spent},
        refit=False,
        n_jobs=n_jobs,
        n_iter=20,
    ).fit(X, y)
    res = search.cv_results_
    np.testing.assert_array_equal(res["mean_test_fits"], res["rung"] + 1)
    np.testing.assert_array_equal(res["mean_test_units"], res["n_resources"])
    assert search.continued_["strategy"] == "warm_start"
    n_later = int(np.sum(res["rung"] > 0)) * 2
    assert search.continued_["continued"] == n_later > 0


def test_no_unit_is_trained_twice(reg_data):
    X, y = reg_data
    ResourceObjective.log = []
    search = _search(n_iter=30).fit(X, y)
    res = search.cv_results_
    fits = ResourceObjective.log[:-1]  # the last one is the final refit
    assert len(fits) == len(res["params"]) * 2
    top = {}
    for c, r in zip(res["candidate"], res["n_resources"], strict=True):
        top[c] = max(top.get(c, 0), r)
    assert sum(added for _, added in fits) == 2 * sum(top.values())
    assert ResourceObjective.log[-1] == (81, 81)  # refit from scratch at R


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_estimators_that_cannot_continue_are_refitted():
    # LogisticRegression's warm_start does not add iterations: no strategy
    X, y = make_classification(150, 5, random_state=0)
    search = HyperbandSearchCV(
        LogisticRegression(),
        {"C": loguniform(0.01, 10)},
        resource="max_iter",
        min_resource=1,
        max_resource=9,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.continued_ == {
        "strategy": None,
        "fits": 3 * len(search.cv_results_["params"]),
        "continued": 0,
    }
    assert search.best_params_["max_iter"] == 9


def test_best_is_chosen_at_max_resource_not_at_a_low_rung(reg_data):
    # more resource scores worse: low rungs hold the highest scores
    X, y = reg_data
    search = _search(estimator=ResourceObjective(slope=-0.01)).fit(X, y)
    res = search.cv_results_
    assert np.argmax(res["mean_test_score"]) != search.best_index_
    assert res["n_resources"][search.best_index_] == 81
    at_top = res["n_resources"] == 81
    assert search.best_score_ == np.max(res["mean_test_score"][at_top])
    assert search.best_params_["n_estimators"] == 81
    assert search.best_estimator_.n_trained_ == 81
    assert search.best_estimator_.history_ == [81]  # refit from scratch


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_failed_candidates_are_never_promoted(reg_data):
    X, y = reg_data
    space = {"x": uniform(0, 1), "fail": [True, False]}
    search = _search(space=space, n_iter=40).fit(X, y)
    res = search.cv_results_
    fail = np.array([p["fail"] for p in res["params"]])
    assert fail.any() and (~fail).any()
    assert np.all(np.isnan(res["mean_test_score"][fail]))
    assert np.all(res["rung"][fail] == 0)  # never above the bottom rung
    assert not search.best_params_["fail"]


@pytest.mark.parametrize("mode, n_jobs", [("sync", 1), ("async", 1), ("async", 2)])
def test_error_score_raise_propagates(reg_data, mode, n_jobs):
    X, y = reg_data
    search = _search(
        space={"x": uniform(0, 1), "fail": [True]},
        error_score="raise",
        mode=mode,
        n_jobs=n_jobs,
        n_iter=6,
    )
    with pytest.raises(ValueError, match="asked to fail"):
        search.fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_all_failing_raises_one_error(reg_data):
    X, y = reg_data
    search = _search(space={"x": uniform(0, 1), "fail": [True]}, n_iter=5)
    with pytest.warns(FitFailedWarning):
        with pytest.raises(ValueError, match="All 5 candidates failed"):
            search.fit(X, y)


def test_sync_results_do_not_depend_on_n_jobs():
    X, y = make_classification(150, 5, random_state=0)
    runs = [
        HyperbandSearchCV(
            GradientBoostingClassifier(random_state=0, max_depth=2),
            {"learning_rate": loguniform(0.01, 1.0)},
            resource="n_estimators",
            min_resource=3,
            max_resource=27,
            n_iter=12,
            cv=3,
            n_jobs=n_jobs,
            random_state=0,
        ).fit(X, y)
        for n_jobs in (1, 2)
    ]
    a, b = (r.cv_results_ for r in runs)
    assert a["params"] == b["params"]
    for key in ("mean_test_score", "split0_test_score", "candidate", "rung"):
        np.testing.assert_array_equal(a[key], b[key])
    assert runs[0].continued_["continued"] > 0


def test_brackets_run_side_by_side_with_several_workers(reg_data):
    # With n_jobs > 1 the brackets of an iteration run concurrently: the
    # last bracket's fits at max_resource start while the first bracket's
    # lowest rung still has fits to do (sequentially they come after all
    # of them); the rows are recorded in the sequential order all the same.
    import joblib

    X, y = reg_data
    sequential = _search(n_jobs=1).fit(X, y).cv_results_
    ResourceObjective.log = []
    with joblib.parallel_backend("threading", n_jobs=2):
        concurrent = _search(n_jobs=2).fit(X, y).cv_results_
    resources = [n for n, _ in ResourceObjective.log]
    first_top = resources.index(81)
    last_bottom = len(resources) - 1 - resources[::-1].index(1)
    assert first_top < last_bottom
    assert concurrent["params"] == sequential["params"]
    for key in ("mean_test_score", "iter", "bracket", "rung", "candidate"):
        np.testing.assert_array_equal(concurrent[key], sequential[key])


def test_an_error_in_one_bracket_is_raised_and_stops_the_others(reg_data):
    # error_score="raise" with brackets side by side: the fit's own error
    # (not a broken pool in the other brackets), and the search stops
    X, y = reg_data
    search = _search(space={"x": uniform(0, 1), "fail": [True]}, n_jobs=2)
    search.set_params(error_score="raise")
    with pytest.raises(ValueError, match="asked to fail") as info:
        search.fit(X, y)
    assert "Traceback" in str(info.value.__cause__)  # the worker's traceback


def test_n_iter_and_budget_limit_the_run(reg_data):
    X, y = reg_data
    res = _search(n_iter=50).fit(X, y).cv_results_
    assert len(set(res["candidate"])) == 50
    search = _search(budget=500).fit(X, y)
    res = search.cv_results_
    assert res["n_resources"].sum() <= 500
    # the first bracket (405 units) fits whole; the rest is a shortened one
    assert res["n_resources"].sum() > 405
    with pytest.raises(ValueError, match="budget=50 is too small"):
        _search(budget=50).fit(X, y)


def test_n_samples_resource_subsamples_the_training_folds():
    X, y = make_regression(400, 3, random_state=0)
    search = HyperbandSearchCV(
        ResourceObjective(),
        SPACE,
        cv=KFold(4),
        scoring={"n": lambda est, X, y: float(est.n_seen_), "score": "r2"},
        refit="score",
        random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    assert search.max_resource_ == 300  # the training folds' size
    assert search.min_resource_ == 20  # the floor for a regressor
    np.testing.assert_array_equal(res["mean_test_n"], res["n_resources"])
    assert search.best_estimator_.n_seen_ == 400  # refit on all the data
    assert search.continued_["strategy"] is None


def test_defaults_from_the_estimator(reg_data):
    X, y = reg_data
    search = HyperbandSearchCV(
        ResourceObjective(n_estimators=100),
        SPACE,
        resource="n_estimators",
        cv=2,
        random_state=0,
    ).fit(X, y)
    assert search.max_resource_ == 100 and search.min_resource_ == 100 // 81
    assert search.best_estimator_.n_estimators == 100


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_partial_fit_search_continues_epochs():
    X, y = make_classification(300, 6, random_state=0)
    search = HyperbandSearchCV(
        SGDClassifier(random_state=0),
        {"alpha": loguniform(1e-5, 1e-1)},
        resource="max_iter",
        min_resource=1,
        max_resource=9,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.continued_["strategy"] == "partial_fit"
    assert search.continued_["continued"] > 0
    assert search.best_params_["max_iter"] == 9


@pytest.mark.parametrize("sampler", ["random", "sobol", "bayes"])
def test_async_mode_asha(reg_data, sampler):
    X, y = reg_data
    kwargs = dict(mode="async", sampler=sampler, n_iter=40, max_resource=27)
    a = _search(**kwargs).fit(X, y)
    b = _search(**kwargs).fit(X, y)
    ra, rb = a.cv_results_, b.cv_results_
    # one worker: the same run twice
    assert ra["params"] == rb["params"]
    assert len(set(ra["candidate"])) == 40
    # one worker decides each job after the previous one was recorded: a
    # row at rung k promotes a candidate that was then among the best
    # floor(m / eta) of the m rows at rung k - 1
    for i in np.flatnonzero(ra["rung"] > 0):
        c, k = ra["candidate"][i], ra["rung"][i]
        below = np.flatnonzero(ra["rung"][:i] == k - 1)
        mine = below[ra["candidate"][below] == c]
        assert len(mine) == 1
        better = np.sum(ra["mean_test_score"][below] > ra["mean_test_score"][mine[0]])
        assert better < len(below) // 3
    assert np.all(ra["bracket"] == 3)  # ASHA's one bracket, s_max = 3
    assert a.best_params_["n_estimators"] == 27


def test_async_budget(reg_data):
    X, y = reg_data
    search = _search(mode="async", budget=300, max_resource=27).fit(X, y)
    assert search.cv_results_["n_resources"].sum() <= 300
    with pytest.raises(ValueError, match="smaller than min_resource"):
        _search(mode="async", budget=1, min_resource=3).fit(X, y)


def _rows(results):
    return {
        (repr(p), int(n))
        for p, n in zip(results["params"], results["n_resources"], strict=True)
    }


def _with_and_without_skipping(X, y, monkeypatch, **kwargs):
    """The async run as it is, and with every job started while the budget
    lasts (``_can_change_pick`` and ``_nothing_can_change_pick`` switched
    off)."""
    from sklearn_hpo.search import _hyperband

    kwargs = {"mode": "async", "max_resource": 27, **kwargs}
    kwargs.setdefault("estimator", ResourceObjective(slope=0.002))
    ours = _search(**kwargs).fit(X, y)
    with monkeypatch.context() as m:
        m.setattr(_hyperband, "_can_change_pick", lambda *args: True)
        m.setattr(_hyperband, "_nothing_can_change_pick", lambda *args: False)
        full = _search(**kwargs).fit(X, y)
    return ours, full


@pytest.mark.parametrize("budget", [40, 54, 100, 120, 200])
@pytest.mark.parametrize("seed", range(6))
def test_async_skips_jobs_that_cannot_change_the_best(
    reg_data, monkeypatch, budget, seed
):
    # one worker: once the budget left cannot carry a candidate up to the
    # highest rung with a success, ASHA starts no job for it; the best is the
    # one the full run picks, from a subset of its rows, for fewer units
    X, y = reg_data
    ours, full = _with_and_without_skipping(
        X, y, monkeypatch, budget=budget, random_state=seed
    )
    assert ours.best_params_ == full.best_params_
    assert ours.best_score_ == full.best_score_
    assert _rows(ours.cv_results_) <= _rows(full.cv_results_)
    spent = ours.cv_results_["n_resources"].sum()
    assert spent <= full.cv_results_["n_resources"].sum() <= budget


def test_async_skipping_saves_units_and_needs_a_metric(reg_data, monkeypatch):
    X, y = reg_data
    for budget in (40, 120):
        ours, full = _with_and_without_skipping(X, y, monkeypatch, budget=budget)
        spent, spent_full = (s.cv_results_["n_resources"].sum() for s in (ours, full))
        assert spent < spent_full, budget

    # a callable refit sees every row: the budget is spent as before
    def pick(results):
        return int(np.argmax(results["mean_test_score"]))

    ours, full = _with_and_without_skipping(X, y, monkeypatch, budget=40, refit=pick)
    assert ours.cv_results_["params"] == full.cv_results_["params"]


def test_async_with_two_workers_finishes_every_job(reg_data):
    X, y = reg_data
    search = _search(mode="async", n_iter=30, max_resource=27, n_jobs=2).fit(X, y)
    res = search.cv_results_
    assert len(set(res["candidate"])) == 30
    assert np.all(np.isfinite(res["mean_test_score"]))
    assert res["n_resources"][search.best_index_] == 27


def test_bayes_sampler_runs_brackets(reg_data):
    X, y = reg_data
    search = _search(sampler="bayes", n_iter=60).fit(X, y)
    res = search.cv_results_
    assert len(set(res["candidate"])) == 60
    # the optimum is x = 0.3; the best found is close
    assert abs(search.best_params_["x"] - 0.3) < 0.1


def test_callback_stops_after_a_rung(reg_data):
    X, y = reg_data
    calls = []

    def stop(progress):
        calls.append(progress.n_candidates)
        return len(calls) == 2

    search = _search().fit(X, y, callback=stop)
    assert len(calls) == 2
    assert len(search.cv_results_["params"]) == calls[-1]
    assert hasattr(search, "best_estimator_")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(resource="n_trees"), "resource='n_trees' is neither"),
        (dict(space={"x": uniform(0, 1), "n_estimators": [3]}), "also in param_dist"),
        (dict(min_resource=100), "min_resource=100 exceeds max_resource=81"),
        (dict(resource="optimum", max_resource=None), "not a positive integer"),
        # a str or bool parameter is no resource, whatever max_resource says
        (dict(resource="warm_start", max_resource=9), "is a bool parameter"),
        (dict(eta=1), "eta"),
        (dict(mode="fast"), "mode"),
        (dict(sampler="tpe"), "sampler"),
        (dict(n_iter=0), "n_iter"),
        (dict(budget=0), "budget"),
    ],
)
def test_bad_input(reg_data, kwargs, match):
    X, y = reg_data
    with pytest.raises(ValueError, match=match):
        _search(**kwargs).fit(X, y)


def test_max_resource_above_the_fold_size():
    X, y = make_classification(90, 4, random_state=0)
    search = HyperbandSearchCV(
        LogisticRegression(), {"C": loguniform(0.1, 10)}, max_resource=100, cv=3
    )
    with pytest.raises(ValueError, match="smallest training fold"):
        search.fit(X, y)


def test_lightgbm_boosters_travel_to_the_workers():
    lightgbm = pytest.importorskip("lightgbm", reason="the lightgbm extra")
    X, y = make_classification(200, 5, random_state=0)
    runs = [
        HyperbandSearchCV(
            lightgbm.LGBMClassifier(verbose=-1, random_state=0, n_jobs=1),
            {"learning_rate": loguniform(0.01, 0.5), "num_leaves": [4, 8, 16]},
            resource="n_estimators",
            min_resource=3,
            max_resource=27,
            n_iter=9,
            cv=3,
            n_jobs=n_jobs,
            random_state=0,
        ).fit(X, y)
        for n_jobs in (1, 2)
    ]
    assert runs[0].continued_["strategy"] == "lightgbm"
    assert runs[0].continued_["continued"] > 0
    np.testing.assert_allclose(
        runs[0].cv_results_["mean_test_score"], runs[1].cv_results_["mean_test_score"]
    )
    assert runs[1].best_estimator_.booster_.num_trees() == 27


def test_verbose_prints_rungs_and_params_are_restored(reg_data, capsys):
    X, y = reg_data
    search = _search(max_resource=9, verbose=2, n_jobs=2).fit(X, y)
    out = capsys.readouterr().out
    assert "Bracket s=2, rung 0: 9 candidates x 2 folds with n_estimators=1" in out
    assert "Fitting" not in out  # scikit-learn's message would be misleading
    assert search.n_jobs == 2 and search.verbose == 2
    # verbose=1: a progress bar on stderr (tqdm, or one line per rung)
    _search(max_resource=9, verbose=1).fit(X, y)
    captured = capsys.readouterr()
    assert "Bracket" not in captured.out
    assert "HyperbandSearchCV" in captured.err and "best" in captured.err
    failing = _search(space={"x": uniform(0, 1), "fail": [True]}, n_jobs=2)
    failing.set_params(error_score="raise")
    with pytest.raises(ValueError, match="asked to fail"):
        failing.fit(X, y)
    assert failing.n_jobs == 2 and failing.verbose == 0
    assert not hasattr(failing, "_fit_inputs")


def test_multilabel_n_samples_resource_is_not_stratified():
    from sklearn.datasets import make_multilabel_classification
    from sklearn.tree import DecisionTreeClassifier

    X, y = make_multilabel_classification(300, 5, n_classes=3, random_state=0)
    search = HyperbandSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": [2, 4, 8, None]},
        n_iter=4,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.max_resource_ == 200
    assert search.cv_results_["n_resources"][search.best_index_] == 200


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_threading_backend_continues_models(reg_data, mode):
    from joblib import parallel_backend

    X, y = reg_data
    kwargs = dict(
        scoring={"score": "r2", "fits": _history_len},
        refit="score",
        n_jobs=2,
        n_iter=20,
        mode=mode,
    )
    with parallel_backend("threading"):
        search = _search(**kwargs).fit(X, y)
    res = search.cv_results_
    np.testing.assert_array_equal(res["mean_test_fits"], res["rung"] + 1)
    if mode == "sync":
        reference = _search(**kwargs).fit(X, y).cv_results_
        assert reference["params"] == res["params"]
        np.testing.assert_array_equal(
            reference["mean_test_score"], res["mean_test_score"]
        )


def test_asha_warns_when_no_candidate_reaches_max_resource(reg_data):
    X, y = reg_data
    # 12 units at rungs 1, 3, 9, 27: rung 1 never holds 3 results
    with pytest.warns(HPOWarning, match="No candidate was scored at max_resource=27"):
        search = _search(mode="async", budget=12, max_resource=27).fit(X, y)
    res = search.cv_results_
    assert res["n_resources"].max() < 27
    assert res["n_resources"][search.best_index_] == res["n_resources"].max()


def test_a_rung_dispatches_the_longest_candidates_first(monkeypatch):
    # the jobs of a rung go longest first, by the time of the candidate's job
    # at the rung below (fits sleep 0, 20 or 40 ms whatever the resource)
    from sklearn_hpo.search._hyperband import _Run
    from sklearn_hpo.utils._testing import FaultyRegressor

    calls = []
    original = _Run.tasks

    def spy(self, c, r):
        cand = self.candidates[c]
        # promoted: scored at a lower rung already
        promoted = bool(np.isfinite(cand.levels).any())
        calls.append((r, promoted, cand.params["delay"]))
        return original(self, c, r)

    monkeypatch.setattr(_Run, "tasks", spy)
    X = np.zeros((200, 2))
    search = HyperbandSearchCV(
        FaultyRegressor(mode="sleep"),
        {"delay": [0.0, 0.02, 0.04], "x": uniform(0, 1)},
        resource="n_samples",
        min_resource=10,
        max_resource=90,
        cv=2,
        random_state=0,
    ).fit(X, np.zeros(200))
    assert search.cv_results_["rung"].max() == 2
    # consecutive calls at one resource are one rung's dispatch
    rungs, last = [], None
    for r, promoted, delay in calls:
        if (r, promoted) != last:
            rungs.append((promoted, []))
            last = (r, promoted)
        rungs[-1][1].append(delay)
    promoted = [delays for p, delays in rungs if p and len(delays) > 1]
    assert promoted  # rungs of promoted candidates with several of them
    for delays in promoted:
        assert delays == sorted(delays, reverse=True)
    # a bracket's first rung (nothing known) keeps the candidates' order
    first = [delays for p, delays in rungs if not p]
    assert any(d != sorted(d, reverse=True) for d in first)


# ----------------------------------------------- the refit started ahead
def _force_ahead(monkeypatch, pick=None):
    """Make ASHA's run end with a refit started ahead, as it does when the
    last jobs leave a worker idle; ``pick(candidates)`` chooses whose."""
    from sklearn_hpo.search import _hyperband

    original = _hyperband._Run.run_async
    started = []

    def run_async(self):
        original(self)
        if pick is not None:
            chosen = pick(self.candidates)
            for c in self.candidates:  # as if only ``chosen`` reached the top
                c.levels[-1] = 0.0 if c is chosen else np.nan
        ahead = self._refit_ahead(_hyperband._pick_ahead(self._levels(), []))
        started.append(ahead.params)
        self.ahead = ahead  # handed to the search when the run ends

    monkeypatch.setattr(_hyperband._Run, "run_async", run_async)
    return started


def test_refit_started_ahead_is_used_when_its_candidate_stays_best(
    reg_data, monkeypatch
):
    X, y = reg_data
    started = _force_ahead(monkeypatch)
    search = _search(mode="async", n_iter=20, max_resource=27).fit(X, y)
    assert started == [search.best_params_]
    assert search.refit_ahead_
    best = search.best_estimator_
    # the model fitted ahead: once, on all the data, at max_resource
    assert best.history_ == [27] and best.n_seen_ == len(X)
    assert best.x == search.best_params_["x"]
    assert search.refit_time_ >= 0
    # the stand-in for ``fit`` is gone: fitting again really fits
    assert "fit" not in best.__dict__
    best.fit(X[:10], y[:10])
    assert best.n_seen_ == 10


def test_refit_started_ahead_for_another_candidate_is_not_used(reg_data, monkeypatch):
    X, y = reg_data

    def worst(candidates):
        # the worst candidate at the first rung: not the best at the top
        scores = [c.levels[0] for c in candidates]
        return candidates[int(np.nanargmin(scores))]

    original = _search(mode="async", n_iter=20, max_resource=27).fit(X, y)
    started = _force_ahead(monkeypatch, pick=worst)
    search = _search(mode="async", n_iter=20, max_resource=27).fit(X, y)
    assert started[0] != search.best_params_
    assert not search.refit_ahead_
    assert search.best_estimator_.x == search.best_params_["x"]
    assert search.best_params_ == original.best_params_
    assert "fit" not in search.best_estimator_.__dict__


def test_the_refit_ahead_picks_the_winner_so_far_or_waits():
    from sklearn_hpo.search._hyperband import _pick_ahead

    nan, inf = float("nan"), float("inf")
    assert _pick_ahead(np.empty((0, 3)), []) is None
    # the best at the largest level with a success; failures never win
    levels = [[0.5, 0.6, nan], [0.9, -inf, nan], [0.7, 0.4, nan]]
    assert _pick_ahead(levels, []) == (0, 1)
    # a job in flight at that level may still win: the pick stays a guess
    assert _pick_ahead(levels, [(2, 1)]) == (0, 1)
    # one job in flight at a larger level wins unless it fails: its level
    # decides, so it is the pick (at that level)
    assert _pick_ahead(levels, [(1, 0), (0, 2)]) == (0, 2)
    # two there: not known yet
    assert _pick_ahead(levels, [(0, 2), (2, 2)]) is None
    # one success at level 0: the one job in flight at level 1 decides
    assert _pick_ahead([[-inf, nan], [0.3, nan]], [(1, 1)]) == (1, 1)
    # failures only: nothing to refit
    assert _pick_ahead([[-inf, nan], [-inf, nan]], []) is None


def _spy_refit_ahead(monkeypatch, record):
    """The list of ``record(run, pick)`` at each refit started ahead."""
    from sklearn_hpo.search import _hyperband

    calls = []
    original = _hyperband._Run._refit_ahead

    def spy(self, pick):
        calls.append(record(self, pick))
        return original(self, pick)

    monkeypatch.setattr(_hyperband._Run, "_refit_ahead", spy)
    return calls


def test_no_refit_ahead_for_a_callable_refit_or_an_open_sync_winner(
    reg_data, monkeypatch
):
    X, y = reg_data
    calls = _spy_refit_ahead(monkeypatch, lambda run, pick: run.search.refit)
    search = _search(
        mode="async", n_iter=30, max_resource=27, n_jobs=2, refit=lambda res: 0
    ).fit(X, y)
    assert calls == [] and not search.refit_ahead_ and search.best_index_ == 0
    # sync: two jobs at max_resource (27 candidates, then 3), so no certain winner
    search = _search(n_iter=30, max_resource=27, n_jobs=2).fit(X, y)
    assert calls == [] and not search.refit_ahead_
    assert (search.cv_results_["n_resources"] == 27).sum() == 2
    # one job at max_resource, but one worker: nothing to fill
    search = _search(n_iter=9, max_resource=9).fit(X, y)
    assert calls == [] and not search.refit_ahead_


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_async_two_workers_refit_matches_best_params(reg_data, backend):
    import joblib

    X, y = reg_data
    with joblib.parallel_backend(backend, n_jobs=2):
        search = _search(mode="async", n_iter=30, max_resource=27, n_jobs=2).fit(X, y)
    best = search.best_estimator_
    # ahead or not, the refit is the best row's parameters on all the data
    assert best.x == search.best_params_["x"] and best.history_ == [27]
    assert best.n_seen_ == len(X) and "fit" not in best.__dict__


def test_a_sampler_that_runs_dry_is_warned_about(reg_data):
    from sklearn_hpo.exceptions import SearchSpaceWarning

    X, y = reg_data
    # three distinct candidates in the space, twelve asked for
    with pytest.warns(
        SearchSpaceWarning,
        match=r"proposed 0 of the 1 new candidates asked for \(after 3",
    ):
        search = _search(
            space={"x": [0.1, 0.3, 0.5]}, n_iter=12, max_resource=9, mode="async"
        ).fit(X, y)
    assert len(set(search.cv_results_["candidate"])) == 3


def _pid(est, X, y=None):
    return float(os.getpid())


def test_async_jobs_fit_their_splits_in_one_worker_task(reg_data):
    # with several workers a job (one candidate at one rung) is one task:
    # its split fits run one after another in the same worker process
    X, y = reg_data
    search = _search(
        mode="async",
        n_iter=30,
        max_resource=27,
        n_jobs=2,
        scoring={"score": "r2", "pid": _pid},
        refit="score",
    ).fit(X, y)
    res = search.cv_results_
    np.testing.assert_array_equal(res["split0_test_pid"], res["split1_test_pid"])
    # ... of a worker, not of this process
    assert os.getpid() not in res["split0_test_pid"]


@pytest.mark.parametrize("sampler", ["random", "bayes"])
def test_sync_refits_the_only_candidate_at_max_resource_ahead(reg_data, sampler):
    X, y = reg_data
    # one bracket: 9 candidates at 1, 3 at 3, 1 at 9 (brackets side by side
    # with the random sampler, in turn with the GP)
    search = _search(n_iter=9, max_resource=9, n_jobs=2, sampler=sampler).fit(X, y)
    res = search.cv_results_
    assert (res["n_resources"] == 9).sum() == 1
    assert search.refit_ahead_
    best = search.best_estimator_
    # the model fitted ahead: once, on all the data, at max_resource
    assert best.history_ == [9] and best.n_seen_ == len(X)
    assert best.x == search.best_params_["x"] and "fit" not in best.__dict__
    # the same run with one worker, refitted after the search
    plain = _search(n_iter=9, max_resource=9, sampler=sampler).fit(X, y)
    assert plain.cv_results_["params"] == res["params"]
    assert plain.best_params_ == search.best_params_ and not plain.refit_ahead_


class _FailsAtNineInCV(ResourceObjective):
    # fails at 9 on the CV folds (30 rows), not on all 60 rows: its refit
    # ahead succeeds but must not be used, since the winner is another row
    def fit(self, X, y=None):
        if self.n_estimators >= 9 and len(X) < 60:
            raise ValueError("fails at 9")
        return super().fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_sync_refit_ahead_is_dropped_when_its_candidate_fails(reg_data, monkeypatch):
    import joblib

    X, y = reg_data
    calls = _spy_refit_ahead(monkeypatch, lambda run, pick: pick)
    with joblib.parallel_backend("threading", n_jobs=2):
        search = _search(
            estimator=_FailsAtNineInCV(), n_iter=9, max_resource=9, n_jobs=2
        ).fit(X, y)
    assert len(calls) == 1  # started for the last candidate ...
    assert not search.refit_ahead_  # ... which failed at 9 in CV: not used
    assert search.cv_results_["n_resources"][search.best_index_] == 3
    assert search.best_estimator_.history_ == [3]


def test_sync_refit_ahead_starts_with_the_last_candidate_of_the_bracket(
    reg_data, monkeypatch
):
    X, y = reg_data

    def n_jobs_done(run, pick):  # the (candidate, rung) pairs evaluated so far
        return int(sum((~np.isnan(c.levels)).sum() for c in run.candidates))

    started = _spy_refit_ahead(monkeypatch, n_jobs_done)
    # 6 candidates: 6 at 1, 2 at 3, then one left for 9 and 27
    search = _search(n_iter=6, max_resource=27, n_jobs=2).fit(X, y)
    res = search.cv_results_
    assert list(np.bincount(res["rung"])) == [6, 2, 1, 1]
    # started after the rungs at 1 and 3 (8 jobs), before the rung at 9
    assert started == [8] and search.refit_ahead_
    assert search.best_estimator_.history_ == [27]


def test_async_jobs_are_one_task_only_when_they_fill_the_workers(reg_data, monkeypatch):
    from joblib import parallel_backend

    from sklearn_hpo.search import _hyperband

    X, y = reg_data
    flags = []
    original = _hyperband._Run.tasks

    def spy(self, c, r, *, one_task=False):
        flags.append(one_task)
        return original(self, c, r, one_task=one_task)

    monkeypatch.setattr(_hyperband._Run, "tasks", spy)
    # 3 candidates for 4 workers: never as many jobs as workers, so the split
    # fits go as tasks of their own and the idle workers share them
    search = _search(mode="async", n_iter=3, max_resource=9, n_jobs=4)
    with parallel_backend("threading"):
        search.fit(X, y)
    assert flags and not any(flags)
    # many candidates for 2 workers: the first 3 jobs fill them
    flags.clear()
    with parallel_backend("threading"):
        _search(mode="async", n_iter=30, max_resource=9, n_jobs=2).fit(X, y)
    assert flags[:3] == [True, True, True]
