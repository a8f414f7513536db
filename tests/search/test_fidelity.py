"""Continuation is exact: a model grown by continuation equals one fitted at once."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import Ridge, SGDClassifier
from sklearn.metrics import check_scoring
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_hpo.search._fidelity import (
    classes_for,
    continuation_strategy,
    nested_subsample_order,
    prepare_model,
    run_fit_task,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(300, 8, n_informative=5, random_state=0)
    train, test = np.arange(200), np.arange(200, 300)
    return X, y, train, test


def _kwargs(estimator):
    return dict(
        scorer=check_scoring(estimator),
        fit_params={},
        score_params={},
        return_train_score=False,
        return_n_test_samples=True,
        return_times=True,
        return_parameters=False,
        error_score="raise",
        verbose=0,
    )


def _grow(estimator, resource, steps, data):
    """Fit by continuation through ``steps`` of the resource; return the model."""
    X, y, train, test = data
    strategy = continuation_strategy(estimator, resource)
    model = prepare_model(estimator, resource, strategy)
    classes = classes_for(estimator, resource, y) if strategy == "partial_fit" else None
    done = 0
    for target in steps:
        out, model = run_fit_task(
            model,
            X,
            y,
            train=train,
            test=test,
            parameters={resource: target},
            strategy=strategy,
            done=done,
            target=target,
            classes=classes,
            fit_and_score_kwargs=_kwargs(estimator),
        )
        assert out["fit_error"] is None and np.isfinite(out["test_scores"])
        done = target
    return strategy, model, out


@pytest.mark.parametrize(
    "estimator, resource",
    [
        (GradientBoostingClassifier(random_state=0, max_depth=2), "n_estimators"),
        (RandomForestClassifier(random_state=0, max_depth=4), "n_estimators"),
        (
            HistGradientBoostingClassifier(random_state=0, early_stopping=False),
            "max_iter",
        ),
    ],
    ids=["gradient-boosting", "random-forest", "hist-gradient-boosting"],
)
def test_warm_start_10_to_30_equals_30_at_once(data, estimator, resource):
    X, y, train, test = data
    strategy, grown, out = _grow(estimator, resource, [10, 30], data)
    assert strategy == "warm_start"
    direct = estimator.set_params(**{resource: 30}).fit(X[train], y[train])
    np.testing.assert_allclose(
        grown.predict_proba(X[test]), direct.predict_proba(X[test]), rtol=0, atol=1e-12
    )
    assert out["test_scores"] == pytest.approx(direct.score(X[test], y[test]))


def test_partial_fit_epochs_equal_a_manual_loop(data):
    X, y, train, test = data
    est = SGDClassifier(random_state=0, learning_rate="optimal")
    strategy, grown, _ = _grow(est, "max_iter", [2, 5], data)
    assert strategy == "partial_fit"
    manual = SGDClassifier(random_state=0, learning_rate="optimal")
    for epoch in range(5):
        kwargs = {"classes": np.unique(y)} if epoch == 0 else {}
        manual.partial_fit(X[train], y[train], **kwargs)
    np.testing.assert_array_equal(grown.coef_, manual.coef_)
    assert grown.t_ == manual.t_


def test_partial_fit_in_a_pipeline_fits_the_head_once(data):
    X, y, train, test = data
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("mlp", MLPClassifier(hidden_layer_sizes=(8,), random_state=0)),
        ]
    )
    strategy, grown, _ = _grow(pipe, "mlp__max_iter", [1, 3, 4], data)
    assert strategy == "partial_fit"
    scale = StandardScaler().fit(X[train])
    mlp = MLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    Xt = scale.transform(X[train])
    mlp.partial_fit(Xt, y[train], classes=np.unique(y))
    for _ in range(3):
        mlp.partial_fit(Xt, y[train])
    np.testing.assert_allclose(
        grown.predict_proba(X[test]), mlp.predict_proba(scale.transform(X[test]))
    )


def test_a_failed_fit_returns_no_model(data):
    X, y, train, test = data
    kwargs = _kwargs(Ridge())
    kwargs["error_score"] = np.nan
    out, model = run_fit_task(
        prepare_model(GradientBoostingClassifier(), "n_estimators", "warm_start"),
        X,
        y,
        train=train,
        test=test,
        parameters={"n_estimators": 5, "max_depth": -1},
        strategy="warm_start",
        done=0,
        target=5,
        classes=None,
        fit_and_score_kwargs=kwargs,
    )
    assert out["fit_error"] is not None and np.isnan(out["test_scores"])
    assert model is None


@pytest.mark.parametrize(
    "estimator, resource, expected",
    [
        (GradientBoostingClassifier(), "n_estimators", "warm_start"),
        (RandomForestClassifier(), "n_estimators", "warm_start"),
        (HistGradientBoostingClassifier(), "max_iter", "warm_start"),
        (GradientBoostingClassifier(), "max_depth", None),
        (SGDClassifier(), "max_iter", "partial_fit"),
        (MLPClassifier(solver="adam"), "max_iter", "partial_fit"),
        (MLPClassifier(solver="lbfgs"), "max_iter", None),  # no partial_fit
        (Ridge(), "max_iter", None),
        (
            Pipeline([("s", StandardScaler()), ("c", SGDClassifier())]),
            "c__max_iter",
            "partial_fit",
        ),
        (
            Pipeline([("c", SGDClassifier()), ("s", StandardScaler())]),
            "c__max_iter",
            None,  # not the last step
        ),
        (
            Pipeline([("s", StandardScaler()), ("c", GradientBoostingClassifier())]),
            "c__n_estimators",
            "warm_start",
        ),
        (SGDClassifier(), "n_samples", None),
    ],
)
def test_continuation_strategy(estimator, resource, expected):
    assert continuation_strategy(estimator, resource) == expected


def test_strategy_of_lightgbm_and_skorch_is_found_by_module():
    # stand-ins named like the real classes' modules (the packages are extras)
    class FakeLGBM(Ridge):
        def __init__(self, n_estimators=100, alpha=1.0):
            self.n_estimators = n_estimators
            self.alpha = alpha

    class FakeNet(Ridge):
        def __init__(self, max_epochs=10, alpha=1.0):
            self.max_epochs = max_epochs
            self.alpha = alpha

    FakeLGBM.__module__ = "lightgbm.sklearn"
    FakeNet.__module__ = "skorch.net"
    assert continuation_strategy(FakeLGBM(), "n_estimators") == "lightgbm"
    assert continuation_strategy(FakeNet(), "max_epochs") == "skorch"
    assert continuation_strategy(FakeNet(), "alpha") is None


@pytest.mark.parametrize("stratify", [False, True])
def test_nested_subsample_order(stratify):
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [500, 300, 200])
    train = np.arange(0, 2000, 2)  # the training indices of a fold
    y_full = np.zeros(2000, dtype=int)
    y_full[train] = y
    order = nested_subsample_order(train, y_full, rng, stratify)
    assert sorted(order.tolist()) == train.tolist()  # a permutation
    if stratify:
        for r in (10, 37, 100, 333, 999):
            counts = np.bincount(y_full[order[:r]], minlength=3)
            expected = r * np.array([0.5, 0.3, 0.2])
            assert np.all(np.abs(counts - expected) <= 1.0 + 1e-9), (r, counts)


def test_lightgbm_continues_from_its_booster(data):
    lightgbm = pytest.importorskip("lightgbm", reason="the lightgbm extra")
    X, y, train, test = data
    est = lightgbm.LGBMClassifier(verbose=-1, random_state=0)
    strategy, grown, _ = _grow(est, "n_estimators", [10, 30], data)
    assert strategy == "lightgbm"
    assert grown.booster_.num_trees() == 30 and grown.n_estimators == 30
    direct = lightgbm.LGBMClassifier(verbose=-1, random_state=0, n_estimators=30)
    direct.fit(X[train], y[train])
    np.testing.assert_allclose(
        grown.predict_proba(X[test]), direct.predict_proba(X[test]), atol=1e-12
    )
