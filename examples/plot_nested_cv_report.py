"""
Nested cross-validation with a report
=====================================

A search's ``best_score_`` is optimistic: the winner was picked on the same
folds that scored it. :class:`~sklearn_hpo.NestedCV` gives the honest
estimate: an outer 5-fold loop, in which a fresh search tunes on the outer
training part only and its winner is scored on the outer test part.

The script tunes two models on the breast-cancer data set (it ships with
scikit-learn), a scaled support-vector classifier with
:class:`~sklearn_hpo.BayesSearchCV` and a random forest with
:class:`~sklearn_hpo.SobolSearchCV`, on the same outer splits; prints each
report's summary, the chosen hyperparameters per fold and a corrected
resampled t-test of the difference (:func:`~sklearn_hpo.compare_nested_cv`);
and writes a self-contained HTML report (tables and plots).
"""

import tempfile
from pathlib import Path

from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_hpo import BayesSearchCV, NestedCV, SobolSearchCV, compare_nested_cv
from sklearn_hpo.space import Integer, Real

X, y = load_breast_cancer(return_X_y=True)

# %%
# Two searches, each wrapped in the same outer loop (same ``outer_cv`` and
# ``random_state``, hence the same splits). ``n_jobs=2`` runs two outer folds
# at a time, each inner search with one worker.
svc = BayesSearchCV(
    make_pipeline(StandardScaler(), SVC()),
    {
        "svc__C": Real(1e-2, 1e3, prior="log-uniform"),
        "svc__gamma": Real(1e-4, 1e0, prior="log-uniform"),
    },
    n_iter=12,
    cv=3,
)
forest = SobolSearchCV(
    RandomForestClassifier(n_estimators=50, random_state=0),
    {"max_depth": Integer(2, 16), "max_features": Real(0.1, 1.0)},
    n_iter=8,
    cv=3,
)
nested = {
    name: NestedCV(search, outer_cv=5, random_state=0, n_jobs=2, refit=False)
    for name, search in [("SVC", svc), ("random forest", forest)]
}
for result in nested.values():
    result.fit(X, y)
    print(result.report_.to_text())
    print()

# %%
# The chosen hyperparameters vary from fold to fold: the nested score
# estimates the performance of the *tuning procedure*, not of one
# configuration.
print(nested["SVC"].chosen_params_.round(4).to_string())
print()

# %%
# Paired comparison on the same outer folds, with the Nadeau-Bengio
# correction for the overlap of the training sets.
table = compare_nested_cv(*nested.values(), names=list(nested))
print(table.round(4).to_string(index=False))

# %%
# The full report as one HTML file (tables and embedded plots) and as
# Markdown.
out = Path(tempfile.mkdtemp()) / "nested_svc.html"
nested["SVC"].to_html(out)
print(f"\nHTML report written to {out} ({out.stat().st_size // 1024} KiB)")
print(nested["SVC"].to_markdown().splitlines()[0])
