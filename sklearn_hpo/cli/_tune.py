"""``sklearn-hpo tune``: tune a model on a CSV or Parquet file."""

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from joblib import effective_n_jobs

from sklearn_hpo.cli._data import (
    categorical_columns,
    class_labels,
    infer_task,
    list_columns,
    prepare_features,
    read_table,
    split_columns,
)
from sklearn_hpo.cli._errors import CLIError
from sklearn_hpo.cli._models import MODELS, build_estimator, get_model
from sklearn_hpo.cli._progress import Progress
from sklearn_hpo.search import BayesSearchCV, HyperbandSearchCV, SobolSearchCV

__all__ = ["SEARCHES", "add_parser", "run"]

SEARCHES = ("bayes", "sobol", "random", "hyperband")
TASKS = ("classification", "regression")

DESCRIPTION = """\
Tune a model on a table (CSV, or Parquet with pyarrow installed) by
cross-validation, then refit the best candidate on all rows. Text columns
are one-hot encoded (ordinal codes for tree models) and missing values
imputed (tree models handle them natively). Writes best_params.json,
cv_results.csv, summary.json and report.html into --out, and
predictions.csv with --predict.
"""

EPILOG = f"""\
models: {", ".join(MODELS)}
searches: bayes (Gaussian process), sobol (quasi-random), random,
  hyperband (successive halving on the model's iterations: lightgbm, hgb,
  random_forest, extra_trees, mlp)

example:
  sklearn-hpo tune train.csv --target y --model lightgbm --search bayes \\
      --n-iter 50 --cv 5 --scoring roc_auc --out results/ --predict test.csv
"""


