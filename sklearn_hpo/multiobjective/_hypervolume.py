"""The hypervolume indicator and the exclusive contribution of each point.

Every routine below works on points translated so that the reference point is
the origin: ``Z = Y - r`` with every coordinate positive, or zero for a point
masked out of a batch (a box of zero volume contributes nothing).
"""

import numpy as np

from sklearn_hpo.multiobjective._sorting import front_mask_finite, nondominated_unique
from sklearn_hpo.multiobjective._validation import check_objectives, check_vector

__all__ = ["hypervolume", "hypervolume_contributions"]

# Floats per block of the batched two-dimensional sweeps (32 MiB).
_BLOCK = 1 << 22


def _hv2_sorted(z1, z2):
    """Areas of a batch of 2-D sets whose points share one order.

    ``z1`` and ``z2`` have shape ``(b, k)``; along axis 1 the first
    coordinate is non-increasing. The union of the boxes ``[0, z]`` has, at
    height ``h``, the width of the first point with ``z2 >= h``, so the area
    is ``sum_i z1_i * (c_i - c_{i-1})`` with ``c`` the running maximum of
    ``z2`` (``c_{-1} = 0``). Ties in ``z1`` may come in any order.
    """
    c = np.maximum.accumulate(z2, axis=1)
    steps = np.diff(c, axis=1, prepend=0.0)
    return np.einsum("bk,bk->b", z1, steps)


def _hv2(Z):
    """Area dominated by ``Z`` (k, 2): a sort and a sweep, ``O(k log k)``."""
    order = np.argsort(-Z[:, 0], kind="stable")
    return float(_hv2_sorted(Z[order, 0][None], Z[order, 1][None])[0])


