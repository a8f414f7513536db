"""verbose=1: a progress bar (tqdm) or one line per batch; verbose=2: sklearn's."""

import builtins
import io

import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sklearn_hpo import BayesSearchCV, SobolSearchCV
from sklearn_hpo.search._progress import ProgressReporter

X, y = load_iris(return_X_y=True)
SPACE = {"C": (1e-2, 1e2, "log-uniform")}


@pytest.fixture
def no_tqdm(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("no tqdm here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_plain_lines_without_tqdm(no_tqdm, capsys):
    search = BayesSearchCV(
        SVC(),
        SPACE,
        n_iter=5,
        n_points=2,
        verbose=1,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 2},
    )
    search.fit(X, y)
    captured = capsys.readouterr()
    lines = [ln for ln in captured.err.splitlines() if ln.startswith("[BayesSearchCV]")]
    # batches of 2, 2 and 1 candidates
    assert [ln.split(" candidates")[0] for ln in lines] == [
        "[BayesSearchCV] 2/5",
        "[BayesSearchCV] 4/5",
        "[BayesSearchCV] 5/5",
    ]
    best = max(search.cv_results_["mean_test_score"])
    assert f"best {best:.4g}" in lines[-1]
    assert "Fitting" not in captured.out  # scikit-learn's lines start at 2


def test_time_left_is_shown_with_max_time(no_tqdm, capsys):
    SobolSearchCV(SVC(), SPACE, n_iter=4, verbose=1, max_time=100).fit(X, y)
    err = capsys.readouterr().err
    assert "left 9" in err or "left 100s" in err  # 100 s minus the run's time


def test_tqdm_bar():
    pytest.importorskip("tqdm", reason="the progress extra")
    stream = io.StringIO()
    bar = ProgressReporter("S", total=4, stream=stream)
    bar.update(2, 0.5, 1.0)
    bar.update(4, 0.75, 2.0)
    bar.close()
    text = stream.getvalue()
    assert "S:" in text and "4/4" in text and "best=0.75" in text


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_verbose_2_keeps_sklearns_lines(capsys, n_jobs):
    # with n_jobs=2 the search dispatches the fits itself and prints the line
    SobolSearchCV(SVC(), SPACE, n_iter=4, verbose=2, n_jobs=n_jobs).fit(X, y)
    captured = capsys.readouterr()
    assert captured.out.count("Fitting 5 folds for each of 4 candidates") == 1
    assert "[SobolSearchCV]" not in captured.err
