"""NestedCV: an outer cross-validation loop around any search estimator."""

import time
from numbers import Integral, Real

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import KFold, StratifiedKFold, check_cv
from sklearn.utils import indexable
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklearn_hpo.report import (
    NestedCVReport,
    corrected_resampled_ttest,
    param_stability,
)
from sklearn_hpo.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    check_method_params,
    safe_indexing,
    safe_split,
)
from sklearn_hpo.utils._rng import as_generator

__all__ = ["NestedCV", "compare_nested_cv"]


def _search_has(attr):
    """Delegate a method to the search refitted on all data."""

    def check(self):
        if hasattr(self, "search_"):
            getattr(self.search_, attr)
        else:
            getattr(self.search, attr)
        return True

    return check


class NestedCV(MetaEstimatorMixin, BaseEstimator):
    """Nested cross-validation of a hyperparameter search, with a report.

    The score a search reports for its own winner (``best_score_``) is
    optimistic: the winner was chosen on the same folds. Nested
    cross-validation is the honest estimate: an *outer* loop splits the data;
    on each outer training part a fresh clone of ``search`` runs its whole
    *inner* search (its own ``cv``), and its refitted winner is scored on the
    outer test part, which the inner search never sees.

    Parameters
    ----------
    search : estimator
        Any search estimator with ``fit`` and, after it, ``best_params_``
        (and ``best_score_``): ours or scikit-learn's ``GridSearchCV``,
        ``RandomizedSearchCV``, Halving searches... It must refit its winner
        (``refit`` not False) so that it can be scored. It is cloned for
        every outer fold (no state travels between folds) and never fitted
        itself.
    outer_cv : int, cross-validation generator or iterable, default=5
        The outer splits, as ``cv`` in :func:`~sklearn.model_selection.
        cross_validate`: an int gives ``StratifiedKFold`` for classifiers
        (binary or multiclass ``y``) and ``KFold`` otherwise, shuffled with
        ``random_state`` when that is set. Time-series splitters such as
        ``TimeSeriesSplit`` are used as given.
    scoring : str, callable, list, tuple, dict or None, default=None
        Outer metric(s), as in ``cross_validate``. ``None`` scores with the
        search's own ``score`` (its refit metric), so that the outer score and
        ``best_score_`` are the same metric.
    n_jobs : int or None, default=None
        Total number of workers. ``None``: the outer folds run one after the
        other and the search keeps its own ``n_jobs``. Otherwise the outer
        loop gets ``min(n_jobs, n_outer_folds)`` workers and each inner search
        ``n_jobs // that`` (at least 1; it overrides the search's ``n_jobs``),
        so outer x inner never exceeds ``n_jobs``. In loky worker processes
        joblib also caps the BLAS/OpenMP threads (cpu_count // n_workers).
        The final refit on all data gets all ``n_jobs``.
    refit : bool, default=True
        Whether to run the search once more on all the data after the outer
        loop, exposing ``search_``, ``best_estimator_``, ``best_params_`` and
        ``predict`` etc. for deployment; the nested score is the honest
        estimate of that model's performance.
    random_state : int, RandomState instance or None, default=None
        Shuffles the outer folds when ``outer_cv`` is an int, and seeds the
        search when its own ``random_state`` is None (every fold and the final
        refit get the same seed, as ``cross_validate`` gives one clone to each
        fold). Leaves the search's ``random_state`` alone when it is set.
    verbose : int, default=0
        0 silent; 1 prints the plain-text summary at the end; 2 also one line
        per outer fold.
    confidence : float, default=0.95
        Level of the intervals in the summary.

    Attributes
    ----------
    outer_scores_ : DataFrame
        Outer test score per fold (rows) and metric (columns: ``"score"`` for
        a single metric, else the metric names).
    fold_results_ : DataFrame
        Per fold: ``n_train``, ``n_test``, ``inner_best_score`` (the search's
        ``best_score_``), ``outer_score`` (the search's own metric on the
        outer test part), ``optimism``, one ``test_<metric>`` column per outer
        metric, ``fit_time`` and ``score_time`` (seconds), ``params``.
    chosen_params_ : DataFrame
        The parameters chosen on each fold, one column per parameter.
    optimism_ : Series
        Inner best score minus outer score, per fold; its mean is in
        ``summary_``. Positive: the search's own estimate was optimistic.
    summary_ : DataFrame
        Per outer metric and for the optimism: ``mean``, ``std`` (over folds,
        ``ddof=1``), ``ci_low``, ``ci_high``, ``n_folds``. The interval is a
        Student t interval with ``k - 1`` degrees of freedom on the Nadeau and
        Bengio corrected variance ``(1 / k + n_test / n_train) * std**2``,
        wider than the naive ``std**2 / k`` because the folds' training sets
        overlap (see :func:`~sklearn_hpo.report.corrected_resampled_ttest`).
    param_stability_ : DataFrame
        Per parameter: ``kind``, ``n_distinct``, ``mode``, ``agreement``
        (share of folds choosing the mode) and for numbers ``min``, ``max``,
        ``median``, ``log10_range``.
    inner_cv_results_ : list of dict
        The inner search's ``cv_results_`` of every fold.
    outer_splits_ : list of (ndarray, ndarray)
        The outer (train, test) indices.
    nested_score_ : float
        Mean outer score of the primary metric (the search's refit metric if
        it is among the outer metrics, else the first).
    report_ : NestedCVReport
        The tables above, with ``to_markdown()``, ``to_html(path)``,
        ``to_text()`` and plots.
    search_ : estimator
        The search fitted on all data (``refit=True`` only).
    best_estimator_, best_params_, best_score_ : object, dict, float
        Those of ``search_`` (``refit=True`` only). ``best_score_`` is the
        search's own, optimistic score; quote ``nested_score_`` instead.
    n_splits_ : int
        Number of outer folds.

    See Also
    --------
    compare_nested_cv : compare models on the same outer splits.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.svm import SVC
    >>> from sklearn_hpo import NestedCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=3)
    >>> nested = NestedCV(search, outer_cv=3, random_state=0).fit(X, y)
    >>> nested.outer_scores_.shape
    (3, 1)
    >>> print(nested.report_.to_markdown())  # doctest: +SKIP
    """

    _parameter_constraints: dict = {
        "search": [HasMethods(["fit"])],
        "outer_cv": ["cv_object"],
        "scoring": [
            StrOptions(set(get_scorer_names())),
            callable,
            list,
            tuple,
            dict,
            None,
        ],
        "n_jobs": [Integral, None],
        "refit": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        search,
        *,
        outer_cv=5,
        scoring=None,
        n_jobs=None,
        refit=True,
        random_state=None,
        verbose=0,
        confidence=0.95,
    ):
        self.search = search
        self.outer_cv = outer_cv
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.random_state = random_state
        self.verbose = verbose
        self.confidence = confidence

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.search.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.target_tags = inner.target_tags
        tags.input_tags = inner.input_tags
        return tags

    # -- set-up ----------------------------------------------------------

    def _seed(self):
        if self.random_state is None:
            return None
        if isinstance(self.random_state, Integral):
            return int(self.random_state)
        return int(as_generator(self.random_state).integers(2**31 - 1))

    def _outer_splitter(self, y, seed):
        cv = check_cv(self.outer_cv, y, classifier=is_classifier(self.search))
        if isinstance(self.outer_cv, Integral) and seed is not None:
            kind = type(cv)
            if kind in (KFold, StratifiedKFold):
                cv = kind(n_splits=cv.n_splits, shuffle=True, random_state=seed)
        return cv

    def _prepared_search(self, seed, n_jobs):
        names = self.search.get_params(deep=False)
        if not {"estimator", "cv"} <= set(names):
            raise TypeError(
                "search must be a hyperparameter search estimator (such as "
                "GridSearchCV or BayesSearchCV, with 'estimator' and 'cv' "
                f"parameters); got {type(self.search).__name__}. To "
                "cross-validate a fixed model use "
                "sklearn.model_selection.cross_validate."
            )
        search = clone(self.search)
        if seed is not None and names.get("random_state", 0) is None:
            search.set_params(random_state=seed)
        if n_jobs is not None and "n_jobs" in names:
            search.set_params(n_jobs=n_jobs)
        if names.get("refit", True) is False:
            raise ValueError(
                "NestedCV scores the search's refitted winner on each outer test "
                "part, so the search needs refit=True (or a metric name for "
                "multi-metric scoring); got refit=False."
            )
        return search

    def _split_jobs(self, n_splits):
        if self.n_jobs is None:
            return 1, None
        total = effective_n_jobs(self.n_jobs)
        outer = max(1, min(total, n_splits))
        return outer, max(1, total // outer)

    def _metric_names(self):
        if (
            self.scoring is None
            or callable(self.scoring)
            or isinstance(self.scoring, str)
        ):
            return ["score"]
        return list(self.scoring)

    def _primary_metric(self, names):
        refit = self.search.get_params(deep=False).get("refit")
        if isinstance(refit, str) and refit in names:
            return refit
        return names[0]

    # -- fit -------------------------------------------------------------

    def fit(self, X, y=None, groups=None, **params):
        """Run the inner search on each outer training part and score it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
                default=None
        groups : array-like of shape (n_samples,), default=None
            Group labels, used by the outer splitter and passed (restricted
            to the outer training part) to the inner search's ``fit``, so that
            a group splitter such as ``GroupKFold`` works in both loops.
        **params : dict
            Passed to the search's ``fit``; sample-aligned arrays are
            restricted to the outer training part.

        Returns
        -------
        self : NestedCV
        """
        self._validate_params()
        X, y, groups = indexable(X, y, groups)
        params = check_method_params(X, params)
        seed = self._seed()
        cv = self._outer_splitter(y, seed)
        splits = [
            (np.asarray(train), np.asarray(test))
            for train, test in cv.split(X, y, groups)
        ]
        if len(splits) < 2:
            raise ValueError(
                f"outer_cv gave {len(splits)} split(s); nested cross-validation "
                "needs at least 2 outer folds."
            )
        metrics = self._metric_names()
        n_outer, n_inner = self._split_jobs(len(splits))
        search = self._prepared_search(seed, n_inner)
        if isinstance(self.scoring, dict):
            bad = {k: v for k, v in self.scoring.items() if not callable(v)}
            bad = {k: v for k, v in bad.items() if not isinstance(v, str)}
            if bad:
                raise ValueError(
                    "scoring: the values of a dict must be scorer names or "
                    f"callables; got {bad!r}."
                )
        try:
            scorer = check_scoring(self.search, self.scoring)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValueError(
                f"scoring={self.scoring!r} is not a valid outer scoring: {exc}"
            ) from None
        folds = Parallel(n_jobs=n_outer)(
            delayed(_fit_fold)(
                clone(search),
                X,
                y,
                groups,
                train,
                test,
                scorer,
                params,
                metrics,
                own_metric=self.scoring is None,
            )
            for train, test in splits
        )
        self.outer_splits_ = splits
        self.n_splits_ = len(splits)
        metrics = list(folds[0]["test"])
        self._store(folds, metrics)
        if self.verbose > 1:
            for i, fold in enumerate(folds):
                print(
                    f"[NestedCV] fold {i + 1}/{len(folds)}: outer "
                    f"{fold['outer_score']:.4g}, inner best "
                    f"{fold['inner_best_score']:.4g}, params {fold['params']}"
                )
        if self.verbose > 0:
            print(self.report_.to_text())
        if self.refit:
            final = self._prepared_search(seed, self.n_jobs)
            fit_params = dict(params)
            if groups is not None:
                fit_params["groups"] = groups
            final.fit(X, y, **fit_params)
            self.search_ = final
            for name in ("best_estimator_", "best_params_", "best_score_"):
                if hasattr(final, name):
                    setattr(self, name, getattr(final, name))
            if hasattr(final, "n_features_in_"):
                self.n_features_in_ = final.n_features_in_
            if hasattr(final, "classes_"):
                self.classes_ = final.classes_
        return self

    def _store(self, folds, metrics):
        k = len(folds)
        index = pd.RangeIndex(k, name="fold")
        self.outer_scores_ = pd.DataFrame(
            {m: [f["test"][m] for f in folds] for m in metrics}, index=index
        )
        self.chosen_params_ = pd.DataFrame(
            [f["params"] for f in folds], index=index
        ).reindex(columns=list(dict.fromkeys(p for f in folds for p in f["params"])))
        inner = np.array([f["inner_best_score"] for f in folds], dtype=float)
        own = np.array([f["outer_score"] for f in folds], dtype=float)
        self.optimism_ = pd.Series(inner - own, index=index, name="optimism")
        table = pd.DataFrame(
            {
                "fold": np.arange(k),
                "n_train": [f["n_train"] for f in folds],
                "n_test": [f["n_test"] for f in folds],
                "inner_best_score": inner,
                "outer_score": own,
                "optimism": inner - own,
                **{f"test_{m}": self.outer_scores_[m].to_numpy() for m in metrics},
                "fit_time": [f["fit_time"] for f in folds],
                "score_time": [f["score_time"] for f in folds],
            }
        )
        self.inner_cv_results_ = [f["cv_results"] for f in folds]
        n_train = float(table["n_train"].mean())
        n_test = float(table["n_test"].mean())
        rows = {}
        for name in [f"test_{m}" for m in metrics] + ["optimism"]:
            values = table[name].to_numpy(dtype=float)
            rows[name] = _interval(values, n_train, n_test, self.confidence)
        summary = pd.DataFrame.from_dict(rows, orient="index")
        summary.index.name = "metric"
        level = f"{100 * self.confidence:g}%"
        summary.attrs["confidence_label"] = level
        self.summary_ = summary
        self.param_stability_ = param_stability(self.chosen_params_)
        primary = self._primary_metric(metrics)
        self.nested_score_ = float(self.outer_scores_[primary].mean())
        self.fold_results_ = table.assign(params=[f["params"] for f in folds])
        self.report_ = NestedCVReport(
            summary=summary,
            folds=table,
            chosen_params=self.chosen_params_,
            stability=self.param_stability_,
            title=f"Nested cross-validation of {type(self.search).__name__}"
            f"({_model_name(self.search)})",
            method=(
                f"{k} outer folds. Intervals: {level} Student t interval with "
                f"{k - 1} degrees of freedom on the Nadeau-Bengio corrected "
                "variance (1/k + n_test/n_train) * std^2 of the per-fold values. "
                "Optimism: the inner search's best score minus its outer test "
                "score on the same metric (positive = optimistic)."
            ),
            primary=primary,
        )

    # -- delegation to the search refitted on all data -------------------

    def _check_refitted(self, method):
        check_is_fitted(self)
        if not self.refit:
            raise AttributeError(
                f"{method} is available only with refit=True: NestedCV(refit="
                "False) estimates performance without fitting a final model."
            )

    @available_if(_search_has("predict"))
    def predict(self, X):
        """Predict with the search refitted on all data."""
        self._check_refitted("predict")
        return self.search_.predict(X)

    @available_if(_search_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the search refitted on all data."""
        self._check_refitted("predict_proba")
        return self.search_.predict_proba(X)

    @available_if(_search_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from the search refitted on all data."""
        self._check_refitted("predict_log_proba")
        return self.search_.predict_log_proba(X)

    @available_if(_search_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the search refitted on all data."""
        self._check_refitted("decision_function")
        return self.search_.decision_function(X)

    @available_if(_search_has("transform"))
    def transform(self, X):
        """Transform with the search refitted on all data."""
        self._check_refitted("transform")
        return self.search_.transform(X)

    @available_if(_search_has("score"))
    def score(self, X, y=None, **params):
        """Score of the search refitted on all data (its own metric)."""
        self._check_refitted("score")
        return self.search_.score(X, y, **params)

    # -- reports ---------------------------------------------------------

    def to_markdown(self):
        """The report as Markdown: see :meth:`NestedCVReport.to_markdown`."""
        check_is_fitted(self, "report_")
        return self.report_.to_markdown()

    def to_html(self, path=None):
        """The report as one HTML page: see :meth:`NestedCVReport.to_html`."""
        check_is_fitted(self, "report_")
        return self.report_.to_html(path)


def _model_name(search):
    """The class name of the model a search tunes (a pipeline's last step)."""
    model = search.get_params(deep=False).get("estimator", search)
    steps = getattr(model, "steps", None)
    if steps:
        return f"{type(model).__name__}({type(steps[-1][1]).__name__})"
    return type(model).__name__


def _interval(values, n_train, n_test, confidence):
    ok = values[np.isfinite(values)]
    row = {"mean": np.nan, "std": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    if ok.size >= 2:
        result = corrected_resampled_ttest(ok, n_train, n_test, confidence=confidence)
        row = {key: result[key] for key in row}
    elif ok.size == 1:
        row["mean"] = float(ok[0])
    row["n_folds"] = int(ok.size)
    return row


def _fit_fold(search, X, y, groups, train, test, scorer, params, metrics, own_metric):
    """Fit one fold's search on the outer training part and score it."""
    X_train, y_train = safe_split(search, X, y, train)
    X_test, y_test = safe_split(search, X, y, test, train)
    fit_params = check_method_params(X, params, indices=train)
    if groups is not None:
        fit_params["groups"] = safe_indexing(groups, train)
    start = time.perf_counter()
    search.fit(X_train, y_train, **fit_params)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    try:
        scores = scorer(search, X_test, y_test)
    except AttributeError as exc:  # e.g. a proba metric without predict_proba
        raise ValueError(
            f"The outer scoring failed on the fitted search: {exc}. Choose "
            "scoring metrics the model supports."
        ) from None
    score_time = time.perf_counter() - start
    if not isinstance(scores, dict):
        scores = {metrics[0]: scores}
    metrics = list(scores)  # a callable may return several metrics
    if own_metric:
        outer_score = scores[metrics[0]]
    else:
        try:
            outer_score = search.score(X_test, y_test)
        except (AttributeError, ValueError, TypeError):
            outer_score = np.nan
    return {
        "n_train": len(train),
        "n_test": len(test),
        "fit_time": fit_time,
        "score_time": score_time,
        "test": {m: float(scores[m]) for m in metrics},
        "outer_score": float(outer_score),
        "inner_best_score": float(getattr(search, "best_score_", np.nan)),
        "params": dict(search.best_params_),
        "cv_results": search.cv_results_,
    }


def compare_nested_cv(*results, names=None, metric=None, confidence=0.95):
    """Compare NestedCV results on the same outer splits.

    For every pair of models, the per-fold difference of their outer scores
    is tested with Nadeau and Bengio's corrected resampled t-test (see
    :func:`~sklearn_hpo.report.corrected_resampled_ttest`): pairing by fold
    removes the variation between folds, and the variance correction
    ``(1 / k + n_test / n_train)`` accounts for the overlap of training sets.

    Parameters
    ----------
    *results : NestedCV
        Two or more fitted NestedCV, run on the same data with the same outer
        splits (same ``outer_cv`` and ``random_state``); checked.
    names : list of str, default=None
        Labels of the models; default: the inner estimators' class names
        (numbered when they repeat).
    metric : str, default=None
        Column of ``outer_scores_`` to compare; default: the first column.
    confidence : float, default=0.95
        Level of the intervals.

    Returns
    -------
    DataFrame
        One row per pair ``(model_a, model_b)``: ``mean_diff`` (``a - b``),
        ``std_diff``, ``ci_low``, ``ci_high``, ``t``, ``df``, ``p_value``
        (two-sided) and ``n_folds``.
    """
    if len(results) < 2:
        raise ValueError(
            f"compare_nested_cv needs two or more fitted NestedCV; got {len(results)}."
        )
    for i, result in enumerate(results):
        if not isinstance(result, NestedCV):
            raise TypeError(
                f"compare_nested_cv takes NestedCV objects; argument {i} is a "
                f"{type(result).__name__}."
            )
        check_is_fitted(result, "outer_scores_")
    first = results[0].outer_splits_
    for i, result in enumerate(results[1:], start=1):
        same = len(result.outer_splits_) == len(first) and all(
            np.array_equal(a[1], b[1])
            for a, b in zip(result.outer_splits_, first, strict=True)
        )
        if not same:
            raise ValueError(
                f"Result {i} was run on other outer splits than result 0; the "
                "paired test needs the same splits: use the same outer_cv and "
                "random_state (and data) for every NestedCV."
            )
    if names is None:
        names = [_model_name(r.search) for r in results]
        if len(set(names)) < len(names):
            names = [f"{n} ({i})" for i, n in enumerate(names)]
    elif len(names) != len(results):
        raise ValueError(f"names has {len(names)} labels for {len(results)} results.")
    if metric is None:
        metric = results[0].outer_scores_.columns[0]
    for i, result in enumerate(results):
        if metric not in result.outer_scores_:
            raise ValueError(
                f"metric {metric!r} is not an outer metric of result {i}; "
                f"it has {list(result.outer_scores_.columns)}."
            )
    folds = results[0].fold_results_
    n_train, n_test = float(folds["n_train"].mean()), float(folds["n_test"].mean())
    rows = []
    for a in range(len(results)):
        for b in range(a + 1, len(results)):
            diff = results[a].outer_scores_[metric].to_numpy(dtype=float) - results[
                b
            ].outer_scores_[metric].to_numpy(dtype=float)
            test = corrected_resampled_ttest(
                diff, n_train, n_test, confidence=confidence
            )
            rows.append(
                {
                    "model_a": names[a],
                    "model_b": names[b],
                    "mean_diff": test["mean"],
                    "std_diff": test["std"],
                    "ci_low": test["ci_low"],
                    "ci_high": test["ci_high"],
                    "t": test["t"],
                    "df": test["df"],
                    "p_value": test["p_value"],
                    "n_folds": diff.size,
                }
            )
    frame = pd.DataFrame(rows)
    frame.attrs["metric"] = metric
    return frame
