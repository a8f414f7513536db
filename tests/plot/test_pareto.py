"""plot_pareto_front: candidates, front, staircase, 3-D."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sklearn_hpo.plot import plot_pareto_front
from sklearn_hpo.plot._pareto import front_steps


def _corners(x, y, style):
    """The outer corners of a step line through (x, y)."""
    if style == "steps-pre":
        return np.column_stack([x[:-1], y[1:]])
    return np.column_stack([x[1:], y[:-1]])


@pytest.mark.parametrize("x_max", [True, False])
@pytest.mark.parametrize("y_max", [True, False])
def test_staircase_bounds_the_dominated_region(x_max, y_max):
    # a front in the given directions: x better <-> y worse
    t = np.array([0.0, 1.0, 2.5, 3.0])
    x = t if x_max else -t
    y = -(t**0.5) if y_max else t**0.5
    sx, sy = (1 if x_max else -1), (1 if y_max else -1)
    xs, ys, style = front_steps(x, y, x_max)
    assert np.all(np.diff(xs) >= 0)
    # every corner of the staircase is weakly dominated by a front point...
    for cx, cy in _corners(xs, ys, style):
        assert np.any((sx * x >= sx * cx) & (sy * y >= sy * cy))
    # ...while the other staircase's corners are dominated by none
    other = "steps-post" if style == "steps-pre" else "steps-pre"
    for cx, cy in _corners(xs, ys, other):
        assert not np.any((sx * x >= sx * cx) & (sy * y >= sy * cy))


def test_two_objectives(pareto2):
    res = pareto2.cv_results_
    ax = plot_pareto_front(pareto2)
    front = pareto2.pareto_indices_
    score, size = res["objective_score"], res["objective_model_size"]
    others, on_front, refit = ax.collections  # all feasible: no crosses
    np.testing.assert_allclose(
        on_front.get_offsets(), np.column_stack([score, size])[front]
    )
    assert len(others.get_offsets()) == len(score) - len(front)
    b = pareto2.best_index_
    np.testing.assert_allclose(refit.get_offsets(), [[score[b], size[b]]])
    (steps,) = ax.lines
    # score is maximized: the boundary takes the height of the right point
    assert steps.get_drawstyle() == "steps-pre"
    order = np.argsort(score[front], kind="stable")
    np.testing.assert_allclose(steps.get_xdata(), score[front][order])
    np.testing.assert_allclose(steps.get_ydata(), size[front][order])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("score (max)", "model_size (min)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "candidates",
        "Pareto front",
        "refit",
    ]


def test_two_of_three_objectives_and_3d(pareto3):
    ax = plot_pareto_front(pareto3, objectives=["model_size", "score"])
    assert ax.lines[0].get_drawstyle() == "steps-post"  # model_size minimized
    assert ax.get_xlabel() == "model_size (min)"
    ax = plot_pareto_front(pareto3)
    assert ax.name == "3d"
    assert ax.get_zlabel() == "fit_time (min)"
    assert not ax.lines  # no staircase in 3-D
    front = ax.collections[1]
    assert len(front._offsets3d[0]) == len(pareto3.pareto_indices_)


def test_errors(pareto2, pareto3):
    with pytest.raises(ValueError, match="2 or 3 distinct"):
        plot_pareto_front(pareto2, objectives=["score"])
    with pytest.raises(ValueError, match="not among"):
        plot_pareto_front(pareto2, objectives=["score", "accuracy"])
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="3-D axes"):
        plot_pareto_front(pareto3, ax=ax)
