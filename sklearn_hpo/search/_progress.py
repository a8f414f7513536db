"""What ``verbose=1`` shows: a progress bar, or one line per batch."""

import math
import sys

__all__ = ["ProgressReporter"]


class ProgressReporter:
    """A progress bar of candidates done, best score so far and time left.

    Uses tqdm when it is installed (``pip install tqdm``, or the ``progress``
    extra); otherwise prints one plain line per batch. Written to standard
    error, as tqdm does.

    Parameters
    ----------
    name : str
        The search's class name (the bar's label).
    total : int or None
        Candidates planned (None: not known in advance).
    max_time : float or None
        The search's time budget, to show the time left.
    stream : file-like, default=None
        Where to write (standard error when None).
    """

    def __init__(self, name, total, max_time=None, stream=None):
        self.name = name
        self.total = None if total is None else int(total)
        self.max_time = max_time
        self.stream = sys.stderr if stream is None else stream
        try:
            from tqdm.auto import tqdm
        except ImportError:
            self.bar = None
        else:
            self.bar = tqdm(
                total=self.total, desc=name, unit="cand", file=self.stream, leave=True
            )

    def _fields(self, best, elapsed):
        fields = {"best": "n/a" if not math.isfinite(best) else f"{best:.4g}"}
        if self.max_time is not None:
            fields["left"] = f"{max(self.max_time - elapsed, 0.0):.0f}s"
        return fields

    def update(self, n_done, best, elapsed):
        """Report ``n_done`` candidates finished, the best score so far and
        the seconds elapsed."""
        fields = self._fields(best, elapsed)
        if self.bar is not None:
            self.bar.set_postfix(fields, refresh=False)
            self.bar.update(max(n_done - self.bar.n, 0))
            return
        text = ", ".join(f"{k} {v}" for k, v in fields.items())
        print(
            f"[{self.name}] {n_done}/{'?' if self.total is None else self.total} "
            f"candidates, {text}, "
            f"{elapsed:.1f}s elapsed",
            file=self.stream,
            flush=True,
        )

    def close(self):
        if self.bar is not None:
            self.bar.close()
