"""The BaseSearchCV contract, run over every search class of the package.

Each test takes ``make`` (a factory from ``_searches.SEARCHES``) and checks
one point of scikit-learn's behaviour: scoring and refit forms, cv forms,
groups and fit parameters, error_score, cv_results_ keys, fitted attributes,
delegation, clone/params/pickle, pipelines, pandas, and independence of
n_jobs.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import loguniform
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification, make_regression
from sklearn.decomposition import PCA
from sklearn.exceptions import FitFailedWarning, NotFittedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import make_scorer, recall_score
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    RandomizedSearchCV,
    ShuffleSplit,
    cross_val_score,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklearn_hpo.utils._testing import FailingClassifier
from tests.contract._searches import (
    SEARCHES,
    best_rows,
    extra_results,
    extra_scorers,
    final_rows,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn_hpo.exceptions.HPOWarning")

search_classes = pytest.mark.parametrize(
    "make", list(SEARCHES.values()), ids=list(SEARCHES)
)


@pytest.fixture(scope="module")
def clf_data():
    return make_classification(
        n_samples=120, n_features=6, n_informative=4, random_state=0
    )


@pytest.fixture(scope="module")
def reg_data():
    return make_regression(n_samples=80, n_features=5, noise=1.0, random_state=0)


C_SPACE = {"C": (1e-2, 1e2, "log-uniform")}


# --------------------------------------------------------------- scoring / refit
@search_classes
@pytest.mark.parametrize(
    "scoring",
    [
        None,
        "accuracy",
        make_scorer(recall_score),
        ["accuracy", "f1"],
        {"acc": "accuracy", "rec": make_scorer(recall_score)},
    ],
    ids=["none", "str", "callable", "list", "dict"],
)
def test_scoring_forms(make, clf_data, scoring):
    X, y = clf_data
    multi = isinstance(scoring, (list, dict))
    refit = ("accuracy" if isinstance(scoring, list) else "acc") if multi else True
    search = make(LogisticRegression(), C_SPACE, scoring=scoring, refit=refit, cv=3)
    search.fit(X, y)
    assert search.multimetric_ is (multi or bool(extra_scorers(search)))
    names = list(scoring) if multi else ["score"]
    for name in names:
        scores = search.cv_results_[f"mean_test_{name}"]
        assert scores.shape == (len(search.cv_results_["params"]),)
        assert np.all((scores >= 0) & (scores <= 1))
    key = f"mean_test_{refit}" if multi else "mean_test_score"
    top = best_rows(search.cv_results_)
    assert search.best_score_ == pytest.approx(np.max(search.cv_results_[key][top]))
    # the best row (a multi-objective search may prefer, among rows tied on
    # this metric, one that is better on another objective)
    assert search.cv_results_[key][search.best_index_] == search.best_score_
    if multi or (extra_scorers(search) and not callable(scoring)):
        assert set(search.scorer_) == set(names) | extra_scorers(search)
    else:
        assert callable(search.scorer_)


@search_classes
def test_callable_scoring_returning_dict(make, clf_data):
    X, y = clf_data

    def scorer(est, X, y):
        pred = est.predict(X)
        return {"acc": float(np.mean(pred == y)), "err": float(np.mean(pred != y))}

    search = make(LogisticRegression(), C_SPACE, scoring=scorer, refit="acc", cv=3)
    search.fit(X, y)
    res = search.cv_results_
    assert search.multimetric_
    np.testing.assert_allclose(res["mean_test_acc"] + res["mean_test_err"], 1.0)


@search_classes
def test_refit_false_and_callable(make, clf_data):
    X, y = clf_data
    search = make(LogisticRegression(), C_SPACE, refit=False, cv=3).fit(X, y)
    assert not hasattr(search, "best_estimator_")
    with pytest.raises(AttributeError, match="predict"):
        search.predict(X)

    def lowest_c(results):
        return int(np.argmin([p["C"] for p in results["params"]]))

    search = make(LogisticRegression(), C_SPACE, refit=lowest_c, cv=3).fit(X, y)
    cs = [p["C"] for p in search.cv_results_["params"]]
    assert search.best_index_ == int(np.argmin(cs))
    assert search.best_params_["C"] == min(cs)
    assert search.best_estimator_.C == min(cs)
    assert not hasattr(search, "best_score_")


@search_classes
def test_multimetric_refit_must_name_a_metric(make, clf_data):
    X, y = clf_data
    search = make(LogisticRegression(), C_SPACE, scoring=["accuracy", "f1"], refit=True)
    with pytest.raises(ValueError, match="refit"):
        search.fit(X, y)


# ----------------------------------------------------------------------- cv forms
@search_classes
@pytest.mark.parametrize("cv_kind", ["int", "splitter", "iterable"])
def test_cv_forms(make, reg_data, cv_kind):
    X, y = reg_data
    kfold = KFold(3, shuffle=True, random_state=0)
    cv = {"int": 3, "splitter": kfold, "iterable": list(kfold.split(X))}[cv_kind]
    search = make(Ridge(), {"alpha": (1e-3, 1e3, "log-uniform")}, cv=cv).fit(X, y)
    assert search.n_splits_ == 3
    # The reported score of the best candidate is a plain cross-validation.
    expected_cv = 3 if cv_kind == "int" else kfold
    best = clone(Ridge()).set_params(**search.best_params_)
    assert search.best_score_ == pytest.approx(
        cross_val_score(best, X, y, cv=expected_cv).mean()
    )


@search_classes
def test_randomized_splitter_gives_the_same_folds_to_every_candidate(make, reg_data):
    X, y = reg_data
    cv = ShuffleSplit(n_splits=3, test_size=0.3)  # no random_state: new folds per call
    search = make(Ridge(), {"alpha": [1.0, 1.0 + 1e-12]}, cv=cv, n_iter=2)
    search.fit(X, y)
    res = search.cv_results_
    # nearly equal alphas on equal folds give equal per-split scores
    for k in range(3):
        a, b = res[f"split{k}_test_score"]
        assert a == pytest.approx(b, rel=1e-9)


# -------------------------------------------------------------- groups and params
@search_classes
def test_groups_reach_the_splitter(make, clf_data):
    X, y = clf_data
    groups = np.arange(len(y)) % 6
    search = make(LogisticRegression(), C_SPACE, cv=GroupKFold(3))
    search.fit(X, y, groups=groups)
    best = LogisticRegression(**search.best_params_)
    assert search.best_score_ == pytest.approx(
        cross_val_score(best, X, y, groups=groups, cv=GroupKFold(3)).mean()
    )
    with pytest.raises(ValueError, match="groups"):
        make(LogisticRegression(), C_SPACE, cv=GroupKFold(3)).fit(X, y)


class _RecordsWeights(ClassifierMixin, BaseEstimator):
    """Fails unless it receives a sample_weight of the training fold's length."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y, sample_weight=None):
        assert sample_weight is not None and len(sample_weight) == len(X)
        self.classes_ = np.unique(y)
        self.weight_sum_ = float(np.sum(sample_weight))
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@search_classes
def test_fit_params_are_split_with_the_data(make, clf_data):
    X, y = clf_data
    w = np.ones(len(y))
    search = make(_RecordsWeights(), {"C": [1.0, 2.0]}, cv=3, error_score="raise")
    search.fit(X, y, sample_weight=w)
    assert search.best_estimator_.weight_sum_ == len(y)


