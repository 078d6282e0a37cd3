"""What only the move from kustomize and Flux needs; delete it after cutover.

``python -m migration compare STACK OVERLAY_DIR`` (``migration.compare``)
matches an overlay's ``kubectl kustomize`` output with the stack's offline
render. The runbook is docs/migration.md.
"""
