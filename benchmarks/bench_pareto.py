"""Benchmark ParetoSearchCV: hypervolume at a fixed budget against Optuna.

What is measured, in one run on one machine, printed as Markdown (progress
goes to stderr, so ``> results.md`` keeps only the report):

1. **Synthetic problems**: the hypervolume of everything a method evaluated
   after a fixed budget of evaluations (50 and 100; 30 with ``--quick``), on

   - ZDT1 and ZDT2 with d = 6 variables (2 objectives),
   - DTLZ2 with 3 objectives and d = 7 variables (k = 5),

   all on the unit cube and minimized, over 5 seeds (2 with ``--quick``).
   The hypervolume is computed here, for every method alike, from the
   objective values of the points it evaluated, with
   ``sklearn_hpo.multiobjective.hypervolume`` on the negated values (it
   maximizes) and the standard reference points (1.1, 1.1) for ZDT and
   (1.1, 1.1, 1.1) for DTLZ2 in the minimized objectives; every value is
   cross-checked against ``moocore.hypervolume`` when moocore is installed.
   The hypervolume of the true front from these reference points is given
   for scale (ZDT1 1.21 - 1/3, ZDT2 1.21 - 2/3, DTLZ2 1.331 - pi/6).

   Methods (all seeded with the seed of the run):

   - ``ours``: ``ParetoSearchCV(strategy="bayes")``, which is EHVI (one GP
     per objective, exact expected hypervolume improvement) for 2-3
     objectives; its defaults: ``n_initial_points=10``, ``n_points=1``. The
     search is given ``reference_point`` = the benchmark's reference point
     (to cross-check its ``hypervolume_``), which EHVI also uses;
   - ``ours-parego``: ``strategy="parego"`` (ParEGO on our GP, the previous
     meaning of ``"bayes"``);
   - ``ours-dataref``: ``strategy="bayes"`` without ``reference_point``, so
     EHVI derives its reference point from the data (the nadir of the
     current front minus a tenth of the observed range): what a user who
     names no reference point gets, and a competitor-fair arm (Optuna's
     samplers are not told the reference point either);
   - ``ours-sobol`` and ``ours-random``: ``ParetoSearchCV(strategy="sobol")``
     and ``(strategy="random")``;
   - ``NSGA-II``: Optuna's ``NSGAIISampler`` (its defaults: population 50,
     crossover probability 0.9, uniform crossover; with a population of 50 the
     first 50 trials are random);
   - ``TPE``: Optuna's ``TPESampler`` with its defaults, which in Optuna 5
     means the *independent* TPE for multi-objective studies
     (``multivariate=False``, 10 startup trials);
   - ``TPE-mv``: ``TPESampler(multivariate=True)``, otherwise its defaults;
   - ``Optuna GP``: Optuna's ``GPSampler`` (its defaults; for several
     objectives it maximizes the log expected hypervolume improvement; not
     asked for by the issue, included as the strongest model-based
     competitor Optuna ships).

   ParetoSearchCV sees a problem through the estimator API: a do-nothing
   estimator ``Problem`` whose parameters are the variables x0..x{d-1},
   ``search_spaces`` of ``Real(0, 1)``, a ``scoring`` dict of callables
   returning the *negated* objectives (so that they are maximized), ``cv=2``
   on a 4-sample dummy data set (the scores do not depend on the data),
   ``refit=False``, ``n_jobs=1``. Optuna optimizes the same functions
   directly (``suggest_float(0, 1)``, ``directions=["minimize"] * m``).

   Each run is made once, at the largest budget; the hypervolume at a smaller
   budget is that of its first evaluations. That is the run the smaller
   budget would have made: none of the methods is told the budget (Optuna's
   samplers never see ``n_trials``; ParEGO proposes one point at a time; our
   Sobol'/random draws are prefixes of the larger draw). This is *checked* on
   the first problem and seed: every method is also run at the smaller budget
   and its evaluated points must equal the prefix (the report says so).

   Reported per problem, method and budget: mean +- std (over seeds) of the
   hypervolume, mean rank among the methods (1 = largest hypervolume of its
   seed; ties share the average rank), and the wall time of a run at the
   largest budget (ours includes scikit-learn's cross-validation machinery
   around each evaluation; Optuna calls the function directly).

2. **A scikit-learn task**: ``RandomForestClassifier(random_state=0)`` on
   ``load_digits`` (1797 x 64, 10 classes), 3 objectives: accuracy (max),
   ``fit_time`` (min, mean seconds per fold) and ``model_size`` (min, bytes
   of the pickled fitted forest, mean over folds), stratified shuffled 3-fold
   CV (the same folds for every method of a seed), budget 40 (20 with
   ``--quick``), 5 seeds (1 with ``--quick``). Space: ``n_estimators``
   integer in [1, 100] (log), ``max_depth`` integer in [1, 20],
   ``min_samples_leaf`` integer in [1, 30] (log), ``max_features`` real in
   [0.02, 1] (log). Ours: ``ParetoSearchCV(objectives=["score", "fit_time",
   "model_size"], scoring="accuracy")``; Optuna: a 3-objective study whose
   objective runs ``cross_validate`` with the same folds and a scorer that
   pickles the fitted model exactly as ParetoSearchCV's ``model_size`` does,
   and returns (mean accuracy, mean fit time, mean model size). A check on
   the first seed re-evaluates ours' first candidate through the Optuna
   objective: accuracy and model size must be equal.

   Arms of ours: ``ours`` (``strategy="bayes"``, EHVI: GPs on
   ``-log(cost)``, improvement in natural units), ``ours-parego`` (GP on a
   scalarization of the log costs), ``ours-sobol``, ``ours-random``, and two
   with the models seeing the costs as measured instead of ``-log(cost)`` (a
   subclass with ``_model_costs_in_log = False``): ``ours-lin`` (EHVI) and
   ``ours-parego-lin`` (ParEGO as before log costs). As in part 1, the arms
   of ours are given the benchmark's reference point (accuracy 0.5, fit time
   0.5 s, size 5 MB) as ``reference_point``, except ``ours-dataref``, which
   runs without one (EHVI derives its own from the data, the competitor-fair
   arm).

   Hypervolume with a fixed reference point, in normalized units where the
   box from the reference point to the ideal has volume 1 (values can exceed
   the ideal only for costs below its floor):

   - *linear*: ``((acc - 0.5) / 0.5, (0.5 s - t) / 0.5 s,
     (5 MB - size) / 5 MB)``, reference 0 (accuracy 0.5, fit time 0.5 s,
     5e6 bytes), ideal 1 (accuracy 1, zero time, zero bytes): the units in
     which ParetoSearchCV reports (``hypervolume_``) and EHVI counts the
     improvement; the issue's target is read in these units;
   - *log costs*: the same accuracy term, ``log10(0.5 s / t) / log10(500)``
     and ``log10(5e6 / size) / log10(5000)`` (reference 0.5 s and 5e6
     bytes, ideal 1 ms and 1e3 bytes).

   Reported per method: mean +- std of both hypervolumes and the mean rank
   of each, the best accuracy found, the size of the front (3 objectives),
   the wall time of a run and its overhead: the wall time minus the fit and
   score times of every fold of every candidate as scikit-learn reports them
   (``mean_fit_time`` / ``mean_score_time`` for ours, ``cross_validate``'s
   ``fit_time`` / ``score_time`` for Optuna), i.e. the sampler, cloning,
   dispatch and bookkeeping.

   Fit times are measured, so they are noisy (more so on a shared machine):
   the task's hypervolumes are less repeatable than the synthetic ones.

Runs go to ``--jobs`` worker processes (default 2); every run uses one core
(``n_jobs=1``; BLAS/OpenMP threads limited to 1). With ``--jobs 2`` two runs
share the machine, which makes the measured fit times of part 2 a little
larger for every method alike.

Run from the repository root, with the package under test first on the path::

    PYTHONPATH=/work/bench-tree2 /work/bench-venv/bin/python \\
        benchmarks/bench_pareto.py            # ~10 min on 2 cores
    ... benchmarks/bench_pareto.py --quick    # ~1 min

``pip install moocore`` adds the reference hypervolume check.
"""

