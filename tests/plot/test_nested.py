"""plot_nested_cv: the report's per-fold plots in one figure."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sklearn_hpo.plot import plot_nested_cv


def test_two_panels_of_per_fold_results(nested):
    fig = plot_nested_cv(nested)
    outer, inner = fig.axes
    folds = nested.fold_results_
    # one line per outer metric and one dashed mean each
    assert len(outer.lines) == 4
    np.testing.assert_allclose(outer.lines[0].get_ydata(), folds["test_accuracy"])
    np.testing.assert_allclose(outer.lines[2].get_ydata(), folds["test_f1_macro"])
    assert [t.get_text() for t in outer.get_legend().get_texts()] == [
        "test_accuracy",
        "test_f1_macro",
    ]
    assert outer.get_xlabel() == "outer fold"
    (points,) = inner.collections
    np.testing.assert_allclose(
        points.get_offsets(), folds[["inner_best_score", "outer_score"]].to_numpy()
    )
    assert inner.get_xlabel().startswith("inner best score")
    assert fig.get_suptitle() == nested.report_.title


def test_given_axes(nested):
    fig, axes = plt.subplots(2, 1)
    assert plot_nested_cv(nested, axes=axes) is fig
    assert all(ax.has_data() for ax in axes)
    with pytest.raises(ValueError, match="2 Axes"):
        plot_nested_cv(nested, axes=[axes[0]])
