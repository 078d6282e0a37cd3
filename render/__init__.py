"""Offline renderer: the real program and stack files under the Pulumi mock engine."""

import contextlib
import os
import signal
import sys

INTERRUPTED = "error: interrupted; nothing was written"


def interrupted_while_starting(_signum: int, _frame: object) -> None:
    """Ctrl-C before ``render.__main__`` runs: one line, exit 130, nothing written."""
    with contextlib.suppress(OSError):  # stderr closed (2>&-): the status says it
        os.write(2, f"{INTERRUPTED}\n".encode())
    os._exit(130)


# `python -m render` imports this package first, with sys.argv[0] "-m" while it
# locates render.__main__ (docs.python.org, "Command line", -m). From here until
# __main__ has imported the CLI, Ctrl-C would otherwise be a traceback.
if (
    sys.argv[:1] == ["-m"]
    and signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, interrupted_while_starting)
