"""Results do not depend on the joblib backend or on ``n_jobs``.

With a fixed ``random_state`` every search class proposes the same candidates
and records the same scores (``cv_results_`` params, split, mean, std and rank
of every test metric; not the times) run sequentially, with loky workers, with
threads and on a Dask ``LocalCluster`` (worker processes, loopback only). The
proposals run in the parent process between batches and the results come back
in submission order (see ``sklearn_hpo/search/_base.py``), so any difference
here is a bug.

One Dask cluster serves the whole module (starting it costs a few seconds);
its tests are skipped when ``distributed`` (the ``dask`` extra) is missing.
"""

import logging
import re

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklearn_hpo import NestedCV
from tests.contract._searches import SEARCHES, extra_results

pytestmark = pytest.mark.filterwarnings("ignore::sklearn_hpo.exceptions.HPOWarning")

search_classes = pytest.mark.parametrize(
    "make", list(SEARCHES.values()), ids=list(SEARCHES)
)

SPACE = {"C": (1e-2, 1e2, "log-uniform"), "fit_intercept": [True, False]}
# What must be equal: the candidates and every test score (times vary).
_COMPARED = re.compile(r"^(param_.*|(split\d+|mean|std|rank)_test_.*)$")


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=60, n_features=4, n_informative=3, n_redundant=0, random_state=0
    )


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed", reason="the dask extra")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _run(make, data, **kwargs):
    X, y = data
    search = make(LogisticRegression(), SPACE, cv=2, n_iter=4, random_state=7, **kwargs)
    return search.fit(X, y)


def _compared_keys(search):
    """The columns that must not depend on the backend: candidates, test
    scores and the columns a search adds (rungs, Pareto ranks...); not the
    times, and not ParetoSearchCV's ``model_size`` (see
    ``test_pareto_model_size_does_not_depend_on_the_process``)."""
    results = search.cv_results_
    keys = {k for k in results if _COMPARED.match(k)}
    keys |= extra_results(search) & set(results)
    return sorted(k for k in keys if "model_size" not in k)


def _assert_same_results(a, b):
    ra, rb = a.cv_results_, b.cv_results_
    assert ra["params"] == rb["params"]
    keys = _compared_keys(a)
    assert keys == _compared_keys(b)
    assert any(k.startswith("split0_test_") for k in keys)
    for key in keys:
        va, vb = np.asarray(ra[key]), np.asarray(rb[key])
        if va.dtype.kind == "f":
            np.testing.assert_array_equal(va, vb, err_msg=key)
        else:
            assert list(va) == list(vb), key
    assert a.best_index_ == b.best_index_
    assert a.best_params_ == b.best_params_


@pytest.fixture(scope="module")
def sequential(data):
    """The reference run of every search class: n_jobs=1."""
    return {name: _run(make, data, n_jobs=1) for name, make in SEARCHES.items()}


def _name(make):
    return next(name for name, m in SEARCHES.items() if m is make)


@search_classes
def test_loky_n_jobs_2_matches_sequential(make, data, sequential):
    _assert_same_results(_run(make, data, n_jobs=2), sequential[_name(make)])


@search_classes
def test_threading_backend_matches_sequential(make, data, sequential):
    with joblib.parallel_backend("threading", n_jobs=2):
        search = _run(make, data)
    _assert_same_results(search, sequential[_name(make)])


@search_classes
def test_dask_backend_matches_sequential(make, data, sequential, dask_client):
    from distributed import get_task_stream

    with get_task_stream(dask_client) as stream, joblib.parallel_backend("dask"):
        search = _run(make, data)
    _assert_same_results(search, sequential[_name(make)])
    # the fits really ran on the cluster's worker processes
    workers = {task["worker"] for task in stream.data}
    assert workers and workers <= set(dask_client.scheduler_info()["workers"])


def test_dask_backend_runs_asha_jobs_on_the_cluster(data, dask_client):
    # mode="async" sends each job's fits from a thread of its own; the
    # caller's backend must reach those threads (a joblib backend context is
    # per thread), else the fits silently go to loky
    from distributed import get_task_stream
    from sklearn.linear_model import SGDClassifier

    from sklearn_hpo import HyperbandSearchCV

    X, y = data
    search = HyperbandSearchCV(
        SGDClassifier(random_state=0),
        {"alpha": (1e-5, 1.0, "log-uniform")},
        resource="max_iter",
        max_resource=27,
        n_iter=6,
        mode="async",
        cv=2,
        n_jobs=2,
        random_state=0,
    )
    with get_task_stream(dask_client) as stream, joblib.parallel_backend("dask"):
        search.fit(X, y)
    # with two workers each job (a row: one candidate at one rung) is one
    # task that fits its splits
    n_jobs_run = len(search.cv_results_["params"])
    assert len(stream.data) >= n_jobs_run  # every job was a task there


def test_nested_cv_outer_scores_do_not_depend_on_n_jobs(data):
    X, y = data
    make = SEARCHES["SobolSearchCV"]
    runs = [
        NestedCV(
            make(LogisticRegression(), SPACE, cv=2, n_iter=4),
            outer_cv=3,
            n_jobs=n_jobs,
            random_state=0,
            refit=False,
        ).fit(X, y)
        for n_jobs in (None, 2)
    ]
    a, b = runs
    np.testing.assert_array_equal(
        a.outer_scores_.to_numpy(), b.outer_scores_.to_numpy()
    )
    assert list(a.fold_results_["params"]) == list(b.fold_results_["params"])
    np.testing.assert_array_equal(
        a.fold_results_["inner_best_score"], b.fold_results_["inner_best_score"]
    )


def test_pareto_model_size_does_not_depend_on_the_process(data, sequential):
    search = _run(SEARCHES["ParetoSearchCV"], data, n_jobs=2)
    for key in ("mean_test_model_size", "split0_test_model_size"):
        np.testing.assert_array_equal(
            search.cv_results_[key], sequential["ParetoSearchCV"].cv_results_[key]
        )
