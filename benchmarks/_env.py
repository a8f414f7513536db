"""What every benchmark script reports about the machine and the code it ran.

Imported by the scripts of this folder (``python benchmarks/<script>.py`` puts
the folder on ``sys.path``).
"""

import importlib.metadata
import os
import platform
import subprocess

import sklearn_hpo

__all__ = ["base_versions", "cpu_model", "git_state", "meminfo", "run_lines", "version"]


def version(dist):
    """Installed version of a distribution, or "not installed"."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def meminfo():
    """MemTotal and MemAvailable in GiB (empty off Linux)."""
    out = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("MemTotal", "MemAvailable"):
                    out[key] = int(rest.split()[0]) / 1024**2  # kB -> GiB
    except OSError:
        pass
    return out


def cpu_model():
    """The CPU's model name."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_state():
    """Commit of the sklearn_hpo checkout and whether its sources are modified."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(sklearn_hpo.__file__)))

    def git(*args):
        return subprocess.run(
            ["git", "-C", root, *args], capture_output=True, text=True, check=True
        ).stdout

    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
        dirty = git("status", "--porcelain", "--", "sklearn_hpo").splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    if not dirty:
        return f"commit {commit}, sklearn_hpo/ unmodified"
    names = ", ".join(line[3:] for line in dirty)
    return f"commit {commit} + uncommitted changes in {names}"


def run_lines(mode):
    """The Date, Command, Machine and Platform lines of a report header."""
    import datetime
    import shlex
    import sys

    mem = meminfo()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "n/a"
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    now = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    return [
        f"- Date: {now}",
        f"- Command: `{command}` (mode: {mode})",
        f"- Machine: nproc {usable} (os.cpu_count {os.cpu_count()}), "
        f"{cpu_model()}, memory {mem.get('MemTotal', float('nan')):.1f} GiB "
        f"total / {mem.get('MemAvailable', float('nan')):.1f} GiB available, "
        f"load average at start {load} (the machine may be shared)",
        f"- Platform: {platform.platform()}",
    ]


def base_versions():
    """ "python X, numpy X, scipy X, scikit-learn X, joblib X"."""
    import joblib
    import numpy
    import scipy
    import sklearn

    return (
        f"python {platform.python_version()}, numpy {numpy.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, "
        f"joblib {joblib.__version__}"
    )
