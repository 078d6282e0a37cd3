"""``python -m render diff STACK --base REV`` on a real git repository.

Each test copies the project into a new repository with one commit, changes
the working tree as a pull request would, and runs the command there: the
base side comes from a temporary worktree of that commit.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, python_m_render

# What `python -m render` needs: the program, the renderer, the policy pack.
PROJECT_FILES = ("Pulumi.yaml", "__main__.py", "components", "render", "policy")
GIT_IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.invalid")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *GIT_IDENTITY, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The project, committed once, with its working tree clean."""
    repo = tmp_path / "repo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "venv", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    for stack_file in ROOT.glob("Pulumi.*.yaml"):
        shutil.copy2(stack_file, repo / stack_file.name)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "base")
    return repo


def render_diff(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return python_m_render("diff", *args, cwd=repo)


def test_an_unchanged_stack_is_no_changes_and_the_worktree_is_gone(
    repo: Path,
) -> None:
    done = render_diff(repo, "dev", "--base", "HEAD")
    assert (done.returncode, done.stdout, done.stderr) == (0, "no changes\n", "")
    assert git(repo, "worktree", "list").count("\n") == 0
    assert git(repo, "status", "--porcelain") == ""


def test_a_changed_stack_file_shows_the_resource_then_the_manifest(
    repo: Path,
) -> None:
    stack = repo / "Pulumi.staging.yaml"
    stack.write_text(
        stack.read_text(encoding="utf-8") + "  portfolio:replicas: 3\n",
        encoding="utf-8",
    )
    done = render_diff(repo, "Pulumi.staging.yaml", "--base", "main")
    assert done.returncode == 0, done.stderr
    resources, manifest = done.stdout.split("\n\n", 1)
    assert "updated  kubernetes:apps/v1:Deployment portfolio-deployment: " in resources
    assert "spec.replicas" in resources
    commit = git(repo, "rev-parse", "HEAD")[:12]
    assert manifest.startswith(
        f"--- staging/kubernetes.yaml (main {commit})\n"
        "+++ staging/kubernetes.yaml (working tree)\n@@"
    )
    assert "\n+  replicas: 3\n" in manifest


def test_the_base_is_rendered_with_its_own_program(repo: Path) -> None:
    """A change to the program, not the stack file, shows too."""
    pod_specs = repo / "components" / "pod_specs.py"
    text = pod_specs.read_text(encoding="utf-8")
    line = "min_ready_seconds=settings.min_ready_seconds,"
    assert text.count(line) == 1
    pod_specs.write_text(
        text.replace(line, "min_ready_seconds=settings.min_ready_seconds + 1,"),
        encoding="utf-8",
    )
    done = render_diff(repo, "dev", "--base", "HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "updated  kubernetes:apps/v1:Deployment portfolio-deployment: "
        "spec.minReadySeconds"
    )


def test_a_stack_only_in_the_base_is_all_deleted(repo: Path) -> None:
    (repo / "Pulumi.dev.yaml").unlink()
    done = render_diff(repo, "dev", "--base", "HEAD")
    assert done.returncode == 0, done.stderr
    resources = done.stdout.split("\n\n", 1)[0].splitlines()
    assert resources
    assert all(line.startswith("deleted  ") for line in resources)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("dev", "--base", "no-such-branch"), "error: --base no-such-branch: no such"),
        (("dev", "--base", "--all"), "error: diff: argument --base: expected one"),
        (("dev",), "error: diff: the following arguments are required: --base"),
        (
            ("nosuch", "--base", "HEAD"),
            "error: Pulumi.nosuch.yaml: neither here nor at HEAD",
        ),
        (("../dev", "--base", "HEAD"), "error: ../dev: not a stack name"),
        (("/tmp/Pulumi.dev.yaml", "--base", "HEAD"), "error: /tmp/Pulumi.dev.yaml: "),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    repo: Path, args: tuple[str, ...], message: str
) -> None:
    done = render_diff(repo, *args)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(message)
    assert done.stderr.count("\n") == 1


def test_a_base_that_does_not_render_is_one_line_naming_it(repo: Path) -> None:
    stack = repo / "Pulumi.dev.yaml"
    good = stack.read_text(encoding="utf-8")
    stack.write_text(good + "  portfolio:replicas: many\n", encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "broken")
    stack.write_text(good, encoding="utf-8")
    done = render_diff(repo, "dev", "--base", "HEAD")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "error: Pulumi.dev.yaml at HEAD: it does not render: "
    )
    assert "portfolio:replicas" in done.stderr
    assert done.stderr.count("\n") == 1
    assert git(repo, "worktree", "list").count("\n") == 0


def test_a_working_tree_that_does_not_render_is_one_line(repo: Path) -> None:
    stack = repo / "Pulumi.dev.yaml"
    stack.write_text(
        stack.read_text(encoding="utf-8") + "  portfolio:replicas: many\n",
        encoding="utf-8",
    )
    done = render_diff(repo, "dev", "--base", "HEAD")
    assert done.returncode == 1
    assert done.stderr.startswith("error: Pulumi.dev.yaml: portfolio:replicas: ")
    assert done.stderr.count("\n") == 1
    assert git(repo, "worktree", "list").count("\n") == 0


def test_outside_a_git_repository_is_one_line(tmp_path: Path, repo: Path) -> None:
    shutil.rmtree(repo / ".git")
    done = render_diff(repo, "dev", "--base", "HEAD")
    assert done.returncode == 1
    assert done.stderr.startswith("error: git rev-parse: ")
    assert done.stderr.count("\n") == 1
