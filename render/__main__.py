"""``python -m render``; see ``render.cli``.

The renderer is a short-lived process that imports the whole Kubernetes SDK.
Automatic garbage collection during those imports, and the collection of every
module at exit, took longer than rendering three stacks and freed nothing worth
keeping, so it is off for the life of the process, and the process ends with
``os._exit`` once its output is flushed: the interpreter's teardown of the
imported SDKs alone took about 0.2 s (see README, "Speed").
"""

import gc
import os
import sys

gc.disable()

from render.cli import main  # noqa: E402 - after gc.disable on purpose

status = main()
try:
    sys.stdout.flush()
    sys.stderr.flush()
except BrokenPipeError:  # a reader that stopped early (| head): nothing to do
    pass
os._exit(status)
