"""The models the command line knows: estimator, preprocessing and space."""

import importlib
from dataclasses import dataclass

import numpy as np
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from sklearn_hpo import spaces
from sklearn_hpo.cli._errors import CLIError

__all__ = ["MODELS", "STEP", "build_estimator", "get_model"]

# The name of the model's step in the pipeline the command line builds.
STEP = "model"
# One-hot encoding groups the rarest categories of a column beyond this many.
MAX_ONEHOT = 20
# HistGradientBoosting handles a column natively as categorical up to this
# many categories (its max_bins is 255).
MAX_NATIVE_CATEGORIES = 250


@dataclass(frozen=True)
class Model:
    """What the command line needs to know about one model.

    Attributes
    ----------
    classifier, regressor : str or None
        ``"module:Class"`` of the estimator for each task (None: the model
        does not do that task).
    space : callable
        ``space(prefix, task, resource_out)`` returns the search space.
    encoding : {"ordinal", "onehot"}
        Trees take ordinal codes and missing values as they are; the others
        one-hot codes, imputed and standardized features (and, for
        regression, a standardized target).
    resource : str or None
        The parameter HyperbandSearchCV gives more of, if any.
    max_resource : int or None
        Its largest value (also the value used by the other searches when
        the space leaves it out).
    params : dict
        Fixed constructor arguments.
    extra : str or None
        The pip extra that installs the estimator's library.
    """

    classifier: str | None
    regressor: str | None
    space: object
    encoding: str
    resource: str | None = None
    max_resource: int | None = None
    params: tuple = ()
    extra: str | None = None


def _boosting_space(fn, keyword):
    def space(prefix, task, resource_out):
        return fn(prefix=prefix, **({keyword: None} if resource_out else {}))

    return space


def _forest_space(fn):
    def space(prefix, task, resource_out):
        return fn(prefix=prefix, task=task)

    return space


def _simple(fn, **kwargs):
    def space(prefix, task, resource_out):
        return fn(prefix=prefix, **kwargs)

    return space


MODELS = {
    "lightgbm": Model(
        "lightgbm:LGBMClassifier",
        "lightgbm:LGBMRegressor",
        _boosting_space(spaces.lightgbm, "n_estimators"),
        "ordinal",
        resource="n_estimators",
        max_resource=1000,
        params=(("verbose", -1),),
        extra="lightgbm",
    ),
    "hgb": Model(
        "sklearn.ensemble:HistGradientBoostingClassifier",
        "sklearn.ensemble:HistGradientBoostingRegressor",
        _boosting_space(spaces.hist_gradient_boosting, "max_iter"),
        "ordinal",
        resource="max_iter",
        max_resource=512,
    ),
    "random_forest": Model(
        "sklearn.ensemble:RandomForestClassifier",
        "sklearn.ensemble:RandomForestRegressor",
        _forest_space(spaces.random_forest),
        "ordinal",
        resource="n_estimators",
        max_resource=100,
    ),
    "extra_trees": Model(
        "sklearn.ensemble:ExtraTreesClassifier",
        "sklearn.ensemble:ExtraTreesRegressor",
        _forest_space(spaces.extra_trees),
        "ordinal",
        resource="n_estimators",
        max_resource=100,
    ),
    "logistic_regression": Model(
        "sklearn.linear_model:LogisticRegression",
        None,
        _simple(spaces.logistic_regression),
        "onehot",
        params=(("max_iter", 1000),),
    ),
    "ridge": Model(
        "sklearn.linear_model:RidgeClassifier",
        "sklearn.linear_model:Ridge",
        _simple(spaces.ridge),
        "onehot",
    ),
    "elastic_net": Model(
        None,
        "sklearn.linear_model:ElasticNet",
        _simple(spaces.elastic_net),
        "onehot",
    ),
    "svc": Model("sklearn.svm:SVC", None, _simple(spaces.svc), "onehot"),
    "svr": Model(None, "sklearn.svm:SVR", _simple(spaces.svr), "onehot"),
    "knn": Model(
        "sklearn.neighbors:KNeighborsClassifier",
        "sklearn.neighbors:KNeighborsRegressor",
        None,  # depends on the number of samples: see build_estimator
        "onehot",
    ),
    "mlp": Model(
        "sklearn.neural_network:MLPClassifier",
        "sklearn.neural_network:MLPRegressor",
        _simple(spaces.mlp),
        "onehot",
        resource="max_iter",
        max_resource=200,
    ),
}
# What to suggest when a model does not do the task asked for.
_OTHER_TASK = {
    "logistic_regression": "ridge, svr, hgb or lightgbm",
    "svc": "svr",
    "svr": "svc",
    "elastic_net": "logistic_regression or ridge",
}


