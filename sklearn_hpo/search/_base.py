"""The search engine shared by every ``*SearchCV`` of sklearn-hpo.

:class:`BaseSampledSearchCV` subclasses scikit-learn's ``BaseSearchCV`` and
implements only ``_run_search(evaluate_candidates)``; ``fit``, scoring,
refit, ``cv_results_`` and delegation are scikit-learn's own. The loop is::

    space  = as_search_space(param_distributions)   # validated at fit
    budget = min(n_iter, number of distinct settings), split across subspaces
    repeat:
        for each subspace k:  U = sampler_k.propose(X_k, y_k, n, rng=rng)
                              snap U to valid values, drop duplicates
        results = evaluate_candidates(params of all new points)
        y = results["mean_test_<objective>"]      # re-read, nan for failures
        call the callbacks; stop if one returns True or the budget is spent

Proposals run in this process between batches; only the fits run in
parallel, and results come back in submission order, so a given
``random_state`` gives the same run whatever ``n_jobs`` or the joblib backend.
With overlapping batches (``_overlap_batches``, BayesSearchCV's and
ParetoSearchCV's ``overlap_batches``) batch ``b + 1`` is proposed before
batch ``b`` is scored, batch ``b`` pending (the GP samplers believe it at
their posterior mean: kriging believer); with several workers the two
batches' fits run at once, from two threads of the search, so that no worker
waits at the end of a batch. The order of proposals and records stays fixed,
hence the same results.
The cross-validation splits are computed once per ``fit`` and reused by every
batch (a randomized splitter would otherwise give each batch other folds).

A concrete search provides ``_make_sampler(subspace, rng)``; it may also
override

* ``_batch_size`` (default: the whole budget in one batch, as
  ``RandomizedSearchCV`` does; a sequential sampler returns its ``n_points``,
  never a number derived from ``n_jobs``, so results do not depend on it);
* ``_check_budget`` (warnings about the budget);
* ``_objective_values`` (what the samplers maximize: shape ``(n,)``, or
  ``(n, m)`` for several objectives, nan for failed candidates);
* ``_evaluate_batch`` (how one batch is evaluated: multi-fidelity searches
  pass a resource through a ``cv`` wrapper or the candidate parameters and
  add columns such as ``resource`` through ``more_results``, which keeps
  ``cv_results_`` in scikit-learn's schema).

A multi-fidelity search (:class:`~sklearn_hpo.HyperbandSearchCV`) replaces
``_search_loop`` as a whole: it runs the fits itself (a promoted candidate
continues the per-split models of the rung below, which a fresh clone per fit
cannot do) and hands their results to ``evaluate_candidates`` to be recorded
(``utils._compat.replay_fits``), so that ``cv_results_``, ``best_*`` and the
refit are still scikit-learn's.

With ``max_time``, ``checkpoint`` or ``candidate_timeout`` set, every search
runs its fits the same way (``search._executor.FitExecutor``: an unordered
joblib generator of scikit-learn's ``_fit_and_score``, a deadline checked
when each fit starts, a ``SIGALRM`` per fit, each finished candidate written
to the SQLite checkpoint) and replays them; a resumed run replays the stored
candidates in proposal order, so its samplers propose what the first run did.

Failed fits never abort the search: a batch in which every fit failed only
warns (see ``utils._compat.tolerate_failed_batches``), and a search in which
every candidate failed raises one error listing the distinct exceptions.
"""

import contextlib
import math
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real

import joblib
import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV

from sklearn_hpo.exceptions import SearchSpaceWarning
from sklearn_hpo.search._callbacks import SearchProgress, check_callbacks, now
from sklearn_hpo.search._checkpoint import CheckpointStore, search_fingerprint
from sklearn_hpo.search._executor import FitExecutor
from sklearn_hpo.search._progress import ProgressReporter
from sklearn_hpo.space import as_search_space
from sklearn_hpo.utils._compat import (
    Interval,
    active_joblib_backend,
    joblib_backend_in_thread,
    replay_fits,
    tolerate_failed_batches,
)
from sklearn_hpo.utils._rng import as_generator, spawn_seed
from sklearn_hpo.utils._warnings import warn_user

__all__ = ["BaseSampledSearchCV"]

# How many times a sampler is asked again for the points of a batch that came
# back as duplicates, before the search fills the gap by listing unseen
# settings (finite subspaces) or goes on with a smaller batch.
_MAX_PROPOSAL_ROUNDS = 10


class _FrozenSplits:
    """A splitter that yields the splits of ``cv`` computed on first use.

    Every batch of a search must be scored on the same folds; a randomized
    splitter without a fixed seed would give new folds at each call. ``cv`` is
    what the user passed (an int, a splitter or an iterable); it is checked
    with ``check_cv`` on the first call, as scikit-learn's ``fit`` does.
    """

    def __init__(self, cv, classifier=False):
        self.cv = cv
        self.classifier = classifier
        self._splits = None

    def get_n_splits(self, X=None, y=None, groups=None):
        cv = check_cv(self.cv, y, classifier=self.classifier)
        return cv.get_n_splits(X, y, groups)

    def split(self, X, y=None, **params):
        if self._splits is None:
            cv = check_cv(self.cv, y, classifier=self.classifier)
            splits = list(cv.split(X, y, **params))
            _check_split_indices(splits, X)
            self._splits = splits
        return iter(self._splits)


