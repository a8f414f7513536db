"""NestedCV: outer scores, isolation of the outer test parts, groups, reports."""

import base64
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import Ridge, RidgeClassifier
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    StratifiedKFold,
    TimeSeriesSplit,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from sklearn_hpo import NestedCV, SobolSearchCV, compare_nested_cv
from sklearn_hpo.report import corrected_resampled_ttest
from sklearn_hpo.report._render import format_cell
from sklearn_hpo.space import Real

IRIS = load_iris(return_X_y=True)


def svc_grid(**kwargs):
    return GridSearchCV(
        SVC(), {"C": [0.1, 1, 10], "kernel": ["rbf", "linear"]}, **kwargs
    )


# -- a spy: every fit records the rows it saw -------------------------------

LOG = []


class RowSpy(ClassifierMixin, BaseEstimator):
    """Predicts the majority class; column 0 of X is the row number."""

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        LOG.append(("fit", frozenset(np.asarray(X)[:, 0].astype(int))))
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


class SpySearch(GridSearchCV):
    def fit(self, X, y=None, **params):
        # the object itself, not its id: an id can be reused once an earlier
        # search is garbage-collected, and LOG keeps every search alive
        LOG.append(("search", self, hasattr(self, "cv_results_")))
        return super().fit(X, y, **params)


def spy_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.arange(n), rng.normal(size=(n, 2))])
    y = np.tile([0, 1, 2], n // 3)
    return X, y


def fits_per_search():
    """Split LOG into (search, fresh?, [rows of each fit]) per search fit."""
    out = []
    for entry in LOG:
        if entry[0] == "search":
            out.append((entry[1], not entry[2], []))
        else:
            out[-1][2].append(entry[1])
    return out


@pytest.fixture
def spy_log():
    LOG.clear()
    yield LOG
    LOG.clear()


# -- the outer scores -------------------------------------------------------


def test_outer_scores_equal_cross_validate():
    X, y = IRIS
    search = svc_grid(cv=3)
    nested = NestedCV(search, outer_cv=5, random_state=0, refit=False).fit(X, y)
    reference = cross_validate(
        search, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0)
    )
    np.testing.assert_array_equal(
        nested.outer_scores_["score"], reference["test_score"]
    )
    assert nested.nested_score_ == pytest.approx(reference["test_score"].mean())
    assert not hasattr(search, "cv_results_")  # the given search is never fitted
    assert not hasattr(nested, "search_")
    with pytest.raises(AttributeError, match="refit=True"):
        nested.predict(X)


def test_random_state_seeds_our_search_like_cross_validate():
    X, y = load_diabetes(return_X_y=True)
    search = SobolSearchCV(
        Ridge(), {"alpha": Real(1e-3, 1e2, prior="log-uniform")}, n_iter=8, cv=3
    )
    nested = NestedCV(search, outer_cv=3, random_state=7, refit=False).fit(X, y)
    reference = cross_validate(
        search.set_params(random_state=7),
        X,
        y,
        cv=KFold(3, shuffle=True, random_state=7),
        return_estimator=True,
    )
    np.testing.assert_array_equal(
        nested.outer_scores_["score"], reference["test_score"]
    )
    chosen = [e.best_params_["alpha"] for e in reference["estimator"]]
    np.testing.assert_array_equal(nested.chosen_params_["alpha"], chosen)
    assert search.random_state == 7 or search.random_state is None


def test_multimetric_outer_and_inner():
    X, y = IRIS
    search = svc_grid(cv=3, scoring=["accuracy", "f1_macro"], refit="f1_macro")
    scoring = ["accuracy", "f1_macro"]
    cv = StratifiedKFold(4, shuffle=True, random_state=1)
    nested = NestedCV(search, outer_cv=cv, scoring=scoring).fit(X, y)
    reference = cross_validate(search, X, y, cv=cv, scoring=scoring)
    for metric in scoring:
        np.testing.assert_array_equal(
            nested.outer_scores_[metric], reference[f"test_{metric}"]
        )
    # optimism compares the search's own metric (f1_macro) on both sides
    folds = nested.fold_results_
    np.testing.assert_allclose(folds["outer_score"], folds["test_f1_macro"])
    np.testing.assert_allclose(
        nested.optimism_, folds["inner_best_score"] - folds["test_f1_macro"]
    )
    assert nested.nested_score_ == pytest.approx(reference["test_f1_macro"].mean())
    assert list(nested.summary_.index) == ["test_accuracy", "test_f1_macro", "optimism"]


