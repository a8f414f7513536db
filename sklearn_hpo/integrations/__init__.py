"""Third-party models in the searches: LightGBM and skorch (torch) nets.

Nothing here imports LightGBM, skorch or torch at import time: they are
imported when a model of theirs is fitted. ``import sklearn_hpo`` does not
import this package.

* :class:`EarlyStopping` wraps a LightGBM model or a skorch net (alone or as
  the last step of a Pipeline) so that every fit, and so every training fold
  of a search, stops early on a validation split carved out of the data that
  fit receives. The searches record each split's best iteration in
  ``cv_results_`` (``split{k}_best_iteration``, ``mean_best_iteration``,
  ``std_best_iteration``) and refit the winner for a number of iterations
  derived from its folds.

LightGBM and skorch models also work in every search without the wrapper:
pandas categorical columns stay categorical through the folds, sample-aligned
fit parameters (``sample_weight``) are cut per fold, and
:class:`~sklearn_hpo.HyperbandSearchCV` continues LightGBM boosters
(``resource="n_estimators"``) and skorch nets (``resource="max_epochs"``)
from rung to rung instead of starting over.
"""

from sklearn_hpo.integrations._early_stopping import EarlyStopping

__all__ = ["EarlyStopping"]
