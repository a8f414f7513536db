"""What every benchmark script reports about the machine and the code it ran.

Imported by the scripts of this folder (``python benchmarks/<script>.py`` puts
the folder on ``sys.path``).
"""

import importlib.metadata
import os
import platform
import subprocess

import sklearn_hpo

__all__ = ["cpu_model", "git_state", "meminfo", "version"]


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
