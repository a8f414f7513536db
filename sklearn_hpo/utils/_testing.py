"""Test support: estimators whose score is a known function of their parameters.

Used by sklearn-hpo's own tests and benchmarks to measure search quality in
milliseconds. Package code never imports this module.
"""

import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

__all__ = [
    "FailingClassifier",
    "FaultyRegressor",
    "ResourceObjective",
    "SyntheticObjective",
]


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


class ResourceObjective(RegressorMixin, BaseEstimator):
    """An estimator with an integer resource that can continue training.

    ``n_estimators`` units are "trained" by ``fit``; with ``warm_start=True``
    a fitted model only adds the missing units, as scikit-learn's ensembles
    do. The score is ``-(x - optimum)**2 + slope * n_trained_``, a known
    function of the parameter and the resource, and the model records its
    own history so that tests can see, through any joblib backend, whether
    it was continued:

    - ``history_``: the ``n_estimators`` of every ``fit`` of this object;
    - ``n_trained_``: units in the model; ``units_spent_``: units trained
      by this object over all its fits (more than ``n_trained_`` when it
      was refitted from scratch);
    - ``n_seen_``: rows of the last training set.

    ``ResourceObjective.log`` collects ``(n_estimators, units added)`` of
    every fit in this process (reset it before use; in-process runs only).

    Parameters
    ----------
    x : float, default=0.0
    n_estimators : int, default=10
    warm_start : bool, default=False
    optimum : float, default=0.3
    slope : float, default=0.0
        Score gained per trained unit (negative: more resource scores worse).
    fail : bool, default=False
        Raise in ``fit``.
    """

    log = []

    def __init__(
        self,
        x=0.0,
        n_estimators=10,
        warm_start=False,
        optimum=0.3,
        slope=0.0,
        fail=False,
    ):
        self.x = x
        self.n_estimators = n_estimators
        self.warm_start = warm_start
        self.optimum = optimum
        self.slope = slope
        self.fail = fail

    def fit(self, X, y=None):
        if self.fail:
            raise ValueError("ResourceObjective was asked to fail")
        if self.warm_start and hasattr(self, "n_trained_"):
            if self.n_estimators < self.n_trained_:
                raise ValueError("n_estimators may not shrink with warm_start")
            added = self.n_estimators - self.n_trained_
            self.history_ = [*self.history_, self.n_estimators]
        else:
            added = self.n_estimators
            self.history_ = [self.n_estimators]
            self.units_spent_ = getattr(self, "units_spent_", 0)
        self.n_trained_ = self.n_estimators
        self.units_spent_ += added
        self.n_seen_ = len(X)
        self.n_features_in_ = np.asarray(X).shape[1]
        ResourceObjective.log.append((self.n_estimators, added))
        return self

    def value(self):
        """The score of the fitted model."""
        return -((self.x - self.optimum) ** 2) + self.slope * self.n_trained_

    def predict(self, X):
        return np.full(len(X), self.value())

    def score(self, X, y=None, sample_weight=None):
        return self.value()


class FaultyRegressor(RegressorMixin, BaseEstimator):
    """A regressor that misbehaves on demand: raises, scores nan or inf, sleeps.

    Put ``mode`` in the search space to inject faults into some candidates
    and not others. With ``mode="ok"`` the model predicts the constant
    ``value()`` and its ``score`` is ``-(x - optimum)**2`` (at most 0), a
    known function of ``x``; the other modes:

    - ``"raise"``: ``fit`` raises ``error("FaultyRegressor was asked to
      fail")`` (``error`` is a hyperparameter too, so that a space can
      produce several distinct exceptions; the message is the same for
      every candidate);
    - ``"nan"``, ``"inf"``, ``"-inf"``: ``fit`` succeeds; ``predict``
      returns that value for every sample and ``score`` returns it (so a
      metric computed from the predictions fails as well);
    - ``"sleep"``: ``fit`` sleeps ``delay`` seconds, then behaves as
      ``"ok"`` (a slow but good candidate, for time limits);
    - ``"predict_raise"``: ``fit`` succeeds and ``predict``/``score`` raise
      ``error`` (a failure at scoring time).

    Parameters
    ----------
    mode : {"ok", "raise", "nan", "inf", "-inf", "sleep", "predict_raise"}, \
default="ok"
    x : float, default=0.0
    optimum : float, default=0.3
    error : type of Exception, default=ValueError
    delay : float, default=0.05
        Seconds ``fit`` sleeps in ``mode="sleep"``.
    """

    MODES = ("ok", "raise", "nan", "inf", "-inf", "sleep", "predict_raise")

    def __init__(self, mode="ok", x=0.0, optimum=0.3, error=ValueError, delay=0.05):
        self.mode = mode
        self.x = x
        self.optimum = optimum
        self.error = error
        self.delay = delay

    def fit(self, X, y=None):
        if self.mode not in self.MODES:
            raise ValueError(
                f"FaultyRegressor: mode must be one of {self.MODES}, got {self.mode!r}."
            )
        if self.mode == "raise":
            raise self.error("FaultyRegressor was asked to fail")
        if self.mode == "sleep":
            time.sleep(self.delay)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def value(self):
        """The score of the fitted model (nan or inf in those modes)."""
        if self.mode in ("nan", "inf", "-inf"):
            return float(self.mode)
        if self.mode == "predict_raise":
            raise self.error("FaultyRegressor failed to predict")
        return -((float(self.x) - self.optimum) ** 2)

    def predict(self, X):
        return np.full(len(X), self.value())

    def score(self, X, y=None, sample_weight=None):
        return self.value()
