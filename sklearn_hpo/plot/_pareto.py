"""The Pareto front of a ParetoSearchCV, in 2 or 3 objectives."""

import numpy as np

from sklearn_hpo.multiobjective import pareto_front_mask
from sklearn_hpo.plot._common import check_search, new_axes, pyplot
from sklearn_hpo.search import ParetoSearchCV

__all__ = ["plot_pareto_front"]


def front_steps(x, y, x_max):
    """The staircase bounding what the points ``(x, y)`` dominate.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
        Mutually non-dominated points.
    x_max : bool
        Whether the first objective is maximized (the direction of the
        second does not change the staircase).

    Returns
    -------
    x, y : ndarray
        The points sorted by ``x``.
    drawstyle : str
        ``"steps-pre"`` when ``x`` is maximized (between two points, the
        boundary is at the height of the right one: it dominates that
        stretch), ``"steps-post"`` when ``x`` is minimized (the left one).
    """
    order = np.argsort(x, kind="stable")
    return x[order], y[order], "steps-pre" if x_max else "steps-post"


def plot_pareto_front(search, objectives=None, ax=None):
    """The candidates of a ParetoSearchCV and its feasible Pareto front.

    Two objectives: a scatter of the feasible candidates (grey), the front
    (blue) joined by the staircase that bounds the region it dominates, the
    infeasible candidates (crosses) and the refitted candidate (a star).
    Three objectives: the same points in a 3-D scatter, without the
    staircase. Each axis is labelled with the objective and its direction.

    Parameters
    ----------
    search : fitted ParetoSearchCV
    objectives : list of 2 or 3 str, default=None
        Which objectives to draw (default: the first two or three). With
        more objectives than drawn, the staircase joins the front points
        that no point beats on the two drawn objectives.
    ax : matplotlib Axes, default=None
        Where to draw (3-D axes for three objectives); a new
        ``matplotlib.pyplot`` figure when None.

    Returns
    -------
    ax : matplotlib Axes
        Its ``collections`` are, in order: the other feasible candidates,
        the front, the infeasible candidates (if any), the refit choice (if
        any).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hpo import ParetoSearchCV
    >>> from sklearn_hpo.plot import plot_pareto_front
    >>> X, y = load_iris(return_X_y=True)
    >>> search = ParetoSearchCV(
    ...     DecisionTreeClassifier(random_state=0),
    ...     {"max_depth": (1, 8), "min_samples_leaf": (1, 20)},
    ...     objectives=["score", "model_size"],
    ...     n_iter=12, cv=3, strategy="sobol", random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_pareto_front(search)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('score (max)', 'model_size (min)')
    """
    plt = pyplot("plot_pareto_front")
    check_search(
        search, "plot_pareto_front", cls=ParetoSearchCV, attribute="pareto_indices_"
    )
    spec = dict(search.objectives_)
    names = list(objectives) if objectives is not None else list(spec)[:3]
    if len(names) not in (2, 3) or len(set(names)) != len(names):
        raise ValueError(
            f"objectives must name 2 or 3 distinct objectives of {list(spec)}, "
            f"got {objectives!r}."
        )
    unknown = [n for n in names if n not in spec]
    if unknown:
        raise ValueError(f"objectives {unknown} are not among {list(spec)}.")
    three = len(names) == 3
    if ax is not None and three and getattr(ax, "name", None) != "3d":
        raise ValueError(
            "Three objectives need 3-D axes: "
            "fig.add_subplot(projection='3d'), or ax=None."
        )
    results = search.cv_results_
    cols = [np.asarray(results[f"objective_{n}"], dtype=float) for n in names]
    finite = np.all(np.isfinite(cols), axis=0)
    feasible = np.asarray(results["feasible"], dtype=bool) & finite
    front = np.asarray(search.pareto_indices_, dtype=np.intp)
    on_front = np.zeros(len(feasible), dtype=bool)
    on_front[front] = True
    others = np.flatnonzero(feasible & ~on_front)
    infeasible = np.flatnonzero(finite & ~feasible)

    ax = new_axes(plt, ax, projection="3d" if three else None)
    ax.scatter(*[c[others] for c in cols], color="0.65", s=16, label="candidates")
    ax.scatter(*[c[front] for c in cols], color="C0", s=28, label="Pareto front")
    if len(infeasible):
        ax.scatter(
            *[c[infeasible] for c in cols],
            color="C1",
            marker="x",
            s=20,
            label="infeasible",
        )
    if not three and len(front) > 1:
        signs = np.array([1.0 if spec[n] == "max" else -1.0 for n in names])
        pts = np.column_stack([c[front] for c in cols])
        keep = pareto_front_mask(pts * signs)
        x, y, style = front_steps(pts[keep, 0], pts[keep, 1], spec[names[0]] == "max")
        ax.plot(x, y, color="C0", drawstyle=style, linewidth=1.2)
    best = getattr(search, "best_index_", None)
    if best is not None and finite[best]:
        ax.scatter(
            *[[c[best]] for c in cols],
            color="C3",
            marker="*",
            s=160,
            label="refit",
        )
    ax.set_xlabel(f"{names[0]} ({spec[names[0]]})")
    ax.set_ylabel(f"{names[1]} ({spec[names[1]]})")
    if three:
        ax.set_zlabel(f"{names[2]} ({spec[names[2]]})")
    ax.set_title("Pareto front")
    ax.legend()
    return ax
