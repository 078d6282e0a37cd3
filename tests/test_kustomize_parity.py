"""Each stack the overlays had, rendered by the program, against its kustomize build.

``tests/fixtures/kustomize/<stack>.yaml`` holds what the overlay deployed; its
Kubernetes objects are compared field by field with the stack's. The
differences below are the intended ones, each with its reason; anything else
that differs fails. The Config Connector objects are compared with the Google
resources that replace them in ``test_kustomize_google.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from portfolio.settings import validators
from render.fakes import stand_in_digest
from tests.conftest import OVERLAY_STACKS, rendered_stack

FIXTURES = Path(__file__).parent / "fixtures" / "kustomize"
PROJECT = "kame-457417"
# Each stack's hosts: prod keeps its names; dev and staging get their own
# (the overlays served prod's names in every namespace).
HOSTS = {
    "dev": ["portfolio.dev.hugecat.net"],
    "staging": ["portfolio.staging.hugecat.net"],
    "prod": ["portfolio.hugecat.net", "hugecat.net", "www.hugecat.net"],
}
TLS_SECRETS = {
    "dev": "portfolio-dev-tls-cert",
    "staging": "portfolio-staging-tls-cert",
    "prod": "portfolio-tls-cert",
}

# Objects kustomize rendered that the program does not make, and why.
NOT_OURS = {
    # The hand-kept password Config Connector's SQLUser read; the password is
    # now generated and lives only in Pulumi state and DATABASE_URL.
    ("Secret", "portfolio-db-password"),
    # Superseded by each stack's Workload Identity proxy account: no key, no
    # project-wide policy that replaces every other binding of the role.
    ("IAMServiceAccount", "portfolio-cloudsql-sa"),
    ("IAMServiceAccountKey", "portfolio-cloudsql-key"),
    ("IAMPolicy", "portfolio-cloudsql-policy"),
}
# Objects of every overlay that belong to one stack only (kustomize's
# `namespace:` copied them into each): the owner manages them, once.
SHARED = {
    ("DNSManagedZone", "hugecat-net-zone"),
    ("ComputeAddress", "istio-gateway-ip"),
    ("Service", "istio-ingressgateway"),
}
# Kubernetes objects the program adds, and why.
ADDED = {
    # Made by hand with kubectl before; now owned by the program.
    ("Secret", "regcred"),
    # dev and staging never listed their namespace.yaml; every stack owns its own.
    ("Namespace", "dev"),
    ("Namespace", "staging"),
}
CONFIG_CONNECTOR = ".cnrm.cloud.google.com/"
POD_SECURITY = {
    f"pod-security.kubernetes.io/{mode}": "restricted"
    for mode in ("enforce", "audit", "warn")
}


def ours(stack: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all(rendered_stack(stack).kubernetes))


def kustomize(stack: str) -> list[dict[str, Any]]:
    docs = yaml.safe_load_all((FIXTURES / f"{stack}.yaml").read_text())
    return [d for d in docs if key(d) not in NOT_OURS]


def key(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]


def is_config_connector(doc: dict[str, Any]) -> bool:
    return CONFIG_CONNECTOR in f"{doc['apiVersion']}/"


def comparable_ours(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    if doc["kind"] == "Secret":
        # Values are secrets (redacted); kustomize wrote `data`, we `stringData`.
        doc["data"] = dict.fromkeys(doc.pop("stringData"), "<value not kept>")
    if doc["kind"] == "Deployment":
        undo_intended_deployment_changes(doc)
    return doc


def undo_intended_deployment_changes(doc: dict[str, Any]) -> None:
    """Check each intended change to the Deployment, then put the base's back."""
    spec = doc["spec"]
    # Added: the checksums that roll pods, as kustomize's hashed names did.
    annotations = spec["template"]["metadata"]["annotations"]
    assert set(annotations) >= {"checksum/config", "checksum/secrets"}
    del annotations["checksum/config"], annotations["checksum/secrets"]
    # Added: safe rollouts, one surge pod and none unavailable.
    assert spec.pop("strategy") == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    assert spec.pop("minReadySeconds") == 10
    pod = spec["template"]["spec"]
    assert pod.pop("terminationGracePeriodSeconds") == 45
    (app,) = pod["containers"]
    # Changed: the tag's digest, resolved at deploy time (stand-in offline).
    name, _, digest = app["image"].partition("@")
    assert digest == stand_in_digest(f"{name}:latest")
    app["image"] = f"{name}:latest"
    # Added: a pause before SIGTERM while endpoints drain.
    assert app.pop("lifecycle") == {"preStop": {"sleep": {"seconds": 10}}}
    # Changed: the proxy is a native sidecar with health checks and probes.
    (proxy,) = pod.pop("initContainers")
    assert proxy.pop("restartPolicy") == "Always"
    assert proxy.pop("startupProbe")["httpGet"] == {"path": "/startup", "port": 9090}
    assert proxy.pop("livenessProbe")["httpGet"] == {"path": "/liveness", "port": 9090}
    added = ["--health-check", "--http-address=0.0.0.0", "--http-port=9090"]
    added.append("--exit-zero-on-sigterm")
    assert proxy["args"][2:-1] == added
    proxy["args"] = [arg for arg in proxy["args"] if arg not in added]
    # Changed: the proxy's tag pinned by its digest.
    name, _, digest = proxy["image"].partition("@")
    assert validators.sha256_digest(digest) and name.endswith(":2.8.0")
    proxy["image"] = name
    undo_hardening(doc, app, proxy)
    pod["containers"].append(proxy)


