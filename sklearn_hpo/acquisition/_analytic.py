"""Analytic acquisition functions: pure functions of a Gaussian posterior.

Notation
--------
mean : array of shape (...)
    Posterior mean ``mu(x)`` of the objective at each candidate (to maximize).
var : array of shape (...), broadcastable with ``mean``
    Posterior variance ``sigma(x)^2``. It is clipped below at
    ``VAR_FLOOR = 1e-12`` (``sigma >= 1e-6``), so that ``var = 0`` (an
    observed point) or a slightly negative variance from round-off gives
    finite values. The floor is absolute: it assumes outputs on a
    standardized scale, as the GP fits them (BoTorch clamps at the same
    1e-12; Optuna adds it to the variance).
best : float or array broadcastable with ``mean``
    The incumbent ``y*``, the best value observed so far.
beta : float or array broadcastable with ``mean``
    The exploration weight of the confidence bounds.

Every function broadcasts its arguments together and returns an array of
the broadcast shape (a numpy scalar when all arguments are scalars). With
``return_grad=True`` it returns ``(value, d value / d mean, d value / d var)``,
each of that shape: the elementwise partial derivatives. Below the variance
floor the value does not depend on ``var``, so its derivative there is 0.
Inputs are never modified.

Formulas
--------
With ``sigma = sqrt(max(var, VAR_FLOOR))``, ``z = (mean - best) / sigma``, and
``phi``, ``Phi`` the standard normal density and distribution function::

    EI     = E[max(f - best, 0)] = sigma h(z),   h(z) = phi(z) + z Phi(z)
    log EI = log h(z) + log sigma
    PI     = P(f > best) = Phi(z)
    UCB    = mean + beta sigma,   LCB = mean - beta sigma

Derivatives follow from ``dz/dmean = 1 / sigma``, ``dz/dvar = -z / (2 var)``,
``h'(z) = Phi(z)`` and ``1 - z Phi(z) / h(z) = phi(z) / h(z)``::

    d log EI / dmean = Phi(z) / (sigma h(z))
    d log EI / dvar  = phi(z) / (2 var h(z))
    d EI / dmean     = Phi(z),              d EI / dvar = phi(z) / (2 sigma)
    d log PI / dmean = phi(z) / (sigma Phi(z))
    d log PI / dvar  = -z phi(z) / (2 var Phi(z))

Stable log h
------------
``h(z)`` underflows for ``z`` below about -38 and ``phi + z Phi`` cancels
catastrophically well before that, so ``log h`` is computed in three pieces
(``t = -z``)::

    z > -1:        log(phi(z) + z Phi(z))     (cancels by a factor 3 at most)
    -50 < z <= -1: log phi(z) + log(1 - R(t)),
                   R(t) = t Phi(-t) / phi(t) = sqrt(pi / 2) t erfcx(t / sqrt 2)
    z <= -50:      log phi(z) - 2 log t + log1p(-3u + 15u^2 - ... + 135135u^6),
                   u = 1 / t^2   (the asymptotic series of 1 - R)

``log(1 - R)`` is a careful ``log1mexp(log R)``. Its absolute error grows
like ``eps t^2`` (``1 - R ~ 1 / t^2`` is the difference of two numbers near
1), which is why the series takes over at ``t = 50``, where its truncation
error (``2027025 u^7``) is below ``1e-17``. Beyond ``t ~ 1 / sqrt(eps)`` the
series reduces, in floating point, to ``log phi(z) - 2 log t``. The ratios
the gradients need come from the same pieces: ``phi / h = 1 / (1 - R)`` and
``Phi / h = R / (t (1 - R))``, so no difference of two large logarithms is
ever taken.

References
----------
Jones, Schonlau and Welch (1998), "Efficient global optimization of
expensive black-box functions", J. Global Optim. 13.
Ament, Daulton, Eriksson, Balandat and Bakshy (2023), "Unexpected
improvements to expected improvement for Bayesian optimization", NeurIPS.
Srinivas, Krause, Kakade and Seeger (2010), "Gaussian process optimization
in the bandit setting", ICML.
"""

import math

import numpy as np
from scipy.special import erfcx, log_ndtr, ndtr

__all__ = [
    "EI",
    "LCB",
    "PI",
    "UCB",
    "VAR_FLOOR",
    "LogEI",
    "LogPI",
    "ei",
    "lcb",
    "log_ei",
    "log_pi",
    "pi",
    "ucb",
]

