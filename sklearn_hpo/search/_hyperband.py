"""HyperbandSearchCV: Hyperband, ASHA and BOHB with k-fold CV and continuation."""

import contextlib
import math
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import clone, is_classifier
from sklearn.utils import indexable

from sklearn_hpo.exceptions import HPOWarning, SearchSpaceWarning
from sklearn_hpo.samplers import MultiFidelitySampler, QMCSampler, RandomSampler
from sklearn_hpo.schedulers import ASHAScheduler, hyperband_brackets, top_k
from sklearn_hpo.search._base import (
    BaseSampledSearchCV,
    FittedAhead,
    _FrozenSplits,
    _make_progress,
    _parallel,
    _refit_index,
)
from sklearn_hpo.search._callbacks import now
from sklearn_hpo.search._executor import (
    contained,
    fit_and_score_options,
    mean_test_score,
    raise_worker_error,
)
from sklearn_hpo.search._fidelity import (
    N_SAMPLES,
    classes_for,
    continuation_strategy,
    nested_subsample_order,
    prepare_model,
    run_fit_task,
)
from sklearn_hpo.search._progress import ProgressReporter
from sklearn_hpo.space import JointSubSpace
from sklearn_hpo.utils._compat import (
    Interval,
    StrOptions,
    check_method_params,
    joblib_backend_in_thread,
    replay_fits,
)
from sklearn_hpo.utils._rng import as_generator
from sklearn_hpo.utils._warnings import warn_user

__all__ = ["HyperbandSearchCV"]

# Brackets to the default min_resource: R // eta**4, the five brackets of
# Li et al.'s R = 81, eta = 3 example.
_DEFAULT_HALVINGS = 4
# Columns added to cv_results_.
RESULT_COLUMNS = ("iter", "bracket", "rung", "n_resources", "candidate")


