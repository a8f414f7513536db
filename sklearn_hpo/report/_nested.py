"""The report of a nested cross-validation: tables, plots, Markdown, HTML."""

import numbers
from pathlib import Path

import numpy as np

from sklearn_hpo.report._render import (
    format_cell,
    html_document,
    html_table,
    markdown_table,
    png_uri,
)

__all__ = ["NestedCVReport"]


def _figure_class():
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - the test set-up has it
        raise ImportError(
            "The report's plots need matplotlib: pip install 'sklearn-hpo[plot]'. "
            "The tables (report_.summary, report_.folds...) work without it."
        ) from exc
    return Figure


def _has_matplotlib():
    try:
        _figure_class()
    except ImportError:
        return False
    return True


class NestedCVReport:
    """Tables of a fitted :class:`~sklearn_hpo.NestedCV` and their renderings.

    Built by ``NestedCV.fit`` (as ``report_``); not meant to be constructed
    by hand. Each table is a :class:`pandas.DataFrame`, also reachable as
    ``report[name]`` with ``name`` in :attr:`tables`.

    Attributes
    ----------
    summary : DataFrame
        One row per outer metric (``test_<metric>``) and one for
        ``optimism``: ``mean``, ``std``, ``ci_low``, ``ci_high`` and
        ``n_folds``. See :attr:`method` for the interval.
    folds : DataFrame
        One row per outer fold: sizes, the inner search's best score, the
        outer test scores, the optimism and the times.
    chosen_params : DataFrame
        The hyperparameters the inner search chose, one row per fold.
    stability : DataFrame
        One row per hyperparameter: how much the choice varied across folds.
    method : str
        How the interval of :attr:`summary` is computed.
    """

    def __init__(
        self,
        *,
        summary,
        folds,
        chosen_params,
        stability,
        title,
        method,
        primary,
    ):
        self.summary = summary
        self.folds = folds
        self.chosen_params = chosen_params
        self.stability = stability
        self.title = title
        self.method = method
        self.primary = primary

    @property
    def tables(self):
        """The tables by name: a dict of DataFrames."""
        return {
            "summary": self.summary,
            "folds": self.folds,
            "chosen_params": self.chosen_params,
            "stability": self.stability,
        }

    def __getitem__(self, name):
        return self.tables[name]

    def __repr__(self):
        return f"<NestedCVReport: {self.title}>"

    # -- plain text ------------------------------------------------------

    def to_text(self):
        """A short plain-text summary (what ``verbose`` prints).

        Returns
        -------
        str
        """
        k = len(self.folds)
        lines = [f"{self.title}: {k} outer folds"]
        for name, row in self.summary.iterrows():
            label = "optimism (inner best - outer)" if name == "optimism" else name
            lines.append(
                f"  {label}: {format_cell(row['mean'])} +- "
                f"{format_cell(row['std'])} (std over folds), "
                f"{self._level()} CI [{format_cell(row['ci_low'])}, "
                f"{format_cell(row['ci_high'])}]"
            )
        for name, row in self.stability.iterrows():
            lines.append(f"  {name}: {self._stability_phrase(row, k)}")
        return "\n".join(lines)

    def _level(self):
        return self.summary.attrs.get("confidence_label", "95%")

    @staticmethod
    def _stability_phrase(row, k):
        agreement = int(round(row["agreement"] * k))
        text = f"{int(row['n_distinct'])} distinct value(s), mode {row['mode']} "
        text += f"in {agreement}/{k} folds"
        if row["kind"] == "numeric":
            text += f", range {format_cell(row['min'])} to {format_cell(row['max'])}"
        return text

    # -- Markdown and HTML -----------------------------------------------

    def _sections(self):
        return [
            ("Summary", self.summary, True),
            ("Outer folds", self.folds, False),
            ("Chosen hyperparameters", self.chosen_params, True),
            ("Stability of the chosen hyperparameters", self.stability, True),
        ]

    def to_markdown(self):
        """The report as Markdown (tables only; plots are in the HTML).

        Returns
        -------
        str
        """
        parts = [f"# {self.title}", "", self.method, ""]
        for heading, frame, index in self._sections():
            parts += [f"## {heading}", "", markdown_table(frame, index=index), ""]
        return "\n".join(parts)

    def figures(self):
        """The report's plots as matplotlib figures, by name.

        Returns
        -------
        dict of str to matplotlib.figure.Figure
            ``"outer_scores"``, ``"inner_vs_outer"`` and, when the search
            tuned anything, ``"chosen_params"``.
        """
        figures = {
            "outer_scores": self.plot_outer_scores().figure,
            "inner_vs_outer": self.plot_inner_vs_outer().figure,
        }
        if self.chosen_params.shape[1]:
            figures["chosen_params"] = self.plot_chosen_params()
        return figures

    def to_html(self, path=None):
        """The report as one self-contained HTML page.

        Tables always; plots (embedded PNG images) when matplotlib is
        installed (``pip install 'sklearn-hpo[plot]'``).

        Parameters
        ----------
        path : str or path-like, default=None
            Where to write the page; ``None`` writes nothing.

        Returns
        -------
        str
            The HTML text.
        """
        blocks = [("p", self.method)]
        for heading, frame, index in self._sections():
            blocks += [("h2", heading), ("table", html_table(frame, index=index))]
        if _has_matplotlib():
            blocks.append(("h2", "Plots"))
            for name, figure in self.figures().items():
                blocks.append(("img", (png_uri(figure), name.replace("_", " "))))
        else:
            blocks.append(("p", "Plots omitted: matplotlib is not installed."))
        text = html_document(self.title, blocks)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # -- plots -----------------------------------------------------------

    def _axes(self, ax):
        if ax is not None:
            return ax
        return _figure_class()(figsize=(6, 4)).subplots()

    def plot_outer_scores(self, ax=None):
        """Outer test score per fold, one line per metric, means dashed.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        ax : matplotlib Axes
        """
        ax = self._axes(ax)
        folds = self.folds["fold"].to_numpy()
        columns = [c for c in self.folds if c.startswith("test_")]
        for column in columns:
            (line,) = ax.plot(folds, self.folds[column], "o-", label=column)
            ax.axhline(
                self.summary.loc[column, "mean"], ls="--", color=line.get_color()
            )
        ax.set_xticks(folds)
        ax.set_xlabel("outer fold")
        ax.set_ylabel("outer test score")
        ax.set_title("Outer test score per fold (dashed: mean)")
        ax.legend()
        return ax

    def plot_inner_vs_outer(self, ax=None):
        """Inner best score against outer test score, one point per fold.

        Points below the diagonal are folds where the search's own estimate
        was optimistic.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        ax : matplotlib Axes
        """
        ax = self._axes(ax)
        inner = self.folds["inner_best_score"].to_numpy(dtype=float)
        outer = self.folds["outer_score"].to_numpy(dtype=float)
        ax.scatter(inner, outer, label="fold")
        for fold, x, y in zip(self.folds["fold"], inner, outer, strict=True):
            ax.annotate(str(fold), (x, y), textcoords="offset points", xytext=(4, 4))
        both = np.concatenate([inner, outer])
        both = both[np.isfinite(both)]
        if both.size:
            lo, hi = both.min(), both.max()
            pad = 0.05 * (hi - lo) or 0.01
            ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], "k:", label="y = x")
        ax.set_xlabel("inner best score (search's own CV)")
        ax.set_ylabel(f"outer test score ({self.primary})")
        ax.set_title("Inner best against outer score")
        ax.legend()
        return ax

    def plot_chosen_params(self, figure=None):
        """The value each fold chose, one panel per hyperparameter.

        Numbers on a log axis when positive and spanning a factor 10 or
        more; categories on a categorical axis.

        Parameters
        ----------
        figure : matplotlib Figure, default=None

        Returns
        -------
        figure : matplotlib Figure
        """
        names = list(self.chosen_params.columns)
        if figure is None:
            figure = _figure_class()(figsize=(6, 1.8 * max(len(names), 1) + 0.6))
        axes = np.atleast_1d(figure.subplots(max(len(names), 1), 1, sharex=True))
        folds = self.chosen_params.index.to_numpy()
        for ax, name in zip(axes, names, strict=False):
            values = list(self.chosen_params[name])
            if _numeric(values):
                y = np.asarray(values, dtype=float)
                ax.plot(folds, y, "o")
                if np.all(y > 0) and y.max() >= 10 * y.min():
                    ax.set_yscale("log")
            else:
                labels = list(dict.fromkeys(str(v) for v in values))
                ax.plot(folds, [labels.index(str(v)) for v in values], "o")
                ax.set_yticks(range(len(labels)), labels)
            ax.set_ylabel(name)
        axes[-1].set_xticks(folds)
        axes[-1].set_xlabel("outer fold")
        figure.suptitle("Chosen hyperparameters per fold")
        return figure


