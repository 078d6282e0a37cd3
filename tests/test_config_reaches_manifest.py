"""Every ``portfolio:*`` key reaches the manifest field it is documented to set.

One table maps each key to the field it sets. Two checks use it: a changed
value of every key changes its field (so no key is silently ignored or
hard-coded), here; and each committed stack's own values appear in its
manifests, in ``test_config_committed_stacks.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from portfolio.workload.pod_specs import RESTARTED_AT
from render.fakes import STACK_REFERENCE, stand_in_digest
from render.harness import Registration
from tests.conftest import make_settings, plain, project, run_component

Docs = list[dict[str, Any]]


def docs_of(regs: list[Registration]) -> Docs:
    """Kubernetes objects as they are; other resources as {kind: type, inputs}.

    Each also carries its resource options under ``options``.
    """
    return [
        {**plain(r.inputs), "options": r.options}
        if r.type.startswith("kubernetes:")
        else {
            "kind": r.type,
            "metadata": {"name": r.name},
            "inputs": plain(r.inputs),
            "options": r.options,
        }
        for r in regs
    ]


REPOSITORY = "gcp:artifactregistry/repository:Repository"
KEY = "gcp:serviceaccount/key:Key"
PASSWORD = "random:index/randomPassword:RandomPassword"
SQL_INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
SQL_DATABASE = "gcp:sql/database:Database"
SQL_USER = "gcp:sql/user:User"
ZONE = "gcp:dns/managedZone:ManagedZone"
RECORD = "gcp:dns/recordSet:RecordSet"
ADDRESS = "gcp:compute/address:Address"


def kinds(docs: Docs) -> set[str]:
    return {d["kind"] for d in docs}


def policy(docs: Docs, policy_id: str) -> dict[str, Any]:
    """A cleanup policy of the repository; {} when the repository has none such."""
    if REPOSITORY not in kinds(docs):
        return {}
    policies = obj(docs, REPOSITORY)["inputs"]["cleanupPolicies"]
    return next((p for p in policies if p["id"] == policy_id), {})


def obj(docs: Docs, kind: str, name: str | None = None) -> dict[str, Any]:
    (match,) = [
        d
        for d in docs
        if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]
    return match


def pod(docs: Docs) -> dict[str, Any]:
    return dict(obj(docs, "Deployment")["spec"]["template"]["spec"])


def app(docs: Docs) -> dict[str, Any]:
    return dict(pod(docs)["containers"][0])


def sql(docs: Docs) -> dict[str, Any]:
    """The Cloud SQL instance's settings block."""
    return dict(obj(docs, SQL_INSTANCE)["inputs"]["settings"])


def service_names(docs: Docs) -> set[str]:
    """Names of the Services the stack manages (its own and the gateway patch)."""
    return {d["metadata"]["name"] for d in docs if d["kind"] == "Service"}


def proxy(docs: Docs) -> dict[str, Any]:
    return dict(pod(docs)["initContainers"][0])


def probe(which: str, of: Callable[[Docs], Any] = app) -> Callable[[Docs], Any]:
    return lambda d: {k: v for k, v in of(d)[which].items() if k != "httpGet"}


def resolved(reference: str) -> str:
    """What the fake registry resolves ``…/NAME:TAG`` to."""
    return f"{reference.rpartition(':')[0]}@{stand_in_digest(reference)}"


def kept(docs: Docs) -> set[str]:
    condition = policy(docs, "keep-pinned-digests").get("condition", {})
    return set(condition.get("versionNamePrefixes", []))


def proxy_health(docs: Docs) -> tuple[str, int, int]:
    sidecar = proxy(docs)
    (flag,) = [a for a in sidecar["args"] if a.startswith("--http-port=")]
    ports = [sidecar[p]["httpGet"]["port"] for p in ("startupProbe", "livenessProbe")]
    return flag, ports[0], ports[1]


def template_annotations(docs: Docs) -> dict[str, str]:
    return dict(obj(docs, "Deployment")["spec"]["template"]["metadata"]["annotations"])


def pairs(values: list[str]) -> dict[str, Any]:
    return dict(item.split("=", 1) for item in values)


def int_pairs(values: list[str]) -> dict[str, int]:
    return {k: int(v) for k, v in pairs(values).items()}


def secret(name: str, key: str) -> Callable[[Docs], Any]:
    return lambda d: obj(d, "Secret", name)["stringData"][key]


def same(value: Any) -> Any:
    return value


class Field(NamedTuple):
    """Where a key lands, a different value to try, and its manifest form."""

    extract: Callable[[Docs], Any]
    changed: Any
    manifest: Callable[[Any], Any] = same
    together: dict[str, Any] = {}  # noqa: RUF012 - read only
    """Other keys the changed value needs (adopting needs the live password)."""


