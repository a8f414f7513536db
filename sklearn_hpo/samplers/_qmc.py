"""Low-discrepancy points from scipy.stats.qmc.

Sobol' and Halton sequences are extensible: successive calls continue one
sequence, so the first ``2^m`` points of a run are a balanced Sobol' set
however they were split into batches. Latin hypercube designs are not: each
call draws a fresh design of the size asked for.
"""

import warnings

import numpy as np
from scipy.stats import qmc

from sklearn_hpo.samplers._base import BaseSampler, check_history, check_pending

__all__ = ["QMCSampler", "SEQUENCES"]

SEQUENCES = ("sobol", "halton", "lhs", "random")


class QMCSampler(BaseSampler):
    """Quasi-random points: scrambled Sobol', Halton, Latin hypercube or random.

    Parameters
    ----------
    sequence : {"sobol", "halton", "lhs", "random"}, default="sobol"
        The point set.
    scramble : bool, default=True
        Randomize the sequence (Owen scrambling for Sobol' and Halton,
        random positions inside the strata for LHS). Unscrambled Sobol' starts
        at the origin, a corner of the space.

    Notes
    -----
    The sequence is created on the first call, seeded from that call's
    ``rng``; later calls continue it. Sobol' points keep their balance
    properties only in runs of ``2^m`` points (scipy's own warning about it is
    silenced here; the search warns once instead).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.samplers import QMCSampler
    >>> s = QMCSampler("sobol")
    >>> s.propose(np.empty((0, 2)), [], 4, rng=np.random.default_rng(0)).shape
    (4, 2)
    """

    supports_pending = True  # the sequence ignores the history (and pending)

    def __init__(self, sequence="sobol", scramble=True):
        if sequence not in SEQUENCES:
            raise ValueError(f"sequence must be one of {SEQUENCES}, got {sequence!r}.")
        self.sequence = sequence
        self.scramble = bool(scramble)
        self._engine = None
        self._d = None

    def _make_engine(self, d, rng):
        if self.sequence == "sobol":
            return qmc.Sobol(d, scramble=self.scramble, rng=rng)
        if self.sequence == "halton":
            return qmc.Halton(d, scramble=self.scramble, rng=rng)
        if self.sequence == "lhs":
            return qmc.LatinHypercube(d, scramble=self.scramble, rng=rng)
        return None

    def propose(self, X, y, n, *, rng, pending=None):
        X, y, n = check_history(X, y, n)
        check_pending(pending, X.shape[1])
        d = X.shape[1]
        if d == 0 or n == 0:
            return np.empty((n, d))
        if self.sequence == "random":
            return rng.random((n, d))
        if self._engine is None or self._d != d:
            # Seed the engine from rng so that one random_state fixes the run.
            seed = np.random.default_rng(rng.integers(0, 2**63 - 1))
            self._engine = self._make_engine(d, seed)
            self._d = d
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*balance properties.*")
            return np.asarray(self._engine.random(n), dtype=np.float64)
