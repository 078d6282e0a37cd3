"""The adopt scenario: the seed's objects as Flux left them, then the runbook.

A second control plane and workspace of its own (the shared cluster has run
the other scenarios): every overlay of the seed applied as Flux applies it
(``e2e.adopt_steps.seed``), the hand-made ``regcred`` in each namespace, then
docs/migration.md, "Runbook, per stack", step by step for prod, staging and
dev. What the real engine showed at each step is
printed and written to ``adopt/adopt-observed.json``.
"""

from __future__ import annotations

import json
import mmap
import subprocess
import sys
from pathlib import Path
from typing import Any

from e2e import adopt_steps as steps
from e2e.controlplane import ControlPlane
from e2e.harness import Failure, Run, install_fixtures, last_lines
from e2e.workspace import ROOT, STACKS, Workspace

RUNBOOK_ORDER = ("prod", "staging", "dev")
"""README: prod first (it owns the repository, zone and address), then staging, dev."""
FORCE_ENV = "PULUMI_K8S_ENABLE_PATCH_FORCE"


class _Stack:
    """One stack's runbook: the run, what its overlay applied, what was seen."""

    def __init__(
        self, run: Run, stack: str, objects: list[dict[str, Any]], force_env: bool
    ) -> None:
        self.run, self.stack, self.objects = run, stack, objects
        self.force_env = force_env
        self.observed: dict[str, Any] = {}

    def note(self, key: str, value: Any) -> None:
        """Keep and print one observation."""
        self.observed[key] = value
        print(f"  observed {self.stack} {key}: {json.dumps(value)}", flush=True)

    def cli(self, *args: str, input: str | None = None) -> None:
        """``pulumi ARGS --stack STACK`` in the project copy."""
        self.run.ws.cli(*args, "--stack", self.stack, input=input)


def adopt(run: Run) -> None:
    """Seed a fresh cluster as Flux left it, then follow the runbook per stack."""
    with ControlPlane(run.ws.run_dir / "adopt-cluster", run.ws.binaries) as cluster:
        install_fixtures(cluster)
        ws = Workspace(
            run.ws.run_dir / "adopt",
            run.ws.binaries,
            cluster.kubeconfig,
            cluster.context,
            dict(run.standin.env),
        )
        ws.prepare()
        here = Run(ws, cluster.kubectl, run.standin, timings=run.timings)
        force_env = not _knows_patch_force(ws.binaries["pulumi-resource-kubernetes"])
        if force_env:
            print(
                "  observed: this pulumi-resource-kubernetes has no enablePatchForce "
                f"(pulumi-kubernetes v4.29.0, PR #4242); {FORCE_ENV}=true stands "
                "in for it during the adopting preview and up",
                flush=True,
            )
        applied = steps.seed(here, RUNBOOK_ORDER)
        # The runbook's stacks exist before its step 2 sets their config.
        for stack in STACKS:
            ws.init_stack(stack)
        observed: dict[str, Any] = {"patch_force_by_env": force_env}
        try:
            for stack in RUNBOOK_ORDER:
                one = _Stack(here, stack, applied[stack], force_env)
                observed[stack] = one.observed
                _runbook(one)
            # Not a check: what prod, adopted first, shows once dev and staging run.
            again = here.op("preview", "prod", label="prod preview after all")
            observed["prod_preview_after_all"] = steps.updates(again)
            print(f"  observed prod preview after all: {steps.updates(again)}")
        finally:
            text = json.dumps(observed, indent=2)
            (ws.run_dir / "adopt-observed.json").write_text(text)


