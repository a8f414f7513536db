"""Pareto utilities (airspeed velocity).

``time_*``: non-dominated ranks of 2,000 points; exact hypervolume of a
front of 200 points in 2, 3 and 4 objectives (WFG for 4).
"""

import numpy as np

from sklearn_hpo.multiobjective import hypervolume, non_dominated_ranks


def _front(n, m, seed=0):
    """Points on the positive unit sphere: all mutually non-dominated."""
    rng = np.random.default_rng(seed)
    Y = np.abs(rng.standard_normal((n, m)))
    return Y / np.linalg.norm(Y, axis=1, keepdims=True)


class Sorting:
    def setup(self):
        self.Y = np.random.default_rng(0).random((2000, 3))

    def time_non_dominated_ranks(self):
        non_dominated_ranks(self.Y)


class Hypervolume:
    params = [[2, 3, 4]]
    param_names = ["m"]
    timeout = 120

    def setup(self, m):
        self.Y = _front(200, m)
        self.ref = np.zeros(m)

    def time_hypervolume(self, m):
        hypervolume(self.Y, self.ref)

    def track_hypervolume_fraction(self, m):
        # share of the unit box dominated by the sphere front (a quality
        # figure that must not drift: pi/4 for m=2 in the limit)
        return float(hypervolume(self.Y, self.ref))
