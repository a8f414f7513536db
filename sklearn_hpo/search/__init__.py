"""The search estimators (the only layer that knows scikit-learn)."""

from sklearn_hpo.search._base import BaseSampledSearchCV
from sklearn_hpo.search._bayes import BayesSearchCV
from sklearn_hpo.search._callbacks import (
    DeadlineStopper,
    NoImprovementStopper,
    SearchProgress,
    ThresholdStopper,
)
from sklearn_hpo.search._checkpoint import load_checkpoint
from sklearn_hpo.search._hyperband import HyperbandSearchCV
from sklearn_hpo.search._nested import NestedCV, compare_nested_cv
from sklearn_hpo.search._pareto import ParetoSearchCV
from sklearn_hpo.search._sobol import SobolSearchCV

__all__ = [
    "BaseSampledSearchCV",
    "BayesSearchCV",
    "DeadlineStopper",
    "HyperbandSearchCV",
    "NestedCV",
    "NoImprovementStopper",
    "ParetoSearchCV",
    "SearchProgress",
    "SobolSearchCV",
    "ThresholdStopper",
    "compare_nested_cv",
    "load_checkpoint",
]
