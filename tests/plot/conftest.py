"""Fitted searches shared by the plot tests (tiny: iris, few candidates), on Agg."""

import warnings

import pytest

matplotlib = pytest.importorskip("matplotlib", reason="the plot extra")
matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt  # noqa: E402
from scipy.stats import loguniform  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

from sklearn_hpo import (  # noqa: E402
    BayesSearchCV,
    HyperbandSearchCV,
    NestedCV,
    ParetoSearchCV,
    SobolSearchCV,
)

IRIS = load_iris(return_X_y=True)
TREE_SPACE = {"max_depth": (1, 8), "min_samples_leaf": (1, 40)}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def sobol():
    """SobolSearchCV of a tree: 16 candidates, two integer parameters."""
    return SobolSearchCV(
        DecisionTreeClassifier(random_state=0),
        TREE_SPACE,
        n_iter=16,
        cv=3,
        random_state=0,
    ).fit(*IRIS)


@pytest.fixture(scope="session")
def bayes():
    """BayesSearchCV of an SVC: log-uniform C and gamma, a categorical kernel."""
    return BayesSearchCV(
        SVC(),
        {
            "C": (1e-2, 1e2, "log-uniform"),
            "gamma": (1e-3, 1.0, "log-uniform"),
            "kernel": ["rbf", "linear"],
        },
        n_iter=12,
        cv=3,
        optimizer_kwargs={"n_initial_points": 8},
        random_state=0,
    ).fit(*IRIS)


@pytest.fixture(scope="session")
def grid():
    """scikit-learn's GridSearchCV: a numeric grid and a categorical."""
    return GridSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": [1, 2, 4, 8], "criterion": ["gini", "entropy"]},
        cv=3,
    ).fit(*IRIS)


@pytest.fixture(scope="session")
def hyperband():
    """HyperbandSearchCV over SGD epochs: three brackets, 1 to 9 epochs."""
    search = HyperbandSearchCV(
        SGDClassifier(max_iter=9, random_state=0),
        {"alpha": loguniform(1e-5, 1e-1)},
        resource="max_iter",
        min_resource=1,
        cv=3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SGD's ConvergenceWarning
        return search.fit(*IRIS)


def _pareto(objectives):
    return ParetoSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": (1, 8), "min_samples_leaf": (1, 20)},
        objectives=objectives,
        n_iter=12,
        cv=3,
        strategy="sobol",
        random_state=0,
    ).fit(*IRIS)


@pytest.fixture(scope="session")
def pareto2():
    return _pareto(["score", "model_size"])


@pytest.fixture(scope="session")
def pareto3():
    return _pareto(["score", "model_size", "fit_time"])


@pytest.fixture(scope="session")
def nested():
    """NestedCV of a small grid, 3 outer folds, two outer metrics."""
    search = GridSearchCV(
        DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2, 4]}, cv=3
    )
    return NestedCV(
        search, outer_cv=3, scoring=["accuracy", "f1_macro"], random_state=0
    ).fit(*IRIS)
