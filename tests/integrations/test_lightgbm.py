"""LightGBM in the searches: categorical columns, fit parameters per fold,
``n_estimators`` as the Hyperband resource with continuation."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import KFold

from sklearn_hpo import BayesSearchCV, HyperbandSearchCV, SobolSearchCV
from sklearn_hpo.integrations import EarlyStopping

lightgbm = pytest.importorskip("lightgbm", reason="the lightgbm extra")

FITS = []  # what SpyLGBM.fit saw (n_jobs=1)
ROUNDS = [0]  # boosting rounds trained, counted by a callback


class SpyLGBM(lightgbm.LGBMClassifier):
    def fit(self, X, y, **kwargs):
        valid = kwargs.get("eval_X")
        FITS.append(
            {
                "X": X,
                "valid": None if valid is None else valid[0],
                "kwargs": dict(kwargs),
            }
        )
        return super().fit(X, y, **kwargs)


def count_rounds(env):
    ROUNDS[0] += 1


def lgbm(cls=lightgbm.LGBMClassifier, **params):
    params = {"verbose": -1, "n_jobs": 1, "random_state": 0, **params}
    return cls(**params)


@pytest.fixture
def table():
    """A frame whose label depends mostly on a categorical column."""
    rng = np.random.default_rng(0)
    n = 240
    cat = rng.choice(["a", "b", "c", "d"], size=n)
    x = rng.normal(size=n)
    y = (np.isin(cat, ["a", "c"]) ^ (rng.random(n) < 0.1)).astype(int)
    X = pd.DataFrame(
        {
            "cat": pd.Categorical(cat, categories=["a", "b", "c", "d"]),
            "x": x,
            "row_id": np.arange(n, dtype=np.float64),
        }
    )
    return X, y


def _categorical_splits(booster, feature):
    """Number of tree nodes that split ``feature`` as a categorical."""
    model = booster.dump_model()
    index = model["feature_names"].index(feature)
    count = 0
    stack = [tree["tree_structure"] for tree in model["tree_info"]]
    while stack:
        node = stack.pop()
        if "split_feature" in node:
            if node["split_feature"] == index and node["decision_type"] == "==":
                count += 1
            stack += [node["left_child"], node["right_child"]]
    return count


def test_categorical_columns_stay_categorical_in_folds_and_validation(table):
    X, y = table
    FITS.clear()
    search = SobolSearchCV(
        EarlyStopping(
            lgbm(SpyLGBM, n_estimators=100, min_data_per_group=5, cat_smooth=1),
            patience=5,
            random_state=0,
        ),
        {"estimator__num_leaves": [4, 8]},
        n_iter=2,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert len(FITS) == 2 * 3 + 1
    for fit in FITS:
        assert isinstance(fit["X"]["cat"].dtype, pd.CategoricalDtype)
        assert list(fit["X"]["cat"].cat.categories) == ["a", "b", "c", "d"]
    for fit in FITS[:-1]:
        assert isinstance(fit["valid"]["cat"].dtype, pd.CategoricalDtype)
        assert list(fit["valid"]["cat"].cat.categories) == ["a", "b", "c", "d"]
    booster = search.best_estimator_.estimator_.booster_
    assert booster.pandas_categorical == [["a", "b", "c", "d"]]
    assert _categorical_splits(booster, "cat") > 0
    assert search.best_score_ > 0.8


def test_fit_params_are_cut_per_fold_and_categorical_feature_passes(table):
    X, y = table
    X = X.assign(cat=X["cat"].cat.codes)  # integer codes: name it categorical
    weights = np.arange(len(X)) + 1.0  # row id + 1
    cv = list(KFold(3, shuffle=True, random_state=0).split(X))
    FITS.clear()
    search = BayesSearchCV(
        lgbm(SpyLGBM, n_estimators=20),
        {"num_leaves": [4, 8, 16]},
        n_iter=3,
        cv=cv,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 2, "n_candidates": 64},
    ).fit(X, y, sample_weight=weights, categorical_feature=["cat"])
    for fit in FITS[:-1]:
        ids = np.asarray(fit["X"]["row_id"])
        assert any(set(ids) == set(train) for train, _ in cv)
        np.testing.assert_array_equal(fit["kwargs"]["sample_weight"], ids + 1)
        assert fit["kwargs"]["categorical_feature"] == ["cat"]
    np.testing.assert_array_equal(FITS[-1]["kwargs"]["sample_weight"], weights)
    booster = search.best_estimator_.booster_
    assert _categorical_splits(booster, "cat") > 0


def test_early_stopping_cuts_sample_weight_into_train_and_validation(table):
    X, y = table
    weights = np.arange(len(X)) + 1.0
    FITS.clear()
    SobolSearchCV(
        EarlyStopping(lgbm(SpyLGBM, n_estimators=50), random_state=0),
        {"estimator__num_leaves": [4, 8]},
        n_iter=2,
        cv=3,
        random_state=0,
    ).fit(X, y, sample_weight=weights)
    for fit in FITS[:-1]:
        train_ids = np.asarray(fit["X"]["row_id"])
        valid_ids = np.asarray(fit["valid"]["row_id"])
        np.testing.assert_array_equal(fit["kwargs"]["sample_weight"], train_ids + 1)
        np.testing.assert_array_equal(
            fit["kwargs"]["eval_sample_weight"][0], valid_ids + 1
        )
    assert FITS[-1]["valid"] is None  # the refit: all rows, no validation
    np.testing.assert_array_equal(FITS[-1]["kwargs"]["sample_weight"], weights)


def test_regressor_with_early_stopping():
    X, y = make_regression(n_samples=150, n_features=4, noise=5.0, random_state=0)
    search = SobolSearchCV(
        EarlyStopping(lgbm(lightgbm.LGBMRegressor, n_estimators=300), random_state=0),
        {"estimator__learning_rate": [0.05, 0.1, 0.2, 0.4]},
        n_iter=4,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.best_score_ > 0.5
    assert np.all(search.cv_results_["mean_best_iteration"] >= 1)


def test_hyperband_continues_real_boosters(table):
    """n_estimators as the resource: each rung adds rounds to the booster of
    the rung below (counted by a callback) instead of training anew."""
    X, y = table
    ROUNDS[0] = 0
    search = HyperbandSearchCV(
        lgbm(),
        {"learning_rate": [0.05, 0.1, 0.2, 0.3], "num_leaves": [4, 8, 16]},
        resource="n_estimators",
        min_resource=3,
        max_resource=27,
        eta=3,
        n_iter=9,
        cv=3,
        random_state=0,
    ).fit(X, y, callbacks=[count_rounds])
    res = search.cv_results_
    assert search.continued_["strategy"] == "lightgbm"
    assert search.continued_["continued"] > 0
    cand, n_res = np.asarray(res["candidate"]), np.asarray(res["n_resources"])
    reached = sum(n_res[cand == c].max() for c in np.unique(cand))
    from_scratch = n_res.sum()
    assert reached < from_scratch
    # every split trains each round once, then the refit trains 27 rounds
    assert ROUNDS[0] == 3 * reached + 27
    assert search.best_estimator_.booster_.num_trees() == 27
    # a continued candidate scores as one trained from scratch
    top = int(np.flatnonzero((n_res == 27) & (res["rank_test_score"] > 0))[0])
    params = res["params"][top]
    cv = search.cv
    from sklearn.model_selection import cross_val_score

    direct = cross_val_score(lgbm(**params), X, y, cv=cv).mean()
    assert res["mean_test_score"][top] == pytest.approx(direct, abs=0.02)


def test_hyperband_on_early_stopped_lightgbm():
    X, y = make_classification(n_samples=150, n_features=5, random_state=0)
    search = HyperbandSearchCV(
        EarlyStopping(lgbm(), patience=3, random_state=0),
        {"estimator__learning_rate": [0.05, 0.1, 0.2, 0.3]},
        resource="estimator__n_estimators",
        min_resource=5,
        max_resource=45,
        n_iter=6,
        cv=3,
        random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    assert np.all(res["mean_best_iteration"] <= np.asarray(res["n_resources"]))
    assert search.best_estimator_.n_iterations >= 1