def get_model(name, task):
    """The :class:`Model` called ``name``, checked against ``task``."""
    if name not in MODELS:
        raise CLIError(
            f"unknown model {name!r}; the known models are: {', '.join(MODELS)}"
        )
    model = MODELS[name]
    if (model.classifier if task == "classification" else model.regressor) is None:
        raise CLIError(
            f"model {name!r} does not do {task}; for {task} use "
            f"{_OTHER_TASK[name]} (or set --task if the task was inferred wrongly)"
        )
    return model


def _import(name, spec, extra):
    module, cls = spec.split(":")
    try:
        return getattr(importlib.import_module(module), cls)
    except ImportError:
        hint = f"pip install 'sklearn-hpo[{extra}]'" if extra else "pip install it"
        raise CLIError(
            f"model {name!r} needs the {module.split('.')[0]} package: {hint}"
        ) from None


def _preprocessor(model, X, categorical):
    numeric = [c for c in X.columns if c not in categorical]
    if model.encoding == "ordinal":
        # trees: codes for categories (-1 for unknown or missing), numbers as
        # they are (missing values handled by the trees themselves)
        encoder = OrdinalEncoder(
            handle_unknown="use_encoded_value",
            unknown_value=-1,
            encoded_missing_value=-1,
        )
        small = [c for c in categorical if X[c].nunique() <= MAX_NATIVE_CATEGORIES]
        large = [c for c in categorical if c not in small]
        parts = [
            ("categorical", encoder, small),
            ("many_categories", encoder, large),
            ("numeric", "passthrough", numeric),
        ]
        n_native = len(small)
    else:
        parts = [
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="missing"),
                    OneHotEncoder(
                        handle_unknown="infrequent_if_exist",
                        max_categories=MAX_ONEHOT,
                        sparse_output=False,
                    ),
                ),
                categorical,
            ),
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                numeric,
            ),
        ]
        n_native = 0
    parts = [p for p in parts if p[2]]
    return ColumnTransformer(parts, remainder="drop"), n_native


def build_estimator(
    name, model, task, X, categorical, *, n_splits, resource_out, random_state
):
    """The pipeline to tune, its search space and the parameter prefix.

    Returns
    -------
    estimator : Pipeline or TransformedTargetRegressor
    space : dict
    prefix : str
        What stands before the model's parameter names.
    """
    spec = model.classifier if task == "classification" else model.regressor
    cls = _import(name, spec, model.extra)
    params = dict(model.params)
    if "random_state" in cls().get_params():
        params["random_state"] = random_state
    if model.resource is not None:
        params[model.resource] = model.max_resource
    pre, n_native = _preprocessor(model, X, categorical)
    if name == "hgb" and n_native:
        # one output column per input column, the small categorical block
        # first
        mask = np.zeros(len(X.columns), dtype=bool)
        mask[:n_native] = True
        params["categorical_features"] = mask
    estimator = Pipeline([("preprocess", pre), (STEP, cls(**params))])
    prefix = f"{STEP}__"
    if task == "regression" and model.encoding == "onehot":
        # SVR's epsilon, the MLP's step and the penalties assume a target of
        # unit scale
        estimator = TransformedTargetRegressor(
            regressor=estimator, transformer=StandardScaler()
        )
        prefix = f"regressor__{prefix}"
    if name == "knn":
        # a training fold must hold at least n_neighbors samples
        n_train = int(len(X) * (n_splits - 1) / n_splits)
        space = spaces.knn(prefix=prefix, max_neighbors=max(2, min(50, n_train)))
    else:
        space = model.space(prefix, task, resource_out)
    return estimator, space, prefix
