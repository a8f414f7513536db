"""Reading the data files: CSV or Parquet through pandas, target and task."""

from pathlib import Path

import numpy as np
import pandas as pd

from sklearn_hpo.cli._errors import CLIError

__all__ = ["infer_task", "read_table", "split_columns"]

PARQUET_SUFFIXES = (".parquet", ".pq")
# An integer target with at most this many distinct values is a class label.
MAX_CLASSES = 20
# How many column names an error message lists.
_MAX_LISTED = 30


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def read_table(path):
    """Read a CSV (any other suffix too) or Parquet file into a DataFrame.

    Raises
    ------
    CLIError
        When the file does not exist, cannot be parsed, is empty, or is a
        Parquet file and neither pyarrow nor fastparquet is installed.
    """
    path = Path(path)
    if not path.exists():
        raise CLIError(f"cannot read {path}: no such file")
    if path.is_dir():
        raise CLIError(f"cannot read {path}: it is a directory, not a file")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        try:
            frame = pd.read_parquet(path)
        except ImportError:
            raise CLIError(
                f"cannot read {path}: reading Parquet needs pyarrow (pip install "
                "pyarrow), or fastparquet; or save the data as CSV"
            ) from None
        except Exception as exc:  # noqa: BLE001 - any engine error is unreadable
            raise CLIError(
                f"cannot read {path} as Parquet: {_first_line(exc)}"
            ) from None
    else:
        sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
        try:
            frame = pd.read_csv(path, sep=sep)
        except pd.errors.EmptyDataError:
            raise CLIError(f"cannot read {path}: the file is empty") from None
        except UnicodeDecodeError:
            raise CLIError(
                f"cannot read {path} as CSV: it is not UTF-8 text (a binary file?)"
            ) from None
        except (pd.errors.ParserError, OSError, ValueError) as exc:
            raise CLIError(f"cannot read {path} as CSV: {_first_line(exc)}") from None
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise CLIError(f"cannot read {path}: no rows or no columns")
    return frame


def list_columns(columns):
    """Column names for a message, the first 30 and a count of the rest."""
    names = [str(c) for c in columns]
    shown = ", ".join(names[:_MAX_LISTED])
    if len(names) > _MAX_LISTED:
        shown += f", ... ({len(names) - _MAX_LISTED} more)"
    return shown


def split_columns(frame, target, drop, path):
    """Return ``X`` (features), ``y`` and the names of the dropped columns.

    Rows whose target is missing are removed (their count is returned too).
    """
    if target not in frame.columns:
        raise CLIError(
            f"target column {target!r} is not in {path}; its columns are: "
            f"{list_columns(frame.columns)}"
        )
    unknown = [c for c in drop if c not in frame.columns]
    if unknown:
        raise CLIError(
            f"--drop names columns that are not in {path}: "
            f"{list_columns(unknown)}; its columns are: "
            f"{list_columns(frame.columns)}"
        )
    if target in drop:
        raise CLIError(f"--drop must not name the target column {target!r}")
    keep = frame[target].notna()
    n_missing = int((~keep).sum())
    frame = frame.loc[keep]
    if frame.shape[0] < 2:
        raise CLIError(f"{path} has fewer than 2 rows with a target value")
    X = frame.drop(columns=[target, *drop])
    if X.shape[1] == 0:
        raise CLIError(f"{path} has no feature columns besides the target")
    return X, frame[target], n_missing


def infer_task(y):
    """``"classification"`` or ``"regression"``, from the target's values.

    Text, boolean and categorical targets are class labels; so are integer
    targets with at most 20 distinct values. Other numbers are a regression
    target.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hpo.cli._data import infer_task
    >>> infer_task(pd.Series([0, 1, 1, 0])), infer_task(pd.Series([0.5, 1.2, 3.0]))
    ('classification', 'regression')
    """
    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        return "classification"
    values = y.to_numpy(dtype=np.float64)
    if np.all(values == np.round(values)) and y.nunique() <= MAX_CLASSES:
        return "classification"
    return "regression"


def class_labels(y):
    """The target as class labels: whole floats as ints, other floats as text.

    (scikit-learn refuses a float target with fractional values for
    classification; ``--task classification`` on such a column means its
    distinct values are the classes.)
    """
    if pd.api.types.is_float_dtype(y):
        values = y.to_numpy(dtype=np.float64)
        if np.all(values == np.round(values)):
            return y.astype(np.int64)
        return y.astype(str)
    return y


def categorical_columns(X):
    """Names of the columns to encode: everything not numeric or boolean."""
    return [
        c
        for c in X.columns
        if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))
    ]


def prepare_features(X, categorical):
    """Categorical columns as objects with nan for missing, booleans as floats."""
    X = X.copy()
    for c in X.columns:
        if c in categorical:
            # text, with nan for missing: encoders need one type per column
            X[c] = X[c].astype(str).astype(object).where(X[c].notna(), np.nan)
        elif pd.api.types.is_bool_dtype(X[c]):
            X[c] = X[c].astype(np.float64)
    return X
