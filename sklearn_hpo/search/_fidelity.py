"""Resources for multi-fidelity search: subsampling, continuation, one fit task.

A *resource* is what a rung of successive halving gives a candidate more of:
the number of training samples (``"n_samples"``) or an integer parameter of
the estimator (``n_estimators``, ``max_iter``, ``max_epochs``, a pipeline
step's ``step__param``). When the resource is a parameter and the estimator
can continue training, a promoted candidate continues the model each split
fitted at the previous rung instead of starting over:

==============  ==========================================================
strategy        estimators and how they continue
==============  ==========================================================
``warm_start``  parameter ``n_estimators`` of an estimator with
                ``warm_start`` (RandomForest*, ExtraTrees*,
                GradientBoosting*, Bagging*, IsolationForest), and
                ``max_iter`` of HistGradientBoosting*: ``warm_start=True``
                and a larger resource, then ``fit`` adds what is missing.
                The result equals a model fitted with the larger resource
                from scratch (same ``random_state``).
``partial_fit`` ``max_iter``, ``max_epochs``, ``n_iter`` or ``epochs`` of an
                estimator with ``partial_fit`` (SGD*, Perceptron,
                PassiveAggressive*, MLP* with solver "sgd"/"adam"), as the
                estimator itself or the last step of a Pipeline: a rung of
                resource ``r`` is exactly ``r`` calls of ``partial_fit``
                (epochs), the earlier steps fitted once per split.
``skorch``      ``max_epochs`` of a skorch net: ``partial_fit(epochs=...)``.
``lightgbm``    ``n_estimators`` of a LightGBM model: ``fit`` with
                ``init_model`` set to the previous booster.
==============  ==========================================================

Any other estimator is refitted from scratch at every rung. The fitted
per-split models travel with the tasks (to the worker and back), so this
works with every joblib backend; nothing is kept in worker memory.
"""

import functools

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.pipeline import Pipeline

from sklearn_hpo.search._executor import can_interrupt, fit_with_alarm
from sklearn_hpo.utils._compat import fit_and_score

__all__ = [
    "N_SAMPLES",
    "continuation_strategy",
    "nested_subsample_order",
    "resource_owner",
    "run_fit_task",
]

N_SAMPLES = "n_samples"
_EPOCH_PARAMS = ("max_iter", "max_epochs", "n_iter", "epochs")


def resource_owner(estimator, resource):
    """``(owner, prefix, name)`` of a parameter path such as ``clf__n_estimators``.

    ``owner`` is the (sub-)estimator that has the parameter ``name``;
    ``prefix`` is the path to it ("" for the estimator itself).
    """
    prefix, _, name = resource.rpartition("__")
    owner = estimator.get_params(deep=True)[prefix] if prefix else estimator
    return owner, prefix, name


def _final_step_path(estimator, prefix):
    """True if ``prefix`` is "" or the path of a Pipeline's last step."""
    if not prefix:
        return True
    return (
        isinstance(estimator, Pipeline)
        and "__" not in prefix
        and estimator.steps[-1][0] == prefix
    )


def continuation_strategy(estimator, resource):
    """How ``estimator`` (with a candidate's parameters) continues; None: refit.

    See the module docstring for the table of strategies.
    """
    if resource == N_SAMPLES:
        return None
    owner, prefix, name = resource_owner(estimator, resource)
    module = type(owner).__module__
    final = _final_step_path(estimator, prefix)
    if module.startswith("lightgbm") and name == "n_estimators" and final:
        return "lightgbm"
    if module.startswith("skorch") and name == "max_epochs" and final:
        return "skorch"
    params = owner.get_params(deep=False)
    if "warm_start" in params:
        if name == "n_estimators":
            return "warm_start"
        if name == "max_iter" and type(owner).__name__.startswith(
            "HistGradientBoosting"
        ):
            return "warm_start"
    if name in _EPOCH_PARAMS and final and hasattr(owner, "partial_fit"):
        return "partial_fit"
    return None


def prepare_model(base_estimator, resource, strategy):
    """A fresh clone ready for ``strategy`` (``warm_start=True`` if needed)."""
    model = clone(base_estimator)
    if strategy == "warm_start":
        prefix = resource.rpartition("__")[0]
        model.set_params(**{f"{prefix}__warm_start" if prefix else "warm_start": True})
    return model


# ------------------------------------------------------------ continuation
def _head_and_final(model, X, y, fresh):
    """``(final estimator, its input)``: a Pipeline's earlier steps fitted
    once per split (when ``fresh``) and reused afterwards."""
    if not isinstance(model, Pipeline):
        return model, X
    head, final = model[:-1], model.steps[-1][1]
    Xt = head.fit_transform(X, y) if fresh else head.transform(X)
    return final, Xt