FIELDS: dict[str, Field] = {
    "image": Field(
        lambda d: app(d)["image"],
        "europe-west1-docker.pkg.dev/other-project/other-repo/app:v2",
        resolved,
    ),
    "pinImageDigest": Field(
        lambda d: app(d)["image"],
        False,
        lambda v: (
            "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio:latest"
        ),
    ),
    "replicas": Field(lambda d: obj(d, "Deployment")["spec"]["replicas"], 3),
    "cpuRequest": Field(lambda d: app(d)["resources"]["requests"]["cpu"], "75m"),
    "memoryRequest": Field(
        lambda d: app(d)["resources"]["requests"]["memory"], "200Mi"
    ),
    "cpuLimit": Field(lambda d: app(d)["resources"]["limits"]["cpu"], "750m"),
    "memoryLimit": Field(lambda d: app(d)["resources"]["limits"]["memory"], "768Mi"),
    "restartedAt": Field(
        lambda d: template_annotations(d).get(RESTARTED_AT),
        "2026-11-23T10:00:00Z",
    ),
    "nodeEnv": Field(lambda d: obj(d, "ConfigMap")["data"]["NODE_ENV"], "test"),
    "nextauthSecret": Field(
        secret("portfolio-secrets", "NEXTAUTH_SECRET"), "FAKE-changed-nextauth"
    ),
    "nextauthSecretRotation": Field(
        lambda d: obj(d, PASSWORD, "portfolio-nextauth-secret")["inputs"]["keepers"][
            "rotation"
        ],
        "2027-01",
    ),
    "databasePassword": Field(
        lambda d: obj(d, SQL_USER)["inputs"]["password"], "FAKE-carried-password"
    ),
    "sqlInstanceName": Field(
        lambda d: obj(d, SQL_INSTANCE)["inputs"]["name"], "portfolio-other-db"
    ),
    "sqlDatabaseName": Field(
        lambda d: obj(d, SQL_DATABASE)["inputs"]["name"], "other-database"
    ),
    "sqlUserName": Field(lambda d: obj(d, SQL_USER)["inputs"]["name"], "other-user"),
    "sqlTier": Field(lambda d: sql(d)["tier"], "db-custom-1-3840"),
    "sqlDiskSize": Field(lambda d: sql(d)["diskSize"], 20),
    "sqlDiskType": Field(lambda d: sql(d)["diskType"], "PD_SSD"),
    "sqlAvailabilityType": Field(lambda d: sql(d)["availabilityType"], "REGIONAL"),
    "host": Field(
        lambda d: obj(d, "ConfigMap")["data"]["NEXTAUTH_URL"],
        "portfolio.x.hugecat.net",
        lambda v: f"https://{v}",
    ),
    "redirectHosts": Field(
        lambda d: obj(d, "VirtualService")["spec"]["hosts"][1:], ["x.hugecat.net"]
    ),
    "dnsZoneOwnerStack": Field(lambda d: ZONE in kinds(d), "dev", lambda v: False),
    "ingressAddressOwnerStack": Field(
        lambda d: service_names(d) >= {"istio-ingressgateway"}, "dev", lambda v: False
    ),
    "tlsCertificateName": Field(
        lambda d: obj(d, "Gateway")["spec"]["servers"][1]["tls"]["credentialName"],
        "other-tls",
    ),
    "registryOwnerStack": Field(
        lambda d: REPOSITORY in kinds(d), "dev", lambda v: False
    ),
    "registryConsumerStacks": Field(
        lambda d: sorted(
            doc["inputs"]["name"] for doc in d if doc["kind"] == STACK_REFERENCE
        ),
        ["staging"],
        lambda v: [f"organization/portfolio/{stack}" for stack in v],
    ),
    "pullKeyRotation": Field(
        lambda d: obj(d, KEY)["inputs"]["keepers"]["rotation"], "2027-01"
    ),
    "zoneSpread": Field(lambda d: "topologySpreadConstraints" in pod(d), True),
    "hostAntiAffinity": Field(lambda d: "affinity" in pod(d), True),
    "environmentLabels": Field(
        lambda d: obj(d, "Namespace")["metadata"]["labels"], ["env=qa"], pairs
    ),
    "namespaceAnnotations": Field(
        lambda d: obj(d, "Namespace")["metadata"]["annotations"], ["note=x"], pairs
    ),
    "protectNamespace": Field(
        lambda d: obj(d, "Namespace")["options"].get("protect", False), True
    ),
    "adopt": Field(
        lambda d: obj(d, "pulumi:providers:kubernetes")["inputs"].get(
            "enablePatchForce"
        ),
        True,
        lambda v: str(v).lower(),  # provider inputs reach the engine as strings
        together={"databasePassword": "FAKE-live-password"},
    ),
}


def matches(actual: Any, expected: Any) -> bool:
    """Maps and sets are merged with others (labels, kept digests): a subset."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.items() <= actual.items()
    if isinstance(expected, set) and isinstance(actual, set):
        return expected <= actual
    return bool(actual == expected)


def test_table_covers_every_declared_key() -> None:
    assert sorted(FIELDS) == sorted(project().declarations)


@functools.cache
def prod_docs() -> Docs:
    """The owner stack with every default: what each changed value differs from."""
    return docs_of(run_component(make_settings("prod")))


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_changed_value_reaches_its_field(key: str) -> None:
    field = FIELDS[key]
    # As the owner stack, so that the repository's settings are in play too.
    before = field.extract(prod_docs())
    changed = {key: field.changed, **field.together}
    docs = docs_of(run_component(make_settings("prod", **changed)))
    assert matches(field.extract(docs), field.manifest(field.changed))
    assert not matches(before, field.manifest(field.changed)), "sample equals default"