def test_parallel_outer_folds_give_the_same_results():
    X, y = IRIS
    search = svc_grid(cv=3)
    serial = NestedCV(search, outer_cv=4, random_state=0, refit=False).fit(X, y)
    parallel = NestedCV(search, outer_cv=4, random_state=0, refit=False, n_jobs=2)
    parallel.fit(X, y)
    pd.testing.assert_frame_equal(serial.outer_scores_, parallel.outer_scores_)
    pd.testing.assert_frame_equal(serial.chosen_params_, parallel.chosen_params_)


@pytest.mark.parametrize(
    "n_jobs, n_splits, expected",
    [
        (None, 5, (1, None)),
        (1, 5, (1, 1)),
        (4, 2, (2, 2)),
        (8, 5, (5, 1)),
        (2, 5, (2, 1)),
    ],
)
def test_n_jobs_split_between_loops(n_jobs, n_splits, expected):
    nested = NestedCV(svc_grid(), n_jobs=n_jobs)
    outer, inner = nested._split_jobs(n_splits)
    assert (outer, inner) == expected
    if inner is not None:
        assert outer * inner <= max(n_jobs, 1)


# -- isolation: spies -------------------------------------------------------


def test_inner_search_never_sees_outer_test_rows(spy_log):
    X, y = spy_data()
    search = SpySearch(RowSpy(), {"alpha": [1.0, 2.0]}, cv=3)
    nested = NestedCV(search, outer_cv=4, random_state=0, refit=True).fit(X, y)
    runs = fits_per_search()
    assert len(runs) == 4 + 1  # one search per fold, then the final refit
    assert len({id(s) for s, _, _ in runs}) == 5  # a distinct object each time
    assert all(fresh for _, fresh, _ in runs)  # never fitted before
    for (train, test), (_, _, fits) in zip(nested.outer_splits_, runs[:4], strict=True):
        assert len(fits) == 2 * 3 + 1  # 2 candidates x 3 inner folds + refit
        for rows in fits:
            assert rows <= set(train) and not rows & set(test)
        assert fits[-1] == set(train)  # the inner refit uses the whole outer train
    assert runs[-1][2][-1] == set(range(len(X)))  # the final refit: all data


def test_groups_reach_both_loops(spy_log):
    X, y = spy_data(n=60)
    groups = np.arange(60) // 5  # 12 groups of 5 rows
    search = SpySearch(RowSpy(), {"alpha": [1.0]}, cv=GroupKFold(3))
    nested = NestedCV(search, outer_cv=GroupKFold(4), refit=False)
    nested.fit(X, y, groups=groups)
    runs = fits_per_search()
    assert len(runs) == 4
    for (train, test), (_, _, fits) in zip(nested.outer_splits_, runs, strict=True):
        assert not set(groups[train]) & set(groups[test])
        train_groups = set(groups[train])
        for rows in fits[:-1]:  # inner training parts: whole groups only
            seen = set(groups[sorted(rows)])
            assert seen < train_groups
            assert rows == {i for i in range(60) if groups[i] in seen}


def test_inner_group_splitter_needs_the_groups():
    X, y = spy_data()
    search = GridSearchCV(RowSpy(), {"alpha": [1.0]}, cv=GroupKFold(3))
    with pytest.raises(ValueError, match="groups"):
        NestedCV(search, outer_cv=3).fit(X, y)


def test_time_series_outer_loop(spy_log):
    X, y = spy_data(n=60)
    search = SpySearch(RowSpy(), {"alpha": [1.0]}, cv=TimeSeriesSplit(2))
    nested = NestedCV(search, outer_cv=TimeSeriesSplit(3), refit=False).fit(X, y)
    runs = fits_per_search()
    assert list(nested.fold_results_["n_train"]) == [15, 30, 45]
    for (train, test), (_, _, fits) in zip(nested.outer_splits_, runs, strict=True):
        assert train.max() < test.min()
        for rows in fits:
            assert max(rows) < test.min()


