"""Spaces for neural networks: scikit-learn's MLP and skorch nets."""

from collections.abc import Mapping

from sklearn_hpo.space import Integer, Real
from sklearn_hpo.spaces._common import check_choice, prefixed, size_spec

__all__ = ["mlp", "skorch_net"]

# 1 or 2 hidden layers of 32 .. 256 units
_LAYERS = [(w,) * depth for depth in (1, 2) for w in (32, 64, 128, 256)]


def mlp(prefix="", *, hidden_layer_sizes=None, max_iter=None):
    """A search space for ``MLPClassifier`` and ``MLPRegressor``.

    ==================== =============================== =================
    parameter            values                          prior
    ==================== =============================== =================
    hidden_layer_sizes   1 or 2 layers of 32, 64,
                         128 or 256 units (8 choices)
    activation           "relu", "tanh"
    alpha                1e-7 .. 0.1                     log-uniform
    learning_rate_init   1e-4 .. 0.1                     log-uniform
    max_iter             left out by default (see below)
    ==================== =============================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="mlp__"``).
    hidden_layer_sizes : list of tuples, default=None
        The architectures to choose from; None gives the eight above.
    max_iter : None, int, (low, high) or dimension, default=None
        The number of epochs. None leaves it out of the space: the
        estimator's own value (200) is an upper bound, since the solver stops
        when the loss stops improving; or make it the resource of
        :class:`~sklearn_hpo.HyperbandSearchCV` (which continues the nets
        with ``partial_fit``). A pair is a log-uniform integer range, an int
        a fixed value.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real` or lists
        of values, usable by every search class.

    Notes
    -----
    The space follows auto-sklearn's MLP component (Feurer et al., 2015,
    and its later releases): 1 to 3 hidden layers of 16 to 264 units (log
    scale), ReLU or tanh, the L2 penalty ``alpha`` over 1e-7 .. 0.1 and the
    Adam step ``learning_rate_init`` on a log scale. Here the architectures
    are a list of eight (one or two layers of equal width, a power of two),
    which a model-based search handles as one categorical dimension, and the
    step stops at 0.1 (auto-sklearn goes to 0.5, where Adam often diverges
    on wide nets); Adam's usual 1e-3 sits in the middle of the log range.
    Bengio (2012) advises searching the learning rate on a log scale and
    considers it the most important hyperparameter of a neural net.
    Scale the features first.

    References
    ----------
    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    Y. Bengio (2012), "Practical recommendations for gradient-based training
    of deep architectures", in Neural Networks: Tricks of the Trade.

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> sorted(spaces.mlp())
    ['activation', 'alpha', 'hidden_layer_sizes', 'learning_rate_init']
    >>> spaces.mlp()["hidden_layer_sizes"][:2]
    [(32,), (64,)]
    """
    owner = "spaces.mlp"
    if hidden_layer_sizes is None:
        layers = list(_LAYERS)
    else:
        layers = list(hidden_layer_sizes)
        if not layers:
            raise ValueError(f"{owner}: hidden_layer_sizes must not be empty.")
    space = {
        "hidden_layer_sizes": layers,
        "activation": ["relu", "tanh"],
        "alpha": Real(1e-7, 0.1, prior="log-uniform"),
        "learning_rate_init": Real(1e-4, 0.1, prior="log-uniform"),
    }
    iters = size_spec(max_iter, "max_iter", owner)
    if iters is not None:
        space["max_iter"] = iters
    return prefixed(space, prefix, owner)


# the parameters of skorch's documented example module (MyModule /
# ClassifierModule: num_units and dropout)
_MODULE_DEFAULTS = {
    "num_units": Integer(16, 512, prior="log-uniform"),
    "dropout": Real(0.0, 0.5),
}
_OPTIMIZERS = ("adam", "sgd")


