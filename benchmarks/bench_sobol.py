"""Benchmark SobolSearchCV against RandomizedSearchCV and GridSearchCV.

Two things are measured, in one run on one machine, and printed as Markdown
(progress goes to stderr, so ``> results.md`` keeps only the report):

1. **Search overhead**: the wall time of ``fit`` minus the time spent inside
   the estimators' ``fit`` and scoring, with ``n_jobs=1`` and ``refit=False``
   (so there is no refit time to subtract)::

       overhead = wall - (mean_fit_time + mean_score_time).sum() * n_splits_

   It is what the search itself costs: generating candidates, cloning,
   splitting, dispatching through joblib, collecting ``cv_results_``. Cheap
   estimators (Ridge and DummyClassifier on 100 generated samples, 3-fold CV)
   make it visible. Every search gets the same number of candidates (the grid
   of GridSearchCV is built with exactly that many points) and the same
   ``param_distributions`` (scipy.stats distributions and lists: the drop-in
   case). The searches are interleaved inside each repeat, in an order that
   rotates from one repeat to the next, and the report gives medians over the
   repeats and the median of the paired ratios SobolSearchCV overhead /
   RandomizedSearchCV overhead (target: at most 1.05). A second table times
   the candidate generation alone (no fitting) to show where the difference
   comes from.

2. **Best score at equal budget**: the best mean cross-validated score found
   with 16 and 32 candidates (also 64 with ``--full``) over several seeds
   (each seed reshuffles the CV folds and seeds the sampler; all methods of a
   seed see the same folds), on two problems: StandardScaler + SVC(C, gamma)
   on load_breast_cancer and KernelRidge(alpha, gamma) on make_friedman1
   (``--full`` adds ElasticNet on a sparse make_regression, whose optimum is
   on the edge of the space, and SVC on load_digits). Compared: SobolSearchCV
   with the Sobol', Halton and LHS sequences (Sobol' only with ``--quick``),
   RandomizedSearchCV, and GridSearchCV on the largest near-square grid that
   does not exceed the budget.

Run from the repository root (sklearn_hpo installed)::

    python benchmarks/bench_sobol.py            # default, about 4 min on 2 cores
    python benchmarks/bench_sobol.py --quick    # about 1 min
    python benchmarks/bench_sobol.py --full     # bigger, roughly 30-40 min
    python benchmarks/bench_sobol.py --only overhead

BLAS/OpenMP threads are limited to 1 (``--blas-threads``), which keeps the
timings steadier on a shared machine. The machine may be shared and noisy:
compare ratios measured in the same run, not absolute times across runs.
"""

import argparse
import gc
import math
import sys
import time
import warnings

import numpy as np
from _env import base_versions as _base_versions  # noqa: E402
from _env import git_state as _git_state  # noqa: E402
from _env import run_lines as _run_lines  # noqa: E402
from scipy.stats import loguniform, randint, uniform
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    make_classification,
    make_friedman1,
    make_regression,
)
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import ElasticNet, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedKFold,
    check_cv,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

import sklearn_hpo
from sklearn_hpo import SobolSearchCV
from sklearn_hpo.exceptions import HPOWarning

MODES = {
    "quick": {
        "sizes": (16, 64),
        "repeats": 3,
        "problems": ("breast_cancer_svc", "friedman1_kernel_ridge"),
        "seeds": 3,
        "budgets": (16, 32),
        "sequences": ("sobol",),
    },
    "default": {
        "sizes": (16, 64, 256),
        "repeats": 9,
        "problems": ("breast_cancer_svc", "friedman1_kernel_ridge"),
        "seeds": 8,
        "budgets": (16, 32),
        "sequences": ("sobol", "halton", "lhs"),
    },
    "full": {
        "sizes": (16, 64, 256, 1024),
        "repeats": 15,
        "problems": (
            "breast_cancer_svc",
            "friedman1_kernel_ridge",
            "sparse_regression_enet",
            "digits_svc",
        ),
        "seeds": 10,
        "budgets": (16, 32, 64),
        "sequences": ("sobol", "halton", "lhs"),
    },
}

TARGET_RATIO = 1.05


def log(msg):
    """Progress message on stderr (stdout holds the Markdown report)."""
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------- environment


