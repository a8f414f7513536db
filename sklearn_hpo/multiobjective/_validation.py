"""Argument checks shared by the multi-objective functions."""

import numbers

import numpy as np

__all__ = ["check_objectives", "check_scalar", "check_vector"]


def check_objectives(Y, name="Y"):
    """``Y`` as a float64 array of shape ``(n_points, n_objectives)``.

    nan is allowed (a row holding one is a failed candidate); infinite values
    are not. The input is never written to: callers must not modify the
    result in place either, since it may be ``Y`` itself.
    """
    try:
        arr = np.asarray(Y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from None
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_points, n_objectives); "
            f"got an array of shape {arr.shape}."
        )
    if arr.shape[1] < 1:
        raise ValueError(
            f"{name} must have at least one objective (column); got shape {arr.shape}."
        )
    if np.isinf(arr).any():
        raise ValueError(
            f"{name} must not contain infinite values; mark failed candidates "
            "with nan instead."
        )
    return arr


def check_vector(v, name, n_objectives):
    """``v`` as a finite float64 vector of length ``n_objectives``."""
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from None
    if arr.shape != (n_objectives,):
        raise ValueError(
            f"{name} must have shape ({n_objectives},), one value per objective; "
            f"got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got {arr.tolist()}.")
    return arr


def check_scalar(value, name, *, low=None, integer=False):
    """``value`` as a float (or an int) that is at least ``low``."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a real number"
        raise ValueError(f"{name} must be {what}; got {value!r}.")
    value = int(value) if integer else float(value)
    if not np.isfinite(value) or (low is not None and value < low):
        raise ValueError(f"{name} must be finite and >= {low}; got {value!r}.")
    return value
