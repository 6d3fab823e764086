"""Failures whose message is written for the person at the keyboard.

The CLI prints such a message on stderr, without a traceback, and exits 1;
anything else is a bug and keeps its traceback.
"""


class BackofficeError(Exception):
    """A failure the user can read and act on: what went wrong, and what to do."""
