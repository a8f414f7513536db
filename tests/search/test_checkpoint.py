"""checkpoint=: every finished candidate stored; resume replays, never refits."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sklearn_hpo import BayesSearchCV, ParetoSearchCV, SobolSearchCV
from sklearn_hpo.search import load_checkpoint
from tests.search import _slow

ROOT = Path(__file__).resolve().parents[2]
X, y = load_iris(return_X_y=True)
SPACE = {"C": (1e-2, 1e2, "log-uniform"), "gamma": (1e-3, 1e1, "log-uniform")}


def same_results(a, b):
    assert a["params"] == b["params"]
    for key in a:
        if key.startswith(("mean_test", "split", "rank_test")):
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def rows(path):
    try:
        with sqlite3.connect(path) as conn:
            return [r[0] for r in conn.execute("SELECT idx FROM candidates")]
    except sqlite3.OperationalError:  # not created yet
        return []


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: SobolSearchCV(SVC(), SPACE, n_iter=8, **kw),
        lambda **kw: BayesSearchCV(SVC(), SPACE, n_iter=8, n_points=2, **kw),
        lambda **kw: ParetoSearchCV(
            SVC(),
            SPACE,
            scoring=["accuracy", "balanced_accuracy"],
            objectives=["accuracy", "balanced_accuracy"],  # unlike costs, exact
            n_iter=8,
            n_initial_points=4,
            **kw,
        ),
    ],
    ids=["sobol", "bayes", "pareto"],
)
def test_resume_replays_every_stored_candidate(make, tmp_path):
    path = tmp_path / "run.db"
    reference = make(random_state=0).fit(X, y)
    first = make(random_state=0, checkpoint=path, n_jobs=2).fit(X, y)
    same_results(reference.cv_results_, first.cv_results_)
    assert first.n_resumed_ == 0 and sorted(rows(path)) == list(range(8))
    again = make(random_state=0, checkpoint=path).fit(X, y)
    assert again.n_resumed_ == 8  # nothing refitted
    same_results(reference.cv_results_, again.cv_results_)
    assert again.best_params_ == reference.best_params_


def test_resume_continues_with_a_larger_n_iter(tmp_path):
    path = tmp_path / "run.db"
    make = lambda n: BayesSearchCV(  # noqa: E731
        SVC(), SPACE, n_iter=n, random_state=3, checkpoint=path
    )
    make(5).fit(X, y)
    longer = make(9).fit(X, y)
    assert longer.n_resumed_ == 5
    reference = BayesSearchCV(SVC(), SPACE, n_iter=9, random_state=3).fit(X, y)
    same_results(reference.cv_results_, longer.cv_results_)


def test_random_state_none_is_stored_with_the_run(tmp_path):
    path = tmp_path / "run.db"
    a = SobolSearchCV(SVC(), SPACE, n_iter=4, checkpoint=path).fit(X, y)
    b = SobolSearchCV(SVC(), SPACE, n_iter=4, checkpoint=path).fit(X, y)
    assert b.n_resumed_ == 4
    assert a.cv_results_["params"] == b.cv_results_["params"]


@pytest.mark.parametrize(
    "change, what",
    [
        ({"param_distributions": {"C": (1e-1, 1e2, "log-uniform")}}, "search space"),
        ({"estimator": SVC(kernel="linear")}, "estimator"),
        ({"cv": 3}, "settings"),
        ({"random_state": 1}, "random_state"),
    ],
)
def test_a_changed_run_is_refused(change, what, tmp_path):
    path = tmp_path / "run.db"
    params = dict(param_distributions=SPACE, n_iter=4, random_state=0, cv=2)
    SobolSearchCV(SVC(), checkpoint=path, **params).fit(X, y)
    changed = SobolSearchCV(SVC(), checkpoint=path, **params).set_params(**change)
    with pytest.raises(ValueError, match=f"belongs to another run: .*{what}"):
        changed.fit(X, y)


def test_changed_data_is_refused(tmp_path):
    path = tmp_path / "run.db"
    SobolSearchCV(SVC(), SPACE, n_iter=4, random_state=0, checkpoint=path).fit(X, y)
    search = SobolSearchCV(SVC(), SPACE, n_iter=4, random_state=0, checkpoint=path)
    with pytest.raises(ValueError, match="the data"):
        search.fit(X[:-1], y[:-1])


def test_diverged_run_is_refused(tmp_path):
    path = tmp_path / "run.db"
    SobolSearchCV(SVC(), SPACE, n_iter=4, random_state=0, checkpoint=path).fit(X, y)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE candidates SET params = '{}' WHERE idx = 2")
    search = SobolSearchCV(SVC(), SPACE, n_iter=4, random_state=0, checkpoint=path)
    with pytest.raises(ValueError, match="candidate 2 .* diverged"):
        search.fit(X, y)


def test_load_checkpoint(tmp_path):
    path = tmp_path / "run.db"
    search = SobolSearchCV(SVC(), SPACE, n_iter=4, random_state=0, checkpoint=path)
    search.fit(X, y)
    frame = load_checkpoint(path)
    assert list(frame["candidate"]) == [0, 1, 2, 3]
    np.testing.assert_allclose(
        frame["mean_test_score"], search.cv_results_["mean_test_score"]
    )
    assert frame["params"][0] == repr(search.cv_results_["params"][0])
    assert frame.attrs["seed"] == "0"
    (tmp_path / "junk.db").write_text("not a database")
    with pytest.raises(ValueError, match="not a sklearn-hpo checkpoint"):
        load_checkpoint(tmp_path / "junk.db")


# -- interruption ---------------------------------------------------------

SLOW_SPACE = {"threshold": (0.0, 8.0), "delay": [0.0, 0.01, 0.02]}


def slow_search(path, **kw):
    return SobolSearchCV(
        _slow.SlowClassifier(),
        SLOW_SPACE,
        n_iter=16,
        cv=3,
        random_state=0,
        checkpoint=path,
        **kw,
    )


def test_keyboard_interrupt_keeps_the_finished_candidates(tmp_path, monkeypatch):
    path = tmp_path / "run.db"
    reference = slow_search(None).fit(X, y)
    order = [p["delay"] for p in reference.cv_results_["params"]]
    first_slowest = order.index(0.02)
    monkeypatch.setattr(_slow, "INTERRUPT_AT", 0.02)
    with pytest.raises(KeyboardInterrupt):
        slow_search(path).fit(X, y)
    assert sorted(rows(path)) == list(range(first_slowest))
    monkeypatch.setattr(_slow, "INTERRUPT_AT", None)
    resumed = slow_search(path).fit(X, y)
    assert resumed.n_resumed_ == first_slowest
    same_results(reference.cv_results_, resumed.cv_results_)


KILLED_RUN = """
import sys
sys.path.insert(0, {root!r})
from sklearn.datasets import load_iris
from sklearn_hpo import SobolSearchCV
from tests.search import _slow
from tests.search.test_checkpoint import SLOW_SPACE
X, y = load_iris(return_X_y=True)
est = _slow.SlowClassifier()
space = dict(SLOW_SPACE, delay=[0.1, 0.11, 0.12])
SobolSearchCV(est, space, n_iter=16, cv=3, random_state=0,
              checkpoint={path!r}).fit(X, y)
