"""The scenarios of `make e2e`, in the order they run; each raises ``Failure``.

They share one cluster and one state backend, so order matters: ``bootstrap``
brings the three stacks up, the later ones change and read them, ``destroy``
comes last.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from e2e import adopt, hostile, live, yaml_reading
from e2e import scenarios_more as more
from e2e.harness import Failure, Run, last_lines
from e2e.workspace import ROOT, STACKS

APP_IMAGE = "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio"
DOCUMENTED_OUTPUTS = {
    "namespace",
    "deploymentName",
    "serviceName",
    "image",
    "imageDigest",
    "repositoryUrl",
    "pullServiceAccount",
    "proxyServiceAccount",
    "sqlConnectionName",
    "ingressAddress",
    "url",
}


def _outputs(run: Run, stack: str) -> dict[str, Any]:
    out = run.ws.cli("stack", "output", "--json", "--stack", stack).stdout
    return dict(json.loads(out))


def _rendered(run: Run, stack: str) -> list[dict[str, Any]]:
    path = run.ws.run_dir / "rendered" / stack / "kubernetes.yaml"
    return live.objects(path.read_text())


def _pods(run: Run, stack: str) -> list[dict[str, Any]]:
    data = json.loads(
        run.kubectl("get", "pods", "-n", stack, "-l", "app=portfolio", "-o", "json")
    )
    return [p for p in data["items"] if not p["metadata"].get("deletionTimestamp")]


def _replicasets(run: Run, stack: str) -> list[str]:
    data = json.loads(run.kubectl("get", "rs", "-n", stack, "-o", "json"))
    return sorted(rs["metadata"]["name"] for rs in data["items"])


def _available(run: Run, stack: str) -> None:
    dep = run.get("deployment", "portfolio", stack)
    conditions = {c["type"]: c["status"] for c in dep["status"].get("conditions", [])}
    if conditions.get("Available") != "True":
        raise Failure(f"{stack}: Deployment portfolio not Available: {conditions}")


def _rendered_outputs(run: Run, stack: str) -> dict[str, Any]:
    path = run.ws.run_dir / "rendered" / stack / "resources.yaml"
    for doc in live.objects(path.read_text()):
        if doc.get("type") == "portfolio:index:PortfolioDeployment":
            return dict(doc.get("outputs") or {})
    raise Failure(f"{stack}: no PortfolioDeployment outputs in {path.name}")


def _compare(run: Run, stack: str) -> None:
    cloud = live.cloud_values(_rendered_outputs(run, stack), _outputs(run, stack))
    problems: list[str] = []
    for obj in _rendered(run, stack):
        meta = obj["metadata"]
        group, _, version = obj["apiVersion"].rpartition("/")
        # Kind.version.group: the rendered version, not the preferred one.
        kind = f"{obj['kind']}.{version}.{group}"
        args = ["get", kind, meta["name"], "-o", "json"]
        if meta.get("namespace"):
            args += ["-n", meta["namespace"]]
        proc = run.kubectl_cmd(*args, check=False)
        if proc.returncode != 0:
            problems.append(f"{obj['kind']}/{meta['name']} not found live")
            continue
        for problem in live.mismatches(obj, json.loads(proc.stdout), cloud):
            problems.append(f"{obj['kind']}/{meta['name']} {problem}")
    if problems:
        raise Failure(
            f"{stack}: {len(problems)} differences: " + "; ".join(problems[:5])
        )


def bootstrap(run: Run) -> None:
    """The README's order: prod (no consumers yet), dev, staging, prod again."""
    digest = run.standin.push(f"{APP_IMAGE}:latest")
    for stack in STACKS:
        run.ws.init_stack(stack)
    run.ws.edit_stack_file("prod", "portfolio:registryConsumerStacks", [])
    run.up("prod", label="fresh up")
    for stack in ("dev", "staging"):
        run.up(stack, label="fresh up")
    run.ws.edit_stack_file(
        "prod", "portfolio:registryConsumerStacks", ["dev", "staging"]
    )
    run.up("prod", label="consumers up")
    for stack in STACKS:
        _available(run, stack)
        _compare(run, stack)
        outputs = _outputs(run, stack)
        if set(outputs) != DOCUMENTED_OUTPUTS:
            raise Failure(
                f"{stack}: outputs {sorted(outputs)}, "
                f"docs/design.md says {sorted(DOCUMENTED_OUTPUTS)}"
            )
        if outputs["namespace"] != stack or outputs["imageDigest"] != digest:
            raise Failure(
                f"{stack}: outputs namespace/imageDigest {outputs['namespace']} "
                f"{outputs['imageDigest']}, expected {stack} {digest}"
            )


def no_op(run: Run) -> None:
    """A second preview and up change nothing."""
    for stack in STACKS:
        result = run.op(
            "preview", stack, expect_no_changes=True, label="no-change preview"
        )
        if not result.ok:
            raise Failure(
                f"{stack}: preview --expect-no-changes: {result.summary()} "
                f"{last_lines(result.error)}"
            )
    for stack in STACKS:
        result = run.up(stack, expect_no_changes=True, label="no-change up")


