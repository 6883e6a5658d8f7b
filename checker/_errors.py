"""Errors the checker raises for a user's mistakes on its own command line."""

__all__ = ["UsageError"]


class UsageError(Exception):
    """A TARGET the checker cannot use.

    The message is one line that names the problem and the fix, because the
    command-line entry point prints it as is and exits; a traceback would only
    hide it.
    """
