"""Benchmark our GP sampler / BayesSearchCV against scikit-optimize and Optuna.

Three things are measured, in one run on one machine, and printed as Markdown
(progress goes to stderr, so ``> results.md`` keeps only the report):

1. **Proposal overhead**: the median wall time of one propose + update step
   against the number of observations ``n`` (25, 50, 100, 200, 400, 1000) for
   ``d = 6`` and ``d = 12``, with a free objective (uniform random values).
   Each optimizer is pre-filled with ``n`` random points and values, takes one
   untimed warm-up step (reported apart as the "first step": for a GP it is the
   cold fit, without hyperparameters from a previous step), then a few timed
   steps (up to a per-cell time budget). The median is the headline; the mean
   over the same steps is reported too, since a sampler may do expensive work
   every k-th step only (ours refits its GP hyperparameters from random
   restarts every 10 calls: 10 timed steps hold one such refit). One step is:

   - scikit-optimize ``Optimizer`` (GP, its defaults): ``ask()`` + ``tell(x, y)``
     (``tell`` refits the GP and optimizes the acquisition for the next ask);
   - Optuna ``GPSampler`` and ``TPESampler`` (their defaults): ``study.ask(...)``
     + ``study.tell(...)``, the study pre-filled with ``study.add_trials``;
   - ours (``sklearn_hpo.samplers.GPSampler``) and ours-sobol
     (``QMCSampler("sobol")``): ``propose(X, y, 1, rng=rng)`` on the full history
     + appending the new point to ``X`` and ``y``.

   Slow cells are capped: a method whose step time at the previous ``n``,
   extrapolated quadratically, exceeds ``--step-cap`` seconds is skipped at
   larger ``n`` ("skipped"), and a method whose warm-up step alone exceeds the
   cap is timed on that one step and skipped above.

2. **Sample efficiency**: simple regret ``f(best point found) - f*`` after a
   fixed budget of evaluations (50; 80 for ``d >= 8``) on Branin (d=2),
   Hartmann-6, Ackley-10 (domain [-32.768, 32.768]^10) and Rosenbrock-4 (domain
   [-5, 10]^4), minimized, over 10 seeds (3 with ``--quick``): mean and median
   regret and the mean rank of each method per function (rank 1 = lowest
   regret among the methods of that seed; ties share the average rank).
   Every method works on the unit cube, mapped linearly onto the box:
   scikit-optimize ``gp_minimize`` (its defaults: 10 random initial points,
   gp_hedge), Optuna ``GPSampler`` and ``TPESampler`` (their defaults), uniform
   random search, ours-sobol and ours (a sequential loop of ``propose(..., 1)``
   maximizing ``-f``). Runs go to ``--jobs`` worker processes (default 2);
   the regrets do not depend on it, the seconds per run do a little.

3. **Real tuning**: ``StandardScaler + SVC(rbf)`` on load_breast_cancer (a
   stratified 75/25 split per seed), log-uniform ``C`` in [1e-2, 1e3] and
   ``gamma`` in [1e-5, 1], accuracy with shuffled 5-fold CV, ``n_iter=30``,
   ``n_jobs=1``, ``refit=False``, 5 seeds (1 with ``--quick``). Compared:
   scikit-optimize's BayesSearchCV, OptunaSearchCV (optuna-integration; default
   TPE and with GPSampler), RandomizedSearchCV, our SobolSearchCV and our
   BayesSearchCV. Reported: best CV score, held-out accuracy of the best
   parameters refit on the training split, wall time of ``fit`` and the search
   overhead per candidate::

       overhead = (wall - (mean_fit_time + mean_score_time).sum() * n_splits)
                  / n_candidates

Ours is imported lazily: while ``sklearn_hpo.samplers.GPSampler`` (or
``sklearn_hpo.BayesSearchCV``) does not exist, its column says "not available"
and everything else runs. The same holds for scikit-optimize, Optuna and
optuna-integration.

Competitors need their own environment (the package's venv does not hold
them), for instance::

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install torch==2.13.0
    /work/bench-venv/bin/pip install -e . scikit-optimize optuna greenlet \\
        "optuna-integration[sklearn]"

(greenlet is Optuna's optional dependency for its batched L-BFGS-B; without
it Optuna's GPSampler warns and runs slower.)

Run from the repository root::

    /work/bench-venv/bin/python benchmarks/bench_bayes.py           # ~25 min
    /work/bench-venv/bin/python benchmarks/bench_bayes.py --quick   # ~5 min
    /work/bench-venv/bin/python benchmarks/bench_bayes.py --only overhead

BLAS/OpenMP threads (numpy, scipy, torch) are limited to 1: the environment
variables are set before numpy is imported, and threadpoolctl limits them again
in every process. The machine may be shared and noisy: compare methods measured
in the same run, not absolute times across runs.
"""

import os

