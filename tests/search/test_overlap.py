"""Overlapping batches (``overlap_batches=True`` of BayesSearchCV and
ParetoSearchCV).

The next batch is proposed before the current one is scored, with the current
batch pending (the GP samplers believe it at their posterior mean; a sampler
without ``pending`` sees it at the mean objective so far); proposals and
records keep a fixed order, so results do not depend on ``n_jobs``, the
backend or whether the batches really ran side by side.
"""

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklearn_hpo import BayesSearchCV, ParetoSearchCV
from sklearn_hpo.samplers import GPSampler
from sklearn_hpo.utils._testing import FaultyRegressor, SyntheticObjective

X_DUMMY = np.zeros((20, 2))
SPACE = {"x0": (0.0, 1.0), "x1": (0.0, 1.0)}
FAST = {"n_candidates": 256}


def _bayes(**kwargs):
    kwargs.setdefault("n_iter", 10)
    kwargs.setdefault("n_points", 2)
    kwargs.setdefault("overlap_batches", True)
    kwargs.setdefault("cv", 2)
    kwargs.setdefault("random_state", 0)
    # an initial design of one round (a longer one would go as one batch)
    kwargs.setdefault("optimizer_kwargs", {"n_initial_points": 2, **FAST})
    return BayesSearchCV(SyntheticObjective(), SPACE, **kwargs)


@pytest.fixture
def proposals(monkeypatch):
    """The ``(X, y, n, pending)`` each GPSampler.propose call saw, in order."""
    seen = []
    original = GPSampler.propose

    def spy(self, X, y, n, *, rng, pending=None):
        P = None if pending is None else np.array(pending)
        seen.append((np.array(X), np.array(y, dtype=float), n, P))
        return original(self, X, y, n, rng=rng, pending=pending)

    monkeypatch.setattr(GPSampler, "propose", spy)
    return seen


def _xy(params):
    return np.array([[p["x0"], p["x1"]] for p in params]).reshape(len(params), 2)


def test_a_batch_is_proposed_with_the_previous_one_pending(proposals):
    search = _bayes().fit(X_DUMMY)
    scores = search.cv_results_["mean_test_score"]
    params = search.cv_results_["params"]
    assert [n for _, _, n, _ in proposals] == [2] * 5
    assert proposals[0][3] is None  # nothing pending at the start
    # batch k >= 1 is proposed before batch k - 1 is scored: it sees batches
    # 0..k-2 scored and gets batch k - 1's points as ``pending``
    for k in range(1, 5):
        X, y, _, pending = proposals[k]
        n_scored = 2 * (k - 1)
        np.testing.assert_allclose(X, _xy(params[:n_scored]))
        np.testing.assert_allclose(y, scores[:n_scored])
        np.testing.assert_allclose(pending, _xy(params[n_scored : 2 * k]))


def test_a_sampler_without_pending_sees_pending_points_at_the_mean(
    proposals, monkeypatch
):
    # a sampler that does not take ``pending`` (a user's own, say) is shown
    # the pending points at the mean objective of the scored ones
    monkeypatch.setattr(GPSampler, "supports_pending", False)
    search = _bayes().fit(X_DUMMY)
    scores = search.cv_results_["mean_test_score"]
    X1, y1, _, P1 = proposals[1]
    assert len(X1) == 2 and np.isnan(y1).all() and P1 is None  # none scored
    for k in range(2, 5):
        X, y, _, pending = proposals[k]
        n_scored = 2 * (k - 1)
        assert pending is None and len(X) == 2 * k
        np.testing.assert_allclose(y[:n_scored], scores[:n_scored])
        np.testing.assert_allclose(y[n_scored:], np.mean(scores[:n_scored]))


def test_without_overlap_every_batch_sees_all_scores(proposals):
    search = _bayes(overlap_batches=False).fit(X_DUMMY)
    scores = search.cv_results_["mean_test_score"]
    for k, (X, y, _, pending) in enumerate(proposals):
        assert len(X) == 2 * k and pending is None
        np.testing.assert_allclose(y, scores[: 2 * k])


def test_overlap_is_off_by_default():
    kwargs = dict(n_points=3, cv=2)
    assert not BayesSearchCV(SyntheticObjective(), SPACE, **kwargs)._overlap_batches()
    pareto = ParetoSearchCV(
        SyntheticObjective(), SPACE, objectives=["score", "fit_time"], **kwargs
    )
    assert not pareto._overlap_batches()