VAR_FLOOR = 1e-12

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_PI_OVER_2 = math.sqrt(math.pi / 2.0)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_LOG2 = math.log(2.0)
# Branch points of log h(z): direct form above _Z_ERFCX, erfcx form down to
# _Z_SERIES, asymptotic series below.
_Z_ERFCX = -1.0
_Z_SERIES = -50.0


def _flat(*arrays):
    """Broadcast to a common shape; return it and the flattened float64 arrays.

    These may be views of the inputs: they are only read, never written. The
    core works on 1-d arrays (boolean masks and item assignment then behave
    the same for scalar inputs); :func:`_shaped` restores the shape.
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in arrays))
    return arrays[0].shape, [a.ravel() for a in arrays]


def _shaped(shape, *arrays):
    """Reshape flat results; 0-d ones become numpy scalars."""
    out = tuple(a.reshape(shape)[()] for a in arrays)
    return out[0] if len(out) == 1 else out


def _clip_var(var):
    """``(max(var, VAR_FLOOR), d/dvar of it)``: 1 above the floor, 0 below."""
    active = np.where(var < VAR_FLOOR, 0.0, 1.0)
    active[np.isnan(var)] = np.nan
    return np.maximum(var, VAR_FLOOR), active


def _standardize(mean, var, best):
    """Return ``(shape, z, var_c, sigma, active)``, flat but for ``shape``."""
    shape, (mean, var, best) = _flat(mean, var, best)
    var_c, active = _clip_var(var)
    sigma = np.sqrt(var_c)
    return shape, (mean - best) / sigma, var_c, sigma, active


def _ndtr(z):
    """``Phi(z)``. ``Phi(10)`` is 1 in float64; clipping there keeps scipy from
    flagging a spurious overflow for larger ``z`` (seen under
    ``scipy.special.errstate(all="raise")``)."""
    return ndtr(np.minimum(z, 10.0))


def _log1mexp(x):
    """``log(1 - exp(x))`` for ``x < 0``, accurate for all such ``x``.

    Maechler (2012): ``log(-expm1(x))`` near 0, ``log1p(-exp(x))`` below
    ``-log 2``.
    """
    near = x > -_LOG2
    out = np.empty_like(x)
    out[near] = np.log(-np.expm1(x[near]))
    out[~near] = np.log1p(-np.exp(x[~near]))
    return out


def _h_direct(z):
    """``(phi(z), Phi(z), h(z))`` by the direct form, for z > -1."""
    with np.errstate(over="ignore"):  # z * z = inf for |z| > 1e154: phi = 0
        phi = np.exp(-0.5 * z * z - _LOG_SQRT_2PI)
    cdf = _ndtr(z)
    return phi, cdf, phi + z * cdf


def _log_h_direct(z):
    """``(log h, log(Phi / h), log(phi / h))`` by the direct form, z > -1."""
    phi, cdf, h = _h_direct(z)
    with np.errstate(divide="ignore"):  # z = +inf (best = -inf): log 0 = -inf
        return np.log(h), np.log(cdf / h), np.log(phi / h)


def _log_h_erfcx(t):
    """The same triple at ``z = -t`` by the erfcx form, 1 <= t < 50."""
    log_r = np.log(_SQRT_PI_OVER_2 * t * erfcx(t * _INV_SQRT2))
    log_1mr = _log1mexp(log_r)
    log_phi = -0.5 * t * t - _LOG_SQRT_2PI
    return log_phi + log_1mr, log_r - np.log(t) - log_1mr, -log_1mr


def _log_h_series(t):
    """The same triple at ``z = -t`` by the asymptotic series, t >= 50."""
    u = (1.0 / t) ** 2
    # 1 - R = u (1 + s),  R = 1 + r   (coefficients: the double factorials)
    s = u * (
        -3.0 + u * (15.0 + u * (-105.0 + u * (945.0 + u * (-10395.0 + u * 135135.0))))
    )
    r = u * (-1.0 + u * (3.0 + u * (-15.0 + u * (105.0 + u * (-945.0 + u * 10395.0)))))
    log_t = np.log(t)
    log1p_s = np.log1p(s)
    with np.errstate(over="ignore"):  # t * t = inf for t > 1e154: log h = -inf
        log_phi = -0.5 * t * t - _LOG_SQRT_2PI
    return (
        log_phi - 2.0 * log_t + log1p_s,
        np.log1p(r) + log_t - log1p_s,
        2.0 * log_t - log1p_s,
    )


def _log_h(z):
    """``log h(z)``, ``log(Phi(z) / h(z))`` and ``log(phi(z) / h(z))``.

    ``Phi / h`` is ``d log h / dz``; ``phi / h = 1 - z Phi / h``. nan in,
    nan out.
    """
    log_h = np.full_like(z, np.nan)
    log_cdf_h = np.full_like(z, np.nan)
    log_pdf_h = np.full_like(z, np.nan)
    for mask, branch, arg in (
        (z > _Z_ERFCX, _log_h_direct, z),
        ((z <= _Z_ERFCX) & (z > _Z_SERIES), _log_h_erfcx, -z),
        (z <= _Z_SERIES, _log_h_series, -z),
    ):
        if mask.any():
            log_h[mask], log_cdf_h[mask], log_pdf_h[mask] = branch(arg[mask])
    return log_h, log_cdf_h, log_pdf_h


def _pdf_over_cdf(z):
    """``phi(z) / Phi(z)`` (the inverse Mills ratio), stable for all z."""
    out = np.full_like(z, np.nan)
    neg = z < 0
    # Phi(z) = erfcx(-z / sqrt 2) phi(z) sqrt(pi / 2) for any z; for z >= 0
    # erfcx(-z / sqrt 2) overflows, while the direct ratio is exact there.
    out[neg] = _SQRT_2_OVER_PI / erfcx(-z[neg] * _INV_SQRT2)
    pos = z >= 0
    zp = z[pos]
    with np.errstate(over="ignore"):
        out[pos] = np.exp(-0.5 * zp * zp - _LOG_SQRT_2PI) / _ndtr(zp)
    return out


def log_ei(mean, var, best, *, return_grad=False):
    """Log expected improvement, ``log E[max(f - best, 0)]``, f ~ N(mean, var).

    Accurate in the far tail, where EI itself underflows to 0 (for
    ``z = (mean - best) / sigma`` below about -38; ``log_ei`` stays finite
    down to ``z ~ -1e154``, where ``z^2`` overflows): a maximizer then still
    sees a slope pointing towards better candidates.

    Parameters
    ----------
    mean : array-like
        Posterior mean at the candidates.
    var : array-like, broadcastable with ``mean``
        Posterior variance, clipped below at :data:`VAR_FLOOR`.
    best : float or array-like, broadcastable with ``mean``
        The incumbent (best observed value).
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray or float
        ``log EI`` with the broadcast shape of the inputs.
    grad_mean, grad_var : ndarray or float
        Only with ``return_grad=True``: ``d value / d mean`` and
        ``d value / d var``, elementwise, of the same shape.

    See Also
    --------
    ei : Expected improvement itself.
    log_pi : Log probability of improvement.

    Notes
    -----
    ``log EI = log sigma + log h(z)`` with ``h(z) = phi(z) + z Phi(z)``,
    evaluated in three branches (direct, erfcx and asymptotic series) whose
    formulas are given in the module docstring, following Ament et al.
    (2023), "Unexpected improvements to expected improvement for Bayesian
    optimization". Cost: O(1) per element.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hpo.acquisition import log_ei
    >>> value = log_ei(np.array([0.0, -1e3]), 1.0, 0.0)
    >>> [round(float(v), 2) for v in value]
    [-0.92, -500014.73]
    >>> value, d_mean, d_var = log_ei(-1e3, 1.0, 0.0, return_grad=True)
    >>> round(float(d_mean), 3)  # about |z|: the slope survives the underflow
    1000.002
    """
    shape, z, var_c, sigma, active = _standardize(mean, var, best)
    log_h, log_cdf_h, log_pdf_h = _log_h(z)
    value = log_h + np.log(sigma)
    if not return_grad:
        return _shaped(shape, value)
    grad_mean = np.exp(log_cdf_h) / sigma
    grad_var = np.exp(log_pdf_h) / (2.0 * var_c) * active
    return _shaped(shape, value, grad_mean, grad_var)


def ei(mean, var, best, *, return_grad=False):
    """Expected improvement, ``E[max(f - best, 0)]`` with f ~ N(mean, var).

    Parameters
    ----------
    mean : array-like
        Posterior mean at the candidates.
    var : array-like, broadcastable with ``mean``
        Posterior variance, clipped below at :data:`VAR_FLOOR`.
    best : float or array-like, broadcastable with ``mean``
        The incumbent (best observed value).
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray or float
        EI, with the broadcast shape of the inputs.
    grad_mean, grad_var : ndarray or float
        Only with ``return_grad=True``: ``Phi(z)`` and ``phi(z) / (2 sigma)``.

    See Also
    --------
    log_ei : Its logarithm, which keeps a useful slope where EI underflows;
        prefer it for maximization.

    Notes
    -----
    ``EI = sigma (phi(z) + z Phi(z))``, ``z = (mean - best) / sigma`` (Jones,
    Schonlau and Welch, 1998), computed as ``sigma exp(log h(z))`` so that it
    never cancels to a negative number in the tail.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import ei
    >>> round(float(ei(-0.5, 1.0, 0.0)), 6)
    0.197797
    """
    shape, z, var_c, sigma, active = _standardize(mean, var, best)
    h = np.exp(_log_h(z)[0])
    direct = z > _Z_ERFCX  # no round trip through log where h is direct
    h[direct] = _h_direct(z[direct])[2]
    value = sigma * h
    if not return_grad:
        return _shaped(shape, value)
    with np.errstate(over="ignore"):
        pdf = np.exp(-0.5 * z * z - _LOG_SQRT_2PI)
    grad_mean = _ndtr(z)
    grad_var = pdf / (2.0 * sigma) * active
    return _shaped(shape, value, grad_mean, grad_var)


def log_pi(mean, var, best, *, return_grad=False):
    """Log probability of improvement, ``log P(f > best)`` with f ~ N(mean, var).

    Parameters
    ----------
    mean : array-like
        Posterior mean at the candidates.
    var : array-like, broadcastable with ``mean``
        Posterior variance, clipped below at :data:`VAR_FLOOR`.
    best : float or array-like, broadcastable with ``mean``
        The incumbent (best observed value).
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray or float
        ``log Phi(z)``, with the broadcast shape of the inputs.
    grad_mean, grad_var : ndarray or float
        Only with ``return_grad=True``: ``m / sigma`` and ``-z m / (2 var)``
        with ``m = phi(z) / Phi(z)``.

    See Also
    --------
    pi : Probability of improvement itself.

    Notes
    -----
    ``scipy.special.log_ndtr`` is accurate far into the lower tail; the
    ratio ``phi / Phi`` is computed as ``sqrt(2 / pi) / erfcx(-z / sqrt 2)``
    for ``z < 0``, so it never subtracts two large logarithms.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import log_pi
    >>> round(float(log_pi(-40.0, 1.0, 0.0)), 3)
    -804.608
    """
    shape, z, var_c, sigma, active = _standardize(mean, var, best)
    value = log_ndtr(z)
    if not return_grad:
        return _shaped(shape, value)
    ratio = _pdf_over_cdf(z)
    grad_mean = ratio / sigma
    grad_var = -z * ratio / (2.0 * var_c) * active
    return _shaped(shape, value, grad_mean, grad_var)


def pi(mean, var, best, *, return_grad=False):
    """Probability of improvement, ``P(f > best)`` with f ~ N(mean, var).

    Parameters
    ----------
    mean : array-like
        Posterior mean at the candidates.
    var : array-like, broadcastable with ``mean``
        Posterior variance, clipped below at :data:`VAR_FLOOR`.
    best : float or array-like, broadcastable with ``mean``
        The incumbent (best observed value).
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray or float
        ``Phi(z)``, ``z = (mean - best) / sigma``, with the broadcast shape.
    grad_mean, grad_var : ndarray or float
        Only with ``return_grad=True``: ``phi(z) / sigma`` and
        ``-z phi(z) / (2 var)``.

    See Also
    --------
    log_pi : Its logarithm, for maximization far from the incumbent.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import pi
    >>> round(float(pi(0.0, 4.0, 0.0)), 3)
    0.5
    """
    shape, z, var_c, sigma, active = _standardize(mean, var, best)
    value = _ndtr(z)
    if not return_grad:
        return _shaped(shape, value)
    with np.errstate(over="ignore"):
        pdf = np.exp(-0.5 * z * z - _LOG_SQRT_2PI)
    grad_mean = pdf / sigma
    grad_var = -z * pdf / (2.0 * var_c) * active
    return _shaped(shape, value, grad_mean, grad_var)


def _bound(mean, var, beta, sign, return_grad):
    shape, (mean, var, beta) = _flat(mean, var, beta)
    var_c, active = _clip_var(var)
    sigma = np.sqrt(var_c)
    value = mean + sign * beta * sigma
    if not return_grad:
        return _shaped(shape, value)
    grad_mean = np.ones_like(value)
    grad_var = sign * beta / (2.0 * sigma) * active
    return _shaped(shape, value, grad_mean, grad_var)


def ucb(mean, var, beta=2.0, *, return_grad=False):
    """Upper confidence bound, ``mean + beta * sqrt(var)``.

    Parameters
    ----------
    mean : array-like
        Posterior mean at the candidates.
    var : array-like, broadcastable with ``mean``
        Posterior variance, clipped below at :data:`VAR_FLOOR`.
    beta : float or array-like, default=2.0
        Exploration weight (a multiple of the standard deviation; GP-UCB's
        ``sqrt(beta_t)`` in the notation of Srinivas et al., 2010).
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray or float
        The bound, with the broadcast shape of the inputs.
    grad_mean, grad_var : ndarray or float
        Only with ``return_grad=True``: 1 and ``beta / (2 sigma)``.

    See Also
    --------
    lcb : The lower bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import ucb
    >>> float(ucb(1.0, 4.0, beta=0.5))
    2.0
    """
    return _bound(mean, var, beta, 1.0, return_grad)


def lcb(mean, var, beta=2.0, *, return_grad=False):
    """Lower confidence bound, ``mean - beta * sqrt(var)``.

    A pessimistic score (for reporting a robust incumbent, say); maximizing
    it exploits rather than explores.

    Parameters
    ----------
    mean : array-like
        Posterior mean at the candidates.
    var : array-like, broadcastable with ``mean``
        Posterior variance, clipped below at :data:`VAR_FLOOR`.
    beta : float or array-like, default=2.0
        Weight of the standard deviation.
    return_grad : bool, default=False
        Also return the derivatives with respect to ``mean`` and ``var``.

    Returns
    -------
    value : ndarray or float
        The bound, with the broadcast shape of the inputs.
    grad_mean, grad_var : ndarray or float
        Only with ``return_grad=True``: 1 and ``-beta / (2 sigma)``.

    See Also
    --------
    ucb : The upper bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import lcb
    >>> float(lcb(1.0, 4.0, beta=0.5))
    0.0
    """
    return _bound(mean, var, beta, -1.0, return_grad)


class _Binding:
    """An acquisition function with its parameters bound.

    Calling it with ``(mean, var, return_grad=...)`` calls the function.
    """

    _function = None
    _params = ()

    def __call__(self, mean, var, *, return_grad=False):
        kwargs = {name: getattr(self, name) for name in self._params}
        return type(self)._function(mean, var, **kwargs, return_grad=return_grad)

    def __repr__(self):
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._params)
        return f"{type(self).__name__}({args})"


class LogEI(_Binding):
    """:func:`log_ei` with the incumbent ``best`` bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import LogEI
    >>> acq = LogEI(best=0.0)
    >>> round(float(acq(0.0, 1.0)), 4)
    -0.9189
    """

    _function = staticmethod(log_ei)
    _params = ("best",)

    def __init__(self, best):
        self.best = best


class EI(_Binding):
    """:func:`ei` with the incumbent ``best`` bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import EI
    >>> round(float(EI(best=0.0)(-0.5, 1.0)), 6)
    0.197797
    """

    _function = staticmethod(ei)
    _params = ("best",)

    def __init__(self, best):
        self.best = best


class LogPI(_Binding):
    """:func:`log_pi` with the incumbent ``best`` bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import LogPI
    >>> round(float(LogPI(best=0.0)(0.0, 1.0)), 4)
    -0.6931
    """

    _function = staticmethod(log_pi)
    _params = ("best",)

    def __init__(self, best):
        self.best = best


class PI(_Binding):
    """:func:`pi` with the incumbent ``best`` bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import PI
    >>> float(PI(best=0.0)(0.0, 1.0))
    0.5
    """

    _function = staticmethod(pi)
    _params = ("best",)

    def __init__(self, best):
        self.best = best


class UCB(_Binding):
    """:func:`ucb` with the exploration weight ``beta`` bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import UCB
    >>> UCB(beta=3.0)
    UCB(beta=3.0)
    >>> float(UCB(beta=3.0)(1.0, 1.0))
    4.0
    """

    _function = staticmethod(ucb)
    _params = ("beta",)

    def __init__(self, beta=2.0):
        self.beta = beta


class LCB(_Binding):
    """:func:`lcb` with the weight ``beta`` bound.

    Examples
    --------
    >>> from sklearn_hpo.acquisition import LCB
    >>> float(LCB(beta=3.0)(1.0, 1.0))
    -2.0
    """

    _function = staticmethod(lcb)
    _params = ("beta",)

    def __init__(self, beta=2.0):
        self.beta = beta
