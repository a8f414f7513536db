"""
Replace GridSearchCV with SobolSearchCV or BayesSearchCV
========================================================

Tunes a scaler + support-vector classifier on the digits data set (it ships
with scikit-learn) four ways: ``GridSearchCV`` on a 5 x 5 grid, and
``RandomizedSearchCV``, :class:`~sklearn_hpo.SobolSearchCV` and
:class:`~sklearn_hpo.BayesSearchCV` with 16 candidates each on continuous
log-uniform ranges. It prints, for each, the best
cross-validated score, the score of the refitted model on a held-out test
set, the number of fits and the wall time.

This script is what ``make demo`` runs.
"""

import time

import numpy as np
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_hpo import BayesSearchCV, SobolSearchCV

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
pipe = make_pipeline(StandardScaler(), SVC())

# %%
# The same search, four classes. Only the class name and the way the space
# is written change.
searches = {
    "GridSearchCV (5 x 5 grid)": GridSearchCV(
        pipe,
        {"svc__C": np.logspace(-2, 3, 5), "svc__gamma": np.logspace(-5, 0, 5)},
        cv=5,
        n_jobs=-1,
    ),
    "RandomizedSearchCV (16)": RandomizedSearchCV(
        pipe,
        {"svc__C": loguniform(1e-2, 1e3), "svc__gamma": loguniform(1e-5, 1)},
        n_iter=16,
        cv=5,
        n_jobs=-1,
        random_state=0,
    ),
    "SobolSearchCV (16)": SobolSearchCV(
        pipe,
        {
            "svc__C": (1e-2, 1e3, "log-uniform"),
            "svc__gamma": (1e-5, 1.0, "log-uniform"),
        },
        n_iter=16,
        cv=5,
        n_jobs=-1,
        random_state=0,
    ),
    # Proposes two candidates per round (one per core) from a Gaussian process
    # fitted to the scores so far.
    "BayesSearchCV (16)": BayesSearchCV(
        pipe,
        {
            "svc__C": (1e-2, 1e3, "log-uniform"),
            "svc__gamma": (1e-5, 1.0, "log-uniform"),
        },
        n_iter=16,
        n_points=2,
        cv=5,
        n_jobs=-1,
        random_state=0,
    ),
}

rows = []
for name, search in searches.items():
    start = time.perf_counter()
    search.fit(X_train, y_train)
    wall = time.perf_counter() - start
    n_fits = len(search.cv_results_["params"]) * search.n_splits_
    rows.append((name, search.best_score_, search.score(X_test, y_test), n_fits, wall))

# %%
# The table.
header = ("search", "best CV score", "test score", "fits", "wall time (s)")
print(f"| {' | '.join(header)} |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, cv_score, test_score, n_fits, wall in rows:
    print(f"| {name} | {cv_score:.4f} | {test_score:.4f} | {n_fits} | {wall:.1f} |")
print()
for name in ("SobolSearchCV (16)", "BayesSearchCV (16)"):
    best = searches[name].best_params_
    print(f"{name} best parameters:", {k: round(v, 6) for k, v in best.items()})