def environment_report(mode):
    lines = [
        "# SobolSearchCV benchmark",
        "",
        *_run_lines(mode),
        f"- Versions: {_base_versions()}, sklearn_hpo {sklearn_hpo.__version__} "
        f"({_git_state()})",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------- helpers
def markdown_table(header, rows):
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(out)


def grid_shape(budget, n_dims):
    """Points per dimension of the largest near-square grid of at most ``budget``."""
    shape = [1] * n_dims
    while True:
        i = int(np.argmin(shape))
        trial = shape.copy()
        trial[i] += 1
        if math.prod(trial) > budget:
            return shape
        shape = trial


def _two_factors(n):
    """``(a, b)`` with ``a * b == n``, ``a >= b``, as close to square as possible."""
    b = int(math.isqrt(n))
    while n % b:
        b -= 1
    return n // b, b


# ------------------------------------------------------------ part 1: overhead
def _ridge_scenario(n):
    X, y = make_regression(n_samples=100, n_features=5, noise=1.0, random_state=0)
    dists = {
        "alpha": loguniform(1e-4, 1e2),
        "fit_intercept": [True, False],
        "tol": loguniform(1e-6, 1e-2),
    }
    a, b = _two_factors(n // 2)
    grid = {
        "alpha": np.geomspace(1e-4, 1e2, a).tolist(),
        "fit_intercept": [True, False],
        "tol": np.geomspace(1e-6, 1e-2, b).tolist(),
    }
    return Ridge(), X, y, dists, grid


def _dummy_scenario(n):
    X, y = make_classification(n_samples=100, n_features=5, random_state=0)
    strategies = ["most_frequent", "prior", "stratified", "uniform"]
    dists = {"strategy": strategies, "random_state": randint(0, 10_000)}
    grid = {"strategy": strategies, "random_state": list(range(n // 4))}
    return DummyClassifier(), X, y, dists, grid


OVERHEAD_SCENARIOS = {
    "Ridge (alpha, tol, fit_intercept)": _ridge_scenario,
    "DummyClassifier (strategy, random_state)": _dummy_scenario,
}


def _timed_fit(search, X, y):
    """Return (wall seconds, overhead seconds) of one ``fit``."""
    gc.collect()
    t0 = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - t0
    res = search.cv_results_
    inner = float((res["mean_fit_time"] + res["mean_score_time"]).sum())
    inner *= search.n_splits_
    return wall, wall - inner, len(res["params"])


def _sobol_generation_time(search):
    """Seconds SobolSearchCV's engine takes to produce its candidates.

    Calls the private ``_run_search`` with a stand-in ``evaluate_candidates``
    that fits nothing; nan if the private API has changed.
    """
    try:
        # Set by BaseSearchCV.fit; older engines read it, newer ones do not.
        search._checked_cv_orig = check_cv(search.cv)

        def evaluate_candidates(candidate_params, cv=None, **kwargs):
            params = list(candidate_params)
            return {"params": params, "mean_test_score": np.zeros(len(params))}

        t0 = time.perf_counter()
        search._run_search(evaluate_candidates)
        return time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 - report n/a rather than fail
        log(f"  (Sobol generation timing unavailable: {exc!r})")
        return math.nan


def _generation_times(n, dists, grid, make_sobol, seed):
    t0 = time.perf_counter()
    list(ParameterSampler(dists, n, random_state=seed))
    t_random = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(ParameterGrid(grid))
    t_grid = time.perf_counter() - t0
    t_sobol = _sobol_generation_time(make_sobol())
    return {"Random": t_random, "Sobol": t_sobol, "Grid": t_grid}


def run_overhead(cfg):
    libs = ["Random", "Sobol", "Grid"]
    cv = 3

    def make(lib, est, dists, grid, n, seed):
        common = {"cv": cv, "refit": False, "n_jobs": 1}
        if lib == "Random":
            return RandomizedSearchCV(est, dists, n_iter=n, random_state=seed, **common)
        if lib == "Sobol":
            return SobolSearchCV(est, dists, n_iter=n, random_state=seed, **common)
        return GridSearchCV(est, grid, **common)

    # wall[(scenario, n, lib)] and over[...] are lists over repeats
    wall, over, gen = {}, {}, {}
    # Warm-up: one untimed fit of each search (imports, caches, joblib setup).
    for build in OVERHEAD_SCENARIOS.values():
        est, X, y, dists, grid = build(16)
        for lib in libs:
            make(lib, est, dists, grid, 16, 0).fit(X, y)

    for rep in range(cfg["repeats"]):
        log(f"overhead: repeat {rep + 1}/{cfg['repeats']}")
        for name, build in OVERHEAD_SCENARIOS.items():
            for n in cfg["sizes"]:
                est, X, y, dists, grid = build(n)
                shift = rep % len(libs)
                for lib in libs[shift:] + libs[:shift]:
                    search = make(lib, est, dists, grid, n, rep)
                    w, o, n_cand = _timed_fit(search, X, y)
                    if n_cand != n:
                        log(f"  WARNING: {lib} evaluated {n_cand} candidates, not {n}")
                    wall.setdefault((name, n, lib), []).append(w)
                    over.setdefault((name, n, lib), []).append(o)
                times = _generation_times(
                    n,
                    dists,
                    grid,
                    lambda est=est, dists=dists, n=n, rep=rep: SobolSearchCV(
                        est, dists, n_iter=n, random_state=rep, cv=cv
                    ),
                    rep,
                )
                for lib, t in times.items():
                    gen.setdefault((name, n, lib), []).append(t)
    return libs, wall, over, gen


def report_overhead(cfg, libs, wall, over, gen):
    out = [
        "## 1. Search overhead",
        "",
        "Overhead = wall time of `fit` - sum over candidates and splits of "
        "(fit_time + score_time), i.e. `wall - (mean_fit_time + "
        "mean_score_time).sum() * n_splits_`; `n_jobs=1`, `refit=False` (so no "
        f"refit time to subtract), 3-fold CV, 100 samples. Median over "
        f"{cfg['repeats']} interleaved repeats. Sobol-Random and Sobol/Random are "
        "the medians of the per-repeat differences and ratios (interquartile "
        "range in brackets); target <= "
        f"{TARGET_RATIO:.2f}.",
        "",
    ]
    header = [
        "estimator",
        "candidates",
        "Random ms",
        "Sobol ms",
        "Grid ms",
        "Sobol-Random ms",
        "Sobol/Random [IQR]",
        "Grid/Random",
        "target met",
        "overhead % of wall (Random)",
    ]
    rows, all_ratios = [], []
    for name in OVERHEAD_SCENARIOS:
        for n in cfg["sizes"]:
            med = {lib: np.median(over[(name, n, lib)]) * 1e3 for lib in libs}
            ratios = np.array(over[(name, n, "Sobol")]) / np.array(
                over[(name, n, "Random")]
            )
            grid_ratios = np.array(over[(name, n, "Grid")]) / np.array(
                over[(name, n, "Random")]
            )
            all_ratios.extend(ratios.tolist())
            q1, q2, q3 = np.percentile(ratios, [25, 50, 75])
            diff = np.median(
                np.array(over[(name, n, "Sobol")]) - np.array(over[(name, n, "Random")])
            )
            frac = np.median(
                np.array(over[(name, n, "Random")])
                / np.array(wall[(name, n, "Random")])
            )
            row = [
                name,
                n,
                f"{med['Random']:.1f}",
                f"{med['Sobol']:.1f}",
                f"{med['Grid']:.1f}",
                f"{1e3 * diff:+.1f}",
                f"{q2:.3f} [{q1:.3f}-{q3:.3f}]",
                f"{np.median(grid_ratios):.3f}",
                "yes" if q2 <= TARGET_RATIO else "**no**",
                f"{100 * frac:.0f}%",
            ]
            rows.append(row)
    out.append(markdown_table(header, rows))
    pooled = np.percentile(all_ratios, [25, 50, 75])
    out += [
        "",
        f"Pooled over all cells and repeats: Sobol/Random overhead ratio median "
        f"{pooled[1]:.3f} (IQR {pooled[0]:.3f}-{pooled[2]:.3f}); "
        f"{'meets' if pooled[1] <= TARGET_RATIO else 'misses'} the "
        f"{TARGET_RATIO:.2f} target.",
    ]
    out += [
        "",
        "### Candidate generation alone (no fitting)",
        "",
        "Median time to produce the candidates: `list(ParameterSampler(...))` for "
        "RandomizedSearchCV, `list(ParameterGrid(...))` for GridSearchCV, and "
        "SobolSearchCV's `_run_search` with a stand-in `evaluate_candidates` "
        "that fits nothing (parse the space, draw the scrambled Sobol' points, "
        "map, snap, de-duplicate).",
        "",
    ]
    rows = []
    for name in OVERHEAD_SCENARIOS:
        for n in cfg["sizes"]:
            med = {
                lib: np.median(gen[(name, n, lib)]) * 1e3
                for lib in ("Random", "Sobol", "Grid")
            }
            rows.append(
                [
                    name,
                    n,
                    f"{med['Random']:.2f}",
                    f"{med['Sobol']:.2f}",
                    f"{med['Grid']:.2f}",
                    f"{med['Sobol'] / med['Random']:.2f}",
                ]
            )
    out.append(
        markdown_table(
            [
                "estimator",
                "candidates",
                "ParameterSampler ms",
                "Sobol engine ms",
                "ParameterGrid ms",
                "Sobol/ParameterSampler",
            ],
            rows,
        )
    )
    return "\n".join(out)


# ------------------------------------------------------- part 2: best scores
def _breast_cancer_svc():
    X, y = load_breast_cancer(return_X_y=True)
    return {
        "title": "breast_cancer: StandardScaler + SVC(rbf), accuracy, 5-fold",
        "estimator": make_pipeline(StandardScaler(), SVC()),
        "X": X,
        "y": y,
        "dims": [("svc__C", 1e-2, 1e3, "log"), ("svc__gamma", 1e-5, 1e0, "log")],
        "cv": lambda seed: StratifiedKFold(5, shuffle=True, random_state=seed),
        "scoring": "accuracy",
    }


def _friedman1_kernel_ridge():
    X, y = make_friedman1(n_samples=200, noise=1.0, random_state=0)
    return {
        "title": "make_friedman1(200 x 10, noise 1): KernelRidge(rbf), R^2, 5-fold",
        "estimator": KernelRidge(kernel="rbf"),
        "X": X,
        "y": y,
        "dims": [("alpha", 1e-4, 1e1, "log"), ("gamma", 1e-2, 1e1, "log")],
        "cv": lambda seed: KFold(5, shuffle=True, random_state=seed),
        "scoring": "r2",
    }


def _sparse_regression_enet():
    # The best l1_ratio is 1 (a lasso), the upper end of the range, which a grid
    # with end points hits exactly: a grid-friendly problem, only in --full.
    X, y = make_regression(
        n_samples=150, n_features=200, n_informative=15, noise=30.0, random_state=0
    )
    return {
        "title": (
            "make_regression(150 x 200, 15 informative, noise 30): ElasticNet, "
            "R^2, 5-fold"
        ),
        "estimator": ElasticNet(max_iter=5000),
        "X": X,
        "y": y,
        "dims": [("alpha", 1e-3, 1e2, "log"), ("l1_ratio", 0.05, 1.0, "linear")],
        "cv": lambda seed: KFold(5, shuffle=True, random_state=seed),
        "scoring": "r2",
    }


def _digits_svc():
    X, y = load_digits(return_X_y=True)
    return {
        "title": "digits: StandardScaler + SVC(rbf), accuracy, 3-fold",
        "estimator": make_pipeline(StandardScaler(), SVC()),
        "X": X,
        "y": y,
        "dims": [("svc__C", 1e-2, 1e3, "log"), ("svc__gamma", 1e-5, 1e0, "log")],
        "cv": lambda seed: StratifiedKFold(3, shuffle=True, random_state=seed),
        "scoring": "accuracy",
    }


PROBLEMS = {
    "breast_cancer_svc": _breast_cancer_svc,
    "friedman1_kernel_ridge": _friedman1_kernel_ridge,
    "sparse_regression_enet": _sparse_regression_enet,
    "digits_svc": _digits_svc,
}


def _distributions(dims):
    out = {}
    for name, low, high, prior in dims:
        out[name] = (
            loguniform(low, high) if prior == "log" else uniform(low, high - low)
        )
    return out


def _grid(dims, budget):
    shape = grid_shape(budget, len(dims))
    out = {}
    for (name, low, high, prior), k in zip(dims, shape, strict=True):
        pts = (
            np.geomspace(low, high, k) if prior == "log" else np.linspace(low, high, k)
        )
        out[name] = pts.tolist()
    return out, shape


def run_scores(cfg, n_jobs):
    methods = [f"SobolSearchCV ({s})" for s in cfg["sequences"]]
    methods += ["RandomizedSearchCV", "GridSearchCV"]
    results = {}  # (problem, budget, method) -> list of (best_score, seconds)
    grid_shapes = {}
    for key in cfg["problems"]:
        prob = PROBLEMS[key]()
        dists = _distributions(prob["dims"])
        for budget in cfg["budgets"]:
            grid, shape = _grid(prob["dims"], budget)
            grid_shapes[(key, budget)] = shape
            for seed in range(cfg["seeds"]):
                log(f"scores: {key}, budget {budget}, seed {seed + 1}/{cfg['seeds']}")
                common = {
                    "scoring": prob["scoring"],
                    "cv": prob["cv"](seed),
                    "refit": False,
                    "n_jobs": n_jobs,
                }
                for method in methods:
                    est = prob["estimator"]
                    if method == "RandomizedSearchCV":
                        search = RandomizedSearchCV(
                            est, dists, n_iter=budget, random_state=seed, **common
                        )
                    elif method == "GridSearchCV":
                        search = GridSearchCV(est, grid, **common)
                    else:
                        sequence = method.split("(")[1].rstrip(")")
                        search = SobolSearchCV(
                            est,
                            dists,
                            n_iter=budget,
                            random_state=seed,
                            sequence=sequence,
                            **common,
                        )
                    t0 = time.perf_counter()
                    search.fit(prob["X"], prob["y"])
                    seconds = time.perf_counter() - t0
                    results.setdefault((key, budget, method), []).append(
                        (float(search.best_score_), seconds)
                    )
    return methods, results, grid_shapes


def report_scores(cfg, methods, results, grid_shapes, n_jobs):
    out = [
        "## 2. Best CV score at equal budget",
        "",
        f"Best mean CV score (`best_score_`) over {cfg['seeds']} seeds; each seed "
        "reshuffles the folds and seeds the sampler, and all methods of a seed "
        "use the same folds. The same scipy.stats distributions go to "
        "RandomizedSearchCV and SobolSearchCV; GridSearchCV gets the largest "
        "near-square grid of at most the budget (geometric spacing for log "
        "ranges, end points included). Delta = paired mean difference to "
        "RandomizedSearchCV; W/T/L = seeds where the method beat / tied / lost to "
        f"it. `n_jobs={n_jobs}`.",
    ]
    for key in cfg["problems"]:
        prob = PROBLEMS[key]()
        dims = ", ".join(
            f"{name} in [{low:g}, {high:g}] ({'log' if prior == 'log' else 'linear'})"
            for name, low, high, prior in prob["dims"]
        )
        out += ["", f"### {prob['title']}", "", f"Space: {dims}.", ""]
        rows = []
        for budget in cfg["budgets"]:
            ref = np.array([s for s, _ in results[(key, budget, "RandomizedSearchCV")]])
            for method in methods:
                scores = np.array([s for s, _ in results[(key, budget, method)]])
                secs = np.mean([t for _, t in results[(key, budget, method)]])
                if method == "GridSearchCV":
                    shape = grid_shapes[(key, budget)]
                    n_cand = f"{math.prod(shape)} ({' x '.join(map(str, shape))})"
                else:
                    n_cand = str(budget)
                if method == "RandomizedSearchCV":
                    delta, wtl = "-", "-"
                else:
                    diff = scores - ref
                    delta = f"{diff.mean():+.4f}"
                    wins = int(np.sum(diff > 1e-12))
                    losses = int(np.sum(diff < -1e-12))
                    wtl = f"{wins}/{len(diff) - wins - losses}/{losses}"
                rows.append(
                    [
                        budget,
                        method,
                        n_cand,
                        f"{scores.mean():.4f}",
                        f"{scores.std(ddof=1) if len(scores) > 1 else 0.0:.4f}",
                        delta,
                        wtl,
                        f"{secs:.2f}",
                    ]
                )
        out.append(
            markdown_table(
                [
                    "budget",
                    "method",
                    "candidates",
                    "mean best",
                    "std",
                    "Delta vs Random",
                    "W/T/L vs Random",
                    "mean fit s",
                ],
                rows,
            )
        )
    return "\n".join(out)


# ---------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="about 1 minute")
    size.add_argument("--full", action="store_true", help="more of everything")
    parser.add_argument(
        "--only",
        choices=("overhead", "scores"),
        help="run only one of the two parts",
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="n_jobs for the best-score part (the overhead part always uses 1)",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads, 0 for no limit (default 1: steadier timings "
        "on a shared machine)",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full" if args.full else "default"
    cfg = MODES[mode]

    # The budgets are powers of two; this only matters if someone edits them.
    warnings.filterwarnings(
        "ignore", message=".*not a power of two", category=HPOWarning
    )
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    limit = args.blas_threads if args.blas_threads > 0 else None
    with threadpool_limits(limits=limit):
        run(args, mode, cfg)


def run(args, mode, cfg):
    start = time.perf_counter()
    print(environment_report(mode))
    print(f"- BLAS/OpenMP threads: {args.blas_threads or 'no limit'}")
    print()
    if args.only in (None, "overhead"):
        t0 = time.perf_counter()
        libs, wall, over, gen = run_overhead(cfg)
        print(report_overhead(cfg, libs, wall, over, gen))
        print(f"\n(part 1 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
    if args.only in (None, "scores"):
        t0 = time.perf_counter()
        methods, results, shapes = run_scores(cfg, args.n_jobs)
        print(report_scores(cfg, methods, results, shapes, args.n_jobs))
        print(f"\n(part 2 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
    print(f"Total time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