# Before numpy (and torch) are imported, here and in the worker processes that
# inherit the environment.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from _env import base_versions as _base_versions  # noqa: E402
from _env import git_state as _git_state  # noqa: E402
from _env import run_lines as _run_lines  # noqa: E402
from _env import version as _version  # noqa: E402
from scipy.stats import loguniform, rankdata  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

import sklearn_hpo  # noqa: E402

MODES = {
    "quick": {
        "sizes": (25, 50, 100, 200),
        "dims": (6,),
        "max_steps": 10,
        "cell_budget": 6.0,
        "step_cap": 10.0,
        "seeds": 3,
        "tuning_seeds": 1,
    },
    "default": {
        "sizes": (25, 50, 100, 200, 400, 1000),
        "dims": (6, 12),
        "max_steps": 10,
        "cell_budget": 12.0,
        "step_cap": 20.0,
        "seeds": 10,
        "tuning_seeds": 5,
    },
}

OVERHEAD_METHODS = ("skopt", "optuna-gp", "optuna-tpe", "ours-sobol", "ours")
REGRET_METHODS = (
    "skopt",
    "optuna-gp",
    "optuna-tpe",
    "random",
    "ours-sobol",
    "ours",
)
LABELS = {
    "skopt": "skopt GP",
    "optuna-gp": "Optuna GP",
    "optuna-tpe": "Optuna TPE",
    "random": "random",
    "ours-sobol": "ours-sobol",
    "ours": "ours (GP)",
}
N_INITIAL = 10  # initial (space-filling or random) points of every GP method

# Targets of the issue, checked in the report.
TARGET_STEP_200_12 = 0.050
TARGET_STEP_1000 = 0.3


def log(msg):
    """Progress message on stderr (stdout holds the Markdown report)."""
    print(msg, file=sys.stderr, flush=True)


def _quiet():
    """Silence the competitors' chatter (called in every process)."""
    warnings.filterwarnings("ignore")
    try:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
    except ImportError:
        pass


# --------------------------------------------------------------- environment


