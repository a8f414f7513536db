"""Real tuning: BayesSearchCV against scikit-optimize, Optuna, Sobol and random.

Side by side, in one run on one machine, with ``n_iter=30`` candidates each:

- ``sklearn_hpo.BayesSearchCV`` (default options),
- scikit-optimize's ``skopt.BayesSearchCV`` (default options; if it cannot be
  imported or fails with the installed numpy/scikit-learn, the error is shown
  in the table and the run goes on),
- Optuna's ``OptunaSearchCV`` (from ``optuna_integration``; default TPE
  sampler seeded from ``random_state``),
- ``sklearn_hpo.SobolSearchCV`` and scikit-learn's ``RandomizedSearchCV`` as
  baselines,

on three tasks built from data shipped with scikit-learn:

1. ``HistGradientBoostingClassifier`` with 6 hyperparameters (learning_rate
   and l2_regularization on a log scale, max_leaf_nodes, min_samples_leaf and
   max_iter integers, max_features real) on ``make_classification`` (2000 x
   20), ROC AUC, 3-fold CV (the slow task),
2. ``Pipeline(StandardScaler, SVC)`` with log-scale C and gamma on
   ``load_digits``, accuracy, 5-fold CV,
3. ``KernelRidge`` with log-scale alpha and gamma and the kernel (rbf or
   laplacian) on ``make_friedman1`` (600 x 10), R^2, 5-fold CV.

Every method gets the same space, translated to its own vocabulary
(scikit-optimize tuples for both BayesSearchCVs, ``FloatDistribution(log=True)``
/ ``IntDistribution`` / ``CategoricalDistribution`` for Optuna, scipy.stats
distributions and lists for SobolSearchCV and RandomizedSearchCV).

For each seed the data are split once into train (75%) and test (25%), and
every method of that seed searches the train part with the same shuffled
folds and ``random_state=seed``; the methods run interleaved within a seed, in
an order that rotates from one seed and task to the next (the machine may be
shared). Measured for each task and method, mean and standard deviation over
the seeds:

- best CV score (``best_score_``) and held-out score (the task's scorer on
  ``best_estimator_`` and the test part);
- wall time of ``fit`` and the search overhead, with ``n_jobs=1``::

      overhead = wall - (mean_fit_time + mean_score_time).sum() * n_splits_
                      - refit_time_

  i.e. everything the search spends outside the estimators' fit, score and
  the final refit (proposals, surrogate models, cloning, dispatch,
  bookkeeping), also given per candidate. All five searches expose the
  per-candidate ``mean_fit_time`` / ``mean_score_time`` in ``cv_results_`` and
  ``refit_time_`` (OptunaSearchCV included).

A second part times ``BayesSearchCV`` (ours and scikit-optimize's, both with
``n_points=2``) with ``n_jobs=2`` against ``n_jobs=1`` on one seed (HGB task;
SVC task with ``--quick``) and reports the speed-up wall(n_jobs=1) /
wall(n_jobs=2), and whether ours proposes the same candidates whatever
``n_jobs``, with ``RandomizedSearchCV`` as a control (the speed-up the fits
alone allow on the machine at that moment). The configurations run in ABBA
order, repeated (``--njobs-repeats``).

``OMP_NUM_THREADS=1`` is set in the environment at the top of this script,
before numpy and scikit-learn are imported (a value already set is
overridden), so each fit (HistGradientBoosting's OpenMP, BLAS) uses one
thread and ``n_jobs`` alone decides how many cores work: that is what makes
the ``n_jobs=2`` vs ``n_jobs=1`` comparison meaningful on a 2-core machine.

Run from the repository root, with scikit-optimize, optuna and
optuna-integration installed next to sklearn_hpo::

    python benchmarks/bench_bayes_tuning.py           # 3 seeds, ~20-25 min, 2 cores
    python benchmarks/bench_bayes_tuning.py --quick   # 1 seed, 2 tasks, < 5 min
    python benchmarks/bench_bayes_tuning.py --seeds 5 --tasks hgb svc
    python benchmarks/bench_bayes_tuning.py --only njobs  # part 3 alone, ~4 min

The Markdown report goes to stdout and progress to stderr, so
``> results.md`` keeps only the report. On a shared machine compare methods
within the run (they are interleaved), not absolute times across runs.
"""