import os

# Before numpy is imported, here and in the worker processes that inherit
# the environment.
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
import hashlib  # noqa: E402
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
from scipy.stats import rankdata  # noqa: E402
from sklearn.base import BaseEstimator, RegressorMixin  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import sklearn_hpo  # noqa: E402

MODES = {
    "quick": {
        "problems": ("zdt1-6", "dtlz2-7"),
        "budgets": (30,),
        "seeds": 2,
        "task_budget": 20,
        "task_seeds": 1,
    },
    "default": {
        "problems": ("zdt1-6", "zdt2-6", "dtlz2-7"),
        "budgets": (50, 100),
        "seeds": 5,
        "task_budget": 40,
        "task_seeds": 5,
    },
}

METHODS = (
    "ours",
    "ours-parego",
    "ours-dataref",
    "ours-lin",
    "ours-parego-lin",
    "ours-sobol",
    "ours-random",
    "nsga2",
    "tpe",
    "tpe-mv",
    "optuna-gp",
)
LABELS = {
    "ours": "ours (bayes)",
    "ours-parego": "ours (parego)",
    "ours-dataref": "ours (bayes, data ref)",
    "ours-lin": "ours (bayes, linear costs)",
    "ours-parego-lin": "ours (parego, linear costs)",
    "ours-sobol": "ours-sobol",
    "ours-random": "ours-random",
    "nsga2": "Optuna NSGA-II",
    "tpe": "Optuna TPE",
    "tpe-mv": "Optuna TPE-mv",
    "optuna-gp": "Optuna GP",
}
STRATEGY = {
    "ours": "bayes",
    "ours-parego": "parego",
    "ours-dataref": "bayes",
    "ours-lin": "bayes",
    "ours-parego-lin": "parego",
    "ours-sobol": "sobol",
    "ours-random": "random",
}
# Variants of ours that differ from another arm in one part only: linear
# costs (only the task has costs).
PARTS = {
    "ours-lin": ("task",),
    "ours-parego-lin": ("task",),
}
# Arms of ours; the competitors of the target are the other methods.
OURS_VARIANTS = ("ours", "ours-parego", "ours-dataref", "ours-lin", "ours-parego-lin")
LINEAR_COSTS = ("ours-lin", "ours-parego-lin")
TIE = 1e-12  # hypervolumes closer than this are a tie

# name -> function, number of variables, objectives, reference value, HV of
# the true front from the reference point
PROBLEMS = {
    "zdt1-6": {"fn": "zdt1", "d": 6, "m": 2, "ref": 1.1, "hv_opt": 1.21 - 1 / 3},
    "zdt2-6": {"fn": "zdt2", "d": 6, "m": 2, "ref": 1.1, "hv_opt": 1.21 - 2 / 3},
    "zdt1-10": {"fn": "zdt1", "d": 10, "m": 2, "ref": 1.1, "hv_opt": 1.21 - 1 / 3},
    "dtlz2-7": {
        "fn": "dtlz2",
        "d": 7,
        "m": 3,
        "ref": 1.1,
        "hv_opt": 1.331 - np.pi / 6,
    },
}
TITLES = {
    "zdt1-6": "ZDT1 (d=6, 2 objectives)",
    "zdt2-6": "ZDT2 (d=6, 2 objectives)",
    "zdt1-10": "ZDT1 (d=10, 2 objectives)",
    "dtlz2-7": "DTLZ2 (d=7, 3 objectives)",
}

