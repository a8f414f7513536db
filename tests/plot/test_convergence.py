"""plot_convergence: the running best, its x-axis, overlays and legends."""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from sklearn_hpo import SobolSearchCV
from sklearn_hpo.plot import plot_convergence
from tests.plot.conftest import IRIS, TREE_SPACE


class FakeSearch:
    """Just what a plot reads: cv_results_ (with a failed candidate)."""

    def __init__(self, scores, fit_time, n_splits=3):
        n = len(scores)
        self.cv_results_ = {
            "params": [{"a": i} for i in range(n)],
            "mean_test_score": np.asarray(scores, dtype=float),
            "mean_fit_time": np.asarray(fit_time, dtype=float),
            "mean_score_time": np.full(n, 0.5),
            **{f"split{k}_test_score": np.zeros(n) for k in range(n_splits)},
        }


def test_line_is_the_running_max_in_candidate_order(sobol):
    ax = plot_convergence(sobol)
    y = sobol.cv_results_["mean_test_score"]
    assert len(ax.lines) == 1
    line = ax.lines[0]
    np.testing.assert_array_equal(line.get_xdata(), np.arange(1, len(y) + 1))
    np.testing.assert_array_equal(line.get_ydata(), np.maximum.accumulate(y))
    assert line.get_drawstyle() == "steps-post"
    # the dots: every candidate's own score
    (dots,) = ax.collections
    np.testing.assert_array_equal(dots.get_offsets()[:, 1], y)
    assert ax.get_xlabel() == "evaluations"
    assert ax.get_ylabel() == "best score so far"
    assert ax.get_legend() is None


def test_failed_candidates_are_skipped():
    search = FakeSearch([np.nan, 0.5, np.nan, 0.4, 0.9], [1, 1, 1, 1, 1])
    line = plot_convergence(search).lines[0]
    np.testing.assert_array_equal(line.get_ydata(), [np.nan, 0.5, 0.5, 0.5, 0.9])


def test_time_axis_is_cumulative_fit_and_score_time():
    search = FakeSearch([0.1, 0.3, 0.2], [1.0, 2.0, 0.5], n_splits=4)
    line = plot_convergence(search, x="time").lines[0]
    # (fit + score) * splits: 6, 10, 4 -> 6, 16, 20
    np.testing.assert_allclose(line.get_xdata(), [6.0, 16.0, 20.0])
    np.testing.assert_allclose(line.get_ydata(), [0.1, 0.3, 0.3])
    assert line.axes.get_xlabel() == "cumulative fit + score time (s)"


def test_time_axis_of_a_real_search(bayes):
    res = bayes.cv_results_
    line = plot_convergence(bayes, x="time").lines[0]
    expected = np.cumsum((res["mean_fit_time"] + res["mean_score_time"]) * 3)
    np.testing.assert_allclose(line.get_xdata(), expected)


def test_overlay_with_default_and_given_labels(sobol, bayes):
    ax = plot_convergence([sobol, bayes])
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "SobolSearchCV",
        "BayesSearchCV",
    ]
    np.testing.assert_array_equal(
        ax.lines[1].get_ydata(),
        np.maximum.accumulate(bayes.cv_results_["mean_test_score"]),
    )
    ax = plot_convergence([sobol, sobol], labels=["first", "second"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first", "second"]
    ax = plot_convergence([sobol, sobol])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "SobolSearchCV #1",
        "SobolSearchCV #2",
    ]


def test_draws_on_the_given_axes(sobol):
    import matplotlib.pyplot as plt

    _, (left, right) = plt.subplots(1, 2)
    assert plot_convergence(sobol, ax=right) is right
    assert len(right.lines) == 1 and not left.lines


def test_multimetric_uses_the_refit_metric_or_the_one_asked():
    search = SobolSearchCV(
        DecisionTreeClassifier(random_state=0),
        TREE_SPACE,
        n_iter=8,
        cv=3,
        scoring=["accuracy", "f1_macro"],
        refit="f1_macro",
        random_state=0,
    ).fit(*IRIS)
    ax = plot_convergence(search)
    assert ax.get_ylabel() == "best f1_macro so far"
    np.testing.assert_array_equal(
        ax.lines[0].get_ydata(),
        np.maximum.accumulate(search.cv_results_["mean_test_f1_macro"]),
    )
    ax = plot_convergence(search, metric="accuracy")
    assert ax.get_ylabel() == "best accuracy so far"
    with pytest.raises(ValueError, match="metric='recall'"):
        plot_convergence(search, metric="recall")


def test_errors(sobol):
    with pytest.raises(ValueError, match="x must be one of"):
        plot_convergence(sobol, x="wall")
    with pytest.raises(ValueError, match="labels has 1 entries for 2"):
        plot_convergence([sobol, sobol], labels=["one"])
    with pytest.raises(ValueError, match="empty list"):
        plot_convergence([])


def test_y_axis_fits_the_running_best():
    search = FakeSearch([0.9, 0.1, 0.95, 0.99], [1, 1, 1, 1])
    ax = plot_convergence(search)
    lo, hi = ax.get_ylim()
    # from the first best (0.9) to the last (0.99), padded; 0.1 falls off
    assert lo == pytest.approx(0.9 - 0.5 * 0.09) and hi == pytest.approx(
        0.99 + 0.15 * 0.09
    )
