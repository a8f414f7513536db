"""Search-space mapping and Sobol' search overhead (airspeed velocity).

``time_*`` measure the unit-cube <-> parameter mapping that every proposal
goes through, and the overhead of a SobolSearchCV run on an estimator whose
fit costs nothing; ``track_*`` measure coverage (discrepancy, lower is
better) of the candidates.
"""

import numpy as np
from scipy.stats import qmc

from sklearn_hpo.samplers import QMCSampler
from sklearn_hpo.space import SearchSpace


def _space():
    return SearchSpace(
        {
            "C": (1e-3, 1e3, "log-uniform"),
            "gamma": (1e-5, 1.0, "log-uniform"),
            "degree": (1, 6),
            "kernel": ["rbf", "poly", "sigmoid"],
            "tol": (1e-5, 1e-2),
        }
    ).subspaces[0]


class SpaceMapping:
    params = [100, 10_000]
    param_names = ["n_points"]

    def setup(self, n):
        self.sub = _space()
        self.U = np.random.default_rng(0).random((n, self.sub.n_dims))
        self.P = self.sub.from_unit(self.U)

    def time_from_unit(self, n):
        self.sub.from_unit(self.U)

    def time_to_unit(self, n):
        self.sub.to_unit(self.P)

    def time_snap_and_keys(self, n):
        self.sub.keys(self.sub.snap(self.U))


class SobolCoverage:
    params = [[16, 64, 256], ["sobol", "halton", "lhs", "random"]]
    param_names = ["n", "sequence"]

    def track_discrepancy(self, n, sequence):
        U = QMCSampler(sequence).propose(
            np.empty((0, 4)), [], n, rng=np.random.default_rng(0)
        )
        return float(qmc.discrepancy(U))


class SearchOverhead:
    params = [16, 128]
    param_names = ["n_iter"]
    timeout = 120

    def setup(self, n_iter):
        from sklearn_hpo.utils._testing import SyntheticObjective

        self.X = np.zeros((40, 2))
        self.est = SyntheticObjective()
        self.space = {"x0": (0.0, 1.0), "x1": (0.0, 1.0), "c": ["good", "bad"]}

    def time_sobolsearchcv(self, n_iter):
        from sklearn_hpo import SobolSearchCV

        SobolSearchCV(self.est, self.space, n_iter=n_iter, cv=3, random_state=0).fit(
            self.X
        )

    def time_randomizedsearchcv(self, n_iter):
        from scipy.stats import uniform
        from sklearn.model_selection import RandomizedSearchCV

        space = {"x0": uniform(0, 1), "x1": uniform(0, 1), "c": ["good", "bad"]}
        RandomizedSearchCV(self.est, space, n_iter=n_iter, cv=3, random_state=0).fit(
            self.X
        )
