"""BOHB-style proposals: a GP fitted on the highest fidelity with enough data.

Notation
--------
X : array of shape (n, d), values in [0, 1]
    Candidates started so far.
y : array of shape (n, L)
    ``y[i, j]`` is the score of candidate ``i`` at fidelity level ``j``
    (rung resources in increasing order): nan where it was not evaluated
    there, ``-inf`` where its fit failed.

As in BOHB (Falkner et al., ICML 2018), the model is fitted on the results
of the highest level that holds at least ``min_points`` evaluations (of
which at least two succeeded), since low-fidelity scores rank candidates
only roughly; until a level has that many, proposals are uniformly random.
A fraction ``random_fraction`` of the points is always random (BOHB's
``rho = 1/3``), which keeps the search exploring where the model is
confidently wrong. The model is sklearn-hpo's GP (:class:`GPSampler`)
instead of BOHB's kernel density estimates.
"""

import numpy as np

from sklearn_hpo.samplers._base import BaseSampler, check_history
from sklearn_hpo.samplers._gp import GPSampler

__all__ = ["MultiFidelitySampler"]


class MultiFidelitySampler(BaseSampler):
    """GP proposals on the highest fidelity level with enough results.

    Parameters
    ----------
    dimensions : list of Dimension or None, default=None
        Passed to :class:`GPSampler`.
    min_points : int or None, default=None
        Evaluations a level needs before the model uses it; None means
        ``d + 2`` for a cube of dimension ``d``.
    random_fraction : float, default=1/3
        Probability that a proposed point is uniformly random instead.
    inactive : callable or None, default=None
        Passed to :class:`GPSampler`.
    **gp_options
        Other options of :class:`GPSampler` (``acquisition``,
        ``n_candidates``...).

    Attributes
    ----------
    level_ : int or None
        The level the last proposal was modelled on (None: random).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.samplers import MultiFidelitySampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((9, 2))
    >>> y = np.full((9, 2), np.nan)
    >>> y[:, 0] = -np.sum((X - 0.3) ** 2, axis=1)  # all seen at level 0
    >>> y[:3, 1] = y[:3, 0]  # three promoted to level 1
    >>> sampler = MultiFidelitySampler(random_fraction=0.0, n_candidates=64)
    >>> sampler.propose(X, y, 2, rng=rng).shape, sampler.level_
    ((2, 2), 0)
    """

    adaptive = True

    def __init__(
        self,
        dimensions=None,
        *,
        min_points=None,
        random_fraction=1 / 3,
        inactive=None,
        **gp_options,
    ):
        if not 0.0 <= random_fraction <= 1.0:
            raise ValueError(
                f"random_fraction must be in [0, 1], got {random_fraction!r}."
            )
        self.min_points = min_points
        self.random_fraction = float(random_fraction)
        gp_options.setdefault("n_initial_points", 1)
        self._gp = GPSampler(dimensions, inactive=inactive, **gp_options)
        self.level_ = None

    def propose(self, X, y, n, *, rng):
        X, y, n = check_history(X, y, n)
        d = X.shape[1]
        if y.ndim == 1:
            y = y[:, None]
        need = self.min_points if self.min_points is not None else d + 2
        self.level_ = None
        for level in range(y.shape[1] - 1, -1, -1):
            col = y[:, level]
            seen = ~np.isnan(col)
            if seen.sum() >= need and np.isfinite(col).sum() >= 2:
                self.level_ = level
                break
        if n == 0 or d == 0:
            return np.empty((n, d))
        if self.level_ is None:
            return rng.random((n, d))
        n_random = int(rng.binomial(n, self.random_fraction))
        col = y[:, self.level_]
        rows = ~np.isnan(col)
        t = col[rows].copy()
        t[~np.isfinite(t)] = np.nan  # failed fits: the GP sampler imputes them
        # The model knows nothing of the candidates without a result at this
        # level (running, or stopped lower); its best point can be one of them
        # (found again from the same data, say at a bound of the box), so
        # they are excluded from the proposals, not from the model's data.
        # (The level has at least two successes, so the GP proposes from its
        # model, as its ``propose`` would; the random phase is this class's.)
        out = []
        if n - n_random:
            out.append(
                self._gp._propose_model(X[rows], t, n - n_random, rng, exclude=X[~rows])
            )
        if n_random:
            out.append(rng.random((n_random, d)))
        return np.vstack(out)
