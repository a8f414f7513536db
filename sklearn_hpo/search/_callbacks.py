"""What a search tells its ``fit(..., callback=...)`` after each batch."""

import numbers
import time
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DeadlineStopper",
    "NoImprovementStopper",
    "SearchProgress",
    "ThresholdStopper",
    "check_callbacks",
]


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
    scores : ndarray of shape (n_candidates,)
        The search objective of every candidate so far (the mean test score
        of the refit metric), nan for failed candidates.
    """

    n_candidates: int
    n_batches: int
    elapsed: float
    cv_results: dict
    best_index: int | None
    best_score: float
    best_params: dict | None
    scores: np.ndarray


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


class ThresholdStopper:
    """Stop a search once a candidate reaches a score.

    Parameters
    ----------
    score : float
        The search stops after the batch in which the best mean test score
        (of the refit metric; greater is better) reaches ``score``.

    Examples
    --------
    >>> from sklearn_hpo.search import ThresholdStopper
    >>> stop = ThresholdStopper(0.95)
    """

    def __init__(self, score):
        if isinstance(score, bool) or not isinstance(score, numbers.Real):
            raise TypeError(f"score must be a number, got {score!r}.")
        self.score = float(score)

    def __call__(self, progress):
        return progress.best_index is not None and progress.best_score >= self.score

    def __repr__(self):
        return f"ThresholdStopper(score={self.score!r})"


class NoImprovementStopper:
    """Stop a search when the best score has not improved for a while.

    Parameters
    ----------
    n_candidates : int
        The search stops once the last ``n_candidates`` candidates evaluated
        have not improved on the best score found before them.
    min_delta : float, default=0.0
        An improvement must exceed this to count.

    Examples
    --------
    >>> from sklearn_hpo.search import NoImprovementStopper
    >>> stop = NoImprovementStopper(20)
    """

    def __init__(self, n_candidates, min_delta=0.0):
        if (
            isinstance(n_candidates, bool)
            or not isinstance(n_candidates, numbers.Integral)
            or n_candidates < 1
        ):
            raise ValueError(
                f"n_candidates must be a positive integer, got {n_candidates!r}."
            )
        self.n_candidates = int(n_candidates)
        self.min_delta = float(min_delta)

    def __call__(self, progress):
        scores = np.where(np.isfinite(progress.scores), progress.scores, -np.inf)
        n = len(scores)
        if n <= self.n_candidates or not np.isfinite(scores).any():
            return False
        before = np.max(scores[: n - self.n_candidates])
        after = np.max(scores[n - self.n_candidates :])
        return not after > before + self.min_delta

    def __repr__(self):
        return (
            f"NoImprovementStopper(n_candidates={self.n_candidates!r}, "
            f"min_delta={self.min_delta!r})"
        )


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