import os

os.environ["OMP_NUM_THREADS"] = "1"  # before numpy/sklearn load their runtimes

import argparse  # noqa: E402
import collections  # noqa: E402
import gc  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from _env import base_versions as _base_versions  # noqa: E402
from _env import git_state as _git_state  # noqa: E402
from _env import run_lines as _run_lines  # noqa: E402
from _env import version as _version  # noqa: E402
from scipy.stats import loguniform, randint, uniform  # noqa: E402
from sklearn.datasets import (  # noqa: E402
    load_digits,
    make_classification,
    make_friedman1,
)
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.kernel_ridge import KernelRidge  # noqa: E402
from sklearn.metrics import get_scorer  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    KFold,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

import sklearn_hpo  # noqa: E402
from sklearn_hpo import BayesSearchCV, SobolSearchCV  # noqa: E402

try:
    from skopt import BayesSearchCV as SkoptBayesSearchCV
except Exception as exc:  # noqa: BLE001 - any import failure is reported
    SkoptBayesSearchCV = None
    SKOPT_IMPORT_ERROR = f"{type(exc).__name__}: {exc}"
else:
    SKOPT_IMPORT_ERROR = None

try:
    import optuna
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )
    from optuna_integration import OptunaSearchCV
except Exception as exc:  # noqa: BLE001
    OptunaSearchCV = None
    OPTUNA_IMPORT_ERROR = f"{type(exc).__name__}: {exc}"
else:
    OPTUNA_IMPORT_ERROR = None
    optuna.logging.set_verbosity(optuna.logging.WARNING)

N_ITER = 30
OURS = "BayesSearchCV (sklearn_hpo)"
SKOPT = "skopt BayesSearchCV"
OPTUNA = "OptunaSearchCV (TPE)"
SOBOL = "SobolSearchCV"
RANDOM = "RandomizedSearchCV"
METHODS = [OURS, SKOPT, OPTUNA, SOBOL, RANDOM]
TARGET_OVERHEAD_MS = 30.0

MODES = {
    "quick": {"seeds": 1, "tasks": ("svc", "kr"), "njobs_task": "svc", "repeats": 1},
    "default": {
        "seeds": 3,
        "tasks": ("hgb", "svc", "kr"),
        "njobs_task": "hgb",
        "repeats": 2,
    },
}


def log(msg):
    """Progress message on stderr (stdout holds the Markdown report)."""
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------- environment


def _load():
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def environment_report(mode):
    pools = "; ".join(
        f"{p.get('internal_api', p.get('user_api'))} {p.get('num_threads')} thread(s)"
        for p in threadpool_info()
    )
    return "\n".join(
        [
            "# Real tuning benchmark: BayesSearchCV vs scikit-optimize, Optuna, "
            "Sobol, random",
            "",
            *_run_lines(mode),
            f"- Versions: {_base_versions()}, scikit-optimize "
            f"{_version('scikit-optimize')}, optuna {_version('optuna')}, "
            f"optuna-integration {_version('optuna-integration')}, torch "
            f"{_version('torch')} (not used here), sklearn_hpo "
            f"{sklearn_hpo.__version__} ({_git_state()})",
            f"- Threads: `OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}` set "
            "by the script before any import, so every fit (HistGradientBoosting's "
            "OpenMP, BLAS) uses one thread and only `n_jobs` spreads work over "
            f"cores; thread pools seen by threadpoolctl: {pools or 'none loaded'}",
        ]
    )


# --------------------------------------------------------------------- tasks
# A space is a list of (name, kind, a, b): kind "log" / "real" (float range
# [a, b]), "int" (integers a..b inclusive) or "cat" (a = list of choices).
def _task_hgb():
    X, y = make_classification(
        n_samples=2000,
        n_features=20,
        n_informative=8,
        n_redundant=4,
        flip_y=0.05,
        class_sep=0.8,
        random_state=0,
    )
    return {
        "title": "HistGradientBoostingClassifier on make_classification "
        "(2000 x 20, 8 informative, 5% label noise), ROC AUC, 3-fold",
        "estimator": HistGradientBoostingClassifier(
            early_stopping=False, random_state=0
        ),
        "X": X,
        "y": y,
        "classifier": True,
        "n_splits": 3,
        "scoring": "roc_auc",
        "space": [
            ("learning_rate", "log", 1e-2, 0.5),
            ("max_leaf_nodes", "int", 4, 64),
            ("min_samples_leaf", "int", 2, 100),
            ("l2_regularization", "log", 1e-6, 10.0),
            ("max_features", "real", 0.2, 1.0),
            ("max_iter", "int", 20, 200),
        ],
    }


