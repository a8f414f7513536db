"""Acquisition functions and their maximization (airspeed velocity).

``time_*``: log-EI with gradients on 10,000 posterior values; one
``maximize_acquisition`` call (Sobol' raw samples, then L-BFGS-B polish) on
the log-EI of a fitted GP.
"""

import numpy as np

from sklearn_hpo.acquisition import log_ei
from sklearn_hpo.gp import GaussianProcess, standardize
from sklearn_hpo.optim import maximize_acquisition


class LogEI:
    def setup(self):
        rng = np.random.default_rng(0)
        self.mean = rng.standard_normal(10_000)
        self.var = rng.random(10_000) + 1e-3

    def time_log_ei_with_grad(self):
        log_ei(self.mean, self.var, 1.5, return_grad=True)


class Maximize:
    params = [[2, 8]]
    param_names = ["d"]
    timeout = 120

    def setup(self, d):
        rng = np.random.default_rng(0)
        X = rng.random((60, d))
        y = standardize(np.sin(6 * X[:, 0]) - (X[:, -1] - 0.3) ** 2)
        gp = GaussianProcess().fit(X, y, rng=rng)
        best = y.max()

        def fun(U, return_grad=False):
            if not return_grad:
                mean, var = gp.predict(U)
                return log_ei(mean, var, best)
            mean, var, dmean, dvar = gp.predict(U, return_grad=True)
            value, dm, dv = log_ei(mean, var, best, return_grad=True)
            return value, dm[:, None] * dmean + dv[:, None] * dvar

        self.fun = fun

    def time_maximize_log_ei(self, d):
        maximize_acquisition(self.fun, d, rng=np.random.default_rng(1))