class _RoutedWeights(_RecordsWeights):
    pass


@search_classes
def test_metadata_routing(make, clf_data):
    X, y = clf_data
    w = np.ones(len(y))
    with config_context(enable_metadata_routing=True):
        est = _RoutedWeights().set_fit_request(sample_weight=True)
        est = est.set_score_request(sample_weight=False)
        search = make(est, {"C": [1.0, 2.0]}, cv=3, error_score="raise")
        search.fit(X, y, sample_weight=w)
        assert search.best_estimator_.weight_sum_ == len(y)


# ---------------------------------------------------------------------- failures
@search_classes
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_error_score_nan_keeps_other_results(make, clf_data):
    X, y = clf_data
    search = make(
        FailingClassifier(), {"fail": [True, False], "C": [1.0, 2.0]}, n_iter=4, cv=3
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    res = search.cv_results_
    rows = final_rows(res)  # each candidate's last evaluation
    failed = np.array([res["params"][i]["fail"] for i in rows])
    assert failed.sum() == 2 and (~failed).sum() == 2
    assert np.all(np.isnan(res["mean_test_score"][rows][failed]))
    assert np.all(np.isfinite(res["mean_test_score"][rows][~failed]))
    assert search.best_params_["fail"] is False


@search_classes
def test_error_score_numeric_and_raise(make, clf_data):
    X, y = clf_data
    space = {"fail": [True, False]}
    search = make(FailingClassifier(), space, n_iter=2, cv=3, error_score=-1.0)
    with pytest.warns(FitFailedWarning):
        search.fit(X, y)
    assert -1.0 in search.cv_results_["mean_test_score"]
    search = make(FailingClassifier(), space, n_iter=2, cv=3, error_score="raise")
    with pytest.raises(ValueError, match="asked to fail"):
        search.fit(X, y)


@search_classes
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
def test_all_candidates_failing_raises_one_clear_error(make, clf_data):
    X, y = clf_data
    search = make(FailingClassifier(fail=True), {"C": [1.0, 2.0]}, n_iter=2, cv=3)
    # each failed batch warns, then the search raises once at the end
    with pytest.warns(FitFailedWarning, match="fits of this batch failed"):
        with pytest.raises(
            ValueError, match=r"(?s)All 2 candidates failed.*asked to fail"
        ):
            search.fit(X, y)


@search_classes
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_a_batch_of_failures_does_not_abort_the_search(make, clf_data):
    # scikit-learn raises when every fit of one evaluate_candidates call fails;
    # a search running in batches must go on and keep every candidate.
    X, y = clf_data
    search = make(FailingClassifier(), {"fail": [True, False]}, n_iter=2, cv=3)
    search._batch_size = lambda: 1  # one candidate per batch
    search.fit(X, y)
    assert len(final_rows(search.cv_results_)) == 2
    assert search.best_params_ == {"fail": False}


# ------------------------------------------------------------- cv_results_ schema
@search_classes
@pytest.mark.parametrize("return_train_score", [False, True])
@pytest.mark.parametrize("scoring", [None, ["accuracy", "f1"]], ids=["one", "multi"])
def test_cv_results_keys_match_randomizedsearchcv(
    make, clf_data, return_train_score, scoring
):
    X, y = clf_data
    kwargs = dict(
        cv=3,
        scoring=scoring,
        return_train_score=return_train_score,
        refit="accuracy" if scoring else True,
    )
    ours = make(LogisticRegression(), {"C": loguniform(1e-2, 1e2)}, **kwargs)
    ours.fit(X, y)
    theirs = RandomizedSearchCV(
        LogisticRegression(),
        {"C": loguniform(1e-2, 1e2)},
        n_iter=3,
        random_state=0,
        **kwargs,
    ).fit(X, y)
    assert set(ours.cv_results_) == set(theirs.cv_results_) | extra_results(ours)
    for key, value in ours.cv_results_.items():
        assert len(value) == len(ours.cv_results_["params"]), key
        if key.startswith("rank_") and key in theirs.cv_results_:
            assert value.dtype == theirs.cv_results_[key].dtype
    if return_train_score:
        name = "accuracy" if scoring else "score"
        assert np.all(np.isfinite(ours.cv_results_[f"mean_train_{name}"]))


# ------------------------------------------------------------ fitted attributes
@search_classes
def test_fitted_attributes_and_delegation(make, clf_data):
    X, y = clf_data
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    search = make(pipe, {"clf__C": (1e-2, 1e2, "log-uniform")}, cv=3)
    with pytest.raises(NotFittedError):
        search.predict(X)
    search.fit(X, y)
    best = search.best_estimator_
    assert search.best_params_ == search.cv_results_["params"][search.best_index_]
    assert search.refit_time_ >= 0
    assert search.n_splits_ == 3
    assert search.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(search.classes_, np.unique(y))
    np.testing.assert_array_equal(search.predict(X), best.predict(X))
    np.testing.assert_allclose(search.predict_proba(X), best.predict_proba(X))
    np.testing.assert_allclose(search.predict_log_proba(X), best.predict_log_proba(X))
    np.testing.assert_allclose(search.decision_function(X), best.decision_function(X))
    assert search.score(X, y) == pytest.approx(best.score(X, y))


@search_classes
def test_transform_delegation(make, reg_data):
    X, y = reg_data
    search = make(PCA(), {"n_components": [1, 2, 3]}, n_iter=3, cv=3).fit(X)
    np.testing.assert_allclose(search.transform(X), search.best_estimator_.transform(X))
    np.testing.assert_allclose(
        search.inverse_transform(search.transform(X)),
        search.best_estimator_.inverse_transform(search.transform(X)),
    )


@search_classes
def test_pandas_input_keeps_feature_names(make, clf_data):
    X, y = clf_data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    search = make(LogisticRegression(), C_SPACE, cv=3).fit(df, pd.Series(y))
    np.testing.assert_array_equal(search.feature_names_in_, df.columns)
    assert search.predict(df).shape == (len(df),)


# --------------------------------------------------------- clone, params, pickle
@search_classes
def test_clone_params_pickle(make, clf_data):
    X, y = clf_data
    search = make(LogisticRegression(), C_SPACE, cv=3)
    params = search.get_params()
    assert "estimator__C" in params and "n_jobs" in params
    cloned = clone(search)
    assert cloned.get_params().keys() == params.keys()
    search.set_params(estimator__max_iter=500, cv=4)
    assert search.estimator.max_iter == 500 and search.cv == 4
    search.fit(X, y)
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(restored.predict(X), search.predict(X))
    assert restored.best_params_ == search.best_params_
    assert not hasattr(clone(search), "cv_results_")


# ------------------------------------------------------------------- pipelines
@search_classes
def test_search_over_pipeline_steps(make, clf_data):
    X, y = clf_data
    pipe = Pipeline([("reduce", PCA()), ("clf", LogisticRegression())])
    lr, tree = LogisticRegression(), DecisionTreeClassifier(max_depth=2)
    space = {
        "reduce": ["passthrough", PCA(n_components=3)],
        "clf": [lr, tree],
    }
    search = make(pipe, space, n_iter=4, cv=3, error_score="raise").fit(X, y)
    steps = {(repr(p["reduce"]), repr(p["clf"])) for p in search.cv_results_["params"]}
    assert len(steps) == 4
    # the candidate estimators themselves are never fitted (they are cloned)
    assert not hasattr(lr, "coef_") and not hasattr(tree, "tree_")
    assert search.best_estimator_.named_steps["clf"] is not search.best_params_["clf"]


@search_classes
def test_list_of_dicts_conditional_parameters(make, clf_data):
    from sklearn.svm import SVC

    X, y = clf_data
    space = [
        {"kernel": ["linear"], "C": (0.1, 10.0)},
        {"kernel": ["poly"], "degree": [2, 3], "C": (0.1, 10.0)},
    ]
    search = make(SVC(), space, n_iter=8, cv=3).fit(X, y)
    for p in search.cv_results_["params"]:
        assert ("degree" in p) == (p["kernel"] == "poly")
    kernels = [p["kernel"] for p in search.cv_results_["params"]]
    assert set(kernels) == {"linear", "poly"}
    # parameters absent from a candidate are masked in cv_results_
    masked = np.ma.getmaskarray(search.cv_results_["param_degree"])
    np.testing.assert_array_equal(masked, np.array(kernels) == "linear")


# -------------------------------------------------------------------- n_jobs
@search_classes
def test_results_do_not_depend_on_n_jobs(make, clf_data):
    X, y = clf_data
    space = {"C": (1e-2, 1e2, "log-uniform"), "fit_intercept": [True, False]}
    runs = [
        make(
            LogisticRegression(), space, cv=3, n_iter=6, n_jobs=n_jobs, random_state=42
        ).fit(X, y)
        for n_jobs in (1, 2)
    ]
    a, b = (r.cv_results_ for r in runs)
    assert a["params"] == b["params"]
    np.testing.assert_array_equal(a["mean_test_score"], b["mean_test_score"])
    for k in range(3):
        np.testing.assert_array_equal(
            a[f"split{k}_test_score"], b[f"split{k}_test_score"]
        )


@search_classes
def test_random_state_reproducible_and_varies(make, clf_data):
    X, y = clf_data
    space = {"C": (1e-2, 1e2, "log-uniform")}
    p0 = make(LogisticRegression(), space, cv=3, random_state=0).fit(X, y)
    p0b = make(LogisticRegression(), space, cv=3, random_state=0).fit(X, y)
    p1 = make(LogisticRegression(), space, cv=3, random_state=1).fit(X, y)
    assert p0.cv_results_["params"] == p0b.cv_results_["params"]
    assert p0.cv_results_["params"] != p1.cv_results_["params"]


@search_classes
def test_no_global_random_state_used(make, clf_data):
    X, y = clf_data
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    make(LogisticRegression(), C_SPACE, cv=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


# ----------------------------------------------------------------- bad input
@search_classes
def test_unknown_parameter_names_it_and_the_estimator(make, clf_data):
    X, y = clf_data
    search = make(LogisticRegression(), {"Cee": [1.0, 2.0]})
    with pytest.raises(
        ValueError,
        match=r"(?s)(param_distributions|search_spaces).*Cee.*LogisticRegression",
    ):
        search.fit(X, y)
    pipe = Pipeline([("clf", LogisticRegression())])
    with pytest.raises(ValueError, match=r"step__param"):
        make(pipe, {"C": [1.0, 2.0]}).fit(X, y)


@search_classes
@pytest.mark.parametrize("n_iter", [0, -3])
def test_n_iter_below_one(make, clf_data, n_iter):
    X, y = clf_data
    with pytest.raises(ValueError, match="n_iter"):
        make(LogisticRegression(), C_SPACE, n_iter=n_iter).fit(X, y)


@search_classes
@pytest.mark.parametrize(
    "space,match",
    [
        ({"C": (10.0, 1.0)}, r"(param_distributions|search_spaces)\['C'\].*low"),
        (
            {"C": (0.0, 1.0, "log-uniform")},
            r"(param_distributions|search_spaces)\['C'\].*low > 0",
        ),
        ({"C": []}, r"(param_distributions|search_spaces)\['C'\].*empty"),
        (
            {"C": (1.0, 2.0, "loguniform")},
            r"(param_distributions|search_spaces)\['C'\].*prior",
        ),
        ("C", r"param_distributions|search_spaces"),
    ],
)
def test_bad_space_is_rejected_at_fit(make, clf_data, space, match):
    X, y = clf_data
    search = make(LogisticRegression(), space)  # the constructor only stores
    with pytest.raises((ValueError, TypeError), match=match):
        search.fit(X, y)


def test_every_search_is_listed():
    import sklearn_hpo

    public = {name for name in sklearn_hpo.__all__ if name.endswith("SearchCV")}
    assert public <= set(SEARCHES), "add the new search class to _searches.SEARCHES"


def test_warnings_are_hpowarnings_only(clf_data):
    # the suite ignores HPOWarning; make sure nothing else leaks from a plain run
    X, y = clf_data
    make = next(iter(SEARCHES.values()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter(
            "ignore",
            category=__import__(
                "sklearn_hpo.exceptions", fromlist=["HPOWarning"]
            ).HPOWarning,
        )
        make(LogisticRegression(), C_SPACE, cv=3).fit(X, y)
