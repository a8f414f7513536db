"""
Hyperband on boosting iterations, with continued models
=======================================================

Tunes a ``HistGradientBoostingClassifier`` on a generated data set with the
number of boosting iterations (``max_iter``) as the resource.
:class:`~sklearn_hpo.HyperbandSearchCV` evaluates many candidates with a few
iterations, keeps the best third at each rung, and lets the survivors
*continue* their per-fold models (warm start) up to ``max_iter=81``. It runs
twice: Hyperband's synchronous brackets (``mode="sync"``), and ASHA's
asynchronous promotions with BOHB-style proposals (``mode="async"``,
``sampler="bayes"``). scikit-learn's ``HalvingRandomSearchCV`` runs
successive halving on the same resource and refits every survivor from
scratch.

The script prints, for each search, the best cross-validated score among
candidates evaluated with the full resource, the held-out score of the
refitted model, the number of fits, the boosting iterations trained (and
what they would have been without continuation) and the wall time. Speed
comparisons on larger data are in ``benchmarks/bench_hyperband.py``.
"""

import time

import numpy as np
from scipy.stats import loguniform, randint
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    HalvingRandomSearchCV,
    train_test_split,
)

from sklearn_hpo import HyperbandSearchCV

X, y = make_classification(
    n_samples=2000, n_features=20, n_informative=8, flip_y=0.05, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = HistGradientBoostingClassifier(max_iter=81, early_stopping=False)
space = {
    "learning_rate": loguniform(0.01, 1.0),
    "max_leaf_nodes": randint(4, 64),
    "min_samples_leaf": randint(5, 100),
}

# %%
# ``n_iter=40`` starts 60 candidates: Hyperband's brackets (Li et al., 2018)
# in turn, most aggressive first; ASHA starts them all at the bottom rung.
searches = {
    "Hyperband (sync)": HyperbandSearchCV(
        model, space, resource="max_iter", min_resource=3, n_iter=40, random_state=0
    ),
    "ASHA + GP (async)": HyperbandSearchCV(
        model,
        space,
        resource="max_iter",
        min_resource=3,
        n_iter=40,
        mode="async",
        sampler="bayes",
        random_state=0,
    ),
    "HalvingRandomSearchCV": HalvingRandomSearchCV(
        model,
        space,
        resource="max_iter",
        min_resources=3,
        max_resources=81,
        n_candidates=40,
        random_state=0,
    ),
}


def iterations_trained(search):
    """Boosting iterations fitted, and what they would be without continuation."""
    res = search.cv_results_
    from_scratch = int(np.sum(res["n_resources"])) * search.n_splits_
    if "candidate" not in res:  # HalvingRandomSearchCV refits every rung
        return from_scratch, from_scratch
    # a continued model trains only what its rung adds to the one below
    top = [
        np.max(res["n_resources"][res["candidate"] == c]) for c in set(res["candidate"])
    ]
    return int(np.sum(top)) * search.n_splits_, from_scratch


print(
    f"{'search':<24}{'CV score':>9}{'test':>8}{'fits':>6}{'iterations':>12}"
    f"{'(refit)':>9}{'time (s)':>10}"
)
for name, search in searches.items():
    start = time.perf_counter()
    search.fit(X_train, y_train)
    elapsed = time.perf_counter() - start
    n_fits = len(search.cv_results_["params"]) * search.n_splits_
    trained, from_scratch = iterations_trained(search)
    test = search.score(X_test, y_test)
    print(
        f"{name:<24}{search.best_score_:>9.4f}{test:>8.4f}{n_fits:>6}"
        f"{trained:>12}{from_scratch:>9}{elapsed:>10.1f}"
    )

# %%
# Which candidates went how far: rows of ``cv_results_`` per bracket and rung.
res = searches["Hyperband (sync)"].cv_results_
for s in sorted(set(res["bracket"]), reverse=True):
    rungs = [
        (int(r), int(np.sum((res["bracket"] == s) & (res["rung"] == r))))
        for r in sorted(set(res["rung"][res["bracket"] == s]))
    ]
    at = {
        r: int(res["n_resources"][(res["bracket"] == s) & (res["rung"] == r)][0])
        for r, _ in rungs
    }
    sizes = ", ".join(f"{n} at {at[r]}" for r, n in rungs)
    print(f"bracket s={s}: {sizes}")
print("continuation:", searches["Hyperband (sync)"].continued_)