# Part 2: normalization of the task's objectives (see the module docstring).
ACC_REF = 0.5
TIME_REF, TIME_IDEAL = 0.5, 1e-3  # seconds
SIZE_REF, SIZE_IDEAL = 5e6, 1e3  # bytes
TASK_FOLDS = 3


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


def environment_report(mode):
    return "\n".join(
        [
            "# ParetoSearchCV benchmark",
            "",
            *_run_lines(mode),
            f"- Versions: {_base_versions()}, optuna {_version('optuna')}, "
            f"torch {_version('torch')}, moocore {_version('moocore')}, "
            f"sklearn_hpo {sklearn_hpo.__version__} from "
            f"{os.path.dirname(os.path.dirname(sklearn_hpo.__file__))} "
            f"({_git_state()}; sources {source_fingerprint()})",
            "- Threads: OMP/OPENBLAS/MKL_NUM_THREADS=1 and threadpoolctl limit 1 "
            "in every process",
        ]
    )


# ------------------------------------------------------------------- helpers
def markdown_table(header, rows):
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(out)


def fmt_time(seconds):
    if seconds is None or not np.isfinite(seconds):
        return "-"
    if seconds < 1:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.1f} s"


def _short_error(exc):
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = msg.replace("|", "/")
    if len(msg) > 100:
        msg = msg[:97] + "..."
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def mean_std(values, digits=4):
    v = np.asarray(values, dtype=float)
    if not len(v) or not np.all(np.isfinite(v)):
        return "-"
    sd = v.std(ddof=1) if len(v) > 1 else 0.0
    return f"{v.mean():.{digits}f} ± {sd:.{digits}f}"


def seed_ranks(table):
    """``table``: (n_methods, n_seeds) values, greater is better -> mean ranks."""
    ranks = np.empty_like(table, dtype=float)
    for s in range(table.shape[1]):
        col = np.round(table[:, s] / TIE) * TIE  # ties within TIE share a rank
        ranks[:, s] = rankdata(-col)
    return ranks.mean(axis=1)


def wtl(a, b):
    """Wins / ties / losses of ``a`` against ``b``, paired by seed."""
    d = np.asarray(a) - np.asarray(b)
    wins, ties = int(np.sum(d > TIE)), int(np.sum(np.abs(d) <= TIE))
    return f"{wins}/{ties}/{int(np.sum(d < -TIE))}"


def _warning_lines(caught):
    out = []
    for w in caught:
        line = f"{w.category.__name__}: {str(w.message).strip().splitlines()[0][:160]}"
        if line not in out:
            out.append(line)
    return out


# ------------------------------------------------------- synthetic problems
def zdt(x, kind):
    """ZDT1 / ZDT2 (minimized), x in [0, 1]^d."""
    f1 = x[0]
    g = 1.0 + 9.0 * np.sum(x[1:]) / (len(x) - 1)
    if kind == "zdt1":
        f2 = g * (1.0 - np.sqrt(f1 / g))
    else:
        f2 = g * (1.0 - (f1 / g) ** 2)
    return np.array([f1, f2])


def dtlz2(x, m=3):
    """DTLZ2 with ``m`` objectives (minimized), x in [0, 1]^d."""
    g = np.sum((x[m - 1 :] - 0.5) ** 2)
    angles = x[: m - 1] * np.pi / 2
    f = np.empty(m)
    for i in range(m):
        v = 1.0 + g
        v *= np.prod(np.cos(angles[: m - 1 - i]))
        if i > 0:
            v *= np.sin(angles[m - 1 - i])
        f[i] = v
    return f


def evaluate(problem, x):
    spec = PROBLEMS[problem]
    x = np.asarray(x, dtype=np.float64)
    if spec["fn"] == "dtlz2":
        return dtlz2(x, spec["m"])
    return zdt(x, spec["fn"])


def _check_functions():
    """Points of the known fronts have the known values."""
    x = np.array([0.25, 0, 0, 0, 0, 0])
    assert np.allclose(zdt(x, "zdt1"), [0.25, 0.5])
    assert np.allclose(zdt(x, "zdt2"), [0.25, 1 - 0.0625])
    x = np.array([0.3, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5])
    assert np.isclose(np.sum(dtlz2(x) ** 2), 1.0)
    assert np.allclose(dtlz2(np.array([0, 0, 0.5, 0.5, 0.5, 0.5, 0.5])), [1, 0, 0])
    assert np.allclose(dtlz2(np.array([1, 0, 0.5, 0.5, 0.5, 0.5, 0.5])), [0, 0, 1])


_MAX_D = 10


class Problem(RegressorMixin, BaseEstimator):
    """A do-nothing estimator whose parameters are a test problem's variables.

    The scorers of :func:`problem_scoring` read the parameters and return the
    negated objectives; ``fit`` and ``predict`` ignore the data.
    """

    def __init__(
        self,
        problem="zdt1-6",
        x0=0.5,
        x1=0.5,
        x2=0.5,
        x3=0.5,
        x4=0.5,
        x5=0.5,
        x6=0.5,
        x7=0.5,
        x8=0.5,
        x9=0.5,
    ):
        self.problem = problem
        self.x0, self.x1, self.x2, self.x3, self.x4 = x0, x1, x2, x3, x4
        self.x5, self.x6, self.x7, self.x8, self.x9 = x5, x6, x7, x8, x9

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def objectives(self):
        d = PROBLEMS[self.problem]["d"]
        return evaluate(self.problem, [getattr(self, f"x{i}") for i in range(d)])


def _neg_objective(j):
    def score(estimator, X, y=None):
        return -float(estimator.objectives()[j])

    return score


