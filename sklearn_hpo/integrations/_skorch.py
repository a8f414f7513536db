"""skorch nets behind :class:`~sklearn_hpo.integrations.EarlyStopping`.

``skorch`` and ``torch`` are imported when a net is fitted, never at import
time.
"""

__all__ = ["fit_early_stopping", "fit_fixed", "is_skorch"]

# The name of the early-stopping callback EarlyStopping adds to the net.
CALLBACK_NAME = "sklearn_hpo_early_stopping"


def is_skorch(estimator):
    """True for a skorch net (NeuralNet and its subclasses)."""
    return any(
        (cls.__module__ or "").partition(".")[0] == "skorch"
        for cls in type(estimator).__mro__
    )


def _user_callbacks(net):
    callbacks = net.callbacks
    if callbacks is None or isinstance(callbacks, str):  # "disable"
        return []
    return list(callbacks)


def fit_early_stopping(
    net, X_train, y_train, X_valid, y_valid, params_train, params_valid, patience
):
    """Fit ``net`` on the training part, validated on the validation part.

    The net's own ``train_split`` is replaced by the validation part
    (``skorch.helper.predefined_split``), so the net never splits the data a
    second time; a ``skorch.callbacks.EarlyStopping`` on ``valid_loss`` with
    ``load_best=True`` stops it and restores the weights of the best epoch.
    Returns that epoch (1-based).
    """
    from skorch.callbacks import EarlyStopping
    from skorch.helper import predefined_split

    stopper = EarlyStopping(monitor="valid_loss", patience=patience, load_best=True)
    net.set_params(
        train_split=predefined_split(net.get_dataset(X_valid, y_valid)),
        callbacks=[*_user_callbacks(net), (CALLBACK_NAME, stopper)],
    )
    net.fit(X_train, y_train, **params_train)
    fitted = dict(net.callbacks_)[CALLBACK_NAME]
    best = int(getattr(fitted, "best_epoch_", 0) or 0)
    return best if best > 0 else len(net.history)


def fit_fixed(net, X, y, params, n_iterations):
    """Fit ``net`` for exactly ``n_iterations`` epochs on all of ``X``."""
    net.set_params(max_epochs=n_iterations, train_split=None)
    net.fit(X, y, **params)
