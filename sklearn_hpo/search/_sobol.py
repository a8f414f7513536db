"""SobolSearchCV: RandomizedSearchCV with low-discrepancy points."""

import numpy as np

from sklearn_hpo.exceptions import HPOWarning
from sklearn_hpo.samplers import SEQUENCES, QMCSampler
from sklearn_hpo.search._base import BaseSampledSearchCV
from sklearn_hpo.space import SearchSpace
from sklearn_hpo.utils._compat import StrOptions
from sklearn_hpo.utils._warnings import warn_user

__all__ = ["SobolSearchCV"]


class SobolSearchCV(BaseSampledSearchCV):
    """Quasi-random search over hyperparameters (scrambled Sobol', Halton, LHS).

    A drop-in replacement for scikit-learn's
    :class:`~sklearn.model_selection.RandomizedSearchCV`: the same
    parameters, the same fitted attributes and ``cv_results_``, with the
    candidates taken from a scrambled low-discrepancy sequence instead of
    independent random draws. At the same ``n_iter`` the candidates cover the
    space more evenly (lower discrepancy), so the best of them tends to be
    closer to the best of the space.

    Parameters
    ----------
    estimator : estimator object
        An object implementing ``fit``, cloned for every candidate and fold.
        Either it provides a ``score`` method or ``scoring`` must be given.

    param_distributions : dict, list of dicts or SearchSpace
        Hyperparameter names mapped to what to try. Everything
        ``RandomizedSearchCV`` accepts: lists of values (any objects,
        including None and estimators) and scipy.stats frozen distributions
        (mapped through their inverse CDF); plus scikit-optimize style
        tuples, ``(1e-3, 1e3, "log-uniform")`` for a real range and ``(1, 10)``
        for an integer range, and :class:`~sklearn_hpo.space.Real`,
        :class:`~sklearn_hpo.space.Integer`,
        :class:`~sklearn_hpo.space.Categorical`. A list of dicts is a union of
        disjoint subspaces (for conditional parameters); ``n_iter`` is split
        across them in proportion to their size, capped at ``n_iter``.

        Note: a two- or three-element numeric tuple is a range here, while
        ``RandomizedSearchCV`` reads any tuple as a list of choices; write a
        list for choices.

    n_iter : int, default=10
        Number of candidates. Sobol' points are balanced in runs of ``2^m``:
        with ``sequence="sobol"`` a warning suggests the nearest power of two
        otherwise. Duplicates that appear after rounding integer and
        categorical values are replaced by new points, never evaluated twice;
        a space with fewer than ``n_iter`` settings is evaluated exhaustively.

    scoring : str, callable, list, tuple or dict, default=None
        As in ``RandomizedSearchCV``: one metric (a name, a callable, or
        None for the estimator's ``score``) or several (list or dict), in
        which case ``refit`` names the one that selects the best candidate.

    n_jobs : int, default=None
        Number of jobs to run in parallel (joblib). The candidates and
        scores do not depend on it.

    refit : bool, str or callable, default=True
        Refit the best candidate on the whole data set. For several metrics,
        the name of the one that selects it; or a callable taking
        ``cv_results_`` and returning the index of the best candidate.

    cv : int, cross-validation generator or iterable, default=None
        The cross-validation splitting strategy, as in scikit-learn (5-fold,
        stratified for classifiers, by default). The splits are computed
        once and used for every candidate.

    verbose : int, default=0
        Verbosity of the fits, as in scikit-learn.

    pre_dispatch : int or str, default="2*n_jobs"
        Number of jobs dispatched ahead (joblib).

    random_state : int, RandomState instance or None, default=None
        Seeds the scrambling of the sequence; an int makes the run
        reproducible.

    error_score : "raise" or numeric, default=np.nan
        Score given to a candidate whose fit fails; "raise" re-raises the
        error. A failed candidate does not stop the search.

    return_train_score : bool, default=False
        Also compute and store the training scores.

    sequence : {"sobol", "halton", "lhs", "random"}, default="sobol"
        The point set: scrambled Sobol', Halton, Latin hypercube sampling,
        or independent uniform points (which reproduces ``RandomizedSearchCV``'s
        sampling distribution).

    scramble : bool, default=True
        Randomize the sequence. Unscrambled Sobol' starts at the lower corner
        of the space and is the same for every ``random_state``.

    max_time : float, default=None
        A time budget in seconds, counted from the start of ``fit``: no new
        fit starts after it, candidates with a split left unfitted are
        dropped, and the search ends with what it has (refit included).
        None: no limit.

    checkpoint : str or path-like, default=None
        A SQLite file recording every finished candidate in its own
        transaction. A later ``fit`` with the same file, estimator, search
        space, data and ``random_state`` replays what is done and continues,
        so a killed process loses only the fits in flight; anything else
        changed raises ``ValueError``. ``sklearn-hpo show FILE`` or
        :func:`~sklearn_hpo.search.load_checkpoint` lists what it holds.

    candidate_timeout : float, default=None
        Seconds one fit (one candidate on one split) may take; a longer fit
        is interrupted and scored with ``error_score``. Enforced with
        ``n_jobs=1`` and the loky/multiprocessing backends (a ``SIGALRM`` in
        the worker, POSIX only); not with the threading or Dask backends,
        whose fits run in threads (the search then warns).

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        One entry per candidate, with the same keys as in
        ``RandomizedSearchCV``: ``params``, ``param_<name>``,
        ``split<k>_test_<metric>``, ``mean_test_<metric>``,
        ``std_test_<metric>``, ``rank_test_<metric>``, the fit and score times,
        and the train scores when ``return_train_score=True``.

    best_estimator_ : estimator
        The best candidate refitted on all the data (when ``refit`` is set).

    best_score_ : float
        Mean cross-validated score of the best candidate.

    best_params_ : dict
        Parameters of the best candidate.

    best_index_ : int
        Index of the best candidate in ``cv_results_``.

    scorer_ : function or dict
        The scorer(s) used on the held-out data.

    n_splits_ : int
        Number of cross-validation splits.

    refit_time_ : float
        Seconds spent refitting the best candidate.

    multimetric_ : bool
        Whether several metrics were used.

    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers, when ``refit`` is set).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen during fit, when ``X`` has them.

    See Also
    --------
    sklearn.model_selection.RandomizedSearchCV : Independent random candidates.
    sklearn.model_selection.GridSearchCV : Every point of a grid.

    Notes
    -----
    The candidates are points of a scrambled low-discrepancy sequence
    (``scipy.stats.qmc``) in the unit cube of the space, mapped to values
    dimension by dimension (integers and categories each own a share of the
    unit interval equal to their probability; scipy distributions go
    through their inverse CDF). All candidates are proposed before any fit
    starts, then fitted in one parallel batch, so the search overhead is that
    of ``RandomizedSearchCV``. Callbacks passed to ``fit`` run once, after
    that batch.

    References: I. M. Sobol' (1967), "On the distribution of points in a cube
    and the approximate evaluation of integrals"; A. B. Owen (1998),
    "Scrambling Sobol' and Niederreiter-Xing points"; J. Bergstra and
    Y. Bengio (2012), "Random search for hyper-parameter optimization", JMLR
    13, which recommends low-discrepancy sequences over random sampling.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sklearn_hpo import SobolSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = SobolSearchCV(
    ...     SVC(), {"C": (1e-2, 1e2, "log-uniform"), "kernel": ["rbf", "linear"]},
    ...     n_iter=8, random_state=0,
    ... ).fit(X, y)
    >>> len(search.cv_results_["params"])
    8
    >>> sorted(search.best_params_)
    ['C', 'kernel']
    """

    _parameter_constraints: dict = {
        **BaseSampledSearchCV._parameter_constraints,
        "param_distributions": [dict, list, SearchSpace],
        "sequence": [StrOptions(set(SEQUENCES))],
        "scramble": ["boolean"],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=10,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        max_time=None,
        checkpoint=None,
        candidate_timeout=None,
        sequence="sobol",
        scramble=True,
    ):
        self.param_distributions = param_distributions
        self.sequence = sequence
        self.scramble = scramble
        super().__init__(
            estimator=estimator,
            n_iter=n_iter,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
            max_time=max_time,
            checkpoint=checkpoint,
            candidate_timeout=candidate_timeout,
        )

    def _make_sampler(self, subspace, rng):
        return QMCSampler(self.sequence, scramble=self.scramble)

    def _check_budget(self, budget):
        if self.sequence == "sobol" and budget & (budget - 1):
            lower = 1 << (budget.bit_length() - 1)
            warn_user(
                f"n_iter={budget} is not a power of two: Sobol' points are "
                f"balanced in runs of 2^m. Use n_iter={lower} or {lower * 2} for "
                "the best coverage, or sequence='halton' or 'lhs' for any n_iter.",
                HPOWarning,
            )