def problem_scoring(m):
    return {f"f{j + 1}": _neg_objective(j) for j in range(m)}


def _optuna_sampler(method, seed):
    import optuna

    if method == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    if method == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if method == "tpe-mv":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if method == "optuna-gp":
        return optuna.samplers.GPSampler(seed=seed)
    raise ValueError(method)


def _our_search(method):
    """ParetoSearchCV, or for the linear-cost arms a subclass whose models see
    the costs as measured (the behaviour before log costs)."""
    from sklearn_hpo import ParetoSearchCV

    if method not in LINEAR_COSTS:
        return ParetoSearchCV

    class LinearCostsParetoSearchCV(ParetoSearchCV):
        _model_costs_in_log = False

    return LinearCostsParetoSearchCV


def synthetic_run(method, problem, seed, budget):
    """One run: evaluated points, objective values (minimized), seconds."""
    _quiet()
    spec = PROBLEMS[problem]
    d, m = spec["d"], spec["m"]
    out = {"method": method, "problem": problem, "seed": seed, "budget": budget}
    with threadpool_limits(limits=1), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if method in STRATEGY:
                from sklearn_hpo import Real

                dataref = method == "ours-dataref"
                search = _our_search(method)(
                    Problem(problem=problem),
                    {f"x{i}": Real(0.0, 1.0) for i in range(d)},
                    objectives=[f"f{j + 1}" for j in range(m)],
                    scoring=problem_scoring(m),
                    strategy=STRATEGY[method],
                    n_iter=budget,
                    reference_point=None if dataref else [-spec["ref"]] * m,
                    cv=2,
                    refit=False,
                    n_jobs=1,
                    random_state=seed,
                )
                X0 = np.zeros((4, 1))
                y0 = np.arange(4.0)
                t0 = time.perf_counter()
                search.fit(X0, y0)
                out["seconds"] = time.perf_counter() - t0
                res = search.cv_results_
                out["X"] = np.array(
                    [[p[f"x{i}"] for i in range(d)] for p in res["params"]], dtype=float
                )
                out["F"] = -np.column_stack(
                    [np.asarray(res[f"objective_f{j + 1}"], float) for j in range(m)]
                )
                if not dataref:
                    out["own_hv"] = float(search.hypervolume_[-1])
            else:
                import optuna

                study = optuna.create_study(
                    directions=["minimize"] * m, sampler=_optuna_sampler(method, seed)
                )

                def objective(trial):
                    x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(d)]
                    return tuple(float(v) for v in evaluate(problem, x))

                t0 = time.perf_counter()
                study.optimize(objective, n_trials=budget)
                out["seconds"] = time.perf_counter() - t0
                trials = study.trials
                out["X"] = np.array(
                    [[t.params[f"x{i}"] for i in range(d)] for t in trials], dtype=float
                )
                out["F"] = np.array(
                    [
                        t.values if t.values is not None else [np.nan] * m
                        for t in trials
                    ],
                    dtype=float,
                )
        except Exception as exc:
            out["error"] = _short_error(exc)
            out["traceback"] = traceback.format_exc()
    out["warnings"] = _warning_lines(caught)
    return out


def hv_min(F, ref):
    """Hypervolume of minimized values ``F`` from ``ref`` (ours, maximizing)."""
    from sklearn_hpo.multiobjective import hypervolume

    F = np.asarray(F, dtype=float)
    F = F[np.all(np.isfinite(F), axis=1)]
    if not len(F):
        return 0.0
    return float(hypervolume(-F, -np.asarray(ref, dtype=float)))


def hv_moocore(F, ref):
    try:
        import moocore
    except ImportError:
        return None
    F = np.asarray(F, dtype=float)
    F = F[np.all(np.isfinite(F), axis=1)]
    if not len(F):
        return 0.0
    return float(moocore.hypervolume(F, ref=np.asarray(ref, dtype=float)))


def _methods_available(methods):
    """``{method: None if usable else reason}``."""
    out = {}
    for m in methods:
        if m in STRATEGY:
            try:
                from sklearn_hpo import ParetoSearchCV  # noqa: F401

                out[m] = None
            except Exception as exc:
                out[m] = f"not available ({_short_error(exc)})"
            continue
        try:
            import optuna  # noqa: F401

            if m == "optuna-gp":
                import torch  # noqa: F401
            out[m] = None
        except Exception as exc:
            out[m] = f"not available ({_short_error(exc)})"
    return out


def _run_parallel(func, tasks, jobs):
    results = []
    gen = joblib.Parallel(n_jobs=jobs, return_as="generator_unordered")(
        joblib.delayed(func)(*t) for t in tasks
    )
    for r in gen:
        results.append(r)
        tag = f"{r['method']} {r.get('problem', 'task')} seed {r['seed']}"
        if "error" in r:
            log(f"  {tag}: ERROR {r['error']}")
        else:
            log(f"  {tag}: {r['seconds']:.1f} s")
    return results


# Expected relative cost, to start the slow runs first.
_COST = {"optuna-gp": 20, "tpe": 1, "tpe-mv": 1, **dict.fromkeys(OURS_VARIANTS, 3)}


def run_synthetic(cfg, methods, seeds, jobs):
    budgets = cfg["budgets"]
    big = max(budgets)
    tasks = [
        (method, problem, seed, big)
        for problem in cfg["problems"]
        for seed in range(seeds)
        for method in methods
    ]
    # prefix check: the first problem and seed, at the smaller budget(s)
    checks = [
        (method, cfg["problems"][0], 0, b)
        for b in budgets
        if b != big
        for method in methods
    ]
    tasks = sorted(
        tasks + checks,
        key=lambda t: -_COST.get(t[0], 0.2) * PROBLEMS[t[1]]["m"] * t[3] ** 2,
    )
    log(f"synthetic: {len(tasks)} runs on {jobs} worker(s)")
    results = _run_parallel(synthetic_run, tasks, jobs)
    runs = {
        (r["method"], r["problem"], r["seed"]): r for r in results if r["budget"] == big
    }
    check_runs = {
        (r["method"], r["budget"]): r
        for r in results
        if r["budget"] != big and r["problem"] == cfg["problems"][0] and r["seed"] == 0
    }
    return runs, check_runs


