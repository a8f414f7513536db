"""The search classes the contract suite runs over.

A new search class joins every contract test by adding one entry to
``SEARCHES``: a name and a factory ``make(estimator, space, **kwargs)`` that
builds an instance from an estimator and a ``RandomizedSearchCV``-style space
(a dict or list of dicts of lists, scipy distributions and ranges).
"""

from sklearn_hpo import BayesSearchCV, HyperbandSearchCV, ParetoSearchCV, SobolSearchCV


def _sobol(estimator, space, **kwargs):
    kwargs.setdefault("n_iter", 4)
    kwargs.setdefault("random_state", 0)
    return SobolSearchCV(estimator, space, **kwargs)


def _bayes(estimator, space, **kwargs):
    kwargs.setdefault("n_iter", 4)
    kwargs.setdefault("random_state", 0)
    # a small initial design so that the model proposes within the budget
    kwargs.setdefault("optimizer_kwargs", {"n_initial_points": 2, "n_candidates": 256})
    return BayesSearchCV(estimator, space, **kwargs)


def _hyperband(estimator, space, **kwargs):
    kwargs.setdefault("n_iter", 4)
    kwargs.setdefault("random_state", 0)
    return HyperbandSearchCV(estimator, space, **kwargs)


def _pareto(estimator, space, **kwargs):
    kwargs.setdefault("n_iter", 4)
    kwargs.setdefault("random_state", 0)
    kwargs.setdefault("n_initial_points", 2)
    # the metrics of scoring (or the one refit names) against the model size
    # (deterministic, unlike the fit time, so runs repeat exactly)
    scoring, refit = kwargs.get("scoring"), kwargs.get("refit")
    if isinstance(scoring, dict | list | tuple):
        metrics = list(scoring)
    elif callable(scoring) and isinstance(refit, str):
        metrics = [refit]
    else:
        metrics = ["score"]
    kwargs.setdefault("objectives", [*metrics, "model_size"])
    return ParetoSearchCV(estimator, space, **kwargs)


SEARCHES = {
    "SobolSearchCV": _sobol,
    "BayesSearchCV": _bayes,
    "HyperbandSearchCV": _hyperband,
    "ParetoSearchCV": _pareto,
}


def extra_results(search):
    """cv_results_ columns a fitted search adds to scikit-learn's schema."""
    name = type(search).__name__
    if name == "HyperbandSearchCV":
        return {"iter", "bracket", "rung", "n_resources", "candidate"}
    if name == "ParetoSearchCV":
        objectives = {f"objective_{n}" for n in search.objectives_}
        costs = {
            key
            for key in search.cv_results_
            if any(key.endswith(f"_{c}") for c in extra_scorers(search))
        }
        return {"feasible", "pareto_rank", *objectives, *costs}
    return set()


def extra_scorers(search):
    """Names of scorers a search adds to the user's scoring (built-in costs)."""
    if type(search).__name__ == "ParetoSearchCV":
        return {"model_size", "predict_latency"} & set(search.objectives_)
    return set()


def final_rows(results):
    """Rows of ``cv_results_`` that are each candidate's last evaluation.

    A multi-fidelity search has one row per candidate and rung (column
    ``candidate``); the others have one row per candidate.
    """
    import numpy as np

    n = len(results["params"])
    if "candidate" not in results:
        return np.arange(n)
    cand = np.asarray(results["candidate"])
    last = {c: i for i, c in enumerate(cand)}  # rungs are recorded in order
    return np.array(sorted(last.values()))


def expected_failed_checks(estimator):
    """Checks of scikit-learn's suite that fail for a search, with the reason.

    The same one scikit-learn lists for its own RandomizedSearchCV over a
    regressor: a 2-d ``y`` reaches the regressor, which fits it without the
    warning the check expects from a 1-d-only estimator.
    """
    from sklearn.base import is_classifier

    if is_classifier(estimator):
        return {}
    return {
        "check_supervised_y_2d": "DataConversionWarning not caught (as for "
        "scikit-learn's own searches)",
    }


def best_rows(results):
    """Rows ``best_index_`` may point to: all of them, or for a multi-fidelity
    search those at the largest resource (never a low-rung score)."""
    import numpy as np

    n = len(results["params"])
    if "n_resources" not in results:
        return np.arange(n)
    res = np.asarray(results["n_resources"])
    return np.flatnonzero(res == res.max())