def _knows_patch_force(provider: Path) -> bool:
    """Whether the provider binary has the ``enablePatchForce`` setting."""
    with (
        provider.open("rb") as binary,
        mmap.mmap(binary.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        return data.find(b"enablePatchForce") != -1


def _runbook(s: _Stack) -> None:
    """docs/migration.md "Runbook, per stack", steps 1 to 8, for one stack."""
    # Step 1, suspend Flux: there is no Flux here; nothing re-applies the overlays.
    # Step 2: adoption, with the live password piped in (never on a command line).
    s.cli("config", "set", "portfolio:adopt", "true")
    password = steps.live_password(s.run, s.stack)
    s.cli("config", "set", "--secret", "portfolio:databasePassword", input=password)
    _compare(s)
    _hand_over(s)
    imported = _adopt_up(s)
    _adopt_off(s, imported)
    _retire(s)


def _compare(s: _Stack) -> None:
    """Step 3: ``python -m migration compare`` of the stack file as it is now."""
    proc = subprocess.run(
        [
            sys.executable, "-m", "migration", "compare",
            str(s.run.ws.project / f"Pulumi.{s.stack}.yaml"),
            str(steps.OVERLAYS / s.stack),
        ],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    (s.run.ws.run_dir / f"compare-{s.stack}.txt").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise Failure(
            f"{s.stack}: migration compare exited {proc.returncode}: "
            f"{last_lines(proc.stderr or proc.stdout)}"
        )


def _hand_over(s: _Stack) -> None:
    """Step 4: field managers handed over; prod deletes the gateway copies.

    No Config Connector object was applied (left out of the seed: there is no
    Config Connector here), so there is nothing to annotate with
    ``deletion-policy=abandon`` and delete. The field managers are handed over
    by renaming Flux's, as the runbook says, not by a reset to ``[{}]``, which the real
    provider and API server refuse at the Deployment (``steps.hand_over``).
    """
    for obj in s.objects:
        name = obj["metadata"]["name"]
        if obj["kind"] in steps.RESET_KINDS and name != steps.GATEWAY_COPY:
            steps.hand_over(s.run, obj)
    if s.stack == "prod":
        for ns in RUNBOOK_ORDER:
            s.run.kubectl("-n", ns, "delete", "service", steps.GATEWAY_COPY)


def _adopt_up(s: _Stack) -> list[str]:
    """Steps 5 and 6: preview (imports, updates, creates only), up; imported URNs.

    Step 5's gcloud fallback (a database or user Config Connector never made)
    is Google's own: the stand-in answers every import ID.
    """
    if s.force_env:
        s.run.ws.provider_env[FORCE_ENV] = "true"
    try:
        preview = s.run.op("preview", s.stack, label="adopt preview")
        s.note("preview_ops", steps.check_preview(s.stack, preview))
        s.note("preview_updates", steps.updates(preview))
        up = s.run.op("up", s.stack, label="adopt up")
    finally:
        s.run.ws.provider_env.pop(FORCE_ENV, None)
    if not up.ok:
        raise Failure(f"{s.stack}: adopting up failed: {last_lines(up.error, 6)}")
    s.note("up_changes", up.changes)
    resources = steps.state(s.run, s.stack)
    s.note("imported", steps.check_imported(s.stack, resources, s.objects))
    return [r["urn"] for r in resources if r.get("importID")]


def _adopt_off(s: _Stack, imported: list[str]) -> None:
    """Step 7: adoption off; up changes only the provider's enablePatchForce."""
    s.cli("config", "rm", "portfolio:adopt")
    off = s.run.op("up", s.stack, label="adopt-off up")
    s.note("adopt_off_up", steps.check_adopt_off(s.stack, off))
    protected = {r["urn"] for r in steps.state(s.run, s.stack) if r.get("protect")}
    still = sorted(u.rsplit("::", 1)[-1] for u in imported if u in protected)
    s.note("imported_still_protected_after_adopt_off", still)


def _retire(s: _Stack) -> None:
    """Step 8: what step 3 listed is deleted by hand.

    Retiring the overlay in the Flux source (``prune: false``, the manifest
    deleted) is Flux's and not here; ``portfolio-cloudsql-sa`` and its key
    were Config Connector's, never applied.
    """
    for obj in s.objects:
        name = obj["metadata"]["name"]
        hashed = obj["kind"] in ("ConfigMap", "Secret") and steps.HASHED.search(name)
        if hashed or obj["kind"] == "Certificate":
            s.run.kubectl("-n", s.stack, "delete", steps.resource_arg(obj), name)
