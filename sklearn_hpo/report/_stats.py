"""Statistics over outer cross-validation folds.

Notation
--------
d : array of shape (k,)
    One value per outer fold: a score, or the difference of two models'
    scores on the same fold.
n_train, n_test : float
    The (mean) sizes of the training and test parts of a fold.

The folds' values are not independent: their training sets overlap, so the
naive variance of their mean, ``s**2 / k``, is too small. Nadeau and Bengio
(Machine Learning 52, 2003) correct it to

    var(mean d) ~= (1 / k + n_test / n_train) * s**2,

with ``s**2`` the sample variance of ``d`` (``ddof=1``). The corrected
resampled t statistic is ``mean(d) / sqrt(that)`` with ``k - 1`` degrees of
freedom; the interval is ``mean(d) +- t_{(1 + confidence) / 2, k - 1} *
sqrt(that)``. For one run of k-fold cross-validation ``n_test / n_train`` is
about ``1 / (k - 1)``; no unbiased estimator of this variance exists
(Bengio and Grandvalet, JMLR 5, 2004), so the result is an approximation that
errs on the wide side of the naive one.
"""

import numpy as np
from scipy import stats

__all__ = ["corrected_resampled_ttest"]


def corrected_resampled_ttest(d, n_train, n_test, *, confidence=0.95):
    """Nadeau and Bengio's corrected resampled t-test of ``mean(d) = 0``.

    Parameters
    ----------
    d : array-like of shape (k,)
        Per-fold values (scores, or differences of two models' scores on the
        same folds). Needs ``k >= 2`` finite values.
    n_train, n_test : float
        Sizes of a fold's training and test parts (means over folds).
    confidence : float, default=0.95
        Level of the two-sided interval, in ``(0, 1)``.

    Returns
    -------
    result : dict
        ``mean``, ``std`` (``ddof=1``), ``se`` (corrected standard error),
        ``t``, ``df``, ``p_value`` (two-sided), ``ci_low``, ``ci_high`` and
        ``correction`` (the factor ``1 / k + n_test / n_train``).

    Examples
    --------
    >>> from sklearn_hpo.report import corrected_resampled_ttest
    >>> r = corrected_resampled_ttest([0.02, 0.01, 0.03, 0.02, 0.02], 80, 20)
    >>> round(r["mean"], 4), r["df"], round(r["correction"], 2)
    (0.02, 4, 0.45)
    """
    d = np.asarray(d, dtype=float)
    if d.ndim != 1 or d.size < 2:
        raise ValueError(
            "The corrected t-test needs one value per outer fold and at least "
            f"2 folds; got an array of shape {d.shape}."
        )
    if not np.all(np.isfinite(d)):
        raise ValueError(
            "The per-fold values contain nan or inf (a failed fold?); the "
            "corrected t-test needs finite values."
        )
    if not (n_train > 0 and n_test > 0):
        raise ValueError(
            f"n_train and n_test must be positive, got {n_train} and {n_test}."
        )
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}.")
    k = d.size
    mean = float(d.mean())
    std = 0.0 if np.ptp(d) == 0 else float(d.std(ddof=1))
    correction = 1.0 / k + float(n_test) / float(n_train)
    se = float(np.sqrt(correction) * std)
    df = k - 1
    if se > 0:
        t = mean / se
        p_value = float(2 * stats.t.sf(abs(t), df))
    else:  # identical values on every fold
        t = 0.0 if mean == 0 else float(np.copysign(np.inf, mean))
        p_value = 1.0 if mean == 0 else 0.0
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    return {
        "mean": mean,
        "std": std,
        "se": se,
        "t": float(t),
        "df": df,
        "p_value": p_value,
        "ci_low": mean - half,
        "ci_high": mean + half,
        "correction": correction,
    }
