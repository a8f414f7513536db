"""Per-fold early stopping for LightGBM models and skorch nets.

:class:`EarlyStopping` is an estimator that wraps another one. Each call of
its ``fit`` carves a validation split out of the data it receives and stops
the wrapped model on it. Inside a search, ``fit`` receives only the training
part of a cross-validation split, so the fold's test part is never used to
stop training (LightGBM issues #1044 and #3595; skorch #599, #746 and #837).

The searches of :mod:`sklearn_hpo` recognise the wrapper through a small
plug-in (``_SearchPlugin`` below, see ``search/_base.py``): the scores
computed on each split also carry the split's best iteration, which the
search writes to ``cv_results_`` as ``split{k}_best_iteration``,
``mean_best_iteration`` and ``std_best_iteration``; before the final refit it
sets the wrapper's ``n_iterations`` from the winning candidate's splits
(``refit_rule``).
"""

import math
import numbers
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from sklearn_hpo.integrations import _lightgbm, _skorch
from sklearn_hpo.utils._compat import (
    HasMethods,
    Interval,
    MultimetricScorer,
    StrOptions,
    check_method_params,
    safe_indexing,
)

__all__ = ["EarlyStopping"]

# The cv_results_ column stem of the best iteration.
BEST_ITERATION = "best_iteration"


def _delegates(method):
    """``available_if`` check: the wrapped (fitted) estimator has ``method``."""

    def check(self):
        inner = self.estimator_ if hasattr(self, "estimator_") else self.estimator
        getattr(inner, method)
        return True

    return check


