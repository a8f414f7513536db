"""Bayesian optimization: a GP surrogate and an acquisition function.

Notation
--------
X : (n, d) points of one (sub)space's unit cube, y : (n,) to maximize, nan
for failed candidates; ``dimensions`` tell which coordinates are
categorical. The GP sees features ``F = encode(X)``: continuous and integer
coordinates as they are, each categorical coordinate as a one-hot block
(so that the order of the choices means nothing; every block column gets
its own ARD lengthscale).

One call of ``propose(X, y, n)``:

1. while fewer than ``n_initial_points`` points exist (or fewer than two
   succeeded), points of a scrambled Sobol' design;
2. failed candidates are imputed one (warped) standard deviation below the
   worst success, so the model keeps working and steers away from their
   region; the targets are warped (``output_warping``, default Yeo-Johnson);
3. the GP hyperparameters are fitted by MAP, warm-started from the previous
   call (with a random restart every ``refit_every`` calls; from 100
   observations on re-estimated every ``n // 50`` calls only);
4. the acquisition (default log-EI, with the noise-aware incumbent: the best
   posterior mean at an evaluated point, not the best raw score) is maximized
   over quasi-random candidates, perturbations of the best points, and an
   L-BFGS-B polish; discrete coordinates are snapped;
5. for a batch (``n > 1``) the GP is conditioned on each chosen point at its
   posterior mean ("kriging believer") before choosing the next, so a batch
   spreads out; Thompson sampling instead takes the argmax of ``n`` joint
   posterior samples. A point equal to an evaluated one is never returned.
"""

import numpy as np
from scipy.stats import qmc

from sklearn_hpo.acquisition import ei, log_ei, log_pi, ucb
from sklearn_hpo.gp import GaussianProcess, warp
from sklearn_hpo.optim import maximize_acquisition
from sklearn_hpo.samplers._base import BaseSampler, check_history, check_pending
from sklearn_hpo.samplers._qmc import QMCSampler
from sklearn_hpo.space import Categorical

__all__ = ["ACQUISITIONS", "GPSampler"]

ACQUISITIONS = ("log_ei", "ei", "log_pi", "ucb", "thompson")
# L-BFGS-B iterations of the acquisition polish: it refines the best raw
# candidates, it does not search; more rarely changes the proposal.
_POLISH_MAXITER = 40


class _Encoder:
    """Unit-cube coordinates -> GP features (one-hot for categoricals)."""

    def __init__(self, dimensions, d, inactive=None):
        self.inactive = inactive
        dims = list(dimensions) if dimensions is not None else [None] * d
        if len(dims) != d:
            raise ValueError(f"{len(dims)} dimensions given for points of width {d}.")
        self.dims = dims
        self.numeric = np.array([not isinstance(m, Categorical) for m in dims])
        self.blocks = []  # (column of U, first feature column, n choices)
        col = int(self.numeric.sum())
        for j, dim in enumerate(dims):
            if isinstance(dim, Categorical):
                self.blocks.append((j, col, dim.n_values))
                col += dim.n_values
        self.n_features = col

    def hold(self, U):
        """Inactive coordinates set to 0.5 (identity without ``inactive``)."""
        U = np.asarray(U, dtype=np.float64)
        if self.inactive is None:
            return U
        return np.where(self.inactive(U), 0.5, U)

    def encode(self, U):
        U = self.hold(U)
        F = np.zeros((len(U), self.n_features))
        F[:, : int(self.numeric.sum())] = U[:, self.numeric]
        for j, start, _ in self.blocks:
            idx = self.dims[j].index(U[:, j])
            F[np.arange(len(U)), start + idx] = 1.0
        return F

    def grad_to_unit(self, dF, U):
        """Chain rule back to U: numeric, active columns only (one-hot and
        held coordinates are flat)."""
        dU = np.zeros((len(dF), len(self.dims)))
        dU[:, self.numeric] = dF[:, : int(self.numeric.sum())]
        if self.inactive is not None:
            dU[self.inactive(U)] = 0.0
        return dU

    def snap(self, U):
        out = np.clip(np.asarray(U, dtype=np.float64), 0.0, 1.0).copy()
        for j, dim in enumerate(self.dims):
            if dim is not None and dim.is_discrete:
                out[:, j] = dim.snap(out[:, j])
        return self.hold(out)


