"""What every plot shares: the missing extra, unfitted searches, wrong types."""

import ast
import sys
from pathlib import Path

import pytest
from sklearn.exceptions import NotFittedError
from sklearn.svm import SVC

import sklearn_hpo.plot
from sklearn_hpo import HyperbandSearchCV, NestedCV, ParetoSearchCV, SobolSearchCV
from sklearn_hpo.plot import (
    param_importance,
    plot_convergence,
    plot_hyperband_rungs,
    plot_nested_cv,
    plot_param_importance,
    plot_pareto_front,
    plot_partial_dependence,
)


@pytest.fixture
def no_matplotlib(monkeypatch):
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)


def _calls(sobol, hyperband, pareto2, nested):
    return {
        "plot_convergence": lambda: plot_convergence(sobol),
        "plot_param_importance": lambda: plot_param_importance(sobol),
        "plot_partial_dependence": lambda: plot_partial_dependence(sobol, "max_depth"),
        "plot_hyperband_rungs": lambda: plot_hyperband_rungs(hyperband),
        "plot_pareto_front": lambda: plot_pareto_front(pareto2),
        "plot_nested_cv": lambda: plot_nested_cv(nested),
    }


def test_without_matplotlib_each_plot_names_the_extra(
    sobol, hyperband, pareto2, nested, no_matplotlib
):
    for name, call in _calls(sobol, hyperband, pareto2, nested).items():
        with pytest.raises(
            ImportError, match=r"pip install 'sklearn-hpo\[plot\]'"
        ) as e:
            call()
        assert name in str(e.value)
    # the numbers need no matplotlib
    assert len(param_importance(sobol)) == 2


def test_unfitted_searches_raise_not_fitted():
    search = SobolSearchCV(SVC(), {"C": (0.1, 10.0)})
    for call in (plot_convergence, plot_param_importance):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            call(search)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        plot_partial_dependence(search, "C")
    with pytest.raises(NotFittedError, match="HyperbandSearchCV is not fitted"):
        plot_hyperband_rungs(HyperbandSearchCV(SVC(), {"C": (0.1, 10.0)}))
    pareto = ParetoSearchCV(SVC(), {"C": (0.1, 10.0)}, objectives=["score", "fit_time"])
    with pytest.raises(NotFittedError, match="ParetoSearchCV is not fitted"):
        plot_pareto_front(pareto)
    with pytest.raises(NotFittedError, match="NestedCV is not fitted"):
        plot_nested_cv(NestedCV(search))


def test_wrong_types_raise_type_error(sobol, pareto2):
    with pytest.raises(TypeError, match="hyperparameter search"):
        plot_convergence(SVC())
    with pytest.raises(TypeError, match="hyperparameter search"):
        plot_param_importance(SVC())
    with pytest.raises(TypeError, match="HyperbandSearchCV"):
        plot_hyperband_rungs(sobol)
    with pytest.raises(TypeError, match="ParetoSearchCV, got SobolSearchCV"):
        plot_pareto_front(sobol)
    with pytest.raises(TypeError, match="NestedCV, got ParetoSearchCV"):
        plot_nested_cv(pareto2)


def test_matplotlib_is_imported_inside_functions_only():
    # ``import sklearn_hpo.plot`` must work without the extra: no module of
    # the package imports matplotlib at its top level
    package = Path(sklearn_hpo.plot.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "matplotlib" for n in names), path


def test_space_of_a_conditional_search_is_refused():
    from sklearn.datasets import load_iris

    search = SobolSearchCV(
        SVC(),
        [
            {"kernel": ["linear"], "C": (0.1, 10.0)},
            {"kernel": ["rbf"], "gamma": (0.01, 1.0)},
        ],
        n_iter=8,
        cv=3,
        random_state=0,
    ).fit(*load_iris(return_X_y=True))
    with pytest.raises(ValueError, match="list of 2 dicts"):
        param_importance(search)
