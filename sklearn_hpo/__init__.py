"""sklearn-hpo: hyperparameter search that follows scikit-learn's BaseSearchCV.

Swap the class name, keep the rest::

    from sklearn_hpo import SobolSearchCV
    search = SobolSearchCV(estimator, param_distributions, n_iter=32)
"""

from sklearn_hpo.search import DeadlineStopper, SearchProgress, SobolSearchCV
from sklearn_hpo.space import Categorical, Integer, Real, SearchSpace

__version__ = "0.1.0.dev0"

__all__ = [
    "Categorical",
    "DeadlineStopper",
    "Integer",
    "Real",
    "SearchProgress",
    "SearchSpace",
    "SobolSearchCV",
    "__version__",
]
