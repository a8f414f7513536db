"""The GP core and the GP sampler (airspeed velocity).

``time_*``: a MAP fit, a posterior over 2,000 candidates, one propose step
with a warm-started model; ``track_*``: simple regret of the GP sampler on
Branin after 25 evaluations (lower is better).
"""

import math

import numpy as np

from sklearn_hpo.gp import GaussianProcess, standardize
from sklearn_hpo.samplers import GPSampler


def _data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = np.sin(5 * X[:, 0]) + X[:, 1 % d] ** 2 + 0.05 * rng.standard_normal(n)
    return X, standardize(y)


class GPFit:
    params = [[50, 200], [6, 12]]
    param_names = ["n", "d"]
    timeout = 120

    def setup(self, n, d):
        self.X, self.y = _data(n, d)
        self.theta = GaussianProcess().fit(self.X, self.y).theta_
        self.gp = GaussianProcess().fit(self.X, self.y)
        self.Xq = np.random.default_rng(1).random((2000, d))

    def time_fit_cold(self, n, d):
        GaussianProcess().fit(self.X, self.y, rng=np.random.default_rng(0))

    def time_fit_warm(self, n, d):
        GaussianProcess(n_restarts=0).fit(self.X, self.y, theta0=self.theta)

    def time_predict_2000(self, n, d):
        self.gp.predict(self.Xq)


class ProposeStep:
    params = [[50, 200], [6, 12]]
    param_names = ["n", "d"]
    timeout = 120

    def setup(self, n, d):
        rng = np.random.default_rng(0)
        self.X, self.y = rng.random((n, d)), rng.standard_normal(n)
        self.sampler = GPSampler()
        self.sampler.propose(self.X, self.y, 1, rng=rng)  # warm the model

    def time_propose_one(self, n, d):
        self.sampler.propose(self.X, self.y, 1, rng=np.random.default_rng(1))


def _branin(U):
    x1, x2 = 15 * U[:, 0] - 5, 15 * U[:, 1]
    a, b, c = 1.0, 5.1 / (4 * math.pi**2), 5 / math.pi
    r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1**2 + c * x1 - r) ** 2 + s * (1 - t) * np.cos(x1) + s


class BraninRegret:
    params = [0, 1]
    param_names = ["seed"]
    timeout = 120

    def track_regret_25(self, seed):
        rng = np.random.default_rng(seed)
        sampler = GPSampler(n_initial_points=8)
        X, y = np.empty((0, 2)), np.empty(0)
        for _ in range(25):
            u = sampler.propose(X, y, 1, rng=rng)
            X, y = np.vstack([X, u]), np.append(y, -_branin(u))
        return float(-y.max() - 0.397887)