def _task_svc():
    X, y = load_digits(return_X_y=True)
    return {
        "title": "Pipeline(StandardScaler, SVC(rbf)) on load_digits (1797 x 64, "
        "10 classes), accuracy, 5-fold",
        "estimator": Pipeline([("scale", StandardScaler()), ("svc", SVC())]),
        "X": X,
        "y": y,
        "classifier": True,
        "n_splits": 5,
        "scoring": "accuracy",
        "space": [
            ("svc__C", "log", 1e-2, 1e3),
            ("svc__gamma", "log", 1e-5, 1.0),
        ],
    }


def _task_kr():
    X, y = make_friedman1(n_samples=600, noise=1.0, random_state=0)
    return {
        "title": "KernelRidge on make_friedman1 (600 x 10, noise 1), R^2, 5-fold",
        "estimator": KernelRidge(kernel="rbf"),
        "X": X,
        "y": y,
        "classifier": False,
        "n_splits": 5,
        "scoring": "r2",
        "space": [
            ("alpha", "log", 1e-4, 10.0),
            ("gamma", "log", 1e-3, 10.0),
            ("kernel", "cat", ["rbf", "laplacian"], None),
        ],
    }


TASKS = {"hgb": _task_hgb, "svc": _task_svc, "kr": _task_kr}


def skopt_space(space):
    """scikit-optimize style: used by both BayesSearchCVs."""
    out = {}
    for name, kind, a, b in space:
        if kind == "log":
            out[name] = (float(a), float(b), "log-uniform")
        elif kind == "real":
            out[name] = (float(a), float(b), "uniform")
        elif kind == "int":
            out[name] = (int(a), int(b))
        else:
            out[name] = list(a)
    return out


def optuna_space(space):
    out = {}
    for name, kind, a, b in space:
        if kind == "log":
            out[name] = FloatDistribution(a, b, log=True)
        elif kind == "real":
            out[name] = FloatDistribution(a, b)
        elif kind == "int":
            out[name] = IntDistribution(a, b)
        else:
            out[name] = CategoricalDistribution(list(a))
    return out


def scipy_space(space):
    """RandomizedSearchCV style: used by RandomizedSearchCV and SobolSearchCV."""
    out = {}
    for name, kind, a, b in space:
        if kind == "log":
            out[name] = loguniform(a, b)
        elif kind == "real":
            out[name] = uniform(a, b - a)
        elif kind == "int":
            out[name] = randint(a, b + 1)
        else:
            out[name] = list(a)
    return out


def make_search(method, task, cv, seed, *, n_jobs=1, n_points=None, n_iter=N_ITER):
    est = task["estimator"]
    common = {"scoring": task["scoring"], "cv": cv, "n_jobs": n_jobs}
    if method == OURS:
        extra = {} if n_points is None else {"n_points": n_points}
        return BayesSearchCV(
            est,
            skopt_space(task["space"]),
            n_iter=n_iter,
            random_state=seed,
            **extra,
            **common,
        )
    if method == SKOPT:
        if SkoptBayesSearchCV is None:
            raise ImportError(SKOPT_IMPORT_ERROR)
        extra = {} if n_points is None else {"n_points": n_points}
        return SkoptBayesSearchCV(
            est,
            skopt_space(task["space"]),
            n_iter=n_iter,
            random_state=seed,
            **extra,
            **common,
        )
    if method == OPTUNA:
        if OptunaSearchCV is None:
            raise ImportError(OPTUNA_IMPORT_ERROR)
        return OptunaSearchCV(
            est,
            optuna_space(task["space"]),
            n_trials=n_iter,
            random_state=seed,
            **common,
        )
    if method == SOBOL:
        return SobolSearchCV(
            est, scipy_space(task["space"]), n_iter=n_iter, random_state=seed, **common
        )
    return RandomizedSearchCV(
        est, scipy_space(task["space"]), n_iter=n_iter, random_state=seed, **common
    )