def _check_split_indices(splits, X):
    """A clear error for a split of an iterable ``cv`` that indexes past the
    data (scikit-learn's indexing would raise an IndexError)."""
    try:
        n = X.shape[0] if hasattr(X, "shape") else len(X)
    except TypeError:  # no length: leave it to scikit-learn
        return
    for k, split in enumerate(splits):
        try:
            pairs = list(zip(("train", "test"), split, strict=False))
        except TypeError:  # not a (train, test) pair: scikit-learn's error
            continue
        for name, idx in pairs:
            idx = np.asarray(idx)
            if idx.dtype.kind not in "iu" or idx.size == 0:
                continue  # boolean masks and the rest: scikit-learn's checks
            if idx.max() >= n or idx.min() < -n:
                bad = idx[(idx >= n) | (idx < -n)][0]
                raise ValueError(
                    f"cv: split {k} has {name} index {int(bad)}, out of range "
                    f"for {n} samples. The (train, test) index arrays of cv "
                    "must index rows of X."
                )


class _History:
    """Unit-cube points evaluated so far, per subspace, in results order."""

    def __init__(self, units):
        self.units = units
        n_sub = len(units)
        self.U = [[] for _ in range(n_sub)]
        self.rows = [[] for _ in range(n_sub)]  # positions in cv_results_
        self.keys = [set() for _ in range(n_sub)]
        self.n_total = 0
        self.batch_ends = []  # n_total after each batch

    def count(self, k):
        return len(self.rows[k])

    def add(self, k, U, keys):
        for u, key in zip(U, keys, strict=True):
            self.U[k].append(u)
            self.keys[k].add(key)
            self.rows[k].append(self.n_total)
            self.n_total += 1

    def arrays(self, k, y_all):
        d = self.units[k].n_dims
        X = np.asarray(self.U[k], dtype=np.float64).reshape(len(self.U[k]), d)
        rows = np.asarray(self.rows[k], dtype=np.intp)
        return X, y_all[rows]