def undo_hardening(
    doc: dict[str, Any], app: dict[str, Any], proxy: dict[str, Any]
) -> None:
    """Check Pod Security "restricted" and checkov's fixes, then undo them."""
    pod = doc["spec"]["template"]["spec"]
    # Added: no API token, writable emptyDirs only, a group for the volumes.
    assert pod.pop("automountServiceAccountToken") is False
    assert pod["securityContext"].pop("fsGroup") == 10001
    volumes = pod.pop("volumes")
    assert [v["emptyDir"] for v in volumes] == [{}, {}]
    assert [m["mountPath"] for m in app.pop("volumeMounts")] == [
        "/tmp",
        "/app/.next/cache",
    ]
    # Changed: high UIDs (the base's app ran as 1001, the proxy as its image's
    # 65532), read-only roots, each container's own group.
    for container, uid in ((app, 10001), (proxy, 65532)):
        context = container["securityContext"]
        assert context.pop("readOnlyRootFilesystem") is True
        assert context.pop("runAsGroup") == uid
        assert context.pop("runAsUser") == uid
    app["securityContext"]["runAsUser"] = 1001
    # Added: the one checkov check the app cannot meet, skipped with its reason.
    assert (
        doc["metadata"]["annotations"].pop("checkov.io/skip1").startswith("CKV_K8S_35=")
    )


def hand_over_from_flux(doc: dict[str, Any]) -> None:
    """Pulumi, not Flux, manages every object: its labels and annotations say so."""
    for meta in (
        doc["metadata"],
        doc.get("spec", {}).get("template", {}).get("metadata", {}),
    ):
        labels, annotations = meta.get("labels", {}), meta.get("annotations", {})
        if labels.get("app.kubernetes.io/managed-by") == "flux":
            labels["app.kubernetes.io/managed-by"] = "pulumi"
        if annotations.pop("fluxcd.io/automated", None) is not None and not annotations:
            del meta["annotations"]


