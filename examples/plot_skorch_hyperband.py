"""
A skorch net tuned by Hyperband on epochs
=========================================

Tunes a small PyTorch multi-layer perceptron, wrapped by skorch's
``NeuralNetClassifier``, on the digits data set (it ships with
scikit-learn). :class:`~sklearn_hpo.HyperbandSearchCV` uses the number of
epochs (``max_epochs``) as the resource: many candidates train for 1 epoch,
the best third of them go on to 3, then 9, then 27 epochs. A promoted
candidate *continues* the nets it trained on each fold at the rung below
(skorch's ``partial_fit``) instead of training anew.

The search tunes the learning rate, the SGD momentum, the weight decay and
the batch size (parameters such as ``module__hidden`` re-initialize a skorch
net's module when they are set, so they are left fixed here). The script
prints one line per rung (candidates, epochs, best cross-validated
accuracy), the epochs trained with and without continuation, and the test
accuracy of the refitted net.
"""

import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier
from torch import nn

from sklearn_hpo import HyperbandSearchCV

torch.manual_seed(0)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
y = y.astype(np.int64)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)


class MLP(nn.Module):
    """64 pixels -> hidden ReLU layer -> 10 class scores."""

    def __init__(self, hidden=64, dropout=0.1):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 10)
        )

    def forward(self, X):
        return self.layers(X)


net = NeuralNetClassifier(
    MLP,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.SGD,
    max_epochs=27,
    train_split=None,  # the search does the validation (cross-validation)
    verbose=0,
)

# %%
# Hyperband with eta=3 from 1 to 27 epochs: four rungs.
search = HyperbandSearchCV(
    net,
    {
        "lr": (1e-3, 0.5, "log-uniform"),
        "optimizer__momentum": (0.0, 0.95),
        "optimizer__weight_decay": (1e-6, 1e-2, "log-uniform"),
        "batch_size": [32, 64, 128],
    },
    resource="max_epochs",
    min_resource=1,
    max_resource=27,
    eta=3,
    n_iter=27,
    cv=3,
    # one process: skorch pickles a fitted module with the standard pickle,
    # which cannot find a class defined in a script (``__main__``) when a
    # worker sends a continued net back; with the module class in an
    # importable file, n_jobs=2 runs the folds in parallel
    n_jobs=1,
    random_state=0,
)
start = time.perf_counter()
search.fit(X_train, y_train)
wall = time.perf_counter() - start

# %%
# The table: one line per rung of the brackets.
res = search.cv_results_
bracket, rung = np.asarray(res["bracket"]), np.asarray(res["rung"])
epochs, scores = np.asarray(res["n_resources"]), np.asarray(res["mean_test_score"])
print("| bracket | rung | candidates | epochs | best CV accuracy |")
print("| ---: | ---: | ---: | ---: | ---: |")
for b in sorted(set(bracket), reverse=True):
    for r in sorted(set(rung[bracket == b])):
        rows = (bracket == b) & (rung == r)
        print(
            f"| {b} | {r} | {rows.sum()} | {epochs[rows][0]} | "
            f"{np.nanmax(scores[rows]):.4f} |"
        )
print()

# %%
# Continuation: each epoch of a fold's net is trained once.
candidate = np.asarray(res["candidate"])
continued = sum(epochs[candidate == c].max() for c in np.unique(candidate))
print(
    f"epochs trained per fold: {continued} with continuation, "
    f"{epochs.sum()} from scratch ({search.continued_})"
)
print(f"best parameters: { {k: round(v, 5) for k, v in search.best_params_.items()} }")
print(
    f"test accuracy of the refitted net: {search.score(X_test, y_test):.4f} "
    f"(search wall time {wall:.1f} s)"
)
