"""The curated spaces: accepted by the searches, every value valid."""

import warnings

import numpy as np
import pytest
from scipy.stats import qmc
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from threadpoolctl import threadpool_limits

from sklearn_hpo import BayesSearchCV, SobolSearchCV, spaces
from sklearn_hpo.space import SearchSpace

# 90 samples: a 3-fold training split has 60, more than spaces.knn's 50
# neighbours.
N_SAMPLES = 90


@pytest.fixture(autouse=True)
def _one_openmp_thread():
    # On a loaded machine spinning OpenMP and BLAS threads make the many tiny
    # HistGradientBoosting and LightGBM fits here many times slower.
    with threadpool_limits(1):
        yield


def _clf_data():
    X, y = make_classification(
        n_samples=N_SAMPLES, n_features=5, n_informative=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


def _reg_data():
    X, y = make_regression(n_samples=N_SAMPLES, n_features=5, noise=1.0, random_state=0)
    return StandardScaler().fit_transform(X), (y - y.mean()) / y.std()


def _lgbm(task):
    lightgbm = pytest.importorskip("lightgbm")
    cls = lightgbm.LGBMClassifier if task == "clf" else lightgbm.LGBMRegressor
    return cls(verbose=-1, n_jobs=1, random_state=0)


# id -> (space factory, estimator factory, "clf" or "reg")
CASES = {
    "lightgbm-clf": (spaces.lightgbm, lambda: _lgbm("clf"), "clf"),
    "lightgbm-reg": (spaces.lightgbm, lambda: _lgbm("reg"), "reg"),
    # max_iter is narrowed for speed (any positive int is valid); the other
    # dimensions keep their ranges
    "hgb-clf": (
        lambda **kw: spaces.hist_gradient_boosting(**kw, max_iter=(5, 20)),
        lambda: HistGradientBoostingClassifier(random_state=0),
        "clf",
    ),
    "hgb-reg": (
        lambda **kw: spaces.hist_gradient_boosting(**kw, max_iter=(5, 20)),
        lambda: HistGradientBoostingRegressor(random_state=0),
        "reg",
    ),
    "rf-clf": (
        lambda **kw: spaces.random_forest(**kw, task="classification"),
        lambda: RandomForestClassifier(n_estimators=10, random_state=0),
        "clf",
    ),
    "rf-reg": (
        lambda **kw: spaces.random_forest(**kw, task="regression"),
        lambda: RandomForestRegressor(n_estimators=10, random_state=0),
        "reg",
    ),
    "et-clf": (
        spaces.extra_trees,
        lambda: ExtraTreesClassifier(n_estimators=10, random_state=0),
        "clf",
    ),
    "et-reg": (
        lambda **kw: spaces.extra_trees(**kw, task="regression"),
        lambda: ExtraTreesRegressor(n_estimators=10, random_state=0),
        "reg",
    ),
    "logistic": (spaces.logistic_regression, LogisticRegression, "clf"),
    "logistic-enet": (
        lambda **kw: spaces.logistic_regression(**kw, elastic_net=True),
        lambda: LogisticRegression(max_iter=200),
        "clf",
    ),
    "svc-rbf": (spaces.svc, SVC, "clf"),
    # a linear kernel with C near 2^15 converges slowly: capped for speed
    "svc-linear": (
        lambda **kw: spaces.svc(**kw, kernel="linear"),
        lambda: SVC(max_iter=20_000),
        "clf",
    ),
    "svc-poly": (lambda **kw: spaces.svc(**kw, kernel="poly"), SVC, "clf"),
    "svc-sigmoid": (lambda **kw: spaces.svc(**kw, kernel="sigmoid"), SVC, "clf"),
    "svr-rbf": (spaces.svr, SVR, "reg"),
    "svr-poly": (lambda **kw: spaces.svr(**kw, kernel="poly"), SVR, "reg"),
    "ridge": (spaces.ridge, Ridge, "reg"),
    "elastic_net": (spaces.elastic_net, ElasticNet, "reg"),
    "knn-clf": (spaces.knn, KNeighborsClassifier, "clf"),
    "knn-reg": (spaces.knn, KNeighborsRegressor, "reg"),
    "mlp-clf": (
        spaces.mlp,
        lambda: MLPClassifier(max_iter=20, random_state=0),
        "clf",
    ),
    "mlp-reg": (
        spaces.mlp,
        lambda: MLPRegressor(max_iter=20, random_state=0),
        "reg",
    ),
}


def _case(name):
    space_fn, make_estimator, task = CASES[name]
    X, y = _clf_data() if task == "clf" else _reg_data()
    return space_fn, make_estimator(), X, y


def _sample(space, n_sobol=3):
    """The two corners of the cube and ``2**n_sobol`` Sobol' points."""
    params = []
    for sub in SearchSpace(space).subspaces:
        d = sub.n_dims
        U = [np.zeros((1, d)), np.ones((1, d))]
        if d:
            U.append(qmc.Sobol(d, rng=0).random_base2(n_sobol))
        params += sub.from_unit(np.vstack(U))
    return params


@pytest.mark.parametrize("name", list(CASES))
def test_every_sampled_value_fits(name):
    space_fn, estimator, X, y = _case(name)
    for params in _sample(space_fn()):
        model = clone(estimator).set_params(**params)
        with warnings.catch_warnings():
            # tuning explores settings that stop before convergence
            warnings.simplefilter("ignore")
            model.fit(X, y)
        assert np.all(np.isfinite(model.predict(X))), params


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("search", ["sobol", "bayes"])
def test_accepted_by_the_searches(name, search):
    space_fn, estimator, X, y = _case(name)
    space = space_fn()
    if search == "sobol":
        s = SobolSearchCV(estimator, space, n_iter=4, cv=3, random_state=0)
    else:
        s = BayesSearchCV(
            estimator,
            space,
            n_iter=3,
            cv=3,
            random_state=0,
            optimizer_kwargs={"n_initial_points": 2},
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.fit(X, y)
    scores = s.cv_results_["mean_test_score"]
    assert len(scores) == s.n_iter
    assert np.all(np.isfinite(scores))
    assert set(s.best_params_) == set(space)


@pytest.mark.parametrize("name", list(CASES))
def test_prefix_works_in_a_pipeline(name):
    space_fn, estimator, X, y = _case(name)
    plain, space = space_fn(), space_fn(prefix="model__")
    assert list(space) == [f"model__{k}" for k in plain]
    pipe = Pipeline([("scale", StandardScaler()), ("model", estimator)])
    s = SobolSearchCV(pipe, space, n_iter=2, cv=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.fit(X, y)
    assert np.all(np.isfinite(s.cv_results_["mean_test_score"]))
    assert set(s.best_params_) == set(space)


# ------------------------------------------------------------------ keywords
ALL = [
    spaces.elastic_net,
    spaces.extra_trees,
    spaces.hist_gradient_boosting,
    spaces.knn,
    spaces.lightgbm,
    spaces.logistic_regression,
    spaces.mlp,
    spaces.random_forest,
    spaces.ridge,
    spaces.skorch_net,
    spaces.svc,
    spaces.svr,
]


def test_all_public_functions_are_tested():
    assert sorted(f.__name__ for f in ALL) == sorted(spaces.__all__)


@pytest.mark.parametrize("fn", ALL, ids=lambda f: f.__name__)
def test_each_call_returns_a_new_parseable_dict(fn):
    a, b = fn(), fn()
    assert isinstance(a, dict) and a is not b
    a.clear()
    assert fn() == b  # editing a returned dict does not change the next one
    SearchSpace(b)  # parses


@pytest.mark.parametrize("fn", ALL, ids=lambda f: f.__name__)
def test_prefix_must_be_a_string(fn):
    with pytest.raises(TypeError, match="prefix must be a string"):
        fn(prefix=3)


@pytest.mark.parametrize(
    "fn,keyword",
    [
        (spaces.lightgbm, "n_estimators"),
        (spaces.random_forest, "n_estimators"),
        (spaces.extra_trees, "n_estimators"),
        (spaces.hist_gradient_boosting, "max_iter"),
        (spaces.mlp, "max_iter"),
        (spaces.skorch_net, "max_epochs"),
    ],
)
def test_size_keywords(fn, keyword):
    assert keyword not in fn(**{keyword: None})
    assert fn(**{keyword: 200})[keyword] == [200]
    dim = fn(**{keyword: (10, 300)})[keyword]
    assert (dim.low, dim.high, dim.prior) == (10, 300, "log-uniform")
    assert fn(**{keyword: [5, 10]})[keyword] == [5, 10]
    with pytest.raises(TypeError, match=keyword):
        fn(**{keyword: "many"})
    with pytest.raises(ValueError, match=keyword):
        fn(**{keyword: (300, 10)})


def test_resource_left_out_by_default_where_more_is_better():
    assert "n_estimators" not in spaces.random_forest()
    assert "n_estimators" not in spaces.extra_trees()
    assert "max_iter" not in spaces.mlp()
    assert "n_estimators" in spaces.lightgbm()
    assert "max_iter" in spaces.hist_gradient_boosting()


def test_task_and_kernel_checked():
    assert "criterion" in spaces.random_forest(task="classification")
    assert "criterion" not in spaces.random_forest(task="regression")
    with pytest.raises(ValueError, match="task must be one of"):
        spaces.random_forest(task="ranking")
    with pytest.raises(ValueError, match="kernel must be one of"):
        spaces.svc(kernel="precomputed")
    assert sorted(spaces.svc(kernel="linear")) == ["C", "kernel"]


def test_knn_max_neighbors():
    assert spaces.knn(max_neighbors=10)["n_neighbors"].high == 10
    with pytest.raises(ValueError, match="max_neighbors"):
        spaces.knn(max_neighbors=1)


def test_mlp_architectures():
    layers = spaces.mlp()["hidden_layer_sizes"]
    assert (32,) in layers and (256, 256) in layers and len(layers) == 8
    assert spaces.mlp(hidden_layer_sizes=[(10,)])["hidden_layer_sizes"] == [(10,)]
    with pytest.raises(ValueError, match="empty"):
        spaces.mlp(hidden_layer_sizes=[])


def test_skorch_net_keywords():
    adam = spaces.skorch_net()
    assert {"lr", "module__num_units", "module__dropout"} <= set(adam)
    assert "optimizer__momentum" not in adam
    sgd = spaces.skorch_net(optimizer="sgd")
    assert "optimizer__momentum" in sgd and sgd["lr"].high > adam["lr"].high
    custom = spaces.skorch_net(module_params={"module__hidden": [8, 16]})
    assert custom["module__hidden"] == [8, 16]
    assert not any(
        k.startswith("module__") for k in spaces.skorch_net(module_params={})
    )
    assert "batch_size" not in spaces.skorch_net(batch_size=None)
    with pytest.raises(ValueError, match="optimizer"):
        spaces.skorch_net(optimizer="rmsprop")
    with pytest.raises(TypeError, match="module_params"):
        spaces.skorch_net(module_params=["num_units"])


def test_skorch_net_with_a_net():
    """Every sampled value is valid for a skorch net whose module follows the
    documented assumptions (needs the ``torch`` extra)."""
    torch = pytest.importorskip("torch")
    skorch = pytest.importorskip("skorch")

    class Module(torch.nn.Module):
        def __init__(self, num_units=10, dropout=0.5):
            super().__init__()
            self.net = torch.nn.Sequential(
                torch.nn.Linear(5, num_units),
                torch.nn.ReLU(),
                torch.nn.Dropout(dropout),
                torch.nn.Linear(num_units, 2),
            )

        def forward(self, X):
            return self.net(X)

    X, y = _clf_data()
    X, y = X.astype(np.float32), y.astype(np.int64)
    net = skorch.NeuralNetClassifier(
        Module,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        train_split=None,
        verbose=0,
    )
    space = spaces.skorch_net(max_epochs=(1, 3))
    for params in _sample(space, n_sobol=1):
        clone(net).set_params(**params).fit(X, y)
    s = SobolSearchCV(net, space, n_iter=2, cv=2, random_state=0).fit(X, y)
    assert np.all(np.isfinite(s.cv_results_["mean_test_score"]))
