"""A search's checkpoint: one SQLite file, one row per finished candidate.

Layout (standard library ``sqlite3``)::

    meta(key TEXT PRIMARY KEY, value TEXT)
        fingerprint components ("search", "space", "data", "random_state"),
        "seed" (the integer seed of the run), "format"
    candidates(idx INTEGER PRIMARY KEY, params TEXT, mean_test_score REAL,
               outs BLOB, finished REAL)
        ``outs``: the pickled per-split outputs of scikit-learn's
        ``_fit_and_score``; ``params``: the repr of the candidate's parameters.

Every candidate is written in its own transaction as soon as its last split is
done. A resumed ``fit`` replays the search from the start with the stored
seed: the samplers see the same results, so they propose the same
candidates, and each candidate found in the store is replayed instead of
refitted. A candidate stored under an index whose parameters differ means the
run diverged (another scikit-learn or sklearn-hpo version, say) and raises.
"""

import pickle
import sqlite3
import threading
import time

import joblib
import pandas as pd

__all__ = ["CheckpointStore", "load_checkpoint"]

_FORMAT = "1"
_IGNORED = {
    "n_jobs",
    "verbose",
    "pre_dispatch",
    "checkpoint",
    "max_time",
    "candidate_timeout",
    "random_state",
    "n_iter",  # a resumed run may go on for more (or fewer) candidates
}


def search_fingerprint(search, X, y, params):
    """The components that must match for a checkpoint to be resumed."""
    own = {
        k: v
        for k, v in search.get_params(deep=False).items()
        if k not in _IGNORED and k != search._space_param
    }
    random_state = search.random_state
    return {
        "search": joblib.hash((type(search).__qualname__, repr(sorted(own.items())))),
        "space": joblib.hash(search._space_spec()),
        "data": joblib.hash((X, y, sorted(params.items(), key=lambda kv: kv[0]))),
        "random_state": repr(random_state)
        if isinstance(random_state, int | type(None))
        else "instance",
    }


_WHAT = {
    "search": "the estimator or the search's settings (scoring, cv, n_iter...)",
    "space": "the search space",
    "data": "the data (X, y or fit parameters)",
    "random_state": "random_state",
}


class CheckpointStore:
    """Open (or create) the checkpoint of a run.

    Parameters
    ----------
    path : str or path-like
        The SQLite file.
    fingerprint : dict of str
        From :func:`search_fingerprint`; a stored run with other components
        raises ``ValueError`` naming what changed.
    seed : int
        The seed to store for a new run (a resumed run keeps its own).
    """

    def __init__(self, path, fingerprint, seed):
        self.path = str(path)
        self._conn = None
        self._lock = threading.Lock()
        try:
            # searches with overlapping batches read and write from the
            # threads that run the batches' fits: one connection, a lock
            self._conn = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            self.close()
            raise ValueError(
                f"checkpoint={self.path!r} cannot be opened as a SQLite file "
                f"({exc}); give the path of a file in an existing, writable "
                "directory."
            ) from None
        conn = self._conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS candidates(idx INTEGER PRIMARY KEY, "
            "params TEXT, mean_test_score REAL, outs BLOB, finished REAL)"
        )
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if not meta:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [*fingerprint.items(), ("seed", str(int(seed))), ("format", _FORMAT)],
            )
            conn.execute("COMMIT")
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        changed = [k for k in fingerprint if meta.get(k) != fingerprint[k]]
        if changed:
            self.close()
            what = "; ".join(_WHAT.get(k, k) for k in changed)
            raise ValueError(
                f"The checkpoint {self.path!r} belongs to another run: {what} "
                "changed since it was written. Resume with the same estimator, "
                "search space, data and random_state, or pass a new checkpoint "
                "file (or delete this one) to start afresh."
            )
        self.seed = int(meta["seed"])
        self.n_resumed = 0

    def get(self, idx, params):
        """The stored per-split outputs of candidate ``idx``, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT params, outs FROM candidates WHERE idx = ?", (idx,)
            ).fetchone()
        if row is None:
            return None
        if row[0] != repr(params):
            raise ValueError(
                f"The checkpoint {self.path!r} holds candidate {idx} with "
                f"parameters {row[0]}, but the resumed search proposed "
                f"{params!r}: the run diverged (a different version of "
                "scikit-learn or sklearn-hpo?). Start with a new checkpoint file."
            )
        with self._lock:
            self.n_resumed += 1
        return pickle.loads(row[1])

    def save(self, idx, params, outs, score):
        """Write one finished candidate in its own transaction."""
        blob = pickle.dumps(outs)
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "INSERT OR REPLACE INTO candidates VALUES (?, ?, ?, ?, ?)",
                (idx, repr(params), score, blob, time.time()),
            )
            self._conn.execute("COMMIT")

    def close(self):
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def load_checkpoint(path):
    """The finished candidates of a checkpoint file, as a DataFrame.

    Parameters
    ----------
    path : str or path-like
        A file written by a search with ``checkpoint=path``.

    Returns
    -------
    DataFrame
        One row per finished candidate, in proposal order: ``candidate``,
        ``params``, ``mean_test_score`` (of the refit metric; nan for a failed
        candidate) and ``finished`` (a timestamp). The run's seed and
        fingerprint are in ``frame.attrs``.
    """
    uri = f"file:{path}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        rows = conn.execute(
            "SELECT idx, params, mean_test_score, finished FROM candidates ORDER BY idx"
        ).fetchall()
    except sqlite3.Error as exc:
        raise ValueError(f"{path!r} is not a sklearn-hpo checkpoint ({exc}).") from None
    conn.close()
    frame = pd.DataFrame(
        rows, columns=["candidate", "params", "mean_test_score", "finished"]
    )
    frame["finished"] = pd.to_datetime(frame["finished"], unit="s")
    frame.attrs.update(meta)
    return frame
