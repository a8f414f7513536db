"""ParEGO: multi-objective proposals from random scalarizations.

Notation
--------
X : array of shape (n, d), values in [0, 1]
    Points evaluated so far.
y : array of shape (n, m)
    Their ``m`` objective values, each to maximize; a row holding nan is a
    failed (or infeasible) candidate.

ParEGO (Knowles, IEEE TEC 2006) turns the multi-objective problem into a
new single-objective one at every proposal: it draws weights ``w`` uniformly
from the simplex, scores every point by the augmented Chebyshev
scalarization ``s_w(y)`` of its normalized objectives (see
:mod:`sklearn_hpo.multiobjective`) and proposes where a GP fitted to ``s_w``
has the largest expected improvement. Every Pareto-optimal point maximizes
``s_w`` for some ``w``, so over many draws the proposals spread along the
whole front. Within a batch, each point gets its own weights, and the points
already chosen enter the history as failures so that the next ones look
elsewhere.
"""

import numpy as np

from sklearn_hpo.multiobjective import augmented_chebyshev, random_simplex_weights
from sklearn_hpo.samplers._base import BaseSampler, check_history, check_pending
from sklearn_hpo.samplers._gp import GPSampler
from sklearn_hpo.samplers._qmc import QMCSampler

__all__ = ["ParEGOSampler"]


class ParEGOSampler(BaseSampler):
    """Multi-objective Bayesian optimization by random scalarizations (ParEGO).

    Parameters
    ----------
    dimensions : list of Dimension or None, default=None
        Passed to :class:`GPSampler`.
    n_initial_points : int, default=10
        Points of a scrambled Sobol' design before the model takes over.
    rho : float, default=0.05
        Weight of the linear term of the augmented Chebyshev scalarization.
    inactive : callable or None, default=None
        Passed to :class:`GPSampler`.
    **gp_options
        Other options of :class:`GPSampler` (``acquisition``,
        ``n_candidates``...).

    Attributes
    ----------
    weights_ : ndarray of shape (n_objectives,) or None
        The weights of the last model-based proposal.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.samplers import ParEGOSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((12, 2))
    >>> Y = np.column_stack([X[:, 0], 1 - X[:, 0] ** 2 - X[:, 1]])
    >>> ParEGOSampler(n_initial_points=4, n_candidates=64).propose(
    ...     X, Y, 2, rng=rng).shape
    (2, 2)
    """

    adaptive = True
    supports_pending = True

    def __init__(
        self,
        dimensions=None,
        *,
        n_initial_points=10,
        rho=0.05,
        inactive=None,
        **gp_options,
    ):
        if int(n_initial_points) != n_initial_points or n_initial_points < 1:
            raise ValueError(
                "n_initial_points must be a positive integer, got "
                f"{n_initial_points!r}."
            )
        if rho < 0:
            raise ValueError(f"rho must be >= 0, got {rho!r}.")
        self.n_initial_points = int(n_initial_points)
        self.rho = float(rho)
        gp_options["n_initial_points"] = 1
        self._gp = GPSampler(dimensions, inactive=inactive, **gp_options)
        self._initial = QMCSampler("sobol")
        self.weights_ = None

    def propose(self, X, y, n, *, rng, pending=None):
        """Propose ``n`` points; see :meth:`BaseSampler.propose`.

        ``pending`` (shape (k, d)): points proposed earlier and not scored
        yet; the scalarization's GP believes them at its posterior mean.
        """
        X, Y, n = check_history(X, y, n)
        if Y.ndim == 1:
            Y = Y[:, None]
        d, m = X.shape[1], Y.shape[1]
        P = check_pending(pending, d)
        if n == 0 or d == 0:
            return np.empty((n, d))
        n_ok = int(np.sum(np.all(np.isfinite(Y), axis=1)))
        n_init = max(0, min(n, self.n_initial_points - len(X) - len(P)))
        if n_ok < 2:
            n_init = n
        out = []
        if n_init:
            out.append(self._initial.propose(X, Y, n_init, rng=rng))
        Xp, Yp = X, np.where(np.isfinite(Y), Y, np.nan)
        for _ in range(n - n_init):
            self.weights_ = random_simplex_weights(m, rng)
            s = augmented_chebyshev(Yp, self.weights_, rho=self.rho)
            u = self._gp.propose(Xp, s, 1, rng=rng, pending=P if len(P) else None)
            out.append(u)
            Xp = np.vstack([Xp, u])
            Yp = np.vstack([Yp, np.full((1, m), np.nan)])
        return np.vstack(out)