def report_synthetic(cfg, methods, seeds, jobs, runs, check_runs):
    budgets = cfg["budgets"]
    big = max(budgets)
    lines = [
        "## P1. Synthetic problems: hypervolume at a fixed budget",
        "",
        f"{seeds} seeds; budgets {', '.join(map(str, budgets))} evaluations; "
        "hypervolume of every evaluated point, computed here for all methods "
        "alike (minimized objectives; reference 1.1 in every objective). "
        "Mean ± std over seeds; rank = mean rank among the methods of a seed "
        "(1 = best, ties share). Time = wall time of one run at budget "
        f"{big} (mean over seeds; {jobs} run(s) in parallel on the machine).",
        "",
    ]
    # moocore cross-check and ours' own hypervolume_
    hv_diffs, own_diffs, n_moo = [], [], 0
    summary = []  # (problem, budget, ours mean, best other, its mean, W/T/L, met)
    errors, warn = [], {}
    for problem in cfg["problems"]:
        spec = PROBLEMS[problem]
        ref = [spec["ref"]] * spec["m"]
        lines += [
            f"### {TITLES[problem]}",
            "",
            f"Hypervolume of the true front from this reference point: "
            f"{spec['hv_opt']:.4f}.",
            "",
        ]
        hv = {b: np.full((len(methods), seeds), np.nan) for b in budgets}
        secs = np.full((len(methods), seeds), np.nan)
        for i, method in enumerate(methods):
            for s in range(seeds):
                r = runs.get((method, problem, s))
                if r is None or "error" in r:
                    if r is not None:
                        errors.append((method, problem, s, r["error"], r["traceback"]))
                    continue
                for line in r["warnings"]:
                    warn.setdefault(method, {}).setdefault(line, 0)
                    warn[method][line] += 1
                secs[i, s] = r["seconds"]
                for b in budgets:
                    hv[b][i, s] = hv_min(r["F"][:b], ref)
                    moo = hv_moocore(r["F"][:b], ref)
                    if moo is not None:
                        n_moo += 1
                        hv_diffs.append(abs(moo - hv[b][i, s]))
                if "own_hv" in r:
                    own_diffs.append(abs(r["own_hv"] - hv[big][i, s]))
        ok = np.all(np.isfinite(np.stack([hv[b] for b in budgets])), axis=(0, 2))
        ranks = {b: np.full(len(methods), np.nan) for b in budgets}
        for b in budgets:
            if ok.any():
                ranks[b][ok] = seed_ranks(hv[b][ok])
        header = ["method"]
        for b in budgets:
            header += [f"HV @ {b}", f"rank @ {b}"]
        header += [f"time / run ({big})"]
        rows = []
        for i, method in enumerate(methods):
            row = [LABELS[method]]
            for b in budgets:
                if ok[i]:
                    row += [mean_std(hv[b][i]), f"{ranks[b][i]:.2f}"]
                else:
                    row += ["error", "-"]
            row.append(fmt_time(np.nanmean(secs[i])) if ok[i] else "-")
            rows.append(row)
        lines += [markdown_table(header, rows), ""]
        if "ours" in methods and ok[methods.index("ours")]:
            i0 = methods.index("ours")
            for b in budgets:
                summ = _summary_row(TITLES[problem], b, methods, ok, hv[b], i0)
                if summ is not None:
                    summary.append(summ)
    # checks
    lines += ["### Checks", ""]
    if n_moo:
        lines.append(
            f"- moocore: {n_moo} hypervolumes recomputed with "
            f"`moocore.hypervolume`; largest absolute difference "
            f"{max(hv_diffs):.2e}."
        )
    else:
        lines.append("- moocore not installed: no reference hypervolume check.")
    if own_diffs:
        lines.append(
            f"- ParetoSearchCV's own `hypervolume_[-1]` (reference point passed "
            f"as `reference_point`, objectives negated) against the value computed "
            f"here: largest absolute difference {max(own_diffs):.2e} over "
            f"{len(own_diffs)} runs."
        )
    for (method, b), r in sorted(check_runs.items()):
        full = runs.get((method, cfg["problems"][0], 0))
        if full is None or "error" in full or "error" in r:
            lines.append(f"- prefix check {LABELS[method]} @ {b}: not run (error)")
            continue
        same = r["X"].shape == full["X"][:b].shape and np.array_equal(
            r["X"], full["X"][:b]
        )
        r["prefix_ok"] = same
    checked = [(m, b, r.get("prefix_ok")) for (m, b), r in sorted(check_runs.items())]
    if checked:
        good = [f"{LABELS[m]} @ {b}" for m, b, okk in checked if okk]
        bad = [f"{LABELS[m]} @ {b}" for m, b, okk in checked if okk is False]
        lines.append(
            f"- Prefix check ({TITLES[cfg['problems'][0]]}, seed 0): a run at the "
            f"smaller budget evaluated exactly the first points of the run at "
            f"{big} for: {', '.join(good) or 'none'}"
            + (f"; **differs** for: {', '.join(bad)}" if bad else "")
            + "."
        )
    for method, problem, s, err, _ in errors:
        lines.append(f"- **error** {LABELS[method]} on {problem} seed {s}: {err}")
    if warn:
        lines.append("- Warnings raised during the runs (runs that raised each):")
        for method, msgs in warn.items():
            for msg, count in msgs.items():
                lines.append(f"  - {LABELS[method]}: `{msg}` ({count})")
    lines.append("")
    return "\n".join(lines), summary, errors


