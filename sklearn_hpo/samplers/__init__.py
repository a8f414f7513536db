"""Samplers: which points of the unit cube to try next.

Every sampler implements ``propose(X, y, n, *, rng) -> X_new`` with ``X`` of
shape ``(n_seen, d)`` in ``[0, 1]^d``, ``y`` of shape ``(n_seen,)`` (greater is
better, nan for failed fits) and ``X_new`` of shape ``(n, d)``. See
:mod:`sklearn_hpo.samplers._base`.
"""

from sklearn_hpo.samplers._base import BaseSampler
from sklearn_hpo.samplers._ehvi import EHVISampler
from sklearn_hpo.samplers._fidelity import MultiFidelitySampler
from sklearn_hpo.samplers._gp import ACQUISITIONS, GPSampler
from sklearn_hpo.samplers._pareto import ParEGOSampler
from sklearn_hpo.samplers._qmc import SEQUENCES, QMCSampler
from sklearn_hpo.samplers._random import RandomSampler

__all__ = [
    "ACQUISITIONS",
    "SEQUENCES",
    "BaseSampler",
    "EHVISampler",
    "GPSampler",
    "MultiFidelitySampler",
    "ParEGOSampler",
    "QMCSampler",
    "RandomSampler",
]
