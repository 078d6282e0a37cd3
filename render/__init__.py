"""Offline renderer: the real program and stack files under the Pulumi mock engine."""

import contextlib
import os
import signal
import sys


def interrupted(_signum: int, _frame: object) -> None:
    """Ctrl-C: one line, exit 130; nothing is written before every stack ran."""
    with contextlib.suppress(OSError):  # stderr closed (2>&-): the status says it
        os.write(2, b"error: interrupted; nothing was written\n")
    os._exit(130)


# `python -m render` imports this package first, with sys.argv[0] "-m"
# (docs.python.org, "Command line", -m). The handler stays for the whole run:
# the SDK runs the program on an asyncio loop, where a KeyboardInterrupt would
# stay in its task and the loop wait forever. A caller that ignores SIGINT (a
# background job) keeps it ignored.
if (
    sys.argv[:1] == ["-m"]
    and signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, interrupted)
