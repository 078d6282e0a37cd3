"""The adopt scenario's pieces: the cluster as Flux left it, and the checks.

``seed`` applies each overlay of the seed's kustomize tree as Flux's
kustomize-controller does (``kubectl kustomize``, then server-side apply under
its field manager), without the Config Connector objects, and adds the
hand-made ``regcred``. The checks read the preview's steps and the stack's
exported state.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from e2e.harness import Failure, Result, Run
from e2e.standin import registry
from e2e.workspace import ROOT

# The seed's kustomize tree: ../shared/reference beside the clone (as CI lays
# it out), or wherever E2E_KUSTOMIZE_TREE points.
KUSTOMIZE_TREE = Path(
    os.environ.get(
        "E2E_KUSTOMIZE_TREE",
        ROOT.parent / "shared" / "reference" / "kustomize-portfolio-k8s",
    )
)
OVERLAYS = KUSTOMIZE_TREE / "apps" / "portfolio" / "overlays"
APP_IMAGE = "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio"
FLUX_MANAGER = "kustomize-controller"
CONFIG_CONNECTOR = "cnrm.cloud.google.com"
# kustomize's generator suffix: a dash and ten characters of its alphabet.
HASHED = re.compile(r"-[bcdfghkmt2-9]{10}$")
# The runbook's step 4 (docs/migration.md): whose field managers are handed over.
RESET_KINDS = (
    "Deployment", "ServiceAccount", "Service", "NetworkPolicy", "Gateway",
    "VirtualService", "AuthorizationPolicy",
)  # fmt: skip
GATEWAY_COPY = "istio-ingressgateway"
# Google resources each stack imports (the owner also the shared three).
GOOGLE_IMPORTS = (
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:sql/database:Database",
    "gcp:sql/user:User",
    "gcp:dns/recordSet:RecordSet",
)
OWNER_IMPORTS = (
    "gcp:artifactregistry/repository:Repository",
    "gcp:dns/managedZone:ManagedZone",
    "gcp:compute/address:Address",
)
# A fake credential, obviously: regcred as a person made it with kubectl.
FAKE_KEY = '{"type": "service_account", "private_key": "FAKE-not-a-key"}'


def resource_arg(obj: dict[str, Any]) -> str:
    """``Kind.version.group``, as kubectl names one exact resource."""
    group, _, version = obj["apiVersion"].rpartition("/")
    return f"{obj['kind']}.{version}.{group}"


def object_id(obj: dict[str, Any]) -> str:
    """The provider's ID of an object: ``namespace/name`` or ``name``."""
    meta = obj["metadata"]
    ns = meta.get("namespace")
    return f"{ns}/{meta['name']}" if ns else str(meta["name"])


def _kustomize(run: Run, overlay: Path) -> list[dict[str, Any]]:
    if not overlay.is_dir():
        raise Failure(
            f"no kustomize overlay at {overlay}: put shared/ beside the clone "
            "or set E2E_KUSTOMIZE_TREE to the seed's kustomize-portfolio-k8s"
        )
    docs = yaml.safe_load_all(run.kubectl("kustomize", str(overlay)))
    return [
        d for d in docs
        if d and not d["apiVersion"].split("/")[0].endswith(CONFIG_CONNECTOR)
    ]  # fmt: skip