class BaseSampledSearchCV(BaseSearchCV):
    """Base class of the searches that propose points of a search space.

    Not for direct use: concrete classes (such as
    :class:`~sklearn_hpo.SobolSearchCV`) set ``_parameter_constraints``,
    ``__init__`` and ``_make_sampler``.

    Parameters are those of scikit-learn's ``RandomizedSearchCV``; see
    :class:`~sklearn_hpo.SobolSearchCV`.
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "max_time": [Interval(Real, 0, None, closed="neither"), None],
        "checkpoint": [str, os.PathLike, None],
        "candidate_timeout": [Interval(Real, 0, None, closed="neither"), None],
    }

    # The name of the constructor parameter that holds the search space
    # (``param_distributions`` here, ``search_spaces`` for BayesSearchCV).
    _space_param = "param_distributions"

    def __init__(
        self,
        estimator,
        *,
        n_iter=10,
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
        self.n_iter = n_iter
        self.random_state = random_state
        self.max_time = max_time
        self.checkpoint = checkpoint
        self.candidate_timeout = candidate_timeout
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )

    # ------------------------------------------------------------------ hooks
    def _make_sampler(self, subspace, rng):
        """Return the sampler for one subspace (the hook of every search)."""
        raise NotImplementedError

    def _budget(self):
        """Total number of candidates to evaluate (default ``n_iter``)."""
        return self.n_iter

    def _search_units(self, space, budget):
        """The cubes to search and the budget of each, two lists.

        Default: each subspace of a list of dicts separately, the budget split
        in proportion to their sizes (``SearchSpace.allocate``). A model-based
        search returns ``[JointSubSpace(space)], [budget]`` instead, so that
        its subspaces share one model and the budget goes where it pays.
        """
        return list(space.subspaces), space.allocate(budget)

    def _on_search_end(self, results, units, history):
        """Called once after the last batch (to set extra fitted attributes)."""

    def _batch_size(self):
        """Candidates per call of ``evaluate_candidates``; None for all at once."""
        return None

    def _check_budget(self, budget):
        """Warn about a budget the sampler handles poorly (default: nothing)."""

    def _objective_values(self, results):
        """Return what the samplers maximize, shape (n_candidates,).

        The mean test score of the refit metric (of the first metric when
        ``refit`` is a callable or False); nan for failed candidates.
        """
        key = "mean_test_score"
        if key not in results:
            if isinstance(self.refit, str) and f"mean_test_{self.refit}" in results:
                key = f"mean_test_{self.refit}"
            else:
                key = next(k for k in results if k.startswith("mean_test_"))
        y = np.asarray(results[key], dtype=np.float64).copy()
        y[~np.isfinite(y)] = np.nan
        return y

    def _validate_params(self):
        if isinstance(self.estimator, type):
            # (scikit-learn 1.8 fails on the class's tags before its own check)
            name = self.estimator.__name__
            raise TypeError(
                f"estimator must be an estimator instance, got the class {name}; "
                f"write {name}() (with its parameters) instead."
            )
        super()._validate_params()

    # ------------------------------------------------------------- public API
    def fit(self, X, y=None, *, callback=None, **params):
        """Run the search: fit the estimator on every candidate and fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Targets; None for unsupervised learning.
        callback : callable or list of callables, default=None
            Called after each batch of candidates with a
            :class:`~sklearn_hpo.search.SearchProgress`; if any returns True
            the search stops, refits the best candidate so far and returns.
            :class:`~sklearn_hpo.search.DeadlineStopper` is a time budget.
        **params : dict
            Passed on as scikit-learn's searches do: ``groups`` to the
            splitter, the rest to the estimator's ``fit`` (or routed, when
            metadata routing is enabled).

        Returns
        -------
        self : object
            The fitted search.
        """
        self._validate_params()
        _check_cv(self.cv)
        _check_pre_dispatch(self.pre_dispatch)
        self._callbacks = check_callbacks(callback)
        self._deadline = None if self.max_time is None else time.time() + self.max_time
        own = self._runs_own_fits()
        n_jobs, verbose = self.n_jobs, self.verbose
        self._user_verbose = verbose
        if own:
            # The fits run in the search's own parallel loop (FitExecutor, or
            # HyperbandSearchCV's); scikit-learn's ``evaluate_candidates``
            # only records their results (``utils._compat.replay_fits``),
            # sequentially in this thread and without its "Fitting ..."
            # messages: ``n_jobs`` and ``verbose`` are 1 and 0 for the
            # duration of ``fit``, and the loop uses the values given.
            self._fit_inputs = (X, y, params, n_jobs, verbose)
            self.n_jobs, self.verbose = 1, 0
        elif verbose == 1:
            # verbose=1 is the progress bar; scikit-learn's "Fitting ..."
            # lines start at verbose=2
            self.verbose = 0
        # With own fits, the Parallel that scikit-learn's ``fit`` creates for
        # ``evaluate_candidates`` (only replays) must be sequential even under
        # a backend context such as Dask's, which ignores n_jobs=1; the
        # caller's backend is re-activated in ``_run_search`` for the search's
        # own fits and the refit.
        self._joblib_backend = active_joblib_backend() if own else None
        sequential = (
            joblib.parallel_config(backend="sequential")
            if own
            else contextlib.nullcontext()
        )
        try:
            with sequential, _plugin_session(self):  # plug-ins: end of module
                try:
                    return super().fit(X, y, **params)
                finally:
                    restored = self.__dict__.pop("_backend_ctx", None)
                    if restored is not None:
                        restored.__exit__(None, None, None)
        finally:
            _settle_fitted_ahead(self)
            self.n_jobs, self.verbose = n_jobs, verbose
            if own:
                del self._fit_inputs
            del self._callbacks, self._deadline, self._user_verbose
            del self._joblib_backend

    def _select_best_index(self, refit, refit_metric, results):
        """The best candidate among those with a finite score.

        scikit-learn's ranking puts a +inf score first, but the samplers treat
        a non-finite score as a failure (``_objective_values``); so does the
        choice of ``best_*``. Ties and the all-finite case are scikit-learn's
        (the lowest ``rank_test_<metric>``). A callable ``refit`` must return a
        row index of ``cv_results_``. (scikit-learn calls this as
        ``self._select_best_index(refit, refit_metric, results)``; it is a
        staticmethod there, and subclasses may override it either way.)
        """
        if callable(refit):
            return _refit_index(refit, results)
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=np.float64)
        finite = np.isfinite(scores)
        if finite.all() or not finite.any():
            return super()._select_best_index(refit, refit_metric, results)
        ranks = np.asarray(results[f"rank_test_{refit_metric}"], dtype=np.float64)
        return int(np.argmin(np.where(finite, ranks, np.inf)))

    def _runs_own_fits(self):
        """Whether the fits bypass ``evaluate_candidates`` (see ``fit``):
        for the options it cannot serve, and whenever fits run in parallel
        (the search dispatches the longest predicted fits first, see
        ``_longest_first``)."""
        return (
            self.checkpoint is not None
            or self.max_time is not None
            or self.candidate_timeout is not None
            or _parallel(self.n_jobs)
        )

    def _time_is_up(self):
        deadline = getattr(self, "_deadline", None)
        return deadline is not None and time.time() >= deadline

    # ------------------------------------------ search plug-ins (see the end)
    # (``best_estimator_`` is a ``_BestEstimator`` descriptor, set below)
    def _format_results(self, candidate_params, n_splits, out, more_results=None):
        results = super()._format_results(candidate_params, n_splits, out, more_results)
        plugin = self.__dict__.get("_hpo_plugin")
        if plugin is not None:
            results.update(plugin.split_columns(out, n_splits))
            self._hpo_results = results
        return results

    # ----------------------------------------------------------------- engine
    def _space_spec(self):
        """The search space as the user wrote it (``_space_param``'s value)."""
        return getattr(self, self._space_param)

    def _parse_space(self):
        space = as_search_space(self._space_spec(), where=self._space_param)
        for k, sub in enumerate(space.subspaces):
            probe = sub.from_unit(np.full((1, sub.n_dims), 0.5))[0]
            try:
                clone(self.estimator).set_params(**probe)
            except ValueError as exc:
                where = (
                    self._space_param
                    if len(space.subspaces) == 1
                    else f"{self._space_param}[{k}]"
                )
                raise ValueError(
                    f"{where} names a parameter that the estimator "
                    f"{type(self.estimator).__name__} does not have. {exc} Check "
                    "the spelling; parameters of a Pipeline step are written "
                    "'step__param'."
                ) from None
        return space

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        # ``callback_ctx`` comes from scikit-learn >= 1.9 (its callbacks API,
        # ``set_callbacks``); older releases call ``_run_search(evaluate)``.
        search_ctx = None
        if callback_ctx is not None:
            search_ctx = callback_ctx.subcontext(
                task_name="search", max_subtasks=None
            ).call_on_fit_task_begin(estimator=self)
        if getattr(self, "_joblib_backend", None) is not None:
            # from here on (the search's own fits and the refit) the caller's
            # backend again; left in ``fit``
            self._backend_ctx = joblib.parallel_backend(*self._joblib_backend)
            self._backend_ctx.__enter__()
        with tolerate_failed_batches() as fit_errors:
            y_all = self._search_loop(evaluate_candidates, search_ctx)
        if len(y_all) == 0:
            raise RuntimeError(
                f"max_time={self.max_time} s ran out before any candidate "
                "finished; nothing to refit. Raise max_time."
            )
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)
        if not self._any_candidate_scored(y_all):
            raise ValueError(_all_failed_message(len(y_all), fit_errors))

    def _any_candidate_scored(self, y_all):
        """Whether some candidate got a finite objective (else one error)."""
        return bool(np.isfinite(y_all).any())

    def _evaluate_batch(
        self, evaluate_candidates, candidate_params, cv, search_ctx, more_results=None
    ):
        """One call of scikit-learn's ``evaluate_candidates``, in its own
        callback context (one per batch) when callbacks are set.

        ``more_results`` maps extra ``cv_results_`` columns to one value per
        candidate of the batch.
        """
        if search_ctx is None:
            return evaluate_candidates(
                candidate_params, cv=cv, more_results=more_results
            )
        batch_ctx = search_ctx.subcontext(
            task_name="batch",
            max_subtasks=len(candidate_params) * self.n_splits_,
            sequential_subtasks=False,
        ).call_on_fit_task_begin(estimator=self)
        results = evaluate_candidates(
            candidate_params, cv=cv, more_results=more_results, callback_ctx=batch_ctx
        )
        batch_ctx.call_on_fit_task_end(estimator=self)
        return results

    def _search_loop(self, evaluate_candidates, search_ctx=None):
        with contextlib.ExitStack() as cleanup:
            store = self._open_checkpoint(cleanup)
            return self._search_loop_in(evaluate_candidates, search_ctx, store, cleanup)

    def _open_checkpoint(self, cleanup):
        """The run's CheckpointStore (None without ``checkpoint``), closed by
        ``cleanup`` (an ExitStack), which also records ``n_resumed_``."""
        if self.checkpoint is None:
            return None
        X, y, params, _, _ = self._fit_inputs
        seed = self.random_state
        if not isinstance(seed, Integral):
            seed = spawn_seed(as_generator(seed)) % (2**63 - 1)
        store = CheckpointStore(
            self.checkpoint, search_fingerprint(self, X, y, params), seed
        )

        def close():
            self.n_resumed_ = store.n_resumed
            store.close()

        cleanup.callback(close)
        return store

    def _search_loop_in(self, evaluate_candidates, search_ctx, store, cleanup):
        space = self._parse_space()
        rng = as_generator(self.random_state if store is None else store.seed)
        callbacks = getattr(self, "_callbacks", [])

        budget = self._budget()
        if space.cardinality < budget:
            warn_user(
                f"The search space holds {space.cardinality} distinct candidates, "
                f"fewer than the {budget} asked for; evaluating each of them once.",
                SearchSpaceWarning,
            )
            budget = int(space.cardinality)
        self._check_budget(budget)
        units, alloc = self._search_units(space, budget)
        samplers = [self._make_sampler(unit, rng) for unit in units]
        history = _History(units)
        cv = _FrozenSplits(self.cv, classifier=is_classifier(self.estimator))
        executor = None
        if hasattr(self, "_fit_inputs"):  # set by ``fit`` for own fits
            executor = FitExecutor(
                self, cv, store=store, deadline=getattr(self, "_deadline", None)
            )
        overlap = self._overlap_batches()
        # with fits in parallel, a batch's longest predicted fits go first, and
        # batches in flight run in threads (one joblib call each, sharing the
        # workers); with one worker the order would only change which fits
        # finish before a deadline, and a batch proposed ahead waits for its
        # turn in this thread
        in_parallel = executor is not None and _parallel(self._fit_inputs[3])
        threads = None
        if overlap and in_parallel:
            threads = cleanup.enter_context(ThreadPoolExecutor(max_workers=2))
        batch_size = self._batch_size()
        start = now()
        bar = None
        if getattr(self, "_user_verbose", 0) == 1:
            bar = ProgressReporter(type(self).__name__, budget, self.max_time)
            cleanup.callback(bar.close)
        y_all = np.empty(0)
        n_batches = n_started = 0
        results = None
        log_cost = np.empty(0)  # log seconds of each candidate's fits
        ahead = None  # overlap: the batch proposed before the last one ended
        stop = False
        while True:
            batch = None
            if not stop and not self._time_is_up():
                batch = self._next_batch(
                    units, samplers, history, ahead, alloc, batch_size, y_all, rng
                )
                if batch is None and history.n_total + _size(ahead) < budget:
                    warn_user(
                        f"The samplers proposed no new candidate after "
                        f"{history.n_total + _size(ahead)} of {budget}; "
                        "stopping early.",
                        SearchSpaceWarning,
                    )
                stop = stop or batch is None
            if batch is not None:
                batch.first, n_started = n_started, n_started + len(batch.params)
                if in_parallel:
                    batch.order = _longest_first(batch.origin, history, log_cost)
                if threads is not None:
                    batch.future = threads.submit(self._fit_batch, executor, batch)
            if overlap:
                batch, ahead = ahead, batch
                if batch is None:
                    if ahead is None:
                        break
                    continue  # the first batch: propose the next one first
            elif batch is None:
                break

            candidate_params, origin = batch.params, batch.origin
            if executor is not None:
                if batch.future is not None:
                    outs, kept = batch.future.result()
                else:
                    outs, kept = executor.run(
                        candidate_params, batch.first, batch.order
                    )
                if not kept:
                    stop = True  # the deadline passed before any of them started
                    continue
                replay = {
                    (new_i, s): outs[(i, s)]
                    for new_i, i in enumerate(kept)
                    for s in range(len(executor.splits))
                }
                candidate_params = [candidate_params[i] for i in kept]
                origin = [origin[i] for i in kept]
                with replay_fits(replay):
                    results = self._evaluate_batch(
                        evaluate_candidates, candidate_params, cv, search_ctx
                    )
            else:
                results = self._evaluate_batch(
                    evaluate_candidates, candidate_params, cv, search_ctx
                )
            for k, u, key in origin:
                history.add(k, [u], [key])
            history.batch_ends.append(history.n_total)
            n_batches += 1
            y_all = self._objective_values(results)
            if in_parallel:
                log_cost = _log_fit_cost(results)
            if bar is not None:
                scores = y_all[:, 0] if y_all.ndim == 2 else y_all
                best = np.nanmax(scores) if np.isfinite(scores).any() else math.nan
                bar.update(history.n_total, best, now() - start)

            if callbacks:
                progress = _make_progress(results, y_all, n_batches, now() - start)
                if any(bool(cb(progress)) for cb in callbacks):
                    stop = True
        if n_batches:
            self._on_search_end(results, units, history)
        return y_all

    def _overlap_batches(self):
        """Whether a batch is proposed before the previous one is scored.

        Then its proposals see the previous batch as pending: samplers with
        ``supports_pending`` get its points as ``pending`` (the GP samplers
        believe them at their posterior mean, as within a batch), others see
        them at the mean objective of the scored candidates (a constant liar,
        Ginsbourger et al. 2010). The workers get the next batch's fits while
        the last fits of a batch run. The order of proposals and records is
        fixed, so results do not depend on ``n_jobs``. Set by the
        ``overlap_batches`` parameter of the searches that have one.
        """
        return bool(getattr(self, "overlap_batches", False))

    def _fit_batch(self, executor, batch):
        """Run a batch's fits in a thread of the search (overlapping batches),
        through the caller's joblib backend (a backend context is per thread)."""
        with joblib_backend_in_thread(getattr(self, "_joblib_backend", None)):
            return executor.run(batch.params, batch.first, batch.order)

    def _next_batch(self, units, samplers, history, ahead, alloc, batch_size, y, rng):
        """Propose the next batch (None when the budget is spent or no new
        candidate comes); ``ahead`` is a batch proposed but not scored yet."""
        pending = [[] for _ in units]
        for k, u, key in [] if ahead is None else ahead.origin:
            pending[k].append((u, key))
        remaining = [
            a - history.count(k) - len(pending[k]) for k, a in enumerate(alloc)
        ]
        total_remaining = sum(remaining)
        if total_remaining <= 0:
            return None
        if batch_size is None or batch_size >= total_remaining:
            wants = remaining
        else:
            wants = _split_batch(batch_size, remaining)
            # whole batches of proposals that do not depend on any score (an
            # initial design) go as one batch: the same points, proposed in
            # the same order, and no wait for the workers between them
            for k, sampler in enumerate(samplers):
                free = sampler.n_independent(history.count(k) + len(pending[k]))
                if wants[k] > 0 and free >= 2 * wants[k]:
                    wants[k] = min(remaining[k], free - free % wants[k])
        params, origin = [], []
        for k, want in enumerate(wants):
            if want <= 0:
                continue
            X_k, y_k = history.arrays(k, y)
            seen, U_p = history.keys[k], None
            if pending[k]:
                U_p = np.asarray([u for u, _ in pending[k]], dtype=np.float64)
                U_p = U_p.reshape(len(U_p), X_k.shape[1])
                seen = seen | {key for _, key in pending[k]}
                if not getattr(samplers[k], "supports_pending", False):
                    X_k = np.vstack([X_k, U_p])
                    y_k = np.concatenate([y_k, _liar(y_k, len(U_p))])
                    U_p = None
            U, keys = self._propose_unique(
                units[k], samplers[k], X_k, y_k, want, seen, rng, pending=U_p
            )
            params.extend(units[k].from_unit(U))
            origin.extend((k, u, key) for u, key in zip(U, keys, strict=True))
        if not params:
            return None
        return _Batch(params, origin)

    def _propose_unique(self, subspace, sampler, X, y, want, seen, rng, pending=None):
        """Ask ``sampler`` for ``want`` points not in ``seen``; snap and dedupe.
        ``pending`` (points not scored yet) goes to the sampler if not None."""
        more = {} if pending is None else {"pending": pending}
        d = subspace.n_dims
        chosen, chosen_keys, batch_keys = [], [], set()
        for _ in range(_MAX_PROPOSAL_ROUNDS):
            need = want - len(chosen)
            if need <= 0:
                break
            U = np.asarray(
                sampler.propose(X, y, need, rng=rng, **more), dtype=np.float64
            )
            if U.shape != (need, d) or not np.all(np.isfinite(U)):
                raise RuntimeError(
                    f"{type(sampler).__name__}.propose returned an array of shape "
                    f"{U.shape} (finite: {np.all(np.isfinite(U))}); expected "
                    f"finite values of shape {(need, d)}."
                )
            U = subspace.snap(U)
            for u, key in zip(U, subspace.keys(U), strict=True):
                if key in seen or key in batch_keys:
                    continue
                batch_keys.add(key)
                chosen.append(u)
                chosen_keys.append(key)
            if d == 0:
                break
        if len(chosen) < want:
            grid = subspace.enumerate()
            if grid is not None:
                keys = subspace.keys(grid)
                unseen = [
                    i
                    for i, key in enumerate(keys)
                    if key not in seen and key not in batch_keys
                ]
                take = rng.permutation(unseen)[: want - len(chosen)]
                for i in take:
                    chosen.append(grid[i])
                    chosen_keys.append(keys[i])
        return np.asarray(chosen, dtype=np.float64).reshape(len(chosen), d), chosen_keys


