"""Plots of fitted searches (the ``plot`` extra: ``pip install 'sklearn-hpo[plot]'``).

Each function takes a fitted search and draws one picture of it:

* :func:`plot_convergence`: the best score so far against evaluations or
  cumulative fit time, for one search or several overlaid;
* :func:`plot_param_importance`: the importance of each hyperparameter,
  from the lengthscales of a GP surrogate (ARD relevance) or from a
  variance decomposition of its mean (first-order Sobol' indices);
* :func:`plot_partial_dependence`: the surrogate's partial dependence on one
  parameter (a line with a band) or two (contours);
* :func:`plot_hyperband_rungs`: a HyperbandSearchCV's scores against the
  resource, one line per candidate;
* :func:`plot_pareto_front`: a ParetoSearchCV's candidates and front, in
  two or three objectives;
* :func:`plot_nested_cv`: a NestedCV's per-fold results.

:func:`param_importance` and :func:`partial_dependence` return the numbers
the surrogate plots draw. The searches do not keep their GP after ``fit``:
the surrogate is a :class:`~sklearn_hpo.gp.GaussianProcess` refitted to the
candidates' mean test scores on the unit cube of the search's own space
(see :mod:`sklearn_hpo.plot._surrogate` for the formulas), so these work for
any search over one dict of parameters, scikit-learn's included.

Conventions: every function takes ``ax=None`` (``axes`` for the two-panel
:func:`plot_nested_cv`) and, when it is None, creates a new figure with
``matplotlib.pyplot``, so that ``plt.show()`` and notebooks display it
(close it with ``plt.close(fig)`` in a loop). Each returns what it drew on:
a matplotlib Axes, or the Figure for :func:`plot_nested_cv`. matplotlib is
imported when a plot is drawn, never by ``import sklearn_hpo`` or
``import sklearn_hpo.plot``; without it, drawing raises an ImportError
naming the extra to install. An unfitted search raises scikit-learn's
``NotFittedError``; an object of the wrong kind a ``TypeError``.
"""

from sklearn_hpo.plot._convergence import plot_convergence
from sklearn_hpo.plot._hyperband import plot_hyperband_rungs
from sklearn_hpo.plot._inspection import (
    param_importance,
    partial_dependence,
    plot_param_importance,
    plot_partial_dependence,
)
from sklearn_hpo.plot._nested import plot_nested_cv
from sklearn_hpo.plot._pareto import plot_pareto_front

__all__ = [
    "param_importance",
    "partial_dependence",
    "plot_convergence",
    "plot_hyperband_rungs",
    "plot_nested_cv",
    "plot_param_importance",
    "plot_partial_dependence",
    "plot_pareto_front",
]