# ------------------------------------------------------- scikit-learn task
def _task_data():
    from sklearn.datasets import load_digits

    return load_digits(return_X_y=True)


def model_size(estimator, X, y=None):
    """Bytes of the pickled fitted estimator, measured by ParetoSearchCV's own
    function (pickled without the memo, so that the size does not depend on
    the process; a plain ``pickle.dumps`` gives about 8 % less for a forest)."""
    from sklearn_hpo.search._pareto import _model_size

    return _model_size(estimator, X)


def _task_space_ours():
    from sklearn_hpo import Integer, Real

    return {
        "n_estimators": Integer(1, 100, "log-uniform"),
        "max_depth": Integer(1, 20),
        "min_samples_leaf": Integer(1, 30, "log-uniform"),
        "max_features": Real(0.02, 1.0, "log-uniform"),
    }


def _task_params_optuna(trial):
    return {
        "n_estimators": trial.suggest_int("n_estimators", 1, 100, log=True),
        "max_depth": trial.suggest_int("max_depth", 1, 20),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 30, log=True),
        "max_features": trial.suggest_float("max_features", 0.02, 1.0, log=True),
    }


def _task_cv(seed):
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(TASK_FOLDS, shuffle=True, random_state=seed)


def _task_estimator():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(random_state=0, n_jobs=1)


def _task_cross_validate(params, X, y, seed):
    """(accuracy, fit time, model size) of ``params``, as Optuna's objective."""
    from sklearn.base import clone
    from sklearn.model_selection import cross_validate

    est = clone(_task_estimator()).set_params(**params)
    res = cross_validate(
        est,
        X,
        y,
        cv=_task_cv(seed),
        scoring={"accuracy": "accuracy", "model_size": model_size},
        n_jobs=1,
    )
    values = (
        float(np.mean(res["test_accuracy"])),
        float(np.mean(res["fit_time"])),
        float(np.mean(res["test_model_size"])),
    )
    return values, float(np.sum(res["fit_time"] + res["score_time"]))


def task_run(method, seed, budget, check=False):
    """One run on the task: (accuracy, fit time, size) per candidate, seconds."""
    _quiet()
    X, y = _task_data()
    out = {"method": method, "seed": seed, "budget": budget}
    with threadpool_limits(limits=1), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if method in STRATEGY:
                search = _our_search(method)(
                    _task_estimator(),
                    _task_space_ours(),
                    objectives=["score", "fit_time", "model_size"],
                    scoring="accuracy",
                    strategy=STRATEGY[method],
                    n_iter=budget,
                    reference_point=(
                        None
                        if method == "ours-dataref"
                        else {
                            "score": ACC_REF,
                            "fit_time": TIME_REF,
                            "model_size": SIZE_REF,
                        }
                    ),
                    cv=_task_cv(seed),
                    refit=False,
                    n_jobs=1,
                    random_state=seed,
                )
                t0 = time.perf_counter()
                search.fit(X, y)
                out["seconds"] = time.perf_counter() - t0
                res = search.cv_results_
                out["Y"] = np.column_stack(
                    [
                        np.asarray(res[f"objective_{k}"], float)
                        for k in ("score", "fit_time", "model_size")
                    ]
                )
                out["fit_score_seconds"] = float(
                    np.sum(res["mean_fit_time"] + res["mean_score_time"]) * TASK_FOLDS
                )
                out["front_size"] = len(search.pareto_indices_)
                if check:
                    p = res["params"][0]
                    again, _ = _task_cross_validate(p, X, y, seed)
                    out["check"] = (
                        again[0] == out["Y"][0, 0] and again[2] == out["Y"][0, 2],
                        (out["Y"][0, 0], out["Y"][0, 2]),
                        (again[0], again[2]),
                    )
            else:
                import optuna

                study = optuna.create_study(
                    directions=["maximize", "minimize", "minimize"],
                    sampler=_optuna_sampler(method, seed),
                )
                fit_score = []

                def objective(trial):
                    # the sampler runs lazily, inside the first suggest call
                    params = _task_params_optuna(trial)
                    values, seconds = _task_cross_validate(params, X, y, seed)
                    fit_score.append(seconds)
                    return values

                t0 = time.perf_counter()
                study.optimize(objective, n_trials=budget)
                out["seconds"] = time.perf_counter() - t0
                out["Y"] = np.array(
                    [
                        t.values if t.values is not None else [np.nan] * 3
                        for t in study.trials
                    ],
                    dtype=float,
                )
                out["fit_score_seconds"] = float(np.sum(fit_score))
                from sklearn_hpo.multiobjective import pareto_front_mask

                out["front_size"] = int(
                    np.sum(pareto_front_mask(out["Y"] * np.array([1, -1, -1])))
                )
        except Exception as exc:
            out["error"] = _short_error(exc)
            out["traceback"] = traceback.format_exc()
    out["warnings"] = _warning_lines(caught)
    return out


def task_hv(Y, kind):
    """Normalized hypervolume of (accuracy, fit time, size) rows."""
    from sklearn_hpo.multiobjective import hypervolume

    Y = np.asarray(Y, dtype=float)
    Y = Y[np.all(np.isfinite(Y), axis=1)]
    if not len(Y):
        return 0.0
    acc = (Y[:, 0] - ACC_REF) / (1.0 - ACC_REF)
    if kind == "linear":
        t = (TIME_REF - Y[:, 1]) / TIME_REF
        s = (SIZE_REF - Y[:, 2]) / SIZE_REF
    else:
        t = np.log10(TIME_REF / Y[:, 1]) / np.log10(TIME_REF / TIME_IDEAL)
        s = np.log10(SIZE_REF / Y[:, 2]) / np.log10(SIZE_REF / SIZE_IDEAL)
    return float(hypervolume(np.column_stack([acc, t, s]), np.zeros(3)))