def _splitter(task, seed):
    cls = StratifiedKFold if task["classifier"] else KFold
    return cls(task["n_splits"], shuffle=True, random_state=seed)


def _split(task, seed):
    return train_test_split(
        task["X"],
        task["y"],
        test_size=0.25,
        random_state=seed,
        stratify=task["y"] if task["classifier"] else None,
    )


# ---------------------------------------------------------------- measuring
def _warning_key(w):
    msg = " ".join(str(w.message).split())
    return f"{w.category.__name__}: {msg[:110]}"


def run_one(method, task, seed, warn_counts, *, n_jobs=1, n_points=None, n_iter=N_ITER):
    """Fit one search; return a dict of measurements (or of the error)."""
    X_tr, X_te, y_tr, y_te = _split(task, seed)
    cv = _splitter(task, seed)
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            search = make_search(
                method, task, cv, seed, n_jobs=n_jobs, n_points=n_points, n_iter=n_iter
            )
            cpu0, t0 = time.process_time(), time.perf_counter()
            search.fit(X_tr, y_tr)
            wall = time.perf_counter() - t0
            cpu = time.process_time() - cpu0
        except Exception as exc:  # noqa: BLE001 - reported in the table
            log("".join(traceback.format_exception_only(exc)).strip())
            return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    for w in caught:
        warn_counts[method][_warning_key(w)] += 1
    res = search.cv_results_
    fit_t = np.asarray(res["mean_fit_time"], dtype=float)
    score_t = np.asarray(res["mean_score_time"], dtype=float)
    inner = float(np.nansum(fit_t + score_t)) * search.n_splits_
    refit = float(getattr(search, "refit_time_", math.nan))
    if "params" in res:
        params = res["params"]
    else:  # OptunaSearchCV's cv_results_ holds the trials' user attributes only
        params = [trial.params for trial in search.trials_]
    params = [tuple(sorted(p.items())) for p in params]
    n_cand = len(params)
    overhead = wall - inner - refit
    test = get_scorer(task["scoring"])(search.best_estimator_, X_te, y_te)
    return {
        "best_cv": float(search.best_score_),
        "test": float(test),
        "wall": wall,
        "cpu_share": cpu / wall,
        "inner": inner,
        "refit": refit,
        "overhead": overhead,
        "n_cand": n_cand,
        "n_unique": len(set(params)),
        "params": params,
        "best_params": dict(search.best_params_),
    }


def warm_up():
    """Imports, first calls and caches, out of the timed runs."""
    task = _task_kr()
    task = {**task, "X": task["X"][:120], "y": task["y"][:120], "n_splits": 2}
    counts = collections.defaultdict(collections.Counter)
    for method in METHODS:
        t0 = time.perf_counter()
        out = run_one(method, task, 0, counts, n_iter=12)
        log(
            f"warm-up {method}: {time.perf_counter() - t0:.1f} s {out.get('error', '')}"
        )


def run_main(cfg, task_keys):
    tasks = {k: TASKS[k]() for k in task_keys}
    results = {}  # (task, method) -> list over seeds of run_one dicts
    warn_counts = collections.defaultdict(collections.Counter)
    for seed in range(cfg["seeds"]):
        for t_idx, key in enumerate(task_keys):
            shift = (seed + t_idx) % len(METHODS)
            order = METHODS[shift:] + METHODS[:shift]
            for method in order:
                out = run_one(method, tasks[key], seed, warn_counts)
                results.setdefault((key, method), []).append(out)
                msg = out.get("error") or (
                    f"best CV {out['best_cv']:.4f}, test {out['test']:.4f}, wall "
                    f"{out['wall']:.1f} s, overhead {out['overhead']:.2f} s"
                )
                log(f"seed {seed} {key} {method}: {msg} [load {_load()}]")
    return tasks, results, warn_counts


def _spin(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_capacity(n=4_000_000, tasks=6):
    """Speed-up of 2 joblib (loky) workers over 1 on a pure-Python loop.

    About 2 on an idle 2-core machine; less when other processes (or other
    virtual machines on the same host) take CPU time.
    """
    times = []
    for n_jobs in (1, 2):
        t0 = time.perf_counter()
        joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(_spin)(n) for _ in range(tasks))
        times.append(time.perf_counter() - t0)
    return times[0] / times[1]


