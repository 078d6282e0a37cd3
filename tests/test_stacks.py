"""Every committed stack file, rendered by the real program, against the kustomize tree.

``tests/fixtures/kustomize/<stack>.yaml`` holds what the overlay deployed. The
differences below are the intended ones, each with its reason; anything else
that differs fails.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from portfolio.settings import validators
from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import parse_settings
from portfolio.settings.validators import image_digest
from portfolio.stack import split_config
from render import harness
from render.fakes import fake_address, stand_in_digest
from render.stackfile import load_stack
from tests.conftest import OVERLAY_STACKS, ROOT, STACKS, find, project, rendered_stack

FIXTURES = Path(__file__).parent / "fixtures" / "kustomize"
REPOSITORY = "gcp:artifactregistry/repository:Repository"
ADDRESS = "gcp:compute/address:Address"
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
OWNER = "prod"  # of the repository, the DNS zone and the ingress address

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


def google(stack: str) -> list[dict[str, Any]]:
    """Every Google resource the stack registers or reads, from resources.yaml."""
    return [
        r
        for r in yaml.safe_load_all(rendered_stack(stack).resources)
        if r["type"].startswith("gcp:")
    ]


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


def named(stack: str, type_: str) -> dict[str, dict[str, Any]]:
    """The stack's Google resources of one type, by their Google name."""
    return {r["inputs"]["name"]: r for r in google(stack) if r["type"] == type_}


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_the_cloud_sql_objects_are_native_resources_with_the_overlays_values(
    stack: str,
) -> None:
    docs = by_key(kustomize(stack))
    (sql,) = [d for k, d in docs.items() if k[0] == "SQLInstance"]
    instance = named(stack, "gcp:sql/databaseInstance:DatabaseInstance")[
        sql["metadata"]["name"]
    ]
    wanted = sql["spec"]
    inputs, settings = instance["inputs"], instance["inputs"]["settings"]
    assert inputs["databaseVersion"] == wanted["databaseVersion"]
    assert inputs["region"] == wanted["region"]
    for field in ("tier", "diskSize", "diskType", "backupConfiguration"):
        assert settings[field] == wanted["settings"][field], field
    assert settings["maintenanceWindow"] == wanted["settings"]["maintenanceWindow"]
    assert settings["availabilityType"] == wanted["settings"].get(
        "availabilityType", "ZONAL"
    )
    ip = wanted["settings"]["ipConfiguration"]
    # requireSsl: true is TRUSTED_CLIENT_CERTIFICATE_REQUIRED (Cloud SQL Admin API).
    assert ip["requireSsl"] is True
    assert settings["ipConfiguration"] == {
        "sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        "authorizedNetworks": ip["authorizedNetworks"],
    }
    # Config Connector's deletion-policy abandon becomes protection, twice over.
    assert sql["metadata"]["annotations"]["cnrm.cloud.google.com/deletion-policy"]
    assert inputs["deletionProtection"] and settings["deletionProtectionEnabled"]
    assert instance["options"]["protect"] is True

    (db,) = [d for k, d in docs.items() if k[0] == "SQLDatabase"]
    (user,) = [d for k, d in docs.items() if k[0] == "SQLUser"]
    database = named(stack, "gcp:sql/database:Database")[db["metadata"]["name"]]
    sql_user = named(stack, "gcp:sql/user:User")[user["metadata"]["name"]]
    assert database["inputs"]["charset"] == db["spec"]["charset"]
    assert database["inputs"]["collation"] == db["spec"]["collation"]
    # The overlays renamed the instance but not their references to it
    # (instanceRef portfolio-db-base); the program refers to the real one.
    assert db["spec"]["instanceRef"]["name"] == "portfolio-db-base"
    for child in (database, sql_user):
        assert child["inputs"]["instance"] == sql["metadata"]["name"]
    assert sql_user["inputs"]["password"] == "[secret]"


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_dns_records_point_at_the_managed_address_for_the_stacks_hosts(
    stack: str,
) -> None:
    overlay = [d for d in kustomize(stack) if d["kind"] == "DNSRecordSet"]
    records = named(stack, "gcp:dns/recordSet:RecordSet")
    (address,) = [r for r in google(stack) if r["type"] == ADDRESS]
    ip = fake_address("istio-gateway-ip")
    # The overlays' names (dev's and staging's are their own hosts already).
    assert sorted(records) == sorted(d["spec"]["name"] for d in overlay)
    assert sorted(records) == sorted(f"{h}." for h in HOSTS[stack])
    for record in overlay:
        mine = records[record["spec"]["name"]]["inputs"]
        assert (mine["type"], mine["ttl"]) == (record["spec"]["type"], 300)
        assert mine["managedZone"] == record["spec"]["managedZoneRef"]["name"]
        # Not the overlays' literal addresses (dev's was 0.0.0.0).
        assert mine["rrdatas"] == [ip] != record["spec"]["rrdatas"]
    if stack == OWNER:
        assert address["inputs"]["name"] == "istio-gateway-ip"
        assert address["options"]["protect"] is True
    else:  # read, never created
        assert address["options"] == {
            "id": f"projects/{PROJECT}/regions/us-central1/addresses/istio-gateway-ip"
        }


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_shared_objects_have_one_owner(stack: str) -> None:
    zone = named(stack, "gcp:dns/managedZone:ManagedZone")
    kinds = {(d["kind"], d["metadata"]["name"]) for d in ours(stack)}
    owns = stack == OWNER
    assert bool(zone) is owns
    assert (("Service", "istio-ingressgateway") in kinds) is owns
    if owns:
        (overlay_zone,) = [d for d in kustomize(stack) if d["kind"] == "DNSManagedZone"]
        inputs = zone["hugecat-net-zone"]["inputs"]
        assert inputs["dnsName"] == overlay_zone["spec"]["dnsName"]
        assert inputs["description"] == overlay_zone["spec"]["description"]
        assert inputs["visibility"] == overlay_zone["spec"]["visibility"]
        (patch,) = [
            d for d in ours(stack) if d["metadata"]["name"] == "istio-ingressgateway"
        ]
        assert patch["metadata"]["namespace"] == "istio-system"
        assert patch["spec"] == {"loadBalancerIP": fake_address("istio-gateway-ip")}


