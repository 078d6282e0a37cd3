"""``python -m render``; see ``render.cli``."""

import os
import sys
import warnings

import render
from render.cli import main

# The SDK leaves an event loop (and its socket pair) on each thread it ran on
# for the interpreter to collect; under -W error or -X dev their
# ResourceWarnings would print tracebacks after the output. They are not the
# user's to act on.
warnings.simplefilter("ignore", ResourceWarning)
status = main()
render.finishing()  # the problems, if any, are printed: a Ctrl-C now changes nothing
try:
    if sys.stdout is not None:  # None: started with stdout closed (>&-)
        sys.stdout.flush()
except BrokenPipeError:
    # A reader that stopped early (``| head``): as the Python docs' note on
    # SIGPIPE says, point stdout at devnull so the exit's flush stays quiet.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
sys.exit(status)
