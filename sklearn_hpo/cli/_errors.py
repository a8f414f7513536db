"""The one exception the command line turns into a message."""

__all__ = ["CLIError"]


class CLIError(Exception):
    """A problem with the user's input, reported as one line, exit code 2."""

    exit_code = 2
