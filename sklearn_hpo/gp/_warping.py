"""Output transforms applied to the targets before the GP sees them.

Notation: ``y`` (n,) finite targets, to maximize; every transform is monotone
increasing, so the order of the candidates (and so the incumbent) is kept.

* ``standardize(y)``: ``(y - mean) / std`` (std 1 when y is constant).
* ``power_warp(y)``: standardize, then Yeo-Johnson with the maximum-likelihood
  lambda restricted to ``lambda >= 1``, then standardize again. Skewed scores
  with a long tail of bad candidates (typical of CV scores: a few diverged or
  degenerate models) become close to normal, which suits a GP; HEBO
  (Cowen-Rivers et al., JAIR 2022) credits much of its performance to such a
  transform. The restriction means the warp only ever compresses the tail of
  *bad* scores (``lambda > 1``): a long tail of *good* scores, a narrow peak
  of the objective, is left as it is (``lambda = 1`` is the identity), since
  compressing it would flatten exactly the region the search must find.
* ``rank_warp(y)``: ``Phi^-1((rank - 1/2) / n)``, a normal-scores transform
  that ignores the magnitudes entirely; robust to anything, ties averaged.
"""

import warnings

import numpy as np
from scipy import special, stats

__all__ = ["OUTPUT_WARPINGS", "power_warp", "rank_warp", "standardize", "warp"]

OUTPUT_WARPINGS = ("power", "rank", "standardize")


def standardize(y):
    """``(y - mean(y)) / std(y)``; a constant y maps to zeros."""
    y = np.asarray(y, dtype=np.float64)
    if y.size == 0:
        return y.copy()
    sd = float(np.std(y))
    if not np.isfinite(sd) or sd <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
        return np.zeros_like(y)
    return (y - np.mean(y)) / sd


def power_warp(y):
    """Standardize, Yeo-Johnson (maximum-likelihood lambda >= 1), standardize."""
    z = standardize(y)
    if z.size < 3 or np.all(z == 0):
        return z
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            # the likelihood is unimodal in lambda: the optimum over
            # [1, inf) is the unconstrained one, or 1
            lam = max(float(stats.yeojohnson_normmax(z)), 1.0)
            if lam == 1.0:
                return z
            w = stats.yeojohnson(z, lmbda=lam)
    except (ValueError, FloatingPointError, OverflowError):
        return z
    if not np.all(np.isfinite(w)):
        return z
    return standardize(w)


def rank_warp(y):
    """Normal scores of the ranks (ties averaged)."""
    y = np.asarray(y, dtype=np.float64)
    if y.size == 0:
        return y.copy()
    r = stats.rankdata(y, method="average")
    return standardize(special.ndtri((r - 0.5) / y.size))


def warp(y, method="power"):
    """Apply the transform named ``method`` (one of ``OUTPUT_WARPINGS``)."""
    if method == "power":
        return power_warp(y)
    if method == "rank":
        return rank_warp(y)
    if method == "standardize":
        return standardize(y)
    raise ValueError(
        f"output warping must be one of {OUTPUT_WARPINGS}, got {method!r}."
    )
