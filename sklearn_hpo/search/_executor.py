"""Fits run by the search itself: deadline, per-candidate timeout, checkpoint.

Scikit-learn's ``evaluate_candidates`` fits a batch in one joblib call and
returns when every fit is done, dispatching the fits in candidate order. Four
features need more control than that:

* ``max_time``: no fit may *start* after the deadline, and the candidates
  finished before it must be kept;
* ``candidate_timeout``: an over-long fit becomes a failure scored with
  ``error_score``;
* ``checkpoint``: each candidate is written to the store as soon as its last
  split is done, so that a killed process loses only the fits in flight;
* fits in parallel (``n_jobs`` > 1): a batch ends with its last fit, so the
  fits predicted to take longest are dispatched first and short ones fill
  the end (the search passes the order, see ``_base._longest_first``).

When one of them applies, :class:`FitExecutor` runs the (candidate, split)
fits of a batch with scikit-learn's own ``_fit_and_score`` in an unordered
joblib generator (any backend: the models and data travel with the tasks),
and the search replays the outputs through ``evaluate_candidates``
(``utils._compat.replay_fits``), which keeps ``cv_results_``, ``best_*`` and
the refit scikit-learn's. Outputs are replayed by (candidate, split), never in
completion order, so results do not depend on ``n_jobs`` or the backend.

The timeout uses ``SIGALRM`` and works where the fit runs in the main thread
of a process: ``n_jobs=1`` (sequential, called from the main thread) and the
loky and multiprocessing backends. The threading and Dask backends run fits
in worker threads, where a signal cannot interrupt them: there the limit is
not enforced and the search warns once.
"""

import functools
import signal
import threading
import time
import traceback

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils import indexable

from sklearn_hpo.exceptions import HPOWarning
from sklearn_hpo.utils._compat import check_method_params, fit_and_score
from sklearn_hpo.utils._warnings import warn_user

__all__ = [
    "CandidateTimeoutError",
    "FitExecutor",
    "WorkerTraceback",
    "contained",
    "raise_worker_error",
    "can_interrupt",
    "fit_and_score_options",
    "fit_with_alarm",
    "mean_test_score",
]


class WorkerTraceback(Exception):
    """The traceback of an error raised in a worker (as its ``__cause__``)."""


class CandidateTimeoutError(RuntimeError):
    """A fit ran longer than ``candidate_timeout`` and was interrupted."""


def can_interrupt():
    return hasattr(signal, "setitimer") and (
        threading.current_thread() is threading.main_thread()
    )