def _hv3(Z):
    """Volume dominated by ``Z`` (k, 3): slices along the third objective.

    With the heights ``h_0 >= h_1 >= ...`` of the points sorted by their
    third coordinate, the volume is ``sum_s (h_s - h_{s+1}) * A_s``, where
    ``A_s`` is the area dominated by the first two coordinates of the points
    ``0..s``. Every ``A_s`` comes from one sweep in a common order (the first
    coordinate, decreasing), the points above the slice being masked to zero:
    ``O(k^2)`` time in vectorized blocks of bounded memory.
    """
    k = len(Z)
    by_height = np.argsort(-Z[:, 2], kind="stable")
    heights = Z[by_height, 2]
    thickness = heights - np.append(heights[1:], 0.0)
    position = np.empty(k, dtype=np.intp)
    position[by_height] = np.arange(k)
    by_x = np.argsort(-Z[:, 0], kind="stable")
    z1, z2, pos = Z[by_x, 0], Z[by_x, 1], position[by_x]
    slices = np.flatnonzero(thickness > 0)
    total = 0.0
    step = max(1, _BLOCK // k)
    for start in range(0, len(slices), step):  # blocks of slices
        s = slices[start : start + step]
        masked = np.where(pos[None, :] <= s[:, None], z2[None, :], 0.0)
        areas = _hv2_sorted(np.broadcast_to(z1, masked.shape), masked)
        total += float(thickness[s] @ areas)
    return total


def _hv_wfg(Z):
    """Volume dominated by distinct non-dominated ``Z`` (k, m >= 4).

    WFG (While, Bradstreet and Barone, IEEE TEC 2012) with the points sorted
    by their last coordinate, increasing: the volume is the sum of the
    exclusive volumes of each point with respect to the points after it,
    ``z_m`` times the exclusive ``(m - 1)``-volume of ``z[:-1]`` among the
    later points (:func:`_exclusive`: a box minus the limit set inside it,
    reduced to its non-dominated distinct rows before the recursion, down to
    the exact 3-D sweep). Exact; worst case exponential in ``m``, fast for a
    few hundred points in 4 or 5 objectives.
    """
    Z = Z[np.argsort(Z[:, -1], kind="stable")]
    total = 0.0
    for i in range(len(Z)):  # exactness over speed, see the docstring
        total += Z[i, -1] * _exclusive(Z[i, :-1], Z[i + 1 :, :-1])
    return total


def _hv(Z):
    """Volume dominated by positive points ``Z`` (k, m), with the origin as
    the reference point."""
    k, m = Z.shape
    if k == 0:
        return 0.0
    if m == 1:
        return float(Z.max())
    if m == 2:
        return _hv2(Z)
    Z = nondominated_unique(Z)
    if m == 3:
        return _hv3(Z)
    return _hv_wfg(Z)


def _exclusive(p, Q):
    """Volume that positive ``p`` dominates and no row of ``Q`` does.

    That region lies in the box ``[c, p]``, where ``c_j`` is the largest
    ``min(q_j, p_j)`` over the rows ``q`` at least as good as ``p`` in every
    objective but ``j`` (0 if none): a point of the box below ``c_j`` in
    objective ``j`` is covered by such a ``q``. So the contribution is
    ``prod(p - c) - HV({(min(q, p) - c)^+})``, which subtracts volumes of
    the size of the contribution rather than of the whole box of ``p``.
    """
    m = len(p)
    limit = np.minimum(Q, p)
    above = Q >= p
    near = (above.sum(axis=1, keepdims=True) - above) == m - 1
    corner = np.where(near, limit, 0.0).max(axis=0, initial=0.0)
    limit = limit - corner
    limit = limit[(limit > 0).all(axis=1)]
    return max(float(np.prod(p - corner)) - _hv(limit), 0.0)


def _translated(Y, reference_point):
    """Checked inputs, and which rows count: no nan and above ``r`` everywhere."""
    Y = check_objectives(Y, "Y")
    r = check_vector(reference_point, "reference_point", Y.shape[1])
    with np.errstate(invalid="ignore"):
        counted = (Y > r).all(axis=1)  # nan compares False
    return Y, r, counted


def hypervolume(Y, reference_point):
    """Hypervolume of the region that the rows of ``Y`` dominate above ``r``.

    Parameters
    ----------
    Y : array-like of shape (n_points, n_objectives)
        Objective values, greater is better. Rows holding nan (failed
        candidates) count for nothing; infinite values are rejected.
    reference_point : array-like of shape (n_objectives,)
        The finite point ``r`` that bounds the region from below.

    Returns
    -------
    float
        The Lebesgue measure of ``{z : r <= z <= y for some row y of Y}``.
        Only rows strictly better than ``r`` in every objective have a box of
        positive volume; the others add nothing, and an empty ``Y`` (shape
        ``(0, n_objectives)``) gives 0.0.

    See Also
    --------
    hypervolume_contributions : What each row adds alone.

    Notes
    -----
    The rows are translated to ``y - r`` and those not above ``r`` dropped.
    One objective: the largest ``y - r``. Two: a sort by the first objective
    and a running maximum of the second, ``O(n log n)``. Three: the front
    (distinct non-dominated rows, ``O(n^2)``) is cut into slices along the
    third objective, and the areas of all slices come from one vectorized
    sweep, ``O(n^2)``. Four or more: WFG (While et al., IEEE TEC 2012), which
    recurses on limit sets down to the 3-D sweep; exact, not fast in many
    objectives.

    Examples
    --------
    >>> hypervolume([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]], [0.0, 0.0])
    6.0
    >>> hypervolume([[2.0, 2.0, 2.0], [-1.0, 5.0, 5.0]], [0.0, 0.0, 0.0])
    8.0
    """
    Y, r, counted = _translated(Y, reference_point)
    return _hv(Y[counted] - r)


def hypervolume_contributions(Y, reference_point):
    """Exclusive hypervolume of each row: what removing it alone would lose.

    Parameters
    ----------
    Y : array-like of shape (n_points, n_objectives)
        Objective values, greater is better. Rows holding nan (failed
        candidates) count for nothing; infinite values are rejected.
    reference_point : array-like of shape (n_objectives,)
        The finite point ``r`` that bounds the region from below.

    Returns
    -------
    contributions : ndarray of shape (n_points,)
        ``hypervolume(Y, r) - hypervolume(Y without row i, r)``: the volume
        that row ``i`` dominates and no other row does. It is zero for a
        dominated row, for a row that another row repeats exactly (each copy
        covers the other), for a row not strictly above ``r`` and for a row
        holding nan. Every row of ``Y`` counts, dominated ones included: a
        dominated row can shrink the contribution of the one row that
        dominates it. To score the front alone, pass
        ``Y[pareto_front_mask(Y)]``.

    See Also
    --------
    hypervolume : The volume of the whole set.

    Notes
    -----
    Only distinct front rows above ``r`` are computed; the others are 0 by
    definition. The exclusive region of such a row ``p`` lies in a box
    ``[c, p]`` (``c_j``: the largest ``min(q_j, p_j)`` over the rows ``q`` at
    least as good as ``p`` in every other objective), and the contribution
    is ``prod(p - c)`` minus the volume of the limit set ``{min(p, q)}`` of
    the other counted rows inside that box. Subtracting volumes of the size
    of the contribution, not of the whole box of ``p``, keeps small
    contributions accurate. Two objectives: all contributions in one
    vectorized sweep (``O(n f)`` for ``f`` front rows). Three or more: one
    hypervolume of a limit set per front row, so ``f`` times the cost of
    :func:`hypervolume`.

    Examples
    --------
    >>> hypervolume_contributions(
    ...     [[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [1.0, 1.0]], [0.0, 0.0]
    ... ).tolist()
    [1.0, 1.0, 1.0, 0.0]
    """
    Y, r, counted = _translated(Y, reference_point)
    contributions = np.zeros(len(Y))
    rows = np.flatnonzero(counted)
    if rows.size == 0:
        return contributions
    Z = Y[rows] - r
    _, first, counts = np.unique(Z, axis=0, return_index=True, return_counts=True)
    single = np.zeros(len(Z), dtype=bool)
    single[first[counts == 1]] = True  # rows that no other row repeats
    front = single & front_mask_finite(Z)
    idx = np.flatnonzero(front)
    if Z.shape[1] == 1:
        values = Z[:, 0]
        if idx.size:  # the unique maximum, if any, adds its lead over the rest
            others = np.delete(values, idx[0])
            second = others.max() if others.size else 0.0
            contributions[rows[idx[0]]] = values[idx[0]] - second
        return contributions
    if Z.shape[1] == 2:
        order = np.argsort(-Z[:, 0], kind="stable")
        Zs = Z[order]
        where = np.empty(len(Z), dtype=np.intp)
        where[order] = np.arange(len(Z))
        step = max(1, _BLOCK // (2 * len(Z)))
        for start in range(0, idx.size, step):  # blocks of front rows
            block = idx[start : start + step]
            P = Z[block]
            limit = np.minimum(Zs[None], P[:, None])  # (b, n, 2), in Zs's order
            above = Zs[None] >= P[:, None]
            leave_out = (np.arange(len(block)), where[block])
            limit[leave_out] = 0.0  # so it adds nothing below, corner included
            # corner: for each objective, the best limit point that is at
            # least as good as p in the other objective
            corner = np.where(above[..., ::-1], limit, 0.0).max(axis=1)
            limit = np.maximum(limit - corner[:, None], 0.0)
            covered = _hv2_sorted(limit[..., 0], limit[..., 1])
            box = np.prod(P - corner, axis=1)
            contributions[rows[block]] = np.maximum(box - covered, 0.0)
        return contributions
    for i in idx:  # one limit set per front row
        contributions[rows[i]] = _exclusive(Z[i], np.delete(Z, i, axis=0))
    return contributions