def _partial_fit_more(model, X, y=None, *, done, target, classes, **fit_params):
    """``target - done`` epochs of ``partial_fit`` (the first one with classes)."""
    final, Xt = _head_and_final(model, X, y, fresh=done == 0)
    kwargs = dict(fit_params) if final is model else {}
    for epoch in range(done, target):
        if epoch == 0 and classes is not None:
            final.partial_fit(Xt, y, classes=classes, **kwargs)
        else:
            final.partial_fit(Xt, y, **kwargs)
    return model


def _skorch_more(model, X, y=None, *, done, target, classes, **fit_params):
    if done == 0:
        return type(model).fit(model, X, y, **fit_params)
    final, Xt = _head_and_final(model, X, y, fresh=False)
    kwargs = dict(fit_params) if final is model else {}
    final.partial_fit(Xt, y, epochs=target - done, **kwargs)
    return model


def _lightgbm_more(model, X, y=None, *, done, target, classes, **fit_params):
    if done == 0:
        return type(model).fit(model, X, y, **fit_params)
    final = model.steps[-1][1] if isinstance(model, Pipeline) else model
    key = (
        f"{model.steps[-1][0]}__init_model"
        if isinstance(model, Pipeline)
        else "init_model"
    )
    booster = final.booster_
    final.set_params(n_estimators=target - done)
    try:
        type(model).fit(model, X, y, **{key: booster}, **fit_params)
    finally:
        final.set_params(n_estimators=target)
    return model


_CONTINUE = {
    "partial_fit": _partial_fit_more,
    "skorch": _skorch_more,
    "lightgbm": _lightgbm_more,
}


def run_fit_task(
    model,
    X,
    y,
    *,
    train,
    test,
    parameters,
    strategy,
    done,
    target,
    classes,
    fit_and_score_kwargs,
    timeout=None,
):
    """Fit and score one candidate on one split at one rung (runs in a worker).

    ``model`` is a fresh clone (``done == 0``) or the model this candidate
    fitted on this split at the previous rung (``done`` resource units
    trained); ``target`` is the rung's resource. The scoring, timing and
    ``error_score`` handling are scikit-learn's own ``_fit_and_score``.

    Returns
    -------
    out : dict
        What ``_fit_and_score`` returns inside scikit-learn's searches.
    model : estimator or None
        The fitted model to continue at the next rung (None if the fit
        failed or the strategy cannot continue).
    """
    continue_fit = _CONTINUE.get(strategy)
    fit = None
    if continue_fit is not None:
        fit = functools.partial(
            continue_fit, model, done=done, target=target, classes=classes
        )
    if timeout is not None and can_interrupt():
        fit = functools.partial(
            fit_with_alarm, fit or functools.partial(type(model).fit, model), timeout
        )
    if fit is not None:
        # ``_fit_and_score`` calls ``model.fit``: an instance attribute
        # shadows the method for this one call.
        model.fit = fit
    try:
        out = fit_and_score(
            model,
            X,
            y,
            train=train,
            test=test,
            parameters=parameters,
            return_estimator=strategy is not None,
            **fit_and_score_kwargs,
        )
    finally:
        model.__dict__.pop("fit", None)
    fitted = out.pop("estimator", None)
    if out.get("fit_error") is not None:
        fitted = None
    return out, fitted


def classes_for(estimator, resource, y):
    """The class labels a first ``partial_fit`` needs (None for regressors)."""
    if y is None:
        return None
    owner = resource_owner(estimator, resource)[0]
    if not is_classifier(owner):
        return None
    return np.unique(np.asarray(y))


# --------------------------------------------------------------- subsampling
def nested_subsample_order(train, y, rng, stratify):
    """An order of ``train`` whose every prefix is a (near-)stratified sample.

    The first ``r`` indices of the result are the training subsample of
    resource ``r``: the samples of a rung include those of the rung below.
    With ``stratify``, each class is shuffled and its members are spread
    evenly along the order, so that any prefix holds the classes in
    proportion (within one sample per class).
    """
    train = np.asarray(train)
    perm = rng.permutation(len(train))
    labels = None if y is None else np.asarray(y)[train][perm]
    if not stratify or labels is None or labels.ndim != 1:
        return train[perm]
    _, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    codes = codes.reshape(-1)
    # position of each sample within its (shuffled) class
    order = np.argsort(codes, kind="stable")
    within = np.empty(len(codes), dtype=np.float64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    within[order] = np.arange(len(codes)) - np.repeat(starts, counts)
    offset = rng.random(len(counts))
    key = (within + offset[codes]) / counts[codes]
    return train[perm][np.argsort(key, kind="stable")]
