"""The ``sklearn-hpo`` command line.

::

    sklearn-hpo tune data.csv --target y --model lightgbm --search bayes \\
        --n-iter 50 --cv 5 --scoring roc_auc --out results/
    sklearn-hpo show run.db        # what a checkpointed search has finished

also run as ``python -m sklearn_hpo``. Each subcommand lives in its own
module (``_tune.py``, ``_show.py``) and registers itself in :func:`build_parser`; a
problem with the user's input (a missing column, an unknown model, an
unreadable file) is one line on stderr and exit code 2, never a traceback.
"""

import argparse
import sys

from sklearn_hpo.cli import _show, _tune
from sklearn_hpo.cli._errors import CLIError

__all__ = ["CLIError", "build_parser", "main"]

PROG = "sklearn-hpo"


def build_parser():
    """The argument parser, one subparser per command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Hyperparameter search for scikit-learn models from the "
        "command line.",
    )
    from sklearn_hpo import __version__

    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _tune.add_parser(commands)
    _show.add_parser(commands)
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments, without the program name.

    Returns
    -------
    int
        The exit code: 0 on success, 1 when the search itself failed, 2 for
        a usage error (a message on stderr).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except CLIError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
