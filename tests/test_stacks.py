"""Every committed stack file, rendered by the real program, against the kustomize tree.

``tests/fixtures/kustomize/<stack>.yaml`` holds what the overlay deployed. The
differences below are the intended ones, each with its reason; anything else
that differs fails.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.parsing import parse_settings
from components.settings import PortfolioSettings
from components.stack import split_config
from components.validators import image_digest
from render import harness
from render.fakes import stand_in_digest
from render.stackfile import load_stack
from tests.conftest import ROOT, STACKS, find, project, rendered_stack

FIXTURES = Path(__file__).parent / "fixtures" / "kustomize"
REPOSITORY = "gcp:artifactregistry/repository:Repository"

# Objects kustomize rendered that the program does not own, and why.
NOT_OURS = {
    # Read only by Config Connector's SQLUser, which is out of scope.
    ("Secret", "portfolio-db-password"),
}
# Objects the program adds, and why.
ADDED = {
    # Made by hand with kubectl before; now owned by the program.
    ("Secret", "regcred"),
    # dev and staging never listed their namespace.yaml; every stack owns its own.
    ("Namespace", "dev"),
    ("Namespace", "staging"),
}


def ours(stack: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all(rendered_stack(stack).kubernetes))


def kustomize(stack: str) -> list[dict[str, Any]]:
    docs = yaml.safe_load_all((FIXTURES / f"{stack}.yaml").read_text())
    return [d for d in docs if (d["kind"], d["metadata"]["name"]) not in NOT_OURS]


def key(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]


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
    pod["containers"].append(proxy)


def expected_from_kustomize(stack: str, doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    # The base shipped a placeholder; each stack now has its own proxy account.
    if doc["kind"] == "ServiceAccount":
        doc["metadata"]["annotations"]["iam.gke.io/gcp-service-account"] = (
            f"portfolio-sql-{stack}@kame-457417.iam.gserviceaccount.com"
        )
    # The base shipped PROJECT_ID; the stacks name the real project.
    if doc["kind"] == "ConfigMap":
        name = doc["data"]["CLOUD_SQL_CONNECTION_NAME"]
        doc["data"]["CLOUD_SQL_CONNECTION_NAME"] = name.replace(
            "PROJECT_ID", "kame-457417"
        )
    return doc


@pytest.mark.parametrize("stack", STACKS)
def test_stack_deploys_what_its_overlay_deployed(stack: str) -> None:
    mine = {key(d): d for d in ours(stack)}
    theirs = {key(d): d for d in kustomize(stack)}
    assert set(theirs) <= set(mine), "an overlay object is missing"
    assert set(mine) - set(theirs) <= ADDED, "an unexplained object was added"
    for object_key, expected in theirs.items():
        assert comparable_ours(mine[object_key]) == expected_from_kustomize(
            stack, expected
        ), f"{stack}: {object_key}"


def test_every_committed_stack_is_covered(committed_stacks: list[str]) -> None:
    assert committed_stacks == [f"Pulumi.{s}.yaml" for s in sorted(STACKS)]


@pytest.mark.parametrize("stack", STACKS)
def test_namespace_is_the_stack_name(stack: str) -> None:
    docs = ours(stack)
    namespace = find(docs, "Namespace", stack)
    assert namespace["metadata"]["labels"] == {"env": stack}
    assert namespace["metadata"]["annotations"] == {
        "cnrm.cloud.google.com/project-id": "kame-457417"
    }
    assert {d["metadata"].get("namespace", stack) for d in docs} == {stack}


@pytest.mark.parametrize("stack", STACKS)
def test_stack_file_sets_the_provider_settings(stack: str) -> None:
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    providers = {k: v for k, v in config.items() if not k.startswith("portfolio:")}
    assert set(providers) == {"gcp:project", "gcp:region", "kubernetes:context"}
    assert config["gcp:project"] == "kame-457417"
    assert config["gcp:region"] == "us-central1"
    assert config["kubernetes:context"].startswith("gke_kame-457417_")


@pytest.mark.parametrize("stack", STACKS)
def test_stack_secrets_are_all_secure_values(stack: str) -> None:
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    for name in ("nextauthSecret", "databaseUrl"):
        assert set(config[f"portfolio:{name}"]) == {"secure"}


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
    assert sorted(stack_settings(owner).registry_consumer_stacks) == sorted(
        set(STACKS) - {owner}
    )


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
        ]
        + ([REPOSITORY] if stack == "prod" else [])
    )
    assert google == expected


@pytest.mark.parametrize("stack", STACKS)
def test_stack_outputs_name_the_repository_and_both_accounts(stack: str) -> None:
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
    }
