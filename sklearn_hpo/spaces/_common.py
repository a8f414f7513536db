"""Helpers shared by the curated spaces: prefixes, tasks and size keywords."""

import numbers

from sklearn_hpo.space import Dimension, Integer, Real

__all__ = ["check_choice", "prefixed", "size_spec"]


def check_choice(value, name, options, owner):
    """Return ``value`` if it is one of ``options``, else raise ValueError."""
    if value not in options:
        raise ValueError(
            f"{owner}: {name} must be one of {list(options)}, got {value!r}."
        )
    return value


def prefixed(space, prefix, owner):
    """Return ``space`` with ``prefix`` in front of every key."""
    if not isinstance(prefix, str):
        raise TypeError(
            f"{owner}: prefix must be a string such as 'clf__', got {prefix!r}."
        )
    return {prefix + key: value for key, value in space.items()}


def size_spec(value, name, owner, *, integer=True, prior="log-uniform"):
    """Turn a size keyword (``n_estimators=``, ``max_iter=``...) into a spec.

    ``None`` leaves the parameter out (returns None); a number fixes it (a
    one-element list); a ``(low, high)`` pair is a range with ``prior``; a
    :class:`~sklearn_hpo.space.Dimension` or a list is used as it is.
    """
    if value is None:
        return None
    if isinstance(value, Dimension) or isinstance(value, list):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return [int(value) if integer else float(value)]
    if isinstance(value, tuple) and len(value) == 2:
        low, high = value
        try:
            if integer:
                return Integer(low, high, prior=prior)
            return Real(low, high, prior=prior)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{owner}: {name}={value!r}: {exc}") from None
    raise TypeError(
        f"{owner}: {name} must be None (leave it out of the space), a number "
        f"(a fixed value), a (low, high) pair, a list of values or a "
        f"Real/Integer/Categorical; got {value!r}."
    )