def _numeric(values):
    return all(
        isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)
        for v in values
    )


def param_stability(chosen):
    """How much each chosen hyperparameter varied across the outer folds.

    Parameters
    ----------
    chosen : DataFrame
        One row per fold, one column per hyperparameter (the inner search's
        ``best_params_``).

    Returns
    -------
    DataFrame
        Indexed by parameter: ``kind`` (``"numeric"`` or ``"categorical"``),
        ``n_distinct``, ``mode`` (the most frequent value; the first chosen
        among ties), ``agreement`` (share of folds that chose the mode) and,
        for numbers, ``min``, ``max``, ``median`` and ``log10_range``
        (``log10(max / min)`` when all values are positive: orders of
        magnitude spanned).
    """
    import pandas as pd

    rows = {}
    for name in chosen.columns:
        values = list(chosen[name])
        keys = [repr(v) for v in values]
        counts = {key: keys.count(key) for key in dict.fromkeys(keys)}
        mode_key = max(counts, key=counts.get)  # first of the most frequent
        mode = values[keys.index(mode_key)]
        row = {
            "kind": "numeric" if _numeric(values) else "categorical",
            "n_distinct": len(counts),
            "mode": format_cell(mode) if _numeric([mode]) else str(mode),
            "agreement": counts[mode_key] / len(values),
            "min": np.nan,
            "max": np.nan,
            "median": np.nan,
            "log10_range": np.nan,
        }
        if row["kind"] == "numeric":
            y = np.asarray(values, dtype=float)
            row.update(min=y.min(), max=y.max(), median=float(np.median(y)))
            if np.all(y > 0):
                row["log10_range"] = float(np.log10(y.max() / y.min()))
        rows[name] = row
    frame = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=[
            "kind",
            "n_distinct",
            "mode",
            "agreement",
            "min",
            "max",
            "median",
            "log10_range",
        ],
    )
    frame.index.name = "parameter"
    return frame
