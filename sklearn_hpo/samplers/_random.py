"""Independent uniform points in the unit cube."""

from sklearn_hpo.samplers._base import BaseSampler, check_history, check_pending

__all__ = ["RandomSampler"]


class RandomSampler(BaseSampler):
    """Points drawn independently and uniformly from ``[0, 1]^d``.

    Mapped through a search space this reproduces the distribution of
    scikit-learn's ``ParameterSampler``: each value with its prior's mass.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.samplers import RandomSampler
    >>> rng = np.random.default_rng(0)
    >>> RandomSampler().propose(np.empty((0, 2)), [], 3, rng=rng).shape
    (3, 2)
    """

    supports_pending = True  # draws ignore the history (and pending)

    def propose(self, X, y, n, *, rng, pending=None):
        X, y, n = check_history(X, y, n)
        check_pending(pending, X.shape[1])
        return rng.random((n, X.shape[1]))
