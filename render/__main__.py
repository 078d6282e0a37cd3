"""``python -m render``; see ``render.cli``."""

import os
import signal
import sys

import render
from render.cli import main

status = None
try:
    # The CLI is imported (until now a Ctrl-C was render's one line): from here
    # it is a KeyboardInterrupt again, which the CLI ends with the same line
    # after putting back what it was writing.
    if signal.getsignal(signal.SIGINT) is render.interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    status = main()
    # The work is done (or refused): a Ctrl-C now would only interrupt the exit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
except KeyboardInterrupt:  # just before or after the CLI's own handling
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if status is None:
        if sys.stderr is not None:  # None: started with stderr closed (2>&-)
            print(render.INTERRUPTED, file=sys.stderr)
        status = 130
try:
    if sys.stdout is not None:  # None: started with stdout closed (>&-)
        sys.stdout.flush()
except BrokenPipeError:
    # A reader that stopped early (``| head``): as the Python docs' note on
    # SIGPIPE says, point stdout at devnull so the exit's flush stays quiet.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
sys.exit(status)
