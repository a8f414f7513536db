"""A progress bar on stderr: tqdm's when it is installed, else a text line."""

import importlib.util
import math
import sys
import time

__all__ = ["Progress"]


class Progress:
    """A search callback that shows how far the search is.

    Pass it to ``search.fit(X, y, callback=progress)``; it never stops the
    search. Uses ``tqdm`` when it is importable, else prints a line per
    update (rewritten in place on a terminal).

    Parameters
    ----------
    total : int or None
        Candidates (or, for Hyperband, evaluations) expected; None if unknown.
    label : str
        What is counted, in the singular, such as ``"candidate"``.
    stream : file, default=sys.stderr
    use_tqdm : bool or None, default=None
        None: tqdm if installed.
    """

    def __init__(self, total, label, *, stream=None, use_tqdm=None):
        self.total = total
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        if use_tqdm is None:
            use_tqdm = importlib.util.find_spec("tqdm") is not None
        self._bar = None
        if use_tqdm:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, unit=label, file=self.stream)
        self._done = 0
        self._start = time.perf_counter()
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._dirty = False

    def __call__(self, progress):
        n = progress.n_candidates
        best = progress.best_score
        if self._bar is not None:
            self._bar.update(n - self._done)
            if not math.isnan(best):
                self._bar.set_postfix(best=f"{best:.4g}")
        else:
            of = f"/{self.total}" if self.total else ""
            best_text = "" if math.isnan(best) else f", best score {best:.4g}"
            line = (
                f"{n}{of} {self.label}s{best_text}, "
                f"{time.perf_counter() - self._start:.1f} s"
            )
            if self._tty:
                self.stream.write("\r" + line.ljust(70))
                self._dirty = True
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
        self._done = n
        return False

    def close(self):
        """End the bar (a newline after an in-place line)."""
        if self._bar is not None:
            self._bar.close()
        elif self._dirty:
            self.stream.write("\n")
            self.stream.flush()