class HyperbandSearchCV(BaseSampledSearchCV):
    """Hyperband, ASHA and BOHB search with k-fold cross-validation.

    Candidates are first evaluated with a small resource (a subsample of the
    training folds, or few trees, iterations or epochs); only the best
    ``1/eta`` of each rung go on to ``eta`` times more, up to
    ``max_resource``. ``mode="sync"`` runs Hyperband's brackets (Li et al.,
    2018): successive halving started at several trade-offs between the
    number of candidates and their resource. ``mode="async"`` runs ASHA (Li
    et al., 2020): a free worker promotes a candidate as soon as it is in the
    top ``1/eta`` of its rung, or starts a new one, so that no worker waits
    at a rung barrier. ``sampler="bayes"`` proposes new candidates with a
    Gaussian process fitted on the highest rung that has enough results
    (BOHB-style, Falkner et al., 2018).

    Every rung is scored by k-fold cross-validation on the same folds, with
    the user's ``scoring``. When the resource is a parameter of an estimator
    that can continue training (``warm_start`` ensembles, ``partial_fit``
    estimators, skorch nets, LightGBM), a promoted candidate continues its
    own per-split models instead of starting over (see "Notes").

    Parameters
    ----------
    estimator : estimator object
        Cloned for every candidate and fold.

    param_distributions : dict or list of dicts
        What to search, as for ``RandomizedSearchCV`` (lists, scipy.stats
        distributions) plus :class:`Real`, :class:`Integer`,
        :class:`Categorical` and scikit-optimize style tuples. Must not
        contain the resource parameter.

    resource : str, default="n_samples"
        What a rung gives more of: ``"n_samples"`` (a nested subsample of
        each training fold, stratified for classifiers) or the name of an
        integer parameter of the estimator (``"n_estimators"``,
        ``"max_iter"``, ``"max_epochs"``, ``"clf__n_estimators"``...).

    min_resource : int, default=None
        Resource of the lowest rung. None: ``max_resource // eta**4`` (at
        most five brackets, as in Li et al.'s R = 81, eta = 3 example), and
        for ``"n_samples"`` at least ``10 * n_classes`` samples for a
        classifier or 20 for a regressor; never more than ``max_resource``.

    max_resource : int, default=None
        Resource of the top rung, used to pick ``best_*`` and for the final
        refit. None: for ``"n_samples"``, the size of the smallest training
        fold; for a parameter, the estimator's own value of it (say
        ``n_estimators=100``).

    eta : int, default=3
        Reduction factor: each rung keeps ``1/eta`` of the candidates and
        gives them ``eta`` times the resource.

    n_iter : int, default=None
        Number of candidates to start. In ``mode="sync"`` the brackets are
        run in turn (most aggressive first, again from the start after the
        last) until ``n_iter`` candidates have started; the last bracket is
        shortened to fit. None: no limit of its own (see ``budget``).

    budget : int, default=None
        Resource units to spend, counted as Li et al. do: a candidate
        evaluated at rungs 1, 3 and 9 counts 13, whatever continuation saves.
        In ``mode="sync"`` no bracket starts that would exceed it (the last
        one is shortened); in ``mode="async"`` no job starts once it is
        spent, nor once what is left could not pay for a job at the highest
        rung with a success so far (the best is picked there: no job could
        change ``best_*``). With one worker, neither does a job whose
        candidate the budget left could not carry up to that rung. Either
        way the search ends sooner with the same result. (With a callable
        ``refit`` or ``refit=False`` every job the budget allows runs.)
        When both ``n_iter`` and ``budget`` are None: one Hyperband
        iteration (each bracket once; ASHA gets its budget).

    sampler : {"random", "sobol", "bayes"}, default="random"
        How new candidates are drawn: independently, from a scrambled Sobol'
        sequence, or by a GP on the highest rung with enough results (random
        until then, and one point in three random throughout).

    mode : {"sync", "async"}, default="sync"
        Hyperband's synchronous brackets, or ASHA's asynchronous promotions.
        With a given ``random_state``, ``"sync"`` gives the same candidates
        and scores whatever ``n_jobs``; ``"async"`` does only with one
        worker, since promotions depend on the order in which fits end.

    scoring, n_jobs, refit, cv, verbose, pre_dispatch, random_state, \
error_score, return_train_score
        As in scikit-learn's ``RandomizedSearchCV``. ``n_jobs`` runs the
        fits of a rung (``"sync"``) or that many fits at a time
        (``"async"``) through the active joblib backend; with more than one
        worker the brackets of a ``"sync"`` iteration run side by side (not
        with ``sampler="bayes"`` or a ``checkpoint``), so that no worker
        waits at a rung barrier while another bracket has fits to do. ``verbose=1``
        shows a progress bar (candidates started, best score at
        ``max_resource`` so far, time left of ``max_time``); ``verbose >= 2``
        prints a line per rung (``"sync"``) instead; higher values add
        scikit-learn's per-fit lines.

    max_time : float, default=None
        A time budget in seconds, counted from the start of ``fit``: no new
        fit starts after it, candidates with a split left unfitted are
        dropped, and the search ends with what it has (refit included).
        None: no limit.

    checkpoint : str or path-like, default=None
        A SQLite file recording every finished job (one candidate at one
        rung: its scores and its fitted per-split models, so that a resumed
        run continues them), written when its rung's fits return. A later
        ``fit`` with the same file, estimator, search space, data and
        ``random_state`` replays what is done and continues; anything else
        changed raises ``ValueError``. ``mode="sync"`` only (ASHA's
        promotions depend on the order in which fits end). ``sklearn-hpo
        show FILE`` or :func:`~sklearn_hpo.search.load_checkpoint` lists
        what it holds.

    candidate_timeout : float, default=None
        Seconds one fit (one candidate on one split) may take; a longer fit
        is interrupted and scored with ``error_score``. Enforced with
        ``n_jobs=1`` and the loky/multiprocessing backends (a ``SIGALRM`` in
        the worker, POSIX only); not with the threading or Dask backends,
        whose fits run in threads (the search then warns).

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        One row per candidate and rung, in scikit-learn's schema, plus
        ``iter`` (the evaluation round: a rung of a bracket in ``"sync"``, a
        finished job in ``"async"``), ``bracket`` (Hyperband's ``s``),
        ``rung``, ``n_resources`` and ``candidate`` (the candidate's number,
        the same at each of its rungs). For a parameter resource, ``params``
        holds the rung's value of it.

    best_index_ : int
        The best row among those evaluated at ``max_resource`` (at the
        largest resource reached, with a warning, if no candidate got there:
        ASHA with a small ``budget``), never a low-rung score;
        ``best_params_`` include the resource value. A callable ``refit``
        receives every row and its choice is used as is.

    best_estimator_, best_score_, best_params_, scorer_, n_splits_, \
refit_time_, multimetric_, classes_, n_features_in_, feature_names_in_
        As in scikit-learn's searches. The winner is refitted on all the data
        with the resource of its row: ``max_resource`` (unless warned).

    refit_ahead_ : bool
        Whether the refit ran ahead: in ``"async"`` mode with more than one
        worker, once no job is left to start and a worker has nothing to
        do, the candidate ``best_index_`` would pick so far is refitted on
        that worker while the last jobs run (if a job in flight is at a
        larger resource than any result, its resource decides: its
        candidate, when it is the only one there; with several, the refit
        waits until that is known). If it is still the pick at the
        end, that model is ``best_estimator_`` and ``refit_time_`` the time
        its fit took; if a last job changes the pick, the refit runs as
        usual after the search (the refit ahead is then wasted work on a
        worker that had nothing else to do). In ``"sync"`` mode with more
        than one worker, when the run has a single job at
        ``max_resource`` (one bracket, such as a ``budget`` of a few
        ``max_resource``), its candidate wins unless it fails on the way,
        and its refit starts as soon as it is the last candidate of its
        bracket. Not
        with a callable ``refit``, a plug-in such as
        :class:`~sklearn_hpo.integrations.EarlyStopping` or scikit-learn
        callbacks (``set_callbacks``).

    min_resource_, max_resource_ : int
        The resources used.

    brackets_ : list of Bracket
        The brackets of one Hyperband iteration (rungs ``(n, r)``).

    continued_ : dict
        ``{"strategy": ..., "fits": n, "continued": m}``: the continuation
        strategy (None: refit from scratch) and how many per-split fits
        continued a model.

    Notes
    -----
    Continuation, by resource parameter:

    - ``n_estimators`` of an estimator with ``warm_start`` (RandomForest*,
      ExtraTrees*, GradientBoosting*, Bagging*) and ``max_iter`` of
      HistGradientBoosting*: warm start; the continued model equals one
      fitted with the larger value from scratch.
    - ``max_iter``, ``max_epochs``, ``n_iter``, ``epochs`` of an estimator
      with ``partial_fit`` (SGD*, Perceptron, PassiveAggressive*, MLP* with
      solver "sgd" or "adam"), itself or as a Pipeline's last step: a rung
      of resource ``r`` is ``r`` epochs of ``partial_fit``. The final refit
      calls ``fit`` with ``max_resource``, which may stop earlier by the
      estimator's own ``tol`` and, with ``shuffle=True``, shuffles its
      epochs differently: its cross-validated score can differ slightly from
      ``best_score_``.
    - ``max_epochs`` of a skorch net (``partial_fit(epochs=...)``) and
      ``n_estimators`` of LightGBM (``init_model``).

    Anything else, and ``"n_samples"``, is refitted at every rung. The
    per-split models travel with the tasks, so continuation works with every
    joblib backend; they are kept in this process between rungs (in
    ``"async"`` mode, for every candidate below the top rung).

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import SGDClassifier
    >>> from sklearn_hpo import HyperbandSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HyperbandSearchCV(
    ...     SGDClassifier(max_iter=27, random_state=0),
    ...     {"alpha": loguniform(1e-5, 1e-1)},
    ...     resource="max_iter", min_resource=1, random_state=0,
    ... ).fit(X, y)
    >>> int(search.cv_results_["n_resources"][search.best_index_])
    27
    """

    _parameter_constraints: dict = {
        **BaseSampledSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "resource": [str],
        "min_resource": [Interval(Integral, 1, None, closed="left"), None],
        "max_resource": [Interval(Integral, 1, None, closed="left"), None],
        "eta": [Interval(Integral, 2, None, closed="left")],
        "n_iter": [Interval(Integral, 1, None, closed="left"), None],
        "budget": [Interval(Integral, 1, None, closed="left"), None],
        "sampler": [StrOptions({"random", "sobol", "bayes"})],
        "mode": [StrOptions({"sync", "async"})],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        resource=N_SAMPLES,
        min_resource=None,
        max_resource=None,
        eta=3,
        n_iter=None,
        budget=None,
        sampler="random",
        mode="sync",
        scoring=None,
        n_jobs=None,
        refit=True,
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
        self.param_distributions = param_distributions
        self.resource = resource
        self.min_resource = min_resource
        self.max_resource = max_resource
        self.eta = eta
        self.budget = budget
        self.sampler = sampler
        self.mode = mode
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

    # ------------------------------------------------------------ public API
    def fit(self, X, y=None, *, callback=None, **params):
        """Run the search; see :meth:`BaseSampledSearchCV.fit`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Targets; None for unsupervised learning.
        callback : callable or list of callables, default=None
            Called after each rung (``"sync"``) or job (``"async"``) with a
            :class:`~sklearn_hpo.search.SearchProgress`; returning True stops
            the search after the fits in flight.
        **params : dict
            ``groups`` for the splitter, the rest to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted search.
        """
        self._validate_params()
        if self.checkpoint is not None and self.mode == "async":
            raise ValueError(
                "checkpoint needs mode='sync': ASHA's promotions depend on the "
                "order in which fits end, so a resumed run could not replay "
                "them. Use mode='sync' (Hyperband's brackets) with a checkpoint."
            )
        return super().fit(X, y, callback=callback, **params)

    def _runs_own_fits(self):
        # Always: promoted candidates continue their own models, which
        # ``evaluate_candidates`` (a fresh clone per fit) cannot do.
        return True

    # ---------------------------------------------------------------- hooks
    def _make_sampler(self, subspace, rng):
        if self.sampler == "sobol":
            return QMCSampler("sobol")
        if self.sampler == "bayes":
            return MultiFidelitySampler(
                subspace.dimensions, inactive=getattr(subspace, "inactive", None)
            )
        return RandomSampler()

    @staticmethod
    def _select_best_index(refit, refit_metric, results):
        """The best row at the largest resource any candidate succeeded at."""
        if callable(refit):
            return _refit_index(refit, results)  # checked: a clear error
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=np.float64)
        return _best_at_largest_resource(scores, np.asarray(results["n_resources"]))

    # --------------------------------------------------------------- engine
    def _search_loop(self, evaluate_candidates, search_ctx=None):
        self.refit_ahead_ = False
        with contextlib.ExitStack() as cleanup:
            run = _Run(self, evaluate_candidates, self._open_checkpoint(cleanup))
            cleanup.callback(run.close)
            if self.mode == "async":
                run.run_async()
            else:
                run.run_sync()
            if run.ahead is not None:
                self._fitted_ahead = run.ahead
        self.min_resource_, self.max_resource_ = run.r_min, run.R
        top = [c.levels[-1] for c in run.candidates]
        if run.candidates and not np.isfinite(top).any():
            reached = [
                r
                for r, j in run.level_of.items()
                if any(np.isfinite(c.levels[j]) for c in run.candidates)
            ]
            if reached:
                warn_user(
                    f"No candidate was scored at max_resource={run.R} within the "
                    f"budget; best_* come from the largest resource reached "
                    f"({max(reached)}) and the refit uses it. Raise the budget "
                    "(ASHA promotes from a rung once it holds eta results).",
                    HPOWarning,
                )
        self.brackets_ = run.brackets
        self.continued_ = {
            "strategy": run.strategy_name,
            "fits": run.n_fits,
            "continued": run.n_continued,
        }
        return run.best_per_candidate()

    def _resolve_resources(self, base, X, y, splits, space):
        """``(r_min, R)`` from the parameters, the data and the estimator."""
        eta, resource = self.eta, self.resource
        names = {n for sub in space.subspaces for n in [*sub.names, *sub.fixed]}
        if resource == N_SAMPLES:
            smallest = min(len(train) for train, _ in splits)
            R = self.max_resource if self.max_resource is not None else smallest
            if R > smallest:
                raise ValueError(
                    f"max_resource={R} exceeds the smallest training fold "
                    f"({smallest} samples) of resource='n_samples'; lower it or "
                    "leave it None."
                )
            floor = 20
            if is_classifier(base) and y is not None:
                floor = 10 * len(np.unique(np.asarray(y)))
        else:
            all_params = base.get_params(deep=True)
            if resource not in all_params:
                raise ValueError(
                    f"resource={resource!r} is neither 'n_samples' nor a "
                    f"parameter of {type(base).__name__}. Name an integer "
                    "parameter such as 'n_estimators', 'max_iter' or, in a "
                    "Pipeline, 'step__param'."
                )
            if resource in names:
                raise ValueError(
                    f"resource={resource!r} is also in param_distributions; "
                    "the search sets it per rung. Remove it from the space and "
                    "set min_resource/max_resource instead."
                )
            value = all_params[resource]
            if isinstance(value, (str, bool)):
                # a setting, not a count: no max_resource makes it a resource
                raise ValueError(
                    f"resource={resource!r} is a {type(value).__name__} "
                    f"parameter of {type(base).__name__} (its value is "
                    f"{value!r}); name an integer parameter such as "
                    "'n_estimators' or 'max_iter', or use resource='n_samples'."
                )
            R = self.max_resource
            if R is None:
                if not isinstance(value, Integral):  # bools were rejected above
                    raise ValueError(
                        f"max_resource=None takes the estimator's value of "
                        f"{resource!r}, which is {value!r}, not a positive "
                        "integer. Set max_resource."
                    )
                R = int(value)
            floor = 1
        if R < 1:
            raise ValueError(f"max_resource must be at least 1, got {R}.")
        if self.min_resource is not None:
            r_min = self.min_resource
            if r_min > R:
                raise ValueError(
                    f"min_resource={r_min} exceeds max_resource={R}; lower it or "
                    "leave it None."
                )
        else:
            r_min = min(R, max(R // eta**_DEFAULT_HALVINGS, floor))
        return int(r_min), int(R)


class _Candidate:
    __slots__ = ("params", "u", "strategy", "models", "done", "levels", "seconds")

    def __init__(self, params, u, strategy, n_levels):
        self.params = params
        self.u = u
        self.strategy = strategy
        self.models = None
        self.done = 0
        self.levels = np.full(n_levels, np.nan)  # score per resource level
        self.seconds = 0.0  # fit and score time of its last job


class _Run:
    """One ``fit`` of a HyperbandSearchCV: candidates, fits and records."""

    def __init__(self, search, evaluate_candidates, store=None):
        self.search = search
        self.store = store
        self.n_jobs_started = 0  # jobs numbered in run order (the checkpoint key)
        self.evaluate_candidates = evaluate_candidates
        X, y, params, n_jobs, verbose = search._fit_inputs
        self.n_jobs, self.verbose = n_jobs, verbose
        space = search._parse_space()
        self.rng = as_generator(search.random_state if store is None else store.seed)
        X, y = indexable(X, y)
        params = check_method_params(X, params=params)
        routed = search._get_routed_params_for_fit(params)
        scorers, _ = search._get_scorers()
        self.X, self.y = X, y
        self.base = clone(search.estimator)
        self.cv = _FrozenSplits(search.cv, classifier=is_classifier(self.base))
        self.splits = list(self.cv.split(X, y, **routed.splitter.split))
        self.r_min, self.R = search._resolve_resources(
            self.base, X, y, self.splits, space
        )
        self.eta = search.eta
        self.brackets = hyperband_brackets(self.r_min, self.R, self.eta)
        # resource levels: those of the most aggressive bracket (every
        # bracket's rungs are among them)
        self.levels = [r.resource for r in self.brackets[0].rungs]
        self.level_of = {r: j for j, r in enumerate(self.levels)}
        self.resource = search.resource
        self.fs_kwargs = fit_and_score_options(search, routed, scorers, verbose=verbose)
        self.refit_params = routed.estimator.fit
        if self.resource == N_SAMPLES:
            stratify = is_classifier(self.base)
            self.orders = [
                nested_subsample_order(train, y, self.rng, stratify)
                for train, _ in self.splits
            ]
        self.unit = (
            space.subspaces[0] if len(space.subspaces) == 1 else JointSubSpace(space)
        )
        self.sampler = search._make_sampler(self.unit, self.rng)
        self.candidates = []
        self.seen = set()
        self.n_fits = self.n_continued = 0
        # sync: jobs at max_resource in the plan; the refit started ahead
        # (a FittedAhead, handed to the search when the run ends)
        self.n_top_jobs, self.ahead = None, None
        # workers, read here: a joblib backend context is per thread
        self.n_workers = max(1, effective_n_jobs(n_jobs))
        self.strategies = set()
        self.iter = 0
        self.start = now()
        self.callbacks = getattr(search, "_callbacks", [])
        self.stopped = False
        self.results = None
        self._parallel = []
        self.bar = None
        if getattr(search, "_user_verbose", 0) == 1:
            self.bar = ProgressReporter(
                type(search).__name__, self._planned_candidates(), search.max_time
            )
        self._local = threading.local()
        self._lock = threading.Lock()
        # the caller's joblib backend (a context is per thread: the bracket
        # and job threads enter it again, see ``_parallel_here``)
        self.backend = getattr(search, "_joblib_backend", None)

    # ---------------------------------------------------------- candidates
    @property
    def strategy_name(self):
        """The continuation strategy; a sorted list if candidates differ."""
        if len(self.strategies) == 1:
            return next(iter(self.strategies))
        return sorted(self.strategies, key=str) or None

    def new_candidates(self, n):
        """Propose ``n`` new distinct candidates; return their numbers."""
        if n <= 0:
            return []
        d = self.unit.n_dims
        X = np.asarray([c.u for c in self.candidates], dtype=np.float64).reshape(
            len(self.candidates), d
        )
        Y = self._levels()
        U, keys = self.search._propose_unique(
            self.unit, self.sampler, X, Y, n, self.seen, self.rng
        )
        ids = []
        for u, key, params in zip(U, keys, self.unit.from_unit(U), strict=True):
            self.seen.add(key)
            strategy = None
            if self.resource != N_SAMPLES:
                probe = clone(self.base).set_params(**params)
                strategy = continuation_strategy(probe, self.resource)
            self.strategies.add(strategy)
            self.candidates.append(_Candidate(params, u, strategy, len(self.levels)))
            ids.append(len(self.candidates) - 1)
        if len(ids) < n:
            warn_user(
                f"The sampler proposed {len(ids)} of the {n} new candidates "
                f"asked for (after {len(self.candidates) - len(ids)} distinct "
                "ones): the space holds no others, or the sampler keeps "
                "proposing evaluated ones. The search starts no more than that.",
                SearchSpaceWarning,
            )
        return ids

    def drop_models(self, ids):
        for c in ids:
            self.candidates[c].models = None

    # ---------------------------------------------------------------- fits
    def _params_at(self, cand, r):
        if self.resource == N_SAMPLES:
            return dict(cand.params)
        return {**cand.params, self.resource: r}

    def tasks(self, c, r, *, one_task=False):
        """The delayed fits of candidate ``c`` at resource ``r``: one task
        per split, or with ``one_task`` one task that fits the splits one
        after another. Each task returns a list (see :func:`_outputs`)."""
        cand = self.candidates[c]
        parameters = self._params_at(cand, r)
        classes = None
        if cand.strategy == "partial_fit":
            classes = classes_for(self.base, self.resource, self.y)
        out = []
        for s, (train, test) in enumerate(self.splits):
            if self.resource == N_SAMPLES:
                train = np.sort(self.orders[s][:r])
            split_params = parameters
            if cand.models is not None and cand.strategy is not None:
                model, done = cand.models[s], cand.done
                # the continued model has the candidate's parameters already;
                # setting them again could reset it (skorch re-initializes its
                # module when a ``module__*`` parameter is set)
                split_params = {self.resource: r}
            else:
                model, done = prepare_model(self.base, self.resource, cand.strategy), 0
            out.append(
                (
                    (model, self.X, self.y),
                    dict(
                        train=train,
                        test=test,
                        parameters=split_params,
                        strategy=cand.strategy,
                        done=done,
                        target=r,
                        classes=classes,
                        fit_and_score_kwargs=self.fs_kwargs,
                        timeout=self.search.candidate_timeout,
                    ),
                )
            )
        groups = [out] if one_task else [[call] for call in out]
        return [delayed(_fit_splits)(group) for group in groups]

    def _parallel_here(self):
        """A joblib Parallel kept open for this thread (workers and memmaps
        are reused across calls)."""
        parallel = getattr(self._local, "parallel", None)
        if parallel is None:
            with joblib_backend_in_thread(self.backend):
                parallel = Parallel(
                    n_jobs=self.n_jobs, pre_dispatch=self.search.pre_dispatch
                )
            parallel.__enter__()
            self._local.parallel = parallel
            self._parallel.append(parallel)
        return parallel

    def close(self):
        for parallel in self._parallel:
            parallel.__exit__(None, None, None)
        self._parallel = []
        if self.bar is not None:
            self.bar.close()

    # -------------------------------------------------------------- records
    def job_score(self, per_split):
        """The objective of one job: the mean test score of the refit metric
        over its splits, as ``cv_results_`` will show it (nan: failed)."""
        values = []
        for out, _ in per_split:
            score = out["test_scores"]
            if isinstance(score, dict):  # several metrics
                refit = self.search.refit
                score = (
                    score[refit]
                    if isinstance(refit, str)
                    else next(iter(score.values()))
                )
            values.append(score)
        with np.errstate(all="ignore"):
            value = float(np.mean(np.asarray(values, dtype=np.float64)))
        return value if np.isfinite(value) else np.nan

    def finish(self, job, per_split):
        """Update a candidate with a finished job; return the job's score."""
        c, r, _, _ = job
        cand = self.candidates[c]
        models = [model for _, model in per_split]
        self.n_fits += len(per_split)
        if cand.done > 0 and cand.strategy is not None:
            self.n_continued += len(per_split)
        keep = cand.strategy is not None and all(m is not None for m in models)
        cand.models = models if keep else None
        cand.done = r if keep else 0
        score = self.job_score(per_split)
        cand.levels[self.level_of[r]] = score if np.isfinite(score) else -np.inf
        seconds = sum(out["fit_time"] + out["score_time"] for out, _ in per_split)
        cand.seconds = float(seconds) if np.isfinite(seconds) else 0.0
        return score

    def replay(self, jobs, outputs, iters):
        """Hand finished jobs to scikit-learn's ``evaluate_candidates``.

        ``jobs`` are ``(candidate, resource, bracket, rung)``, ``outputs[i]``
        the ``(out, model)`` of job ``i`` per split and ``iters[i]`` its
        ``iter`` column. Then call the callbacks.
        """
        outs, candidate_params = {}, []
        more = {key: [] for key in RESULT_COLUMNS}
        for i, ((c, r, bracket, rung), per_split, it) in enumerate(
            zip(jobs, outputs, iters, strict=True)
        ):
            for s, (out, _) in enumerate(per_split):
                outs[(i, s)] = out
            candidate_params.append(self._params_at(self.candidates[c], r))
            for key, value in zip(
                RESULT_COLUMNS, (it, bracket, rung, r, c), strict=True
            ):
                more[key].append(value)
        with replay_fits(outs):
            self.results = self.search._evaluate_batch(
                self.evaluate_candidates,
                candidate_params,
                self.cv,
                None,
                more_results=more,
            )
        self._callbacks()

    def _planned_candidates(self):
        """Candidates the run will start (None when the budget decides)."""
        if self.search.mode == "sync":
            return sum(b.n_candidates for b in self._plan())
        return self.search.n_iter

    def _callbacks(self):
        """Update the progress bar and call the callbacks after a rung or job;
        both see the scores at ``max_resource`` only (nan elsewhere)."""
        if self.bar is None and not self.callbacks:
            return
        y = self.search._objective_values(self.results)
        if y.ndim == 2:
            y = y[:, 0]
        resources = np.asarray(self.results["n_resources"])
        y = np.where(resources == self.R, y, np.nan)
        elapsed = now() - self.start
        if self.bar is not None:
            best = float(np.nanmax(y)) if np.isfinite(y).any() else math.nan
            self.bar.update(len(self.candidates), best, elapsed)
        if not self.callbacks:
            return
        n_rounds = int(np.max(self.results["iter"])) + 1
        progress = _make_progress(self.results, y, n_rounds, elapsed)
        if any(bool(cb(progress)) for cb in self.callbacks):
            self.stopped = True

    def best_per_candidate(self):
        """Best objective value of each candidate over its rungs (nan: failed)."""
        if not self.candidates:
            return np.empty(0)
        levels = np.vstack([c.levels for c in self.candidates])
        best = np.max(np.where(np.isfinite(levels), levels, -np.inf), axis=1)
        best[np.isneginf(best)] = np.nan
        return best

    # ----------------------------------------------------------------- sync
    def _plan(self):
        """The brackets to run, shortened to ``n_iter`` and ``budget``."""
        n_iter, budget = self.search.n_iter, self.search.budget
        if n_iter is None and budget is None:
            yield from self.brackets
            return
        n_left = math.inf if n_iter is None else n_iter
        b_left = math.inf if budget is None else budget
        k = 0
        misses = 0
        while n_left > 0 and misses < len(self.brackets):
            bracket = self.brackets[k % len(self.brackets)]
            k += 1
            n = min(bracket.n_candidates, n_left)
            while n > 0 and bracket.truncated(n, self.eta).budget > b_left:
                n -= 1
            if n == 0:
                misses += 1
                continue
            misses = 0
            bracket = bracket.truncated(n, self.eta)
            n_left -= n
            b_left -= bracket.budget
            yield bracket
        if k == misses and budget is not None:
            cheapest = min(b.truncated(1, self.eta).budget for b in self.brackets)
            raise ValueError(
                f"budget={budget} is too small for a single candidate: the "
                f"cheapest bracket needs {cheapest} resource units. Raise the "
                "budget or lower max_resource."
            )

    def run_sync(self):
        plan = list(self._plan())
        # jobs at max_resource in the plan: with one, its candidate is the
        # winner (unless it fails on the way) and its refit can start once
        # it is the last candidate left (``_bracket_rungs``)
        self.n_top_jobs = sum(b.rungs[-1].n_candidates for b in plan)
        if self._brackets_in_parallel():
            self._run_brackets_in_parallel(plan)
            return
        for bracket in plan:
            ids = self.new_candidates(bracket.n_candidates)
            if not ids:
                break
            for jobs, outputs in self._bracket_rungs(bracket, ids):
                self.replay(jobs, outputs, [self.iter] * len(jobs))
                self.iter += 1
            if self.stopped:
                return

    def _bracket_rungs(self, bracket, ids):
        """Run successive halving on candidates ``ids``; yield each rung's
        ``(jobs, outputs)`` once its fits are done. Run in turn, the caller
        records them (and may set ``stopped``) before the next rung starts;
        with brackets in parallel the main thread records them in order
        while the bracket's thread goes on (``stopped`` ends the bracket
        after its current rung)."""
        if len(ids) < bracket.n_candidates:
            bracket = bracket.truncated(len(ids), self.eta)
        alive = ids
        for i, rung in enumerate(bracket.rungs):
            if self.search._time_is_up() or self.stopped:
                self.stopped = True
                self.drop_models(alive)
                return
            jobs = [(c, rung.resource, bracket.index, i) for c in alive]
            if (
                len(alive) == 1
                and self.n_top_jobs == 1
                and self.ahead is None
                and self._can_refit_ahead()
            ):
                # the one candidate left will be the run's only one at
                # max_resource: it wins unless it fails on the way, so its
                # refit (the longest task left) starts now, next to its
                # rungs of one candidate, which leave a worker idle; used if
                # the candidate wins
                self.ahead = self._refit_ahead(pick=(alive[0], len(self.levels) - 1))
            if self.verbose > 1:
                print(
                    f"Bracket s={bracket.index}, rung {i}: {len(jobs)} "
                    f"candidates x {len(self.splits)} folds with "
                    f"{self.resource}={rung.resource}"
                )
            outputs = self._run_jobs(jobs)
            with self._lock:
                scores = [
                    self.finish(job, out)
                    for job, out in zip(jobs, outputs, strict=True)
                ]
            yield jobs, outputs
            if i + 1 == len(bracket.rungs) or self.stopped:
                self.drop_models(alive)
                return
            keep = [alive[j] for j in top_k(scores, bracket.rungs[i + 1][0])]
            self.drop_models(set(alive) - set(keep))
            alive = keep
            if not alive:
                return

    def _brackets_in_parallel(self):
        """Whether the brackets of a Hyperband iteration run side by side.

        Brackets are independent, so with several workers they run
        concurrently (one thread each, every thread feeding the same joblib
        workers) and no worker waits at a rung barrier while another
        bracket has fits to do. The rows are recorded in the sequential
        order, so ``cv_results_`` is the same as with ``n_jobs=1``. Not with
        ``sampler="bayes"`` (a bracket's candidates depend on the earlier
        brackets' results) nor with a checkpoint (jobs are stored in run
        order).
        """
        return (
            self.search.sampler != "bayes"
            and self.store is None
            and _parallel(self.n_jobs)
        )

    def _run_brackets_in_parallel(self, plan):
        # The candidates are drawn up front in the sequential order (the
        # random and Sobol samplers do not look at scores), so that they are
        # those of a sequential run.
        work = []
        for bracket in plan:
            ids = self.new_candidates(bracket.n_candidates)
            if not ids:
                break
            work.append((bracket, ids))
        done = [[] for _ in work]  # per bracket: recorded rungs, then None
        errors = []  # in the order they happened
        changed = threading.Condition()

        def run_bracket(b):
            try:
                for item in self._bracket_rungs(*work[b]):
                    with changed:
                        done[b].append(item)
                        changed.notify()
            except BaseException as exc:
                # the other brackets stop after their current rung
                self.stopped = True
                with changed:
                    errors.append(exc)
                raise
            finally:
                with changed:
                    done[b].append(None)
                    changed.notify()

        # Record the rungs in the sequential order: bracket by bracket.
        with ThreadPoolExecutor(max_workers=max(1, len(work))) as pool:
            for b in range(len(work)):
                pool.submit(run_bracket, b)
            try:
                for b in range(len(work)):
                    n = 0
                    while True:
                        with changed:
                            while len(done[b]) <= n:
                                changed.wait()
                            item = done[b][n]
                        n += 1
                        if item is None:
                            break
                        # (after a stop too: finished fits are kept)
                        jobs, outputs = item
                        self.replay(jobs, outputs, [self.iter] * len(jobs))
                        self.iter += 1
                    if errors:
                        raise errors[0]  # the first error, not its fallout
            except BaseException:
                self.stopped = True  # the other brackets stop after a rung
                raise

    def _run_jobs(self, jobs):
        """Fit the jobs of one rung; return each job's ``(out, model)`` per
        split. With a checkpoint, a job found in it is replayed (its models
        included, so that promoted candidates continue them) and each fitted
        job is written when the rung's fits return."""
        k = len(self.splits)
        outputs, todo = [None] * len(jobs), []
        for j, (c, r, _, _) in enumerate(jobs):
            if self.store is not None:
                params = self._params_at(self.candidates[c], r)
                outputs[j] = self.store.get(self.n_jobs_started + j, params)
            if outputs[j] is None:
                todo.append(j)
        # the candidates whose last job took longest first (promoted ones
        # keep their order of cost at the next rung), so that short fits
        # fill the end of the rung; new candidates keep their order
        todo.sort(key=lambda j: -self.candidates[jobs[j][0]].seconds)
        tasks = [t for j in todo for t in self.tasks(jobs[j][0], jobs[j][1])]
        flat = _outputs(self._parallel_here()(tasks)) if tasks else []
        for n, j in enumerate(todo):
            outputs[j] = flat[n * k : (n + 1) * k]
            if self.store is not None:
                c, r = jobs[j][:2]
                self.store.save(
                    self.n_jobs_started + j,
                    self._params_at(self.candidates[c], r),
                    outputs[j],
                    mean_test_score([out for out, _ in outputs[j]], self.search.refit),
                )
        self.n_jobs_started += len(jobs)
        return outputs

    # ---------------------------------------------------------------- async
    def _fit_job(self, tasks):
        """Run the split fits of one job through this thread's Parallel."""
        return _outputs(self._parallel_here()(tasks))

    def run_async(self):
        """ASHA: keep jobs in flight; decide when one ends.

        A job is one candidate at one rung, sent in one joblib call from a
        thread of this process. With ``n_workers > 1`` one job more than
        there are workers is in flight, so that a worker that finishes a job
        finds one queued while the next job is decided, and while the jobs
        fill the workers a job's split fits are one task (run one after
        another in a worker: one round trip per job instead of one per fit);
        with one worker, one job (ASHA's sequential, reproducible order).
        """
        n_iter, budget = self.search.n_iter, self.search.budget
        if n_iter is None and budget is None:
            budget = sum(b.budget for b in self.brackets)
        n_left = math.inf if n_iter is None else n_iter
        b_left = math.inf if budget is None else budget
        asha = ASHAScheduler(self.levels, self.eta)
        s_max = self.brackets[0].index
        n_workers = self.n_workers
        n_in_flight = n_workers + 1 if n_workers > 1 else 1
        if b_left < self.levels[0]:
            raise ValueError(
                f"budget={budget} is smaller than min_resource={self.levels[0]}: "
                "no candidate can be evaluated. Raise the budget."
            )
        in_flight = {}  # future -> job
        exhausted = False
        can_refit_ahead = self._can_refit_ahead()

        def one_task(n_jobs_in_flight):
            # With as many jobs in flight as workers, a job's split fits go
            # as one task: every worker has a job of its own, and a task
            # costs a round trip. With fewer (few candidates, promotions to
            # wait for), and near the end without a refit ahead to fill the
            # worker a last job leaves idle, the splits go as tasks of their
            # own, which the idle workers share.
            return (
                n_workers > 1
                and n_jobs_in_flight >= n_workers
                and (can_refit_ahead or (n_left > 0 and b_left >= self.levels[-1]))
            )

        # ``top``: the highest rung with a success (-1: none yet). When the
        # best is picked by a metric, it is picked at that rung, so a job
        # whose candidate the budget left cannot carry up to it cannot change
        # best_* (``_can_change_pick``). Once not even a job at that rung
        # fits, no job can (the budget only falls, ``top`` only rises) and
        # the run ends. With one worker a job that cannot matter is skipped
        # as well (nothing is in flight whose result could make a later job
        # useful; the run ends when no job can matter). With several, such a
        # job still runs beside the jobs in flight: leaving its worker idle
        # instead did not shorten the runs measured (benchmarks/RESULTS.md).
        top = -1
        pick_by_metric = bool(self.search.refit) and not callable(self.search.refit)

        def next_job():
            nonlocal n_left, b_left, exhausted
            if self.stopped or exhausted or self.search._time_is_up():
                return None
            while True:
                promotion = asha.next_promotion()
                c, rung = promotion if promotion is not None else (None, 0)
                r = self.levels[rung]
                if (
                    r > b_left
                    or (c is None and n_left <= 0)
                    or (
                        pick_by_metric
                        and _nothing_can_change_pick(self.levels, top, b_left)
                    )
                ):
                    exhausted = True
                    return None
                if (
                    n_workers > 1
                    or not pick_by_metric
                    or _can_change_pick(self.levels, rung, top, b_left - r)
                ):
                    break
                if c is None:  # nor can a new candidate: nothing ever will
                    exhausted = True
                    return None
                # a promotion that cannot matter stays unrun; the next one
            if c is None:
                ids = self.new_candidates(1)
                if not ids:
                    exhausted = True
                    return None
                c = ids[0]
                n_left -= 1
            b_left -= r
            return (c, r, s_max, rung)

        # Finished jobs are handed to scikit-learn after the free workers got
        # new tasks, so that the bookkeeping (which grows with the number of
        # rows) never keeps a worker waiting; in batches of at least 1/20 of
        # the rows so far (every job when there are callbacks to call).
        unrecorded = []
        n_rows = n_finished = 0
        with ThreadPoolExecutor(max_workers=n_in_flight) as pool:
            while True:
                new = []
                while len(in_flight) + len(new) < n_in_flight:
                    job = next_job()
                    if job is None:
                        break
                    new.append(job)
                single = one_task(len(in_flight) + len(new))
                for job in new:
                    tasks = self.tasks(job[0], job[1], one_task=single)
                    future = pool.submit(self._fit_job, tasks)
                    in_flight[future] = job
                if (
                    can_refit_ahead
                    and self.ahead is None
                    and exhausted
                    and not self.stopped
                    and 0 < len(in_flight) < n_workers
                ):
                    # the last jobs leave a worker idle: refit there the
                    # candidate that would win so far (or the one job in
                    # flight at a higher rung); used if it wins at the end
                    pick = _pick_ahead(
                        self._levels(), [(j[0], j[3]) for j in in_flight.values()]
                    )
                    if pick is not None:
                        self.ahead = self._refit_ahead(pick)
                batch = max(1, n_rows // 20) if not self.callbacks else 1
                if unrecorded and (len(unrecorded) >= batch or not in_flight):
                    self.replay(*zip(*unrecorded, strict=True))
                    n_rows += len(unrecorded)
                    unrecorded = []
                    continue  # a callback may have stopped the search
                if not in_flight:
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: in_flight[f][:2]):
                    job = in_flight.pop(future)
                    outputs = future.result()
                    score = self.finish(job, outputs)
                    asha.report(job[0], job[3], score)
                    if np.isfinite(score):
                        top = max(top, job[3])
                    if job[3] == len(self.levels) - 1:
                        self.drop_models([job[0]])
                    unrecorded.append((job, outputs, n_finished))
                    n_finished += 1
        # models of candidates that were never promoted
        self.drop_models(range(len(self.candidates)))

    def _can_refit_ahead(self):
        """Whether the refit can start before the search ends: a worker
        besides the search's must be able to run it, the refit row must be
        predictable (the best by the refit metric, not a callable's choice),
        and no plug-in or scikit-learn callback may have to see the refit."""
        search = self.search
        return (
            self.n_workers > 1
            and bool(search.refit)
            and not callable(search.refit)
            and "_hpo_plugin" not in search.__dict__
            and not getattr(search, "_skl_callbacks", None)
        )

    def _levels(self):
        """The candidates' scores per level, as an array (nan: not run)."""
        return np.array([c.levels for c in self.candidates], dtype=np.float64).reshape(
            len(self.candidates), len(self.levels)
        )

    def _refit_ahead(self, pick):
        """Start the refit of ``pick``, a ``(candidate, level)``, on all the
        data, in a worker; a :class:`FittedAhead`."""
        c, level = pick
        params = self._params_at(self.candidates[c], self.levels[level])
        estimator = clone(self.base).set_params(**clone(params, safe=False))
        task = delayed(contained)(
            _fit_timed, estimator, self.X, self.y, self.refit_params
        )

        def start():
            with joblib_backend_in_thread(self.backend):
                parallel = Parallel(n_jobs=self.n_jobs)
            [(error, out)] = parallel([task])
            return None if error is not None else out

        return FittedAhead(params, start)


def _pick_ahead(levels, running):
    """The ``(candidate, level)`` whose refit can start ahead, or None.

    ``levels`` holds the finished jobs' scores (candidates x levels; nan: not
    run, -inf: failed) and ``running`` the ``(candidate, level)`` of the
    jobs in flight. The winner is the best at the largest level with a
    success (as ``_select_best_index``). If a job in flight is at a larger
    level than any success, its level decides: the pick is that job's
    candidate if it is the only one there, else None (not known yet).

    >>> nan = float("nan")
    >>> levels = [[0.5, 0.7], [0.9, nan], [0.6, nan]]
    >>> _pick_ahead(levels, []), _pick_ahead(levels, [(2, 1)])
    ((0, 1), (0, 1))
    >>> levels = [[0.5, nan], [0.9, nan], [0.6, nan]]
    >>> _pick_ahead(levels, [(2, 1)]), _pick_ahead(levels, [(2, 1), (1, 1)])
    ((2, 1), None)
    """
    levels = np.asarray(levels, dtype=np.float64)
    ok = np.isfinite(levels)
    done = int(np.flatnonzero(ok.any(axis=0)).max()) if ok.any() else -1
    flying = max((level for _, level in running), default=-1)
    if flying > done:
        at = [c for c, level in running if level == flying]
        return (int(at[0]), flying) if len(at) == 1 else None
    if done < 0:
        return None
    cand, level = np.nonzero(~np.isnan(levels))
    i = _best_at_largest_resource(levels[cand, level], level)
    return int(cand[i]), int(level[i])


def _can_change_pick(levels, rung, top, budget_after):
    """Whether a job at ``rung`` can still change ``best_*``.

    ``levels`` are the rungs' resources, ``top`` the highest rung with a
    success so far (-1: none) and ``budget_after`` the budget left once the
    job is paid. The best is picked at the highest rung with a success, so a
    job below ``top`` matters only if the budget left can carry its
    candidate up to ``top``; a job there or above always matters. (A job
    below also adds to its rung's population, which can let another
    candidate of that rung be promoted, but that promotion costs the same
    way up.)

    >>> levels = [1, 3, 9, 27]
    >>> _can_change_pick(levels, 0, 2, 12), _can_change_pick(levels, 0, 2, 11)
    (True, False)
    >>> _can_change_pick(levels, 2, 2, 0), _can_change_pick(levels, 0, -1, 0)
    (True, True)
    """
    if rung >= top:
        return True
    return budget_after >= sum(levels[rung + 1 : top + 1])


def _nothing_can_change_pick(levels, top, budget):
    """Whether no job can change ``best_*`` any more: not even a job at
    ``top``, the highest rung with a success (-1: none), fits in ``budget``.

    >>> _nothing_can_change_pick([1, 3, 9, 27], 3, 26)
    True
    >>> _nothing_can_change_pick([1, 3, 9, 27], 2, 26)
    False
    """
    return top >= 0 and budget < levels[top]


def _best_at_largest_resource(scores, resources):
    """Index of the best score among those at the largest resource with a
    finite score (the largest resource of all when none is finite)."""
    ok = np.isfinite(scores)
    top = resources[ok].max() if ok.any() else resources.max()
    rows = np.flatnonzero(resources == top)
    at_top = np.where(ok[rows], scores[rows], -np.inf)
    return int(rows[int(np.argmax(at_top))])


def _fit_splits(calls):
    """The split fits of one job, one after another in one worker task:
    the ``contained`` result of each ``run_fit_task(*args, **kwargs)``, up
    to the first error (which the caller raises)."""
    results = []
    for args, kwargs in calls:
        results.append(contained(run_fit_task, *args, **kwargs))
        if results[-1][0] is not None:
            break
    return results


def _fit_timed(estimator, X, y, fit_params):
    """Fit on all the data (a refit, in a worker): ``(estimator, seconds)``."""
    start = time.perf_counter()
    if y is None:
        estimator.fit(X, **fit_params)
    else:
        estimator.fit(X, y, **fit_params)
    return estimator, time.perf_counter() - start


def _outputs(task_results):
    """The ``run_fit_task`` outputs, in split order, of tasks that each
    returned a list of ``contained`` results (the first error is raised)."""
    results = [result for task in task_results for result in task]
    for error, _ in results:
        if error is not None:
            raise_worker_error(error)
    return [out for _, out in results]
