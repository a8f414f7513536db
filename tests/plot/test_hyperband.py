"""plot_hyperband_rungs: one line per candidate, score against resource."""

import warnings

import numpy as np
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV
from sklearn.tree import DecisionTreeClassifier

from sklearn_hpo.plot import plot_hyperband_rungs
from tests.plot.conftest import IRIS


def test_one_line_per_candidate_with_its_rungs(hyperband):
    res = hyperband.cv_results_
    ax = plot_hyperband_rungs(hyperband)
    candidates = list(dict.fromkeys(res["candidate"]))  # order of first row
    assert len(ax.lines) == len(candidates)
    for line, c in zip(ax.lines, candidates, strict=True):
        rows = np.flatnonzero(res["candidate"] == c)
        rows = rows[np.argsort(res["n_resources"][rows])]
        np.testing.assert_array_equal(line.get_xdata(), res["n_resources"][rows])
        np.testing.assert_array_equal(line.get_ydata(), res["mean_test_score"][rows])
        assert line.get_color() == f"C{res['bracket'][rows[0]]}"
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "resource (max_iter)"
    assert ax.get_ylabel() == "mean test score"
    brackets = sorted(set(res["bracket"]))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend[:-1]) == [f"bracket {b}" for b in brackets]
    assert legend[-1] == "best (refit)"
    (star,) = ax.collections
    b = hyperband.best_index_
    np.testing.assert_array_equal(
        star.get_offsets(), [[res["n_resources"][b], res["mean_test_score"][b]]]
    )


def test_scikit_learns_halving_search():
    search = HalvingGridSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": [1, 2, 3, 4, 5, 6]},
        cv=3,
        factor=2,
        min_resources=30,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(*IRIS)
    ax = plot_hyperband_rungs(search)
    assert len(ax.lines) == 6  # one per depth, whatever the iterations
    n_rows = sum(len(line.get_xdata()) for line in ax.lines)
    assert n_rows == len(search.cv_results_["params"])
    assert ax.get_xlabel() == "resource (n_samples)"
