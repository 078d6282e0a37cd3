"""The general checks on every committed ``Pulumi.<stack>.yaml``, later ones too.

Each stack's namespace and what lives outside it, its provider settings, no
secret in the stack file, exactly one owner of the repository keeping every
digest a committed stack runs, every Google resource shown in
``resources.yaml``, and the stack outputs other tools need.
"""

from __future__ import annotations

import pytest
import yaml

from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import parse_settings
from portfolio.settings.validators import image_digest
from portfolio.stack import split_config
from render import harness
from render.fakes import fake_address, stand_in_digest
from render.stackfile import load_stack
from tests.conftest import OVERLAY_STACKS, ROOT, STACKS, find, project, rendered_stack
from tests.test_kustomize_parity import POD_SECURITY, PROJECT, key, ours

REPOSITORY = "gcp:artifactregistry/repository:Repository"
ADDRESS = "gcp:compute/address:Address"
OWNER = "prod"  # of the repository, the DNS zone and the ingress address


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
