"""PortfolioDeployment under the Pulumi mock engine (preview=False, outputs known)."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import MockResourceArgs

from portfolio.deployment import TYPE_TOKEN
from portfolio.settings.parsing import SettingsError
from render import harness, sdk_internals
from render.fakes import FAKE_GENERATED_MARKER, FAKE_KEY_MARKER, FakeCloud
from render.harness import Registration
from render.stackfile import StackConfig
from tests.conftest import (
    ROOT,
    container,
    find,
    make_settings,
    manifests,
    project,
    raw_config,
    run_component,
)

EXPECTED_OBJECTS = [
    ("Namespace", "dev"),
    ("ServiceAccount", "portfolio-workload-identity"),
    ("ConfigMap", "portfolio-config"),
    ("Secret", "portfolio-secrets"),
    ("Secret", "portfolio-db-secret"),
    ("Secret", "regcred"),
    ("Deployment", "portfolio"),
    ("Service", "portfolio"),
    ("NetworkPolicy", "portfolio-network-policy"),
    # The rest of the overlay: Istio routing and the certificate.
    ("Gateway", "portfolio-gateway"),
    ("VirtualService", "portfolio-virtualservice"),
    ("AuthorizationPolicy", "portfolio-allow-all"),
    ("Certificate", "portfolio-dev-tls-cert"),
]
# Objects of the ingress gateway's namespace: the stack's certificate, for the
# gateway to read.
IN_INGRESS_NAMESPACE = {("Certificate", "portfolio-dev-tls-cert")}
MESH_KINDS = {"Gateway", "VirtualService", "AuthorizationPolicy", "Certificate"}


def registrations(**overrides: object) -> list[Registration]:
    return run_component(make_settings("dev", **overrides))


def pod_annotations(regs: list[Registration]) -> dict[str, str]:
    deployment = find(manifests(regs), "Deployment", "portfolio")
    return dict(deployment["spec"]["template"]["metadata"]["annotations"])


def test_registers_exactly_the_kustomize_objects_with_their_names() -> None:
    docs = manifests(registrations())
    assert sorted((d["kind"], d["metadata"]["name"]) for d in docs) == sorted(
        EXPECTED_OBJECTS
    )


def test_every_namespaced_object_lands_in_the_stack_namespace() -> None:
    docs = manifests(registrations())
    for doc in docs:
        if (doc["kind"], doc["metadata"]["name"]) in IN_INGRESS_NAMESPACE:
            assert doc["metadata"]["namespace"] == "istio-system"
        elif doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "dev", doc["kind"]


def test_component_contract_type_token_and_child_names() -> None:
    regs = registrations()
    (component,) = [r for r in regs if r.type == TYPE_TOKEN]
    assert component.name == "portfolio"
    features = sorted(r.type for r in regs if not r.custom and r is not component)
    assert features == [
        "portfolio:index:AppSecrets",
        "portfolio:index:AppWorkload",
        "portfolio:index:Database",
        "portfolio:index:DnsRecords",
        "portfolio:index:GoogleIdentities",
        "portfolio:index:ImageRepository",
        "portfolio:index:IngressAddress",
        "portfolio:index:Mesh",
    ]
    # Every feature is named after the deployment, every resource after its
    # feature, and no two registrations share a URN.
    assert all(r.name == "portfolio" for r in regs if not r.custom)
    resources = [r for r in regs if r.custom and not r.is_provider]
    assert all(r.name.startswith("portfolio-") for r in resources)
    assert len({r.urn for r in regs}) == len(regs)


def test_deployment_selector_is_exactly_app_portfolio() -> None:
    deployment = find(manifests(registrations()), "Deployment", "portfolio")
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "portfolio"}}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "portfolio"}
    pod = deployment["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "portfolio-workload-identity"
    assert pod["imagePullSecrets"] == [{"name": "regcred"}]
    assert [c["name"] for c in pod["containers"]] == ["portfolio"]
    assert [c["name"] for c in pod["initContainers"]] == ["cloudsql-proxy"]


def test_every_container_always_pulls() -> None:
    docs = manifests(registrations())
    for name in ("portfolio", "cloudsql-proxy"):
        assert container(docs, name)["imagePullPolicy"] == "Always"


def test_service_account_pulls_with_regcred_and_names_its_google_identity() -> None:
    sa = find(
        manifests(registrations()), "ServiceAccount", "portfolio-workload-identity"
    )
    assert sa["imagePullSecrets"] == [{"name": "regcred"}]
    # The proxy's Google account, as the fake engine names a created account.
    assert (
        sa["metadata"]["annotations"]["iam.gke.io/gcp-service-account"]
        == "portfolio-sql-dev@test-project.iam.gserviceaccount.com"
    )


def test_secret_data_is_marked_secret_for_the_engine() -> None:
    regs = registrations()
    secrets = [r for r in regs if r.type == "kubernetes:core/v1:Secret"]
    assert len(secrets) == 3
    for r in secrets:
        assert sdk_internals.is_secret(r.inputs["stringData"]), r.name


def test_no_secret_value_reaches_the_manifests() -> None:
    text = repr(manifests(registrations()))
    assert FAKE_GENERATED_MARKER not in text
    assert FAKE_KEY_MARKER not in text
    assert "[secret]" in text


def test_regcred_is_a_dockerconfigjson_secret() -> None:
    regcred = find(manifests(registrations()), "Secret", "regcred")
    assert regcred["type"] == "kubernetes.io/dockerconfigjson"
    assert list(regcred["stringData"]) == [".dockerconfigjson"]


def test_config_change_rolls_the_pods() -> None:
    before = pod_annotations(registrations())
    after = pod_annotations(registrations(host="portfolio.other.hugecat.net"))
    assert before["checksum/config"] != after["checksum/config"]
    assert before["checksum/secrets"] == after["checksum/secrets"]


def test_secret_change_rolls_the_pods() -> None:
    before = pod_annotations(registrations())
    after = pod_annotations(registrations(nextauthSecretRotation="2026-11"))
    assert before["checksum/secrets"] != after["checksum/secrets"]
    assert before["checksum/config"] == after["checksum/config"]


def test_unrelated_change_does_not_roll_the_pods() -> None:
    before = pod_annotations(registrations())
    after = pod_annotations(registrations(replicas=3))
    assert before == after


def test_base_labels_and_annotations_on_namespaced_objects() -> None:
    docs = manifests(registrations(environmentLabels=["env=dev"]))
    for doc in docs:
        meta = doc["metadata"]
        if doc["kind"] == "Namespace":
            # The overlay's labels, and Pod Security "restricted" in every mode.
            assert meta["labels"] == {
                "env": "dev",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            }
            continue
        labels = dict(meta["labels"])
        # The Istio and cert-manager objects also carry the base's app label.
        if doc["kind"] in MESH_KINDS:
            assert labels.pop("app") == "portfolio"
        assert labels == {
            "app.kubernetes.io/managed-by": "pulumi",
            "app.kubernetes.io/created-by": "hobby-cluster",
            "env": "dev",
        }
        # Flux no longer owns these objects: nothing says it does.
        assert "fluxcd.io/automated" not in meta["annotations"]
        assert meta["annotations"]["policy.kubernetes.io/validate"] == "true"


def test_deployment_waits_for_what_its_pods_reference() -> None:
    # The Deployment is registered only after the objects its pods mount or
    # pull with, so a first `pulumi up` never starts pods that cannot start.
    regs = registrations()
    order = [r.type.rsplit(":", 1)[-1] for r in regs]
    deployment = order.index("Deployment")
    for kind in ("ServiceAccount", "ConfigMap", "Secret"):
        assert order.index(kind) < deployment, kind


def test_program_deploys_nothing_when_settings_are_bad() -> None:
    # Under `pulumi up` the program itself is the gate: it parses the whole
    # stack config before registering anything.
    config = {f"portfolio:{k}": v for k, v in raw_config(cpuLimit="1GB").items()}
    stack = StackConfig("dev", ROOT / "Pulumi.dev.yaml", config, ())
    fake = RecordingFake()
    with pytest.raises(SettingsError, match=r"portfolio:cpuLimit: '1GB' is not"):
        harness.run_program(ROOT / "__main__.py", project(), stack, fake)
    assert fake.created == []


class RecordingFake(FakeCloud):
    """FakeCloud that remembers what it was asked to create."""

    def __init__(self) -> None:
        super().__init__()
        self.created: list[str] = []

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        """Remember the resource, then fake it as FakeCloud does."""
        self.created.append(args.name)
        return super().new_resource(args)