def test_fit_params_restricted_to_the_outer_train():
    X, y = IRIS
    weights = np.linspace(1, 2, len(y))
    seen = []

    class WeightSpy(RidgeClassifier):
        def fit(self, X, y, sample_weight=None):
            seen.append(len(sample_weight))
            return super().fit(X, y, sample_weight=sample_weight)

    search = GridSearchCV(WeightSpy(), {"alpha": [1.0]}, cv=2)
    NestedCV(search, outer_cv=3, refit=False).fit(X, y, sample_weight=weights)
    assert set(seen) <= {50, 100}  # inner training halves and the outer train


# -- results and reports ----------------------------------------------------


@pytest.fixture(scope="module")
def fitted():
    X, y = IRIS
    search = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 9, 27]}, cv=3)
    return NestedCV(search, outer_cv=5, random_state=3).fit(X, y)


def test_summary_and_optimism(fitted):
    folds = fitted.fold_results_
    np.testing.assert_allclose(
        fitted.optimism_, folds["inner_best_score"] - folds["outer_score"]
    )
    row = fitted.summary_.loc["test_score"]
    reference = corrected_resampled_ttest(
        fitted.outer_scores_["score"], folds["n_train"].mean(), folds["n_test"].mean()
    )
    assert row["mean"] == pytest.approx(reference["mean"])
    assert row["ci_low"] == pytest.approx(reference["ci_low"])
    assert row["ci_high"] == pytest.approx(reference["ci_high"])
    assert row["n_folds"] == 5
    assert fitted.summary_.loc["optimism", "mean"] == pytest.approx(
        fitted.optimism_.mean()
    )
    assert len(fitted.inner_cv_results_) == 5
    assert all(len(r["params"]) == 4 for r in fitted.inner_cv_results_)
    chosen = fitted.chosen_params_["n_neighbors"].tolist()
    stability = fitted.param_stability_.loc["n_neighbors"]
    assert stability["n_distinct"] == len(set(chosen))
    assert stability["agreement"] == max(chosen.count(c) for c in chosen) / 5


def test_refit_exposes_the_final_search(fitted):
    X, y = IRIS
    assert fitted.best_params_ == fitted.search_.best_params_
    np.testing.assert_array_equal(fitted.predict(X), fitted.search_.predict(X))
    np.testing.assert_allclose(fitted.predict_proba(X), fitted.search_.predict_proba(X))
    assert fitted.score(X, y) == fitted.search_.score(X, y)
    assert fitted.n_features_in_ == 4 and list(fitted.classes_) == [0, 1, 2]


