"""The Matérn-5/2 kernel with one lengthscale per dimension (ARD).

Notation
--------
X1 : (n, d), X2 : (m, d)
    Inputs (any real features; the GP knows nothing of search spaces).
lengthscales : (d,)
    ``l_j > 0``; ``S = X / l`` are the scaled inputs.
variance : float
    The signal variance ``s2``.

Formulas, with ``r`` the Euclidean distance between scaled inputs::

    k(r)        = s2 (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)
    dk/dr       = -s2 5/3 r (1 + sqrt5 r) exp(-sqrt5 r)
    g(r)        = s2 5/3 (1 + sqrt5 r) exp(-sqrt5 r)          (so dk/dr = -g r)
    dk/d log l_j = g(r) (x_j - x'_j)^2 / l_j^2
    dk/dx_j      = -g(r) (x_j - x'_j) / l_j^2                  (w.r.t. the first input)

None of these divides by ``r``, so they are exact at ``r = 0``.
"""

import numpy as np

__all__ = ["matern52", "matern52_grad_inputs", "matern52_lengthscale_grad"]

SQRT5 = np.sqrt(5.0)


def _sqdist(S1, S2):
    """Squared Euclidean distances between rows, clipped at 0, shape (n, m)."""
    d2 = (
        np.sum(S1 * S1, axis=1)[:, None]
        + np.sum(S2 * S2, axis=1)[None, :]
        - 2.0 * (S1 @ S2.T)
    )
    return np.maximum(d2, 0.0)


def matern52(X1, X2, lengthscales, variance, *, return_g=False):
    """Kernel matrix ``k(X1, X2)`` of shape (n, m).

    With ``return_g=True`` also returns ``g(r)`` (see the module docstring),
    which the gradients reuse.
    """
    ls = np.asarray(lengthscales, dtype=np.float64)
    S1 = np.asarray(X1, dtype=np.float64) / ls
    S2 = S1 if X2 is None else np.asarray(X2, dtype=np.float64) / ls
    r = np.sqrt(_sqdist(S1, S2))
    e = np.exp(-SQRT5 * r)
    K = variance * (1.0 + SQRT5 * r + (5.0 / 3.0) * r * r) * e
    if X2 is None:
        # exact symmetry and diagonal, whatever the rounding of _sqdist
        K = 0.5 * (K + K.T)
        np.fill_diagonal(K, variance)
    if return_g:
        g = variance * (5.0 / 3.0) * (1.0 + SQRT5 * r) * e
        return K, g
    return K


def matern52_lengthscale_grad(X, lengthscales, M):
    """``sum_ab M_ab dK_ab / d log l_j`` for every j, shape (d,).

    ``M`` is ``W * g`` (elementwise) for a symmetric weight matrix ``W`` of
    shape (n, n) and ``g`` from :func:`matern52`. Uses
    ``sum_ab M_ab (s_aj - s_bj)^2 = 2 (s_j^2 . M 1 - s_j . M s_j)``, which costs
    one (n, n) x (n, d) product instead of an (n, n, d) array.
    """
    S = np.asarray(X, dtype=np.float64) / np.asarray(lengthscales, dtype=np.float64)
    row = M.sum(axis=1)
    return 2.0 * ((S * S).T @ row - np.sum(S * (M @ S), axis=0))


def matern52_grad_inputs(Xq, X, lengthscales, variance):
    """Gradient of ``k(Xq, X)`` with respect to ``Xq``, shape (m, n, d)."""
    ls = np.asarray(lengthscales, dtype=np.float64)
    Xq = np.asarray(Xq, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    _, g = matern52(Xq, X, ls, variance, return_g=True)
    diff = Xq[:, None, :] - X[None, :, :]
    return -g[:, :, None] * diff / (ls * ls)
