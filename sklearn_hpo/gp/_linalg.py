"""Cholesky with jitter escalation, and BLAS threads capped for small solves.

A kernel matrix of close or repeated inputs is positive semi-definite only up
to rounding. ``cholesky_jitter`` first tries the matrix as it is, then adds
``jitter * mean(diag(K))`` to the diagonal for jitter = 1e-10, 1e-9, ...,
1e-4, and raises ``numpy.linalg.LinAlgError`` if none works.

The matrices here are small (hundreds of rows): threading BLAS over them costs
more than it gains and oversubscribes a machine whose cores already run
parallel fits. ``single_blas_thread()`` limits BLAS to one thread inside a
``with`` block (threadpoolctl, a dependency of scikit-learn; a no-op if it
is missing).
"""

import contextlib

import numpy as np
from scipy import linalg

__all__ = ["cholesky_jitter", "single_blas_thread"]

_JITTERS = (0.0, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4)
_CONTROLLER = None


def cholesky_jitter(K):
    """Lower Cholesky factor of ``K`` (n, n), escalating jitter if needed.

    Returns
    -------
    L : ndarray of shape (n, n)
        Lower triangular, ``L L^T = K + jitter I``.
    jitter : float
        What was added to the diagonal (0.0 when nothing was needed).
    """
    K = np.asarray(K, dtype=np.float64)
    scale = float(np.mean(np.diag(K))) if K.size else 1.0
    if not np.isfinite(scale) or scale <= 0:
        scale = 1.0
    last = None
    for rel in _JITTERS:
        jitter = rel * scale
        try:
            A = K if jitter == 0.0 else K + jitter * np.eye(K.shape[0])
            L = linalg.cholesky(A, lower=True, check_finite=False)
            if np.all(np.isfinite(L)):
                return L, jitter
        except linalg.LinAlgError as exc:
            last = exc
    raise np.linalg.LinAlgError(
        f"the kernel matrix is not positive definite even with a jitter of "
        f"{_JITTERS[-1]:g} x its mean diagonal ({last})"
    )


def _controller():
    global _CONTROLLER
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl comes with sklearn
            _CONTROLLER = False
        else:
            _CONTROLLER = ThreadpoolController()
    return _CONTROLLER


@contextlib.contextmanager
def single_blas_thread():
    """Limit BLAS to one thread inside the block."""
    controller = _controller()
    if not controller:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
