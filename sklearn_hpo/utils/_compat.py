"""The one place where sklearn-hpo imports private scikit-learn API.

Everything imported here is re-exported under the same name, so that a
change between scikit-learn releases is fixed in this file alone. Supported:
the current scikit-learn release and the one before it.
"""

import contextlib
import contextvars
import copy

import joblib
import sklearn
from joblib.parallel import get_active_backend as active_joblib_backend  # noqa: F401
from sklearn.exceptions import FitFailedWarning
from sklearn.metrics._scorer import (  # noqa: F401
    _check_multimetric_scoring as check_multimetric_scoring,
)
from sklearn.metrics._scorer import (  # noqa: F401
    _MultimetricScorer as MultimetricScorer,
)
from sklearn.model_selection import _search as _sk_search
from sklearn.model_selection._validation import (  # noqa: F401
    _fit_and_score as fit_and_score,
)
from sklearn.utils._indexing import _safe_indexing as safe_indexing  # noqa: F401
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    StrOptions,
)
from sklearn.utils.metaestimators import _safe_split as safe_split  # noqa: F401
from sklearn.utils.validation import (  # noqa: F401
    _check_method_params as check_method_params,
)

from sklearn_hpo.utils._warnings import warn_user


def joblib_backend_in_thread(backend):
    """A context that activates, in another thread, the joblib backend that
    ``active_joblib_backend()`` returned in the calling thread (None: the
    default backend).

    A backend context is per thread, and one backend object serves one
    ``Parallel`` call at a time (a call that ends resets it): each thread
    gets its own shallow copy, which ``Parallel`` configures afresh.
    """
    if backend is None:
        return contextlib.nullcontext()
    instance, n_jobs = backend
    return joblib.parallel_backend(copy.copy(instance), n_jobs=n_jobs)


__all__ = [
    "SKLEARN_VERSION",
    "active_joblib_backend",
    "joblib_backend_in_thread",
    "HasMethods",
    "Interval",
    "MultimetricScorer",
    "StrOptions",
    "check_method_params",
    "check_multimetric_scoring",
    "fit_and_score",
    "replay_fits",
    "safe_indexing",
    "safe_split",
    "tolerate_failed_batches",
]

SKLEARN_VERSION = tuple(int(p) for p in sklearn.__version__.split(".")[:2])

# --------------------------------------------------------------------------
# Failed batches. scikit-learn's ``evaluate_candidates`` raises "All the N fits
# failed" whenever every fit of *one call* failed. GridSearchCV makes a single
# call, so there it means the whole search failed; a sequential search calls
# it once per batch, and one bad batch (say a single candidate in a region of
# the space where the estimator cannot fit) would abort the run and lose the
# results of every other candidate. Inside ``tolerate_failed_batches()`` such
# a batch only warns (its candidates get ``error_score`` like any failed fit)
# and the fit errors are collected, so that the search can raise one clear
# error at the end if every candidate failed. Outside the context manager, and
# so for every other caller, scikit-learn's function runs unchanged.

_FAILED_FITS = contextvars.ContextVar("sklearn_hpo_failed_fits", default=None)
_sklearn_warn_or_raise = _sk_search._warn_or_raise_about_fit_failures


def _warn_or_raise_about_fit_failures(results, error_score):
    collector = _FAILED_FITS.get()
    if collector is not None and error_score != "raise":
        errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
        collector.extend(errors)
        if errors and len(errors) == len(results):
            warn_user(
                f"All the {len(results)} fits of this batch failed; their "
                f"candidates are scored error_score={error_score} and the search "
                f"goes on. First error:\n{errors[0]}",
                FitFailedWarning,
            )
            return None
    return _sklearn_warn_or_raise(results, error_score)


if _sk_search._warn_or_raise_about_fit_failures is _sklearn_warn_or_raise:
    _sk_search._warn_or_raise_about_fit_failures = _warn_or_raise_about_fit_failures


@contextlib.contextmanager
def tolerate_failed_batches():
    """Let batches whose fits all failed pass; yield the list of fit errors."""
    errors = []
    token = _FAILED_FITS.set(errors)
    try:
        yield errors
    finally:
        _FAILED_FITS.reset(token)


# --------------------------------------------------------------------------
# Replayed fits. A multi-fidelity search fits its candidates itself (a
# promoted candidate continues the model of the rung below, which scikit-
# learn's ``evaluate_candidates`` cannot do: it clones a fresh estimator for
# every fit and does not return the fitted ones). To keep scikit-learn's own
# ``cv_results_``, ``best_*`` and refit, the search then hands the results to
# ``evaluate_candidates``: inside ``replay_fits(outs)`` scikit-learn's search
# module gets ``outs[(candidate, split)]`` instead of running
# ``_fit_and_score``. The replay runs in this process (the search calls
# ``evaluate_candidates`` with ``n_jobs=1``, which joblib runs sequentially in
# the calling thread); a replay that was not consumed raises. Outside the
# context manager scikit-learn's function runs unchanged.

_REPLAY = contextvars.ContextVar("sklearn_hpo_replay", default=None)
_sklearn_search_fit_and_score = _sk_search._fit_and_score


def _fit_and_score_or_replay(*args, **kwargs):
    store = _REPLAY.get()
    if store is None:
        return _sklearn_search_fit_and_score(*args, **kwargs)
    key = (kwargs["candidate_progress"][0], kwargs["split_progress"][0])
    return store.pop(key)


if _sk_search._fit_and_score is _sklearn_search_fit_and_score:
    _sk_search._fit_and_score = _fit_and_score_or_replay


@contextlib.contextmanager
def replay_fits(outs):
    """Make ``evaluate_candidates`` return ``outs[(candidate, split)]``.

    The replay must run in this thread: the search's ``fit`` makes the
    ``Parallel`` of ``evaluate_candidates`` sequential (see
    ``BaseSampledSearchCV.fit``), since an active backend such as Dask's
    would otherwise ship the calls to workers even with ``n_jobs=1``.
    """
    store = dict(outs)
    token = _REPLAY.set(store)
    try:
        yield
    finally:
        _REPLAY.reset(token)
    if store:
        raise RuntimeError(
            f"{len(store)} replayed fits were not consumed: evaluate_candidates "
            "did not run in the calling thread."
        )