def run_task(cfg, methods, seeds, jobs):
    budget = cfg["task_budget"]
    tasks = [
        (method, seed, budget, seed == 0 and method == "ours")
        for seed in range(seeds)
        for method in methods
    ]
    tasks.sort(key=lambda t: -_COST.get(t[0], 1))
    log(f"task: {len(tasks)} runs on {jobs} worker(s)")
    return {(r["method"], r["seed"]): r for r in _run_parallel(task_run, tasks, jobs)}


def report_task(cfg, methods, seeds, jobs, runs):
    budget = cfg["task_budget"]
    lines = [
        "## P2. scikit-learn task: RandomForestClassifier on load_digits",
        "",
        f"Objectives accuracy (max), fit_time (min) and model_size (min); "
        f"stratified shuffled {TASK_FOLDS}-fold CV (same folds for all methods "
        f"of a seed); budget {budget}; {seeds} seed(s); {jobs} run(s) in "
        "parallel. Space: n_estimators [1, 100] log, max_depth [1, 20], "
        "min_samples_leaf [1, 30] log, max_features [0.02, 1] log. "
        "Hypervolume in normalized units (box from the reference point to the "
        f"ideal = 1): reference accuracy {ACC_REF}, fit time {TIME_REF} s, "
        f"size {SIZE_REF:.0e} B; *linear*: ideal accuracy 1, 0 s, 0 B; "
        f"*log costs*: costs on a log10 scale, ideal {TIME_IDEAL * 1e3:g} ms "
        f"and {SIZE_IDEAL:.0e} B. Overhead = wall time of the run minus the "
        "fit and score times of every fold of every candidate (as reported by "
        "scikit-learn: `mean_fit_time` and `mean_score_time` for ours, "
        "`cross_validate`'s `fit_time` and `score_time` for Optuna; the score "
        "time includes pickling the model for its size): the sampler, "
        "cloning, dispatch and bookkeeping.",
        "",
    ]
    kinds = ("linear", "log")
    hv = {k: np.full((len(methods), seeds), np.nan) for k in kinds}
    secs = np.full((len(methods), seeds), np.nan)
    over = np.full((len(methods), seeds), np.nan)
    best_acc = np.full((len(methods), seeds), np.nan)
    front = np.full((len(methods), seeds), np.nan)
    errors, warn, check = [], {}, None
    for i, method in enumerate(methods):
        for s in range(seeds):
            r = runs.get((method, s))
            if r is None or "error" in r:
                if r is not None:
                    errors.append((method, "task", s, r["error"], r["traceback"]))
                continue
            for line in r["warnings"]:
                warn.setdefault(method, {}).setdefault(line, 0)
                warn[method][line] += 1
            for k in kinds:
                hv[k][i, s] = task_hv(r["Y"], k)
            secs[i, s] = r["seconds"]
            over[i, s] = r["seconds"] - r["fit_score_seconds"]
            best_acc[i, s] = np.nanmax(r["Y"][:, 0])
            front[i, s] = r["front_size"]
            if "check" in r:
                check = r["check"]
    ok = np.all(np.isfinite(hv["linear"]), axis=1)
    ranks = {k: np.full(len(methods), np.nan) for k in kinds}
    for k in kinds:
        if ok.any():
            ranks[k][ok] = seed_ranks(hv[k][ok])
    header = [
        "method",
        "HV linear",
        "rank",
        "HV log costs",
        "rank",
        "best accuracy",
        "front size",
        "time / run",
        "overhead / run",
    ]
    rows = []
    for i, method in enumerate(methods):
        if not ok[i]:
            rows.append([LABELS[method], "error"] + ["-"] * 7)
            continue
        rows.append(
            [
                LABELS[method],
                mean_std(hv["linear"][i]),
                f"{ranks['linear'][i]:.2f}",
                mean_std(hv["log"][i]),
                f"{ranks['log'][i]:.2f}",
                f"{best_acc[i].mean():.4f}",
                f"{front[i].mean():.1f}",
                fmt_time(secs[i].mean()),
                fmt_time(over[i].mean()),
            ]
        )
    lines += [markdown_table(header, rows), ""]
    summary = []
    if "ours" in methods and ok[methods.index("ours")]:
        i0 = methods.index("ours")
        for k in kinds:
            summ = _summary_row(f"RF / digits, HV {k}", budget, methods, ok, hv[k], i0)
            if summ is not None:
                summary.append(summ)
    lines += ["### Checks", ""]
    if check is not None:
        same, a, b = check
        lines.append(
            "- The first candidate of ours (seed 0) re-evaluated through the "
            f"Optuna objective: accuracy and model size {'equal' if same else 'DIFFER'}"
            f" (ours {a[0]:.6f}, {a[1]:.0f} B; Optuna objective {b[0]:.6f}, "
            f"{b[1]:.0f} B)."
        )
    for method, _, s, err, _ in errors:
        lines.append(f"- **error** {LABELS[method]} seed {s}: {err}")
    if warn:
        lines.append("- Warnings raised during the runs (runs that raised each):")
        for method, msgs in warn.items():
            for msg, count in msgs.items():
                lines.append(f"  - {LABELS[method]}: `{msg}` ({count})")
    lines.append("")
    return "\n".join(lines), summary, errors


