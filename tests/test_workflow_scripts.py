"""The scripts: the setup action's pass shellcheck, the tag and digest steps run.

actionlint checks the workflows' own scripts but not a composite action's, so
shellcheck runs on those here; deliver.yml's tag script and deploy.yml's digest
step run with bash as the runner runs them (a fake ``pulumi`` answers ``stack
output``), on good and bad input.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_workflows import IMAGE, SETUP_ACTION, load, workflow

FAKE_DIGEST = "sha256:" + "0123456789abcdef" * 4


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
