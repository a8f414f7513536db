"""One-dimensional hyperparameter domains and their unit-interval coordinates.

Notation
--------
u : array of shape (n,), values in [0, 1]
    The coordinate every sampler and surrogate works in.
values : array of shape (n,)
    Hyperparameter values: float for :class:`Real`, int for :class:`Integer`,
    any Python object for :class:`Categorical`.

Each dimension maps u -> value (``from_unit``) and value -> u (``to_unit``),
vectorized over n. Discrete dimensions split [0, 1] into one cell per value,
with width equal to the value's probability under the prior, so that a
uniform u gives each value its fair share:

* ``Real(low, high, "uniform")``: ``x = low + u (high - low)``.
* ``Real(low, high, "log-uniform")``: ``log x = log low + u (log high - log low)``.
* ``Integer(low, high, prior)``: the real line ``[low - 1/2, high + 1/2]`` is
  mapped like ``Real`` (in log space for "log-uniform", which needs
  ``low >= 1``); value ``v`` owns ``[v - 1/2, v + 1/2)``, so under "uniform"
  each of the ``high - low + 1`` values owns ``1 / (high - low + 1)`` of
  [0, 1], and under "log-uniform" a width proportional to
  ``log((v + 1/2) / (v - 1/2))``.
* ``Categorical(choices, weights)``: choice ``i`` owns
  ``[c_{i-1}, c_i)`` with ``c`` the cumulative normalized weights.
* ``Distribution(frozen)``: ``x = ppf(u)``, ``u = cdf(x)``; for a discrete
  distribution value ``k`` owns ``(cdf(k - 1), cdf(k)]``, its pmf.

``to_unit`` of a discrete value is the centre of its cell, and ``snap``
moves any u to the centre of the cell it falls in, so that
``snap(u) == to_unit(from_unit(u))`` and two points with the same values have
the same coordinates.
"""

import contextlib
import math
import numbers
from collections.abc import Mapping

import numpy as np
from scipy import stats

from sklearn_hpo.exceptions import SearchSpaceWarning
from sklearn_hpo.utils._warnings import warn_user

__all__ = ["Categorical", "Dimension", "Distribution", "Integer", "Real"]

_PRIORS = ("uniform", "log-uniform")
# Unbounded continuous distributions are evaluated at ppf(u) for u clipped to
# [_EPS, 1 - _EPS] so that a corner of the cube never maps to +-inf.
_EPS = 1e-12
# Smallest share of [0, 1] a category may own (its cell must stay resolvable).
_MIN_WEIGHT = 1e-9
# Integer bounds (and the values of a discrete Distribution) must lie within
# +-_MAX_INT: the unit coordinate is a float64, which resolves integers exactly
# only well below 2**53 (the half-integer cell edges and the rounding in
# from_unit need a few bits to spare).
_MAX_INT = 2**50
# Smallest share of [0, 1] a log-uniform Integer's top value may own: below
# it, the cells of neighbouring large values are a few float64 steps wide and
# snapping them is no longer exact.
_MIN_LOG_CELL = 2.0**-42
# Quantiles at which a frozen distribution's ppf must be finite (the ends are
# those of Distribution._clip_q).
_CHECK_Q = np.array([1e-12, 0.25, 0.5, 0.75, 1.0 - 1e-12])


