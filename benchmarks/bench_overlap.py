"""What overlapping batches cost in search quality (BayesSearchCV).

With ``overlap_batches=True`` BayesSearchCV overlaps its rounds: round
``k + 1`` is proposed before round ``k`` is scored, round ``k``'s candidates
believed at the GP's posterior mean. That keeps the workers busy
(``bench_parallel.py``) but each proposal sees one round fewer of scores.
This script measures the price in simple regret at a fixed budget, on standard
test functions, for

- ``n_points=1`` (sequential: every proposal sees every score),
- ``n_points=2`` (strict rounds, the default ``overlap_batches=False``),
- ``n_points=2, overlap_batches=True``,
- random search (``RandomizedSearchCV``, the floor),

each a real ``BayesSearchCV.fit`` on an estimator whose CV score is minus the
test function at its parameters (``cv=2``, the fits cost nothing), ``n_jobs=1``
(the candidates do not depend on ``n_jobs``). Reported: mean and median
simple regret ``f(best) - f*`` over seeds, and how often the overlapped
search did at least as well as the strict one.

Run::

    python benchmarks/bench_overlap.py             # 10 seeds, budget 40
    python benchmarks/bench_overlap.py --quick     # 2 seeds
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from _env import base_versions, git_state, run_lines  # noqa: E402
from bench_bayes import FUNCTIONS as TEST_FUNCTIONS  # noqa: E402
from scipy.stats import uniform  # noqa: E402
from sklearn.base import BaseEstimator, RegressorMixin  # noqa: E402
from sklearn.model_selection import RandomizedSearchCV  # noqa: E402

from sklearn_hpo import BayesSearchCV  # noqa: E402

# name -> (function on its box, lower bounds, upper bounds, f*, a minimizer):
# bench_bayes.py's standard test functions, used on the unit cube here
NAMES = ("Branin", "Hartmann-6", "Rosenbrock-4")
FUNCTIONS = {name: TEST_FUNCTIONS[name] for name in NAMES}


class TestFunction(RegressorMixin, BaseEstimator):
    """Scores ``-f(x0, ..., x5)`` whatever the data (``f`` by name)."""

    def __init__(self, name="Branin", x0=0.5, x1=0.5, x2=0.5, x3=0.5, x4=0.5, x5=0.5):
        self.name = name
        self.x0, self.x1, self.x2, self.x3, self.x4, self.x5 = x0, x1, x2, x3, x4, x5

    def value(self):
        f, lo, hi, _, _ = FUNCTIONS[self.name]
        u = np.array([getattr(self, f"x{j}") for j in range(len(lo))])
        return float(f(lo + u * (hi - lo)))

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        return -self.value()


ARMS = {
    "n_points=1 (sequential)": dict(n_points=1),
    "n_points=2 (strict rounds)": dict(n_points=2, overlap_batches=False),
    "n_points=2, overlap_batches=True": dict(n_points=2, overlap_batches=True),
}
RANDOM = "random search"


def run_one(arm, name, seed, budget):
    _, lo, _, f_min, _ = FUNCTIONS[name]
    space = {f"x{j}": (0.0, 1.0) for j in range(len(lo))}
    X = np.zeros((8, 2))
    est = TestFunction(name=name)
    if arm == RANDOM:
        dists = {k: uniform(0, 1) for k in space}
        search = RandomizedSearchCV(est, dists, n_iter=budget, cv=2, random_state=seed)
    else:
        search = BayesSearchCV(
            est, space, n_iter=budget, cv=2, random_state=seed, **ARMS[arm]
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        search.fit(X)
        seconds = time.perf_counter() - start
    return -search.best_score_ - f_min, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budget", type=int, default=40)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds = 2
    arms = [*ARMS, RANDOM]
    regret = {(n, a): [] for n in FUNCTIONS for a in arms}
    secs = {a: [] for a in arms}
    for name in FUNCTIONS:
        for seed in range(args.seeds):
            for arm in arms:
                r, s = run_one(arm, name, seed, args.budget)
                regret[(name, arm)].append(r)
                secs[arm].append(s)
            print(f"  {name} seed {seed} done", flush=True)

    lines = ["## Overlapping batches: search quality (`bench_overlap.py`)", ""]
    lines += run_lines(f"{args.seeds} seeds, budget {args.budget}")
    lines.append(f"- Versions: {base_versions()}; sklearn_hpo {git_state()}")
    lines += ["", "| function | " + " | ".join(arms) + " | overlapped <= strict |"]
    lines.append("|" + "---|" * (len(arms) + 2))
    for name in FUNCTIONS:
        cells = []
        for arm in arms:
            v = regret[(name, arm)]
            cells.append(f"{np.mean(v):.4g} (median {statistics.median(v):.4g})")
        over = regret[(name, "n_points=2, overlap_batches=True")]
        strict = regret[(name, "n_points=2 (strict rounds)")]
        wins = sum(o <= s for o, s in zip(over, strict, strict=True))
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {wins}/{len(over)} |")
    lines += [
        "",
        "Simple regret f(best) - f* after the budget, mean (median) over seeds; "
        "lower is better. Seconds per run (median): "
        + ", ".join(f"{a} {statistics.median(secs[a]):.1f}" for a in arms)
        + ".",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
