"""What ``sklearn-hpo tune`` writes: JSON, CSV and a self-contained HTML report."""

import json
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from sklearn_hpo.report._render import html_document, html_table, png_uri

__all__ = ["cv_results_frame", "strip_prefix", "to_json", "write_outputs"]

# Candidates listed in the report.
TOP = 10


def to_json(value):
    """A JSON-ready copy of a parameter value (numpy scalars, tuples...)."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_json(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return value if np.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def strip_prefix(params, prefix):
    """The model's own parameter names: ``prefix`` removed."""
    return {
        (k[len(prefix) :] if k.startswith(prefix) else k): v for k, v in params.items()
    }


def cv_results_frame(cv_results, prefix):
    """``cv_results_`` as a DataFrame; ``param_<prefix>x`` renamed ``param_x``."""
    columns = {}
    for key, values in cv_results.items():
        if key == "params":
            continue
        if key.startswith("param_" + prefix):
            key = "param_" + key[len("param_" + prefix) :]
        columns[key] = values
    return pd.DataFrame(columns)


def _trace_plot(frame, hyperband):
    """A PNG data URI of the scores in evaluation order, or None."""
    try:
        from matplotlib.colors import LogNorm
        from matplotlib.figure import Figure
    except ImportError:
        return None
    scores = frame["mean_test_score"].to_numpy(dtype=np.float64)
    x = np.arange(1, len(scores) + 1)
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    if hyperband and "n_resources" in frame:
        resources = frame["n_resources"].to_numpy(float)
        norm = LogNorm(resources.min(), max(resources.max(), resources.min() + 1))
        points = ax.scatter(x, scores, c=resources, norm=norm, s=14)
        fig.colorbar(points, ax=ax, label="resource")
    else:
        ax.scatter(x, scores, s=14, label="candidate")
        best = np.fmax.accumulate(np.where(np.isfinite(scores), scores, -np.inf))
        best[~np.isfinite(best)] = np.nan
        ax.plot(x, best, color="C1", label="best so far")
        ax.legend(loc="best")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("mean CV score")
    fig.tight_layout()
    return png_uri(fig)


def write_outputs(out, search, prefix, summary):
    """Write best_params.json, cv_results.csv, summary.json and report.html.

    Returns
    -------
    dict
        File kind -> path.
    """
    out = Path(out)
    paths = {
        "best_params": out / "best_params.json",
        "cv_results": out / "cv_results.csv",
        "summary": out / "summary.json",
        "report": out / "report.html",
    }
    best = to_json(strip_prefix(search.best_params_, prefix))
    paths["best_params"].write_text(json.dumps(best, indent=2) + "\n")
    frame = cv_results_frame(search.cv_results_, prefix)
    frame.to_csv(paths["cv_results"], index=False)
    summary = {**summary, "best_params": best}
    paths["summary"].write_text(json.dumps(to_json(summary), indent=2) + "\n")
    paths["report"].write_text(_html(frame, summary))
    return paths


def _html(frame, summary):
    settings = pd.DataFrame(
        [
            (k, v)
            for k, v in summary.items()
            if k not in ("best_params", "best_score") and not isinstance(v, dict)
        ],
        columns=["setting", "value"],
    )
    best = pd.DataFrame(
        [(k, json.dumps(to_json(v))) for k, v in summary["best_params"].items()],
        columns=["parameter", "value"],
    )
    param_cols = [c for c in frame if c.startswith("param_")]
    shown = ["rank_test_score", "mean_test_score", "std_test_score"]
    if "n_resources" in frame:
        shown.append("n_resources")
    top = frame.sort_values("rank_test_score", kind="stable").head(TOP)
    top = top[shown + param_cols].rename(
        columns={c: c[len("param_") :] for c in param_cols}
    )
    score = summary.get("best_score")
    blocks = [
        (
            "p",
            f"Best mean cross-validated {summary['scoring']}: "
            f"{score:.6g} over {summary['n_candidates']} evaluations "
            f"({summary['search']} search, {summary['cv']}-fold CV).",
        ),
        ("h2", "Best parameters"),
        ("table", html_table(best)),
        ("h2", f"Top {min(TOP, len(frame))} evaluations"),
        ("table", html_table(top)),
    ]
    uri = _trace_plot(frame, summary["search"] == "hyperband")
    if uri is not None:
        blocks += [("h2", "Scores in evaluation order"), ("img", (uri, "trace"))]
    blocks += [("h2", "Settings"), ("table", html_table(settings))]
    return html_document(
        f"sklearn-hpo: {summary['model']} on {summary['data']}", blocks
    )
