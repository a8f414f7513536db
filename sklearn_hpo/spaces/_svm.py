"""Spaces for kernel support-vector machines: SVC and SVR."""

from sklearn_hpo.space import Integer, Real
from sklearn_hpo.spaces._common import check_choice, prefixed

__all__ = ["svc", "svr"]

_KERNELS = ("rbf", "linear", "poly", "sigmoid")


def _kernel_space(kernel, owner):
    check_choice(kernel, "kernel", _KERNELS, owner)
    # C in [2^-5, 2^15] and gamma in [2^-15, 2^3]: Hsu, Chang and Lin's grid
    space = {"kernel": [kernel], "C": Real(2.0**-5, 2.0**15, prior="log-uniform")}
    if kernel != "linear":
        space["gamma"] = Real(2.0**-15, 2.0**3, prior="log-uniform")
    if kernel == "poly":
        space["degree"] = Integer(2, 5)
    if kernel in ("poly", "sigmoid"):
        space["coef0"] = Real(-1.0, 1.0)
    return space


def svc(prefix="", *, kernel="rbf"):
    """A search space for :class:`~sklearn.svm.SVC`.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    kernel             ``kernel`` (fixed)
    C                  2^-5 .. 2^15             log-uniform
    gamma              2^-15 .. 2^3             log-uniform (not "linear")
    degree             2 .. 5                   uniform ("poly")
    coef0              -1 .. 1                  uniform ("poly", "sigmoid")
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="svc__"``).
    kernel : {"rbf", "linear", "poly", "sigmoid"}, default="rbf"
        The kernel; the space holds the parameters that act with it.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real`,
        :class:`~sklearn_hpo.space.Integer` or lists of values, usable by
        every search class.

    See Also
    --------
    svr : The same ranges for support-vector regression.

    Notes
    -----
    Hsu, Chang and Lin's practical guide to LIBSVM (the library behind
    scikit-learn's SVMs) recommends searching ``C`` over ``2^-5 .. 2^15``
    and the RBF ``gamma`` over ``2^-15 .. 2^3``, on a log scale;
    auto-sklearn (Feurer et al., 2015) uses the same ranges, with the
    polynomial degree in 2 .. 5 (as Probst, Boulesteix and Bischl, 2019) and
    ``coef0`` in -1 .. 1. van Rijn and Hutter (2018) found ``gamma``, then
    ``C``, to be the hyperparameters that matter most for the RBF kernel.

    The kernel is fixed in the space (a list of one value) so that
    ``gamma``, ``degree`` and ``coef0`` appear only where they act; to
    search several kernels pass a list of spaces,
    ``[spaces.svc(kernel="rbf"), spaces.svc(kernel="poly")]``.

    Scale the features first (a ``StandardScaler`` in a Pipeline). Fits
    with a large ``C`` need more solver iterations, notably on data that are
    hard to separate.

    References
    ----------
    C.-W. Hsu, C.-C. Chang and C.-J. Lin (2003), "A practical guide to
    support vector classification", National Taiwan University.

    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    J. N. van Rijn and F. Hutter (2018), "Hyperparameter importance across
    datasets", KDD.

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> space = spaces.svc(prefix="svc__")
    >>> sorted(space)
    ['svc__C', 'svc__gamma', 'svc__kernel']
    >>> space["svc__C"]
    Real(0.03125, 32768.0, prior='log-uniform')
    >>> sorted(spaces.svc(kernel="poly"))
    ['C', 'coef0', 'degree', 'gamma', 'kernel']
    """
    return prefixed(_kernel_space(kernel, "spaces.svc"), prefix, "spaces.svc")


def svr(prefix="", *, kernel="rbf"):
    """A search space for :class:`~sklearn.svm.SVR`.

    ================== ======================== =================
    parameter          values                   prior
    ================== ======================== =================
    kernel             ``kernel`` (fixed)
    C                  2^-5 .. 2^15             log-uniform
    gamma              2^-15 .. 2^3             log-uniform (not "linear")
    degree             2 .. 5                   uniform ("poly")
    coef0              -1 .. 1                  uniform ("poly", "sigmoid")
    epsilon            0.001 .. 1               log-uniform
    ================== ======================== =================

    Parameters
    ----------
    prefix : str, default=""
        Put in front of every name, for a step of a Pipeline
        (``prefix="svr__"``).
    kernel : {"rbf", "linear", "poly", "sigmoid"}, default="rbf"
        The kernel; the space holds the parameters that act with it.

    Returns
    -------
    dict
        Parameter names mapped to :class:`~sklearn_hpo.space.Real`,
        :class:`~sklearn_hpo.space.Integer` or lists of values, usable by
        every search class.

    See Also
    --------
    svc : The kernel parameters and where their ranges come from.

    Notes
    -----
    ``C``, ``gamma``, ``degree`` and ``coef0`` are searched as in
    :func:`svc` (Hsu, Chang and Lin's ranges, also auto-sklearn's).
    ``epsilon``, the half-width of the tube inside which errors cost
    nothing, is searched over auto-sklearn's range 0.001 .. 1 on a log
    scale. It is in the units of the target: standardize the target (for
    example with :class:`~sklearn.compose.TransformedTargetRegressor`), or
    the range may be too narrow or too wide. Scale the features first.

    References
    ----------
    C.-W. Hsu, C.-C. Chang and C.-J. Lin (2003), "A practical guide to
    support vector classification", National Taiwan University.

    M. Feurer et al. (2015), "Efficient and robust automated machine
    learning", NeurIPS (auto-sklearn).

    Examples
    --------
    >>> from sklearn_hpo import spaces
    >>> sorted(spaces.svr())
    ['C', 'epsilon', 'gamma', 'kernel']
    """
    space = _kernel_space(kernel, "spaces.svr")
    space["epsilon"] = Real(1e-3, 1.0, prior="log-uniform")
    return prefixed(space, prefix, "spaces.svr")