def image_push(run: Run) -> None:
    """A push moves the tag: only the Deployment's image changes, and rolls out."""
    before = _replicasets(run, "dev")
    digest = run.standin.push(f"{APP_IMAGE}:latest")
    preview = run.op("preview", "dev", label="push preview")
    changed = preview.changed()
    if not preview.ok or [s["type"] for s in changed] != [
        "kubernetes:apps/v1:Deployment"
    ]:
        raise Failure(f"dev: push preview changed {preview.summary()}")
    image_path = re.compile(r"spec\.template\.spec\.containers\[\d+\]\.image")
    diffs = changed[0]["diffs"]
    if (
        changed[0]["op"] != "update"
        or not diffs
        or not all(image_path.fullmatch(d) for d in diffs)
    ):
        raise Failure(f"dev: push preview changed more than the image: {changed[0]}")
    run.up("dev", label="push up")
    after = _replicasets(run, "dev")
    if len(set(after) - set(before)) != 1:
        raise Failure(f"dev: ReplicaSets {before} -> {after}, expected one new")
    images = {
        c["image"]
        for p in _pods(run, "dev")
        for c in p["spec"]["containers"]
        if "/portfolio" in c["image"]
    }
    if images != {f"{APP_IMAGE}@{digest}"}:
        raise Failure(f"dev: pods run {images}, not {digest}")
    again = run.op("preview", "dev", expect_no_changes=True, label="unchanged digest")
    if not again.ok:
        raise Failure(f"dev: unchanged digest still changes {again.summary()}")


def _restarted_at(run: Run) -> str | None:
    template = run.get("deployment", "portfolio", "dev")["spec"]["template"]
    annotations = template["metadata"].get("annotations") or {}
    return annotations.get("kubectl.kubernetes.io/restartedAt")


def _running(run: Run) -> str:
    """The pod-template-hash every dev pod runs, once the rollout is done."""
    run.kubectl(
        "rollout", "status", "deployment/portfolio", "-n", "dev", "--timeout=120s"
    )
    hashes = {p["metadata"]["labels"]["pod-template-hash"] for p in _pods(run, "dev")}
    if len(hashes) != 1:
        raise Failure(f"dev pods run {sorted(hashes)} after the rollout")
    return str(hashes.pop())


def restart(run: Run) -> None:
    """What rolls the pods, and what a manual kubectl restart leads to.

    A roll is a change of the pod template the pods run (a ReplicaSet the
    Deployment controller may reuse: returning to an earlier template scales
    its old ReplicaSet back up).
    """
    start = _running(run)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    run.ws.cli("config", "set", "portfolio:restartedAt", stamp, "--stack", "dev")
    run.up("dev", label="restart up")
    by_make = _running(run)
    run.kubectl("rollout", "restart", "deployment/portfolio", "-n", "dev")
    by_kubectl = _running(run)
    kubectl_stamp = _restarted_at(run)
    up = run.up("dev", label="up after kubectl restart")
    after_up = _running(run)
    # The next update of the Deployment, one that leaves the pod template alone.
    run.ws.edit_stack_file("dev", "portfolio:replicas", 2)
    scaled = run.up("dev", label="next Deployment update")
    after_update = _running(run)
    observed: dict[str, Any] = {
        "make_restart_rolled": by_make != start,
        "kubectl_restart_rolled": by_kubectl != by_make,
        "plain_up_steps": [f"{s['op']} {s['type']}" for s in up.changed()],
        "plain_up_rolled": after_up != by_kubectl,
        "next_update_steps": [f"{s['op']} {s['type']}" for s in scaled.changed()],
        "next_update_rolled": after_update != after_up,
        "next_update_back_to_make_restart": after_update == by_make,
        "restartedAt": {
            "make restart": stamp,
            "kubectl": kubectl_stamp,
            "after next update": _restarted_at(run),
        },
    }
    run.ws.edit_stack_file("dev", "portfolio:replicas", None)
    run.up("dev", label="replicas back")
    (run.ws.run_dir / "restart-observed.json").write_text(
        json.dumps(observed, indent=2)
    )
    print(f"  observed: {json.dumps(observed)}")
    # What docs/delivery.md says ("Images, rollouts and restarts").
    expected = {
        "make_restart_rolled": True,
        "kubectl_restart_rolled": True,
        "plain_up_rolled": False,
        "next_update_rolled": True,
        "next_update_back_to_make_restart": True,
        "plain_up_steps": [],
    }
    wrong = {k: observed[k] for k, v in expected.items() if observed[k] != v}
    next_steps: list[str] = observed["next_update_steps"]
    if "update kubernetes:apps/v1:Deployment" not in next_steps:
        wrong["next_update_steps"] = observed["next_update_steps"]
    if wrong:
        raise Failure(f"restarts: {wrong}, docs/delivery.md says {expected}")


Scenario = Callable[[Run], None]
SCENARIOS: list[tuple[str, Scenario]] = [
    ("bootstrap", bootstrap),
    ("no-op", no_op),
    ("image-push", image_push),
    ("restart", restart),
    ("secrets", more.secrets),
    ("refused", more.refused),
    ("hostile", hostile.hostile),
    ("yaml", yaml_reading.yaml_reading),
    ("policy", more.policy),
    ("destroy", more.destroy),
    ("adopt", adopt.adopt),
]


def render_offline(run: Run) -> None:
    """The committed stacks rendered offline, for the live comparison."""
    out = run.ws.run_dir / "rendered"
    subprocess.run(
        [sys.executable, "-m", "render", "--all", "-o", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    if not (out / "dev" / "kubernetes.yaml").exists():
        raise Failure(f"render wrote nothing to {Path(out)}")
