"""The ``sklearn-hpo`` command line, run in-process (and once as a module)."""

import importlib.util
import io
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from threadpoolctl import threadpool_limits

from sklearn_hpo import spaces
from sklearn_hpo.cli import main
from sklearn_hpo.cli._progress import Progress
from sklearn_hpo.search import SearchProgress


@pytest.fixture(autouse=True)
def _one_thread():
    # many tiny fits: spinning BLAS/OpenMP threads only slow them down
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A classification train/test pair and a regression file, as CSV."""
    root = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    frame = load_breast_cancer(as_frame=True).frame.iloc[:, [0, 1, 2, 3, -1]]
    frame = frame.rename(columns={"target": "y"}).sample(150, random_state=0)
    frame.insert(0, "id", np.arange(len(frame)))
    frame["colour"] = rng.choice(["red", "green", "blue"], len(frame))
    frame.loc[frame.index[::7], "colour"] = None
    frame.loc[frame.index[::5], "mean radius"] = np.nan
    train, test = frame.iloc[:120], frame.iloc[120:].drop(columns="y")
    reg = load_diabetes(as_frame=True).frame.rename(columns={"target": "y"})
    paths = {
        "train": root / "train.csv",
        "test": root / "test.csv",
        "reg": root / "reg.csv",
    }
    train.to_csv(paths["train"], index=False)
    test.to_csv(paths["test"], index=False)
    reg.sample(120, random_state=0).to_csv(paths["reg"], index=False)
    return paths


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_tune_writes_every_output(data, tmp_path, capsys):
    out = tmp_path / "results"
    code, stdout, stderr = _run(
        capsys,
        "tune", data["train"], "--target", "y", "--model", "logistic_regression",
        "--search", "sobol", "--n-iter", 4, "--cv", 3, "--scoring", "roc_auc",
        "--drop", "id", "--out", out, "--predict", data["test"],
    )  # fmt: skip
    assert code == 0, stderr
    best = json.loads((out / "best_params.json").read_text())
    assert set(best) == set(spaces.logistic_regression())
    results = pd.read_csv(out / "cv_results.csv")
    assert len(results) == 4
    assert "param_C" in results and "mean_test_score" in results
    assert np.all(np.isfinite(results["mean_test_score"]))
    predictions = pd.read_csv(out / "predictions.csv")
    assert len(predictions) == 30
    assert list(predictions.columns) == ["id", "y", "proba_0", "proba_1"]
    assert set(predictions["y"]) <= {0, 1}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["task"] == "classification" and summary["scoring"] == "roc_auc"
    assert summary["categorical_features"] == 1 and summary["features"] == 5
    report = (out / "report.html").read_text()
    assert report.startswith("<!DOCTYPE html>") and "Best parameters" in report
    assert report.count("<table>") >= 3
    assert "best roc_auc" in stdout
    assert "candidates" in stderr  # the progress line or bar


def test_bayes_on_a_regression_target(data, tmp_path, capsys):
    out = tmp_path / "reg"
    code, _, stderr = _run(
        capsys,
        "tune", data["reg"], "--target", "y", "--model", "ridge",
        "--search", "bayes", "--n-iter", 3, "--cv", 3, "--out", out, "--quiet",
    )  # fmt: skip
    assert code == 0, stderr
    assert stderr == ""  # --quiet
    assert json.loads((out / "best_params.json").read_text()).keys() == {"alpha"}
    assert len(pd.read_csv(out / "cv_results.csv")) == 3
    assert json.loads((out / "summary.json").read_text())["task"] == "regression"


def test_hyperband_on_the_number_of_trees(data, tmp_path, capsys):
    out = tmp_path / "hb"
    code, _, stderr = _run(
        capsys,
        "tune", data["train"], "--target", "y", "--model", "random_forest",
        "--search", "hyperband", "--n-iter", 4, "--max-resource", 9,
        "--cv", 3, "--out", out, "--quiet",
    )  # fmt: skip
    assert code == 0, stderr
    best = json.loads((out / "best_params.json").read_text())
    assert set(best) == set(spaces.random_forest()) | {"n_estimators"}
    assert best["n_estimators"] == 9
    results = pd.read_csv(out / "cv_results.csv")
    assert "n_resources" in results and results["candidate"].nunique() == 4


def test_python_dash_m(data, tmp_path):
    out = tmp_path / "sub"
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "sklearn_hpo", "tune", str(data["reg"]),
         "--target", "y", "--model", "ridge", "--search", "random",
         "--n-iter", "2", "--cv", "2", "--out", str(out), "--quiet"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert len(pd.read_csv(out / "cv_results.csv")) == 2
    assert "best r2" in proc.stdout


# -------------------------------------------------------------------- errors
def _error(capsys, *argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sklearn-hpo: error: "), err
    return lines[0]


def test_missing_target_lists_the_columns(data, capsys):
    msg = _error(capsys, "tune", data["train"], "--target", "label", "--out", "x")
    assert "'label'" in msg and "mean radius" in msg and "colour" in msg


def test_unknown_model_lists_the_known_ones(data, capsys):
    msg = _error(capsys, "tune", data["train"], "--target", "y", "--model", "xgb")
    assert "'xgb'" in msg and "lightgbm" in msg and "logistic_regression" in msg


def test_unknown_search(data, capsys):
    msg = _error(capsys, "tune", data["train"], "--target", "y", "--search", "grid")
    assert "'grid'" in msg and "bayes" in msg and "hyperband" in msg


def test_unreadable_files(data, tmp_path, capsys):
    msg = _error(capsys, "tune", tmp_path / "nope.csv", "--target", "y")
    assert "no such file" in msg
    msg = _error(capsys, "tune", tmp_path, "--target", "y")
    assert "directory" in msg
    binary = tmp_path / "data.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    assert "cannot read" in _error(capsys, "tune", binary, "--target", "y")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in _error(capsys, "tune", empty, "--target", "y")


@pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is not None
    or importlib.util.find_spec("fastparquet") is not None,
    reason="a Parquet engine is installed",
)
def test_parquet_without_an_engine_names_pyarrow(tmp_path, capsys):
    path = tmp_path / "data.parquet"
    path.write_bytes(b"PAR1")
    assert "pyarrow" in _error(capsys, "tune", path, "--target", "y")


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="needs pyarrow")
def test_parquet(data, tmp_path, capsys):
    path = tmp_path / "data.parquet"
    pd.read_csv(data["reg"]).to_parquet(path)
    code, _, err = _run(
        capsys, "tune", path, "--target", "y", "--model", "ridge", "--search",
        "random", "--n-iter", 2, "--cv", 2, "--out", tmp_path / "o", "--quiet",
    )  # fmt: skip
    assert code == 0, err


@pytest.mark.parametrize(
    "extra,expected",
    [
        (["--scoring", "accurcy"], "unknown scoring 'accurcy'"),
        (["--model", "svr"], "does not do classification"),
        (["--model", "ridge", "--search", "hyperband"], "hyperband needs"),
        (["--drop", "nope"], "--drop names columns"),
        (["--cv", "1"], "--cv must be at least 2"),
        (["--n-iter", "0"], "--n-iter must be at least 1"),
    ],
)
def test_other_usage_errors(data, capsys, extra, expected):
    assert expected in _error(capsys, "tune", data["train"], "--target", "y", *extra)


def test_predict_file_without_the_feature_columns(data, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    pd.read_csv(data["reg"]).drop(columns=["bmi", "y"]).to_csv(bad, index=False)
    msg = _error(
        capsys,
        "tune", data["reg"], "--target", "y", "--model", "ridge", "--search",
        "random", "--n-iter", 1, "--cv", 2, "--out", tmp_path / "o", "--quiet",
        "--predict", bad,
    )  # fmt: skip
    assert "lacks feature columns" in msg and "bmi" in msg


def test_no_command_and_help(capsys):
    assert main([]) == 2
    assert "tune" in capsys.readouterr().err
    assert main(["tune", "--help"]) == 0
    assert "--target" in capsys.readouterr().out


# ------------------------------------------------------------------ progress
def _progress(n, best):
    return SearchProgress(
        n_candidates=n,
        n_batches=1,
        elapsed=1.0,
        cv_results={},
        best_index=0,
        best_score=best,
        best_params={},
        scores=np.array([best]),
    )


def test_text_progress_line():
    stream = io.StringIO()
    bar = Progress(8, "candidate", stream=stream, use_tqdm=False)
    assert bar(_progress(4, 0.91234)) is False  # never stops the search
    bar(_progress(8, float("nan")))
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("4/8 candidates, best score 0.9123")
    assert lines[1].startswith("8/8 candidates, ")


def test_tqdm_progress():
    pytest.importorskip("tqdm")
    stream = io.StringIO()
    bar = Progress(4, "candidate", stream=stream, use_tqdm=True)
    bar(_progress(2, 0.5))
    bar.close()
    assert "2/4" in stream.getvalue()


# -- show: a checkpoint's finished candidates --------------------------------


def test_show_lists_a_checkpoint(tmp_path, capsys):
    from sklearn.datasets import load_iris
    from sklearn.svm import SVC

    from sklearn_hpo import SobolSearchCV

    X, y = load_iris(return_X_y=True)
    path = tmp_path / "run.db"
    search = SobolSearchCV(
        SVC(),
        {"C": (1e-2, 1e2, "log-uniform")},
        n_iter=4,
        random_state=0,
        checkpoint=path,
    ).fit(X, y)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: 4 finished candidate(s), seed 0"
    best = max(search.cv_results_["mean_test_score"])
    assert out[1].split()[:2] == ["candidate", "mean_test_score"]
    assert float(out[2].split()[1]) == pytest.approx(best, abs=1e-6)
    assert main(["show", str(path), "--order", "proposal", "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in lines[2:]] == ["0", "1"]


def test_show_errors(tmp_path, capsys):
    assert main(["show", str(tmp_path / "missing.db")]) == 2
    assert "no such checkpoint file" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    assert main(["show", str(junk)]) == 2
    assert "not a sklearn-hpo checkpoint" in capsys.readouterr().err