def run_njobs(cfg, task_key):
    task = TASKS[task_key]()
    # Start joblib's loky workers once, outside the timed runs.
    joblib.Parallel(n_jobs=2)(joblib.delayed(math.sqrt)(i) for i in range(8))
    counts = collections.defaultdict(collections.Counter)
    runs = {}  # (method, n_jobs) -> list of run_one dicts
    capacity = []
    for rep in range(cfg["repeats"]):
        capacity.append(parallel_capacity())
        order = [(OURS, 1), (SKOPT, 1), (RANDOM, 1), (RANDOM, 2), (SKOPT, 2), (OURS, 2)]
        if rep % 2:
            order = order[::-1]
        for method, n_jobs in order:
            n_points = None if method == RANDOM else 2
            out = run_one(method, task, 0, counts, n_jobs=n_jobs, n_points=n_points)
            runs.setdefault((method, n_jobs), []).append(out)
            msg = out.get("error") or f"wall {out['wall']:.1f} s"
            log(f"n_jobs part, repeat {rep}: {method} n_jobs={n_jobs}: {msg}")
    capacity.append(parallel_capacity())
    log(f"n_jobs part: pure-Python 2-worker speed-ups {capacity}")
    return task, runs, counts, capacity


# ---------------------------------------------------------------- reporting
def markdown_table(header, rows):
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(out)


def _ms(values, fmt=".4f"):
    values = np.asarray(values, dtype=float)
    if len(values) == 1:
        return f"{values[0]:{fmt}}"
    return f"{values.mean():{fmt}} ± {values.std(ddof=1):{fmt}}"


def _ok(runs):
    return [r for r in runs if "error" not in r]


def _space_text(space):
    parts = []
    for name, kind, a, b in space:
        if kind == "cat":
            parts.append(f"{name} in {a}")
        else:
            scale = {"log": "log", "real": "real", "int": "int"}[kind]
            parts.append(f"{name} in [{a:g}, {b:g}] ({scale})")
    return ", ".join(parts)


def report_main(cfg, tasks, results):
    n_seeds = cfg["seeds"]
    out = [
        "## 1. Best score, held-out score and search overhead",
        "",
        f"`n_iter={N_ITER}`, `n_jobs=1`, {n_seeds} seed(s) (mean ± std over seeds; "
        "each seed makes its own 75/25 train/test split and shuffled folds, shared "
        "by all methods, and is the `random_state` of every search). Overhead = "
        "wall - (mean_fit_time + mean_score_time).sum() * n_splits_ - refit_time_; "
        "ms/cand divides it by the number of candidates evaluated. CPU/wall is the "
        "search process's CPU time over its wall time (everything runs in that "
        "process with n_jobs=1 and one thread): about 1 when it had a core to "
        "itself, lower when the machine was busy, which inflates every time in the "
        "row. All methods use their default options.",
    ]
    for key, task in tasks.items():
        out += ["", f"### {task['title']}", "", f"Space: {_space_text(task['space'])}."]
        out += [""]
        rows = []
        for method in METHODS:
            runs = results[(key, method)]
            ok = _ok(runs)
            errors = sorted({r["error"] for r in runs if "error" in r})
            if not ok:
                rows.append([method, f"**failed**: {'; '.join(errors)}"] + [""] * 9)
                continue
            get = {k: [r[k] for r in ok] for k in ok[0] if k != "params"}
            per_cand = [1e3 * r["overhead"] / r["n_cand"] for r in ok]
            frac = [100 * r["overhead"] / r["wall"] for r in ok]
            share = [r["cpu_share"] for r in ok]
            note = (
                f" ({len(runs) - len(ok)} failed: {'; '.join(errors)})"
                if errors
                else ""
            )
            rows.append(
                [
                    method + note,
                    _ms(get["best_cv"]),
                    _ms(get["test"]),
                    _ms(get["wall"], ".1f"),
                    _ms(get["inner"], ".1f"),
                    _ms(get["refit"], ".2f"),
                    _ms(get["overhead"], ".2f"),
                    _ms(per_cand, ".1f"),
                    f"{np.mean(frac):.0f}%",
                    f"{np.mean(share):.2f}",
                    "/".join(str(n) for n in sorted(set(get["n_cand"])))
                    + (
                        ""
                        if get["n_unique"] == get["n_cand"]
                        else f" ({min(get['n_unique'])} distinct)"
                    ),
                ]
            )
        out.append(
            markdown_table(
                [
                    "method",
                    "best CV",
                    "test",
                    "wall s",
                    "fit+score s",
                    "refit s",
                    "overhead s",
                    "overhead ms/cand",
                    "overhead % wall",
                    "CPU/wall",
                    "candidates",
                ],
                rows,
            )
        )
        out += ["", _paired_line(key, results)]
    return "\n".join(out)


