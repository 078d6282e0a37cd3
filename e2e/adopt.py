"""The adopt scenario: the seed's objects as Flux left them, then the runbook.

A second control plane and workspace of its own (the shared cluster has run
the other scenarios): every overlay of the seed applied as Flux applies it
(``e2e.adopt_steps.seed``), the hand-made ``regcred`` in each namespace, then
README "Taking over from kustomize and Flux", "Runbook, per stack", step by
step for prod, staging and dev. What the real engine showed at each step is
printed and written to ``adopt/adopt-observed.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from e2e import adopt_steps as steps
from e2e.controlplane import ControlPlane
from e2e.harness import Failure, Run, install_fixtures, last_lines
from e2e.workspace import ROOT, STACKS, Workspace

RUNBOOK_ORDER = ("prod", "staging", "dev")
"""README: prod first (it owns the repository, zone and address), then staging, dev."""


def adopt(run: Run) -> None:
    """Seed a fresh cluster as Flux left it, then follow the runbook per stack."""
    with ControlPlane(run.ws.run_dir / "adopt-cluster", run.ws.binaries) as cluster:
        install_fixtures(cluster)
        ws = Workspace(
            run.ws.run_dir / "adopt",
            run.ws.binaries,
            cluster.kubeconfig,
            cluster.context,
            run.standin.env,
        )
        ws.prepare()
        here = Run(ws, cluster.kubectl, run.standin, timings=run.timings)
        applied = steps.seed(here, RUNBOOK_ORDER)
        # The runbook's stacks exist before its step 2 sets their config.
        for stack in STACKS:
            ws.init_stack(stack)
        observed: dict[str, Any] = {}
        try:
            for stack in RUNBOOK_ORDER:
                observed[stack] = {}
                _runbook(here, stack, applied[stack], observed[stack])
        finally:
            (ws.run_dir / "adopt-observed.json").write_text(
                json.dumps(observed, indent=2)
            )


def _note(observed: dict[str, Any], stack: str, key: str, value: Any) -> None:
    observed[key] = value
    print(f"  observed {stack} {key}: {json.dumps(value)}", flush=True)


def _runbook(
    run: Run, stack: str, objects: list[dict[str, Any]], observed: dict[str, Any]
) -> None:
    """README "Runbook, per stack", steps 1 to 8, for one stack."""
    # Step 1, suspend Flux: there is no Flux here; nothing re-applies the overlays.
    # Step 2: adoption, with the live password piped in (never on a command line).
    run.ws.cli("config", "set", "portfolio:adopt", "true", "--stack", stack)
    run.ws.cli(
        "config", "set", "--secret", "portfolio:databasePassword", "--stack", stack,
        input=steps.live_password(run, stack),
    )  # fmt: skip
    # Step 3: `render compare` of the stack file as it now is exits 0.
    _compare(run, stack)
    # Step 4: hand the objects over. No Config Connector object was applied
    # (left out of the seed: no Config Connector here), so there is nothing to
    # annotate with deletion-policy=abandon and delete. The field managers are
    # handed over by renaming Flux's, not by the README's reset to [{}], which
    # the real provider and API server refuse at the Deployment (hand_over).
    for obj in objects:
        if (
            obj["kind"] in steps.RESET_KINDS
            and obj["metadata"]["name"] != steps.GATEWAY_COPY
        ):
            steps.hand_over(run, obj)
    if stack == "prod":
        for ns in RUNBOOK_ORDER:
            run.kubectl("-n", ns, "delete", "service", steps.GATEWAY_COPY)
    # Step 5: the preview shows only imports, updates and creates. (The gcloud
    # fallback for a database or user Config Connector never made is Google's
    # own; the stand-in answers every import ID.)
    preview = run.op("preview", stack, label="adopt preview")
    _note(observed, stack, "preview_ops", steps.check_preview(stack, preview))
    _note(observed, stack, "preview_updates", steps.updates(preview))
    # Step 6: up, then the state: everything adopted is imported and protected.
    up = run.op("up", stack, label="adopt up")
    if not up.ok:
        raise Failure(f"{stack}: adopting up failed: {last_lines(up.error, 6)}")
    _note(observed, stack, "up_changes", up.changes)
    imported = steps.check_imported(stack, steps.state(run, stack), objects)
    _note(observed, stack, "imported", imported)
    # Step 7: adoption off; up changes nothing but the provider's enablePatchForce.
    run.ws.cli("config", "rm", "portfolio:adopt", "--stack", stack)
    off = run.op("up", stack, label="adopt-off up")
    _note(observed, stack, "adopt_off_up", steps.check_adopt_off(stack, off))
    after = steps.state(run, stack)
    still = sorted(
        r["urn"].rsplit("::", 1)[-1]
        for r in after
        if r.get("importID") and r.get("protect")
    )
    _note(observed, stack, "protected_after_adopt_off", still)
    # Step 8: retiring the overlay in the Flux source is Flux's; what step 3
    # listed is deleted by hand: the hash-named objects and the old Certificate.
    for obj in objects:
        name = obj["metadata"]["name"]
        if (obj["kind"] in ("ConfigMap", "Secret") and steps.HASHED.search(name)) or (
            obj["kind"] == "Certificate"
        ):
            run.kubectl("-n", stack, "delete", steps.resource_arg(obj), name)


def _compare(run: Run, stack: str) -> None:
    """Step 3: ``python -m render compare`` of the project copy's stack file."""
    proc = subprocess.run(
        [
            sys.executable, "-m", "render", "compare",
            str(run.ws.project / f"Pulumi.{stack}.yaml"), str(steps.OVERLAYS / stack),
        ],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    (run.ws.run_dir / f"compare-{stack}.txt").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise Failure(
            f"{stack}: render compare exited {proc.returncode}: "
            f"{last_lines(proc.stderr or proc.stdout)}"
        )
