"""Search spaces: named dimensions, their unit cube, and disjoint unions.

Notation
--------
U : array of shape (n, d), values in [0, 1]
    Points of one subspace's unit cube, one column per varying dimension in
    the order of ``SubSpace.names``.
params : list of n dicts
    The hyperparameter settings those points stand for (fixed values
    included).

A :class:`SearchSpace` is a disjoint union of :class:`SubSpace` boxes, which
is how scikit-learn writes conditional parameters: a list of dicts such as
``[{"kernel": ["linear"], "C": ...}, {"kernel": ["poly"], "degree": ...}]``.
Each box has its own cube; samplers work inside one box at a time.

What is accepted as a dimension (``as_dimension``):

* :class:`Real`, :class:`Integer`, :class:`Categorical`, :class:`Distribution`;
* a scipy.stats frozen distribution (``loguniform(1e-3, 1e3)``, ``randint``);
* a scikit-optimize style tuple: ``(low, high)`` gives :class:`Integer` when
  both are integers and :class:`Real` otherwise, ``(low, high, prior)`` adds
  the prior. (Note that scikit-learn's ``RandomizedSearchCV`` reads a tuple as
  a list of choices; here a two- or three-element numeric tuple is a range.)
* a list (or other sequence, or 1-d array) of choices: :class:`Categorical`.
  A one-element list is a fixed value and takes no dimension of the cube.
"""

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from sklearn_hpo.space._dimensions import (
    _PRIORS,
    Categorical,
    Dimension,
    Distribution,
    Integer,
    Real,
)

__all__ = [
    "JointSubSpace",
    "SearchSpace",
    "SubSpace",
    "as_dimension",
    "as_search_space",
]

# A finite subspace at most this large can be listed cell by cell, which is
# how the search finds the last unseen candidates of a small space.
_MAX_ENUMERATE = 200_000


def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def as_dimension(spec, name="parameter", *, where="param_distributions"):
    """Turn one entry of ``param_distributions`` into a :class:`Dimension`.

    Parameters
    ----------
    spec : Dimension, scipy frozen distribution, tuple or sequence
        See the module docstring for what each form means.
    name : str
        The hyperparameter's name, used in error messages.
    where : str, default="param_distributions"
        What the estimator calls its space, used in error messages.

    Returns
    -------
    Dimension
    """
    where = f"{where}[{name!r}]"
    try:
        if isinstance(spec, Dimension):
            return spec
        if (
            isinstance(spec, tuple)
            and 2 <= len(spec) <= 3
            and all(_is_number(v) for v in spec[:2])
        ):
            prior = spec[2] if len(spec) == 3 else "uniform"
            if len(spec) == 3 and not isinstance(prior, str):
                # (a, b, c) of numbers: a list of three choices.
                return Categorical(spec)
            if prior not in _PRIORS:
                raise ValueError(f"prior must be one of {_PRIORS}, got {prior!r}.")
            low, high = spec[0], spec[1]
            if isinstance(low, numbers.Integral) and isinstance(high, numbers.Integral):
                return Integer(low, high, prior=prior)
            return Real(low, high, prior=prior)
        if hasattr(spec, "ppf") and hasattr(spec, "cdf"):
            return Distribution(spec)
        if hasattr(spec, "rvs"):
            raise TypeError(
                f"{spec!r} can be sampled (it has rvs) but has no ppf/cdf, which "
                "quasi-random and model-based search need. Use a scipy.stats "
                "frozen distribution, or Real/Integer/Categorical."
            )
        if isinstance(spec, (str, bytes, Mapping)):
            raise TypeError(
                f"expected a list of values, a (low, high[, prior]) tuple, a "
                f"scipy.stats distribution or a Real/Integer/Categorical; got "
                f"{spec!r}. For a single value write [{spec!r}]."
            )
        if isinstance(spec, (Sequence, np.ndarray)):
            if isinstance(spec, np.ndarray) and spec.ndim != 1:
                raise ValueError(
                    f"an array of choices must be 1-d, got shape {spec.shape}."
                )
            if isinstance(spec, np.ndarray):
                return Categorical(spec.tolist())
            return Categorical(list(spec))
        raise TypeError(
            f"expected a list of values, a (low, high[, prior]) tuple, a "
            f"scipy.stats distribution or a Real/Integer/Categorical; got "
            f"{spec!r} of type {type(spec).__name__}."
        )
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from None