def skorch_net(
    prefix="",
    *,
    optimizer="adam",
    max_epochs=(10, 100),
    batch_size=(32, 64, 128, 256),
    module_params=None,
):
    """A search space for skorch's ``NeuralNetClassifier``/``NeuralNetRegressor``.

    ============================ ===================== =================
    parameter                    values                prior
    ============================ ===================== =================
    lr                           1e-4 .. 0.1 (Adam),   log-uniform
                                 1e-3 .. 0.5 (SGD)
    optimizer__weight_decay      1e-6 .. 0.01          log-uniform
    optimizer__momentum          0.5 .. 0.99           uniform (SGD only)
    max_epochs                   10 .. 100             log-uniform
    batch_size                   32, 64, 128, 256
    module__num_units            16 .. 512             log-uniform
    module__dropout              0 .. 0.5              uniform
    ============================ ===================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="net__"``).
    optimizer : {"adam", "sgd"}, default="adam"
        Which optimizer the net is given (``optimizer=torch.optim.Adam`` or
        ``torch.optim.SGD`` on the net; skorch's default is SGD). It sets the
        range of the learning rate and whether the momentum is searched. The
        space does not set the optimizer itself (that would import torch).
    max_epochs : None, int, (low, high) or dimension, default=(10, 100)
        The number of epochs. None leaves it out of the space, for when it is
        the resource of :class:`~sklearn_hpo.HyperbandSearchCV` or when an
        early-stopping callback ends training; an int fixes it.
    batch_size : sequence of int, or None, default=(32, 64, 128, 256)
        The batch sizes to choose from; None leaves it out.
    module_params : dict, default=None
        The ``module__*`` parameters: names of arguments of the module's
        ``__init__`` (without the ``module__`` prefix) mapped to anything a
        search space accepts. None gives ``num_units`` (16 .. 512, log scale)
        and ``dropout`` (0 .. 0.5), the arguments of the example modules of
        skorch's documentation; ``{}`` searches none.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real`,
        :class:`~sklearn_hpo.space.Integer` or lists of values, usable by
        every search class.

    Notes
    -----
    Assumptions about the net: its optimizer takes ``weight_decay`` (every
    optimizer of ``torch.optim`` does) and, with ``optimizer="sgd"``,
    ``momentum``; its module's ``__init__`` takes the arguments of
    ``module_params``, by default ``num_units`` (the width of the hidden
    layers) and ``dropout`` (a probability). A module with other arguments
    needs its own ``module_params``, such as
    ``{"hidden_dim": (16, 512, "log-uniform"), "n_layers": (1, 4)}``.

    Where the ranges come from: Bengio (2012) advises searching the learning
    rate on a log scale, below 1, as the hyperparameter that matters most;
    Adam's usual step, 1e-3 (Kingma and Ba, 2015), and SGD's, about 0.01 to
    0.1, sit inside the two ranges. The architecture and penalty ranges
    follow auto-sklearn's MLP (Feurer et al., 2015): widths of 16 to a few
    hundred units on a log scale, a small L2 penalty on a log scale. Dropout
    up to 0.5 is the range of Srivastava et al. (2014), whose usual value
    for hidden units is 0.5. Bengio (2012) calls a batch of 32 a good
    default among sizes from one to a few hundred.

    References
    ----------
    Y. Bengio (2012), "Practical recommendations for gradient-based training
    of deep architectures", in Neural Networks: Tricks of the Trade.

    D. P. Kingma and J. Ba (2015), "Adam: a method for stochastic
    optimization", ICLR.

    N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever and
    R. Salakhutdinov (2014), "Dropout: a simple way to prevent neural
    networks from overfitting", JMLR 15.

    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> sorted(spaces.skorch_net(max_epochs=None))  # doctest: +NORMALIZE_WHITESPACE
    ['batch_size', 'lr', 'module__dropout', 'module__num_units',
     'optimizer__weight_decay']
    >>> sorted(spaces.skorch_net(module_params={"hidden": [32, 64]}, batch_size=None))
    ['lr', 'max_epochs', 'module__hidden', 'optimizer__weight_decay']
    """
    owner = "spaces.skorch_net"
    check_choice(optimizer, "optimizer", _OPTIMIZERS, owner)
    if optimizer == "adam":
        space = {"lr": Real(1e-4, 0.1, prior="log-uniform")}
    else:
        space = {"lr": Real(1e-3, 0.5, prior="log-uniform")}
    space["optimizer__weight_decay"] = Real(1e-6, 1e-2, prior="log-uniform")
    if optimizer == "sgd":
        space["optimizer__momentum"] = Real(0.5, 0.99)
    epochs = size_spec(max_epochs, "max_epochs", owner)
    if epochs is not None:
        space["max_epochs"] = epochs
    if batch_size is not None:
        sizes = list(batch_size)
        if not sizes:
            raise ValueError(f"{owner}: batch_size must not be empty; use None.")
        space["batch_size"] = sizes
    if module_params is None:
        module_params = _MODULE_DEFAULTS
    if not isinstance(module_params, Mapping):
        raise TypeError(
            f"{owner}: module_params must be a dict of module argument names "
            f"to values or ranges, got {module_params!r}."
        )
    for name, spec in module_params.items():
        key = name if name.startswith("module__") else f"module__{name}"
        space[key] = spec
    return prefixed(space, prefix, owner)
