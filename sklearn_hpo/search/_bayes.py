"""BayesSearchCV: Gaussian-process Bayesian optimization as a BaseSearchCV."""

import math
from numbers import Integral, Real

import numpy as np
from scipy.optimize import OptimizeResult

from sklearn_hpo.gp import OUTPUT_WARPINGS
from sklearn_hpo.samplers import ACQUISITIONS, GPSampler
from sklearn_hpo.search._base import BaseSampledSearchCV
from sklearn_hpo.space import JointSubSpace, SearchSpace
from sklearn_hpo.utils._compat import Interval

__all__ = ["BayesSearchCV"]

# scikit-optimize's acq_func names -> ours ("gp_hedge" portfolios are not
# implemented: log-EI, the most robust member, stands in for it).
_SKOPT_ACQ = {"EI": "log_ei", "gp_hedge": "log_ei", "PI": "log_pi", "LCB": "ucb"}
_OPTIMIZER_KWARGS = {
    "n_initial_points",
    "acq_func",
    "acquisition",
    "kappa",
    "beta",
    "output_warping",
    "n_candidates",
    "n_polish",
    "base_estimator",
    "acq_optimizer",
    "xi",
    "random_state",
}


class BayesSearchCV(BaseSampledSearchCV):
    """Bayesian optimization of hyperparameters with a Gaussian process.

    A drop-in replacement for scikit-optimize's ``BayesSearchCV`` (same
    parameters, ``fit(X, y, groups=None, callback=None)``,
    ``total_iterations``, ``optimizer_results_``) that is a plain
    scikit-learn ``BaseSearchCV``: multi-metric scoring, ``error_score``,
    ``cv_results_`` and every fitted attribute work as in ``GridSearchCV``.
    The surrogate is sklearn-hpo's own vectorized GP (numpy and scipy only).

    Parameters
    ----------
    estimator : estimator object
        Cloned for every candidate and fold.

    search_spaces : dict, list of dicts, or list of (dict, int) tuples
        What to search: scikit-optimize style ranges ``(1e-3, 1e3,
        "log-uniform")``, ``(1, 10)``, lists of choices, :class:`Real`,
        :class:`Integer`, :class:`Categorical`, and also
        ``RandomizedSearchCV``-style scipy.stats distributions. A list of
        dicts is one search over their union (one model; the budget goes to
        the subspaces that score well); a list of ``(dict, n_iter)`` tuples
        searches each dict separately with its own budget, as
        scikit-optimize does.

    n_iter : int, default=50
        Number of candidates (for a list of tuples, the tuples' own counts
        are used instead).

    optimizer_kwargs : dict, default=None
        Options of the optimizer. ``n_initial_points`` (default 10: a
        scrambled Sobol' design before the model takes over),
        ``acquisition`` ("log_ei", "ei", "log_pi", "ucb", "thompson"; or
        scikit-optimize's ``acq_func``: "EI", "PI", "LCB", "gp_hedge" which
        maps to log-EI), ``beta`` (or ``kappa``: the exploration weight of
        UCB), ``output_warping`` ("power", "rank", "standardize"),
        ``n_candidates``, ``n_polish``. scikit-optimize's ``base_estimator``
        ("GP" only), ``acq_optimizer`` and ``xi`` are accepted and ignored.

    scoring : str, callable, list, tuple or dict, default=None
        As in scikit-learn. With several metrics the search optimizes the one
        named by ``refit``.

    fit_params : dict, default=None
        Parameters passed to the estimator's ``fit`` (scikit-optimize's
        spelling; passing them to ``fit`` works too).

    n_jobs : int, default=None
        Parallel jobs (joblib). Candidates and scores do not depend on it.

    n_points : int, default=1
        Candidates proposed per round (kriging believer batches); set it to
        ``n_jobs`` (times the number of folds, at most) to keep workers busy.

    overlap_batches : bool, default=False
        Propose the next batch before the current one is scored, so that
        the workers get its fits while the current batch's last fits run
        instead of waiting at the batch's end (with ``n_jobs=2`` and
        ``n_points=2``, workers busy 95% of the time instead of 92-93% in
        ``benchmarks/RESULTS.md``; without it the longest fits of a batch
        are started first, which shortens that wait). The price: each
        proposal sees one batch of scores fewer (the GP believes the pending
        batch at its posterior mean), which costs search quality at small
        budgets (see the same file). Proposals and records keep a fixed
        order: results still do not depend on ``n_jobs``. A callback that
        stops the search lets the batch proposed ahead finish.

    pre_dispatch : int or str, default="2*n_jobs"
        Jobs dispatched ahead (joblib).

    cv : int, cross-validation generator or iterable, default=None
        As in scikit-learn; the splits are computed once per ``fit``.

    refit : bool, str or callable, default=True
        As in scikit-learn.

    verbose : int, default=0
        Verbosity of the fits.

    random_state : int, RandomState instance or None, default=None
        Seeds the whole search.

    error_score : "raise" or numeric, default=np.nan
        Score of a candidate whose fit fails (scikit-learn's default, where
        scikit-optimize raised). A failed candidate is given to the model
        as one standard deviation below the worst success, so its region is
        not proposed again and again.

    return_train_score : bool, default=False
        Also compute the training scores.

    max_time : float, default=None
        A time budget in seconds, counted from the start of ``fit``: no new
        fit starts after it, candidates with a split left unfitted are
        dropped, and the search ends with what it has (refit included).
        None: no limit.

    checkpoint : str or path-like, default=None
        A SQLite file recording every finished candidate in its own
        transaction. A later ``fit`` with the same file, estimator, search
        space, data and ``random_state`` replays what is done and continues,
        so a killed process loses only the fits in flight; anything else
        changed raises ``ValueError``. ``sklearn-hpo show FILE`` or
        :func:`~sklearn_hpo.search.load_checkpoint` lists what it holds.

    candidate_timeout : float, default=None
        Seconds one fit (one candidate on one split) may take; a longer fit
        is interrupted and scored with ``error_score``. Enforced with
        ``n_jobs=1`` and the loky/multiprocessing backends (a ``SIGALRM`` in
        the worker, POSIX only); not with the threading or Dask backends,
        whose fits run in threads (the search then warns).

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        As in scikit-learn's searches, in the order the candidates were
        evaluated.
    best_estimator_ : estimator
    best_score_ : float
    best_params_ : dict
    best_index_ : int
    scorer_ : function or dict
    n_splits_ : int
    refit_time_ : float
    multimetric_ : bool
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        As in scikit-learn's searches.
    optimizer_results_ : list of scipy.optimize.OptimizeResult
        One per search (one for a dict or a list of dicts, one per tuple),
        as scikit-optimize gives them: ``x_iters`` (parameter lists in the
        order of ``names``), ``func_vals`` (minus the objective, since
        scikit-optimize minimizes; nan for failures), ``x``, ``fun`` and
        ``names``.

    See Also
    --------
    SobolSearchCV : Quasi-random search with the same interface.
    sklearn.model_selection.RandomizedSearchCV : Independent random candidates.

    Notes
    -----
    Each round fits a Gaussian process (Matérn-5/2 with one lengthscale per
    dimension, categorical dimensions one-hot encoded, learned noise, MAP
    hyperparameters under dimension-scaled priors, Yeo-Johnson-warped
    scores) to the candidates so far and maximizes log expected improvement
    over the best posterior mean seen (robust to noisy CV scores), by
    quasi-random candidates and an L-BFGS-B polish. Proposals run in this
    process between batches; only the fits run in parallel. A round costs
    O(n^3) in the number n of candidates evaluated, a few tens of
    milliseconds for a few hundred.

    References: J. Snoek, H. Larochelle and R. P. Adams (2012), "Practical
    Bayesian optimization of machine learning algorithms"; S. Ament et al.
    (2023), "Unexpected improvements to expected improvement for Bayesian
    optimization" (log-EI); C. Hvarfner, E. O. Hellsten and L. Nardi (2024),
    "Vanilla Bayesian optimization performs great in high dimensions".

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sklearn_hpo import BayesSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"C": (1e-2, 1e2, "log-uniform"), "gamma": (1e-3, 1.0, "log-uniform")}
    >>> search = BayesSearchCV(SVC(), space, n_iter=12, random_state=0).fit(X, y)
    >>> len(search.cv_results_["params"])
    12
    >>> bool(search.best_score_ > 0.9)
    True
    """

    _parameter_constraints: dict = {
        **BaseSampledSearchCV._parameter_constraints,
        "search_spaces": [dict, list, SearchSpace],
        "optimizer_kwargs": [dict, None],
        "fit_params": [dict, None],
        "n_points": [Interval(Integral, 1, None, closed="left")],
        "overlap_batches": ["boolean"],
    }
    _space_param = "search_spaces"

    def __init__(
        self,
        estimator,
        search_spaces,
        *,
        n_iter=50,
        optimizer_kwargs=None,
        scoring=None,
        fit_params=None,
        n_jobs=None,
        n_points=1,
        overlap_batches=False,
        pre_dispatch="2*n_jobs",
        cv=None,
        refit=True,
        verbose=0,
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        max_time=None,
        checkpoint=None,
        candidate_timeout=None,
    ):
        self.search_spaces = search_spaces
        self.optimizer_kwargs = optimizer_kwargs
        self.fit_params = fit_params
        self.n_points = n_points
        self.overlap_batches = overlap_batches
        super().__init__(
            estimator=estimator,
            n_iter=n_iter,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
            max_time=max_time,
            checkpoint=checkpoint,
            candidate_timeout=candidate_timeout,
        )

    # ------------------------------------------------------------- fit
    def fit(self, X, y=None, *, groups=None, callback=None, **fit_params):
        """Run the search.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter.
        callback : callable or list of callables, default=None
            Called after each round with a
            :class:`~sklearn_hpo.search.SearchProgress`; returning True stops
            the search (see ``DeadlineStopper``, ``ThresholdStopper``,
            ``NoImprovementStopper``).
        **fit_params : dict
            Passed to the estimator's ``fit`` (merged over the
            ``fit_params`` given to the constructor).

        Returns
        -------
        self : object
        """
        # checked before it is read (the base class's fit checks it again)
        self._validate_params()
        params = dict(self.fit_params or {})
        params.update(fit_params)
        if groups is not None:
            params["groups"] = groups
        return super().fit(X, y, callback=callback, **params)

    # ----------------------------------------------------------- hooks
    def _tuple_budgets(self):
        """The (dict, n_iter) form of search_spaces, or None."""
        spaces = self.search_spaces
        if (
            isinstance(spaces, list)
            and spaces
            and all(isinstance(s, tuple) and len(s) == 2 for s in spaces)
        ):
            for i, (_, n) in enumerate(spaces):
                if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
                    raise ValueError(
                        f"search_spaces[{i}]: the number of iterations of a "
                        f"(dict, n_iter) tuple must be a positive integer, got {n!r}."
                    )
            return [int(n) for _, n in spaces]
        return None

    def _space_spec(self):
        # the (dict, n_iter) form: the dicts are the space, the counts budgets
        if self._tuple_budgets() is not None:
            return [d for d, _ in self.search_spaces]
        return self.search_spaces

    @property
    def total_iterations(self):
        """Number of candidates the search evaluates at most."""
        budgets = self._tuple_budgets()
        return sum(budgets) if budgets is not None else self.n_iter

    def _budget(self):
        return self.total_iterations

    def _search_units(self, space, budget):
        budgets = self._tuple_budgets()
        if budgets is not None:
            caps = [
                min(b, s.cardinality)
                for b, s in zip(budgets, space.subspaces, strict=True)
            ]
            return list(space.subspaces), [int(c) for c in caps]
        if len(space.subspaces) == 1:
            return list(space.subspaces), [budget]
        return [JointSubSpace(space)], [budget]

    def _optimizer_options(self):
        kwargs = dict(self.optimizer_kwargs or {})
        unknown = set(kwargs) - _OPTIMIZER_KWARGS
        if unknown:
            raise ValueError(
                f"optimizer_kwargs: unknown option(s) {sorted(unknown)}; the options "
                f"are {sorted(_OPTIMIZER_KWARGS)}."
            )
        for key, value in kwargs.items():
            _check_option(key, value)
        base = kwargs.pop("base_estimator", "GP")
        if not (isinstance(base, str) and base.upper() == "GP"):
            raise ValueError(
                f"optimizer_kwargs: base_estimator={base!r} is not supported; "
                "BayesSearchCV uses its own Gaussian process ('GP')."
            )
        for ignored in ("acq_optimizer", "xi", "random_state"):
            kwargs.pop(ignored, None)
        if "acq_func" in kwargs:
            acq = kwargs.pop("acq_func")
            if acq not in _SKOPT_ACQ:
                raise ValueError(
                    f"optimizer_kwargs: acq_func must be one of {sorted(_SKOPT_ACQ)}, "
                    f"got {acq!r}."
                )
            kwargs.setdefault("acquisition", _SKOPT_ACQ[acq])
        if "kappa" in kwargs:
            kwargs.setdefault("beta", kwargs.pop("kappa"))
        acq = kwargs.get("acquisition", "log_ei")
        if acq not in ACQUISITIONS:
            raise ValueError(
                f"optimizer_kwargs: acquisition must be one of {ACQUISITIONS}, got "
                f"{acq!r}."
            )
        return kwargs

    def _make_sampler(self, subspace, rng):
        return GPSampler(
            subspace.dimensions,
            inactive=getattr(subspace, "inactive", None),
            **self._optimizer_options(),
        )

    def _batch_size(self):
        return self.n_points

    def _on_search_end(self, results, units, history):
        y = self._objective_values(results)
        if y.ndim == 2:
            y = y[:, 0]
        out = []
        for k, unit in enumerate(units):
            rows = np.asarray(history.rows[k], dtype=np.intp)
            params = [results["params"][i] for i in rows]
            names = sorted({name for p in params for name in p})
            x_iters = [[p.get(name) for name in names] for p in params]
            func_vals = -y[rows]
            ok = np.isfinite(func_vals)
            best = int(np.flatnonzero(ok)[np.argmin(func_vals[ok])]) if ok.any() else 0
            out.append(
                OptimizeResult(
                    x=x_iters[best] if x_iters else None,
                    fun=float(func_vals[best]) if len(func_vals) else np.nan,
                    x_iters=x_iters,
                    func_vals=func_vals,
                    names=names,
                    space=unit,
                )
            )
        self.optimizer_results_ = out