class _Batch:
    """Candidates proposed together: parameters, ``(subspace, u, key)`` of
    each, the number of the first one (checkpoint key), the order in which
    their fits are dispatched, a running future."""

    def __init__(self, params, origin):
        self.params, self.origin = params, origin
        self.first = 0
        self.order = None
        self.future = None


def _size(batch):
    return 0 if batch is None else len(batch.params)


def _parallel(n_jobs):
    """Whether ``n_jobs`` means more than one worker with the active backend."""
    return joblib.effective_n_jobs(n_jobs) > 1


def _log_fit_cost(results):
    """log seconds of fit and score per candidate of ``results`` (nan when
    unknown)."""
    seconds = np.asarray(results["mean_fit_time"], dtype=np.float64) + np.asarray(
        results["mean_score_time"], dtype=np.float64
    )
    with np.errstate(all="ignore"):
        return np.where(seconds > 0, np.log(seconds), np.nan)


def _longest_first(origin, history, log_cost):
    """Positions of a batch's candidates, longest predicted fit first.

    With fits in parallel, a batch ends when its last fit does; dispatching
    the long fits first lets the short ones fill the gaps at the end (the
    longest-processing-time rule of list scheduling, Graham 1969). A
    candidate's log fit time is predicted by inverse-squared-distance
    weighting (Shepard 1968) of the evaluated candidates of its subspace in
    the unit cube; a candidate of a subspace without any is put at the median.
    Only the dispatch order changes: results are recorded in batch order.
    Returns None (batch order) when nothing is known yet.
    """
    known = np.isfinite(log_cost)
    if len(origin) < 2 or not known.any():
        return None
    predicted = np.full(len(origin), np.median(log_cost[known]))
    seen = {}  # subspace -> its evaluated points with a time, and the times
    for j, (k, u, _) in enumerate(origin):
        if k not in seen:
            U_k, cost_k = history.arrays(k, log_cost)
            ok = np.isfinite(cost_k)
            seen[k] = U_k[ok], cost_k[ok]
        U_k, cost_k = seen[k]
        if len(cost_k):
            d2 = ((U_k - np.asarray(u, dtype=np.float64)) ** 2).sum(axis=1)
            weights = 1.0 / np.maximum(d2, 1e-12)
            predicted[j] = weights @ cost_k / weights.sum()
    return [int(i) for i in np.argsort(-predicted, kind="stable")]