def _paired(key, results, other):
    ours, theirs = results[(key, OURS)], results[(key, other)]
    pairs = [
        (a["best_cv"], b["best_cv"])
        for a, b in zip(ours, theirs, strict=True)
        if "error" not in a and "error" not in b
    ]
    if not pairs:
        return None
    diff = np.array([a - b for a, b in pairs])
    wins, losses = int(np.sum(diff > 1e-12)), int(np.sum(diff < -1e-12))
    return diff.mean(), f"{wins}/{len(diff) - wins - losses}/{losses}"


def _paired_line(key, results):
    parts = []
    for other in METHODS[1:]:
        p = _paired(key, results, other)
        if p is not None:
            parts.append(f"{other} {p[0]:+.5f} (W/T/L {p[1]})")
    return "Best CV of ours minus: " + "; ".join(parts) + "."


def report_targets(tasks, results):
    out = [
        "## 2. Issue targets",
        "",
        "Target: best CV score at least that of scikit-optimize's BayesSearchCV and "
        "OptunaSearchCV on average, with an overhead of at most "
        f"{TARGET_OVERHEAD_MS:.0f} ms per candidate at n_iter={N_ITER}.",
        "",
    ]
    rows, all_diffs = [], {SKOPT: [], OPTUNA: []}
    for key, task in tasks.items():
        row = [task["title"].split(" on ")[0]]
        for other in (SKOPT, OPTUNA):
            p = _paired(key, results, other)
            if p is None:
                row.append("n/a")
            else:
                all_diffs[other].append(p[0])
                row.append(f"{p[0]:+.5f} ({'met' if p[0] >= 0 else '**missed**'})")
        ok = _ok(results[(key, OURS)])
        if ok:
            ms = np.mean([1e3 * r["overhead"] / r["n_cand"] for r in ok])
            met = "met" if ms <= TARGET_OVERHEAD_MS else "**missed**"
            row.append(f"{ms:.1f} ({met})")
        else:
            row.append("n/a")
        rows.append(row)
    avg = ["mean over tasks"]
    for other in (SKOPT, OPTUNA):
        d = all_diffs[other]
        avg.append(
            f"{np.mean(d):+.5f} ({'met' if np.mean(d) >= 0 else '**missed**'})"
            if d
            else "n/a"
        )
    avg.append("")
    rows.append(avg)
    out.append(
        markdown_table(
            [
                "task",
                "best CV ours - skopt",
                "best CV ours - Optuna",
                "ours overhead ms/cand",
            ],
            rows,
        )
    )
    return "\n".join(out)


