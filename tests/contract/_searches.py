"""The search classes the contract suite runs over.

A new search class joins every contract test by adding one entry to
``SEARCHES``: a name and a factory ``make(estimator, space, **kwargs)`` that
builds an instance from an estimator and a ``RandomizedSearchCV``-style space
(a dict or list of dicts of lists, scipy distributions and ranges).
"""

from sklearn_hpo import BayesSearchCV, SobolSearchCV


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


SEARCHES = {
    "SobolSearchCV": _sobol,
    "BayesSearchCV": _bayes,
}


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
