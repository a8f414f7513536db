"""Hyperband bookkeeping (airspeed velocity).

``time_*`` measure the scheduler arithmetic (brackets, ASHA promotion over
many results) and the overhead of a HyperbandSearchCV run on an estimator
whose fit costs nothing, so that what is timed is the search itself:
proposals, task building, continuation state and the replay into
``cv_results_``. ``track_*`` report the best score such a run finds on a
known objective (the optimum scores 0).
"""

import numpy as np
from scipy.stats import uniform
from sklearn.datasets import make_regression

from sklearn_hpo import HyperbandSearchCV
from sklearn_hpo.schedulers import ASHAScheduler, hyperband_brackets
from sklearn_hpo.utils._testing import ResourceObjective


class Schedulers:
    params = [[81, 3**10]]
    param_names = ["max_resource"]

    def setup(self, R):
        self.R = R
        rng = np.random.default_rng(0)
        self.scores = rng.random(2000)

    def time_hyperband_brackets(self, R):
        hyperband_brackets(1, R, 3)

    def time_asha_2000_results(self, R):
        asha = ASHAScheduler(
            [r.resource for r in hyperband_brackets(1, R, 3)[0].rungs], 3
        )
        for c, s in enumerate(self.scores):
            asha.report(c, 0, s)
            asha.next_promotion()


class HyperbandOverhead:
    params = [["sync", "async"], ["random", "bayes"]]
    param_names = ["mode", "sampler"]
    timeout = 300

    def setup(self, mode, sampler):
        self.X, self.y = make_regression(60, 3, random_state=0)

    def _run(self, mode, sampler):
        return HyperbandSearchCV(
            ResourceObjective(),
            {"x": uniform(0, 1)},
            resource="n_estimators",
            min_resource=1,
            max_resource=27,
            n_iter=40,
            cv=3,
            mode=mode,
            sampler=sampler,
            random_state=0,
        ).fit(self.X, self.y)

    def time_search_40_candidates(self, mode, sampler):
        self._run(mode, sampler)

    def track_best_score(self, mode, sampler):
        return float(self._run(mode, sampler).best_score_)
