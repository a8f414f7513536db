"""Rendering of result tables: Markdown, self-contained HTML, plain text."""

import base64
import html
import io
import numbers

import numpy as np

__all__ = ["format_cell", "markdown_table", "html_table", "html_document", "png_uri"]


def format_cell(value, digits=4):
    """Format one table cell: numbers to ``digits`` significant digits."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if np.isnan(value):
            return "nan"
        return f"{value:.{digits}g}"
    if value is None:
        return ""
    return str(value)


def _rows(frame, index, digits):
    header = ([frame.index.name or ""] if index else []) + [str(c) for c in frame]
    body = []
    for label, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = [format_cell(v, digits) for v in row]
        body.append(([format_cell(label, digits)] if index else []) + cells)
    return header, body


def markdown_table(frame, *, index=False, digits=4):
    """A pipe table (GitHub-flavoured Markdown) of a DataFrame.

    Parameters
    ----------
    frame : pandas.DataFrame
    index : bool, default=False
        Whether to write the index as the first column.
    digits : int, default=4
        Significant digits of floating-point cells.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hpo.report import markdown_table
    >>> print(markdown_table(pd.DataFrame({"a": [1, 2], "b": [0.123456, None]})))
    | a | b |
    |---|---|
    | 1 | 0.1235 |
    | 2 | nan |
    """
    header, body = _rows(frame, index, digits)

    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join(
        [line(header), "|" + "---|" * len(header)] + [line(r) for r in body]
    )


def html_table(frame, *, index=False, digits=4):
    """An HTML ``<table>`` of a DataFrame, cells formatted as in Markdown."""
    header, body = _rows(frame, index, digits)
    out = ["<table>", "<thead><tr>"]
    out += [f"<th>{html.escape(c)}</th>" for c in header]
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in body:
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row))
    out.append("</tbody></table>")
    return "\n".join(out)


def png_uri(figure, dpi=100):
    """A ``data:`` URI of a matplotlib figure rendered as PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


_STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: right; }
th { background: #eee; }
img { max-width: 100%; }
"""


def html_document(title, blocks):
    """One self-contained HTML page from ``(kind, content)`` blocks.

    ``kind`` is ``"h2"`` (a heading, text), ``"p"`` (a paragraph, text),
    ``"table"`` (HTML from :func:`html_table`) or ``"img"`` (a ``data:`` URI
    and its alternative text, as a pair).
    """
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for kind, content in blocks:
        if kind in ("h2", "p"):
            out.append(f"<{kind}>{html.escape(content)}</{kind}>")
        elif kind == "table":
            out.append(content)
        elif kind == "img":
            uri, alt = content
            out.append(f'<p><img src="{uri}" alt="{html.escape(alt)}"></p>')
        else:  # pragma: no cover - internal misuse
            raise ValueError(f"unknown block kind {kind!r}")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