class SubSpace:
    """One box of a search space: named dimensions plus fixed values.

    Parameters
    ----------
    params : dict
        Maps each hyperparameter name to anything :func:`as_dimension`
        accepts.

    Attributes
    ----------
    names : list of str
        Names of the varying dimensions, in cube-column order.
    dimensions : list of Dimension
        The varying dimensions.
    fixed : dict
        Parameters with a single value; they take no column of the cube.
    """

    def __init__(self, params, *, where="param_distributions"):
        if not isinstance(params, Mapping):
            raise TypeError(
                f"{where} must be a dict or a list of dicts, got "
                f"{type(params).__name__}: {params!r}."
            )
        self._order = []
        self.names, self.dimensions, self.fixed = [], [], {}
        for key, spec in params.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"{where}: parameter names must be strings, got {key!r}."
                )
            dim = as_dimension(spec, key, where=where)
            self._order.append(key)
            if isinstance(dim, Categorical) and dim.n_values == 1:
                self.fixed[key] = dim.choices[0]
            else:
                self.names.append(key)
                self.dimensions.append(dim)

    def __repr__(self):
        items = [
            f"{n!r}: {d!r}" for n, d in zip(self.names, self.dimensions, strict=True)
        ]
        items += [f"{n!r}: [{v!r}]" for n, v in self.fixed.items()]
        return "SubSpace({" + ", ".join(items) + "})"

    @property
    def n_dims(self):
        """Number of varying dimensions, the width of the cube."""
        return len(self.dimensions)

    @property
    def cardinality(self):
        """Number of distinct settings (``math.inf`` if any dimension is continuous)."""
        out = 1
        for dim in self.dimensions:
            out *= dim.n_values
        return out

    def _check_U(self, U):
        U = np.asarray(U, dtype=np.float64)
        if U.ndim != 2 or U.shape[1] != self.n_dims:
            raise ValueError(
                f"expected points of shape (n, {self.n_dims}), got {U.shape}."
            )
        return U

    def from_unit(self, U):
        """Map points of shape (n, d) to a list of n parameter dicts."""
        U = self._check_U(U)
        n = U.shape[0]
        columns = {
            name: dim.from_unit(U[:, j]).tolist()
            for j, (name, dim) in enumerate(
                zip(self.names, self.dimensions, strict=True)
            )
        }
        out = []
        for i in range(n):
            params = {}
            for key in self._order:
                params[key] = columns[key][i] if key in columns else self.fixed[key]
            out.append(params)
        return out

    def to_unit(self, params):
        """Map a list of parameter dicts to points of shape (n, d)."""
        U = np.empty((len(params), self.n_dims))
        for j, (name, dim) in enumerate(zip(self.names, self.dimensions, strict=True)):
            U[:, j] = dim.to_unit([p[name] for p in params])
        return U

    def snap(self, U):
        """Canonical coordinates: each point moved to the centre of its cell."""
        U = np.clip(self._check_U(U), 0.0, 1.0)
        out = U.copy()
        for j, dim in enumerate(self.dimensions):
            out[:, j] = dim.snap(U[:, j])
        return out

    def keys(self, U):
        """One hashable key per point, equal exactly when the settings are equal."""
        U = self._check_U(U)
        if self.n_dims == 0:
            return [()] * U.shape[0]
        cols = [dim.index(U[:, j]).tolist() for j, dim in enumerate(self.dimensions)]
        return list(zip(*cols, strict=True))

    def enumerate(self):
        """All points of a finite subspace, shape (cardinality, d), or None.

        None when the subspace is continuous or has more than 200,000 points.
        """
        card = self.cardinality
        if not math.isfinite(card) or card > _MAX_ENUMERATE:
            return None
        if self.n_dims == 0:
            return np.empty((1, 0))
        axes = []
        for dim in self.dimensions:
            if isinstance(dim, Categorical):
                axes.append(dim._centres)
            elif isinstance(dim, Integer):
                axes.append(dim.to_unit(np.arange(dim.low, dim.high + 1)))
            else:  # a discrete Distribution
                values = dim.support_values()
                if values is None:
                    return None
                axes.append(dim.to_unit(values))
        grids = np.meshgrid(*axes, indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1)