def test_every_overlay_object_is_accounted_for() -> None:
    # Each object is compared above, matched to a Google resource, or listed
    # with its reason: nothing kustomize deployed is silently dropped.
    compared = {"SQLInstance", "SQLDatabase", "SQLUser", "DNSRecordSet"}
    for stack in OVERLAY_STACKS:
        for doc in yaml.safe_load_all((FIXTURES / f"{stack}.yaml").read_text()):
            accounted = (
                key(doc) in NOT_OURS
                or key(doc) in SHARED
                or doc["kind"] in compared
                or not is_config_connector(doc)
            )
            assert accounted, (stack, key(doc))


def test_every_overlay_has_its_stack_and_its_kustomize_build(
    committed_stacks: list[str],
) -> None:
    # Parity is checked for the three stacks the overlays had, and only them: a
    # stack added later has no overlay and needs no kustomize fixture.
    assert {f"Pulumi.{s}.yaml" for s in OVERLAY_STACKS} <= set(committed_stacks)
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(OVERLAY_STACKS)


@pytest.mark.parametrize("stack", STACKS)
def test_namespace_is_the_stack_name(stack: str) -> None:
    docs = ours(stack)
    namespace = find(docs, "Namespace", stack)
    assert namespace["metadata"]["labels"] == {"env": stack, **POD_SECURITY}
    assert namespace["metadata"]["annotations"] == {
        "cnrm.cloud.google.com/project-id": "kame-457417"
    }
    # Only the certificate and the owner's gateway pin live in the ingress
    # gateway's namespace.
    elsewhere = {key(d) for d in docs if d["metadata"].get("namespace", stack) != stack}
    assert {d["metadata"].get("namespace", stack) for d in docs} == {
        stack,
        "istio-system",
    }
    assert elsewhere == {("Certificate", stack_settings(stack).tls_certificate)} | (
        {("Service", "istio-ingressgateway")} if stack == OWNER else set()
    )


@pytest.mark.parametrize("stack", STACKS)
def test_stack_file_sets_the_provider_settings(stack: str) -> None:
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    providers = {k: v for k, v in config.items() if not k.startswith("portfolio:")}
    assert set(providers) == {"gcp:project", "gcp:region", "kubernetes:context"}
    assert config["gcp:project"] == "kame-457417"
    assert config["gcp:region"] == "us-central1"
    assert config["kubernetes:context"].startswith("gke_kame-457417_")