"""


def test_sigkill_mid_run_then_resume(tmp_path):
    path = str(tmp_path / "run.db")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN.format(root=str(ROOT), path=path)], env=env
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"the run ended (code {proc.returncode}) before the kill")
            if os.path.exists(path) and len(rows(path)) >= 3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("no candidate was stored within 120 s")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    stored = rows(path)
    assert 3 <= len(stored) < 16
    space = dict(SLOW_SPACE, delay=[0.1, 0.11, 0.12])
    make = lambda ck: SobolSearchCV(  # noqa: E731
        _slow.SlowClassifier(), space, n_iter=16, cv=3, random_state=0, checkpoint=ck
    )
    resumed = make(path).fit(X, y)
    assert resumed.n_resumed_ == len(stored)
    after = rows(path)
    assert sorted(after) == list(range(16))  # no duplicate, nothing missing
    reference = make(None).fit(X, y)
    same_results(reference.cv_results_, resumed.cv_results_)


# -- HyperbandSearchCV: jobs and their models are stored ---------------------


def _warm_hyperband(path):
    from sklearn_hpo import HyperbandSearchCV
    from sklearn_hpo.utils._testing import ResourceObjective

    return HyperbandSearchCV(
        ResourceObjective(warm_start=True, slope=0.001),
        {"x": (0.0, 1.0)},
        resource="n_estimators",
        min_resource=1,
        max_resource=27,
        cv=3,
        random_state=0,
        checkpoint=path,
    )


def test_hyperband_resume_continues_the_stored_models(tmp_path):
    from sklearn.datasets import make_regression

    from sklearn_hpo.utils._testing import ResourceObjective

    Xr, yr = make_regression(n_samples=60, n_features=2, random_state=0)
    path = tmp_path / "run.db"
    reference = _warm_hyperband(None).fit(Xr, yr)
    full = _warm_hyperband(path).fit(Xr, yr)
    same_results(reference.cv_results_, full.cv_results_)
    n_jobs = len(rows(path))
    assert n_jobs == len(reference.cv_results_["params"])
    # a run killed just before a rung that promotes candidates: drop that
    # rung's jobs and everything after them
    rung = np.asarray(reference.cv_results_["rung"])
    first = int(np.flatnonzero(rung >= 1)[-1])
    while rung[first - 1] >= 1:
        first -= 1
    n_promoted = int(np.sum(rung[first:] == rung[first]))
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM candidates WHERE idx >= ?", (first,))
    ResourceObjective.log.clear()
    resumed = _warm_hyperband(path).fit(Xr, yr)
    assert resumed.n_resumed_ == first
    same_results(reference.cv_results_, resumed.cv_results_)
    # the promoted candidates continued the models stored with their lower
    # rung (each split adds only the missing units) instead of starting over
    low, high = reference.cv_results_["n_resources"][[first - 1, first]]
    continued = ResourceObjective.log[: 3 * n_promoted]
    assert continued == [(high, high - low)] * (3 * n_promoted)
