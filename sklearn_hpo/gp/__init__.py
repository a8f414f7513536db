"""Gaussian-process regression on numpy/scipy (numbers only).

Notation: ``X`` (n, d) real inputs, ``y`` (n,) targets to maximize, ``Xq``
(m, d) queries; the posterior ``mean`` and ``var`` (m,) and their gradients
(m, d). The Matérn-5/2 ARD kernel is in :mod:`sklearn_hpo.gp._kernels`, the
model, its likelihood and priors in :mod:`sklearn_hpo.gp._gp`, the output
transforms in :mod:`sklearn_hpo.gp._warping`. The GP knows nothing of search
spaces: the sampler encodes categorical dimensions (one-hot) before it.
"""

from sklearn_hpo.gp._gp import GaussianProcess
from sklearn_hpo.gp._kernels import matern52
from sklearn_hpo.gp._linalg import cholesky_jitter
from sklearn_hpo.gp._warping import (
    OUTPUT_WARPINGS,
    power_warp,
    rank_warp,
    standardize,
    warp,
)

__all__ = [
    "OUTPUT_WARPINGS",
    "GaussianProcess",
    "cholesky_jitter",
    "matern52",
    "power_warp",
    "rank_warp",
    "standardize",
    "warp",
]
