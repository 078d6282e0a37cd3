"""What ``python -m render`` prints, and how Ctrl-C ends it.

Every problem is one line on a terminal a user trusts: no key, file name or
value can start a forged line or restyle it, and none runs on for pages.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from portfolio.settings.parsing import one_line
from render import INTERRUPTED

__all__ = ["INTERRUPTED", "exit_on_interrupt", "printable"]

# Every problem line is shown as the program shows its own under the engine.
printable = one_line


@contextlib.contextmanager
def exit_on_interrupt() -> Iterator[None]:
    """Ctrl-C while a program runs: one line, exit 130; nothing is written yet.

    The SDK runs a program on an asyncio loop: a ``KeyboardInterrupt`` raised
    inside one of its tasks stays in that task and the loop waits for it
    forever, so the signal ends the process instead. Files are written only
    after every stack has run, where Ctrl-C is a ``KeyboardInterrupt`` again
    and ``render.writer`` puts back what it moved.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # a background job
    ):
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        with contextlib.suppress(OSError):  # stderr closed (2>&-)
            os.write(2, f"{INTERRUPTED}\n".encode())
        os._exit(130)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