class SearchSpace:
    """A search space: one :class:`SubSpace` or a disjoint union of them.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        What ``RandomizedSearchCV`` accepts, plus scikit-optimize style tuples
        and :class:`Real`, :class:`Integer`, :class:`Categorical`. A list of
        dicts is a union of disjoint subspaces (conditional parameters).

    Attributes
    ----------
    subspaces : tuple of SubSpace

    Examples
    --------
    >>> from sklearn_hpo.space import SearchSpace
    >>> space = SearchSpace({"C": (1e-2, 1e2, "log-uniform"), "kernel": ["rbf"]})
    >>> space.subspaces[0].names, space.subspaces[0].fixed
    (['C'], {'kernel': 'rbf'})
    >>> [round(p["C"], 6) for p in space.subspaces[0].from_unit([[0.0], [0.5], [1.0]])]
    [0.01, 1.0, 100.0]
    """

    def __init__(self, param_distributions, *, where="param_distributions"):
        if isinstance(param_distributions, Mapping):
            dicts = [param_distributions]
        elif isinstance(param_distributions, (list, tuple)):
            dicts = list(param_distributions)
            if not dicts:
                raise ValueError(
                    f"{where}: an empty list has no candidates; give a "
                    "dict or a non-empty list of dicts."
                )
        else:
            raise TypeError(
                f"{where} must be a dict or a list of dicts, got "
                f"{type(param_distributions).__name__}."
            )
        subspaces = []
        for i, d in enumerate(dicts):
            if not isinstance(d, Mapping):
                raise TypeError(
                    f"{where}[{i}] must be a dict, got {type(d).__name__}: {d!r}."
                )
            subspaces.append(
                SubSpace(d, where=where if len(dicts) == 1 else f"{where}[{i}]")
            )
        self.subspaces = tuple(subspaces)

    def __repr__(self):
        return f"SearchSpace({list(self.subspaces)!r})"

    @property
    def cardinality(self):
        """Total number of distinct settings (``math.inf`` for a continuum)."""
        return sum(s.cardinality for s in self.subspaces)

    def allocate(self, n):
        """Split a budget of ``n`` candidates across the subspaces.

        Each subspace gets a share proportional to its size capped at the
        budget, ``min(cardinality, n)`` (so two continuous subspaces share
        equally, and a subspace of three settings gets about ``3 / (3 + n)``
        of the budget), never more than it holds; largest remainders break
        ties, earlier subspaces first. The shares add up to
        ``min(n, cardinality)``.

        Returns
        -------
        list of int
        """
        caps = np.array([min(s.cardinality, n) for s in self.subspaces], float)
        alloc = np.zeros(len(caps), dtype=np.int64)
        remaining = int(min(n, caps.sum()))
        while remaining > 0:
            open_ = alloc < caps
            w = np.where(open_, caps, 0.0)
            share = remaining * w / w.sum()
            add = np.floor(share).astype(np.int64)
            left = remaining - add.sum()
            order = np.argsort(-(share - add), kind="stable")
            for i in order[:left]:
                add[i] += 1
            add = np.minimum(add, (caps - alloc).astype(np.int64))
            alloc += add
            remaining = int(min(n, caps.sum())) - int(alloc.sum())
        return alloc.tolist()


