"""The sampler interface: history in, points out.

Notation
--------
X : array of shape (n, d), values in [0, 1]
    Points already evaluated (or in flight), in one subspace's unit cube.
y : array of shape (n,) or (n, m)
    Their objective values, to maximize; nan marks a failed evaluation.
n : int
    How many new points to propose.

A sampler knows nothing of scikit-learn, cross-validation or budgets. It
never stores the history: the search passes all of it on every call. A
sampler may keep generator state of its own (the position in a Sobol
sequence, say), which replaying the same calls reproduces.
"""

import numpy as np

__all__ = ["BaseSampler", "check_history"]


def check_history(X, y, n):
    """Validate and return ``(X, y, n)`` as float arrays and an int."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-d of shape (n, d), got shape {X.shape}.")
    y = np.asarray(y, dtype=np.float64)
    if y.shape[:1] != X.shape[:1]:
        raise ValueError(
            f"y must have one row per row of X ({X.shape[0]}), got shape {y.shape}."
        )
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}.")
    return X, y, int(n)


def check_pending(pending, d):
    """Validate ``pending`` (None or points of the unit cube, shape (k, d))."""
    if pending is None:
        return np.empty((0, d))
    P = np.asarray(pending, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] != d:
        raise ValueError(f"pending must have shape (k, {d}), got shape {P.shape}.")
    return P


def log_columns(Y, signs):
    """Maximized objectives ``Y`` (n, m) with some columns in log space.

    ``signs[j]`` is 0 for a column kept as it is, -1 for a minimized cost
    (the column holds ``-value``; it becomes ``-log(value)``) and +1 for a
    positive maximized value (``value`` becomes ``log(value)``). A value that
    is not positive (a timer's zero, say) is raised to the smallest positive
    value of its column first; a column without any is kept as it is. nan
    stays nan. The input is not modified.
    """
    Y = np.array(Y, dtype=np.float64, copy=True)
    if Y.ndim != 2:
        return Y
    for j in np.flatnonzero(signs):  # a few objectives
        value = signs[j] * Y[:, j]  # natural units
        positive = np.isfinite(value) & (value > 0)
        if not positive.any():
            continue
        with np.errstate(invalid="ignore"):
            value = np.maximum(value, value[positive].min())  # nan stays nan
        Y[:, j] = signs[j] * np.log(value)
    return Y


class BaseSampler:
    """Base class of samplers.

    Subclasses implement :meth:`propose`. ``adaptive`` tells the search
    whether proposals depend on observed scores (if not, the search may ask
    for the whole budget at once). ``supports_pending``: ``propose`` takes
    ``pending``, points proposed earlier whose scores are not known yet (the
    search overlaps batches); for a sampler without it the search shows
    pending points at the mean score so far instead.
    """

    adaptive = False
    supports_pending = False

    def n_independent(self, n_seen):
        """How many of the next proposals do not depend on any score, given
        ``n_seen`` points evaluated or pending. The search proposes them in
        one batch, whatever its batch size, so that the workers need not
        wait between them. Default: what is left of an initial design of
        ``n_initial_points`` (a sampler without one: 0)."""
        return max(0, getattr(self, "n_initial_points", 0) - int(n_seen))

    def propose(self, X, y, n, *, rng, pending=None):
        """Propose ``n`` new points of the unit cube.

        Parameters
        ----------
        X : array-like of shape (n_seen, d)
            Points evaluated so far, in [0, 1].
        y : array-like of shape (n_seen,) or (n_seen, m)
            Their objective values (greater is better), nan for failures.
        n : int
            Number of points wanted.
        rng : numpy.random.Generator
            The only source of randomness.
        pending : array-like of shape (k, d), default=None
            Points proposed earlier whose scores are not known yet (only
            passed to samplers with ``supports_pending = True``).

        Returns
        -------
        ndarray of shape (n, d)
            Points in [0, 1]. They may repeat earlier ones after the search
            rounds discrete coordinates; the search removes duplicates.
        """
        raise NotImplementedError