@pytest.mark.parametrize(
    "backend, n_jobs", [("loky", 2), ("threading", 2), ("threading", 3)]
)
def test_results_do_not_depend_on_n_jobs_or_backend(backend, n_jobs, tmp_path):
    reference = _bayes().fit(X_DUMMY).cv_results_
    with joblib.parallel_backend(backend):
        # a checkpoint too: two batches' threads write to one SQLite file
        search = _bayes(n_jobs=n_jobs, checkpoint=tmp_path / "run.db")
        results = search.fit(X_DUMMY).cv_results_
    assert search._overlap_batches()
    assert results["params"] == reference["params"]
    np.testing.assert_array_equal(
        results["mean_test_score"], reference["mean_test_score"]
    )
    # and a resumed run finds every candidate in the checkpoint
    resumed = _bayes(n_jobs=n_jobs, checkpoint=tmp_path / "run.db").fit(X_DUMMY)
    assert resumed.n_resumed_ == 10
    assert resumed.cv_results_["params"] == reference["params"]


def test_pareto_overlapping_batches_do_not_depend_on_n_jobs():
    X, y = make_classification(120, 5, random_state=0)
    runs = [
        ParetoSearchCV(
            LogisticRegression(),
            {"C": (1e-2, 1e2, "log-uniform")},
            objectives=["accuracy", "balanced_accuracy"],
            scoring=["accuracy", "balanced_accuracy"],
            n_iter=8,
            n_points=2,
            n_initial_points=3,
            overlap_batches=True,
            cv=2,
            n_jobs=n_jobs,
            random_state=0,
        ).fit(X, y)
        for n_jobs in (1, 2)
    ]
    assert runs[0]._overlap_batches()
    a, b = (r.cv_results_ for r in runs)
    assert a["params"] == b["params"]
    np.testing.assert_array_equal(a["mean_test_accuracy"], b["mean_test_accuracy"])


def test_a_fit_error_is_raised_as_itself_with_batches_in_flight():
    # the candidates of the second subspace raise in fit
    search = BayesSearchCV(
        FaultyRegressor(),
        [{"x": (0.0, 1.0)}, {"x": (0.0, 1.0), "mode": ["raise"]}],
        n_iter=6,
        n_points=2,
        cv=2,
        n_jobs=2,
        random_state=0,
        error_score="raise",
        overlap_batches=True,
    )
    with pytest.raises(ValueError, match="asked to fail") as info:
        search.fit(X_DUMMY, np.zeros(20))
    assert "Traceback" in str(info.value.__cause__)  # the worker's traceback


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_stop_lets_the_batch_proposed_ahead_finish(n_jobs):
    calls = []

    def stop_after_first_batch(progress):
        calls.append(progress.n_candidates)
        return True

    search = _bayes(n_jobs=n_jobs).fit(X_DUMMY, callback=stop_after_first_batch)
    # the callback stopped after batch 0; batch 1 (proposed ahead) was
    # still scored and recorded, whatever n_jobs
    assert len(search.cv_results_["params"]) == 4
    assert calls[0] == 2


@pytest.mark.parametrize(
    "strategy, sampler", [("ehvi", "EHVISampler"), ("parego", "ParEGOSampler")]
)
def test_pareto_samplers_get_pending_points_and_a_one_batch_design(
    strategy, sampler, monkeypatch
):
    # ParetoSearchCV wraps its sampler (costs in log space): the wrapper
    # passes on ``pending`` and the initial design's size
    from sklearn_hpo import samplers

    cls = getattr(samplers, sampler)
    seen = []
    original = cls.propose

    def spy(self, X, y, n, *, rng, pending=None):
        seen.append((len(X), None if pending is None else len(pending)))
        return original(self, X, y, n, rng=rng, pending=pending)

    monkeypatch.setattr(cls, "propose", spy)
    X, y = make_classification(120, 5, random_state=0)
    calls = []
    ParetoSearchCV(
        LogisticRegression(),
        {"C": (1e-2, 1e2, "log-uniform")},
        objectives=["score", "fit_time"],
        strategy=strategy,
        n_iter=10,
        n_points=2,
        n_initial_points=4,
        overlap_batches=True,
        cv=2,
        random_state=0,
    ).fit(X, y, callback=lambda p: calls.append(p.n_candidates))
    # the 4 design points go as one batch; then rounds of 2, each proposed
    # with the previous round pending (not shown to the sampler as scored)
    assert calls == [4, 6, 8, 10]
    # (points scored, points pending) at each proposal
    assert seen == [(0, None), (0, 4), (4, 2), (6, 2)]