def _apply(run: Run, docs: list[dict[str, Any]], *manager: str) -> None:
    proc = run.kubectl_cmd(
        "apply", "--server-side", *manager, "-f", "-",
        input=yaml.safe_dump_all(docs), check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise Failure(f"seeding: kubectl apply: {proc.stderr.strip()[-400:]}")


def seed(run: Run, stacks: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """Every overlay applied as Flux applies it, then ``regcred``; the objects."""
    if not any(t.image == APP_IMAGE for t in registry.tags(run.standin.registry)):
        run.standin.push(f"{APP_IMAGE}:latest")  # `adopt` run on its own
    applied: dict[str, list[dict[str, Any]]] = {}
    for stack in stacks:
        docs = _kustomize(run, OVERLAYS / stack)
        if not any(d["kind"] == "Namespace" for d in docs):
            # The dev and staging overlays never list their namespace.yaml, so
            # Flux never applied it: the Namespace was made beforehand, here by
            # a person with kubectl from that file.
            namespace = yaml.safe_load(
                (OVERLAYS / stack / "namespace.yaml").read_text()
            )
            _apply(run, [namespace])
            docs.insert(0, namespace)
        _apply(run, docs, f"--field-manager={FLUX_MANAGER}")
        run.kubectl(
            "create", "secret", "docker-registry", "regcred", "-n", stack,
            "--docker-server=us-central1-docker.pkg.dev",
            "--docker-username=_json_key", f"--docker-password={FAKE_KEY}",
            "--docker-email=portfolio-pull@example.invalid",
        )  # fmt: skip
        applied[stack] = docs
    return applied


def hand_over(run: Run, obj: dict[str, Any]) -> None:
    """Step 4: Flux's field manager renamed to one the provider takes over.

    Resetting ``managedFields`` to ``[{}]`` instead leaves an object
    with no managers at all; the API server then gives every existing field to
    ``before-first-apply`` at the provider's first apply, and the provider
    merges that manager into its own only when the object lists managers
    (``fixCSAFieldManagers`` returns early on none: pulumi-kubernetes
    ``provider/pkg/await/await.go``), so Flux's old ``cloudsql-proxy``
    container stays beside the native sidecar and the API refuses the
    Deployment. Renamed to ``kubectl`` (still ``Apply``), the entry is one the
    provider merges into its own (its list: ``kubectl`` Apply and Update,
    ``before-first-apply`` Update), so what the program leaves out is removed.
    """
    meta = obj["metadata"]
    where = ["-n", meta["namespace"], resource_arg(obj), meta["name"]]
    live = json.loads(run.kubectl("get", *where, "-o", "json", "--show-managed-fields"))
    for index, entry in enumerate(live["metadata"].get("managedFields") or []):
        if entry.get("manager") == FLUX_MANAGER and not entry.get("subresource"):
            path = f"/metadata/managedFields/{index}/manager"
            patch = [
                {"op": "test", "path": path, "value": FLUX_MANAGER},
                {"op": "replace", "path": path, "value": "kubectl"},
            ]
            run.kubectl("patch", *where, "--type=json", "-p", json.dumps(patch))


def live_password(run: Run, stack: str) -> str:
    """Step 2: the password in the hash-named ``portfolio-db-password-<hash>``."""
    names = run.kubectl("-n", stack, "get", "secret", "-o", "name").split()
    found = [n for n in names if n.startswith("secret/portfolio-db-password-")]
    if len(found) != 1:
        raise Failure(f"{stack}: portfolio-db-password-<hash> secrets: {found}")
    data = run.kubectl(
        "-n", stack, "get", found[0], "-o", "jsonpath={.data.password}"
    )  # fmt: skip
    return base64.b64decode(data).decode()


def adopted(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the program takes over of the overlay's objects (docs/migration.md)."""
    return [
        o for o in objects
        if not (o["kind"] in ("ConfigMap", "Secret") and HASHED.search(
            o["metadata"]["name"]))
        and o["kind"] != "Certificate"  # the program's lives in istio-system
        and o["metadata"]["name"] != GATEWAY_COPY  # deleted in step 4
    ]  # fmt: skip


BAD_OPS = ("replace", "delete", "discard")


def check_preview(stack: str, result: Result) -> dict[str, int]:
    """Step 5: imports, updates and creates only; the count of each op."""
    if not result.ok:
        raise Failure(f"{stack}: adopt preview failed: {result.error[-700:]}")
    counts: dict[str, int] = {}
    for step in result.steps:
        counts[step["op"]] = counts.get(step["op"], 0) + 1
    bad = [s for s in result.steps if any(b in s["op"] for b in BAD_OPS)]
    if bad:
        shown = "; ".join(f"{s['op']} {s['urn'].rsplit('::', 1)[-1]}" for s in bad)
        raise Failure(f"{stack}: adopt preview would {shown[:600]}")
    return counts


def updates(result: Result) -> list[str]:
    """What the steps other than creates change: ``op name [keys]``."""
    return [
        f"{s['op']} {s['urn'].rsplit('::', 1)[-1]} {s['diffs']}"
        for s in result.changed()
        if s["op"] != "create"
    ]


def state(run: Run, stack: str) -> list[dict[str, Any]]:
    """``pulumi stack export``'s resources (the export is kept beside the run)."""
    text = run.ws.cli("stack", "export", "--stack", stack).stdout
    (run.ws.run_dir / f"{stack}-state.json").write_text(text)
    return list(json.loads(text)["deployment"]["resources"])


def check_imported(
    stack: str, resources: list[dict[str, Any]], objects: list[dict[str, Any]]
) -> list[str]:
    """Step 6: each adopted object imported and protected; the imported URNs."""
    imported = [r for r in resources if r.get("importID")]
    unprotected = [
        r["urn"].rsplit("::", 1)[-1] for r in imported if not r.get("protect")
    ]
    if unprotected:
        raise Failure(f"{stack}: imported but not protected: {unprotected}")
    by_kind = {(r["type"].rsplit(":", 1)[-1], r.get("id")) for r in imported}
    wanted = [*adopted(objects), {"kind": "Secret", "metadata": {
        "name": "regcred", "namespace": stack}}]  # fmt: skip
    missing = [
        f"{o['kind']} {object_id(o)}" for o in wanted
        if (o["kind"], object_id(o)) not in by_kind
    ]  # fmt: skip
    types = {r["type"] for r in imported}
    google = [*GOOGLE_IMPORTS, *(OWNER_IMPORTS if stack == "prod" else ())]
    missing += [t for t in google if t not in types]
    if missing:
        raise Failure(f"{stack}: not imported into the state: {missing}")
    return sorted(f"{r['type']} {r['importID']}" for r in imported)


def check_adopt_off(stack: str, result: Result) -> list[str]:
    """Step 7: ``up`` without adoption changes the kubernetes provider only."""
    if not result.ok:
        raise Failure(f"{stack}: up without adopt failed: {result.error[-700:]}")
    shown = [f"{s['op']} {s['type']} {s['diffs']}" for s in result.changed()]
    others = [s for s in result.changed() if s["type"] != "pulumi:providers:kubernetes"]
    if others:
        raise Failure(f"{stack}: up without adopt changed {result.summary()}")
    return shown
