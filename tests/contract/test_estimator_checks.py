"""scikit-learn's estimator checks on every search class.

Instances are built as scikit-learn builds its own RandomizedSearchCV for
these checks: a small space, cv=2, error_score="raise".
"""

from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from tests.contract._searches import SEARCHES, expected_failed_checks


def _instances():
    for make in SEARCHES.values():
        common = dict(cv=2, error_score="raise", n_iter=2)
        yield make(Ridge(), {"alpha": [0.1, 1.0]}, **common)
        yield make(LogisticRegression(), {"C": (0.1, 1.0)}, **common)
        yield make(
            Pipeline([("pca", PCA()), ("ridge", Ridge())]),
            {"ridge__alpha": (0.1, 1.0, "log-uniform")},
            **common,
        )


@parametrize_with_checks(
    list(_instances()), expected_failed_checks=expected_failed_checks
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
