"""The one place where sklearn-hpo imports private scikit-learn API.

Everything imported here is re-exported under the same name, so that a
change between scikit-learn releases is fixed in this file alone. Supported:
the current scikit-learn release and the one before it.
"""

import contextlib
import contextvars

import sklearn
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import _search as _sk_search
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    StrOptions,
)

from sklearn_hpo.utils._warnings import warn_user

__all__ = [
    "SKLEARN_VERSION",
    "HasMethods",
    "Interval",
    "StrOptions",
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