def _check_number(value, name, owner, integral=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "an integer" if integral else "a real number"
        raise TypeError(
            f"{owner}: {name} must be {kind}, got {value!r} of type "
            f"{type(value).__name__}."
        )
    if not math.isfinite(value):
        raise ValueError(f"{owner}: {name} must be finite, got {value!r}.")
    if integral:
        if not isinstance(value, numbers.Integral):
            if float(value).is_integer():
                return int(value)
            raise TypeError(
                f"{owner}: {name} must be an integer, got {value!r}. Use Real for "
                "a continuous range."
            )
        return int(value)
    return float(value)


def _check_prior(prior, owner):
    if not isinstance(prior, str) or prior not in _PRIORS:
        raise ValueError(f"{owner}: prior must be one of {_PRIORS}, got {prior!r}.")
    return prior


def _check_integer_range(low, high, prior, owner="Integer"):
    """Reject integer ranges the float64 unit coordinate cannot resolve."""
    if max(abs(low), abs(high)) > _MAX_INT:
        raise ValueError(
            f"{owner}: low and high must lie within +-2**50 "
            f"(={_MAX_INT}), got low={low!r} and high={high!r}. The unit "
            "coordinate is a float64, which holds integers exactly only below "
            "2**53; use Real for a wider range."
        )
    if prior == "log-uniform":
        top = math.log1p(1.0 / (high - 0.5)) / math.log((high + 0.5) / (low - 0.5))
        if top < _MIN_LOG_CELL:
            raise ValueError(
                f"{owner}: a log-uniform range from {low!r} to {high!r} is too wide "
                "to be resolved value by value in float64 (the cell of "
                f"{high!r} would own {top:.3g} of the unit interval, less than "
                "2**-42); narrow the range or use Real(low, high, 'log-uniform')."
            )


def _check_weights(weights, k):
    """Weights as a 1-d float array of length ``k``, or a clear error."""
    if isinstance(weights, numbers.Real) and not isinstance(weights, bool):
        raise ValueError(
            f"Categorical: weights must have one entry per choice ({k}), got a "
            f"single number {weights!r}."
        )
    if isinstance(weights, np.ndarray):
        if weights.ndim != 1:
            raise ValueError(
                "Categorical: weights must be a 1-d list of numbers, one per "
                f"choice, got an array of shape {weights.shape}."
            )
        items = weights.tolist()
    elif isinstance(weights, (list, tuple)):
        items = list(weights)
    else:
        kind = "a dict" if isinstance(weights, Mapping) else type(weights).__name__
        raise TypeError(
            "Categorical: weights must be a list of numbers, one per choice, "
            f"got {kind}: {weights!r}."
        )
    for x in items:
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise TypeError(
                "Categorical: weights must be numbers, got "
                f"{x!r} of type {type(x).__name__} in {weights!r}."
            )
    if len(items) != k:
        raise ValueError(
            f"Categorical: weights must have one entry per choice ({k}), "
            f"got {len(items)}."
        )
    return np.array([float(x) for x in items], dtype=np.float64)


def _same_choice(a, b):
    """Whether two choices are the same value: the same object, or equal
    objects of the same type (so that 1, 1.0 and True stay distinct, as
    scikit-learn's estimators may read them differently)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        equal = a == b
        return isinstance(equal, (bool, np.bool_)) and bool(equal)
    except Exception:  # noqa: BLE001 - objects with exotic __eq__
        return False


def _dedupe(choices):
    """Positions of the first occurrences and, per choice, its group."""
    first, group = [], []
    hashed = {}  # (type, value) -> group, for hashable choices
    for i, c in enumerate(choices):
        g = None
        try:
            g = hashed.get((type(c), c))
            hashable = True
        except Exception:  # noqa: BLE001 - unhashable, or exotic __eq__/__hash__
            hashable = False
        if g is None:
            # the same object as an earlier choice (nan), or an unhashable one
            for j, f in enumerate(first):
                if choices[f] is c or (not hashable and _same_choice(choices[f], c)):
                    g = j
                    break
        if g is None:
            g = len(first)
            first.append(i)
            if hashable:
                with contextlib.suppress(Exception):
                    hashed[(type(c), c)] = g
        group.append(g)
    return first, group


def _as_unit(u):
    u = np.asarray(u, dtype=np.float64)
    if u.ndim != 1:
        raise ValueError(f"unit coordinates must be 1-d, got shape {u.shape}.")
    return np.clip(u, 0.0, 1.0)


class Dimension:
    """Base class of the one-dimensional domains.

    Subclasses define ``kind`` (``"real"``, ``"integer"`` or
    ``"categorical"``), ``n_values`` (the number of distinct values, ``inf``
    for a continuum) and the vectorized maps ``from_unit``/``to_unit``.
    """

    kind = None

    @property
    def is_discrete(self):
        """Whether the dimension has countably many values."""
        return self.kind != "real"

    @property
    def n_values(self):
        """Number of distinct values (``math.inf`` for a continuum)."""
        raise NotImplementedError

    def from_unit(self, u):
        """Map unit coordinates of shape (n,) to values of shape (n,)."""
        raise NotImplementedError

    def to_unit(self, values):
        """Map values of shape (n,) to unit coordinates of shape (n,)."""
        raise NotImplementedError

    def snap(self, u):
        """Move unit coordinates to the canonical coordinate of their value."""
        u = _as_unit(u)
        if not self.is_discrete:
            return u
        return self.to_unit(self.from_unit(u))

    def index(self, u):
        """An identifier per coordinate, equal exactly when the values are equal.

        Discrete dimensions return the integer cell index; continuous ones the
        coordinate itself.
        """
        raise NotImplementedError

    def __eq__(self, other):
        return type(self) is type(other) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))


class Real(Dimension):
    """A continuous range ``[low, high]``.

    Parameters
    ----------
    low, high : float
        The bounds, ``low < high``. Both are reachable.
    prior : {"uniform", "log-uniform"}, default="uniform"
        "log-uniform" samples uniformly in ``log(x)`` and needs ``low > 0``;
        use it for scale parameters such as ``C``, ``alpha`` or a learning
        rate.

    Examples
    --------
    >>> from sklearn_hpo.space import Real
    >>> Real(1e-3, 1e3, prior="log-uniform").from_unit([0.0, 0.5, 1.0])
    array([1.e-03, 1.e+00, 1.e+03])
    """

    kind = "real"

    def __init__(self, low, high, prior="uniform"):
        owner = "Real"
        self.low = _check_number(low, "low", owner)
        self.high = _check_number(high, "high", owner)
        self.prior = _check_prior(prior, owner)
        if not self.low < self.high:
            raise ValueError(
                f"Real: low must be smaller than high, got low={low!r} and "
                f"high={high!r}. For a fixed value use a one-element list."
            )
        if self.prior == "log-uniform" and self.low <= 0:
            raise ValueError(
                f"Real: a log-uniform prior needs low > 0, got low={low!r}. Use "
                "prior='uniform' or a positive lower bound."
            )
        if self.prior == "log-uniform":
            self._a, self._b = math.log(self.low), math.log(self.high)
        else:
            self._a, self._b = self.low, self.high

    def __repr__(self):
        return f"Real({self.low!r}, {self.high!r}, prior={self.prior!r})"

    @property
    def n_values(self):
        return math.inf

    def from_unit(self, u):
        u = _as_unit(u)
        # (1 - u) a + u b cannot overflow where a + u (b - a) can
        t = (1.0 - u) * self._a + u * self._b
        if self.prior == "log-uniform":
            t = np.exp(t)
        # the bounds themselves, exactly, at the corners of the cube
        t = np.where(u <= 0.0, self.low, np.where(u >= 1.0, self.high, t))
        return np.clip(t, self.low, self.high)

    def to_unit(self, values):
        x = np.asarray(values, dtype=np.float64)
        if self.prior == "log-uniform":
            x = np.log(np.maximum(x, self.low))
        span = self._b - self._a
        if math.isfinite(span):
            u = (x - self._a) / span
        else:  # a range wider than the largest float: halve everything
            u = (x / 2 - self._a / 2) / (self._b / 2 - self._a / 2)
        return np.clip(u, 0.0, 1.0)

    def index(self, u):
        # the value itself: two coordinates are the same candidate exactly when
        # they give the same float
        return self.from_unit(u)


class Integer(Dimension):
    """An integer range ``low, low + 1, ..., high``.

    Parameters
    ----------
    low, high : int
        The bounds, both included, ``low < high``, within ``+-2**50`` (the
        unit coordinate is a float64; beyond that neighbouring values cannot
        be told apart). A log-uniform range must also give its largest value
        at least ``2**-42`` of the unit interval (``Integer(1, 2**37,
        "log-uniform")`` is about the widest); wider ranges raise ValueError.
    prior : {"uniform", "log-uniform"}, default="uniform"
        "uniform" gives each integer the same probability; "log-uniform"
        (``low >= 1``) gives ``v`` a probability proportional to
        ``log((v + 0.5) / (v - 0.5))``, which suits sizes such as
        ``n_estimators`` or ``max_leaf_nodes``.

    Examples
    --------
    >>> from sklearn_hpo.space import Integer
    >>> Integer(1, 4).from_unit([0.0, 0.3, 0.6, 1.0])
    array([1, 2, 3, 4])
    """

    kind = "integer"

    def __init__(self, low, high, prior="uniform"):
        owner = "Integer"
        self.low = _check_number(low, "low", owner, integral=True)
        self.high = _check_number(high, "high", owner, integral=True)
        self.prior = _check_prior(prior, owner)
        if not self.low < self.high:
            raise ValueError(
                f"Integer: low must be smaller than high, got low={low!r} and "
                f"high={high!r}. For a fixed value use a one-element list."
            )
        if self.prior == "log-uniform" and self.low <= 0:
            raise ValueError(
                f"Integer: a log-uniform prior needs low >= 1, got low={low!r}. "
                "Use prior='uniform' or a positive lower bound."
            )
        _check_integer_range(self.low, self.high, self.prior)
        lo, hi = self.low - 0.5, self.high + 0.5
        if self.prior == "log-uniform":
            self._a, self._b = math.log(lo), math.log(hi)
        else:
            self._a, self._b = lo, hi

    def __repr__(self):
        return f"Integer({self.low!r}, {self.high!r}, prior={self.prior!r})"

    @property
    def n_values(self):
        return self.high - self.low + 1

    def _forward(self, x):
        # real line -> unit interval
        if self.prior == "log-uniform":
            x = np.log(x)
        return (x - self._a) / (self._b - self._a)

    def from_unit(self, u):
        u = _as_unit(u)
        t = (1.0 - u) * self._a + u * self._b
        if self.prior == "log-uniform":
            t = np.exp(t)
        v = np.floor(t + 0.5)
        return np.clip(v, self.low, self.high).astype(np.int64)

    def to_unit(self, values):
        v = np.asarray(values)
        if v.size and not np.all(np.isfinite(v.astype(np.float64))):
            raise ValueError("Integer.to_unit: values must be finite.")
        v = np.clip(np.rint(v.astype(np.float64)), self.low, self.high)
        lower = self._forward(v - 0.5)
        upper = self._forward(v + 0.5)
        return np.clip(0.5 * (lower + upper), 0.0, 1.0)

    def index(self, u):
        return self.from_unit(u) - self.low


class Categorical(Dimension):
    """A finite set of choices, any Python objects.

    Parameters
    ----------
    choices : sequence
        The values, for example ``["rbf", "poly"]``, ``[None, 5, 10]`` or a
        list of estimators. At least one. Duplicates (the same object, or
        equal values of the same type: ``1`` and ``1.0`` stay distinct) are
        merged into their first occurrence with a ``SearchSpaceWarning``, so
        that no value is evaluated twice.
    weights : sequence of float, default=None
        Relative probabilities of the choices (positive, normalized here;
        the weights of merged duplicates are added); equal by default.

    Examples
    --------
    >>> from sklearn_hpo.space import Categorical
    >>> Categorical(["a", "b", None]).from_unit([0.1, 0.5, 0.9]).tolist()
    ['a', 'b', None]
    """

    kind = "categorical"

    def __init__(self, choices, weights=None):
        if isinstance(choices, (str, bytes)) or not hasattr(choices, "__len__"):
            raise TypeError(
                "Categorical: choices must be a list (or other sequence) of "
                f"values, got {choices!r}."
            )
        choices = list(choices)
        if len(choices) == 0:
            raise ValueError(
                "Categorical: choices must not be empty; give at least one value."
            )
        k = len(choices)
        if weights is not None:
            w = _check_weights(weights, k)
            if not np.all(np.isfinite(w)) or np.any(w <= 0):
                raise ValueError(
                    "Categorical: weights must be finite and positive, got "
                    f"{list(weights)!r}."
                )
        # Duplicate choices are merged (first position, weights added): the
        # same value must own one cell, or it would be evaluated twice.
        first, group = _dedupe(choices)
        if len(first) < k:
            dupes = [choices[i] for i, g in enumerate(group) if first[g] != i]
            warn_user(
                f"Categorical: duplicate choices {dupes!r} are merged into their "
                "first occurrence"
                + ("" if weights is None else " (their weights added)")
                + "; each value is evaluated once.",
                SearchSpaceWarning,
            )
            choices = [choices[i] for i in first]
            if weights is not None:
                w = np.bincount(group, weights=w, minlength=len(first))
            k = len(choices)
        self.choices = choices
        if weights is None:
            w = np.full(k, 1.0 / k)
        else:
            w = w / w.sum()
            if np.any(w < _MIN_WEIGHT):
                raise ValueError(
                    "Categorical: each weight must be at least "
                    f"{_MIN_WEIGHT:g} of the total, or its choice cannot be given "
                    f"a cell of the unit interval; got weights {list(weights)!r}. "
                    "Remove the choice instead of giving it a tiny weight."
                )
        self.weights = None if weights is None else [float(x) for x in w]
        self._probs = w
        edges = np.concatenate([[0.0], np.cumsum(w)])
        edges[-1] = 1.0
        self._edges = edges
        self._centres = 0.5 * (edges[:-1] + edges[1:])
        arr = np.empty(k, dtype=object)
        for i, c in enumerate(choices):
            arr[i] = c
        self._array = arr

    def __repr__(self):
        if self.weights is None:
            return f"Categorical({self.choices!r})"
        return f"Categorical({self.choices!r}, weights={self.weights!r})"

    @property
    def n_values(self):
        return len(self.choices)

    def index(self, u):
        i = np.searchsorted(self._edges, _as_unit(u), side="right") - 1
        return np.clip(i, 0, len(self.choices) - 1)

    def from_unit(self, u):
        return self._array[self.index(u)]

    def index_of(self, value):
        """Position of ``value`` among the choices (identity first, then ==
        within the same type, then ==)."""
        for i, c in enumerate(self.choices):
            if c is value:
                return i
        for i, c in enumerate(self.choices):  # 1.0 is the choice 1.0, not 1
            if _same_choice(c, value):
                return i
        for i, c in enumerate(self.choices):
            try:
                equal = c == value
                if isinstance(equal, (bool, np.bool_)) and equal:
                    return i
            except Exception:  # noqa: BLE001 - objects with exotic __eq__
                continue
        raise ValueError(f"Categorical: {value!r} is not one of {self.choices!r}.")

    def to_unit(self, values):
        idx = [self.index_of(v) for v in values]
        return self._centres[np.asarray(idx, dtype=np.intp)]


class Distribution(Dimension):
    """A scipy.stats frozen distribution, mapped through its ``ppf``.

    Parameters
    ----------
    dist : scipy.stats frozen distribution
        For example ``scipy.stats.loguniform(1e-3, 1e3)``,
        ``scipy.stats.randint(1, 10)`` or ``scipy.stats.uniform(0, 1)``.
        Discrete distributions give integers, continuous ones floats.

    Notes
    -----
    Coordinates are clipped to ``[1e-12, 1 - 1e-12]`` where the support is
    unbounded, so that no corner of the cube maps to an infinite value.

    Examples
    --------
    >>> from scipy.stats import randint
    >>> from sklearn_hpo.space import Distribution
    >>> Distribution(randint(0, 4)).from_unit([0.1, 0.3, 0.6, 0.9])
    array([0, 1, 2, 3])
    """

    # A discrete support of at most this many integers is listed value by
    # value (to skip values of zero mass).
    _MAX_LISTED = 1_000_000

    def __init__(self, dist):
        if not (hasattr(dist, "ppf") and hasattr(dist, "cdf")):
            raise TypeError(
                f"Distribution: {dist!r} has no ppf/cdf. Pass a scipy.stats frozen "
                "distribution, or use Real, Integer or Categorical."
            )
        self.dist = dist
        inner = getattr(dist, "dist", None)
        if isinstance(inner, stats.rv_discrete):
            self._discrete = True
        elif isinstance(inner, stats.rv_continuous):
            self._discrete = False
        else:
            raise TypeError(
                f"Distribution: {dist!r} is not a scipy.stats frozen distribution "
                "(such as loguniform(1e-3, 1e3) or randint(1, 10))."
            )
        self.kind = "integer" if self._discrete else "real"
        self._lo, self._hi = self._check_parameters(dist)
        # A finite discrete support is tabulated once: its values of positive
        # mass and the cdf at each, so that the maps are table look-ups.
        self._values = self._cdf = None
        if self._discrete:
            xk = getattr(inner, "xk", None)  # rv_discrete(values=(xk, pk))
            if xk is not None:
                grid = np.asarray(xk, dtype=np.int64)
            elif math.isfinite(self._hi - self._lo) and (
                self._hi - self._lo < self._MAX_LISTED
            ):
                grid = np.arange(int(self._lo), int(self._hi) + 1, dtype=np.int64)
            else:
                grid = None
            if grid is not None:
                cdf = np.asarray(dist.cdf(grid), dtype=np.float64)
                mass = np.diff(cdf, prepend=0.0)
                keep = mass > 0
                self._values, self._cdf = grid[keep], cdf[keep]
                self._cdf_before = self._cdf - mass[keep]

    def _check_parameters(self, dist):
        """The support ``(lo, hi)``, after checking that scipy finds the
        parameters valid (it gives nan for invalid ones instead of raising)
        and that the values at the quantiles used are finite."""
        with np.errstate(all="ignore"):
            try:
                lo, hi = (float(b) for b in dist.support())
                q = np.asarray(dist.ppf(_CHECK_Q), dtype=np.float64)
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise ValueError(
                    f"Distribution: {self!r} cannot be evaluated: {exc}"
                ) from None
        if math.isnan(lo) or math.isnan(hi) or not lo <= hi:
            raise ValueError(
                f"Distribution: {self!r} has invalid parameters (scipy gives it "
                f"the support ({lo}, {hi})); check its arguments (for example a "
                "positive scale, or low < high)."
            )
        if not np.all(np.isfinite(q)):
            raise ValueError(
                f"Distribution: {self!r} gives non-finite values at the "
                f"quantiles {_CHECK_Q.tolist()} ({q.tolist()}); its parameters "
                "must be finite and valid."
            )
        if self._discrete and np.max(np.abs(q)) > _MAX_INT:
            raise ValueError(
                f"Distribution: {self!r} takes values beyond +-2**50, which the "
                "float64 unit coordinate cannot resolve one by one."
            )
        return lo, hi

    def __repr__(self):
        inner = getattr(self.dist, "dist", None)
        name = getattr(inner, "name", None) or type(inner).__name__
        args = tuple(getattr(self.dist, "args", ()))
        kwds = dict(getattr(self.dist, "kwds", {}))
        if getattr(inner, "xk", None) is not None:
            kwds["values"] = (list(inner.xk), list(inner.pk))
        parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwds.items()]
        return f"Distribution({name}({', '.join(parts)}))"

    @property
    def n_values(self):
        if self._values is not None:
            return len(self._values)
        if self._discrete and math.isfinite(self._hi - self._lo):
            return int(self._hi - self._lo) + 1
        return math.inf

    def support_values(self):
        """The values of positive mass of a discrete distribution, or None."""
        return None if self._values is None else self._values.copy()

    def _clip_q(self, u):
        upper = 1.0 if (self._discrete and math.isfinite(self._hi)) else 1.0 - _EPS
        return np.clip(u, _EPS, upper)

    def from_unit(self, u):
        if self._values is not None:
            # ppf(q) = the smallest value whose cdf reaches q
            q = self._clip_q(_as_unit(u))
            i = np.searchsorted(self._cdf, q, side="left")
            return self._values[np.minimum(i, len(self._values) - 1)]
        v = np.asarray(self.dist.ppf(self._clip_q(_as_unit(u))), dtype=np.float64)
        v = np.clip(v, self._lo, self._hi)
        if self._discrete:
            return v.astype(np.int64)
        return v

    def to_unit(self, values):
        v = np.asarray(values, dtype=np.float64)
        if self._values is not None:
            i = np.searchsorted(self._values, np.rint(v))
            i = np.clip(i, 0, len(self._values) - 1)
            centre = 0.5 * (self._cdf_before[i] + self._cdf[i])
            return np.clip(centre, 0.0, 1.0)
        if self._discrete:
            v = np.rint(v)
            upper = np.asarray(self.dist.cdf(v), dtype=np.float64)
            lower = np.asarray(self.dist.cdf(v - 1), dtype=np.float64)
            return np.clip(0.5 * (lower + upper), 0.0, 1.0)
        return np.clip(np.asarray(self.dist.cdf(v), dtype=np.float64), 0.0, 1.0)

    def index(self, u):
        # the value itself (an int for discrete distributions)
        return self.from_unit(u)
