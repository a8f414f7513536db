"""skorch nets in every search, epochs as the Hyperband resource with
continuation, and EarlyStopping on a validation split of each training fold.

Tiny nets on CPU torch (one thread), a few epochs, small data.
"""

import math

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.datasets import make_classification, make_regression

from sklearn_hpo import HyperbandSearchCV, SobolSearchCV
from sklearn_hpo.integrations import EarlyStopping
from tests.contract._searches import SEARCHES

skorch = pytest.importorskip("skorch", reason="the torch extra (skorch and torch)")
torch = pytest.importorskip("torch", reason="the torch extra (skorch and torch)")
from skorch import NeuralNetClassifier, NeuralNetRegressor  # noqa: E402
from skorch.callbacks import Callback  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)
N_FEATURES = 6


class MLP(nn.Module):
    def __init__(self, num_units=8, n_out=2):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(N_FEATURES, num_units), nn.ReLU(), nn.Linear(num_units, n_out)
        )

    def forward(self, X):
        return self.layers(X)


EPOCHS = [0]  # epochs trained, all nets together (n_jobs=1)


class CountEpochs(Callback):
    def on_epoch_end(self, net, **kwargs):
        EPOCHS[0] += 1


KEEP = []  # nets seen by WeightWatch, kept alive so that their ids stay unique
LAST = {}  # id(net) -> weights at the end of its last training
BROKEN = []  # nets whose weights changed between two trainings


def _weights(net):
    return torch.cat([p.detach().flatten().clone() for p in net.module_.parameters()])


class WeightWatch(Callback):
    """Checks that a continued net starts from the weights it ended with."""

    def on_train_begin(self, net, **kwargs):
        key = id(net)
        if key in LAST and not torch.equal(LAST[key], _weights(net)):
            BROKEN.append(key)

    def on_train_end(self, net, **kwargs):
        KEEP.append(net)
        LAST[id(net)] = _weights(net)


def classifier(**params):
    defaults = dict(
        module=MLP,
        max_epochs=3,
        lr=0.1,
        criterion=nn.CrossEntropyLoss,
        train_split=None,
        verbose=0,
        callbacks=[("count", CountEpochs())],
    )
    return NeuralNetClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=120, n_features=N_FEATURES, n_informative=4, random_state=0
    )
    return X.astype(np.float32), y.astype(np.int64)


SPACE = {
    "lr": [0.2, 0.5],
    "module__num_units": [4, 8],
    "optimizer__weight_decay": [0.0, 1e-4],
    "batch_size": [32, 64],
}


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_every_search_tunes_a_net(name, data):
    X, y = data
    space = dict(SPACE)
    if name == "HyperbandSearchCV":
        kwargs = dict(resource="max_epochs", min_resource=1, max_resource=3)
    else:
        space["max_epochs"] = [2, 3]
        kwargs = {}
    search = SEARCHES[name](classifier(), space, cv=3, **kwargs).fit(X, y)
    scores = np.asarray(search.cv_results_["mean_test_score"])
    assert np.all(np.isfinite(scores)) and scores.max() > 0.5
    best = search.best_estimator_
    for key, value in search.best_params_.items():
        assert best.get_params()[key] == value
    groups = best.optimizer_.param_groups[0]
    assert groups["lr"] == best.lr
    assert groups["weight_decay"] == best.optimizer__weight_decay
    assert best.module_.layers[0].out_features == best.module__num_units
    assert search.predict(X).shape == (120,)


def test_a_regressor_net():
    X, y = make_regression(n_samples=100, n_features=N_FEATURES, random_state=0)
    X = X.astype(np.float32)
    y = (y / y.std()).astype(np.float32).reshape(-1, 1)
    net = NeuralNetRegressor(
        MLP, module__n_out=1, max_epochs=5, train_split=None, verbose=0
    )
    search = SobolSearchCV(
        net, {"lr": [0.01, 0.05], "module__num_units": [8, 16]}, n_iter=4, cv=3
    ).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_score_ > 0


