"""The Google Cloud side under the mock engine: repository, pull key, identities."""

from __future__ import annotations

import base64
import json
from typing import Any

import pulumi

from render import harness, sdk_internals
from render.fakes import FAKE_KEY_MARKER
from render.harness import Registration
from tests.conftest import deploy, make_settings, of_type, run_component

REPOSITORY = "gcp:artifactregistry/repository:Repository"
REPOSITORY_MEMBER = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"
ACCOUNT = "gcp:serviceaccount/account:Account"
KEY = "gcp:serviceaccount/key:Key"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
ACCOUNT_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
SECRET = "kubernetes:core/v1:Secret"
PINNED = "sha256:" + "ab" * 32
PULL_DEV = "portfolio-pull-dev@test-project.iam.gserviceaccount.com"


def registrations(stack: str = "prod", **overrides: Any) -> list[Registration]:
    return run_component(make_settings(stack, **overrides))


def one(regs: list[Registration], type_: str) -> Registration:
    (match,) = of_type(regs, type_)
    return match


def unwrap(value: Any) -> Any:
    return (
        sdk_internals.unwrap_secret(value) if sdk_internals.is_secret(value) else value
    )


def test_owner_stack_creates_the_repository_protected_and_retained() -> None:
    repository = one(registrations("prod"), REPOSITORY)
    assert repository.options["protect"] is True
    assert repository.options["retainOnDelete"] is True
    assert {
        k: repository.inputs[k] for k in ("project", "location", "repositoryId")
    } == {
        "project": "kame-457417",
        "location": "us-central1",
        "repositoryId": "kame-house-images",
    }
    assert repository.inputs["format"] == "DOCKER"
    assert repository.inputs["dockerConfig"] == {"immutableTags": False}
    assert repository.inputs["cleanupPolicyDryRun"] is False


def test_other_stacks_register_nothing_for_the_repository() -> None:
    for stack in ("dev", "staging"):
        regs = registrations(stack)
        assert of_type(regs, REPOSITORY) == []
        # They still grant reads on it, naming it.
        assert one(regs, REPOSITORY_MEMBER).inputs["repository"] == "kame-house-images"


def test_cleanup_keeps_recent_and_pinned_and_deletes_old_untagged() -> None:
    image = (
        f"us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio@{PINNED}"
    )
    regs = registrations(image=image)
    policies = {p["id"]: p for p in one(regs, REPOSITORY).inputs["cleanupPolicies"]}
    assert policies["keep-most-recent"] == {
        "id": "keep-most-recent",
        "action": "KEEP",
        "mostRecentVersions": {"keepCount": 20},
    }
    assert policies["keep-pinned-digests"]["action"] == "KEEP"
    assert policies["keep-pinned-digests"]["condition"] == {
        "tagState": "ANY",
        "versionNamePrefixes": [PINNED],
    }
    assert policies["delete-old-untagged"]["action"] == "DELETE"
    assert policies["delete-old-untagged"]["condition"] == {
        "tagState": "UNTAGGED",
        "olderThan": f"{30 * 86400}s",
    }


def test_no_pinned_policy_when_nothing_is_pinned() -> None:
    # Only a stack that runs a plain tag and keeps nothing else pins no digest.
    regs = registrations(pinImageDigest=False)
    policies = one(regs, REPOSITORY).inputs["cleanupPolicies"]
    assert [p["id"] for p in policies] == ["keep-most-recent", "delete-old-untagged"]


def test_pull_account_reads_that_repository_only() -> None:
    regs = registrations("dev")
    pull = next(r for r in of_type(regs, ACCOUNT) if r.name == "portfolio-pull")
    assert pull.inputs["accountId"] == "portfolio-pull-dev"
    member = one(regs, REPOSITORY_MEMBER).inputs
    assert member == {
        "project": "kame-457417",
        "location": "us-central1",
        "repository": "kame-house-images",
        "role": "roles/artifactregistry.reader",
        "member": f"serviceAccount:{PULL_DEV}",
    }
    project_roles = [r.inputs["role"] for r in of_type(regs, PROJECT_MEMBER)]
    assert project_roles == ["roles/cloudsql.client"]


