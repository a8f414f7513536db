"""Reports: result tables, statistics over folds, Markdown and HTML.

This package renders tables and draws plots; it knows nothing of the search
classes (``sklearn_hpo.search`` builds the tables and uses it). Plots need the
``plot`` extra (matplotlib), imported only when a plot is drawn.
"""

from sklearn_hpo.report._nested import NestedCVReport, param_stability
from sklearn_hpo.report._render import markdown_table
from sklearn_hpo.report._stats import corrected_resampled_ttest

__all__ = [
    "NestedCVReport",
    "corrected_resampled_ttest",
    "markdown_table",
    "param_stability",
]
