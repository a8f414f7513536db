"""Pareto dominance: non-dominated sorting and the first front."""

import numpy as np

from sklearn_hpo.multiobjective._validation import check_objectives

__all__ = ["non_dominated_ranks", "pareto_front_mask"]

# Booleans per block of pairwise comparisons (16 MiB): bounds the memory of
# the blocked dominance tests whatever the number of points.
_BLOCK = 1 << 24


def _unique_rows(Z):
    """Distinct rows of ``Z`` and, for each row of ``Z``, its distinct row."""
    U, inverse = np.unique(Z, axis=0, return_inverse=True)
    return U, inverse.reshape(-1)


def _dominated_unique(U):
    """Which rows of ``U`` (distinct rows) some other row dominates.

    For distinct rows, ``U[i] >= U[j]`` everywhere already means that ``U[i]``
    dominates ``U[j]`` when ``i != j``.
    """
    n, m = U.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if m == 1:
        return U[:, 0] < U[:, 0].max()
    if m == 2:
        # Sweep: best first objective first (ties: best second objective
        # first); a row is dominated iff an earlier row is at least as good in
        # the second objective.
        order = np.lexsort((-U[:, 1], -U[:, 0]))
        second = U[order, 1]
        best_before = np.maximum.accumulate(np.concatenate([[-np.inf], second[:-1]]))
        dominated = np.empty(n, dtype=bool)
        dominated[order] = best_before >= second
        return dominated
    dominated = np.empty(n, dtype=bool)
    step = max(1, _BLOCK // n)
    for start in range(0, n, step):  # blocks of candidates, not points
        stop = min(n, start + step)
        ge = np.ones((n, stop - start), dtype=bool)
        for j in range(m):
            ge &= U[:, j, None] >= U[None, start:stop, j]
        ge[np.arange(start, stop), np.arange(stop - start)] = False
        dominated[start:stop] = ge.any(axis=0)
    return dominated


def nondominated_unique(Z):
    """The distinct non-dominated rows of a finite ``Z`` (order not kept)."""
    U, _ = _unique_rows(Z)
    return U[~_dominated_unique(U)]


def front_mask_finite(Z):
    """Which rows of a finite ``Z`` no other row dominates (no checks)."""
    U, inverse = _unique_rows(Z)
    return ~_dominated_unique(U)[inverse]


def _ranks_unique(U):
    """Pareto ranks of distinct finite rows (Deb's peeling, vectorized)."""
    n, m = U.shape
    if m == 1:
        # np.unique sorted the values ascending: the largest has rank 0.
        return n - 1 - np.arange(n)
    # dominates[i, j]: row i dominates row j (rows are distinct).
    dominates = np.ones((n, n), dtype=bool)
    for j in range(m):
        dominates &= U[:, j, None] >= U[None, :, j]
    np.fill_diagonal(dominates, False)
    n_dominators = dominates.sum(axis=0)
    ranks = np.empty(n, dtype=np.intp)
    remaining = np.ones(n, dtype=bool)
    for rank in range(n):  # one pass per front; at most n fronts
        front = remaining & (n_dominators == 0)
        ranks[front] = rank
        remaining &= ~front
        if not remaining.any():
            break
        n_dominators = n_dominators - dominates[front].sum(axis=0)
    return ranks


def non_dominated_ranks(Y):
    """Pareto rank of each row of ``Y`` (0 for the non-dominated front).

    Every objective is maximized: ``y`` dominates ``z`` when ``y >= z`` in
    every column and ``y > z`` in at least one. Rank 0 holds the rows that no
    row dominates; rank ``k`` the rows that no row dominates once ranks
    ``0, ..., k - 1`` are removed.

    Parameters
    ----------
    Y : array-like of shape (n_points, n_objectives)
        Objective values, greater is better. A row holding nan is a failed
        candidate; infinite values are rejected.

    Returns
    -------
    ranks : ndarray of shape (n_points,), dtype int
        Pareto ranks. Equal rows share a rank. Rows holding nan all get one
        rank more than the worst row without nan (rank 0 if every row holds
        nan), so they come after every finite row.

    See Also
    --------
    pareto_front_mask : The rows of rank 0, without sorting the others.

    Notes
    -----
    Fast non-dominated sorting (Deb et al., IEEE TEC 2002) on the distinct
    rows: an ``(n, n)`` boolean dominance matrix built one objective at a time,
    then one vectorized pass per front that removes the front and updates the
    counts of dominators. Time ``O(m n^2)``, memory ``O(n^2)`` booleans,
    where ``n`` counts distinct rows. One objective is a plain sort.

    Examples
    --------
    >>> Y = [[1, 3], [2, 2], [3, 1], [1, 1], [2, 2], [0, 0], [float("nan"), 5]]
    >>> non_dominated_ranks(Y).tolist()
    [0, 0, 0, 1, 0, 2, 3]
    """
    Y = check_objectives(Y, "Y")
    failed = np.isnan(Y).any(axis=1)
    ranks = np.empty(len(Y), dtype=np.intp)
    ok = ~failed
    if ok.any():
        U, inverse = _unique_rows(Y[ok])
        ranks[ok] = _ranks_unique(U)[inverse]
        ranks[failed] = ranks[ok].max() + 1
    else:
        ranks[:] = 0
    return ranks


def pareto_front_mask(Y):
    """Which rows of ``Y`` are on the Pareto front (rank 0, maximization).

    Parameters
    ----------
    Y : array-like of shape (n_points, n_objectives)
        Objective values, greater is better. Rows holding nan (failed
        candidates) are never on the front; infinite values are rejected.

    Returns
    -------
    mask : ndarray of shape (n_points,), dtype bool
        True for the rows that no other row dominates. Equal rows are all on
        the front or all off it. For rows without nan this is
        ``non_dominated_ranks(Y) == 0``.

    See Also
    --------
    non_dominated_ranks : Every front, not only the first.

    Notes
    -----
    A sweep after a sort for one and two objectives (``O(n log n)``); for
    three or more, pairwise comparisons in blocks of bounded memory
    (``O(m n^2)`` time).

    Examples
    --------
    >>> pareto_front_mask([[1, 3], [2, 2], [1, 1], [2, 2]]).tolist()
    [True, True, False, True]
    """
    Y = check_objectives(Y, "Y")
    ok = ~np.isnan(Y).any(axis=1)
    mask = np.zeros(len(Y), dtype=bool)
    if ok.any():
        mask[ok] = front_mask_finite(Y[ok])
    return mask