def _markdown_tables(text):
    """Parse every pipe table of a Markdown text: list of (header, rows)."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if current is None:
                current = (cells, [])
                tables.append(current)
            else:
                current[1].append(cells)
        elif not line.startswith("|---"):
            current = None
    return tables


def test_markdown_renders_the_same_numbers(fitted):
    tables = _markdown_tables(fitted.to_markdown())
    report = fitted.report_
    expected = [
        (report.summary, True),
        (report.folds, False),
        (report.chosen_params, True),
        (report.stability, True),
    ]
    assert len(tables) == len(expected)
    for (header, rows), (frame, index) in zip(tables, expected, strict=True):
        columns = list(frame.columns)
        assert header == ([frame.index.name] if index else []) + columns
        assert len(rows) == len(frame)
        for cells, (label, values) in zip(rows, frame.iterrows(), strict=True):
            if index:
                assert cells[0] == format_cell(label)
                cells = cells[1:]
            assert cells == [format_cell(v) for v in values]
    summary_rows = dict((r[0], r[1:]) for r in tables[0][1])
    assert summary_rows["test_score"][0] == format_cell(
        fitted.outer_scores_["score"].mean()
    )


def test_html_report_has_tables_and_images(fitted, tmp_path):
    path = tmp_path / "report.html"
    text = fitted.to_html(path)
    assert path.read_text(encoding="utf-8") == text
    assert text.count("<table>") == 4
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 3
    for data in images:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    for fold_score in fitted.outer_scores_["score"]:
        assert f"<td>{format_cell(fold_score)}</td>" in text


def test_html_report_without_matplotlib(fitted, monkeypatch):
    from sklearn_hpo.report import _nested

    monkeypatch.setattr(_nested, "_has_matplotlib", lambda: False)
    text = fitted.to_html()
    assert text.count("<table>") == 4 and "<img" not in text
    assert "matplotlib is not installed" in text


def test_plots_draw_what_they_should(fitted):
    report = fitted.report_
    ax = report.plot_outer_scores()
    assert len(ax.lines) == 2  # the fold scores and the dashed mean
    np.testing.assert_allclose(ax.lines[0].get_ydata(), fitted.outer_scores_["score"])
    assert ax.lines[1].get_ydata()[0] == pytest.approx(fitted.nested_score_)
    ax = report.plot_inner_vs_outer()
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], fitted.fold_results_["inner_best_score"])
    np.testing.assert_allclose(offsets[:, 1], fitted.fold_results_["outer_score"])
    assert ax.get_xlabel().startswith("inner best")
    figure = report.plot_chosen_params()
    (ax,) = figure.axes
    assert ax.get_ylabel() == "n_neighbors"
    np.testing.assert_allclose(
        ax.lines[0].get_ydata(), fitted.chosen_params_["n_neighbors"]
    )


def test_verbose_prints_the_summary(capsys):
    X, y = IRIS
    NestedCV(svc_grid(cv=3), outer_cv=3, random_state=0, verbose=2, refit=False).fit(
        X, y
    )
    out = capsys.readouterr().out
    assert out.count("[NestedCV] fold") == 3
    assert "test_score:" in out and "95% CI" in out and "kernel:" in out


# -- comparing models -------------------------------------------------------


def test_compare_nested_cv():
    X, y = IRIS
    a = NestedCV(svc_grid(cv=3), outer_cv=5, random_state=0, refit=False).fit(X, y)
    lr = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 9]}, cv=3)
    b = NestedCV(lr, outer_cv=5, random_state=0, refit=False).fit(X, y)
    table = compare_nested_cv(a, b)
    assert list(table[["model_a", "model_b"]].iloc[0]) == [
        "SVC",
        "KNeighborsClassifier",
    ]
    diff = a.outer_scores_["score"] - b.outer_scores_["score"]
    reference = corrected_resampled_ttest(diff, 120, 30)
    row = table.iloc[0]
    assert row["mean_diff"] == pytest.approx(reference["mean"])
    assert row["p_value"] == pytest.approx(reference["p_value"])
    assert row["ci_low"] == pytest.approx(reference["ci_low"])
    other = NestedCV(lr, outer_cv=5, random_state=1, refit=False).fit(X, y)
    with pytest.raises(ValueError, match="same splits"):
        compare_nested_cv(a, other)
    with pytest.raises(ValueError, match="two or more"):
        compare_nested_cv(a)
    three = compare_nested_cv(a, b, a, names=["x", "y", "z"])
    assert len(three) == 3 and three["mean_diff"].iloc[1] == 0


# -- bad input --------------------------------------------------------------


def test_bad_input():
    X, y = IRIS
    with pytest.raises(ValueError, match="refit=True"):
        NestedCV(svc_grid(refit=False)).fit(X, y)
    with pytest.raises(ValueError, match="scoring"):
        NestedCV(svc_grid(), scoring="not-a-metric").fit(X, y)
    with pytest.raises(ValueError, match="confidence"):
        NestedCV(svc_grid(), confidence=1.5).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 outer folds"):
        NestedCV(svc_grid(), outer_cv=[(np.arange(100), np.arange(100, 150))]).fit(X, y)


def test_callable_scoring_may_return_several_metrics():
    X, y = IRIS

    def two_metrics(estimator, X, y):
        accuracy = float(np.mean(estimator.predict(X) == y))
        return {"accuracy": accuracy, "error": 1 - accuracy}

    nested = NestedCV(svc_grid(cv=3), outer_cv=3, scoring=two_metrics, refit=False)
    nested.fit(X, y)
    assert list(nested.outer_scores_.columns) == ["accuracy", "error"]
    np.testing.assert_allclose(nested.outer_scores_.sum(axis=1), 1.0)