class EarlyStopping(MetaEstimatorMixin, BaseEstimator):
    """Early stopping on a validation split carved from each fit's own data.

    Wrap a LightGBM model (``LGBMClassifier``, ``LGBMRegressor``) or a skorch
    net (``NeuralNetClassifier``, ``NeuralNetRegressor``, ...), or a Pipeline
    that ends with one, and tune it with any search of sklearn-hpo. Each
    ``fit`` splits the data it receives into a training part and a validation
    part of ``validation_fraction`` (stratified for classifiers), trains the
    model on the first and stops it when the second stops improving for
    ``patience`` iterations. In a search, ``fit`` only ever receives the
    training part of a cross-validation split: the split's test part is
    never seen, so the test scores are not biased by the stopping.

    LightGBM gets the validation part as ``eval_set`` with the
    ``lightgbm.early_stopping`` callback; it stops on the model's own metric
    (its ``metric`` parameter or the ``eval_metric`` fit parameter) and
    predicts with its best iteration. A skorch net gets it as
    ``train_split=predefined_split(...)`` (so it never splits the data again
    itself) with a ``skorch.callbacks.EarlyStopping`` on ``valid_loss`` that
    restores the weights of the best epoch. Their ``n_estimators`` and
    ``max_epochs`` are the upper limits: set them high.

    A search records each split's best iteration in ``cv_results_``
    (``split{k}_best_iteration``, ``mean_best_iteration``,
    ``std_best_iteration``) and refits the winner on all the data, without a
    validation split, for a number of iterations derived from its splits
    (``refit_rule``) that it sets as ``n_iterations`` of the wrapper in
    ``best_estimator_``. (Not to be confused with skorch's
    ``skorch.callbacks.EarlyStopping``, which this class uses.)

    Parameters
    ----------
    estimator : estimator object
        A LightGBM model, a skorch net, or a Pipeline whose last step is one
        (its earlier steps are fitted on the training part and transform the
        validation part). Cloned at each fit. Its parameters are tuned as
        ``estimator__<name>`` (``clf__estimator__learning_rate`` when this
        wrapper is the step ``clf`` of a Pipeline).

    validation_fraction : float, default=0.1
        Share of the data ``fit`` receives that is held out to stop on.

    patience : int, default=10
        Stop after this many iterations (boosting rounds, epochs) without
        improvement of the validation metric.

    stratify : bool, default=True
        Stratify the validation split by class for classifiers (falls back
        to a plain random split when a class has a single member).

    refit_rule : {"median", "mean"} or callable, default="median"
        How a search sets ``n_iterations`` for its final refit on all the
        data from the best iterations ``b_1, ..., b_k`` of the winning
        candidate's splits: ``"median"`` gives
        ``ceil(median(b) / (1 - validation_fraction))`` and ``"mean"`` the
        same with the mean. The division gives back the share of the data
        that the validation split took away from training: more data
        supports more iterations. A callable gets the array ``b`` and returns
        the number of iterations as it is. The median is the default because
        one fold that stopped very early or very late does not move it.

    n_iterations : int, default=None
        None: stop early, as described above. An int: no validation split,
        train for exactly this many iterations (``n_estimators`` of LightGBM,
        ``max_epochs`` of skorch) on all the data; a search sets it in
        ``best_estimator_`` for its refit.

    random_state : int, RandomState instance or None, default=None
        Seeds the validation split. With an int every fit on the same data
        holds out the same samples.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.

    best_iteration_ : int
        Iterations (boosting rounds, epochs; 1-based) of the kept model: the
        best one on the validation split, or ``n_iterations`` when set.

    n_train_samples_ : int
        Number of samples the model was trained on (without the validation
        split).

    validation_indices_ : ndarray of int or None
        Positions, in the data ``fit`` received, of the validation samples
        (None when ``n_iterations`` is set).

    classes_ : ndarray
        The class labels (classifiers only).

    n_features_in_ : int
        Number of features seen in ``fit`` (when the model records it).

    feature_names_in_ : ndarray of str
        Names of those features (when the model records them).

    See Also
    --------
    sklearn_hpo.HyperbandSearchCV : with ``resource="n_estimators"`` or
        ``"max_epochs"``, continues LightGBM models and skorch nets without
        this wrapper.

    Examples
    --------
    >>> from lightgbm import LGBMClassifier
    >>> from sklearn.datasets import make_classification
    >>> from sklearn_hpo import SobolSearchCV
    >>> from sklearn_hpo.integrations import EarlyStopping
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> model = EarlyStopping(
    ...     LGBMClassifier(n_estimators=500, verbose=-1, n_jobs=1),
    ...     patience=5,
    ...     random_state=0,
    ... )
    >>> search = SobolSearchCV(
    ...     model,
    ...     {"estimator__learning_rate": [0.05, 0.1, 0.2, 0.3]},
    ...     n_iter=4,
    ...     cv=3,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> [f"split{k}_best_iteration" in search.cv_results_ for k in range(3)]
    [True, True, True]
    >>> search.best_estimator_.n_iterations == search.best_estimator_.best_iteration_
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "stratify": ["boolean"],
        "refit_rule": [StrOptions({"median", "mean"}), callable],
        "n_iterations": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        validation_fraction=0.1,
        patience=10,
        stratify=True,
        refit_rule="median",
        n_iterations=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.stratify = stratify
        self.refit_rule = refit_rule
        self.n_iterations = n_iterations
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def fit(self, X, y=None, **fit_params):
        """Fit the wrapped model, stopping early on a held-out split.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (in a search: the training part of one split). A
            pandas DataFrame keeps its dtypes (categorical columns stay
            categorical in both parts). A dict of arrays for skorch.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        **fit_params : dict
            Passed to the model's ``fit``; those with one value per sample
            (``sample_weight``, LightGBM's ``init_score``) are cut into the
            training and the validation part (LightGBM's
            ``eval_sample_weight``/``eval_init_score``). For a Pipeline,
            write them ``step__param``. ``eval_set`` and the other
            ``eval_*`` parameters are refused: the validation set is made
            here.

        Returns
        -------
        self : object
            The fitted wrapper.
        """
        self._validate_params()
        model = clone(self.estimator)
        final, final_name = _final_step(model)
        backend = _backend(final, self.estimator)
        if self.n_iterations is not None:
            self._fit_fixed(model, final, final_name, backend, X, y, fit_params)
            self.validation_indices_ = None
            self.best_iteration_ = int(self.n_iterations)
            self.n_train_samples_ = _num_samples(X)
        else:
            train, valid = self._split(X, y, final)
            self.best_iteration_ = self._fit_early(
                model, final, final_name, backend, X, y, train, valid, fit_params
            )
            self.validation_indices_ = valid
            self.n_train_samples_ = len(train)
        self.estimator_ = model
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(model, name):
                setattr(self, name, getattr(model, name))
        return self

    def _split(self, X, y, final):
        n = _num_samples(X)
        if n < 2:
            raise ValueError(
                f"EarlyStopping needs at least 2 samples to hold out a "
                f"validation split, got {n}."
            )
        rng = check_random_state(self.random_state)
        kwargs = dict(n_splits=1, test_size=self.validation_fraction, random_state=rng)
        dummy = np.zeros(n)
        if self.stratify and y is not None and is_classifier(final):
            labels = np.asarray(y)
            if labels.ndim == 1:
                _, counts = np.unique(labels, return_counts=True)
                n_valid = math.ceil(self.validation_fraction * n)
                if counts.min() >= 2 and n_valid >= len(counts):
                    splitter = StratifiedShuffleSplit(**kwargs)
                    train, valid = next(splitter.split(dummy, labels))
                    return np.sort(train), np.sort(valid)
        train, valid = next(ShuffleSplit(**kwargs).split(dummy))
        if len(train) == 0:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves no "
                f"training sample out of {n}; lower it."
            )
        return np.sort(train), np.sort(valid)

    def _fit_early(self, model, final, final_name, backend, X, y, train, valid, params):
        X_train, X_valid = _take(X, train), _take(X, valid)
        y_train = None if y is None else safe_indexing(y, train)
        y_valid = None if y is None else safe_indexing(y, valid)
        params_train = check_method_params(X, params=params, indices=train)
        params_valid = check_method_params(X, params=params, indices=valid)
        if final is not model:  # a Pipeline: fit its head on the training part
            head_train, params_train = _split_pipeline_params(params_train, final_name)
            _, params_valid = _split_pipeline_params(params_valid, final_name)
            head = model[:-1]
            X_train = head.fit_transform(X_train, y_train, **head_train)
            X_valid = head.transform(X_valid)
            model.steps[:-1] = head.steps
        return backend.fit_early_stopping(
            final,
            X_train,
            y_train,
            X_valid,
            y_valid,
            params_train,
            params_valid,
            self.patience,
        )

    def _fit_fixed(self, model, final, final_name, backend, X, y, params):
        if final is model:
            backend.fit_fixed(model, X, y, params, self.n_iterations)
            return
        head_params, final_params = _split_pipeline_params(params, final_name)
        head = model[:-1]
        Xt = head.fit_transform(X, y, **head_params)
        model.steps[:-1] = head.steps
        backend.fit_fixed(final, Xt, y, final_params, self.n_iterations)

    def _refit_iterations(self, best_iterations):
        """``n_iterations`` for a refit on all the data (see ``refit_rule``)."""
        b = np.asarray(best_iterations, dtype=np.float64)
        b = b[np.isfinite(b)]
        if b.size == 0:
            return None
        if callable(self.refit_rule):
            n = self.refit_rule(b)
            if isinstance(n, bool) or not isinstance(n, Integral | np.integer) or n < 1:
                raise ValueError(
                    f"refit_rule returned {n!r}; it must return a positive "
                    "integer (the number of iterations of the refit)."
                )
            return int(n)
        center = np.median(b) if self.refit_rule == "median" else np.mean(b)
        return max(1, math.ceil(center / (1.0 - self.validation_fraction) - 1e-9))

    # ------------------------------------------------------------ delegation
    @available_if(_delegates("predict"))
    def predict(self, X, **params):
        """Predict with the fitted model (its best iteration).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **params : dict
            Passed to the model's ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.estimator_.predict(X, **params)

    @available_if(_delegates("predict_proba"))
    def predict_proba(self, X, **params):
        """Class probabilities of the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **params : dict
            Passed to the model's ``predict_proba``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X, **params)

    @available_if(_delegates("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Log of the class probabilities of the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **params : dict
            Passed to the model's ``predict_log_proba``.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X, **params)

    @available_if(_delegates("decision_function"))
    def decision_function(self, X, **params):
        """Decision function of the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **params : dict
            Passed to the model's ``decision_function``.

        Returns
        -------
        scores : ndarray
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(X, **params)

    @available_if(_delegates("transform"))
    def transform(self, X, **params):
        """Transform with the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        **params : dict
            Passed to the model's ``transform``.

        Returns
        -------
        Xt : ndarray
        """
        check_is_fitted(self)
        return self.estimator_.transform(X, **params)

    @available_if(_delegates("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """The fitted model's own ``score``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.
        y : array-like of shape (n_samples,), default=None
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the model's ``score`` when given.
        **params : dict
            Passed to the model's ``score``.

        Returns
        -------
        score : float
        """
        check_is_fitted(self)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self.estimator_.score(X, y, **params)

    @property
    def classes_(self):
        """The class labels of the fitted classifier."""
        check_is_fitted(self)
        return self.estimator_.classes_

    def __sklearn_is_fitted__(self):
        return hasattr(self, "estimator_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.target_tags = inner.target_tags
        tags.input_tags = inner.input_tags
        return tags


# ------------------------------------------------------------------ helpers
def _num_samples(X):
    if isinstance(X, dict):  # skorch takes a dict of arrays
        return len(next(iter(X.values())))
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _take(X, indices):
    """Rows ``indices`` of ``X`` (DataFrames keep their dtypes)."""
    if isinstance(X, dict):
        return {key: safe_indexing(value, indices) for key, value in X.items()}
    return safe_indexing(X, indices)


def _final_step(model):
    """``(final estimator, its step name)``; ``(model, None)`` if no Pipeline."""
    if isinstance(model, Pipeline):
        name, final = model.steps[-1]
        return final, name
    return model, None


def _split_pipeline_params(params, final_name):
    """Pipeline fit parameters ``step__param`` -> ``(head params, final params)``."""
    head, final = {}, {}
    for key, value in params.items():
        step, sep, name = key.partition("__")
        if not sep:
            raise ValueError(
                f"Fit parameter {key!r} of a Pipeline inside EarlyStopping must "
                "be written 'step__param' (e.g. 'clf__sample_weight')."
            )
        if step == final_name:
            final[name] = value
        else:
            head[key] = value
    return head, final


def _backend(final, estimator):
    if _lightgbm.is_lightgbm(final):
        return _lightgbm
    if _skorch.is_skorch(final):
        return _skorch
    raise TypeError(
        f"EarlyStopping supports LightGBM models (LGBMClassifier, "
        f"LGBMRegressor) and skorch nets (NeuralNetClassifier, "
        f"NeuralNetRegressor, ...), alone or as the last step of a Pipeline; "
        f"got {type(estimator).__name__}"
        + (
            f" ending with {type(final).__name__}"
            if final is not estimator and isinstance(estimator, Pipeline)
            else ""
        )
        + ". scikit-learn's own boosting and neural network models stop early "
        "by themselves: set their early_stopping=True (HistGradientBoosting*, "
        "MLP*, SGD*) or n_iter_no_change (GradientBoosting*)."
    )


def _wrappers(estimator):
    """``[(path, EarlyStopping)]`` in ``estimator`` (path "" for itself)."""
    found = []
    if isinstance(estimator, EarlyStopping):
        found.append(("", estimator))
    if hasattr(estimator, "get_params"):
        for path, value in estimator.get_params(deep=True).items():
            if isinstance(value, EarlyStopping):
                found.append((path, value))
    return found


def _column_name(path, n_wrappers):
    """The cv_results_ stem of a wrapper's best iteration."""
    if n_wrappers == 1 or not path:
        return BEST_ITERATION
    return f"{path}__{BEST_ITERATION}"


# ------------------------------------------------------- the search plug-in
class _SplitScore(float):
    """A score that also carries values read off the fitted estimator.

    It is a float everywhere (means, ranks, comparisons); only the search
    plug-in reads ``hpo_values``. It travels back from joblib workers with
    the rest of ``_fit_and_score``'s output.
    """

    def __new__(cls, score, values):
        obj = super().__new__(cls, score)
        obj.hpo_values = values
        return obj

    def __reduce__(self):
        return (_SplitScore, (float(self), self.hpo_values))


def _read_values(estimator):
    """``{column stem: best iteration}`` of the wrappers in a fitted estimator."""
    wrappers = _wrappers(estimator)
    return {
        _column_name(path, len(wrappers)): float(wrapper.best_iteration_)
        for path, wrapper in wrappers
        if hasattr(wrapper, "best_iteration_")
    }


def _attach(scores, estimator):
    values = _read_values(estimator)
    if not values:
        return scores
    if isinstance(scores, dict):
        scores = dict(scores)
        for key, value in scores.items():
            if isinstance(value, numbers.Number) and not isinstance(value, bool):
                scores[key] = _SplitScore(value, values)
                break
        return scores
    if isinstance(scores, numbers.Number) and not isinstance(scores, bool):
        return _SplitScore(scores, values)
    return scores


class _ScorerWithValues:
    """A single scorer (or a callable returning a dict) plus the values."""

    def __init__(self, scorer):
        self.scorer = scorer

    def __call__(self, estimator, *args, **kwargs):
        return _attach(self.scorer(estimator, *args, **kwargs), estimator)

    def __getattr__(self, name):
        if name == "scorer" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.scorer, name)

    def __repr__(self):
        return repr(self.scorer)


class _MultimetricWithValues(MultimetricScorer):
    """scikit-learn's multimetric scorer plus the values (on the first)."""

    def __call__(self, estimator, *args, **kwargs):
        return _attach(super().__call__(estimator, *args, **kwargs), estimator)


def _values_of(out):
    for key in ("test_scores", "train_scores"):
        scores = out.get(key)
        if isinstance(scores, dict):
            scores = next(iter(scores.values()), None)
        values = getattr(scores, "hpo_values", None)
        if values is not None:
            return values
    return {}


class _SearchPlugin:
    """What a search does for EarlyStopping (see ``search/_base.py``)."""

    def wrap_scorers(self, scorers):
        if isinstance(scorers, MultimetricScorer):
            return _MultimetricWithValues(
                scorers=scorers._scorers, raise_exc=scorers._raise_exc
            )
        return _ScorerWithValues(scorers)

    def unwrap_scorers(self, scorer):
        return scorer.scorer if isinstance(scorer, _ScorerWithValues) else scorer

    def split_columns(self, out, n_splits):
        """``split{k}_<stem>``, ``mean_<stem>``, ``std_<stem>`` per stem."""
        per_fit = [_values_of(o) for o in out]
        stems = list(dict.fromkeys(stem for v in per_fit for stem in v))
        n_candidates = len(out) // n_splits
        columns = {}
        for stem in stems:
            values = np.array(
                [v.get(stem, np.nan) for v in per_fit], dtype=np.float64
            ).reshape(n_candidates, n_splits)
            for k in range(n_splits):
                columns[f"split{k}_{stem}"] = values[:, k]
            with np.errstate(invalid="ignore"):
                columns[f"mean_{stem}"] = values.mean(axis=1)
                columns[f"std_{stem}"] = values.std(axis=1)
        return columns

    def prepare_refit(self, search, estimator):
        """Set ``n_iterations`` of the wrappers of the estimator to refit."""
        results = search.__dict__.get("_hpo_results")
        if results is None:
            return
        index = search.best_index_
        wrappers = _wrappers(estimator)
        for path, wrapper in wrappers:
            if wrapper.n_iterations is not None:
                continue
            stem = _column_name(path, len(wrappers))
            best, k = [], 0
            while f"split{k}_{stem}" in results:
                best.append(results[f"split{k}_{stem}"][index])
                k += 1
            n = wrapper._refit_iterations(best)
            if n is not None:
                wrapper.set_params(n_iterations=n)


EarlyStopping._hpo_search_plugin = _SearchPlugin()
