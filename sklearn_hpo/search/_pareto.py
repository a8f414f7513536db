"""ParetoSearchCV: multi-objective search that returns a Pareto front."""

import io
import operator
import pickle
import time
from numbers import Integral, Real

import numpy as np
from sklearn.metrics import check_scoring

from sklearn_hpo.exceptions import HPOWarning
from sklearn_hpo.multiobjective import (
    knee_point,
    non_dominated_ranks,
    pareto_front_mask,
)
from sklearn_hpo.multiobjective._hypervolume import (
    _exclusive as exclusive_hypervolume,
)
from sklearn_hpo.samplers import (
    BaseSampler,
    EHVISampler,
    ParEGOSampler,
    QMCSampler,
    RandomSampler,
)
from sklearn_hpo.samplers._base import log_columns
from sklearn_hpo.search._base import BaseSampledSearchCV
from sklearn_hpo.space import JointSubSpace
from sklearn_hpo.utils._compat import (
    Interval,
    MultimetricScorer,
    StrOptions,
    check_multimetric_scoring,
)
from sklearn_hpo.utils._warnings import warn_user

__all__ = ["ParetoSearchCV"]


class _CostScorer:
    """A cost measured on the fitted estimator, called like a scorer.

    It ignores ``sample_weight`` and other scoring metadata (a cost does not
    depend on them).
    """

    def __init__(self, name, func):
        self.name = name
        self.func = func

    def __call__(self, estimator, X, y=None, **params):
        return float(self.func(estimator, X))

    def _accept_sample_weight(self):
        return True

    def __repr__(self):
        return f"cost({self.name})"


def _model_size(estimator, X):
    """Bytes of the pickled fitted estimator.

    Pickled without the memo (``fast`` mode) where possible: with it, the
    size depends on which strings the process happens to share (a worker
    process measured 2 bytes less than the parent for the same model), and
    results must not depend on ``n_jobs`` or the backend.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    try:
        pickler.dump(estimator)
    except (ValueError, RecursionError):  # self-referencing objects
        return len(pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL))
    return buffer.tell()


def _predict_latency(estimator, X):
    """Seconds per sample of ``predict`` on the test fold."""
    start = time.perf_counter()
    estimator.predict(X)
    n = X.shape[0] if hasattr(X, "shape") else len(X)
    return (time.perf_counter() - start) / max(1, n)


# Built-in costs: where the value comes from, and that it is minimized.
COSTS = {
    "fit_time": "mean_fit_time",
    "score_time": "mean_score_time",
    "model_size": _CostScorer("model_size", _model_size),
    "predict_latency": _CostScorer("predict_latency", _predict_latency),
}
_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
_MODEL_STRATEGIES = ("bayes", "ehvi", "parego")
_EHVI_MAX_OBJECTIVES = 3


class _LogCosts(BaseSampler):
    """A sampler that sees the built-in costs in log space (see ``strategy``);
    the rest of the sampler interface is the wrapped sampler's."""

    adaptive = True

    def __init__(self, sampler, signs):
        self.sampler = sampler
        self.signs = np.asarray(signs, dtype=np.float64)

    @property
    def supports_pending(self):
        return self.sampler.supports_pending

    def n_independent(self, n_seen):
        return self.sampler.n_independent(n_seen)

    def propose(self, X, y, n, *, rng, pending=None):
        more = {} if pending is None else {"pending": pending}
        return self.sampler.propose(X, log_columns(y, self.signs), n, rng=rng, **more)


class _CallableWithCosts:
    """A user's callable scoring plus the cost scorers, as one dict."""

    def __init__(self, scoring, costs):
        self.scoring = scoring
        self.costs = costs

    def __call__(self, estimator, X, y=None, **params):
        out = self.scoring(estimator, X, y, **params)
        scores = dict(out) if isinstance(out, dict) else {"score": out}
        for name, scorer in self.costs.items():
            scores[name] = scorer(estimator, X, y)
        return scores