def test_regcred_logs_in_with_the_pull_key_as_escaped_json() -> None:
    regs = registrations("dev")
    (regcred,) = [r for r in of_type(regs, SECRET) if r.name == "portfolio-regcred"]
    assert sdk_internals.is_secret(regcred.inputs["stringData"])
    config = json.loads(unwrap(regcred.inputs["stringData"])[".dockerconfigjson"])
    entry = config["auths"]["us-central1-docker.pkg.dev"]
    key = json.loads(entry["password"])  # the key JSON survives, quotes and newlines
    assert FAKE_KEY_MARKER in key["private_key"]
    assert "\n" in key["private_key"]
    assert (
        key["client_email"] == "portfolio-pull-dev@test-project.iam.gserviceaccount.com"
    )
    assert entry["username"] == "_json_key"
    assert base64.b64decode(entry["auth"]).decode() == "_json_key:" + entry["password"]


def test_rotation_replaces_the_key_creating_the_new_one_first() -> None:
    before = one(registrations("dev"), KEY)
    after = one(registrations("dev", pullKeyRotation="2026-12"), KEY)
    assert before.inputs["keepers"] == {"rotation": "initial"}
    assert after.inputs["keepers"] == {"rotation": "2026-12"}
    # keepers force a replacement; Pulumi's default order is create-before-delete.
    assert "deleteBeforeReplace" not in after.options


def test_secrets_are_never_replaced_delete_first() -> None:
    for r in registrations("dev"):
        assert "deleteBeforeReplace" not in r.options, r.name


def test_proxy_identity_is_workload_identity_without_a_key() -> None:
    regs = registrations("staging")
    proxy = next(r for r in of_type(regs, ACCOUNT) if r.name == "portfolio-proxy")
    assert proxy.inputs["accountId"] == "portfolio-sql-staging"
    email = "portfolio-sql-staging@test-project.iam.gserviceaccount.com"
    (sql,) = of_type(regs, PROJECT_MEMBER)
    assert sql.inputs == {
        "project": "test-project",
        "role": "roles/cloudsql.client",
        "member": f"serviceAccount:{email}",
    }
    binding = one(regs, ACCOUNT_MEMBER).inputs
    assert binding == {
        "serviceAccountId": f"projects/test-project/serviceAccounts/{email}",
        "role": "roles/iam.workloadIdentityUser",
        "member": (
            "serviceAccount:test-project.svc.id.goog"
            "[staging/portfolio-workload-identity]"
        ),
    }
    # The only key belongs to the pull account.
    assert "portfolio-pull-staging@" in one(regs, KEY).inputs["serviceAccountId"]


def test_component_outputs_name_the_repository_and_both_accounts() -> None:
    seen: dict[str, str] = {}

    def program() -> None:
        component = deploy(make_settings("dev"))
        pulumi.Output.all(
            component.repository_url,
            component.pull_service_account,
            component.proxy_service_account,
        ).apply(
            lambda values: seen.update(
                zip(("url", "pull", "proxy"), values, strict=True)
            )
        )

    harness.run(program, project="portfolio", stack="dev", config={})
    assert seen == {
        "url": "us-central1-docker.pkg.dev/kame-457417/kame-house-images",
        "pull": "portfolio-pull-dev@test-project.iam.gserviceaccount.com",
        "proxy": "portfolio-sql-dev@test-project.iam.gserviceaccount.com",
    }


def test_repository_and_pull_host_follow_the_image() -> None:
    image = "europe-west1-docker.pkg.dev/other-project/other-repo/app:v2"
    regs = registrations("prod", image=image)
    repository = one(regs, REPOSITORY).inputs
    assert (
        repository["project"],
        repository["location"],
        repository["repositoryId"],
    ) == (
        "other-project",
        "europe-west1",
        "other-repo",
    )
    assert one(regs, REPOSITORY_MEMBER).inputs["repository"] == "other-repo"
    (regcred,) = [r for r in of_type(regs, SECRET) if r.name == "portfolio-regcred"]
    config = json.loads(unwrap(regcred.inputs["stringData"])[".dockerconfigjson"])
    assert list(config["auths"]) == ["europe-west1-docker.pkg.dev"]
