"""Sphinx configuration of the sklearn-hpo documentation.

Build with ``make docs`` (warnings are errors). Nothing is downloaded at
build time: no intersphinx, and the examples use data sets that ship with
scikit-learn or are generated.

Two pages are written by this file before Sphinx reads the sources:

* ``api.rst``: the API reference, one autosummary section per public module
  of :data:`API_SECTIONS`, with the names of the module's ``__all__``. A
  module that cannot be imported (an optional package still being written)
  is left out, so adding a public package is one line in ``API_SECTIONS``.
* the gallery sources: sphinx-gallery needs a header file in the examples
  directory; when ``examples/`` has none, its scripts are copied next to
  ``gallery_header.rst`` into ``_gallery_src/`` (ignored by git).
"""

# Keep the examples single-threaded and headless: set before anything
# imports numpy, scipy, scikit-learn or matplotlib.
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import filecmp  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import shutil  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

from docutils import nodes  # noqa: E402

# sphinx-gallery looks up every name an example uses; scikit-learn's Halving
# searches raise ImportError on look-up until this import has run.
from sklearn.experimental import enable_halving_search_cv  # noqa: E402, F401

import sklearn_hpo  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# -- Project -----------------------------------------------------------------

project = "sklearn-hpo"
author = "sklearn-hpo developers"
copyright = "sklearn-hpo developers"  # noqa: A001
version = release = sklearn_hpo.__version__

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_gallery_src",
    "gallery_header.rst",
    "Thumbs.db",
    ".DS_Store",
    "**.ipynb_checkpoints",
]
root_doc = "index"
default_role = "literal"  # `x` renders as code, as ``x`` does
pygments_style = "sphinx"
# No network at build time: no intersphinx inventories.
intersphinx_mapping = {}

# -- autodoc / autosummary / numpydoc ------------------------------------------

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": False}
autodoc_typehints = "none"
autoclass_content = "class"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_use_plots = False

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-hpo {version}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_depth": 2,
    "show_toc_level": 2,
    "navbar_align": "left",
    # the migration guides' side-by-side code needs the width
    "secondary_sidebar_items": {
        "**": ["page-toc"],
        **{
            f"migration/{page}": []
            for page in ("gridsearch", "halving", "skopt", "dask_ml", "optuna")
        },
    },
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": []}

# -- sphinx-gallery ----------------------------------------------------------


def _gallery_source():
    """The examples directory to build the gallery from (see the docstring)."""
    examples = ROOT / "examples"
    headers = ("GALLERY_HEADER.rst", "GALLERY_HEADER.txt", "README.rst", "README.txt")
    if any((examples / name).is_file() for name in headers):
        return "../examples"
    staged = HERE / "_gallery_src"
    staged.mkdir(exist_ok=True)
    wanted = {"GALLERY_HEADER.rst"}
    shutil.copyfile(HERE / "gallery_header.rst", staged / "GALLERY_HEADER.rst")
    for src in sorted(examples.iterdir()):
        if src.is_file() and src.suffix == ".py":
            wanted.add(src.name)
            dst = staged / src.name
            # copy only what changed, so that sphinx-gallery's checksums
            # skip examples that did not
            if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
                shutil.copy2(src, dst)
    for old in staged.iterdir():
        if old.name not in wanted:
            if old.is_dir():
                shutil.rmtree(old)
            else:
                old.unlink()
    return "_gallery_src"


