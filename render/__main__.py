"""``python -m render``; see ``render.cli``."""

import os
import signal
import sys

try:
    from render.cli import main

    status = main()
except KeyboardInterrupt:  # Ctrl-C while the SDKs were still importing
    print("error: interrupted; nothing was written", file=sys.stderr)
    status = 130
# The work is done (or refused): a Ctrl-C now would only interrupt the exit.
signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    if sys.stdout is not None:  # None: started with stdout closed (>&-)
        sys.stdout.flush()
except BrokenPipeError:
    # A reader that stopped early (``| head``): as the Python docs' note on
    # SIGPIPE says, point stdout at devnull so the exit's flush stays quiet.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
sys.exit(status)
