"""Acquisition maximization: quasi-random candidates, then L-BFGS-B polish.

Notation: points ``U`` (m, d) in the unit cube; ``fun(U, return_grad)``
returns values (m,) and gradients (m, d). See
:mod:`sklearn_hpo.optim._maximize`.
"""

from sklearn_hpo.optim._maximize import maximize_acquisition

__all__ = ["maximize_acquisition"]
