import numpy as np
import pandas as pd
import pytest

from sklearn_hpo.report import markdown_table, param_stability
from sklearn_hpo.report._render import format_cell, html_document, html_table


def test_format_cell():
    assert format_cell(3) == "3"
    assert format_cell(np.int64(3)) == "3"
    assert format_cell(0.123456) == "0.1235"
    assert format_cell(np.nan) == "nan"
    assert format_cell(True) == "True"
    assert format_cell(None) == ""
    assert format_cell("a|b") == "a|b"


def test_markdown_table_escapes_and_index():
    frame = pd.DataFrame({"x": ["a|b"], "y": [1.5]}, index=pd.Index([7], name="k"))
    text = markdown_table(frame, index=True)
    assert text.splitlines() == [
        "| k | x | y |",
        "|---|---|---|",
        "| 7 | a\\|b | 1.5 |",
    ]


def test_html_escapes():
    frame = pd.DataFrame({"<x>": ["<b>"]})
    table = html_table(frame)
    assert "&lt;x&gt;" in table and "&lt;b&gt;" in table and "<b>" not in table
    page = html_document("T & U", [("h2", "a<b"), ("table", table)])
    assert "<title>T &amp; U</title>" in page and "<h2>a&lt;b</h2>" in page
    with pytest.raises(ValueError, match="unknown block"):
        html_document("t", [("video", "x")])


def test_param_stability():
    chosen = pd.DataFrame(
        {
            "C": [0.1, 1.0, 10.0, 1.0],
            "kernel": ["rbf", "rbf", "linear", "rbf"],
            "depth": [3, 3, 3, 3],
        }
    )
    table = param_stability(chosen)
    assert list(table.index) == ["C", "kernel", "depth"]
    c = table.loc["C"]
    assert c["kind"] == "numeric" and c["n_distinct"] == 3
    assert c["mode"] == "1" and c["agreement"] == 0.5
    assert c["min"] == 0.1 and c["max"] == 10.0 and c["median"] == 1.0
    assert c["log10_range"] == pytest.approx(2.0)
    k = table.loc["kernel"]
    assert k["kind"] == "categorical" and k["mode"] == "rbf"
    assert k["agreement"] == 0.75 and np.isnan(k["min"])
    d = table.loc["depth"]
    assert d["agreement"] == 1.0 and d["log10_range"] == 0.0