def _hyperband(space, **params):
    net = classifier(
        max_epochs=9,
        callbacks=[("count", CountEpochs()), ("watch", WeightWatch())],
        **params,
    )
    return HyperbandSearchCV(
        net,
        space,
        resource="max_epochs",
        min_resource=1,
        max_resource=9,
        n_iter=6,
        cv=3,
        random_state=0,
    )


def _epochs_with_continuation(results):
    """Epochs of the split fits when each continues the one of the rung below."""
    cand = np.asarray(results["candidate"])
    n_res = np.asarray(results["n_resources"])
    return sum(int(n_res[cand == c].max()) for c in np.unique(cand))


def test_hyperband_continues_real_nets(data):
    X, y = data
    EPOCHS[0] = 0
    BROKEN.clear()
    search = _hyperband({"lr": [0.02, 0.05, 0.1, 0.2, 0.3, 0.4]}).fit(X, y)
    res = search.cv_results_
    assert search.continued_["strategy"] == "skorch"
    assert search.continued_["continued"] > 0
    reached = _epochs_with_continuation(res)
    assert reached < np.sum(res["n_resources"])  # less than from scratch
    assert EPOCHS[0] == 3 * reached + 9  # + the refit's 9 epochs
    assert not BROKEN  # a continued net starts from its own weights
    assert len(search.best_estimator_.history) == 9


def test_hyperband_continuation_keeps_weights_with_module_params(data):
    # a continued net is given only the new epoch count: setting module__*
    # again would re-initialize its module
    X, y = data
    BROKEN.clear()
    _hyperband({"module__num_units": [4, 6, 8, 12, 16, 24]}).fit(X, y)
    assert not BROKEN


# ------------------------------------------------------------ EarlyStopping
TRAIN_SIZES = []


class TrainSize(Callback):
    def on_train_begin(self, net, X=None, y=None, **kwargs):
        TRAIN_SIZES.append(len(X))


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_every_search_with_an_early_stopped_net(name, data):
    X, y = data
    TRAIN_SIZES.clear()
    net = classifier(max_epochs=8, callbacks=[("size", TrainSize())])
    model = EarlyStopping(net, patience=2, random_state=0)
    assert is_classifier(model)
    space = {"estimator__lr": [0.05, 0.1, 0.2, 0.3]}
    kwargs = {"n_iter": 2}
    if name == "HyperbandSearchCV":
        kwargs.update(resource="estimator__max_epochs", min_resource=3, max_resource=8)
    search = SEARCHES[name](model, space, cv=3, **kwargs).fit(X, y)
    res = search.cv_results_
    splits = np.column_stack([res[f"split{k}_best_iteration"] for k in range(3)])
    assert np.all((splits >= 1) & (splits <= 8))
    # each split fit trained on its training fold less the validation part
    fold = 80  # 120 samples, 3 folds
    assert set(TRAIN_SIZES[:-1]) == {fold - math.ceil(0.1 * fold)}
    assert TRAIN_SIZES[-1] == 120  # the refit: all rows
    best = search.best_estimator_
    n = math.ceil(np.median(splits[search.best_index_]) / 0.9)
    assert best.n_iterations == n
    assert best.estimator_.max_epochs == n
    assert len(best.estimator_.history) == n
    assert best.estimator_.train_split is None


def test_early_stopped_net_validates_on_the_held_out_rows(data):
    X, y = data
    model = EarlyStopping(classifier(max_epochs=30), patience=3, random_state=0)
    model.fit(X, y)
    net = model.estimator_
    assert "valid_loss" in net.history[-1]
    valid = model.validation_indices_
    assert len(valid) == 12
    # the predefined split holds exactly the held-out rows
    dataset = net.train_split(None)[1]
    np.testing.assert_array_equal(dataset.X, X[valid])
    # the kept weights are those of the best epoch
    best = model.best_iteration_
    losses = net.history[:, "valid_loss"]
    assert losses[best - 1] == pytest.approx(min(losses), rel=1e-3)
    assert len(net.history) <= min(30, best + 3)
