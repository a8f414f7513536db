"""Acquisition functions: pure functions of a Gaussian posterior ``(mean, var)``.

Everything maximizes. ``mean`` and ``var`` are the posterior mean and
variance of the objective at the candidates (arrays of any broadcastable
shapes), ``best`` the incumbent; each function returns the acquisition value
and, with ``return_grad=True``, its derivatives with respect to ``mean`` and
``var``, which the chain rule through the surrogate's predictive gradients
turns into gradients in the unit cube. The classes only bind parameters
(``best``, ``beta``). See :mod:`sklearn_hpo.acquisition._analytic` for the
notation and the formulas.
"""

from sklearn_hpo.acquisition._analytic import (
    EI,
    LCB,
    PI,
    UCB,
    VAR_FLOOR,
    LogEI,
    LogPI,
    ei,
    lcb,
    log_ei,
    log_pi,
    pi,
    ucb,
)

__all__ = [
    "EI",
    "LCB",
    "PI",
    "UCB",
    "VAR_FLOOR",
    "LogEI",
    "LogPI",
    "ei",
    "lcb",
    "log_ei",
    "log_pi",
    "pi",
    "ucb",
]
