"""What only the move from kustomize and Flux needs; delete it after cutover.

``python -m migration compare STACK OVERLAY_DIR`` (``migration.compare``)
matches an overlay's ``kubectl kustomize`` output with the stack's offline
render. The runbook is docs/migration.md.

The modules, in the order the command uses them: ``overlay`` (the kustomize
build), ``compare`` (pairing each object with its counterpart), with
``kubernetes`` and ``google`` (matching and comparing each sort of object;
``google_kinds``, the Google resources' rules), ``advice`` (the notes on
objects only one side has), ``changes`` (what a comparison finds) and
``report`` (printing it). ``objects`` (an object's identity) and ``fields``
(fields as dotted paths) serve them all.
"""
