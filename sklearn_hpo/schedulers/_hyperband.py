"""Hyperband brackets, successive-halving rungs and ASHA promotion."""

from typing import NamedTuple

import numpy as np

__all__ = [
    "ASHAScheduler",
    "Bracket",
    "Rung",
    "hyperband_brackets",
    "integer_log",
    "top_k",
]


class Rung(NamedTuple):
    """One level of successive halving: how many candidates, how much resource."""

    n_candidates: int
    resource: int


class Bracket(NamedTuple):
    """A successive-halving run: ``index`` is Hyperband's ``s``."""

    index: int
    rungs: tuple

    @property
    def n_candidates(self):
        """Candidates started at the bottom rung."""
        return self.rungs[0].n_candidates

    @property
    def budget(self):
        """Resource units of the bracket: the sum of ``n_i * r_i``."""
        return sum(r.n_candidates * r.resource for r in self.rungs)

    def truncated(self, n_candidates, eta):
        """The same bracket started with fewer candidates (at least 1 per rung)."""
        if n_candidates >= self.n_candidates:
            return self
        rungs = tuple(
            Rung(max(1, n_candidates // eta**i), r.resource)
            for i, r in enumerate(self.rungs)
        )
        return Bracket(self.index, rungs)


def _check_int(value, name, low):
    if isinstance(value, bool) or int(value) != value or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}.")
    return int(value)


def integer_log(x, base):
    """Largest integer ``k`` with ``base**k <= x``, in integer arithmetic.

    >>> integer_log(243, 3)
    5
    >>> integer_log(242, 3)
    4
    """
    x = _check_int(x, "x", 1)
    base = _check_int(base, "base", 2)
    k, power = 0, base
    while power <= x:
        k += 1
        power *= base
    return k


def _s_max(min_resource, max_resource, eta):
    """Largest ``s`` with ``min_resource * eta**s <= max_resource``."""
    return integer_log(max_resource // min_resource, eta)


def hyperband_brackets(min_resource, max_resource, eta=3):
    """The brackets of one Hyperband iteration, most aggressive first.

    Parameters
    ----------
    min_resource, max_resource : int
        Smallest and largest resource (``1 <= min_resource <= max_resource``).
    eta : int, default=3
        Reduction factor (>= 2).

    Returns
    -------
    list of Bracket
        ``s_max + 1`` brackets, ``s = s_max, ..., 0``. Bracket ``s`` starts
        ``ceil((s_max + 1) * eta**s / (s + 1))`` candidates; its rung ``i``
        keeps ``floor(n * eta**-i)`` of them with resource
        ``floor(max_resource * eta**(i - s))``, which is at least
        ``min_resource``.

    Examples
    --------
    The table of Li et al. (2018) for R = 81, eta = 3:

    >>> for b in hyperband_brackets(1, 81, 3):
    ...     print(b.index, [tuple(r) for r in b.rungs])
    4 [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)]
    3 [(34, 3), (11, 9), (3, 27), (1, 81)]
    2 [(15, 9), (5, 27), (1, 81)]
    1 [(8, 27), (2, 81)]
    0 [(5, 81)]
    """
    min_resource = _check_int(min_resource, "min_resource", 1)
    max_resource = _check_int(max_resource, "max_resource", 1)
    eta = _check_int(eta, "eta", 2)
    if min_resource > max_resource:
        raise ValueError(
            f"min_resource ({min_resource}) must not exceed max_resource "
            f"({max_resource})."
        )
    s_max = _s_max(min_resource, max_resource, eta)
    brackets = []
    for s in range(s_max, -1, -1):
        n = -(-(s_max + 1) * eta**s // (s + 1))  # ceil in integers
        rungs = tuple(
            Rung(n // eta**i, max_resource * eta**i // eta**s) for i in range(s + 1)
        )
        brackets.append(Bracket(s, rungs))
    return brackets


def top_k(scores, k):
    """Positions of the ``k`` best finite scores, best first.

    Ties keep their order (the earlier position wins); nan and infinite
    scores (failed fits) are never chosen, so fewer than ``k`` positions come
    back when fewer scores are finite.

    >>> top_k([0.5, float("nan"), 0.9, 0.5], 3).tolist()
    [2, 0, 3]
    """
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    finite = np.flatnonzero(np.isfinite(s))
    order = finite[np.argsort(-s[finite], kind="stable")]
    return order[: max(0, int(k))]


class ASHAScheduler:
    """Asynchronous successive halving: which job a free worker runs next.

    Parameters
    ----------
    resources : sequence of int
        Resource of each rung, increasing (``r_min * eta**k``, the last one
        ``R``).
    eta : int
        Reduction factor: a rung promotes its best ``floor(m / eta)`` of
        ``m`` results.

    Notes
    -----
    Call :meth:`report` when a job ends and :meth:`next_promotion` when a
    worker is free: it returns ``(candidate, rung)`` of the promotion to run,
    looking at the highest rungs first, or None, in which case the caller
    starts a new candidate at rung 0 (or waits when its budget is spent). A
    candidate whose score is not finite is never promoted.

    Examples
    --------
    >>> asha = ASHAScheduler([1, 3, 9], eta=3)
    >>> for cand, score in enumerate([0.2, 0.9]):
    ...     asha.report(cand, 0, score)
    >>> asha.next_promotion() is None  # 2 results: floor(2 / 3) = 0 promoted
    True
    >>> asha.report(2, 0, 0.5)
    >>> asha.next_promotion()
    (1, 1)
    """

    def __init__(self, resources, eta):
        self.resources = [_check_int(r, "resource", 1) for r in resources]
        if any(np.diff(self.resources) <= 0):
            raise ValueError(f"resources must increase, got {self.resources}.")
        self.eta = _check_int(eta, "eta", 2)
        self._candidates = [[] for _ in self.resources]
        self._scores = [[] for _ in self.resources]
        self._promoted = [set() for _ in self.resources]

    @property
    def n_rungs(self):
        return len(self.resources)

    def report(self, candidate, rung, score):
        """Record the (mean CV) score of ``candidate`` at ``rung``."""
        self._candidates[rung].append(candidate)
        self._scores[rung].append(float(score))

    def results(self, rung):
        """``(candidates, scores)`` reported at ``rung``, in report order."""
        return list(self._candidates[rung]), np.asarray(self._scores[rung])

    def next_promotion(self):
        """``(candidate, next_rung)`` to run next, or None; marks it promoted."""
        for k in range(self.n_rungs - 2, -1, -1):
            scores = self._scores[k]
            for pos in top_k(scores, len(scores) // self.eta):
                cand = self._candidates[k][pos]
                if cand not in self._promoted[k]:
                    self._promoted[k].add(cand)
                    return cand, k + 1
        return None
