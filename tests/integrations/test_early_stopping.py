"""EarlyStopping: a validation split carved from each fit's own data.

LightGBM stands for the models here (skorch nets: test_skorch.py). A spy
subclass of LGBMClassifier records what each fit received.
"""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_hpo import SobolSearchCV
from sklearn_hpo.integrations import EarlyStopping
from tests.contract._searches import SEARCHES

lightgbm = pytest.importorskip("lightgbm", reason="the lightgbm extra")

FITS = []  # what SpyLGBM.fit saw, in order (n_jobs=1)


class SpyLGBM(lightgbm.LGBMClassifier):
    """Records the row ids of its training and validation data."""

    def fit(self, X, y, **kwargs):
        valid = kwargs.get("eval_X")
        valid = valid[0] if valid is not None else None
        if valid is None and kwargs.get("eval_set"):
            valid = kwargs["eval_set"][0][0]
        FITS.append(
            {
                "train": np.asarray(X["row_id"]).astype(int),
                "valid": None if valid is None else np.asarray(valid["row_id"]),
                "dtypes": dict(X.dtypes),
                "valid_dtypes": None if valid is None else dict(valid.dtypes),
                "kwargs": kwargs,
            }
        )
        return super().fit(X, y, **kwargs)


def lgbm(cls=lightgbm.LGBMClassifier, **params):
    params = {
        "n_estimators": 200,
        "verbose": -1,
        "n_jobs": 1,
        "random_state": 0,
        **params,
    }
    return cls(**params)


@pytest.fixture
def frame():
    X, y = make_classification(
        n_samples=240, n_features=5, n_informative=3, flip_y=0.1, random_state=0
    )
    X = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    X["row_id"] = np.arange(len(X), dtype=np.float64)
    return X, y


@pytest.fixture
def data():
    return make_classification(n_samples=150, n_features=5, random_state=0)


# ------------------------------------------------------------ the split
def test_validation_split_never_holds_cv_test_rows(frame):
    X, y = frame
    FITS.clear()
    cv = list(KFold(3, shuffle=True, random_state=0).split(X, y))
    search = SobolSearchCV(
        EarlyStopping(lgbm(SpyLGBM), patience=3, random_state=0),
        {"estimator__learning_rate": [0.1, 0.3]},
        n_iter=2,
        cv=cv,
        random_state=0,
    ).fit(X, y)
    cv_fits = FITS[: 2 * len(cv)]  # the last one is the refit
    assert len(FITS) == 2 * len(cv) + 1
    for fit in cv_fits:
        seen = np.concatenate([fit["train"], fit["valid"]])
        fold = [k for k, (train, _) in enumerate(cv) if set(seen) == set(train)]
        assert len(fold) == 1, "a fit saw rows outside one training fold"
        test = cv[fold[0]][1]
        assert not set(fit["valid"]) & set(test)
        assert not set(fit["train"]) & set(fit["valid"])
        assert len(fit["valid"]) == math.ceil(0.1 * len(seen))
    # the refit sees everything and holds nothing out
    assert FITS[-1]["valid"] is None
    assert len(FITS[-1]["train"]) == len(X)
    assert search.best_estimator_.validation_indices_ is None


def test_split_is_stratified_and_seeded(data):
    X, y = data
    a = EarlyStopping(lgbm(), validation_fraction=0.2, random_state=1).fit(X, y)
    b = EarlyStopping(lgbm(), validation_fraction=0.2, random_state=1).fit(X, y)
    np.testing.assert_array_equal(a.validation_indices_, b.validation_indices_)
    valid = a.validation_indices_
    assert len(valid) == 30 and a.n_train_samples_ == 120
    counts = np.bincount(y[valid])
    assert abs(counts[0] - counts[1]) <= 1


def test_standalone_fit_predicts_with_the_best_iteration(data):
    X, y = data
    model = EarlyStopping(lgbm(n_estimators=500), patience=5, random_state=0)
    model.fit(X, y)
    assert is_classifier(model)
    assert 1 <= model.best_iteration_ < 500
    assert model.estimator_.best_iteration_ == model.best_iteration_
    np.testing.assert_array_equal(model.classes_, [0, 1])
    assert model.predict_proba(X).shape == (150, 2)
    assert model.score(X, y) > 0.8
    assert model.n_features_in_ == 5


