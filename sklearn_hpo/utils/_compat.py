"""The one place where sklearn-hpo imports private scikit-learn API.

Everything imported here is re-exported under the same name, so that a
change between scikit-learn releases is fixed in this file alone. Supported:
the current scikit-learn release and the one before it.
"""

import sklearn
from sklearn.utils._param_validation import (  # noqa: F401
    HasMethods,
    Interval,
    StrOptions,
)

__all__ = ["HasMethods", "Interval", "StrOptions", "SKLEARN_VERSION"]

SKLEARN_VERSION = tuple(int(p) for p in sklearn.__version__.split(".")[:2])
