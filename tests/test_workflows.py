"""The delivery workflows: what they promise, checked on the files themselves.

actionlint and zizmor (``make workflows``) check syntax, expressions, shell
scripts and known-dangerous patterns; these tests check this project's rules:
pinned actions, least permissions, keyless Google access, the preview and
deploy flow (the scripts' behaviour, run with bash, is in
``test_workflow_scripts.py``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from render.stackfile import load_project, read_stack
from tests.conftest import ROOT, STACKS

# The stacks CI previews and delivers, in deliver.yml's order; a stack added
# later is only rendered and tested until it joins them (docs/delivery.md).
DELIVERED = ("dev", "staging", "prod")

GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
SETUP_ACTION = GITHUB / "actions" / "pulumi-setup" / "action.yml"
IMAGE = "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio"
AUTH = "google-github-actions/auth"
PULUMI = "pulumi/actions"


def load(path: Path) -> dict[Any, Any]:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in document:
        document["on"] = document.pop(True)
    return document


def workflow(name: str) -> dict[str, Any]:
    return load(WORKFLOWS / name)


def steps_using(steps: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [s for s in steps if str(s.get("uses", "")).startswith(f"{action}@")]


def files() -> list[Path]:
    return [*sorted(WORKFLOWS.glob("*.yml")), SETUP_ACTION]


def test_the_workflows_are_there() -> None:
    names = {path.name for path in WORKFLOWS.iterdir()}
    assert names == {"preview.yml", "deliver.yml", "deploy.yml", "test.yml"}


@pytest.mark.parametrize("path", files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text(encoding="utf-8"))
    assert uses
    for target, comment in uses:
        if target.startswith("$/"):
            continue  # this repository, at the workflow's own commit
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", target), target
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), (target, comment)


@pytest.mark.parametrize("path", files(), ids=lambda p: p.name)
def test_no_key_and_no_secret_anywhere(path: Path) -> None:
    """Google access is keyless; nothing reads a repository secret."""
    text = path.read_text(encoding="utf-8")
    assert "credentials_json" not in text
    assert "secrets." not in text
    assert "GOOGLE_APPLICATION_CREDENTIALS" not in text


def jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path.name, name, job)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for name, job in load(path)["jobs"].items()
    ]


def uses_google(job: dict[str, Any]) -> bool:
    """Authenticates to Google: itself, through the setup action or a deploy."""
    steps = job.get("steps", [])
    return (
        bool(steps_using(steps, AUTH))
        or any(s.get("uses") == "$/.github/actions/pulumi-setup" for s in steps)
        or job.get("uses") == "$/.github/workflows/deploy.yml"
    )


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflows_grant_nothing_by_default(path: Path) -> None:
    assert workflow(path.name)["permissions"] == {}


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_scripts_run_with_pipefail(path: Path) -> None:
    """``shell: bash`` runs ``bash -eo pipefail``; without it, ``bash -e`` only."""
    assert workflow(path.name)["defaults"] == {"run": {"shell": "bash"}}


@pytest.mark.parametrize(
    ("file", "name", "job"), jobs(), ids=[f"{f}:{n}" for f, n, _ in jobs()]
)
def test_every_job_asks_for_least_permissions(
    file: str, name: str, job: dict[str, Any]
) -> None:
    permissions = job["permissions"]
    assert permissions["contents"] == "read"
    assert ("id-token" in permissions) == uses_google(job)
    if "id-token" in permissions:
        assert permissions["id-token"] == "write"
    others = set(permissions) - {"contents", "id-token"}
    # Only the preview comments on the pull request.
    expected = (
        {"pull-requests"} if (file, name) == ("preview.yml", "preview") else set()
    )
    assert others == expected


def test_checkouts_keep_no_credentials() -> None:
    for path in files():
        document = load(path)
        steps = [
            step
            for job in document.get("jobs", {}).values()
            for step in job.get("steps", [])
        ] + document.get("runs", {}).get("steps", [])
        for step in steps_using(steps, "actions/checkout"):
            assert step["with"]["persist-credentials"] is False, path.name


def test_offline_diff_runs_for_every_pull_request_without_cloud_access() -> None:
    document = workflow("preview.yml")
    assert "pull_request" in document["on"]
    job = document["jobs"]["diff"]
    assert "if" not in job  # forks too
    assert job["permissions"] == {"contents": "read"}
    (checkout,) = steps_using(job["steps"], "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0  # the base commit is there
    (script,) = [s["run"] for s in job["steps"] if "git diff" in s.get("run", "")]
    assert 'python -m render --all -o "$RUNNER_TEMP/head"' in script
    assert 'git archive "$BASE_SHA" tests/snapshots' in script
    assert "$GITHUB_STEP_SUMMARY" in script
    assert job["steps"][-1]["env"]["BASE_SHA"] == (
        "${{ github.event.pull_request.base.sha }}"
    )


def test_preview_comments_each_stack_with_the_policy_pack() -> None:
    job = workflow("preview.yml")["jobs"]["preview"]
    assert (
        job["if"]
        == "github.event.pull_request.head.repo.full_name == github.repository"
    )
    assert job["strategy"]["matrix"]["stack"] == list(DELIVERED)
    assert set(DELIVERED) <= set(STACKS)
    assert job["strategy"]["fail-fast"] is False
    (preview,) = steps_using(job["steps"], PULUMI)
    assert preview["with"] == {
        "command": "preview",
        "stack-name": "${{ matrix.stack }}",
        "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
        "policyPacks": "policy",
        "comment-on-pr": True,
        "edit-pr-comment": True,
        "diff": True,
    }


def test_the_image_is_pushed_keylessly_and_its_digest_is_the_output() -> None:
    document = workflow("deliver.yml")
    assert set(document["on"]) == {"push"}
    assert document["env"]["IMAGE"] == IMAGE
    job = document["jobs"]["image"]
    (auth,) = steps_using(job["steps"], AUTH)
    assert set(auth["with"]) >= {"workload_identity_provider", "service_account"}
    assert auth["with"]["token_format"] == "access_token"
    (push,) = steps_using(job["steps"], "docker/build-push-action")
    assert push["with"]["push"] is True
    assert "build-args" not in push["with"]
    assert job["outputs"]["digest"] == f"${{{{ steps.{push['id']}.outputs.digest }}}}"


def test_dev_then_staging_then_prod_each_promoting_the_one_before() -> None:
    jobs_ = workflow("deliver.yml")["jobs"]
    assert jobs_["dev"]["needs"] == "image"
    assert jobs_["dev"]["if"] == "github.ref == 'refs/heads/main'"
    assert jobs_["dev"]["with"] == {
        "stack": "dev",
        "digest": "${{ needs.image.outputs.digest }}",
    }
    assert jobs_["staging"]["needs"] == "dev"
    assert jobs_["staging"]["with"] == {
        "stack": "staging",
        "promote-from": "dev",
        "expect-digest": "${{ needs.dev.outputs.digest }}",
    }
    assert jobs_["prod"]["needs"] == "staging"
    assert jobs_["prod"]["with"] == {
        "stack": "prod",
        "promote-from": "staging",
        "expect-digest": "${{ needs.staging.outputs.digest }}",
    }
    deploy = workflow("deploy.yml")
    outputs = deploy["on"]["workflow_call"]["outputs"]
    assert outputs["digest"]["value"] == "${{ jobs.up.outputs.digest }}"
    assert deploy["jobs"]["up"]["outputs"]["digest"] == (
        "${{ steps.digest.outputs.digest }}"
    )
    for name in DELIVERED:
        assert jobs_[name]["uses"] == "$/.github/workflows/deploy.yml"


def test_a_deploy_is_gated_by_its_environment_one_at_a_time() -> None:
    document = workflow("deploy.yml")
    assert set(document["on"]) == {"workflow_call"}
    job = document["jobs"]["up"]
    assert job["environment"] == "${{ inputs.stack }}"
    assert job["concurrency"] == {
        "group": "pulumi-up-${{ inputs.stack }}",
        "cancel-in-progress": False,
    }
    (up,) = steps_using(job["steps"], PULUMI)
    assert up["with"]["command"] == "up"
    assert up["with"]["stack-name"] == "${{ inputs.stack }}"
    assert up["with"]["policyPacks"] == "policy"
    config = yaml.safe_load(up["with"]["config-map"])
    assert config == {
        "portfolio:image": {
            "value": "${{ env.IMAGE }}@${{ steps.digest.outputs.digest }}",
            "secret": False,
        }
    }


def test_the_setup_action_reaches_every_stacks_cluster() -> None:
    """get-gke-credentials names its context gke_<project>_<location>_<cluster>."""
    steps = load(SETUP_ACTION)["runs"]["steps"]
    (credentials,) = steps_using(steps, "google-github-actions/get-gke-credentials")
    given = credentials["with"]
    context = f"gke_{given['project_id']}_{given['location']}_{given['cluster_name']}"
    project = load_project(ROOT / "Pulumi.yaml")
    for stack in STACKS:
        config, problems = read_stack(project, ROOT / f"Pulumi.{stack}.yaml")
        assert not problems
        assert config.config["kubernetes:context"] == context


def test_the_pulumi_cli_version_is_the_sdks() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (sdk,) = [p["version"] for p in lock["package"] if p["name"] == "pulumi"]
    assert (ROOT / ".pulumi.version").read_text(encoding="utf-8") == f"{sdk}\n"
    steps = load(SETUP_ACTION)["runs"]["steps"]
    (install,) = steps_using(steps, PULUMI)
    assert install["with"] == {"pulumi-version-file": ".pulumi.version"}