def add_parser(commands):
    """Register the ``tune`` subcommand."""
    p = commands.add_parser(
        "tune",
        help="tune a model on a CSV or Parquet file",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("data", help="training data: a .csv (.tsv) or .parquet file")
    p.add_argument("--target", required=True, help="the column to predict")
    p.add_argument(
        "--model", default="hgb", help="the model to tune (default: %(default)s)"
    )
    p.add_argument(
        "--search",
        default="bayes",
        help=f"{', '.join(SEARCHES)} (default: %(default)s)",
    )
    p.add_argument(
        "--n-iter",
        type=int,
        default=50,
        help="candidates to evaluate (hyperband: to start) (default: %(default)s)",
    )
    p.add_argument(
        "--cv", type=int, default=5, help="cross-validation folds (default: 5)"
    )
    p.add_argument(
        "--scoring",
        default=None,
        help="a scikit-learn scorer name such as roc_auc, neg_log_loss, r2 or "
        "neg_root_mean_squared_error (default: accuracy or r2)",
    )
    p.add_argument(
        "--task",
        choices=TASKS,
        default=None,
        help="default: classification for text, boolean or integer targets "
        "with at most 20 values, else regression",
    )
    p.add_argument(
        "--out",
        default="results",
        help="directory for the outputs, created if missing (default: %(default)s)",
    )
    p.add_argument(
        "--predict",
        metavar="TEST",
        default=None,
        help="a file with the same feature columns: write predictions.csv",
    )
    p.add_argument(
        "--drop",
        nargs="+",
        action="extend",
        default=[],
        metavar="COLUMN",
        help="columns not to use as features (such as ids); copied into the "
        "predictions when the test file has them",
    )
    p.add_argument(
        "--max-resource",
        type=int,
        default=None,
        help="hyperband: the largest number of iterations (trees, epochs)",
    )
    p.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="parallel fits (joblib; -1: all cores) (default: 1)",
    )
    p.add_argument(
        "--random-state", type=int, default=0, help="seed (default: %(default)s)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)
    return p


def _check_args(args):
    if args.search not in SEARCHES:
        raise CLIError(
            f"unknown search {args.search!r}; the known searches are: "
            f"{', '.join(SEARCHES)}"
        )
    if args.model not in MODELS:
        raise CLIError(
            f"unknown model {args.model!r}; the known models are: {', '.join(MODELS)}"
        )
    if args.n_iter < 1:
        raise CLIError(f"--n-iter must be at least 1, got {args.n_iter}")
    if args.cv < 2:
        raise CLIError(f"--cv must be at least 2 folds, got {args.cv}")
    if args.max_resource is not None and args.max_resource < 1:
        raise CLIError(f"--max-resource must be positive, got {args.max_resource}")
    if args.scoring is not None:
        from sklearn.metrics import get_scorer

        try:
            get_scorer(args.scoring)
        except ValueError:
            raise CLIError(
                f"unknown scoring {args.scoring!r}; use a name from "
                "sklearn.metrics.get_scorer_names(), such as accuracy, roc_auc, "
                "neg_log_loss, r2 or neg_root_mean_squared_error"
            ) from None


def _cv(task, n_splits, random_state, y):
    from sklearn.model_selection import KFold, StratifiedKFold

    if task == "classification":
        smallest = int(y.value_counts().min())
        if y.nunique() < 2:
            raise CLIError("the target has a single class; nothing to classify")
        if smallest < n_splits:
            raise CLIError(
                f"the smallest class has {smallest} rows, fewer than the "
                f"{n_splits} folds of --cv; lower --cv or use --task regression"
            )
        return StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return KFold(n_splits, shuffle=True, random_state=random_state)


class _SobolInChunks(SobolSearchCV):
    """SobolSearchCV evaluated ``chunk`` candidates at a time.

    So that the progress bar moves; the candidates are the same as in one
    batch, since Sobol' and random sequences continue across calls.
    """

    chunk = None

    def _batch_size(self):
        return self.chunk


def _make_search(args, model, estimator, space, prefix, cv):
    common = dict(
        scoring=args.scoring,
        cv=cv,
        n_jobs=args.n_jobs,
        random_state=args.random_state,
    )
    if args.search == "bayes":
        return BayesSearchCV(estimator, space, n_iter=args.n_iter, **common)
    if args.search == "hyperband":
        max_resource = args.max_resource or model.max_resource
        return HyperbandSearchCV(
            estimator,
            space,
            resource=prefix + model.resource,
            max_resource=max_resource,
            min_resource=max(1, max_resource // 3**4),
            n_iter=args.n_iter,
            **common,
        )
    sequence = "random" if args.search == "random" else "sobol"
    search = _SobolInChunks(
        estimator, space, n_iter=args.n_iter, sequence=sequence, **common
    )
    search.chunk = max(math.ceil(args.n_iter / 10), effective_n_jobs(args.n_jobs))
    return search


def _show_warning(message, category, filename, lineno, file=None, line=None):
    text = str(message).strip().splitlines()
    print(
        f"sklearn-hpo: warning: {text[0] if text else category.__name__}",
        file=sys.stderr,
    )


def run(args):
    """Run ``sklearn-hpo tune`` with parsed arguments; return the exit code."""
    _check_args(args)
    frame = read_table(args.data)
    X, y, n_missing = split_columns(frame, args.target, args.drop, args.data)
    task = args.task or infer_task(y)
    if task == "classification":
        y = class_labels(y)
    model = get_model(args.model, task)
    if args.search == "hyperband" and model.resource is None:
        with_resource = [n for n, m in MODELS.items() if m.resource]
        raise CLIError(
            f"hyperband needs a model trained in iterations; {args.model!r} is "
            f"not; use one of {', '.join(with_resource)}, or another search"
        )
    categorical = categorical_columns(X)
    X = prepare_features(X, categorical)
    cv = _cv(task, args.cv, args.random_state, y)
    estimator, space, prefix = build_estimator(
        args.model,
        model,
        task,
        X,
        categorical,
        n_splits=args.cv,
        resource_out=args.search == "hyperband",
        random_state=args.random_state,
    )
    search = _make_search(args, model, estimator, space, prefix, cv)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"cannot create --out directory {out}: {exc}") from None

    if not args.quiet:
        note = f", {n_missing} rows without a target dropped" if n_missing else ""
        print(
            f"sklearn-hpo: {len(X)} rows, {X.shape[1]} features "
            f"({len(categorical)} categorical){note}; {task}; {args.model}; "
            f"{args.search} search, {args.n_iter} candidates x {args.cv} folds",
            file=sys.stderr,
        )
    hyperband = args.search == "hyperband"
    progress = None
    if not args.quiet:
        progress = Progress(
            None if hyperband else args.n_iter,
            "evaluation" if hyperband else "candidate",
        )
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            from sklearn.exceptions import ConvergenceWarning

            warnings.showwarning = _show_warning
            # tuning visits settings that stop before they converge
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X, y, callback=progress)
    except ValueError as exc:
        if progress is not None:
            progress.close()
        print(f"sklearn-hpo: the search failed: {exc}", file=sys.stderr)
        return 1
    if progress is not None:
        progress.close()
    elapsed = time.perf_counter() - start

    from sklearn_hpo.cli._report import strip_prefix, to_json, write_outputs

    scoring = args.scoring or ("accuracy" if task == "classification" else "r2")
    summary = {
        "data": str(args.data),
        "rows": int(len(X)),
        "features": int(X.shape[1]),
        "categorical_features": len(categorical),
        "target": args.target,
        "task": task,
        "model": args.model,
        "search": args.search,
        "n_iter": args.n_iter,
        "n_candidates": int(len(search.cv_results_["params"])),
        "cv": args.cv,
        "scoring": scoring,
        "random_state": args.random_state,
        "best_score": float(search.best_score_),
        "search_seconds": round(elapsed, 3),
        "refit_seconds": round(float(search.refit_time_), 3),
    }
    paths = write_outputs(out, search, prefix, summary)
    if args.predict is not None:
        paths["predictions"] = _predict(args, search, X, categorical, out)

    best = to_json(strip_prefix(search.best_params_, prefix))
    print(f"best {scoring}: {search.best_score_:.6g}")
    print(f"best parameters: {json.dumps(best)}")
    print("wrote: " + ", ".join(str(p) for p in paths.values()))
    return 0


def _predict(args, search, X, categorical, out):
    test = read_table(args.predict)
    missing = [c for c in X.columns if c not in test.columns]
    if missing:
        raise CLIError(
            f"{args.predict} lacks feature columns of the training data: "
            f"{list_columns(missing)}"
        )
    X_test = prepare_features(test[list(X.columns)], categorical)
    try:
        prediction = search.predict(X_test)
        estimator = search.best_estimator_
        proba = (
            estimator.predict_proba(X_test)
            if hasattr(estimator, "predict_proba")
            else None
        )
    except ValueError as exc:
        first = str(exc).strip().splitlines()[0]
        raise CLIError(f"cannot predict {args.predict}: {first}") from None
    result = test[[c for c in args.drop if c in test.columns]].copy()
    result[args.target] = prediction
    if proba is not None:
        for k, label in enumerate(search.classes_):
            result[f"proba_{label}"] = np.asarray(proba)[:, k]
    path = out / "predictions.csv"
    result.to_csv(path, index=False)
    return path
