"""The import rules of the design, checked by walking the source with ``ast``.

1. Imports point down only:
   utils -> {gp, space, multiobjective} -> {acquisition, schedulers} -> optim
   -> samplers -> report -> search -> {integrations, spaces, plot}. ``report``
   (tables, statistics over folds, Markdown/HTML rendering) knows nothing of
   the search classes, so ``search`` (NestedCV) can build its report with it.
2. The numerical layers (everything below ``search``) import numpy, scipy and
   threadpoolctl only, besides the standard library, and never
   ``sklearn_hpo.utils._compat`` (the private scikit-learn quarantine).
3. Private scikit-learn API is imported in ``utils/_compat.py`` only.
4. ``import sklearn_hpo`` loads none of the optional extras, and the
   numerical packages import without scikit-learn, joblib or pandas.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sklearn_hpo"

LAYER = {
    "exceptions": 0,
    "utils": 0,
    "gp": 1,
    "space": 1,
    "multiobjective": 1,
    "acquisition": 2,
    "schedulers": 2,
    "optim": 3,
    "samplers": 4,
    "report": 4.5,
    "search": 5,
    "reporting": 6,
    "integrations": 6,
    "spaces": 6,
    "plot": 6,
    "cli": 7,
    "__main__": 8,
}
NUMERICAL_TOP = 4  # layers 0..4 are numerical
NUMERICAL_ALLOWED = {"numpy", "scipy", "threadpoolctl", "sklearn_hpo"}
# Modules of utils that may import scikit-learn: the compat quarantine and the
# test-support estimators (package code never imports the latter).
UTILS_SKLEARN_OK = {"sklearn_hpo.utils._compat", "sklearn_hpo.utils._testing"}
EXTRAS = ("torch", "skorch", "matplotlib", "dask", "distributed", "lightgbm", "tqdm")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def _imports(path, module):
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield node.lineno, target
            for alias in node.names:
                # ``from sklearn_hpo.utils import _compat`` imports a module
                yield node.lineno, f"{target}.{alias.name}"


def _layer_of(module):
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the top-level package may import anything
    return LAYER.get(parts[1])


MODULES = list(_modules())


def test_every_subpackage_has_a_layer():
    unknown = {name.split(".")[1] for name, _ in MODULES if "." in name} - set(LAYER)
    assert not unknown, f"add these to LAYER in {__file__}: {sorted(unknown)}"


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_imports_point_down(module, path):
    own = _layer_of(module)
    if own is None:
        return
    own_pkg = module.split(".")[1]
    bad = []
    for lineno, target in _imports(path, module):
        if not target.startswith("sklearn_hpo."):
            continue
        pkg = target.split(".")[1]
        if pkg == own_pkg or pkg not in LAYER:
            continue
        if LAYER[pkg] >= own:
            bad.append(f"line {lineno}: {target} (layer {LAYER[pkg]} >= {own})")
    assert not bad, f"{module} imports sideways or up: {bad}"


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_numerical_layers_import_numpy_and_scipy_only(module, path):
    own = _layer_of(module)
    if own is None or own > NUMERICAL_TOP or module in UTILS_SKLEARN_OK:
        return
    stdlib = set(sys.stdlib_module_names)
    bad = []
    for lineno, target in _imports(path, module):
        root = target.split(".")[0]
        if root in stdlib or root == "__future__":
            continue
        if root not in NUMERICAL_ALLOWED:
            bad.append(f"line {lineno}: {target}")
        elif target.startswith(tuple(UTILS_SKLEARN_OK)):
            bad.append(f"line {lineno}: {target} (scikit-learn behind it)")
    assert not bad, f"numerical module {module} imports {bad}"


@pytest.mark.parametrize("module,path", MODULES, ids=[m for m, _ in MODULES])
def test_private_sklearn_api_only_in_compat(module, path):
    if module == "sklearn_hpo.utils._compat":
        return
    bad = [
        f"line {lineno}: {target}"
        for lineno, target in _imports(path, module)
        if target.startswith("sklearn.")
        and any(part.startswith("_") for part in target.split(".")[1:])
        # BaseSearchCV itself lives in a private module; subclassing it is the
        # documented extension point of scikit-learn, imported in search/ only.
        and not (
            target.startswith("sklearn.model_selection._search")
            and module.startswith("sklearn_hpo.search.")
        )
    ]
    assert not bad, f"{module} imports private scikit-learn API: {bad}"


def _run(code):
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_import_loads_no_extra():
    code = (
        "import sys, sklearn_hpo\n"
        "from sklearn_hpo import *\n"
        f"print(sorted(m for m in {EXTRAS!r} if m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_numerical_packages_import_without_sklearn():
    code = (
        "import sys, pkgutil, importlib, sklearn_hpo\n"
        "numerical = ['space', 'samplers', 'gp', 'acquisition', 'optim',\n"
        "             'schedulers', 'multiobjective']\n"
        "for name in numerical:\n"
        "    try:\n"
        "        importlib.import_module('sklearn_hpo.' + name)\n"
        "    except ModuleNotFoundError as exc:\n"
        "        if exc.name != 'sklearn_hpo.' + name: raise\n"
        "print(sorted(m for m in ('sklearn', 'joblib', 'pandas') if m in sys.modules))"
    )
    assert _run(code) == "[]"
