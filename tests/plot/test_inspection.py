"""Parameter importance and partial dependence of fitted searches, and their plots."""

import matplotlib
import numpy as np
import pytest

from sklearn_hpo.plot import (
    param_importance,
    partial_dependence,
    plot_param_importance,
    plot_partial_dependence,
)


# ---------------------------------------------------------------- numbers
def test_importance_of_a_bayes_search(bayes):
    rel = param_importance(bayes)
    assert list(rel.index) == ["C", "gamma", "kernel"] and rel.name == "lengthscale"
    assert np.all(rel > 0)
    shares = param_importance(bayes, method="variance")
    assert shares.name == "variance"
    assert np.all((shares >= 0) & (shares <= 1)) and shares.sum() <= 1 + 1e-9
    # deterministic for a given random_state
    np.testing.assert_array_equal(shares, param_importance(bayes, method="variance"))


def test_importance_of_scikit_learns_grid_search(grid):
    shares = param_importance(grid, method="variance")
    assert set(shares.index) == {"max_depth", "criterion"}
    # on iris a tree's depth matters far more than its split criterion
    assert shares["max_depth"] > 0.5 > shares["criterion"]


def test_importance_of_hyperband_uses_one_resource(hyperband):
    rel = param_importance(hyperband)
    assert list(rel.index) == ["alpha"]


def test_partial_dependence_of_a_log_uniform_parameter(bayes):
    pd = partial_dependence(bayes, "C", grid_resolution=30)
    (values,) = pd.grid_values
    assert values.shape == pd.average.shape == pd.std.shape == (30,)
    # log-uniform: the grid is evenly spaced in log C, from bound to bound
    np.testing.assert_allclose(
        np.log(values), np.linspace(np.log(1e-2), np.log(1e2), 30)
    )
    assert np.all(pd.std > 0)
    assert len(pd.observed_scores) == len(bayes.cv_results_["params"])
    np.testing.assert_allclose(pd.observed_scores, bayes.cv_results_["mean_test_score"])


def test_partial_dependence_of_a_categorical_and_two_parameters(bayes, grid):
    pd = partial_dependence(bayes, "kernel")
    assert pd.grid_values[0].tolist() == ["rbf", "linear"]
    pd = partial_dependence(grid, "max_depth")
    assert pd.grid_values[0].tolist() == [1, 2, 4, 8]
    pd = partial_dependence(bayes, ["C", "kernel"], grid_resolution=7)
    assert pd.average.shape == (7, 2) and pd.std is None


def test_partial_dependence_errors(bayes):
    with pytest.raises(ValueError, match="not varying parameters"):
        partial_dependence(bayes, "degree")
    with pytest.raises(ValueError, match="one or two"):
        partial_dependence(bayes, ["C", "gamma", "kernel"])
    with pytest.raises(ValueError, match="same parameter twice"):
        partial_dependence(bayes, ["C", "C"])
    with pytest.raises(ValueError, match="method must be one of"):
        param_importance(bayes, method="shap")


# ------------------------------------------------------------------ plots
@pytest.mark.parametrize("method", ["lengthscale", "variance"])
def test_importance_bars(bayes, method):
    values = param_importance(bayes, method=method)
    ax = plot_param_importance(bayes, method=method)
    bars = ax.patches
    assert len(bars) == 3
    widths = np.array([b.get_width() for b in bars])
    # sorted, the most important on top (drawn last)
    np.testing.assert_allclose(widths, np.sort(values.to_numpy()))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(values.sort_values(kind="stable").index)
    assert "BayesSearchCV" in ax.get_title()
    expected = "1 / GP lengthscale" if method == "lengthscale" else "share"
    assert expected in ax.get_xlabel()


def test_one_parameter_line_band_and_dots(bayes):
    pd = partial_dependence(bayes, "C")
    ax = plot_partial_dependence(bayes, "C")
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_xdata(), pd.grid_values[0])
    np.testing.assert_allclose(line.get_ydata(), pd.average)
    band, dots = ax.collections
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == pytest.approx((pd.average - 2 * pd.std).min())
    assert vertices[:, 1].max() == pytest.approx((pd.average + 2 * pd.std).max())
    np.testing.assert_allclose(dots.get_offsets()[:, 1], pd.observed_scores)
    assert len(dots.get_offsets()) == len(bayes.cv_results_["params"])
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "C" and ax.get_ylabel() == "score (partial dependence)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "partial dependence",
        "± 2 std",
        "candidates",
    ]


def test_one_categorical_parameter_has_one_tick_per_choice(bayes):
    ax = plot_partial_dependence(bayes, "kernel")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["rbf", "linear"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1])
    kernels = [p["kernel"] for p in bayes.cv_results_["params"]]
    np.testing.assert_array_equal(
        ax.collections[1].get_offsets()[:, 0],
        [["rbf", "linear"].index(k) for k in kernels],
    )


def test_two_parameters_draw_contours_and_a_colour_bar(bayes):
    ax = plot_partial_dependence(bayes, ["C", "gamma"], grid_resolution=9)
    contours = [
        c for c in ax.collections if isinstance(c, matplotlib.contour.ContourSet)
    ]
    assert len(contours) == 1
    pd = partial_dependence(bayes, ["C", "gamma"], grid_resolution=9)
    levels = contours[0].levels
    assert levels.min() <= pd.average.min() and levels.max() >= pd.average.max()
    dots = [c for c in ax.collections if c not in contours]
    assert len(dots) == 1
    params = bayes.cv_results_["params"]
    np.testing.assert_allclose(
        dots[0].get_offsets(), [[p["C"], p["gamma"]] for p in params]
    )
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("C", "gamma")
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert len(ax.figure.axes) == 2  # the plot and its colour bar


def test_integer_parameter_of_a_grid_search(grid):
    ax = plot_partial_dependence(grid, "max_depth")
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 4, 8])
    assert ax.get_xscale() == "linear"
    assert len(ax.collections[1].get_offsets()) == 8  # 4 depths x 2 criteria
