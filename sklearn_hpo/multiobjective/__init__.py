"""Multi-objective numerics: Pareto ranks, hypervolume, knee, scalarizations.

Notation
--------
Y : (n, m) float64
    ``n`` points (candidates), ``m`` objectives. Everything here MAXIMIZES:
    greater is better in every column, as with scikit-learn scorers. The one
    sign flip for objectives a user wants to minimize (fit time, model size)
    lives in the search layer.
dominance
    ``y`` dominates ``z`` iff ``y_j >= z_j`` for every ``j`` and
    ``y_j > z_j`` for some ``j``. Equal points do not dominate each other.
rank
    Rank 0 (the Pareto front) holds the points that no point dominates;
    rank ``k`` those that no point dominates once ranks ``0..k-1`` are
    removed. Equal points share a rank.
nan rows
    A row holding nan is a failed candidate: it ranks after every finite row
    (one rank below the worst), is never on the front, adds no hypervolume,
    is never the knee and scores nan. Infinite values are rejected with a
    ValueError: map them to nan (or to a finite bad score) first.
r : (m,) float64
    The reference point of the hypervolume, finite. The hypervolume of ``Y``
    is the Lebesgue measure of ``{z in R^m : r <= z <= y for some y in Y}``:
    only points strictly above ``r`` in every objective span a box of
    positive volume; the others contribute nothing.
contribution
    The exclusive hypervolume of a point, ``HV(Y) - HV(Y minus that point)``:
    zero for dominated points and for points that another point repeats.
normalization
    ``y' = (y - nadir) / (ideal - nadir)`` per objective, with ``ideal`` and
    ``nadir`` the best and the worst value over a reference set (the front
    for the knee, ``Y`` for the scalarization), so 1 is best and 0 is worst.
knee
    The front point furthest, on the ideal's side, from the hyperplane
    through the extreme points in normalized space; the point closest to
    the ideal ``(1, ..., 1)`` when that is degenerate.
augmented Chebyshev (ParEGO)
    ``s(y) = min_j w_j (y'_j - 1) + rho * sum_j w_j (y'_j - 1)``, greater is
    better, with weights ``w`` on the simplex and ``rho = 0.05`` (Knowles
    2006, written for maximization).

Inputs are never modified. Everything is vectorized over points; the loops
left run over fronts, objectives, blocks of bounded memory, and (for the
hypervolume in four or more objectives and the contributions in three or
more) over the points of a front.
"""

from sklearn_hpo.multiobjective._hypervolume import (
    hypervolume,
    hypervolume_contributions,
)
from sklearn_hpo.multiobjective._knee import knee_point
from sklearn_hpo.multiobjective._scalarization import (
    augmented_chebyshev,
    random_simplex_weights,
)
from sklearn_hpo.multiobjective._sorting import (
    non_dominated_ranks,
    pareto_front_mask,
)

__all__ = [
    "augmented_chebyshev",
    "hypervolume",
    "hypervolume_contributions",
    "knee_point",
    "non_dominated_ranks",
    "pareto_front_mask",
    "random_simplex_weights",
]