class GPSampler(BaseSampler):
    """Bayesian optimization with a Gaussian process (numpy/scipy only).

    Parameters
    ----------
    dimensions : list of Dimension or None, default=None
        The dimensions of the cube's columns (from :mod:`sklearn_hpo.space`),
        so that integers are snapped and categoricals one-hot encoded; None
        treats every column as continuous.
    n_initial_points : int, default=10
        Points of a scrambled Sobol' design before the model takes over.
    acquisition : {"log_ei", "ei", "log_pi", "ucb", "thompson"}, default="log_ei"
        What is maximized. log-EI is EI computed in log space, which keeps
        its gradient informative far from the incumbent.
    beta : float, default=2.0
        Exploration weight of "ucb" (``mean + beta * std``).
    output_warping : {"power", "rank", "standardize"}, default="power"
        Transform of the scores before the GP (see :mod:`sklearn_hpo.gp`).
    n_candidates : int, default=1024
        Raw quasi-random candidates of the acquisition maximization.
    n_polish : int, default=5
        Candidates polished by L-BFGS-B.
    inactive : callable or None, default=None
        ``inactive(U) -> mask (m, d)`` of coordinates a point does not use (as
        in :class:`~sklearn_hpo.space.JointSubSpace`, where they are held at
        0.5); the acquisition sees them at 0.5 and the polish leaves them.
    refit_every : int, default=10
        The hyperparameters are refitted from the previous fit at every call,
        and every this many calls also from a random draw from their prior.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.samplers import GPSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((12, 2))
    >>> y = -np.sum((X - 0.3) ** 2, axis=1)
    >>> GPSampler().propose(X, y, 2, rng=rng).shape
    (2, 2)
    """

    adaptive = True
    supports_pending = True

    def __init__(
        self,
        dimensions=None,
        *,
        n_initial_points=10,
        acquisition="log_ei",
        beta=2.0,
        output_warping="power",
        n_candidates=1024,
        n_polish=5,
        inactive=None,
        refit_every=10,
    ):
        if acquisition not in ACQUISITIONS:
            raise ValueError(
                f"acquisition must be one of {ACQUISITIONS}, got {acquisition!r}."
            )
        if int(n_initial_points) != n_initial_points or n_initial_points < 1:
            raise ValueError(
                "n_initial_points must be a positive integer, got "
                f"{n_initial_points!r}."
            )
        self.dimensions = dimensions
        self.n_initial_points = int(n_initial_points)
        self.acquisition = acquisition
        self.beta = float(beta)
        self.output_warping = output_warping
        self.n_candidates = int(n_candidates)
        self.n_polish = int(n_polish)
        self.inactive = inactive
        self.refit_every = int(refit_every)
        self._initial = QMCSampler("sobol")
        self._theta = None
        self._n_fits = 0
        self.gp_ = None

    # -------------------------------------------------------------- propose
    def propose(self, X, y, n, *, rng, pending=None):
        """Propose ``n`` points; see :meth:`BaseSampler.propose`.

        ``pending`` (shape (k, d)): points proposed earlier and not scored
        yet. The GP is conditioned on them at its own posterior mean (kriging
        believer, as within a batch) before the acquisition is maximized.
        """
        X, y, n = check_history(X, y, n)
        d = X.shape[1]
        P = check_pending(pending, d)
        if n == 0 or d == 0:
            return np.empty((n, d))
        n_ok = int(np.sum(np.isfinite(y)))
        n_init = max(0, min(n, self.n_initial_points - len(X) - len(P)))
        if n_ok < 2:
            n_init = n
        out = []
        if n_init:
            out.append(self._initial.propose(X, y, n_init, rng=rng))
        if n - n_init > 0:
            out.append(self._propose_model(X, y, n - n_init, rng, P))
        return np.vstack(out)

    def _targets(self, y):
        ok = np.isfinite(y)
        w = np.empty_like(y)
        w[ok] = warp(y[ok], self.output_warping)
        if (~ok).any():
            # failed candidates: one standard deviation below the worst success
            w[~ok] = np.min(w[ok]) - 1.0
        return w

    def _fit(self, F, t, rng):
        # First fit: the prior mode and two draws from the prior. Later fits
        # start from the previous hyperparameters only (a few dozen L-BFGS-B
        # iterations), plus one draw from the prior every ``refit_every``
        # calls, to escape a poor local optimum. From 100 observations on, one
        # more point barely moves the MAP estimate: the hyperparameters are
        # then re-estimated every (n // 50)-th call only, and the other calls
        # just condition the GP on the data (one Cholesky factorization).
        first = self._theta is None or len(self._theta) != F.shape[1] + 3
        periodic = self.refit_every > 0 and self._n_fits % self.refit_every == 0
        every = max(1, len(F) // 50)
        keep = not first and not periodic and self._n_fits % every != 0
        gp = GaussianProcess(
            n_restarts=2 if first else int(periodic), maxiter=200 if first else 25
        )
        gp.fit(
            F,
            t,
            theta0=None if first else self._theta,
            optimize_hyperparameters=not keep,
            rng=rng,
        )
        self._theta = gp.theta_
        self._n_fits += 1
        return gp

    def _propose_model(self, X, y, n, rng, P=None, exclude=None):
        # ``exclude``: points not to propose again although the model does
        # not see them (MultiFidelitySampler: candidates without a result at
        # the modelled level)
        enc = _Encoder(self.dimensions, X.shape[1], self.inactive)
        F = enc.encode(X)
        t = self._targets(y)
        gp = self._fit(F, t, rng)
        self.gp_ = gp
        extra = self._local_candidates(X, t, enc, rng)
        seen = X if exclude is None or not len(exclude) else np.vstack([X, exclude])
        if P is not None and len(P):  # kriging believer for pending points
            f = enc.encode(P)
            gp = gp.condition_on(f, gp.predict(f, return_var=False))
            seen = np.vstack([X, P])

        if self.acquisition == "thompson":
            return self._thompson(gp, enc, seen, n, extra, rng)

        chosen = []
        for _ in range(n):
            best = float(np.max(gp.predict(gp.X_, return_var=False)))
            fun = self._acquisition_function(gp, enc, best)
            U, _ = maximize_acquisition(
                fun,
                X.shape[1],
                rng=rng,
                snap=enc.snap,
                continuous=enc.numeric,
                n_candidates=self.n_candidates,
                n_polish=self.n_polish,
                extra_candidates=extra,
                maxiter=_POLISH_MAXITER,
            )
            u = _first_unseen(U, seen)
            if u is None:  # every candidate already evaluated: explore
                u = enc.snap(rng.random((1, X.shape[1])))[0]
            chosen.append(u)
            seen = np.vstack([seen, u])
            if len(chosen) < n:
                f = enc.encode(u[None, :])
                gp = gp.condition_on(f, gp.predict(f, return_var=False))
        return np.asarray(chosen)

    def _acquisition_function(self, gp, enc, best):
        kind, beta = self.acquisition, self.beta

        def fun(U, return_grad=False):
            F = enc.encode(U)
            if return_grad:
                mean, var, dmean, dvar = gp.predict(F, return_grad=True)
            else:
                mean, var = gp.predict(F)
            if kind == "log_ei":
                res = log_ei(mean, var, best, return_grad=return_grad)
            elif kind == "ei":
                res = ei(mean, var, best, return_grad=return_grad)
            elif kind == "log_pi":
                res = log_pi(mean, var, best, return_grad=return_grad)
            else:
                res = ucb(mean, var, beta=beta, return_grad=return_grad)
            if not return_grad:
                return res
            value, g_mean, g_var = res
            dF = g_mean[:, None] * dmean + g_var[:, None] * dvar
            return value, enc.grad_to_unit(dF, U)

        return fun

    def _local_candidates(self, X, t, enc, rng, n_best=5, per_point=32, scale=0.05):
        """Perturbations of the best points seen (numeric coordinates jittered,
        categorical ones resampled with probability 0.2)."""
        top = X[np.argsort(-t, kind="stable")[:n_best]]
        C = np.repeat(top, per_point, axis=0)
        noise = rng.normal(0.0, scale, C.shape)
        C = np.where(enc.numeric, C + noise, C)
        flip = rng.random(C.shape) < 0.2
        C = np.where(~enc.numeric & flip, rng.random(C.shape), C)
        return np.clip(C, 0.0, 1.0)

    def _thompson(self, gp, enc, X, n, extra, rng):
        d = X.shape[1]
        cand = qmc.Sobol(d, scramble=True, rng=rng).random(self.n_candidates)
        cand = enc.snap(np.vstack([cand, extra]))
        cand = np.unique(cand, axis=0)
        samples = gp.sample(enc.encode(cand), n, rng=rng)
        chosen, seen = [], X
        for s in samples:
            for i in np.argsort(-s, kind="stable"):
                u = cand[i]
                if _first_unseen(u[None, :], seen) is not None:
                    chosen.append(u)
                    seen = np.vstack([seen, u])
                    break
            else:
                chosen.append(enc.snap(rng.random((1, d)))[0])
        return np.asarray(chosen)


def _first_unseen(U, seen):
    """The first row of ``U`` equal to no row of ``seen`` (None if none)."""
    if len(seen) == 0:
        return U[0] if len(U) else None
    for u in U:
        if not np.any(np.all(seen == u, axis=1)):
            return u
    return None
