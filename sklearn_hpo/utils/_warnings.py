"""Warnings that point at the user's line, not at library internals."""

import sys
import warnings

__all__ = ["warn_user"]

_LIBRARIES = ("sklearn_hpo", "sklearn", "joblib")


def _is_library(name):
    return any(name == lib or name.startswith(lib + ".") for lib in _LIBRARIES)


def warn_user(message, category):
    """Emit ``message`` with the stack level of the first caller outside the
    libraries (sklearn-hpo, scikit-learn, joblib), so that the warning names
    the user's own file and line whatever the depth of the call."""
    frame, level = sys._getframe(1), 2
    while frame is not None and _is_library(frame.f_globals.get("__name__", "")):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