def report_njobs(cfg, task, runs, capacity):
    out = [
        "## 3. n_jobs=2 vs n_jobs=1",
        "",
        f"{task['title']}; seed 0, `n_iter={N_ITER}`, `n_points=2` for both "
        f"BayesSearchCVs; {cfg['repeats']} repeat(s) of each configuration in ABBA "
        "order (mean ± std). Speed-up = mean wall(n_jobs=1) / mean wall(n_jobs=2); "
        "target: above 1 for ours (scikit-optimize's is not expected to be). "
        "RandomizedSearchCV (same 30 candidates whatever n_jobs, no model) is the "
        "control: its speed-up is what the fits alone allow on this machine at "
        "that moment (below 2 when another process competes for the cores).",
        "",
    ]
    rows = []
    for method in (OURS, SKOPT, RANDOM):
        one, two = _ok(runs[(method, 1)]), _ok(runs[(method, 2)])
        if not one or not two:
            errors = {
                r["error"] for nj in (1, 2) for r in runs[(method, nj)] if "error" in r
            }
            rows.append([method, f"**failed**: {'; '.join(sorted(errors))}"] + [""] * 6)
            continue
        w1, w2 = np.mean([r["wall"] for r in one]), np.mean([r["wall"] for r in two])
        same = all(r["params"] == one[0]["params"] for r in one + two)
        rows.append(
            [
                method,
                _ms([r["wall"] for r in one], ".1f"),
                _ms([r["wall"] for r in two], ".1f"),
                f"**{w1 / w2:.2f}**",
                _ms([r["overhead"] for r in one], ".1f"),
                _ms([r["best_cv"] for r in one])
                + " / "
                + _ms([r["best_cv"] for r in two]),
                "yes" if same else "no",
            ]
        )
    out.append(
        markdown_table(
            [
                "method",
                "wall s, n_jobs=1",
                "wall s, n_jobs=2",
                "speed-up",
                "overhead s (n_jobs=1)",
                "best CV n_jobs=1 / 2",
                "same candidates in all runs",
            ],
            rows,
        )
    )
    out += [
        "",
        "With `n_jobs=2` the overhead formula does not apply (fits overlap), so only "
        "wall times are compared. \"Same candidates\" compares `cv_results_['params']` "
        "of every run of the method (both n_jobs values, all repeats).",
        "",
        "Parallel capacity of the machine during this part: speed-up of 2 joblib "
        "workers over 1 on a pure-Python loop (no scikit-learn), measured before "
        "each repeat and at the end: "
        + ", ".join(f"{c:.2f}" for c in capacity)
        + " (about 2 on an idle 2-core machine).",
    ]
    return "\n".join(out)


def report_warnings(warn_counts, njobs_counts):
    out = [
        "## 4. Warnings raised during the timed searches",
        "",
        "Counted per method over all runs (sections 1 and 3); at most 4 distinct "
        "messages each, most frequent first.",
        "",
    ]
    rows = []
    for method in METHODS:
        counts = warn_counts[method] + njobs_counts[method]
        for msg, n in counts.most_common(4):
            rows.append([method, n, msg.replace("|", "\\|")])
        if not counts:
            rows.append([method, 0, "-"])
    out.append(markdown_table(["method", "count", "warning"], rows))
    return "\n".join(out)


# ---------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="1 seed, 2 tasks")
    parser.add_argument("--seeds", type=int, help="number of seeds (default 3)")
    parser.add_argument("--tasks", nargs="+", choices=sorted(TASKS), help="tasks")
    parser.add_argument(
        "--njobs-repeats",
        type=int,
        help="repeats of the n_jobs comparison, 0 to skip (default 2; 1 with --quick)",
    )
    parser.add_argument(
        "--only",
        choices=("main", "njobs"),
        help="run only the main comparison (parts 1-2) or the n_jobs part (3)",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "default"
    cfg = dict(MODES[mode])
    if args.seeds is not None:
        cfg["seeds"] = args.seeds
    if args.njobs_repeats is not None:
        cfg["repeats"] = args.njobs_repeats
    task_keys = tuple(args.tasks) if args.tasks else cfg["tasks"]

    start = time.perf_counter()
    print(environment_report(mode))
    print(
        f"- Methods: {', '.join(METHODS)}; scikit-optimize import: "
        f"{SKOPT_IMPORT_ERROR or 'ok'}; optuna_integration import: "
        f"{OPTUNA_IMPORT_ERROR or 'ok'}"
    )
    print(flush=True)
    warm_up()
    warn_counts = collections.defaultdict(collections.Counter)
    njobs_counts = collections.defaultdict(collections.Counter)
    if args.only in (None, "main"):
        t0 = time.perf_counter()
        tasks, results, warn_counts = run_main(cfg, task_keys)
        print(report_main(cfg, tasks, results))
        print(f"\n(part 1 took {time.perf_counter() - t0:.0f} s)\n")
        print(report_targets(tasks, results))
        print(flush=True)
    if args.only in (None, "njobs") and cfg["repeats"] > 0:
        t0 = time.perf_counter()
        task, runs, njobs_counts, capacity = run_njobs(cfg, cfg["njobs_task"])
        print(report_njobs(cfg, task, runs, capacity))
        print(f"\n(part 3 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
    print(report_warnings(warn_counts, njobs_counts))
    print(
        f"\nTotal time: {time.perf_counter() - start:.0f} s; load average at end "
        f"{_load()}"
    )


if __name__ == "__main__":
    main()