# ------------------------------------------------------------------ summary
def _summary_row(title, budget, methods, ok, hv, i0):
    """Ours (bayes) against the best competitor (not a variant of ours), and
    the means of the other variants of ours; None without competitors."""
    others = [i for i in range(len(methods)) if methods[i] not in OURS_VARIANTS]
    others = [i for i in others if ok[i]]
    if not others:
        return None
    means = hv.mean(axis=1)
    best = max(others, key=lambda i: means[i])
    variants = [
        f"{LABELS[methods[i]][len('ours (') : -1]} {means[i]:.4f}"
        for i in range(len(methods))
        if methods[i] in OURS_VARIANTS and i != i0 and ok[i]
    ]
    return (
        title,
        budget,
        means[i0],
        "; ".join(variants) or "-",
        LABELS[methods[best]],
        means[best],
        wtl(hv[i0], hv[best]),
        all(means[i0] > means[i] for i in others),
    )


def report_summary(summary, methods):
    rows = [
        (
            problem,
            budget,
            f"{ours:.4f}",
            variants,
            f"{name} {other:.4f}",
            f"{ours - other:+.4f}",
            w,
            "**met**" if met else "not met",
        )
        for problem, budget, ours, variants, name, other, w, met in summary
    ]
    return "\n".join(
        [
            "## Target: higher mean hypervolume than every competitor at equal budget",
            "",
            'Ours = `strategy="bayes"` (EHVI for 2-3 objectives). '
            "Competitors: every method of the tables that is not a variant of "
            "ours ("
            + ", ".join(LABELS[m] for m in methods if m not in OURS_VARIANTS)
            + "). W/T/L = seeds where ours beat / tied / lost to the best "
            "competitor. The other variants of ours are listed for comparison, "
            "not as competitors.",
            "",
            markdown_table(
                [
                    "problem",
                    "budget",
                    "ours (bayes) mean HV",
                    "other variants of ours",
                    "best competitor (mean HV)",
                    "difference",
                    "W/T/L vs it",
                    "target",
                ],
                rows,
            ),
            "",
        ]
    )


# ---------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="ZDT1 and DTLZ2 at budget 30, 2 seeds; task at budget 20, 1 seed "
        "(about 1 min)",
    )
    parser.add_argument(
        "--only", choices=("synthetic", "task"), help="run only one of the two parts"
    )
    parser.add_argument("--seeds", type=int, help="seeds of part 1 (default 5/2)")
    parser.add_argument("--task-seeds", type=int, help="seeds of part 2 (default 5/1)")
    parser.add_argument(
        "--problems",
        help=f"comma-separated problems of part 1 (from {', '.join(PROBLEMS)})",
    )
    parser.add_argument(
        "--budgets", help="comma-separated budgets of part 1 (default 50,100 / 30)"
    )
    parser.add_argument("--task-budget", type=int, help="budget of part 2 (40/20)")
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes (default 2)"
    )
    parser.add_argument(
        "--methods",
        help=f"comma-separated subset of {','.join(METHODS)} (default all); ranks "
        "are then among these only",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "default"
    cfg = dict(MODES[mode])
    if args.problems:
        cfg["problems"] = tuple(p.strip() for p in args.problems.split(","))
        unknown = set(cfg["problems"]) - set(PROBLEMS)
        if unknown:
            raise SystemExit(f"--problems: unknown {sorted(unknown)}")
    if args.budgets:
        cfg["budgets"] = tuple(sorted(int(b) for b in args.budgets.split(",")))
    if args.task_budget:
        cfg["task_budget"] = args.task_budget
    methods = list(METHODS)
    if args.methods:
        chosen = [m.strip() for m in args.methods.split(",")]
        unknown = set(chosen) - set(METHODS)
        if unknown:
            raise SystemExit(f"--methods: unknown {sorted(unknown)}; from {METHODS}")
        methods = [m for m in METHODS if m in chosen]
    _quiet()
    _check_functions()
    with threadpool_limits(limits=1):
        run(args, mode, cfg, methods)


def _part_methods(methods, part):
    return [m for m in methods if part in PARTS.get(m, ("synthetic", "task"))]


def run(args, mode, cfg, methods):
    start = time.perf_counter()
    fingerprint = source_fingerprint()
    print(environment_report(mode))
    avail = _methods_available(methods)
    print(
        "- Methods: "
        + ", ".join(
            f"{LABELS[m]} {'yes' if avail[m] is None else avail[m]}" for m in methods
        )
    )
    print(flush=True)
    methods = [m for m in methods if avail[m] is None]
    summary, errors = [], []
    if args.only in (None, "synthetic"):
        t0 = time.perf_counter()
        seeds = args.seeds or cfg["seeds"]
        part = _part_methods(methods, "synthetic")
        runs, checks = run_synthetic(cfg, part, seeds, args.jobs)
        text, summ, errs = report_synthetic(cfg, part, seeds, args.jobs, runs, checks)
        print(text)
        print(f"(part 1 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
        summary += summ
        errors += errs
    if args.only in (None, "task"):
        t0 = time.perf_counter()
        seeds = args.task_seeds or cfg["task_seeds"]
        part = _part_methods(methods, "task")
        runs = run_task(cfg, part, seeds, args.jobs)
        text, summ, errs = report_task(cfg, part, seeds, args.jobs, runs)
        print(text)
        print(f"(part 2 took {time.perf_counter() - t0:.0f} s)\n", flush=True)
        summary += summ
        errors += errs
    if summary:
        print(report_summary(summary, methods))
    print(f"Total time: {time.perf_counter() - start:.0f} s")
    for method, problem, seed, _, tb in errors:
        log(f"\n--- traceback: {method} {problem} seed {seed}\n{tb}")
    end = source_fingerprint()
    if end != fingerprint:
        print(
            f"\n**Warning**: sklearn_hpo's sources changed during the run "
            f"({fingerprint} -> {end}; now {_git_state()}): rerun on a tree "
            "nobody edits."
        )


if __name__ == "__main__":
    main()
