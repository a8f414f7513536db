"""
LightGBM with early stopping inside each cross-validation fold
==============================================================

Tunes a ``LGBMClassifier`` on a generated table with a categorical column
(a pandas ``category``, which LightGBM splits on as a categorical) two ways,
with the same 8 Sobol' candidates:

* a fixed ``n_estimators=300``, the usual way;
* :class:`~sklearn_hpo.integrations.EarlyStopping` around a model allowed up
  to 3000 rounds: each fit holds out 10% of *its own training fold* and stops
  when the validation log-loss has not improved for 20 rounds. The fold's
  test part is never used to stop, so the cross-validated score stays
  honest (passing one ``eval_set`` to every fold, the common mistake, leaks
  it).

The early-stopped search records each split's best iteration in
``cv_results_`` (``split{k}_best_iteration``, ``mean_best_iteration``) and
refits the winner on all the training data for
``ceil(median(best iterations) / (1 - 0.1))`` rounds.

The script prints, for each search, the best cross-validated ROC AUC, the
ROC AUC of the refitted model on a held-out test set, the summed fit time of
the cross-validation fits and the wall time; then the best iteration of the
winner on each split and the number of rounds of its refit.
"""

import math
import time

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

from sklearn_hpo import SobolSearchCV
from sklearn_hpo.integrations import EarlyStopping

# %%
# A table of 2000 rows: 12 numeric columns and one categorical column with
# six levels, two of which shift the label.
X, y = make_classification(
    n_samples=2000, n_features=12, n_informative=6, flip_y=0.05, random_state=0
)
rng = np.random.default_rng(0)
X = pd.DataFrame(X, columns=[f"x{i}" for i in range(12)])
level = rng.integers(0, 6, size=len(X))
y = np.where(rng.random(len(X)) < 0.25, np.isin(level, [1, 4]).astype(int), y)
X["shop"] = pd.Categorical(np.array(list("abcdef"))[level])
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# The same space for both searches; behind EarlyStopping the model's
# parameters are written ``estimator__<name>``.
space = {
    "learning_rate": (0.02, 0.3, "log-uniform"),
    "num_leaves": (4, 64, "log-uniform"),
    "min_child_samples": (5, 60),
    "colsample_bytree": (0.5, 1.0),
}
common = dict(n_iter=8, cv=3, scoring="roc_auc", n_jobs=2, random_state=0)
model = dict(verbose=-1, n_jobs=1, random_state=0)
searches = {
    "fixed n_estimators=300": SobolSearchCV(
        LGBMClassifier(n_estimators=300, **model), space, **common
    ),
    "EarlyStopping (<= 3000)": SobolSearchCV(
        EarlyStopping(
            LGBMClassifier(n_estimators=3000, **model), patience=20, random_state=0
        ),
        {f"estimator__{name}": dim for name, dim in space.items()},
        **common,
    ),
}

rows = []
for name, search in searches.items():
    start = time.perf_counter()
    search.fit(X_train, y_train)
    wall = time.perf_counter() - start
    fit_time = np.sum(search.cv_results_["mean_fit_time"]) * search.n_splits_
    rows.append(
        (name, search.best_score_, search.score(X_test, y_test), fit_time, wall)
    )

# %%
# The table.
header = ("search", "best CV ROC AUC", "test ROC AUC", "CV fit time (s)", "wall (s)")
print(f"| {' | '.join(header)} |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, cv_score, test_score, fit_time, wall in rows:
    print(
        f"| {name} | {cv_score:.4f} | {test_score:.4f} | {fit_time:.1f} | {wall:.1f} |"
    )
print()

# %%
# Where the winner stopped on each split, and the refit's number of rounds.
search = searches["EarlyStopping (<= 3000)"]
results, best = search.cv_results_, search.best_index_
stops = [
    int(results[f"split{k}_best_iteration"][best]) for k in range(search.n_splits_)
]
refit = search.best_estimator_
print("best iteration of the winner on each split:", stops)
print(
    f"refit rounds: ceil(median {np.median(stops):g} / 0.9) = {refit.n_iterations}"
    f" (booster trees: {refit.estimator_.booster_.num_trees()})"
)
assert refit.n_iterations == math.ceil(np.median(stops) / 0.9)
