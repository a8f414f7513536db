"""Schedulers: how much resource each candidate gets.

Notation
--------
r_min, R : int
    The smallest and the largest resource a candidate is evaluated with
    (``min_resource`` and ``max_resource``: samples, trees, epochs...).
eta : int >= 2
    The reduction factor: each rung keeps the best ``1/eta`` of the one below
    and gives them ``eta`` times the resource.
s_max : int
    ``floor(log_eta(R / r_min))``, the number of halvings that fit between
    ``r_min`` and ``R``, computed in integers (``floor(log(243, 3))`` is 4 in
    floating point, not 5).
Rung
    ``(n_candidates, resource)``: one level of a successive-halving bracket.

Hyperband (Li et al., JMLR 2018) runs ``s_max + 1`` brackets; bracket ``s``
starts ``n = ceil((s_max + 1) * eta**s / (s + 1))`` candidates with resource
``R * eta**-s`` and runs successive halving on them: rung ``i`` keeps
``floor(n * eta**-i)`` candidates and gives them ``R * eta**(i - s)``
(rounded down). ASHA (Li et al., MLSys 2020) promotes asynchronously: a
candidate at rung ``k`` moves up as soon as it is among the best
``floor(m / eta)`` of the ``m`` results rung ``k`` holds, and a free worker
otherwise starts a new candidate at the bottom rung.

Everything here is integer arithmetic and pure Python/numpy.
"""

from sklearn_hpo.schedulers._hyperband import (
    ASHAScheduler,
    Bracket,
    Rung,
    hyperband_brackets,
    integer_log,
    top_k,
)

__all__ = [
    "ASHAScheduler",
    "Bracket",
    "Rung",
    "hyperband_brackets",
    "integer_log",
    "top_k",
]
