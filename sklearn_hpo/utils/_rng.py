"""One random generator per fit.

``random_state`` (None, an int or a legacy ``numpy.random.RandomState``) is
turned into one :class:`numpy.random.Generator` at the start of ``fit`` and
passed down as ``rng=``. Nothing in sklearn-hpo touches numpy's global random
state.
"""

import numbers

import numpy as np

__all__ = ["as_generator", "spawn_seed"]


def as_generator(random_state):
    """Return a :class:`numpy.random.Generator` for ``random_state``.

    Parameters
    ----------
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        ``None`` gives fresh OS entropy; an int gives a reproducible stream; a
        ``RandomState`` is drawn from once (so, as in scikit-learn, reusing the
        same instance gives different but reproducible runs); a ``Generator``
        is returned as it is.

    Returns
    -------
    numpy.random.Generator
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, numbers.Integral) and not isinstance(
        random_state, bool
    ):
        return np.random.default_rng(int(random_state))
    raise TypeError(
        "random_state must be None, an int, a numpy RandomState or a numpy "
        f"Generator; got {random_state!r} of type {type(random_state).__name__}."
    )


def spawn_seed(rng):
    """Draw a 63-bit integer seed from ``rng`` for a component that needs one."""
    return int(rng.integers(0, 2**63 - 1))
