"""Parallel efficiency of every search class, and the Dask backend's overhead.

Each search tunes a support-vector classifier (single-threaded libsvm fits of
~0.1-0.5 s) on a generated data set, and is timed with ``n_jobs=1``, with
``n_jobs=2`` on loky (joblib's default), and with ``n_jobs=2`` on the Dask
joblib backend (a ``LocalCluster`` of 2 worker processes x 1 thread on
127.0.0.1). The arms run interleaved within each repeat, in a rotating order,
and the table gives medians over repeats. Speed-up = time(n_jobs=1) /
time(n_jobs=2); the issue's target is at least 1.8 on 2 cores for every
search class. Dask overhead = time(dask) / time(loky). The candidates and
scores of the three arms are compared too (they must be identical).

The first row is no search: 12 fits of one SVC on the whole data set, each a
joblib task (``n_jobs=1``: a loop). Its speed-up is what the machine gives two
workers on perfectly balanced work of this kind (on a shared virtual machine,
two busy vCPUs may each run slower than one), the ceiling of every search's
speed-up in the same repeat; a search's speed-up divided by it is its
efficiency relative to the machine.

The loky workers are started before an arm is timed (a one-off cost of a
second or two per Python process, which a tuning run pays once; it is
printed). Utilization = CPU time of the worker processes / (2 x wall time),
from ``psutil`` when installed: on a shared virtual machine the CPU speed
varies from run to run, and utilization shows whether the workers were kept
busy independently of it.

Run::

    python benchmarks/bench_parallel.py            # 3 repeats
    python benchmarks/bench_parallel.py --quick    # 1 repeat, smaller data

BLAS/OpenMP threads are set to 1 before any import, so that a fit uses one
core and the workers are the only parallelism.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from _env import base_versions, git_state, run_lines, version  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from sklearn_hpo import (  # noqa: E402
    BayesSearchCV,
    HyperbandSearchCV,
    ParetoSearchCV,
    SobolSearchCV,
)

SPACE = {"C": (1e-1, 1e2, "log-uniform"), "gamma": (1e-3, 1e-1, "log-uniform")}
CAPACITY = "(no search) 12 equal SVC fits"


def _fit_svc(X, y):
    return SVC(C=1.0, gamma=0.01).fit(X, y).n_support_.tolist()


class EqualFits:
    """The machine's ceiling: 12 identical fits as joblib tasks (``fit`` and
    ``cv_results_`` as a search's, for the arms)."""

    def __init__(self, n_jobs, n_fits=12):
        self.n_jobs, self.n_fits = n_jobs, n_fits

    def fit(self, X, y):
        out = joblib.Parallel(n_jobs=self.n_jobs)(
            joblib.delayed(_fit_svc)(X, y) for _ in range(self.n_fits)
        )
        self.cv_results_ = {"params": [{}] * self.n_fits, "mean_test_n": out}
        return self


def searches(n_jobs):
    common = dict(cv=3, random_state=0, n_jobs=n_jobs, refit=False)
    two = ["accuracy", "balanced_accuracy"]

    def bayes(**kw):
        return BayesSearchCV(SVC(), SPACE, n_iter=16, n_points=2, **kw, **common)

    def pareto(**kw):
        return ParetoSearchCV(
            SVC(),
            SPACE,
            scoring=two,
            objectives=two,
            n_iter=16,
            n_points=2,
            n_initial_points=6,
            **kw,
            **common,
        )

    return {
        CAPACITY: EqualFits(n_jobs),
        "SobolSearchCV (n_iter=16)": SobolSearchCV(SVC(), SPACE, n_iter=16, **common),
        "BayesSearchCV (n_iter=16, n_points=2)": bayes(),
        "BayesSearchCV (n_iter=16, n_points=2, overlap_batches=True)": bayes(
            overlap_batches=True
        ),
        "ParetoSearchCV (n_iter=16, n_points=2)": pareto(),
        "ParetoSearchCV (n_iter=16, n_points=2, overlap_batches=True)": pareto(
            overlap_batches=True
        ),
        "HyperbandSearchCV (n_samples, 1 iteration)": HyperbandSearchCV(
            SVC(), SPACE, resource="n_samples", eta=3, **common
        ),
    }


def fingerprint(search):
    r = search.cv_results_
    scores = np.asarray(r["mean_test_" + _metric(r)], dtype=float)
    return (repr(r["params"]), np.round(scores, 12).tobytes())


def _metric(results):
    return next(k for k in results if k.startswith("mean_test_"))[len("mean_test_") :]