def expected_from_kustomize(stack: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The overlay's object with each intended difference applied."""
    doc = copy.deepcopy(doc)
    hand_over_from_flux(doc)
    fix = INTENDED.get(doc["kind"])
    if fix:
        fix(stack, doc)
    return doc


def _service_account(stack: str, doc: dict[str, Any]) -> None:
    # The base shipped a placeholder; each stack now has its own proxy account.
    doc["metadata"]["annotations"]["iam.gke.io/gcp-service-account"] = (
        f"portfolio-sql-{stack}@{PROJECT}.iam.gserviceaccount.com"
    )
    # Its pods mount no API token (Workload Identity needs none).
    doc["automountServiceAccountToken"] = False


def _namespace(stack: str, doc: dict[str, Any]) -> None:
    # Pod Security "restricted", enforced, audited and warned about.
    doc["metadata"]["labels"].update(POD_SECURITY)


def _config_map(stack: str, doc: dict[str, Any]) -> None:
    # The connection name is the instance's own (the base wrote PROJECT_ID);
    # NEXTAUTH_URL is the stack's host (dev and staging had example.com).
    data = doc["data"]
    data["CLOUD_SQL_CONNECTION_NAME"] = data["CLOUD_SQL_CONNECTION_NAME"].replace(
        "PROJECT_ID", PROJECT
    )
    data["NEXTAUTH_URL"] = f"https://{HOSTS[stack][0]}"


def _gateway(stack: str, doc: dict[str, Any]) -> None:
    # The stack's own hosts, and its own certificate.
    for server in doc["spec"]["servers"]:
        server["hosts"] = HOSTS[stack]
        if "tls" in server:
            server["tls"]["credentialName"] = TLS_SECRETS[stack]


def _virtual_service(stack: str, doc: dict[str, Any]) -> None:
    # The stack's own hosts, redirects only for the names it serves, and the
    # Service's real cluster name (the base's portfolio.svc.cluster.local
    # named a namespace "svc").
    spec = doc["spec"]
    spec["hosts"] = HOSTS[stack]
    spec["http"] = [
        rule
        for rule in spec["http"]
        if "redirect" not in rule
        or rule["match"][0]["headers"]["host"]["exact"] in HOSTS[stack]
    ]
    route = spec["http"][-1]["route"][0]["destination"]
    assert route["host"] == "portfolio.svc.cluster.local"
    route["host"] = f"portfolio.{stack}.svc.cluster.local"


def _certificate(stack: str, doc: dict[str, Any]) -> None:
    # In the ingress gateway's namespace, where Istio reads credentialName,
    # named per stack, for the stack's hosts.
    doc["metadata"]["namespace"] = "istio-system"
    doc["metadata"]["name"] = doc["spec"]["secretName"] = TLS_SECRETS[stack]
    doc["spec"]["dnsNames"] = HOSTS[stack]


INTENDED: dict[str, Callable[[str, dict[str, Any]], None]] = {
    "ServiceAccount": _service_account,
    "Namespace": _namespace,
    "ConfigMap": _config_map,
    "Gateway": _gateway,
    "VirtualService": _virtual_service,
    "Certificate": _certificate,
}


def by_key(docs: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {key(d): d for d in docs}


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_stack_deploys_what_its_overlay_deployed(stack: str) -> None:
    theirs = [
        expected_from_kustomize(stack, d)
        for d in kustomize(stack)
        if not is_config_connector(d) and key(d) not in SHARED
    ]
    mine = by_key(ours(stack))
    expected = by_key(theirs)
    shared_here = {k for k in mine if k in SHARED}
    assert set(expected) <= set(mine), "an overlay object is missing"
    assert set(mine) - set(expected) - shared_here <= ADDED, "an unexplained object"
    for object_key, wanted in expected.items():
        assert comparable_ours(mine[object_key]) == wanted, f"{stack}: {object_key}"


def test_every_overlay_has_its_stack_and_its_kustomize_build(
    committed_stacks: list[str],
) -> None:
    # Parity is checked for the three stacks the overlays had, and only them: a
    # stack added later has no overlay and needs no kustomize fixture.
    assert {f"Pulumi.{s}.yaml" for s in OVERLAY_STACKS} <= set(committed_stacks)
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(OVERLAY_STACKS)
