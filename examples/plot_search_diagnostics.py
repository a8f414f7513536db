"""
Diagnostic plots of a search
============================

What did the search do, and what did it learn about the hyperparameters?
:mod:`sklearn_hpo.plot` draws it from a fitted search. The script tunes a
scaled support-vector classifier on the breast-cancer data set (it ships with
scikit-learn) and draws:

* the convergence of :class:`~sklearn_hpo.BayesSearchCV`,
  :class:`~sklearn_hpo.SobolSearchCV` and scikit-learn's
  ``RandomizedSearchCV`` (best score so far against evaluations and against
  fitting time);
* the importance of each hyperparameter, from a Gaussian-process surrogate
  of the scores (inverse lengthscales, and the share of the surrogate's
  variance each parameter explains alone), and the surrogate's partial
  dependence on one parameter and on two;
* the rungs of a :class:`~sklearn_hpo.HyperbandSearchCV` (score against
  training-set size, one line per candidate);
* the Pareto front of a :class:`~sklearn_hpo.ParetoSearchCV` (accuracy
  against model size of a random forest);
* the per-fold results of a :class:`~sklearn_hpo.NestedCV`.

It prints the best score of each search and the importance table.
"""

import warnings

import matplotlib.pyplot as plt
from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_hpo import (
    BayesSearchCV,
    HyperbandSearchCV,
    NestedCV,
    ParetoSearchCV,
    SobolSearchCV,
)
from sklearn_hpo.plot import (
    param_importance,
    plot_convergence,
    plot_hyperband_rungs,
    plot_nested_cv,
    plot_param_importance,
    plot_pareto_front,
    plot_partial_dependence,
)

X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), SVC())
space = {
    "svc__C": (1e-2, 1e3, "log-uniform"),
    "svc__gamma": (1e-5, 1e-1, "log-uniform"),
    "svc__class_weight": [None, "balanced"],
}

# %%
# Three searches of the same space, 24 candidates each.
searches = {
    "BayesSearchCV": BayesSearchCV(pipe, space, n_iter=24, cv=3, random_state=0),
    "SobolSearchCV": SobolSearchCV(pipe, space, n_iter=24, cv=3, random_state=0),
    "RandomizedSearchCV": RandomizedSearchCV(
        pipe,
        {
            "svc__C": loguniform(1e-2, 1e3),
            "svc__gamma": loguniform(1e-5, 1e-1),
            "svc__class_weight": [None, "balanced"],
        },
        n_iter=24,
        cv=3,
        random_state=0,
    ),
}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # n_iter=24 is not a power of two (Sobol')
    for search in searches.values():
        search.fit(X, y)

print("| search | best CV accuracy | candidates |")
print("| --- | ---: | ---: |")
for name, search in searches.items():
    n = len(search.cv_results_["params"])
    print(f"| {name} | {search.best_score_:.4f} | {n} |")
print()

# %%
# Convergence: the running best, against the number of evaluations and
# against the fitting time spent (summed over the folds).
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
plot_convergence(list(searches.values()), ax=left)
plot_convergence(list(searches.values()), ax=right, x="time")

# %%
# Which hyperparameters matter? The lengthscales of a GP fitted to the
# Bayesian search's scores (short lengthscale: the score changes quickly
# with that parameter), and the share of the variance of the GP's mean each
# parameter explains on its own (the rest is interactions).
bayes = searches["BayesSearchCV"]
table = param_importance(bayes).to_frame("1 / lengthscale")
table["variance share"] = param_importance(bayes, method="variance")
print(table.round(3).to_string())
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained")
plot_param_importance(bayes, ax=left)
plot_param_importance(bayes, ax=right, method="variance")

# %%
# Partial dependence: the GP's mean averaged over the other parameters, with
# a band of two posterior standard deviations of that average; and the joint
# effect of C and gamma. The dots are the candidates evaluated.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
plot_partial_dependence(bayes, "svc__C", ax=left)
plot_partial_dependence(bayes, ["svc__C", "svc__gamma"], ax=right)

# %%
# Hyperband on the number of training samples: many candidates on a small
# subsample, the best third promoted to three times more at each rung.
hyperband = HyperbandSearchCV(
    pipe,
    {"svc__C": (1e-2, 1e3, "log-uniform"), "svc__gamma": (1e-5, 1e-1, "log-uniform")},
    resource="n_samples",
    cv=3,
    random_state=0,
).fit(X, y)
print(f"\nHyperband: {len(set(hyperband.cv_results_['candidate']))} candidates")
plot_hyperband_rungs(hyperband)

# %%
# Accuracy against the size of the pickled model: a random forest's Pareto
# front (the staircase bounds the region the front dominates).
pareto = ParetoSearchCV(
    RandomForestClassifier(random_state=0),
    {"n_estimators": (5, 60), "max_depth": (1, 12)},
    objectives=["score", "model_size"],
    n_iter=16,
    cv=3,
    random_state=0,
).fit(X, y)
print(f"Pareto front: {len(pareto.pareto_indices_)} of 16 candidates")
plot_pareto_front(pareto)

# %%
# Nested cross-validation: the outer score of each fold, and the inner
# search's own (optimistic) best score against it.
nested = NestedCV(
    SobolSearchCV(pipe, space, n_iter=8, cv=3, random_state=0),
    outer_cv=4,
    random_state=0,
    refit=False,
).fit(X, y)
print(f"Nested CV accuracy: {nested.nested_score_:.4f}")
plot_nested_cv(nested)
plt.show()
