"""Offline renderer: the real program and stack files under the Pulumi mock engine."""

import contextlib
import os
import signal
import sys

INTERRUPTED = "error: interrupted; nothing was written"


def interrupted(_signum: int, _frame: object) -> None:
    """Ctrl-C: one line, exit 130; nothing is written before every stack ran."""
    with contextlib.suppress(OSError):  # stderr closed (2>&-): the status says it
        os.write(2, f"{INTERRUPTED}\n".encode())
    os._exit(130)


def finishing() -> None:
    """From here the run only reports: a Ctrl-C would only cut the report short.

    Under ``python -m render`` (render's handler installed) Ctrl-C is ignored
    from the first byte of output on, the writes included, so they are never
    left half-done; an in-process caller's handler is left as it is.
    """
    if signal.getsignal(signal.SIGINT) is interrupted:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


# `python -m render` imports this package first, with sys.argv[0] "-m"
# (docs.python.org, "Command line", -m). The handler stays until the output
# starts (``finishing``): the SDK runs the program on an asyncio loop, where a
# KeyboardInterrupt would stay in its task and the loop wait forever. A caller
# that ignores SIGINT (a background job) keeps it ignored.
if (
    sys.argv[:1] == ["-m"]
    and signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, interrupted)
