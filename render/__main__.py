"""``python -m render``; see ``render.cli``.

The renderer is a short-lived process that imports the whole Kubernetes SDK.
Automatic garbage collection during those imports, and the collection of every
module at exit, took longer than rendering three stacks and freed nothing worth
keeping, so it is off for the life of the process (see README, "Speed").
"""

import gc

gc.disable()

from render.cli import main  # noqa: E402 - after gc.disable on purpose

status = main()
gc.freeze()
raise SystemExit(status)