def test_n_iterations_trains_that_many_rounds_on_all_rows(data):
    X, y = data
    model = EarlyStopping(lgbm(), n_iterations=17).fit(X, y)
    assert model.estimator_.booster_.num_trees() == 17
    assert model.best_iteration_ == 17 and model.n_train_samples_ == 150
    assert model.validation_indices_ is None


# ---------------------------------------------------- cv_results_ + refit
@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_every_search_records_the_best_iteration_per_split(name, data):
    X, y = data
    model = EarlyStopping(lgbm(), patience=3, random_state=0)
    search = SEARCHES[name](
        model, {"estimator__learning_rate": [0.05, 0.1, 0.2, 0.4]}, cv=3
    )
    if name == "HyperbandSearchCV":
        search.set_params(resource="estimator__n_estimators", max_resource=90)
    search.fit(X, y)
    res = search.cv_results_
    splits = np.column_stack([res[f"split{k}_best_iteration"] for k in range(3)])
    assert splits.shape == (len(res["params"]), 3)
    assert np.all((splits >= 1) & (splits <= 200))
    np.testing.assert_allclose(res["mean_best_iteration"], splits.mean(axis=1))
    np.testing.assert_allclose(res["std_best_iteration"], splits.std(axis=1))
    if name == "HyperbandSearchCV":  # capped by the rung's n_estimators
        assert np.all(splits <= np.asarray(res["n_resources"])[:, None])
    best = search.best_estimator_
    expected = math.ceil(np.median(splits[search.best_index_]) / 0.9)
    assert best.n_iterations == expected
    assert best.estimator_.booster_.num_trees() == expected
    # the scorer is the user's again, and the search scores as usual
    assert type(search.scorer_).__name__ != "_ScorerWithValues"
    assert 0 <= search.score(X, y) <= 1


def test_refit_rules(data):
    model = EarlyStopping(lgbm(), validation_fraction=0.2)
    b = np.array([10, 11, 30.0])
    assert model._refit_iterations(b) == math.ceil(11 / 0.8)
    assert model.set_params(refit_rule="mean")._refit_iterations(b) == 22
    assert (
        model.set_params(refit_rule=lambda b: int(b.max()))._refit_iterations(b) == 30
    )
    assert model._refit_iterations([np.nan, np.nan]) is None
    with pytest.raises(ValueError, match="refit_rule returned 0"):
        model.set_params(refit_rule=lambda b: 0)._refit_iterations(b)
    # a search uses the rule of the wrapper it refits
    X, y = data
    search = SobolSearchCV(
        EarlyStopping(lgbm(), refit_rule=lambda b: int(b.max()) + 1, random_state=0),
        {"estimator__num_leaves": [4, 8]},
        n_iter=2,
        cv=3,
        random_state=0,
    ).fit(X, y)
    row = [
        search.cv_results_[f"split{k}_best_iteration"][search.best_index_]
        for k in range(3)
    ]
    assert search.best_estimator_.n_iterations == int(max(row)) + 1
    # a fixed n_iterations is kept: nothing to derive
    fixed = clone(search).set_params(estimator__n_iterations=7).fit(X, y)
    assert fixed.best_estimator_.n_iterations == 7
    assert np.all(fixed.cv_results_["split0_best_iteration"] == 7)


def test_multimetric_scoring_keeps_its_scorers(data):
    X, y = data
    search = SobolSearchCV(
        EarlyStopping(lgbm(), patience=3, random_state=0),
        {"estimator__learning_rate": [0.1, 0.3]},
        n_iter=2,
        cv=3,
        scoring=["accuracy", "roc_auc"],
        refit="roc_auc",
        random_state=0,
    ).fit(X, y)
    assert set(search.scorer_) == {"accuracy", "roc_auc"}
    assert "mean_test_roc_auc" in search.cv_results_
    assert "mean_best_iteration" in search.cv_results_
    assert "mean_test_best_iteration" not in search.cv_results_
    assert search.best_estimator_.n_iterations >= 1


