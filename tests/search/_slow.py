"""A test estimator whose fit takes a chosen time (shared with subprocesses)."""

import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

# set by a test to make the fit with ``delay == INTERRUPT_AT`` raise
# KeyboardInterrupt, as a user's Ctrl-C would
INTERRUPT_AT = None


class SlowClassifier(ClassifierMixin, BaseEstimator):
    """Predicts by a threshold on feature 0; fit sleeps ``delay`` seconds."""

    def __init__(self, delay=0.0, threshold=0.0):
        self.delay = delay
        self.threshold = threshold

    def fit(self, X, y):
        if INTERRUPT_AT is not None and self.delay == INTERRUPT_AT:
            raise KeyboardInterrupt
        time.sleep(self.delay)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        X = np.asarray(X)
        return np.where(X[:, 0] > self.threshold, self.classes_[-1], self.classes_[0])
