"""LightGBM behind :class:`~sklearn_hpo.integrations.EarlyStopping`.

``lightgbm`` is imported when a model is fitted, never at import time.
"""

import inspect

__all__ = ["fit_early_stopping", "fit_fixed", "is_lightgbm"]

# Fit parameters that name a validation set: EarlyStopping makes its own.
_EVAL_PARAMS = (
    "eval_set",
    "eval_X",
    "eval_y",
    "eval_names",
    "eval_sample_weight",
    "eval_init_score",
    "eval_class_weight",
    "eval_group",
)
# Sample-aligned fit parameters and the eval_* parameter of their validation
# part.
_ALIGNED = {"sample_weight": "eval_sample_weight", "init_score": "eval_init_score"}


def is_lightgbm(estimator):
    """True for a LightGBM scikit-learn model (or a subclass of one)."""
    return any(
        (cls.__module__ or "").partition(".")[0] == "lightgbm"
        for cls in type(estimator).__mro__
    )


def check_supported(model):
    if any(cls.__name__ == "LGBMRanker" for cls in type(model).__mro__):
        raise TypeError(
            "EarlyStopping does not support LGBMRanker: a validation split of a "
            "ranking task must keep each query whole. Pass eval_set and "
            "lightgbm.early_stopping to LGBMRanker.fit yourself."
        )


def fit_early_stopping(
    model, X_train, y_train, X_valid, y_valid, params_train, params_valid, patience
):
    """Fit ``model`` on the training part, stopping on the validation part.

    Returns the best iteration (number of boosting rounds of the kept model).
    """
    import lightgbm

    check_supported(model)
    given = sorted(set(_EVAL_PARAMS) & set(params_train))
    if given:
        raise ValueError(
            f"EarlyStopping carves the validation set out of the training data "
            f"itself; do not pass the fit parameters {given}. The validation "
            "metric is the model's own (set it with the LightGBM parameter "
            "'metric' or the fit parameter 'eval_metric')."
        )
    kwargs = dict(params_train)
    for name, eval_name in _ALIGNED.items():
        if params_valid.get(name) is not None:
            kwargs[eval_name] = [params_valid[name]]
    callbacks = list(kwargs.pop("callbacks", None) or [])
    callbacks.append(lightgbm.early_stopping(patience, verbose=False))
    if "eval_X" in inspect.signature(lightgbm.LGBMModel.fit).parameters:  # >= 4.7
        kwargs.update(eval_X=(X_valid,), eval_y=(y_valid,))
    else:
        kwargs.update(eval_set=[(X_valid, y_valid)])
    model.fit(X_train, y_train, callbacks=callbacks, **kwargs)
    best = int(model.best_iteration_ or 0)
    return best if best > 0 else int(model.n_estimators)


def fit_fixed(model, X, y, params, n_iterations):
    """Fit ``model`` for exactly ``n_iterations`` rounds on all of ``X``."""
    check_supported(model)
    model.set_params(n_estimators=n_iterations)
    model.fit(X, y, **params)