# optimizer_kwargs: key -> (kind, smallest value); "int" and "real" exclude bool
_NUMERIC_OPTIONS = {
    "n_initial_points": ("int", 1),
    "n_candidates": ("int", 1),
    "n_polish": ("int", 0),
    "beta": ("real", 0.0),
    "kappa": ("real", 0.0),
}
_STRING_OPTIONS = {
    "acquisition": ACQUISITIONS,
    "acq_func": tuple(_SKOPT_ACQ),
    "output_warping": OUTPUT_WARPINGS,
}


def _check_option(key, value):
    """A clear error for an ``optimizer_kwargs`` value of the wrong type or
    range (the ignored scikit-optimize options are not checked)."""
    where = f"optimizer_kwargs[{key!r}]"
    if key in _NUMERIC_OPTIONS:
        kind, low = _NUMERIC_OPTIONS[key]
        cls = Integral if kind == "int" else Real
        if isinstance(value, bool) or not isinstance(value, cls):
            what = "an integer" if kind == "int" else "a real number"
            raise TypeError(
                f"{where} must be {what} >= {low}, got {value!r} of type "
                f"{type(value).__name__}."
            )
        if not (math.isfinite(value) and value >= low):
            raise ValueError(
                f"{where} must be a finite number >= {low}, got {value!r}."
            )
    elif key in _STRING_OPTIONS:
        choices = _STRING_OPTIONS[key]
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"{where} must be one of {list(choices)}, got {value!r}.")
