"""ParEGO's augmented Chebyshev scalarization and random simplex weights."""

import numpy as np

from sklearn_hpo.multiobjective._validation import (
    check_objectives,
    check_scalar,
    check_vector,
)

__all__ = ["augmented_chebyshev", "random_simplex_weights"]


def _bound(value, name, Y, complete, reduce):
    if value is not None:
        return check_vector(value, name, Y.shape[1])
    if not complete.any():
        return np.full(Y.shape[1], np.nan)
    return reduce(Y[complete], axis=0)


def augmented_chebyshev(Y, weights, *, ideal=None, nadir=None, rho=0.05):
    """ParEGO's augmented Chebyshev scalarization, for maximization.

    Parameters
    ----------
    Y : array-like of shape (n_points, n_objectives)
        Objective values, greater is better. A row holding nan (a failed
        candidate) scores nan; infinite values are rejected.
    weights : array-like of shape (n_objectives,)
        Non-negative weights, not all zero, used as given (scaling them
        scales the score and keeps its order); ParEGO draws them from the
        simplex, see :func:`random_simplex_weights`.
    ideal, nadir : array-like of shape (n_objectives,), default=None
        The best and the worst value of each objective, which map to 1 and 0.
        By default the column maximum and minimum of the rows of ``Y``
        without nan (all scores are nan if there are none). ``ideal`` must
        not be below ``nadir``; an objective where they are equal is treated
        as already at its ideal and does not affect the score.
    rho : float, default=0.05
        Weight of the linear term (ParEGO's value), ``>= 0``.

    Returns
    -------
    scores : ndarray of shape (n_points,)
        ``s(y) = min_j w_j (y'_j - 1) + rho * sum_j w_j (y'_j - 1)`` with
        ``y' = (y - nadir) / (ideal - nadir)``; greater is better, 0 at the
        ideal point and negative below it (values of ``Y`` outside the bounds
        are not clipped).

    See Also
    --------
    random_simplex_weights : ParEGO's weights, uniform on the simplex.

    Notes
    -----
    Knowles (2006) minimizes ``f_w(x) = max_j w_j f_j + rho * sum_j w_j f_j``
    over costs ``f_j`` normalized to ``[0, 1]``, 0 being best. With
    ``f_j = 1 - y'_j``, the distance of the normalized objective from its
    ideal value, ``s = -f_w``: the weighted Chebyshev distance to the ideal
    point, negated, plus the small linear term that makes the maximizers of
    ``s`` Pareto optimal rather than only weakly Pareto optimal. For each
    weight vector the best front point is the one whose shortfalls
    ``1 - y'_j`` are closest to proportional to ``1 / w_j``, so every point
    of a front, convex or not, is the best for some weights.

    References
    ----------
    J. Knowles, "ParEGO: a hybrid algorithm with on-line landscape
    approximation for expensive multiobjective optimization problems",
    IEEE Transactions on Evolutionary Computation 10(1), 2006.

    Examples
    --------
    >>> Y = [[0.0, 1.0], [0.75, 0.75], [1.0, 0.0]]
    >>> augmented_chebyshev(Y, [0.5, 0.5], rho=0.0).tolist()
    [-0.5, -0.125, -0.5]
    >>> int(augmented_chebyshev(Y, [0.9, 0.1]).argmax())
    2
    """
    Y = check_objectives(Y, "Y")
    m = Y.shape[1]
    w = check_vector(weights, "weights", m)
    if (w < 0).any() or not w.sum() > 0:
        raise ValueError(
            f"weights must be non-negative and not all zero; got {w.tolist()}."
        )
    rho = check_scalar(rho, "rho", low=0.0)
    complete = ~np.isnan(Y).any(axis=1)
    hi = _bound(ideal, "ideal", Y, complete, np.max)
    lo = _bound(nadir, "nadir", Y, complete, np.min)
    if (hi < lo).any():
        given = [n for n, v in (("ideal", ideal), ("nadir", nadir)) if v is not None]
        which = " and ".join(given)
        raise ValueError(
            f"{which}: the ideal point must not be below the nadir point in any "
            f"objective; got ideal={hi.tolist()}, nadir={lo.tolist()}."
        )
    span = hi - lo
    varies = span > 0
    normalized = np.ones_like(Y)
    normalized[:, varies] = (Y[:, varies] - lo[varies]) / span[varies]
    shortfall = w * (normalized - 1.0)  # <= 0 within the bounds
    scores = shortfall.min(axis=1) + rho * shortfall.sum(axis=1)
    scores[~complete] = np.nan
    return scores


def random_simplex_weights(n_objectives, rng, size=None):
    """Weights drawn uniformly on the probability simplex.

    Parameters
    ----------
    n_objectives : int
        Number of weights per vector, ``>= 1``.
    rng : numpy.random.Generator
        The source of randomness.
    size : int or None, default=None
        Number of weight vectors; None draws one.

    Returns
    -------
    weights : ndarray of shape (n_objectives,) or (size, n_objectives)
        Non-negative weights summing to 1 (per row), distributed uniformly
        on the simplex (a flat Dirichlet).

    Notes
    -----
    Normalized standard exponential variates. ParEGO (Knowles 2006) picks
    from a regular lattice of ``s + 1`` levels per objective instead; the
    continuous draw covers the same simplex without a lattice size to tune.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> w = random_simplex_weights(3, rng, size=4)
    >>> w.shape, bool(np.allclose(w.sum(axis=1), 1.0)), bool((w >= 0).all())
    ((4, 3), True, True)
    """
    n_objectives = check_scalar(n_objectives, "n_objectives", low=1, integer=True)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator; got {type(rng).__name__}."
        )
    if size is None:
        shape = (n_objectives,)
    else:
        shape = (check_scalar(size, "size", low=0, integer=True), n_objectives)
    e = rng.standard_exponential(shape)
    return e / e.sum(axis=-1, keepdims=True)