def _liar(y, n):
    """Objective values for ``n`` pending points: the mean of the finite
    values seen (per objective), nan when there are none."""
    out = np.full((n, *y.shape[1:]), np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-nan columns
        finite = np.where(np.isfinite(y), y, np.nan)
        if len(y):
            out[:] = np.nanmean(finite, axis=0)
    return out


def _split_batch(batch_size, remaining):
    """Share ``batch_size`` among subspaces in proportion to what each has left."""
    remaining = np.asarray(remaining, dtype=np.int64)
    total = remaining.sum()
    share = batch_size * remaining / total
    wants = np.floor(share).astype(np.int64)
    left = batch_size - wants.sum()
    for i in np.argsort(-(share - wants), kind="stable")[:left]:
        wants[i] += 1
    return np.minimum(wants, remaining).tolist()


def _all_failed_message(n_candidates, fit_errors):
    """One error for a search in which no candidate could be scored."""
    if not fit_errors:
        return (
            f"All {n_candidates} candidates failed: no candidate got a finite "
            "score. The fits succeeded, but scoring raised an error or gave nan "
            "or inf every time (see the warnings above, or set "
            "error_score='raise' to see the first error)."
        )
    kinds = {}
    for err in fit_errors:
        lines = [ln for ln in str(err).strip().splitlines() if ln.strip()]
        last = lines[-1] if lines else str(err)
        kinds[last] = kinds.get(last, 0) + 1
    listing = "\n".join(f"  {n} fits: {msg}" for msg, n in kinds.items())
    return (
        f"All {n_candidates} candidates failed: every fit raised an error. "
        f"The distinct errors were:\n{listing}\nSet error_score='raise' to see "
        "the full traceback of the first one."
    )


def _make_progress(results, y_all, n_batches, elapsed):
    if y_all.ndim == 2:  # several objectives: progress follows the first
        y_all = y_all[:, 0]
    finite = np.isfinite(y_all)
    if finite.any():
        best = int(np.nanargmax(np.where(finite, y_all, -np.inf)))
        best_score, best_params = float(y_all[best]), results["params"][best]
    else:
        best, best_score, best_params = None, math.nan, None
    return SearchProgress(
        n_candidates=len(results["params"]),
        n_batches=n_batches,
        elapsed=elapsed,
        cv_results=results,
        best_index=best,
        best_score=best_score,
        best_params=best_params,
        scores=y_all,
    )


# --------------------------------------------------------------------------
# Checks of fit's inputs that scikit-learn's parameter validation lets through.


def _check_cv(cv):
    """``cv`` that scikit-learn's 'cv_object' constraint lets through but
    cannot use: bytes (an iterable of ints, not of (train, test) pairs)."""
    if isinstance(cv, bytes | bytearray):
        raise ValueError(
            f"cv must be an int, a cross-validation splitter or an iterable of "
            f"(train, test) index arrays, got {cv!r} of type {type(cv).__name__}."
        )


def _check_pre_dispatch(pre_dispatch):
    """``pre_dispatch`` as joblib reads it: an int >= 1, "all", or an
    arithmetic expression of ``n_jobs`` (such as "2*n_jobs") that is at least
    1 for one worker."""
    message = (
        "pre_dispatch must be an int >= 1, 'all' or an expression of n_jobs "
        "such as '2*n_jobs' that is at least 1 for any n_jobs >= 1, got "
        f"{pre_dispatch!r}."
    )
    if isinstance(pre_dispatch, str):
        if pre_dispatch == "all":
            return
        try:
            value = _eval_arithmetic(pre_dispatch.replace("n_jobs", "1"))
        except ValueError:
            raise ValueError(message) from None
    elif isinstance(pre_dispatch, Integral) and not isinstance(pre_dispatch, bool):
        value = pre_dispatch
    else:
        raise TypeError(message)
    if not value >= 1:
        raise ValueError(message)


def _eval_arithmetic(expr):
    """Evaluate a short expression of numbers, + - * / // ** and brackets;
    ValueError for anything else."""
    import ast
    import operator

    ops = {
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: operator.truediv,
        ast.FloorDiv: operator.floordiv,
        ast.Pow: operator.pow,
        ast.USub: operator.neg,
        ast.UAdd: operator.pos,
    }

    def walk(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise ValueError("exponent too large")
            return ops[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in ops:
            return ops[type(node.op)](walk(node.operand))
        raise ValueError("not an arithmetic expression")

    if len(expr) > 30:  # joblib's own limit
        raise ValueError("expression too long")
    try:
        value = walk(ast.parse(expr, mode="eval").body)
    except (SyntaxError, ArithmeticError, TypeError) as exc:
        raise ValueError(str(exc)) from None
    if isinstance(value, complex) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _refit_index(refit, results):
    """The row index a callable ``refit`` returns, checked (scikit-learn
    raises an IndexError for one out of range)."""
    index = refit(results)
    n = len(results["params"])
    if isinstance(index, bool) or not isinstance(index, Integral):
        raise TypeError(
            f"refit returned {index!r} of type {type(index).__name__}; a "
            "callable refit must return an integer row index of cv_results_."
        )
    if not 0 <= index < n:
        raise ValueError(
            f"refit returned {index!r}; a callable refit must return a row "
            f"index of cv_results_, between 0 and {n - 1}."
        )
    return int(index)


# --------------------------------------------------------------------------
# Search plug-ins. An object of the estimator (the estimator itself or a value
# of its ``get_params(deep=True)``) whose class has a ``_hpo_search_plugin``
# attribute takes part in ``fit`` (``sklearn_hpo.integrations.EarlyStopping``
# does: it records each split's best iteration and sets the refit's number of
# iterations). The plug-in lives above the search layer; this is all the
# search knows of it:
#
# * ``plugin.wrap_scorers(scorers)``: the search's scorers, wrapped so that
#   each score also carries values read off the fitted estimator (for the
#   duration of ``fit``, ``_get_scorers`` returns them, so that every path
#   that fits, scikit-learn's and the searches' own, uses them);
#   ``plugin.unwrap_scorers(scorer_)`` undoes it for ``scorer_``;
# * ``plugin.split_columns(out, n_splits)``: extra ``cv_results_`` columns
#   from those values (``_format_results`` adds them);
# * ``plugin.prepare_refit(search, estimator)``: called when scikit-learn
#   assigns ``best_estimator_``, just before it fits it, with
#   ``search.best_index_`` set and ``search._hpo_results`` the results.


def _find_plugin(estimator):
    if isinstance(estimator, type):  # scikit-learn's own error follows
        return None
    objects = [estimator]
    if hasattr(estimator, "get_params"):
        objects.extend(estimator.get_params(deep=True).values())
    for obj in objects:
        plugin = getattr(type(obj), "_hpo_search_plugin", None)
        if plugin is not None:
            return plugin
    return None


class _PluginScorers:
    """Stands for ``search._get_scorers`` during ``fit``."""

    def __init__(self, search, plugin):
        self.search = search
        self.plugin = plugin

    def __call__(self):
        scorers, refit_metric = type(self.search)._get_scorers(self.search)
        return self.plugin.wrap_scorers(scorers), refit_metric


@contextlib.contextmanager
def _plugin_session(search):
    plugin = _find_plugin(search.estimator)
    if plugin is None:
        yield
        return
    search._hpo_plugin = plugin
    search._get_scorers = _PluginScorers(search, plugin)
    try:
        yield
    finally:
        for key in ("_get_scorers", "_hpo_plugin", "_hpo_results"):
            search.__dict__.pop(key, None)
        if "scorer_" in search.__dict__:
            search.scorer_ = plugin.unwrap_scorers(search.scorer_)


class FittedAhead:
    """The refit of a search's best candidate so far, started before the
    search ended (HyperbandSearchCV starts it on a worker: ASHA when the last
    jobs leave one idle, Hyperband when one candidate is left for its only
    job at ``max_resource``).

    ``start()`` runs in a daemon thread and returns ``(fitted estimator,
    seconds)`` or None (failed). When scikit-learn assigns
    ``best_estimator_`` and ``best_params_`` equal ``params``, the fitted
    estimator takes the place of the fresh clone and scikit-learn's refit
    call returns it as it is; otherwise the refit runs as usual and the
    thread is left to finish on its own.
    """

    def __init__(self, params, start):
        self.params = params
        self._result = None
        self._thread = threading.Thread(target=self._run, args=(start,), daemon=True)
        self._thread.start()

    def _run(self, start):
        try:
            self._result = start()
        except Exception:  # the refit then runs as usual
            self._result = None

    def result_for(self, params):
        """``(estimator, seconds)`` if ``params`` are this refit's, else None."""
        try:
            same = params.keys() == self.params.keys() and all(
                bool(params[k] == self.params[k]) for k in params
            )
        except Exception:  # values that do not compare (arrays, estimators)
            same = False
        if not same:
            return None
        self._thread.join()
        return self._result


class _AlreadyFitted:
    """Stands for ``fit`` of an estimator fitted ahead, for one call: the
    refit call returns the estimator as it is and removes this stand-in."""

    def __init__(self, estimator):
        self.estimator = estimator

    def __call__(self, *args, **kwargs):
        self.estimator.__dict__.pop("fit", None)
        return self.estimator


def _settle_fitted_ahead(search):
    """After ``fit``: no stand-in left behind; when the refit done ahead was
    used, ``refit_ahead_`` is True and ``refit_time_`` the time it took."""
    search.__dict__.pop("_fitted_ahead", None)  # unused (refit=False, error)
    seconds = search.__dict__.pop("_fitted_ahead_seconds", None)
    best = search.__dict__.get("best_estimator_")
    if best is not None and isinstance(best.__dict__.get("fit"), _AlreadyFitted):
        del best.__dict__["fit"]
    if seconds is not None:
        search.refit_ahead_ = True
        if "refit_time_" in search.__dict__:
            search.refit_time_ = seconds


class _BestEstimator:
    """``best_estimator_``: a plain attribute, except that a plug-in prepares
    the estimator when scikit-learn assigns it (just before the refit), and
    that a refit done ahead (:class:`FittedAhead`) takes the estimator's
    place when it fitted the same parameters."""

    def __get__(self, search, owner=None):
        if search is None:
            return self
        try:
            return search.__dict__["best_estimator_"]
        except KeyError:
            raise AttributeError(
                f"{type(search).__name__!r} object has no attribute 'best_estimator_'"
            ) from None

    def __set__(self, search, estimator):
        plugin = search.__dict__.get("_hpo_plugin")
        if plugin is not None:
            plugin.prepare_refit(search, estimator)
        ahead = search.__dict__.pop("_fitted_ahead", None)
        done = None
        if ahead is not None and plugin is None:
            done = ahead.result_for(getattr(search, "best_params_", {}))
        if done is not None:
            estimator, seconds = done
            estimator.__dict__["fit"] = _AlreadyFitted(estimator)
            search.__dict__["_fitted_ahead_seconds"] = seconds
        search.__dict__["best_estimator_"] = estimator

    def __delete__(self, search):
        if search.__dict__.pop("best_estimator_", None) is None:
            raise AttributeError("best_estimator_")


BaseSampledSearchCV.best_estimator_ = _BestEstimator()