# ------------------------------------------------------------- pipelines
def test_wrapper_as_the_last_step_of_a_pipeline(data):
    X, y = data
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("clf", EarlyStopping(lgbm(), patience=3, random_state=0)),
        ]
    )
    search = SobolSearchCV(
        pipe,
        {"clf__estimator__learning_rate": [0.05, 0.1, 0.2, 0.4]},
        n_iter=4,
        cv=3,
        scoring="roc_auc",
        random_state=0,
    ).fit(X, y)
    assert "split2_best_iteration" in search.cv_results_
    clf = search.best_estimator_.named_steps["clf"]
    assert clf.n_iterations == clf.best_iteration_ >= 1
    assert clf.estimator_.booster_.num_trees() == clf.n_iterations
    assert search.predict_proba(X).shape == (150, 2)


def test_wrapper_around_a_pipeline_routes_fit_params(data):
    X, y = data
    FITS.clear()
    pipe = Pipeline([("scale", StandardScaler()), ("lgbm", lgbm(SpyLGBM))])
    Xf = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    Xf["row_id"] = np.arange(len(X), dtype=np.float64)
    pipe.set_output(transform="pandas")
    weights = np.arange(len(X)) + 1.0
    model = EarlyStopping(pipe, patience=3, random_state=0)
    model.fit(Xf, y, lgbm__sample_weight=weights)
    fit = FITS[-1]
    # sample_weight is row id + 1: the weights tell which rows went where
    train_ids = np.asarray(fit["kwargs"]["sample_weight"]) - 1
    valid_ids = np.asarray(fit["kwargs"]["eval_sample_weight"][0]) - 1
    np.testing.assert_array_equal(valid_ids, model.validation_indices_)
    assert len(train_ids) == model.n_train_samples_ == 135
    assert not set(train_ids) & set(valid_ids)
    # the scaler was fitted on the training part only
    scaler = model.estimator_.named_steps["scale"]
    assert scaler.mean_[5] == pytest.approx(train_ids.mean())
    search = SobolSearchCV(
        EarlyStopping(Pipeline([("scale", StandardScaler()), ("lgbm", lgbm())])),
        {"estimator__lgbm__learning_rate": [0.1, 0.3]},
        n_iter=2,
        cv=3,
        random_state=0,
    ).fit(X, y, lgbm__sample_weight=weights)
    assert search.best_estimator_.n_iterations >= 1
    with pytest.raises(ValueError, match="'step__param'"):
        EarlyStopping(pipe).fit(Xf, y, sample_weight=weights)


# ---------------------------------------------------------------- errors
def test_unsupported_estimator_is_a_type_error(data):
    X, y = data
    with pytest.raises(TypeError, match="LightGBM.*skorch.*LogisticRegression"):
        EarlyStopping(LogisticRegression()).fit(X, y)
    pipe = Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression())])
    with pytest.raises(TypeError, match="Pipeline ending with LogisticRegression"):
        EarlyStopping(pipe).fit(X, y)
    with pytest.raises(TypeError, match="LGBMRanker"):
        EarlyStopping(lightgbm.LGBMRanker()).fit(X, y)


def test_eval_set_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="carves the validation set.*eval_set"):
        EarlyStopping(lgbm()).fit(X, y, eval_set=[(X, y)])


@pytest.mark.parametrize(
    "params",
    [
        {"validation_fraction": 1.0},
        {"validation_fraction": 0},
        {"patience": 0},
        {"refit_rule": "max"},
        {"n_iterations": 0},
    ],
)
def test_parameters_are_validated(params, data):
    X, y = data
    with pytest.raises(InvalidParameterError):
        EarlyStopping(lgbm(), **params).fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_values_travel_back_from_workers_and_failed_fits_are_nan(data):
    X, y = data
    search = SobolSearchCV(
        EarlyStopping(lgbm(), patience=3, random_state=0),
        {
            "estimator__learning_rate": [0.1, 0.3],
            "estimator__objective": ["binary", "no_such_objective"],
        },
        n_iter=4,
        cv=3,
        n_jobs=2,
        return_train_score=True,
        random_state=0,
    ).fit(X, y)
    res = search.cv_results_
    failed = np.asarray([p["estimator__objective"] != "binary" for p in res["params"]])
    splits = np.column_stack([res[f"split{k}_best_iteration"] for k in range(3)])
    assert np.all(np.isnan(splits[failed])) and np.all(
        np.isnan(res["mean_best_iteration"][failed])
    )
    assert np.all(splits[~failed] >= 1)
    assert np.all(np.isfinite(res["mean_train_score"][~failed]))
    assert search.best_params_["estimator__objective"] == "binary"
    assert search.best_estimator_.n_iterations >= 1
