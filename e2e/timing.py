"""The timing table: the real CLI beside kubectl on the same API server.

Printed, never asserted. For each stack: a fresh ``pulumi up``, a no-change
``pulumi preview`` and ``pulumi up`` (wall time, and the program's own run
time inside it), beside ``kubectl apply --server-side`` (fresh and again) and
``kubectl diff --server-side`` of the same stack's rendered ``kubernetes.yaml``.
kubectl applies a copy moved to namespace ``kubectl-<stack>`` (objects of other
namespaces, patches of shared ones, are left out), so it never touches the
stack's own objects; its Secrets hold placeholders.
"""

from __future__ import annotations

import time
from typing import Any

import yaml

from e2e import live


def _moved(manifest: str, stack: str) -> str:
    namespace = f"kubectl-{stack}"
    docs = []
    for obj in live.objects(manifest):
        meta = obj["metadata"]
        if obj["kind"] == "Namespace":
            meta["name"] = namespace
        elif meta.get("namespace") == stack:
            meta["namespace"] = namespace
        else:
            continue  # another namespace's object: a patch of a shared one
        for key, value in (obj.get("stringData") or {}).items():
            if value == "[secret]":
                obj["stringData"][key] = (
                    '{"auths": {}}' if key.endswith("json") else "x"
                )
        docs.append(obj)
    return yaml.safe_dump_all(docs)


def _timed(cluster: Any, *args: str, manifest: str) -> float:
    start = time.perf_counter()
    proc = cluster.kubectl(*args, input=manifest, check=False)
    elapsed = time.perf_counter() - start
    # kubectl diff exits 1 when there is a difference, >1 on error.
    if proc.returncode > 1 or (proc.returncode == 1 and args[0] != "diff"):
        print(f"  kubectl {' '.join(args)}: {proc.stderr.strip()[-300:]}")
    return elapsed


def kubectl_times(cluster: Any, ws: Any, stack: str) -> dict[str, float]:
    """Kubectl's fresh apply, no-change diff and no-change apply of the stack."""
    rendered = (ws.run_dir / "rendered" / stack / "kubernetes.yaml").read_text()
    manifest = _moved(rendered, stack)
    apply = ("apply", "--server-side", "--field-manager=e2e-timing", "-f", "-")
    return {
        "fresh up": _timed(cluster, *apply, manifest=manifest),
        "no-change preview": _timed(
            cluster,
            "diff",
            "--server-side",
            "--field-manager=e2e-timing",
            "-f",
            "-",
            manifest=manifest,
        ),
        "no-change up": _timed(cluster, *apply, manifest=manifest),
    }


def print_table(
    timings: list[tuple[str, str, float, float | None]], cluster: Any, ws: Any
) -> None:
    """One row per stack and operation."""
    print("\nseconds  operation            stack    pulumi  (program)  kubectl")
    for stack in ("prod", "dev", "staging"):
        theirs = kubectl_times(cluster, ws, stack)
        for label in ("fresh up", "no-change preview", "no-change up"):
            rows = [t for t in timings if t[0] == label and t[1] == stack]
            if not rows:
                continue
            _, _, wall, program = rows[0]
            prog = f"{program:7.2f}" if program is not None else "      -"
            print(
                f"         {label:20} {stack:8} {wall:6.1f}  ({prog})"
                f"  {theirs[label]:7.2f}"
            )
