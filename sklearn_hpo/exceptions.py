"""Warnings raised by sklearn-hpo.

All of them derive from :class:`HPOWarning`, so that one filter silences the
library's warnings and nothing else::

    import warnings
    from sklearn_hpo.exceptions import HPOWarning

    warnings.simplefilter("ignore", HPOWarning)
"""

__all__ = ["HPOWarning", "SearchSpaceWarning", "SurrogateFitWarning"]


class HPOWarning(UserWarning):
    """Base class of every warning that sklearn-hpo emits."""


class SearchSpaceWarning(HPOWarning):
    """The search space cannot give what was asked of it.

    For example: fewer distinct candidates exist than ``n_iter``, or a
    sampler kept proposing points that were already evaluated.
    """


class SurrogateFitWarning(HPOWarning):
    """A surrogate model (such as a Gaussian process) could not be fitted well.

    The search goes on, falling back to a documented behaviour.
    """