def source_fingerprint():
    """Short hash of sklearn_hpo's Python sources, to notice edits during a run."""
    root = os.path.dirname(os.path.abspath(sklearn_hpo.__file__))
    h = hashlib.sha1()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                h.update(os.path.relpath(path, root).encode())
                with open(path, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()[:12]


def _blas():
    infos = [
        f"{i.get('internal_api')} {i.get('version')} "
        f"({i.get('architecture')}, {i.get('num_threads')} thread(s))"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    return "; ".join(dict.fromkeys(infos)) or "unknown"


def environment_report(mode):
    lines = [
        "# BayesSearchCV / GP sampler benchmark",
        "",
        *_run_lines(mode),
        f"- Versions: {_base_versions()}, scikit-optimize "
        f"{_version('scikit-optimize')}, optuna {_version('optuna')}, "
        f"optuna-integration {_version('optuna-integration')}, torch "
        f"{_version('torch')}, greenlet {_version('greenlet')}, "
        f"sklearn_hpo {sklearn_hpo.__version__} "
        f"({_git_state()}; sources {source_fingerprint()})",
        f"- BLAS: {_blas()}; OMP/OPENBLAS/MKL_NUM_THREADS=1 and threadpoolctl "
        "limit 1 in every process",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------- helpers
def markdown_table(header, rows):
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(out)


def fmt_time(seconds):
    if seconds is None or not np.isfinite(seconds):
        return "-"
    if seconds < 1e-2:
        return f"{seconds * 1e3:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_num(x):
    if not np.isfinite(x):
        return "nan"
    if x == 0:
        return "0"
    if abs(x) >= 1e4 or abs(x) < 1e-3:
        return f"{x:.2e}"
    return f"{x:.4g}"


def _short_error(exc):
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = msg.replace("|", "/")
    if len(msg) > 80:
        msg = msg[:77] + "..."
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


# ------------------------------------------------ availability of each method
def _ours_gp_sampler():
    """A new GPSampler for the unit cube (maximizing), or raise ImportError."""
    from sklearn_hpo.samplers import GPSampler

    try:
        return GPSampler(dimensions=None, n_initial_points=N_INITIAL)
    except TypeError:  # an interface other than the planned one
        return GPSampler()


def _sobol_sampler():
    from sklearn_hpo.samplers import QMCSampler

    return QMCSampler("sobol")


def availability():
    """``{method: None if usable else reason}``."""
    out = {"random": None}
    try:
        import skopt  # noqa: F401

        out["skopt"] = None
    except Exception as exc:  # ImportError, or an import-time crash
        out["skopt"] = f"not available ({_short_error(exc)})"
    try:
        from optuna.samplers import GPSampler, TPESampler  # noqa: F401

        out["optuna-tpe"] = None
        try:
            import torch  # noqa: F401

            out["optuna-gp"] = None
        except ImportError as exc:
            out["optuna-gp"] = f"not available ({_short_error(exc)})"
    except Exception as exc:
        out["optuna-tpe"] = out["optuna-gp"] = f"not available ({_short_error(exc)})"
    try:
        _sobol_sampler()
        out["ours-sobol"] = None
    except Exception as exc:
        out["ours-sobol"] = f"not available ({_short_error(exc)})"
    try:
        _ours_gp_sampler()
        out["ours"] = None
    except ImportError:
        out["ours"] = "not available (no sklearn_hpo.samplers.GPSampler yet)"
    except Exception as exc:
        out["ours"] = f"not available ({_short_error(exc)})"
    return out


# ---------------------------------------------------- part 1: step overhead
class SamplerStepper:
    """A sklearn_hpo sampler: ``propose`` on the whole history, then append."""

    def __init__(self, sampler, d, seed):
        self.sampler = sampler
        self.rng = np.random.default_rng(seed)
        self.X = np.empty((0, d))
        self.y = np.empty(0)

    def prefill(self, X, y):
        self.X, self.y = X.copy(), y.copy()

    def step(self, value):
        x = self.sampler.propose(self.X, self.y, 1, rng=self.rng)
        self.X = np.vstack([self.X, np.asarray(x, dtype=np.float64)[:1]])
        self.y = np.append(self.y, value)


class SkoptStepper:
    """scikit-optimize's Optimizer with a GP (its defaults): ask + tell."""

    def __init__(self, d, seed):
        from skopt import Optimizer

        self.opt = Optimizer(
            [(0.0, 1.0)] * d,
            base_estimator="GP",
            n_initial_points=N_INITIAL,
            random_state=seed,
        )

    def prefill(self, X, y):
        self.opt.tell(X.tolist(), [float(v) for v in y])

    def step(self, value):
        x = self.opt.ask()
        self.opt.tell(x, float(value))


class OptunaStepper:
    """An Optuna study with a given sampler: ask + tell."""

    def __init__(self, kind, d, seed):
        import optuna
        from optuna.distributions import FloatDistribution

        sampler = (
            optuna.samplers.GPSampler(seed=seed)
            if kind == "gp"
            else optuna.samplers.TPESampler(seed=seed)
        )
        self.optuna = optuna
        self.study = optuna.create_study(sampler=sampler, direction="maximize")
        self.dists = {f"x{i}": FloatDistribution(0.0, 1.0) for i in range(d)}

    def prefill(self, X, y):
        create = self.optuna.trial.create_trial
        self.study.add_trials(
            [
                create(
                    params={f"x{i}": float(v) for i, v in enumerate(row)},
                    distributions=self.dists,
                    value=float(val),
                )
                for row, val in zip(X, y, strict=True)
            ]
        )

    def step(self, value):
        trial = self.study.ask(self.dists)
        self.study.tell(trial, float(value))


def make_stepper(method, d, seed):
    if method == "skopt":
        return SkoptStepper(d, seed)
    if method == "optuna-gp":
        return OptunaStepper("gp", d, seed)
    if method == "optuna-tpe":
        return OptunaStepper("tpe", d, seed)
    if method == "ours-sobol":
        return SamplerStepper(_sobol_sampler(), d, seed)
    if method == "ours":
        return SamplerStepper(_ours_gp_sampler(), d, seed)
    raise ValueError(method)


def time_cell(method, d, n, cfg, seed=0):
    """Pre-fill, one warm-up step, then timed steps; returns a result dict."""
    rng = np.random.default_rng([seed, d, n])
    X = rng.random((n, d))
    y = rng.random(n)
    values = rng.random(cfg["max_steps"] + 1)
    stepper = make_stepper(method, d, seed)
    t0 = time.perf_counter()
    stepper.prefill(X, y)
    prefill = time.perf_counter() - t0
    gc.collect()
    t0 = time.perf_counter()
    stepper.step(values[0])
    first = time.perf_counter() - t0
    times = []
    if first <= cfg["step_cap"]:
        spent = 0.0
        while len(times) < cfg["max_steps"]:
            # Always at least one timed step; then stop before the cell budget.
            if times and spent + times[-1] > cfg["cell_budget"]:
                break
            t0 = time.perf_counter()
            stepper.step(values[len(times) + 1])
            times.append(time.perf_counter() - t0)
            spent += times[-1]
    else:
        times = [first]
    return {
        "median": float(np.median(times)),
        "mean": float(np.mean(times)),
        "first": first,
        "prefill": prefill,
        "steps": len(times),
        "capped": first > cfg["step_cap"],
    }


def run_overhead(cfg, avail):
    methods = [m for m in OVERHEAD_METHODS if avail[m] is None]
    res = {}  # (method, d, n) -> dict, or a string (skipped / failed)
    for d in cfg["dims"]:
        for method in methods:
            prev = None  # (n, median) of the last measured cell
            dead = None
            for n in cfg["sizes"]:
                if dead is not None:
                    res[(method, d, n)] = dead
                    continue
                if prev is not None:
                    estimate = prev[1] * (n / prev[0]) ** 2
                    if estimate > cfg["step_cap"]:
                        dead = f"skipped (> {cfg['step_cap']:g} s/step)"
                        res[(method, d, n)] = dead
                        log(f"overhead: {method} d={d} n={n}: {dead}")
                        continue
                log(f"overhead: {method} d={d} n={n} ...")
                try:
                    cell = time_cell(method, d, n, cfg)
                except Exception as exc:
                    dead = f"failed: {_short_error(exc)}"
                    res[(method, d, n)] = dead
                    log(f"  {dead}")
                    continue
                res[(method, d, n)] = cell
                log(
                    f"  median {fmt_time(cell['median'])} over {cell['steps']} "
                    f"step(s), first {fmt_time(cell['first'])}, pre-fill "
                    f"{fmt_time(cell['prefill'])}"
                )
                prev = (n, cell["median"])
                if cell["capped"]:
                    dead = f"skipped (> {cfg['step_cap']:g} s/step)"
    return methods, res


def _slope(method, d, cfg, res):
    """Least-squares log-log slope of the step time over the n >= 100 cells."""
    pts = [
        (n, res[(method, d, n)]["median"])
        for n in cfg["sizes"]
        if n >= 100 and isinstance(res.get((method, d, n)), dict)
    ]
    if len(pts) < 2:
        return "-"
    ln, lt = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
    return f"{np.polyfit(ln, lt, 1)[0]:.2f}"


def report_overhead(cfg, avail, methods, res):
    out = [
        "## 1. Proposal overhead (free objective)",
        "",
        "Median wall time of one propose + update step with `n` observations "
        "already in the history (uniform random points and values), one BLAS "
        "thread, after one untimed warm-up step; number of timed steps in "
        f"brackets (at most {cfg['max_steps']}, fewer when a cell would exceed "
        f"{cfg['cell_budget']:g} s). Cells whose step would exceed "
        f"{cfg['step_cap']:g} s (extrapolated quadratically from the previous n) "
        "are skipped.",
        "",
    ]
    unavailable = [
        f"{LABELS[m]}: {avail[m]}" for m in OVERHEAD_METHODS if avail[m] is not None
    ]
    cols = list(OVERHEAD_METHODS)
    header = ["d", "n"] + [LABELS[m] for m in cols]
    for table in ("median", "mean", "first"):
        rows = []
        for d in cfg["dims"]:
            for n in cfg["sizes"]:
                row = [d, n]
                for m in cols:
                    if avail[m] is not None:
                        row.append(avail[m].split(" (")[0])
                        continue
                    cell = res.get((m, d, n))
                    if isinstance(cell, dict):
                        text = fmt_time(cell[table])
                        if table == "median":
                            text += f" ({cell['steps']})"
                        row.append(text)
                    else:
                        row.append(cell or "-")
                rows.append(row)
            if table == "median":
                rows.append(
                    [d, "slope n>=100"]
                    + [
                        "-" if avail[m] is not None else _slope(m, d, cfg, res)
                        for m in cols
                    ]
                )
        if table == "mean":
            out += [
                "",
                "Mean over the same timed steps (amortizes work done every k-th "
                "step only):",
                "",
            ]
        if table == "first":
            out += [
                "",
                "First step after the pre-fill (the warm-up, not in the medians "
                "above; for a GP, the fit without hyperparameters from a "
                "previous step):",
                "",
            ]
        out.append(markdown_table(header, rows))
    out += [
        "",
        "`slope n>=100`: least-squares slope of log(step time) against log(n) "
        "over the measured cells with n >= 100 (a Cholesky alone grows as n^3; "
        "at these sizes fixed costs keep slopes lower).",
    ]
    if unavailable:
        out += ["", "Not measured: " + "; ".join(unavailable) + "."]
    # Targets of the issue for ours.
    checks = []
    cell = res.get(("ours", 12, 200))
    if isinstance(cell, dict):
        ok = cell["median"] <= TARGET_STEP_200_12
        checks.append(
            f"n=200, d=12: median {fmt_time(cell['median'])}, mean "
            f"{fmt_time(cell['mean'])} (target: median <= "
            f"{fmt_time(TARGET_STEP_200_12)}: {'met' if ok else '**missed**'})"
        )
    for d in cfg["dims"]:
        cell = res.get(("ours", d, 1000))
        if isinstance(cell, dict):
            ok = cell["median"] <= TARGET_STEP_1000
            checks.append(
                f"n=1000, d={d}: median {fmt_time(cell['median'])}, mean "
                f"{fmt_time(cell['mean'])} (target: median <= "
                f"{fmt_time(TARGET_STEP_1000)}: {'met' if ok else '**missed**'})"
            )
    if checks:
        out += ["", "Ours against the issue's targets: " + "; ".join(checks) + "."]
    return "\n".join(out)


# --------------------------------------------------- part 2: test functions
def branin(x):
    x1, x2 = x[..., 0], x[..., 1]
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10


_H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)


def hartmann6(x):
    inner = np.sum(_H6_A * (x[..., None, :] - _H6_P) ** 2, axis=-1)
    return -np.sum(_H6_ALPHA * np.exp(-inner), axis=-1)


def ackley(x):
    d = x.shape[-1]
    s1 = np.sqrt(np.sum(x**2, axis=-1) / d)
    s2 = np.sum(np.cos(2 * np.pi * x), axis=-1) / d
    return -20 * np.exp(-0.2 * s1) - np.exp(s2) + 20 + np.e


def rosenbrock(x):
    return np.sum(
        100 * (x[..., 1:] - x[..., :-1] ** 2) ** 2 + (x[..., :-1] - 1) ** 2, axis=-1
    )


# name -> (function, lower bounds, upper bounds, f*, a minimizer)
FUNCTIONS = {
    "Branin": (
        branin,
        np.array([-5.0, 0.0]),
        np.array([10.0, 15.0]),
        0.397887357729738,
        np.array([np.pi, 2.275]),
    ),
    "Hartmann-6": (
        hartmann6,
        np.zeros(6),
        np.ones(6),
        -3.32236801141551,
        np.array([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]),
    ),
    "Ackley-10": (
        ackley,
        np.full(10, -32.768),
        np.full(10, 32.768),
        0.0,
        np.zeros(10),
    ),
    "Rosenbrock-4": (
        rosenbrock,
        np.full(4, -5.0),
        np.full(4, 10.0),
        0.0,
        np.ones(4),
    ),
}


def budget_for(d):
    return 80 if d >= 8 else 50


def _check_functions():
    for name, (f, lo, hi, fstar, xstar) in FUNCTIONS.items():
        assert np.all((lo <= xstar) & (xstar <= hi)), name
        assert abs(float(f(xstar)) - fstar) < 1e-4, (name, float(f(xstar)))
        u = np.random.default_rng(0).random((64, len(lo)))
        assert np.all(f(lo + u * (hi - lo)) >= fstar - 1e-9), name


def _unit_objective(name):
    f, lo, hi, _, _ = FUNCTIONS[name]

    def objective(u):
        u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
        return float(f(lo + u * (hi - lo)))

    return objective


def regret_run(method, name, seed):
    """One optimization run; returns (best f found, seconds, error or None)."""
    _quiet()
    with threadpool_limits(limits=1):
        _, lo, _, _, _ = FUNCTIONS[name]
        d = len(lo)
        budget = budget_for(d)
        objective = _unit_objective(name)
        values = []
        t0 = time.perf_counter()
        try:
            if method == "random":
                rng = np.random.default_rng(seed)
                values = [objective(u) for u in rng.random((budget, d))]
            elif method in ("ours", "ours-sobol"):
                sampler = _ours_gp_sampler() if method == "ours" else _sobol_sampler()
                rng = np.random.default_rng(seed)
                X, y = np.empty((0, d)), np.empty(0)
                for _ in range(budget):
                    x = np.asarray(sampler.propose(X, y, 1, rng=rng), dtype=float)
                    x = np.clip(x[:1], 0.0, 1.0)
                    v = objective(x[0])
                    values.append(v)
                    X, y = np.vstack([X, x]), np.append(y, -v)  # we maximize
            elif method == "skopt":
                from skopt import gp_minimize

                res = gp_minimize(
                    objective, [(0.0, 1.0)] * d, n_calls=budget, random_state=seed
                )
                values = [float(v) for v in res.func_vals]
            elif method in ("optuna-gp", "optuna-tpe"):
                import optuna

                if method == "optuna-gp":
                    import torch

                    torch.set_num_threads(1)
                    sampler = optuna.samplers.GPSampler(seed=seed)
                else:
                    sampler = optuna.samplers.TPESampler(seed=seed)
                study = optuna.create_study(sampler=sampler, direction="minimize")
                study.optimize(
                    lambda t: objective(
                        [t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(d)]
                    ),
                    n_trials=budget,
                )
                values = [t.value for t in study.trials if t.value is not None]
            else:
                raise ValueError(method)
        except Exception as exc:
            return float("nan"), time.perf_counter() - t0, _short_error(exc)
        seconds = time.perf_counter() - t0
    if len(values) != budget:
        return (
            float(min(values, default=np.nan)),
            seconds,
            f"{len(values)} evaluations instead of {budget}",
        )
    return float(min(values)), seconds, None


def _expected_cost(method, name):
    d = len(FUNCTIONS[name][1])
    base = {"skopt": 10.0, "optuna-gp": 4.0, "ours": 2.0}.get(method, 0.1)
    return base * budget_for(d)


def run_regret(cfg, avail, seeds, jobs):
    usable = [m for m in REGRET_METHODS if avail[m] is None]
    tasks = [(m, name, s) for name in FUNCTIONS for m in usable for s in range(seeds)]
    # Longest first, so that the workers finish together.
    tasks.sort(key=lambda t: -_expected_cost(t[0], t[1]))
    log(f"regret: {len(tasks)} runs on {jobs} worker(s)")
    t0 = time.perf_counter()
    out = joblib.Parallel(n_jobs=jobs, verbose=0, return_as="generator")(
        joblib.delayed(regret_run)(*t) for t in tasks
    )
    results = {}
    for i, (task, r) in enumerate(zip(tasks, out, strict=True)):
        results[task] = r
        if r[2] is not None or (i + 1) % 10 == 0 or i + 1 == len(tasks):
            extra = f" ({task}: {r[2]})" if r[2] else ""
            log(
                f"  regret: {i + 1}/{len(tasks)} runs done, "
                f"{time.perf_counter() - t0:.0f} s{extra}"
            )
    return usable, results


def report_regret(cfg, avail, usable, results, seeds, jobs):
    out = [
        "## 2. Sample efficiency: simple regret at a fixed budget",
        "",
        f"Simple regret f(best) - f* over {seeds} seeds (seed s = run s of every "
        "method), minimizing on the unit cube mapped onto the box. Rank: 1 = "
        "lowest regret among the methods of that seed (ties share the average "
        "rank), averaged over seeds. Seconds: mean wall time of one run "
        f"(objective included; {jobs} worker process(es) in parallel).",
    ]
    unavailable = [
        f"{LABELS[m]}: {avail[m]}" for m in REGRET_METHODS if avail[m] is not None
    ]
    mean_ranks = {}  # (method, function) -> mean rank
    mean_regrets = {}
    for name, (_, lo, _, fstar, _) in FUNCTIONS.items():
        d = len(lo)
        reg = {
            m: np.array([results[(m, name, s)][0] - fstar for s in range(seeds)])
            for m in usable
        }
        secs = {
            m: np.mean([results[(m, name, s)][1] for s in range(seeds)]) for m in usable
        }
        errs = {m: [results[(m, name, s)][2] for s in range(seeds)] for m in usable}
        ok = [m for m in usable if np.all(np.isfinite(reg[m]))]
        ranks = {m: [] for m in ok}
        for s in range(seeds):
            r = rankdata([reg[m][s] for m in ok])
            for m, rk in zip(ok, r, strict=True):
                ranks[m].append(rk)
        rows = []
        for m in REGRET_METHODS:
            if avail[m] is not None:
                rows.append([LABELS[m], avail[m].split(" (")[0], "", "", "", ""])
                continue
            if m not in ok:
                bad = next(e for e in errs[m] if e)
                rows.append([LABELS[m], f"failed: {bad}", "", "", "", ""])
                continue
            mean_ranks[(m, name)] = float(np.mean(ranks[m]))
            mean_regrets[(m, name)] = float(np.mean(reg[m]))
            q1, q3 = np.percentile(reg[m], [25, 75])
            rows.append(
                [
                    LABELS[m],
                    fmt_num(reg[m].mean()),
                    fmt_num(np.median(reg[m])),
                    f"{fmt_num(q1)} - {fmt_num(q3)}",
                    f"{np.mean(ranks[m]):.2f}",
                    f"{secs[m]:.2f}",
                ]
            )
        out += [
            "",
            f"### {name} (d={d}, budget {budget_for(d)}, f* = {fstar:g})",
            "",
            markdown_table(
                [
                    "method",
                    "mean regret",
                    "median regret",
                    "IQR",
                    "mean rank",
                    "s/run",
                ],
                rows,
            ),
        ]
    # Summary: mean rank per function and over the functions.
    rows = []
    ranked = [m for m in REGRET_METHODS if all((m, f) in mean_ranks for f in FUNCTIONS)]
    for m in ranked:
        per = [mean_ranks[(m, f)] for f in FUNCTIONS]
        rows.append([LABELS[m]] + [f"{r:.2f}" for r in per] + [f"{np.mean(per):.2f}"])
    out += [
        "",
        "### Mean rank per function and over the functions",
        "",
        markdown_table(["method", *FUNCTIONS, "mean over functions"], rows),
    ]
    if unavailable:
        out += ["", "Not run: " + "; ".join(unavailable) + "."]
    if "ours" in ranked:
        checks = []
        for f in FUNCTIONS:
            for comp in ("skopt", "optuna-tpe"):
                if (comp, f) in mean_regrets:
                    better = mean_regrets[("ours", f)] < mean_regrets[(comp, f)]
                    checks.append(better)
        overall = {m: np.mean([mean_ranks[(m, f)] for f in FUNCTIONS]) for m in ranked}
        parts = []
        if len(checks) == 2 * len(FUNCTIONS):
            parts.append(
                "lower mean regret than skopt and Optuna TPE on every function: "
                f"{'met' if all(checks) else '**missed**'} ({sum(checks)}/"
                f"{len(checks)} comparisons)"
            )
        if "optuna-gp" in overall:
            ok = overall["ours"] <= overall["optuna-gp"]
            parts.append(
                "mean rank over the functions no worse than Optuna GP: "
                f"{'met' if ok else '**missed**'} ({overall['ours']:.2f} vs "
                f"{overall['optuna-gp']:.2f})"
            )
        if parts:
            out += ["", "Ours against the issue's targets: " + "; ".join(parts) + "."]
    return "\n".join(out)


# ------------------------------------------------------ part 3: real tuning
TUNING_METHODS = (
    "skopt BayesSearchCV",
    "OptunaSearchCV (TPE)",
    "OptunaSearchCV (GP)",
    "RandomizedSearchCV",
    "ours SobolSearchCV",
    "ours BayesSearchCV",
)
N_ITER = 30


def _make_search(method, estimator, cv, seed):
    common = {"scoring": "accuracy", "cv": cv, "n_jobs": 1, "refit": False}
    if method == "skopt BayesSearchCV":
        from skopt import BayesSearchCV
        from skopt.space import Real

        spaces = {
            "svc__C": Real(1e-2, 1e3, prior="log-uniform"),
            "svc__gamma": Real(1e-5, 1e0, prior="log-uniform"),
        }
        return BayesSearchCV(
            estimator, spaces, n_iter=N_ITER, random_state=seed, **common
        )
    if method.startswith("OptunaSearchCV"):
        import optuna
        from optuna.distributions import FloatDistribution
        from optuna_integration import OptunaSearchCV

        dists = {
            "svc__C": FloatDistribution(1e-2, 1e3, log=True),
            "svc__gamma": FloatDistribution(1e-5, 1e0, log=True),
        }
        study = None
        if "GP" in method:
            study = optuna.create_study(
                direction="maximize", sampler=optuna.samplers.GPSampler(seed=seed)
            )
        return OptunaSearchCV(
            estimator,
            dists,
            n_trials=N_ITER,
            random_state=seed,
            study=study,
            **common,
        )
    dists = {"svc__C": loguniform(1e-2, 1e3), "svc__gamma": loguniform(1e-5, 1e0)}
    if method == "RandomizedSearchCV":
        from sklearn.model_selection import RandomizedSearchCV

        return RandomizedSearchCV(
            estimator, dists, n_iter=N_ITER, random_state=seed, **common
        )
    if method == "ours SobolSearchCV":
        from sklearn_hpo import SobolSearchCV

        return SobolSearchCV(
            estimator, dists, n_iter=N_ITER, random_state=seed, **common
        )
    if method == "ours BayesSearchCV":
        from sklearn_hpo import BayesSearchCV  # AttributeError until it lands

        return BayesSearchCV(
            estimator, dists, n_iter=N_ITER, random_state=seed, **common
        )
    raise ValueError(method)


def _fit_score_seconds(search, n_splits):
    res = search.cv_results_
    fit = np.asarray(res["mean_fit_time"], dtype=float)
    score = np.asarray(res["mean_score_time"], dtype=float)
    return float(np.nansum(fit + score) * n_splits), len(fit)


def run_tuning(cfg, seeds):
    from sklearn.base import clone
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import StratifiedKFold, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y = load_breast_cancer(return_X_y=True)
    estimator = make_pipeline(StandardScaler(), SVC())
    results = {}  # method -> list of dicts, or an error string
    for seed in range(seeds):
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=seed
        )
        cv = StratifiedKFold(5, shuffle=True, random_state=seed)
        # Rotate the order from one seed to the next.
        order = list(TUNING_METHODS)
        order = order[seed % len(order) :] + order[: seed % len(order)]
        for method in order:
            if isinstance(results.get(method), str):
                continue
            log(f"tuning: {method}, seed {seed + 1}/{seeds}")
            try:
                search = _make_search(method, estimator, cv, seed)
                gc.collect()
                t0 = time.perf_counter()
                search.fit(X_tr, y_tr)
                wall = time.perf_counter() - t0
                inside, n_cand = _fit_score_seconds(search, cv.get_n_splits())
                best = clone(estimator).set_params(**search.best_params_)
                held_out = best.fit(X_tr, y_tr).score(X_te, y_te)
            except (ImportError, AttributeError) as exc:
                if method == "ours BayesSearchCV" and "BayesSearchCV" in str(exc):
                    why = "no sklearn_hpo.BayesSearchCV yet"
                else:
                    why = _short_error(exc)
                results[method] = f"not available ({why})"
                continue
            except Exception as exc:
                results[method] = f"failed: {_short_error(exc)}"
                continue
            results.setdefault(method, []).append(
                {
                    "best": float(search.best_score_),
                    "held_out": float(held_out),
                    "wall": wall,
                    "overhead": (wall - inside) / n_cand,
                    "n_cand": n_cand,
                }
            )
    return results


def report_tuning(results, seeds):
    out = [
        "## 3. Real tuning: SVC on breast_cancer",
        "",
        "`StandardScaler + SVC(rbf)`, log-uniform C in [1e-2, 1e3] and gamma in "
        f"[1e-5, 1], accuracy, shuffled stratified 5-fold CV on a 75% split, "
        f"n_iter={N_ITER}, n_jobs=1, refit=False; {seeds} seed(s) (each seed "
        "redraws the split, the folds and the search's random_state). Held-out: "
        "the best parameters refit on the training split, accuracy on the 25% "
        "held out. Overhead per candidate = (wall - sum of fit and score "
        "times) / candidates.",
        "",
    ]
    rows = []
    for m in TUNING_METHODS:
        r = results.get(m)
        if r is None:
            rows.append([m, "-", "", "", "", ""])
        elif isinstance(r, str):
            rows.append([m, r, "", "", "", ""])
        else:
            best = np.array([x["best"] for x in r])
            std = best.std(ddof=1) if len(best) > 1 else 0.0
            rows.append(
                [
                    m,
                    f"{best.mean():.4f} (std {std:.4f})",
                    f"{np.mean([x['held_out'] for x in r]):.4f}",
                    f"{np.mean([x['wall'] for x in r]):.2f}",
                    fmt_time(float(np.mean([x["overhead"] for x in r]))),
                    f"{np.mean([x['n_cand'] for x in r]):.0f}",
                ]
            )
    out.append(
        markdown_table(
            [
                "method",
                "mean best CV score",
                "mean held-out",
                "mean wall s",
                "overhead/candidate",
                "candidates",
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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="n up to 200, d=6 only, 3 seeds, 1 tuning seed (about 5 min)",
    )
    parser.add_argument(
        "--only",
        choices=("overhead", "regret", "tuning"),
        help="run only one of the three parts",
    )
    parser.add_argument("--seeds", type=int, help="seeds of part 2 (default 10/3)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="worker processes for part 2 (default 2; parts 1 and 3 use one)",
    )
    parser.add_argument(
        "--methods",
        help="comma-separated subset of parts 1 and 2 (default all: "
        f"{','.join(REGRET_METHODS)}); ranks are then among these only",
    )
    parser.add_argument(
        "--step-cap",
        type=float,
        help="part 1: skip cells whose step would exceed this many seconds",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "default"
    cfg = dict(MODES[mode])
    if args.step_cap is not None:
        cfg["step_cap"] = args.step_cap
    _quiet()
    _check_functions()
    with threadpool_limits(limits=1):
        run(args, mode, cfg)


def run(args, mode, cfg):
    start = time.perf_counter()
    fingerprint = source_fingerprint()
    print(environment_report(mode))
    avail = availability()
    if args.methods:
        chosen = {m.strip() for m in args.methods.split(",")}
        unknown = chosen - set(REGRET_METHODS)
        if unknown:
            raise SystemExit(
                f"--methods: unknown {sorted(unknown)}; choose from {REGRET_METHODS}"
            )
        for m in REGRET_METHODS:
            if m not in chosen:
                avail[m] = "not selected (--methods)"
    status = ", ".join(
        f"{LABELS[m]} {'yes' if avail[m] is None else avail[m].split(' (')[0]}"
        for m in REGRET_METHODS
    )
    print(f"- Methods: {status}")
    print()
    if args.only in (None, "overhead"):
        t0 = time.perf_counter()
        methods, res = run_overhead(cfg, avail)
        print(report_overhead(cfg, avail, methods, res))
        print(f"\n(part 1 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
    if args.only in (None, "regret"):
        t0 = time.perf_counter()
        seeds = args.seeds or cfg["seeds"]
        usable, results = run_regret(cfg, avail, seeds, args.jobs)
        print(report_regret(cfg, avail, usable, results, seeds, args.jobs))
        print(f"\n(part 2 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
    if args.only in (None, "tuning"):
        t0 = time.perf_counter()
        results = run_tuning(cfg, cfg["tuning_seeds"])
        print(report_tuning(results, cfg["tuning_seeds"]))
        print(f"\n(part 3 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
    print(f"Total time: {time.perf_counter() - start:.0f} s")
    # The package may change under a long run (ours is imported lazily, also in
    # the worker processes): say so if it did.
    end = source_fingerprint()
    if end != fingerprint:
        print(
            f"\n**Warning**: sklearn_hpo's sources changed during the run "
            f"({fingerprint} -> {end}; now {_git_state()}): the numbers of ours "
            "may mix versions. Rerun on a tree nobody edits."
        )


if __name__ == "__main__":
    main()