class JointSubSpace:
    """The subspaces of a :class:`SearchSpace` as one cube, for one search.

    Column 0 is a selector (a categorical over the subspaces); then come the
    varying dimensions of every subspace, where a name with the same
    dimension in several subspaces shares one column (so that a model learns
    its effect from all of them). A point uses the selector's subspace and
    its columns; the other columns are inactive and held at 0.5 by
    :meth:`snap`. It offers what the search engine and the samplers use of a
    :class:`SubSpace`: ``n_dims``, ``dimensions``, ``names``,
    ``cardinality``, ``from_unit``, ``snap``, ``keys`` and ``enumerate``.

    Parameters
    ----------
    space : SearchSpace
    """

    def __init__(self, space):
        self.subspaces = tuple(space.subspaces)
        self.selector = Categorical(list(range(len(self.subspaces))))
        columns = {}  # (name, repr(dim)) -> column
        self.dimensions, self.names = [self.selector], ["<subspace>"]
        self._cols = []  # per subspace: the columns of its dimensions
        for sub in self.subspaces:
            cols = []
            for name, dim in zip(sub.names, sub.dimensions, strict=True):
                key = (name, repr(dim))
                if key not in columns:
                    columns[key] = len(self.dimensions)
                    self.dimensions.append(dim)
                    self.names.append(name)
                cols.append(columns[key])
            self._cols.append(np.asarray(cols, dtype=np.intp))
        self.fixed = {}

    def __repr__(self):
        return f"JointSubSpace({list(self.subspaces)!r})"

    @property
    def n_dims(self):
        return len(self.dimensions)

    @property
    def cardinality(self):
        return sum(s.cardinality for s in self.subspaces)

    def _which(self, U):
        return self.selector.index(U[:, 0])

    def from_unit(self, U):
        U = np.asarray(U, dtype=np.float64).reshape(-1, self.n_dims)
        which = self._which(U)
        out = [None] * len(U)
        for k, sub in enumerate(self.subspaces):
            rows = np.flatnonzero(which == k)
            if len(rows):
                params = sub.from_unit(U[np.ix_(rows, self._cols[k])])
                for i, p in zip(rows, params, strict=True):
                    out[i] = p
        return out

    def snap(self, U):
        U = np.clip(np.asarray(U, dtype=np.float64).reshape(-1, self.n_dims), 0, 1)
        out = np.full_like(U, 0.5)
        which = self._which(U)
        out[:, 0] = self.selector.snap(U[:, 0])
        for k, sub in enumerate(self.subspaces):
            rows = np.flatnonzero(which == k)
            if len(rows) and len(self._cols[k]):
                block = sub.snap(U[np.ix_(rows, self._cols[k])])
                out[np.ix_(rows, self._cols[k])] = block
        return out

    def inactive(self, U):
        """Mask (m, d) of the columns a point does not use (held at 0.5)."""
        U = np.asarray(U, dtype=np.float64).reshape(-1, self.n_dims)
        used = np.zeros((len(self.subspaces), self.n_dims), dtype=bool)
        used[:, 0] = True
        for k, cols in enumerate(self._cols):
            used[k, cols] = True
        return ~used[self._which(U)]

    def keys(self, U):
        U = np.asarray(U, dtype=np.float64).reshape(-1, self.n_dims)
        which = self._which(U)
        out = [None] * len(U)
        for k, sub in enumerate(self.subspaces):
            rows = np.flatnonzero(which == k)
            if len(rows):
                keys = sub.keys(U[np.ix_(rows, self._cols[k])])
                for i, key in zip(rows, keys, strict=True):
                    out[i] = (k, *key)
        return out

    def enumerate(self):
        """Every point of a finite joint space (None if any part is infinite)."""
        blocks = []
        for k, sub in enumerate(self.subspaces):
            grid = sub.enumerate()
            if grid is None:
                return None
            block = np.full((len(grid), self.n_dims), 0.5)
            block[:, 0] = self.selector._centres[k]
            block[:, self._cols[k]] = grid
            blocks.append(block)
        return np.vstack(blocks)


def as_search_space(param_distributions, *, where="param_distributions"):
    """Return ``param_distributions`` as a :class:`SearchSpace`.

    ``where`` names the space in error messages (``search_spaces`` for
    BayesSearchCV).

    A ``SearchSpace`` is returned as it is; anything else is parsed.
    """
    if isinstance(param_distributions, SearchSpace):
        return param_distributions
    return SearchSpace(param_distributions, where=where)
