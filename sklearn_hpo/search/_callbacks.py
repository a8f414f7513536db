"""What a search tells its ``fit(..., callback=...)`` after each batch."""

import numbers
import time
from dataclasses import dataclass

__all__ = ["DeadlineStopper", "SearchProgress", "check_callbacks"]


@dataclass(frozen=True)
class SearchProgress:
    """The state of a running search, passed to callbacks after each batch.

    Attributes
    ----------
    n_candidates : int
        Candidates evaluated so far.
    n_batches : int
        Batches evaluated so far.
    elapsed : float
        Seconds since the search started.
    cv_results : dict
        The results so far, formatted like ``cv_results_``.
    best_index : int or None
        Index into ``cv_results`` of the best candidate on the search's
        objective (the refit metric), None while every candidate failed.
    best_score : float
        Its mean test score (nan while every candidate failed).
    best_params : dict or None
        Its parameters.
    """

    n_candidates: int
    n_batches: int
    elapsed: float
    cv_results: dict
    best_index: int | None
    best_score: float
    best_params: dict | None


class DeadlineStopper:
    """Stop a search once a time budget is spent.

    Pass it to ``fit``: ``search.fit(X, y, callback=DeadlineStopper(60))``.
    The check runs after each batch, so the batch running when the deadline
    passes finishes first; the search then refits the best candidate found.

    Parameters
    ----------
    total_time : float
        Seconds, counted from the start of the search.

    Examples
    --------
    >>> from sklearn_hpo.search import DeadlineStopper
    >>> stop = DeadlineStopper(total_time=60)
    """

    def __init__(self, total_time):
        if isinstance(total_time, bool) or not isinstance(total_time, numbers.Real):
            raise TypeError(
                f"total_time must be a number of seconds, got {total_time!r}."
            )
        if not total_time > 0:
            raise ValueError(f"total_time must be positive, got {total_time!r}.")
        self.total_time = float(total_time)

    def __call__(self, progress):
        return progress.elapsed >= self.total_time

    def __repr__(self):
        return f"DeadlineStopper(total_time={self.total_time!r})"


def check_callbacks(callback):
    """Return ``callback`` as a list of callables (``None`` gives ``[]``)."""
    if callback is None:
        return []
    callbacks = list(callback) if isinstance(callback, (list, tuple)) else [callback]
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(
                "callback must be a callable or a list of callables taking a "
                f"SearchProgress and returning True to stop; got {cb!r}."
            )
    return callbacks


def now():
    """Monotonic clock used for budgets."""
    return time.perf_counter()
