"""The knee of a Pareto front: the best-balanced trade-off."""

import numpy as np

from sklearn_hpo.multiobjective._sorting import pareto_front_mask
from sklearn_hpo.multiobjective._validation import check_objectives

__all__ = ["knee_point"]

# A front point must lie this far (in normalized units) on the ideal side of
# the hyperplane for the front to count as bent rather than flat.
_FLAT_TOL = 1e-9
# Extreme points whose matrix is worse conditioned than this span no
# hyperplane worth measuring against.
_MAX_COND = 1e12


def _extremes(N):
    """For each objective, the front point that is best in it.

    Ties go to the point with the smallest sum of the other normalized
    objectives (the one furthest out along that objective), then to the
    first.
    """
    chosen = []
    for j in range(N.shape[1]):  # a loop over objectives
        best = np.flatnonzero(N[:, j] == N[:, j].max())
        rest = N[best].sum(axis=1) - N[best, j]
        chosen.append(best[np.argmin(rest)])
    return np.array(chosen)


def _hyperplane_knee(N):
    """Position of the point furthest above the hyperplane through the
    extremes, or None when that rule is degenerate."""
    m = N.shape[1]
    if m < 2:
        return None
    extremes = _extremes(N)
    if np.unique(extremes).size < m:
        return None
    E = N[extremes]
    if np.linalg.cond(E) > _MAX_COND:
        return None
    w = np.linalg.solve(E, np.ones(m))  # the hyperplane {x : w . x = 1}
    if w.sum() <= 1.0 + _FLAT_TOL:  # the ideal point is not above it
        return None
    distance = (N @ w - 1.0) / np.linalg.norm(w)
    best = int(np.argmax(distance))
    if distance[best] <= _FLAT_TOL:  # a flat (collinear) or concave front
        return None
    return best


def knee_point(Y):
    """Row index of the knee of the Pareto front of ``Y`` (maximization).

    Parameters
    ----------
    Y : array-like of shape (n_points, n_objectives)
        Objective values, greater is better. Dominated rows and rows holding
        nan (failed candidates) are never chosen; infinite values are
        rejected. At least one row must be free of nan.

    Returns
    -------
    int
        The index, in ``Y``, of the knee:

        1. Take the front (:func:`pareto_front_mask`) and normalize each
           objective over it, ``y' = (y - nadir) / (ideal - nadir)``, so the
           front's best value becomes 1 and its worst 0. Objectives constant
           over the front are left out.
        2. For each objective, its extreme point is the front point with the
           largest ``y'_j`` (ties: the smallest sum of the other ``y'``, then
           the lowest index). With two objectives these are ``(1, 0)`` and
           ``(0, 1)``.
        3. The knee is the front point with the largest signed distance to
           the hyperplane through the extreme points, counted positive on the
           side of the ideal point ``(1, ..., 1)``: the point that bulges
           furthest towards the ideal (Das 1999; Branke et al. 2004).
        4. Degenerate cases fall back to the front point closest (Euclidean,
           normalized) to the ideal point: fewer than two objectives vary, the
           extreme points are not distinct or span no hyperplane (a front of
           one or two distinct points, for instance), the ideal point is not
           above the hyperplane, or no point lies above it by more than 1e-9
           (a flat front, or one that bends away from the ideal).

        Ties between equal distances go to the lowest row index, so equal
        rows give their first index.

    See Also
    --------
    pareto_front_mask : The candidates the knee is chosen from.

    Notes
    -----
    ``O(m n^2)`` for the front, then ``O(m f + m^3)`` for a front of ``f``
    rows. The normalization makes the rule invariant to shifting or
    rescaling any objective.

    References
    ----------
    I. Das, "On characterizing the 'knee' of the Pareto curve based on
    normal-boundary intersection", Structural Optimization 18, 1999.
    J. Branke, K. Deb, H. Dierolf and M. Osswald, "Finding knees in
    multi-objective optimization", PPSN VIII, 2004.

    Examples
    --------
    >>> Y = [[0.0, 1.0], [0.8, 0.8], [1.0, 0.0], [0.5, 0.5]]
    >>> knee_point(Y)
    1
    """
    Y = check_objectives(Y, "Y")
    front = np.flatnonzero(pareto_front_mask(Y))
    if front.size == 0:
        raise ValueError(
            "Y must hold at least one row without nan to have a knee; got "
            f"{len(Y)} rows, none of them complete."
        )
    F = Y[front]
    ideal, nadir = F.max(axis=0), F.min(axis=0)
    varies = ideal > nadir
    N = (F[:, varies] - nadir[varies]) / (ideal[varies] - nadir[varies])
    best = _hyperplane_knee(N)
    if best is None:
        best = int(np.argmin(np.linalg.norm(1.0 - N, axis=1)))
    return int(front[best])
