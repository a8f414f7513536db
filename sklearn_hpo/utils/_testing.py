"""Test support: estimators whose score is a known function of their parameters.

Used by sklearn-hpo's own tests and benchmarks to measure search quality in
milliseconds. Package code never imports this module.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

__all__ = ["FailingClassifier", "SyntheticObjective"]


class SyntheticObjective(RegressorMixin, BaseEstimator):
    """An estimator whose score is ``-sum_j (x_j - optimum_j)^2``.

    The hyperparameters are ``x0 .. x3`` (floats or ints) plus ``c`` (a
    categorical; the value ``"good"`` scores 0 and anything else ``-penalty``).
    ``fit`` does nothing but remember the number of features, so a search over
    it costs only its own overhead.

    Parameters
    ----------
    x0, x1, x2, x3 : float, default=0.0
        Coordinates scored against ``optimum``.
    c : object, default="good"
        A categorical hyperparameter.
    optimum : tuple of float, default=(0.3, 0.7, 0.5, 0.5)
    penalty : float, default=1.0
    noise : float, default=0.0
        Standard deviation of Gaussian noise added per score call, seeded by
        the fold's size so that it is reproducible.
    """

    def __init__(
        self,
        x0=0.0,
        x1=0.0,
        x2=0.0,
        x3=0.0,
        c="good",
        optimum=(0.3, 0.7, 0.5, 0.5),
        penalty=1.0,
        noise=0.0,
    ):
        self.x0, self.x1, self.x2, self.x3 = x0, x1, x2, x3
        self.c = c
        self.optimum = optimum
        self.penalty = penalty
        self.noise = noise

    def fit(self, X, y=None):
        X = np.asarray(X)
        self.n_features_in_ = X.shape[1]
        return self

    def value(self):
        """The noiseless score of the current parameters."""
        x = np.array([self.x0, self.x1, self.x2, self.x3], dtype=float)
        out = -float(np.sum((x - np.asarray(self.optimum, float)) ** 2))
        if self.c != "good":
            out -= self.penalty
        return out

    def predict(self, X):
        return np.full(len(X), self.value())

    def score(self, X, y=None, sample_weight=None):
        out = self.value()
        if self.noise:
            rng = np.random.default_rng(len(X))
            out += self.noise * rng.standard_normal()
        return out


class FailingClassifier(ClassifierMixin, BaseEstimator):
    """A classifier that raises in ``fit`` when ``fail`` is True.

    It predicts the majority class otherwise; ``C`` only changes the score by
    a hair so that candidates are distinguishable.
    """

    def __init__(self, fail=False, C=1.0):
        self.fail = fail
        self.C = C

    def fit(self, X, y):
        if self.fail:
            raise ValueError("FailingClassifier was asked to fail")
        y = np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)
