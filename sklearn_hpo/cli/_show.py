"""``sklearn-hpo show run.db``: the finished candidates of a checkpoint."""

import os

from sklearn_hpo.cli._errors import CLIError

__all__ = ["add_parser", "run"]


def add_parser(commands):
    """Register the ``show`` subcommand."""
    p = commands.add_parser(
        "show",
        help="print the finished candidates of a checkpoint file",
        description="Print the candidates a search with checkpoint=FILE has "
        "finished, best first (or in the order they were proposed).",
    )
    p.add_argument("checkpoint", help="the SQLite file given as checkpoint=")
    p.add_argument(
        "--order",
        choices=["score", "proposal"],
        default="score",
        help="sort by mean test score (default) or by proposal order",
    )
    p.add_argument("--top", type=int, default=None, help="show only the first N")
    p.set_defaults(run=run)


def run(args):
    from sklearn_hpo.search import load_checkpoint

    if not os.path.isfile(args.checkpoint):
        raise CLIError(f"no such checkpoint file: {args.checkpoint}")
    try:
        frame = load_checkpoint(args.checkpoint)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    n = len(frame)
    if args.order == "score":
        frame = frame.sort_values("mean_test_score", ascending=False, kind="stable")
    if args.top is not None:
        frame = frame.head(args.top)
    print(
        f"{args.checkpoint}: {n} finished candidate(s), seed {frame.attrs.get('seed')}"
    )
    if len(frame):
        shown = frame[["candidate", "mean_test_score", "finished", "params"]]
        print(shown.to_string(index=False, max_colwidth=100))
    return 0
