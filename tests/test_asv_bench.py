"""Every asv benchmark runs once on its first parameter set (they must not rot).

This checks that the benchmarks run and that each ``track_*`` returns a
finite number; it times nothing.
"""

import importlib
import inspect
import itertools
import math
import sys
from pathlib import Path

import pytest

ASV = Path(__file__).resolve().parents[1] / "asv_bench"
MODULES = sorted(p.stem for p in (ASV / "benchmarks").glob("bench_*.py"))


def _cases():
    sys.path.insert(0, str(ASV))
    try:
        for name in MODULES:
            module = importlib.import_module(f"benchmarks.{name}")
            for cls_name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                for meth in dir(cls):
                    if meth.startswith(("time_", "peakmem_", "track_")):
                        yield pytest.param(cls, meth, id=f"{name}.{cls_name}.{meth}")
    finally:
        sys.path.remove(str(ASV))


@pytest.mark.parametrize("cls,method", list(_cases()))
def test_benchmark_runs(cls, method):
    params = getattr(cls, "params", [])
    if params and not isinstance(params[0], list):
        params = [params]
    first = next(itertools.product(*params)) if params else ()
    bench = cls()
    if hasattr(bench, "setup"):
        bench.setup(*first)
    out = getattr(bench, method)(*first)
    if method.startswith("track_"):
        assert isinstance(out, float) and math.isfinite(out)


def test_there_are_benchmarks():
    assert len(list(_cases())) >= 5