sphinx_gallery_conf = {
    "examples_dirs": _gallery_source(),
    "gallery_dirs": "auto_examples",
    # run every script, not only those named plot_*
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("sklearn_hpo",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sklearn_hpo": None},
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "show_memory": False,
    "capture_repr": ("_repr_html_", "__repr__"),
    "reset_modules": ("matplotlib",),
    "image_scrapers": ("matplotlib",),
    "default_thumb_file": None,
}

# -- The API reference (api.rst) ---------------------------------------------

# (module, title, description). The names are the module's public names:
# ``_LAZY`` for ``sklearn_hpo``, ``__all__`` otherwise; a name documented in
# an earlier section (the re-exports of ``sklearn_hpo``) is not repeated.
API_SECTIONS = [
    (
        "sklearn_hpo",
        "sklearn_hpo",
        "The top-level package: the five search estimators, the search-space "
        "dimensions and the callbacks that stop a search.",
    ),
    (
        "sklearn_hpo.search",
        "sklearn_hpo.search",
        "The search engine and checkpoint files. The estimators and callbacks "
        "of this module are documented above, under ``sklearn_hpo``.",
    ),
    (
        "sklearn_hpo.space",
        "sklearn_hpo.space",
        "Search spaces and their unit-cube coordinates.",
    ),
    (
        "sklearn_hpo.report",
        "sklearn_hpo.report",
        "Nested cross-validation reports and statistics over folds.",
    ),
    (
        "sklearn_hpo.integrations",
        "sklearn_hpo.integrations",
        "LightGBM and skorch models in the searches: early stopping per fold.",
    ),
    (
        "sklearn_hpo.spaces",
        "sklearn_hpo.spaces",
        "Curated search spaces for common estimators.",
    ),
    ("sklearn_hpo.plot", "sklearn_hpo.plot", "Plots of a fitted search."),
    ("sklearn_hpo.cli", "sklearn_hpo.cli", "The ``sklearn-hpo`` command line."),
    (
        "sklearn_hpo.samplers",
        "sklearn_hpo.samplers",
        "Which points to evaluate next, on the unit cube.",
    ),
    (
        "sklearn_hpo.schedulers",
        "sklearn_hpo.schedulers",
        "Successive-halving rungs, Hyperband brackets and ASHA promotions.",
    ),
    ("sklearn_hpo.gp", "sklearn_hpo.gp", "The Gaussian-process surrogate."),
    (
        "sklearn_hpo.acquisition",
        "sklearn_hpo.acquisition",
        "Acquisition functions of the posterior mean and variance.",
    ),
    (
        "sklearn_hpo.optim",
        "sklearn_hpo.optim",
        "Maximization of an acquisition function over the unit cube.",
    ),
    (
        "sklearn_hpo.multiobjective",
        "sklearn_hpo.multiobjective",
        "Pareto fronts, hypervolume, knee points and scalarizations.",
    ),
    (
        "sklearn_hpo.exceptions",
        "sklearn_hpo.exceptions",
        "The warnings sklearn-hpo emits.",
    ),
]


# Headings for a module's names, in this order; names not listed go under
# "Classes" and "Functions" after them.
API_GROUPS = {
    "sklearn_hpo": [
        (
            "Search estimators",
            [
                "SobolSearchCV",
                "BayesSearchCV",
                "HyperbandSearchCV",
                "ParetoSearchCV",
                "NestedCV",
                "compare_nested_cv",
            ],
        ),
        ("Search spaces", ["Real", "Integer", "Categorical", "SearchSpace"]),
        (
            "Callbacks",
            [
                "DeadlineStopper",
                "ThresholdStopper",
                "NoImprovementStopper",
                "SearchProgress",
            ],
        ),
    ],
}


def _public_names(module_name):
    """The documented names of a module, or None if it cannot be imported."""
    if importlib.util.find_spec(module_name) is None:
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:  # an optional dependency of the module
        warnings.warn(f"API reference: {module_name} left out ({exc})", stacklevel=1)
        return None
    if module_name == "sklearn_hpo":
        names = sorted(module._LAZY)
    else:
        names = list(getattr(module, "__all__", []))
    kept = []
    for name in names:
        obj = getattr(module, name)
        # constants (tuples, floats...) have no docstring of their own
        if callable(obj) or isinstance(obj, type):
            kept.append(name)
    return kept


def _kind(module_name, name):
    obj = getattr(importlib.import_module(module_name), name)
    return "class" if isinstance(obj, type) else "function"


def write_api_page():
    """Write ``api.rst`` from :data:`API_SECTIONS`; return the documented names."""
    lines = [
        ".. This file is written by conf.py at every build: edit API_SECTIONS there.",
        "",
        ".. _api:",
        "",
        "=============",
        "API reference",
        "=============",
        "",
        "Every public name of sklearn-hpo. The estimators and callbacks are "
        "imported from ``sklearn_hpo``; the subpackages below hold the "
        "building blocks.",
        "",
    ]
    documented = {}  # id(obj) -> full name
    for module_name, title, description in API_SECTIONS:
        names = _public_names(module_name)
        if not names:
            continue
        module = importlib.import_module(module_name)
        fresh = [n for n in names if id(getattr(module, n)) not in documented]
        if not fresh:
            continue
        lines += [title, "=" * len(title), "", description, ""]
        lines += [f".. module:: {module_name}", ""]
        groups = [
            (label, [n for n in group if n in fresh])
            for label, group in API_GROUPS.get(module_name, [])
        ]
        listed = {n for _, group in groups for n in group}
        for kind, label in (("class", "Classes"), ("function", "Functions")):
            rest = [n for n in fresh if n not in listed]
            groups.append((label, [n for n in rest if _kind(module_name, n) == kind]))
        for label, group in groups:
            if not group:
                continue
            lines += [f".. rubric:: {label}", ""]
            lines += [
                ".. autosummary::",
                "   :toctree: generated/",
                "",
            ]
            lines += [f"   {n}" for n in group]
            lines.append("")
        for n in fresh:
            documented[id(getattr(module, n))] = f"{module_name}.{n}"
    text = "\n".join(lines)
    path = HERE / "api.rst"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return documented


_DOCUMENTED = write_api_page()

# ``sklearn_hpo.search.SobolSearchCV`` and ``sklearn_hpo.SobolSearchCV`` are
# one object, documented once (at the first name); references to its other
# names resolve to that page.
_ALIASES = {}


def _build_aliases():
    for module_name, _, _ in API_SECTIONS:
        names = _public_names(module_name)
        if names is None:
            continue
        module = importlib.import_module(module_name)
        for n in getattr(module, "__all__", names):
            obj = getattr(module, n, None)
            if obj is None:
                continue
            target = _DOCUMENTED.get(id(obj))
            if target and target != f"{module_name}.{n}":
                _ALIASES[f"{module_name}.{n}"] = target


_build_aliases()


def _resolve_alias(app, env, node, contnode):
    """Point a reference to a re-exported name at its documented page."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    for alias, documented in _ALIASES.items():
        if target == alias or target.startswith(alias + "."):
            return env.get_domain("py").resolve_xref(
                env,
                node.get("refdoc"),
                app.builder,
                node.get("reftype"),
                documented + target[len(alias) :],
                node,
                contnode,
            )
    return None


# Labels of scikit-learn's user guide used in the docstrings of the methods
# our estimators inherit from it.
_SKLEARN_LABELS = {
    "metadata_routing": "metadata_routing.html",
    "User Guide": "user_guide.html",
}


def _resolve_sklearn_ref(app, env, node, contnode):
    """Link the ``:term:`` and ``:ref:`` roles of scikit-learn's docstrings
    (the methods our estimators inherit) to scikit-learn's web pages: links,
    nothing fetched. Other unresolved references still warn."""
    if node.get("refdomain") != "std":
        return None
    target = node.get("reftarget", "")
    if node.get("reftype") == "ref":
        from_sklearn = "docstring of sklearn." in (node.source or "")
        if not from_sklearn:
            return None
        page = _SKLEARN_LABELS.get(target, "user_guide.html")
        ref = nodes.reference(
            "", "", internal=False, refuri=f"https://scikit-learn.org/stable/{page}"
        )
        ref += contnode
        return ref
    if node.get("reftype") != "term":
        return None
    slug = target.lower().replace(" ", "-").replace("_", "-")
    ref = nodes.reference(
        "",
        "",
        internal=False,
        refuri=f"https://scikit-learn.org/stable/glossary.html#term-{slug}",
    )
    ref += contnode
    return ref


def setup(app):
    app.connect("missing-reference", _resolve_alias)
    app.connect("missing-reference", _resolve_sklearn_ref)
    return {"parallel_read_safe": True}

