"""Search overhead against GridSearchCV at equal candidates (airspeed velocity).

The estimator fits in microseconds (a dummy on 200 rows), so the timings are
the searches' own bookkeeping: proposing, scikit-learn's evaluation loop,
``cv_results_``. ``n_jobs=1`` (no process start-up in the numbers). Compare
``time_sobol`` and ``time_bayes`` with ``time_grid`` of the same run.
"""

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import GridSearchCV

from sklearn_hpo import BayesSearchCV, SobolSearchCV


class SearchOverhead:
    params = [[16, 64]]
    param_names = ["n_candidates"]
    timeout = 300

    def setup(self, n):
        rng = np.random.default_rng(0)
        self.X = rng.random((200, 3))
        self.y = (self.X[:, 0] > 0.5).astype(int)
        # n distinct candidates through a parameter that changes nothing
        self.grid = {"random_state": list(range(n)), "strategy": ["prior"]}

    def time_grid(self, n):
        GridSearchCV(DummyClassifier(), self.grid, cv=3).fit(self.X, self.y)

    def time_sobol(self, n):
        SobolSearchCV(DummyClassifier(), self.grid, n_iter=n, cv=3, random_state=0).fit(
            self.X, self.y
        )

    def time_bayes(self, n):
        space = {"random_state": (0, 10 * n), "strategy": ["prior"]}
        BayesSearchCV(
            DummyClassifier(), space, n_iter=n, cv=3, n_points=4, random_state=0
        ).fit(self.X, self.y)