@pytest.mark.parametrize("stack", STACKS)
def test_stack_files_keep_no_secret_at_all(stack: str) -> None:
    # A fresh stack deploys without `pulumi config set --secret`: the program
    # generates what the overlays kept by hand.
    text = (ROOT / f"Pulumi.{stack}.yaml").read_text()
    assert "secure:" not in text
    assert "change-me" not in text


def stack_settings(stack: str) -> PortfolioSettings:
    checked = load_stack(project(), ROOT / f"Pulumi.{stack}.yaml")
    return parse_settings(stack, *split_config(checked.config))


def test_exactly_one_committed_stack_owns_the_repository() -> None:
    owners = [s for s in STACKS if stack_settings(s).owns_registry]
    assert owners == ["prod"]
    for stack in STACKS:
        resources = yaml.safe_load_all(rendered_stack(stack).resources)
        repositories = [r for r in resources if r["type"] == REPOSITORY]
        assert len(repositories) == (stack in owners), stack


def running_digest(stack: str) -> str:
    docs = ours(stack)
    (app,) = find(docs, "Deployment", "portfolio")["spec"]["template"]["spec"][
        "containers"
    ]
    digest = image_digest(app["image"])
    assert digest is not None, f"{stack} runs a plain tag"
    return digest


def test_the_owner_keeps_the_digest_every_committed_stack_runs() -> None:
    # Each stack's rendered Deployment runs a digest; the owner's rendered
    # cleanup policies keep every one of them by name.
    (owner,) = [s for s in STACKS if stack_settings(s).owns_registry]
    resources = yaml.safe_load_all(rendered_stack(owner).resources)
    (repository,) = [r for r in resources if r["type"] == REPOSITORY]
    policies = {p["id"]: p for p in repository["inputs"]["cleanupPolicies"]}
    kept = policies["keep-pinned-digests"]["condition"]["versionNamePrefixes"]
    assert {running_digest(stack) for stack in STACKS} <= set(kept)
    # The overlays' stacks are listed; a stack added later is listed once it
    # has been deployed (docs/delivery.md, "Add a stack").
    consumers = set(stack_settings(owner).registry_consumer_stacks)
    assert set(OVERLAY_STACKS) - {owner} <= consumers <= set(STACKS) - {owner}


@pytest.mark.parametrize("stack", STACKS)
def test_resources_yaml_shows_every_google_resource(stack: str) -> None:
    resources = list(yaml.safe_load_all(rendered_stack(stack).resources))
    google = sorted(r["type"] for r in resources if r["type"].startswith("gcp:"))
    expected = sorted(
        [
            "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
            "gcp:projects/iAMMember:IAMMember",
            "gcp:serviceaccount/account:Account",
            "gcp:serviceaccount/account:Account",
            "gcp:serviceaccount/iAMMember:IAMMember",
            "gcp:serviceaccount/key:Key",
            "gcp:sql/databaseInstance:DatabaseInstance",
            "gcp:sql/database:Database",
            "gcp:sql/user:User",
            ADDRESS,  # created by the owner, read by the others
        ]
        + ["gcp:dns/recordSet:RecordSet"] * len(stack_settings(stack).hosts)
        + ([REPOSITORY, "gcp:dns/managedZone:ManagedZone"] if stack == OWNER else [])
    )
    assert google == expected


@pytest.mark.parametrize("stack", STACKS)
def test_stack_outputs_name_what_other_tools_need(stack: str) -> None:
    checked = load_stack(project(), ROOT / f"Pulumi.{stack}.yaml")
    outputs = harness.run_program(ROOT / "__main__.py", project(), checked).outputs
    repository = "us-central1-docker.pkg.dev/kame-457417/kame-house-images"
    accounts = "kame-457417.iam.gserviceaccount.com"
    digest = stand_in_digest(f"{repository}/portfolio:latest")
    assert outputs == {
        "namespace": stack,
        "deploymentName": "portfolio",
        "serviceName": "portfolio",
        "image": f"{repository}/portfolio@{digest}",
        "imageDigest": digest,
        "repositoryUrl": repository,
        "pullServiceAccount": f"portfolio-pull-{stack}@{accounts}",
        "proxyServiceAccount": f"portfolio-sql-{stack}@{accounts}",
        "sqlConnectionName": f"{PROJECT}:us-central1:portfolio-{stack}-db",
        "ingressAddress": fake_address("istio-gateway-ip"),
        "url": f"https://{stack_settings(stack).host}",
    }