def fit_with_alarm(fit, timeout, *args, **kwargs):
    """Call ``fit(*args, **kwargs)``; raise CandidateTimeoutError after
    ``timeout`` seconds (main thread only, see :func:`can_interrupt`)."""

    def on_alarm(signum, frame):
        raise CandidateTimeoutError(
            f"The fit took longer than candidate_timeout={timeout} s and was "
            "interrupted."
        )

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fit(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def contained(func, *args, **kwargs):
    """``func(*args, **kwargs)`` in a worker, as ``(None, result)``, or as
    ``((exception, traceback text), None)`` if it raised.

    Several joblib calls of one search may be in flight at once (overlapping
    batches, Hyperband's brackets and jobs), sharing the workers; a call
    that raises makes joblib shut the workers down under the others. So an
    error (``error_score="raise"``) travels back as a value, and the caller
    raises it (:func:`raise_worker_error`) once its own call is over.
    """
    try:
        return None, func(*args, **kwargs)
    except Exception as exc:
        return (exc, traceback.format_exc()), None


def raise_worker_error(error):
    """Raise the exception of a :func:`contained` error, with the worker's
    traceback as its ``__cause__``."""
    exc, text = error
    raise exc from WorkerTraceback(text)


def _fit_task(key, base, X, y, train, test, parameters, kwargs, deadline, timeout):
    """One (candidate, split) fit in a worker: ``(key, out, enforced)``;
    ``out`` is None if the deadline passed. ``kwargs`` are
    ``_fit_and_score``'s (with its progress arguments when verbose)."""
    if deadline is not None and time.time() >= deadline:
        return key, None, True
    model = clone(base)
    enforced = True
    if timeout is not None:
        if can_interrupt():
            # ``_fit_and_score`` calls ``model.fit``: an instance attribute
            # shadows the method for this one call.
            model.fit = functools.partial(
                fit_with_alarm, functools.partial(type(model).fit, model), timeout
            )
        else:
            enforced = False
    try:
        out = fit_and_score(
            model, X, y, train=train, test=test, parameters=parameters, **kwargs
        )
    finally:
        model.__dict__.pop("fit", None)
    return key, out, enforced


def fit_and_score_options(search, routed, scorers, *, verbose):
    """The keyword arguments of scikit-learn's ``_fit_and_score`` that a
    search's own fits share with ``evaluate_candidates``."""
    return dict(
        scorer=scorers,
        fit_params=routed.estimator.fit,
        score_params=routed.scorer.score,
        return_train_score=search.return_train_score,
        return_n_test_samples=True,
        return_times=True,
        return_parameters=False,
        error_score=search.error_score,
        verbose=verbose,
    )


def mean_test_score(outs, refit):
    """The mean test score over splits of one candidate (nan if failed)."""
    values = []
    for out in outs:
        score = out["test_scores"]
        if isinstance(score, dict):
            score = score[refit] if refit in score else next(iter(score.values()))
        values.append(score)
    with np.errstate(all="ignore"):
        value = float(np.mean(np.asarray(values, dtype=np.float64)))
    return value if np.isfinite(value) else float("nan")


class FitExecutor:
    """Runs the fits of a search's batches (see the module docstring).

    Parameters
    ----------
    search : BaseSampledSearchCV
        The search being fitted; its ``_fit_inputs`` holds ``(X, y, params,
        n_jobs, verbose)`` as ``fit`` received them.
    cv : splitter
        The search's frozen splitter (the same object is passed to
        ``evaluate_candidates``, so both see the same folds).
    store : CheckpointStore or None
    deadline : float or None
        ``time.time()`` after which no fit starts.
    """

    def __init__(self, search, cv, *, store=None, deadline=None):
        X, y, params, n_jobs, verbose = search._fit_inputs
        X, y = indexable(X, y)
        params = check_method_params(X, params=params)
        routed = search._get_routed_params_for_fit(params)
        scorers, _ = search._get_scorers()
        self.search = search
        self.X, self.y = X, y
        self.base = clone(search.estimator)
        self.splits = list(cv.split(X, y, **routed.splitter.split))
        self.n_jobs = n_jobs
        self.store = store
        self.deadline = deadline
        self.timeout = search.candidate_timeout
        # verbose=1 is the search's progress bar; from 2 on, scikit-learn's
        # messages, as its ``evaluate_candidates`` prints them
        self.verbose = verbose if verbose > 1 else 0
        self.kwargs = fit_and_score_options(
            search, routed, scorers, verbose=self.verbose
        )
        self._warned_timeout = False

    def run(self, candidate_params, first_index, order=None):
        """Fit a batch; return ``(outs, kept)``.

        ``outs[(i, s)]`` is the output of candidate ``i`` (position in the
        batch) on split ``s``; ``kept`` lists the candidates whose every split
        ran (those with a split skipped at the deadline are left out).
        ``order``: the positions in the order their fits are dispatched
        (default: batch order); it changes when fits start, not the results.
        """
        n_splits = len(self.splits)
        n_candidates = len(candidate_params)
        if self.verbose > 1:
            print(
                f"Fitting {n_splits} folds for each of {n_candidates} candidates,"
                f" totalling {n_splits * n_candidates} fits"
            )
        outs, pending, tasks = {}, {}, []
        for i in range(n_candidates) if order is None else order:
            params = candidate_params[i]
            cached = None
            if self.store is not None:
                cached = self.store.get(first_index + i, params)
            if cached is not None:
                outs.update({(i, s): out for s, out in enumerate(cached)})
                continue
            pending[i] = n_splits
            for s, (train, test) in enumerate(self.splits):
                kwargs = self.kwargs
                if self.verbose > 1:  # scikit-learn's "[CV s/n; i/N]" lines
                    progress = {
                        "split_progress": (s, n_splits),
                        "candidate_progress": (i, n_candidates),
                    }
                    kwargs = {**kwargs, **progress}
                tasks.append(
                    delayed(contained)(
                        _fit_task,
                        (i, s),
                        self.base,
                        self.X,
                        self.y,
                        train,
                        test,
                        params,
                        kwargs,
                        self.deadline,
                        self.timeout,
                    )
                )
        skipped, errors = set(), []
        if tasks:
            parallel = Parallel(
                n_jobs=self.n_jobs,
                pre_dispatch=self.search.pre_dispatch,
                return_as="generator_unordered",
            )
            for error, result in parallel(tasks):
                if error is not None:
                    errors.append(error)
                    continue
                (i, s), out, enforced = result
                if not enforced:
                    self._warn_timeout()
                if out is None:
                    skipped.add(i)
                    continue
                outs[(i, s)] = out
                pending[i] -= 1
                if pending[i] == 0 and i not in skipped and self.store is not None:
                    per_split = [outs[(i, k)] for k in range(n_splits)]
                    self.store.save(
                        first_index + i,
                        candidate_params[i],
                        per_split,
                        mean_test_score(per_split, self.search.refit),
                    )
        if errors:
            raise_worker_error(errors[0])
        kept = [i for i in range(len(candidate_params)) if i not in skipped]
        return outs, kept

    def _warn_timeout(self):
        if not self._warned_timeout:
            self._warned_timeout = True
            warn_user(
                f"candidate_timeout={self.timeout} is not enforced with this "
                "joblib backend: its fits run in worker threads, which a "
                "signal cannot interrupt. It is enforced with n_jobs=1 and "
                "with the loky and multiprocessing backends.",
                HPOWarning,
            )