def _dask_cluster():
    """A LocalCluster of 2 processes x 1 thread and its client, or None."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return None
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    return cluster, Client(cluster)


def _workers_cpu():
    """CPU seconds used so far by this process's children (None without
    psutil); finished children are not counted, the loky and Dask workers
    live through a whole arm."""
    try:
        import psutil
    except ImportError:
        return None
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _timed_fit(name, arm, X, y):
    search = searches(1 if arm == "n_jobs=1" else 2)[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cpu = _workers_cpu()
        start = time.perf_counter()
        if arm.startswith("dask"):
            with joblib.parallel_backend("dask"):
                search.fit(X, y)
        else:
            search.fit(X, y)
        seconds = time.perf_counter() - start
        util = None
        if cpu is not None and arm != "n_jobs=1":
            util = (_workers_cpu() - cpu) / (2 * seconds)
        return seconds, util, fingerprint(search)


def _import_in_worker():
    import sklearn.svm  # noqa: F401

    import sklearn_hpo  # noqa: F401

    return os.getpid()


def _start_loky_workers():
    """Start the 2 loky workers (and their imports); return the seconds."""
    start = time.perf_counter()
    joblib.Parallel(n_jobs=2)(joblib.delayed(_import_in_worker)() for _ in range(4))
    return time.perf_counter() - start


def run(args):
    X, y = make_classification(
        n_samples=args.n_samples, n_features=20, n_informative=8, random_state=0
    )
    _fit_svc(X, y)  # warm-up in this process, so the first timed arm pays none
    arms = ["n_jobs=1", "loky n_jobs=2", "dask n_jobs=2"]
    try:
        import distributed  # noqa: F401
    except ImportError:
        arms.remove("dask n_jobs=2")
    names = list(searches(1))
    times = {(n, a): [] for n in names for a in arms}
    utils = {(n, a): [] for n in names for a in arms}
    prints = {(n, a): None for n in names for a in arms}
    for rep in range(args.repeats):
        order = arms[rep % len(arms) :] + arms[: rep % len(arms)]
        for arm in order:
            # the Dask cluster runs only during its arm (its idle workers and
            # the client's event loop would otherwise take CPU from the
            # others); its start-up is not timed, loky's worker start-up is
            # (warm after the first search of the arm)
            cluster = _dask_cluster() if arm.startswith("dask") else None
            if arm.startswith("loky"):
                print(f"  loky start-up: {_start_loky_workers():.2f} s", flush=True)
            try:
                for name in names:
                    seconds, util, prints[(name, arm)] = _timed_fit(name, arm, X, y)
                    times[(name, arm)].append(seconds)
                    if util is not None:
                        utils[(name, arm)].append(util)
                    more = "" if util is None else f", utilization {util:.2f}"
                    print(
                        f"  rep {rep} {name} {arm}: {seconds:.2f} s{more}", flush=True
                    )
            finally:
                if cluster is not None:
                    cluster[1].close()
                    cluster[0].close()
    return names, arms, times, utils, prints


def _speedups(times, name):
    one, two = times[(name, "n_jobs=1")], times[(name, "loky n_jobs=2")]
    return [a / b for a, b in zip(one, two, strict=True)]


def _relative_speedup(times, name):
    """Median over repeats of the speed-up over the machine's (the first
    row's) in the same repeat."""
    ratios = zip(_speedups(times, name), _speedups(times, CAPACITY), strict=True)
    return statistics.median(a / b for a, b in ratios)


def report(args, names, arms, times, utils, prints):
    lines = ["## Parallel efficiency (`bench_parallel.py`)", ""]
    lines += run_lines(f"{args.repeats} repeats, {args.n_samples} samples")
    lines.append(
        f"- Versions: {base_versions()}, dask {version('dask')}, "
        f"distributed {version('distributed')}; sklearn_hpo {git_state()}"
    )
    lines.append("")
    header = ["search"] + [f"{a} s" for a in arms] + ["speed-up (1 / loky 2)"]
    header.append("speed-up / the machine's")
    has_util = any(utils.values())
    if has_util:
        header += [f"utilization {a}" for a in arms[1:]]
    if "dask n_jobs=2" in arms:
        header += ["dask / loky", "same results"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for name in names:
        med = {a: statistics.median(times[(name, a)]) for a in arms}
        row = [name] + [f"{med[a]:.2f}" for a in arms]
        row.append(f"{med['n_jobs=1'] / med['loky n_jobs=2']:.2f}")
        row.append(f"{_relative_speedup(times, name):.2f}")
        if has_util:
            row += [
                f"{statistics.median(utils[(name, a)]):.2f}"
                if utils[(name, a)]
                else "-"
                for a in arms[1:]
            ]
        if "dask n_jobs=2" in arms:
            row.append(f"{med['dask n_jobs=2'] / med['loky n_jobs=2']:.2f}")
            same = len({prints[(name, a)] for a in arms}) == 1
            row.append("yes" if same else "NO")
        lines.append("| " + " | ".join(row) + " |")
    print("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-samples", type=int, default=3000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.n_samples = 1, 1000
    report(args, *run(args))


if __name__ == "__main__":
    main()
