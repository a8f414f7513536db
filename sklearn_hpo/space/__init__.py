"""Search spaces and their unit-cube coordinates.

Notation: a subspace with ``d`` varying hyperparameters is the cube
``[0, 1]^d``; ``U`` of shape ``(n, d)`` holds points, ``SubSpace.from_unit(U)``
turns them into parameter dicts and ``SubSpace.to_unit(params)`` back. See
:mod:`sklearn_hpo.space._dimensions` for the formulas of each dimension.
"""

from sklearn_hpo.space._dimensions import (
    Categorical,
    Dimension,
    Distribution,
    Integer,
    Real,
)
from sklearn_hpo.space._space import (
    JointSubSpace,
    SearchSpace,
    SubSpace,
    as_dimension,
    as_search_space,
)

__all__ = [
    "Categorical",
    "Dimension",
    "Distribution",
    "Integer",
    "JointSubSpace",
    "Real",
    "SearchSpace",
    "SubSpace",
    "as_dimension",
    "as_search_space",
]
