"""The delivery workflows: what they promise, checked on the files themselves.

actionlint and zizmor (``make workflows``) check syntax, expressions, shell
scripts and known-dangerous patterns; these tests check this project's rules:
pinned actions, least permissions, keyless Google access, the preview and
deploy flow, and the scripts' behaviour, run with bash.
"""

from __future__ import annotations

import os
import re
import subprocess
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
FAKE_DIGEST = "sha256:" + "0123456789abcdef" * 4


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


def test_the_setup_actions_scripts_pass_shellcheck(tmp_path: Path) -> None:
    """Actionlint checks the workflows' scripts, not a composite action's."""
    steps = load(SETUP_ACTION)["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert scripts
    for index, script in enumerate(scripts):
        assert [s["shell"] for s in steps if s.get("run") == script] == ["bash"]
        path = tmp_path / f"step{index}.sh"
        # Expressions are replaced before bash sees the script.
        path.write_text("#!/usr/bin/env bash\n" + re.sub(r"\$\{\{.*?\}\}", "x", script))
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "shellcheck"), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout


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


def tags_script() -> str:
    job = workflow("deliver.yml")["jobs"]["image"]
    (step,) = [s for s in job["steps"] if s.get("id") == "meta"]
    return str(step["run"])


def run_script(
    script: str, tmp_path: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run a step's script with bash as the runner does; its GITHUB_OUTPUT values."""
    output = tmp_path / "github_output"
    output.write_text("")
    summary = tmp_path / "github_summary"
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "IMAGE": IMAGE,
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    return done, parse_output(output.read_text())


def parse_output(text: str) -> dict[str, str]:
    """``name=value`` and ``name<<EOF`` … ``EOF`` blocks."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line:
            name, end = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == end:
                    break
                block.append(inner)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@pytest.mark.parametrize(
    ("ref_name", "ref", "expected"),
    [
        ("main", "refs/heads/main", ["main", "latest"]),
        ("develop", "refs/heads/develop", ["develop"]),
        ("feature/New Thing", "refs/heads/feature/New Thing", ["feature-New-Thing"]),
        ("latest", "refs/heads/latest", ["branch-latest"]),
        ("-.odd", "refs/heads/-.odd", ["odd"]),
    ],
)
def test_images_are_tagged_with_the_sha_the_branch_and_latest_on_main(
    tmp_path: Path, ref_name: str, ref: str, expected: list[str]
) -> None:
    sha = "f" * 40
    done, output = run_script(
        tags_script(),
        tmp_path,
        {
            "REF_NAME": ref_name,
            "GITHUB_REF": ref,
            "GITHUB_SHA": sha,
            "APP_REPOSITORY": "ianlintner/portfolio",
        },
    )
    assert done.returncode == 0, done.stderr
    assert output["tags"].splitlines() == [f"{IMAGE}:{sha}"] + [
        f"{IMAGE}:{tag}" for tag in expected
    ]
    labels = output["labels"].splitlines()
    assert (
        "org.opencontainers.image.source=https://github.com/ianlintner/portfolio"
        in labels
    )
    assert f"dev.hugecat.delivery.revision={sha}" in labels


def test_a_long_branch_name_is_a_valid_tag(tmp_path: Path) -> None:
    done, output = run_script(
        tags_script(),
        tmp_path,
        {"REF_NAME": "b" * 300, "GITHUB_REF": "refs/heads/x", "GITHUB_SHA": "1" * 40,
         "APP_REPOSITORY": "ianlintner/portfolio"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    branch_tag = output["tags"].splitlines()[1].split(":")[-1]
    assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", branch_tag)


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


def run_digest_step(
    tmp_path: Path, fake_pulumi: Path, digest: str, promote_from: str, expect: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """deploy.yml's digest step, with a fake ``pulumi`` first on PATH."""
    job = workflow("deploy.yml")["jobs"]["up"]
    (step,) = [s for s in job["steps"] if s.get("id") == "digest"]
    env = {
        "DIGEST": digest,
        "PROMOTE_FROM": promote_from,
        "EXPECT": expect,
        "PATH": f"{fake_pulumi}:{os.environ['PATH']}",
    }
    return run_script(str(step["run"]), tmp_path, env)


@pytest.fixture
def fake_pulumi(tmp_path: Path) -> Path:
    """A `pulumi` on PATH answering `stack output imageDigest --stack S` from files."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pulumi"
    script.write_text(
        "#!/usr/bin/env bash\n"
        '[[ "$*" == "stack output imageDigest --stack $5" ]] || exit 9\n'
        f'cat "{tmp_path}/outputs/$5" 2>/dev/null'
        ' || { echo "no stack $5" >&2; exit 1; }\n'
    )
    script.chmod(0o755)
    (tmp_path / "outputs").mkdir()
    return bin_dir


def test_a_promotion_deploys_the_digest_the_stack_before_runs(
    tmp_path: Path, fake_pulumi: Path
) -> None:
    (tmp_path / "outputs" / "staging").write_text(FAKE_DIGEST + "\n")
    done, output = run_digest_step(tmp_path, fake_pulumi, "", "staging", FAKE_DIGEST)
    assert done.returncode == 0, done.stderr
    assert output == {"digest": FAKE_DIGEST}


def test_a_delivery_superseded_before_its_approval_deploys_nothing(
    tmp_path: Path, fake_pulumi: Path
) -> None:
    newer = "sha256:" + "f" * 64
    (tmp_path / "outputs" / "dev").write_text(newer + "\n")
    done, output = run_digest_step(tmp_path, fake_pulumi, "", "dev", FAKE_DIGEST)
    assert done.returncode == 1
    assert "a newer delivery supersedes this one" in done.stdout
    assert output == {}


@pytest.mark.parametrize(
    ("digest", "promote_from", "stack_output"),
    [
        ("", "", None),  # nothing given
        ("latest", "", None),  # not a digest
        ("sha256:" + "A" * 64, "", None),  # not lowercase hex
        ("", "staging", ""),  # the stack before exports none (tag mode)
        ("", "staging", None),  # the stack before does not exist
    ],
)
def test_no_valid_digest_stops_the_deploy(
    tmp_path: Path,
    fake_pulumi: Path,
    digest: str,
    promote_from: str,
    stack_output: str | None,
) -> None:
    if stack_output is not None:
        (tmp_path / "outputs" / promote_from).write_text(stack_output)
    done, output = run_digest_step(tmp_path, fake_pulumi, digest, promote_from, "")
    assert done.returncode != 0
    assert output == {}


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