class ParetoSearchCV(BaseSampledSearchCV):
    """Multi-objective hyperparameter search returning a Pareto front.

    Each candidate is scored by cross-validation on several objectives at
    once: metrics of ``scoring`` and built-in costs (fit time, score time,
    model size, prediction latency). The search looks for the candidates
    that no other candidate beats on every objective (the Pareto front),
    keeps them in ``pareto_front_``, and refits the one ``refit`` picks.

    Parameters
    ----------
    estimator : estimator object
        Cloned for every candidate and fold.

    search_spaces : dict or list of dicts
        What to search, as in :class:`~sklearn_hpo.BayesSearchCV`
        (scikit-optimize tuples, lists, scipy.stats distributions,
        :class:`Real`, :class:`Integer`, :class:`Categorical`).

    objectives : list of str or dict
        What to optimize. Names of metrics of ``scoring`` (``"score"`` when
        ``scoring`` is a single metric) and built-in costs: ``"fit_time"``
        and ``"score_time"`` (mean seconds per fold), ``"model_size"``
        (bytes of the pickled fitted estimator) and ``"predict_latency"``
        (seconds per sample of ``predict`` on the test fold). A list takes
        the natural directions (metrics are maximized, costs minimized); a
        dict maps each name to ``"max"`` or ``"min"``.

    constraints : dict, default=None
        ``{name: (op, value)}`` with ``op`` one of ``"<="``, ``">="``,
        ``"<"``, ``">"``, on objectives or other metrics of ``scoring``,
        in their own units, e.g. ``{"fit_time": ("<=", 2.0)}``. Candidates
        that break one are kept in ``cv_results_`` (``feasible`` is False)
        but never enter the front or the refit choice; the model-based
        strategy treats them like failed candidates.

    n_iter : int, default=50
        Number of candidates.

    n_points : int, default=1
        Candidates proposed per round with a model-based strategy
        (``"bayes"``, ``"ehvi"``, ``"parego"``); a batch is built kriging-
        believer style (EHVI) or with one scalarization per point (ParEGO).

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

    strategy : {"bayes", "ehvi", "parego", "sobol", "random"}, default="bayes"
        How candidates are proposed. The model-based strategies start with a
        scrambled Sobol' design of ``n_initial_points``:

        - ``"ehvi"``: one GP per objective and the candidate of largest
          expected hypervolume improvement over the current front, in exact
          closed form (:class:`~sklearn_hpo.samplers.EHVISampler`); 2 or 3
          objectives only (a ``ValueError`` otherwise).
        - ``"parego"``: ParEGO (Knowles, 2006), the expected improvement of
          one GP fitted to a random augmented-Chebyshev scalarization of the
          normalized objectives, new weights at every proposal
          (:class:`~sklearn_hpo.samplers.ParEGOSampler`); any number of
          objectives.
        - ``"bayes"``: ``"ehvi"`` for 2 or 3 objectives, ``"parego"`` for 4 or
          more (where the exact EHVI grows too costly); the choice that
          measured best in ``benchmarks/bench_pareto.py``.
        - ``"sobol"`` and ``"random"`` sample the space without a model.

        The models see the built-in costs (``fit_time``, ``score_time``,
        ``model_size``, ``predict_latency``), always positive and spanning
        orders of magnitude, as ``-log(value)`` (``log(value)`` for a cost
        declared ``"max"``), where a GP fits them well; a non-positive
        measurement is raised to the smallest positive one of its column
        first. EHVI measures the improvement in natural units all the same,
        the units of ``hypervolume_`` (the log-normal predictive
        distribution is integrated in closed form, see
        :class:`~sklearn_hpo.samplers.EHVISampler`'s ``log_objectives``);
        ParEGO scalarizes the log values, so that a ten times faster fit
        counts the same at 10 ms as at 10 s. Everything reported
        (``cv_results_``, ``pareto_front_``, ``hypervolume_``) is in natural
        units.

    n_initial_points : int, default=10
        Size of the initial design of the model-based strategies.

    reference_point : dict or array-like of shape (n_objectives,), default=None
        The point the hypervolume is measured from, in the objectives' own
        units and order (or a dict by name); it should be worse than every
        candidate worth counting. Given, it is also the reference point of
        the expected hypervolume improvement (``"ehvi"``), so that the
        search concentrates on the region it bounds. None: for each
        objective, the worst feasible value found minus a tenth of the range
        (the final value is used for the whole ``hypervolume_`` trace); EHVI
        then derives its own from the data at every proposal (the nadir of
        the current front minus a tenth of the observed range, see
        :class:`~sklearn_hpo.samplers.EHVISampler`).

    refit : "knee", True, str, callable or False, default="knee"
        Which candidate becomes ``best_*`` and is refitted: ``"knee"`` the
        knee of the feasible front (:func:`sklearn_hpo.multiobjective.
        knee_point`), the name of an objective (the best feasible candidate
        on it), True for the first metric objective (scikit-learn's
        meaning), a callable taking ``cv_results_`` and returning a row
        index, or False for no refit.

    scoring : str, callable, list, tuple or dict, default=None
        As in scikit-learn; the metric objectives name its metrics.

    n_jobs, cv, verbose, pre_dispatch, random_state, error_score, \
return_train_score
        As in scikit-learn's ``RandomizedSearchCV``.

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
        scikit-learn's schema plus ``objective_<name>`` (the mean of each
        objective, in its own units), ``feasible`` and ``pareto_rank`` (0 on
        the feasible front, 1 on the next front...; infeasible and failed
        candidates rank after all others).
    pareto_indices_ : ndarray of int
        Rows of ``cv_results_`` on the feasible Pareto front.
    pareto_front_ : pandas.DataFrame
        Those candidates: ``params``, one column per parameter and one per
        objective, indexed by their row in ``cv_results_``.
    hypervolume_ : ndarray of shape (n_candidates,)
        Hypervolume of the feasible front after each candidate, in the
        objectives' units with minimized objectives negated, measured from
        ``reference_point_``.
    reference_point_ : ndarray of shape (n_objectives,)
        The reference point used, in the objectives' own units.
    objectives_ : dict
        The objectives and their directions.
    best_index_, best_params_, best_score_, best_estimator_
        As in scikit-learn's searches, for the candidate ``refit`` chose;
        ``best_score_`` is its first metric objective.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import ParetoSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = ParetoSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 20)},
    ...     objectives=["score", "model_size"],
    ...     n_iter=12, strategy="sobol", random_state=0,
    ... ).fit(X, y)
    >>> list(search.pareto_front_.columns[-2:])
    ['score', 'model_size']
    >>> bool(search.best_index_ in search.pareto_indices_)
    True
    """

    _parameter_constraints: dict = {
        **BaseSampledSearchCV._parameter_constraints,
        "search_spaces": [dict, list],
        "objectives": [list, tuple, dict],
        "constraints": [dict, None],
        "n_points": [Interval(Integral, 1, None, closed="left")],
        "overlap_batches": ["boolean"],
        "strategy": [StrOptions({"bayes", "ehvi", "parego", "sobol", "random"})],
        "n_initial_points": [Interval(Integral, 1, None, closed="left")],
        "reference_point": [dict, "array-like", None],
    }
    _space_param = "search_spaces"
    # built-in costs in log space for the models (False: as measured; the
    # benchmark compares both)
    _model_costs_in_log = True

    def __init__(
        self,
        estimator,
        search_spaces,
        *,
        objectives,
        constraints=None,
        n_iter=50,
        n_points=1,
        overlap_batches=False,
        strategy="bayes",
        n_initial_points=10,
        reference_point=None,
        scoring=None,
        n_jobs=None,
        refit="knee",
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        max_time=None,
        checkpoint=None,
        candidate_timeout=None,
    ):
        self.search_spaces = search_spaces
        self.objectives = objectives
        self.constraints = constraints
        self.n_points = n_points
        self.overlap_batches = overlap_batches
        self.strategy = strategy
        self.n_initial_points = n_initial_points
        self.reference_point = reference_point
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

    # ------------------------------------------------------------ objectives
    def _metric_names(self):
        """Names of the metrics of ``scoring`` (None: unknown, a callable)."""
        if callable(self.scoring):
            return None
        if self.scoring is None or isinstance(self.scoring, str):
            return ["score"]
        if isinstance(self.scoring, dict):
            return list(self.scoring)
        return list(self.scoring)

    def _objective_spec(self):
        """``{name: "max" | "min"}``, validated."""
        if isinstance(self.objectives, dict):
            spec = dict(self.objectives)
        else:
            spec = {}
            for name in self.objectives:
                if not isinstance(name, str):
                    raise ValueError(
                        f"objectives must name metrics or costs, got {name!r}."
                    )
                spec[name] = "min" if name in COSTS else "max"
        if len(spec) < 2:
            raise ValueError(
                f"objectives needs at least two objectives, got {list(spec)}; "
                "for one, use BayesSearchCV."
            )
        metrics = self._metric_names()
        for name, direction in spec.items():
            if direction not in ("max", "min"):
                raise ValueError(
                    f"objectives[{name!r}] must be 'max' or 'min', got {direction!r}."
                )
            if name not in COSTS and metrics is not None and name not in metrics:
                raise ValueError(
                    f"objectives names {name!r}, which is neither a metric of "
                    f"scoring {metrics} nor a built-in cost {sorted(COSTS)}."
                )
        if not any(name not in COSTS for name in spec):
            raise ValueError(
                "objectives needs at least one metric of scoring (e.g. 'score') "
                f"besides the costs, got {list(spec)}."
            )
        return spec

    def _primary_metric(self, spec):
        return next(name for name in spec if name not in COSTS)

    def _constraint_spec(self):
        out = {}
        for name, rule in (self.constraints or {}).items():
            if (
                not isinstance(rule, tuple | list)
                or len(rule) != 2
                or rule[0] not in _OPS
                or not isinstance(rule[1], Real)
            ):
                raise ValueError(
                    f"constraints[{name!r}] must be a pair (op, value) with op in "
                    f"{sorted(_OPS)} and a number, got {rule!r}."
                )
            out[name] = (rule[0], float(rule[1]))
        return out

    def _column(self, results, name):
        if name in COSTS and isinstance(COSTS[name], str):
            key = COSTS[name]
        else:
            key = f"mean_test_{name}"
        if key not in results:
            raise ValueError(
                f"{name!r} is not among the results of scoring; the metrics "
                f"are {[k[10:] for k in results if k.startswith('mean_test_')]}."
            )
        col = np.asarray(results[key], dtype=np.float64).copy()
        col[~np.isfinite(col)] = np.nan
        return col

    def _natural(self, results):
        """Objective values in their own units, shape (n, m)."""
        spec = self._objective_spec()
        return np.column_stack([self._column(results, name) for name in spec])

    def _signs(self):
        return np.array(
            [1.0 if d == "max" else -1.0 for d in self._objective_spec().values()]
        )

    def _feasible(self, results):
        ok = np.ones(len(results["params"]), dtype=bool)
        for name, (op, value) in self._constraint_spec().items():
            col = self._column(results, name)
            with np.errstate(invalid="ignore"):
                ok &= _OPS[op](col, value)
        return ok

    # --------------------------------------------------------------- scoring
    def _get_scorers(self):
        spec = self._objective_spec()
        metrics = self._metric_names()
        if self.refit is True and metrics is not None and len(metrics) > 1:
            raise ValueError(
                "refit=True is ambiguous with several metrics in scoring; set "
                f"refit to 'knee', one of the objectives {list(spec)}, a "
                "callable or False."
            )
        needed = {*spec, *self._constraint_spec()}
        costs = {
            name: COSTS[name]
            for name in sorted(needed)
            if name in COSTS and callable(COSTS[name])
        }
        if callable(self.scoring):
            return _CallableWithCosts(self.scoring, costs), self._primary_metric(spec)
        if self.scoring is None or isinstance(self.scoring, str):
            scorer = check_scoring(self.estimator, self.scoring)
            if not costs:  # one metric, costs from the timings only
                return scorer, "score"
            base = {"score": scorer}
        else:
            base = check_multimetric_scoring(self.estimator, self.scoring)
        scorers = MultimetricScorer(
            scorers={**base, **costs}, raise_exc=(self.error_score == "raise")
        )
        return scorers, self._primary_metric(spec)

    def _check_refit_for_multimetric(self, scores):
        """``refit`` is checked in ``_select_best_index`` (it may name a cost)."""

    def score(self, X, y=None, **params):
        """The first metric objective of ``best_estimator_`` on ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        y : array-like of shape (n_samples,), default=None
            Targets.
        **params : dict
            Passed to the scorer.

        Returns
        -------
        score : float
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "best_estimator_")
        name = self._primary_metric(self._objective_spec())
        if isinstance(self.scorer_, dict):
            return self.scorer_[name](self.best_estimator_, X, y, **params)
        scores = self.scorer_(self.best_estimator_, X, y, **params)
        return scores[name] if isinstance(scores, dict) else scores

    # ----------------------------------------------------------------- hooks
    def _model_strategy(self):
        """``"ehvi"``, ``"parego"`` or None (no model), validated."""
        if self.strategy not in _MODEL_STRATEGIES:
            return None
        spec = self._objective_spec()
        m = len(spec)
        if self.strategy == "bayes":
            return "ehvi" if m <= _EHVI_MAX_OBJECTIVES else "parego"
        if self.strategy == "ehvi" and m > _EHVI_MAX_OBJECTIVES:
            raise ValueError(
                f"strategy='ehvi' handles 2 or 3 objectives, got {m} "
                f"({list(spec)}); use strategy='parego' (or 'bayes', which "
                "switches to ParEGO from 4 objectives on), or fewer objectives."
            )
        return self.strategy

    def _make_sampler(self, subspace, rng):
        kind = self._model_strategy()
        if kind is None:
            return QMCSampler("sobol") if self.strategy == "sobol" else RandomSampler()
        spec = self._objective_spec()
        log_costs = self._log_cost_columns(spec)
        inactive = getattr(subspace, "inactive", None)
        if kind == "ehvi":
            # the sampler models the costs in log space itself and measures
            # the improvement in natural units, as ``hypervolume_`` is
            given = self._given_reference(spec)
            return EHVISampler(
                subspace.dimensions,
                n_initial_points=self.n_initial_points,
                reference_point=None if given is None else given * self._signs(),
                inactive=inactive,
                log_objectives=log_costs,
            )
        sampler = ParEGOSampler(
            subspace.dimensions,
            n_initial_points=self.n_initial_points,
            inactive=inactive,
        )
        return _LogCosts(sampler, log_costs)

    def _log_cost_columns(self, spec):
        """Per objective, 0 or the sign of a built-in cost the models see in
        log space (all 0 when ``_model_costs_in_log`` is False)."""
        if not self._model_costs_in_log:
            return np.zeros(len(spec))
        return np.where([name in COSTS for name in spec], self._signs(), 0.0)

    def _search_units(self, space, budget):
        if self.strategy in _MODEL_STRATEGIES:
            return [JointSubSpace(space)], [budget]
        return super()._search_units(space, budget)

    def _batch_size(self):
        return self.n_points if self.strategy in _MODEL_STRATEGIES else None

    def _failed(self, results):
        """Candidates whose fits failed under a numeric ``error_score``: every
        scorer-based objective equals it on every split (nan scores are
        caught by ``isfinite``)."""
        failed = np.zeros(len(results["params"]), dtype=bool)
        err = self.error_score
        if not isinstance(err, Real) or not np.isfinite(err):
            return failed
        scored = [
            n for n in self._objective_spec() if not isinstance(COSTS.get(n), str)
        ]
        failed[:] = True
        for name in scored:
            k = 0
            while f"split{k}_test_{name}" in results:
                col = np.asarray(results[f"split{k}_test_{name}"], dtype=np.float64)
                failed &= col == err
                k += 1
        return failed

    def _objective_values(self, results):
        """All objectives as maximized (costs negated); nan for failed or
        infeasible candidates."""
        Y = self._natural(results) * self._signs()
        Y[~self._feasible(results) | self._failed(results)] = np.nan
        Y[~np.all(np.isfinite(Y), axis=1)] = np.nan
        return Y

    def _any_candidate_scored(self, y_all):
        # infeasible candidates are nan in ``y_all`` but were scored
        return getattr(self, "_scored_any", bool(np.isfinite(y_all).any()))

    def _on_search_end(self, results, units, history):
        spec = self._objective_spec()
        natural = self._natural(results)
        self._scored_any = bool(
            np.any(np.all(np.isfinite(natural), axis=1) & ~self._failed(results))
        )
        feasible = self._feasible(results)
        Y = self._objective_values(results)
        ok = np.all(np.isfinite(Y), axis=1)
        ranks = non_dominated_ranks(Y)  # nan rows rank last
        for j, name in enumerate(spec):
            results[f"objective_{name}"] = natural[:, j]
        results["feasible"] = feasible
        results["pareto_rank"] = ranks.astype(np.int32)
        self.objectives_ = spec
        self.pareto_indices_ = np.flatnonzero(pareto_front_mask(Y))
        self.reference_point_ = self._reference_point(natural, Y, ok)
        ref = self.reference_point_ * self._signs()
        # the hypervolume after each candidate: it grows by the candidate's
        # exclusive contribution when the front so far does not weakly
        # dominate it (exact: HV(F + p) = HV(F) + excl(p, F))
        trace = np.zeros(len(Y))
        current, front = 0.0, np.empty((0, Y.shape[1]))
        for i in range(len(Y)):
            p = Y[i] - ref
            if ok[i] and np.all(p > 0) and not np.any(np.all(front >= p, axis=1)):
                current += exclusive_hypervolume(p, front)
                front = np.vstack([front[~np.all(p >= front, axis=1)], p])
            trace[i] = current
        self.hypervolume_ = trace
        self.pareto_front_ = self._front_frame(results, natural, spec)
        if callable(self.scoring) and not callable(self.refit) and self.refit:
            # scikit-learn reads best_score_ from mean_test_<refit> when
            # scoring is a callable returning several scores; "knee" (or True)
            # is not a metric: alias the first metric for that one read
            key = f"mean_test_{self.refit}"
            if key not in results:
                results[key] = results[f"mean_test_{self._primary_metric(spec)}"]
                self._alias_key = key

    def fit(self, X, y=None, *, callback=None, **params):
        """Run the search; see :meth:`BaseSampledSearchCV.fit`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Targets; None for unsupervised learning.
        callback : callable or list of callables, default=None
            Called after each batch; returning True stops the search.
        **params : dict
            ``groups`` for the splitter, the rest to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted search.
        """
        try:
            return super().fit(X, y, callback=callback, **params)
        finally:
            key = self.__dict__.pop("_alias_key", None)
            if key is not None and hasattr(self, "cv_results_"):
                self.cv_results_.pop(key, None)

    def _given_reference(self, spec):
        """``reference_point`` in the objectives' units and order, or None."""
        if self.reference_point is None:
            return None
        if isinstance(self.reference_point, dict):
            missing = set(spec) - set(self.reference_point)
            if missing:
                raise ValueError(
                    f"reference_point lacks the objectives {sorted(missing)}."
                )
            ref = [float(self.reference_point[name]) for name in spec]
        else:
            ref = np.asarray(self.reference_point, dtype=np.float64).ravel()
            if ref.shape != (len(spec),):
                raise ValueError(
                    f"reference_point must have one value per objective "
                    f"({len(spec)}), got shape {ref.shape}."
                )
        return np.asarray(ref, dtype=np.float64)

    def _reference_point(self, natural, Y, ok):
        spec = self._objective_spec()
        signs = self._signs()
        given = self._given_reference(spec)
        if given is not None:
            return given
        if not ok.any():
            return np.full(len(spec), np.nan)
        worst, best = Y[ok].min(axis=0), Y[ok].max(axis=0)
        span = np.where(best > worst, best - worst, np.maximum(np.abs(worst), 1.0))
        return (worst - 0.1 * span) * signs

    def _front_frame(self, results, natural, spec):
        import pandas as pd

        rows = self.pareto_indices_
        data = {"params": [results["params"][i] for i in rows]}
        for key in results:
            if key.startswith("param_"):
                data[key[6:]] = [results[key][i] for i in rows]
        for j, name in enumerate(spec):
            data[name] = natural[rows, j]
        return pd.DataFrame(data, index=pd.Index(rows, name="index"))

    def _select_best_index(self, refit, refit_metric, results):
        """The candidate ``refit`` picks among the feasible front."""
        if callable(refit):
            index = refit(results)
            if (
                isinstance(index, bool)
                or not isinstance(index, Integral | np.integer)
                or not 0 <= index < len(results["params"])
            ):
                raise ValueError(
                    f"refit returned {index!r}; it must return a row index of "
                    "cv_results_."
                )
            return int(index)
        spec = self._objective_spec()
        Y = self._objective_values(results)
        front = np.flatnonzero(pareto_front_mask(Y))
        if not len(front):
            warn_user(
                "No candidate is feasible and scored; refit picks among all "
                "scored candidates, ignoring the constraints.",
                HPOWarning,
            )
            Y = self._natural(results) * self._signs()
            Y[~np.all(np.isfinite(Y), axis=1)] = np.nan
            front = np.flatnonzero(pareto_front_mask(Y))
            if not len(front):
                return 0
        if refit == "knee":
            return int(front[knee_point(Y[front])])
        name = self._primary_metric(spec) if refit is True else refit
        if name not in spec:
            raise ValueError(
                f"refit={refit!r} must be 'knee', an objective {list(spec)}, "
                "True, a callable or False."
            )
        j = list(spec).index(name)
        return int(front[np.argmax(Y[front, j])])

    # ------------------------------------------------------------------ plot
    def plot_pareto_front(self, objectives=None, ax=None):
        """Draw the candidates and the feasible front (matplotlib extra).

        Parameters
        ----------
        objectives : list of 2 or 3 str, default=None
            Which objectives to draw (default: the first two or three).
        ax : matplotlib Axes, default=None
            Where to draw (a new figure if None; 3-D axes for 3 objectives).

        Returns
        -------
        ax : matplotlib Axes
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:
            raise ImportError(
                "plot_pareto_front needs matplotlib: pip install 'sklearn-hpo[plot]'."
            ) from exc
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "pareto_indices_")
        spec = list(self.objectives_)
        names = list(objectives) if objectives is not None else spec[:3]
        if len(names) not in (2, 3) or any(n not in spec for n in names):
            raise ValueError(
                f"objectives must name 2 or 3 of {spec}, got {objectives!r}."
            )
        res = self.cv_results_
        cols = [np.asarray(res[f"objective_{n}"], dtype=float) for n in names]
        feasible = np.asarray(res["feasible"]) & np.all(np.isfinite(cols), axis=0)
        front = self.pareto_indices_
        if ax is None:
            fig = plt.figure()
            ax = fig.add_subplot(projection="3d" if len(names) == 3 else None)
        others = np.flatnonzero(feasible & ~np.isin(np.arange(len(feasible)), front))
        ax.scatter(*[c[others] for c in cols], color="0.7", label="candidates")
        ax.scatter(*[c[front] for c in cols], color="C0", label="Pareto front")
        if len(names) == 2 and len(front) > 1:
            order = np.argsort(cols[0][front])
            # the edge of the dominated region: from one front point to the
            # next (x increasing), vertical first when x is maximized
            x_max = self._objective_spec()[names[0]] == "max"
            ax.plot(
                cols[0][front][order],
                cols[1][front][order],
                color="C0",
                drawstyle="steps-pre" if x_max else "steps-post",
            )
        if hasattr(self, "best_index_"):
            b = self.best_index_
            ax.scatter(
                *[[c[b]] for c in cols], color="C3", marker="*", s=150, label="refit"
            )
        ax.set_xlabel(f"{names[0]} ({self.objectives_[names[0]]})")
        ax.set_ylabel(f"{names[1]} ({self.objectives_[names[1]]})")
        if len(names) == 3:
            ax.set_zlabel(f"{names[2]} ({self.objectives_[names[2]]})")
        ax.legend()
        return ax
