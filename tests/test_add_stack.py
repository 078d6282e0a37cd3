"""'Add a stack' (docs/delivery.md) followed as written, in a copy of the repository.

The commands and the keys to set are read from the page, so the page cannot
drift from what works: the copied stack checks, renders with its own host and
database names, gets its snapshot from ``make snapshot`` and passes the snapshot
tests, with no hand-made fixture. ``gcloud`` and ``pulumi stack init`` need a
cloud account and a backend, so they are only checked to name the new stack
and its own KMS key.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from portfolio.settings.model import PortfolioSettings
from tests.conftest import ROOT, STACKS
from tests.test_stacks import stack_settings

DOC = ROOT / "docs" / "delivery.md"
MAKEFILE = (ROOT / "Makefile").read_text()


def section() -> str:
    text = DOC.read_text()
    match = re.search(r"^## Add a stack\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"{DOC.name} has no '## Add a stack' section"
    return match.group(1)


def documented_name() -> str:
    copy = r"^cp Pulumi\.\w+\.yaml Pulumi\.(\w+)\.yaml\b"
    (name,) = re.findall(copy, section(), re.M)
    return str(name)


def new_name() -> str:
    """The page's example name, or a free variant once that stack exists here."""
    name = documented_name()
    return next(
        f"{name}{n or ''}" for n in range(10) if f"{name}{n or ''}" not in STACKS
    )


def block(language: str) -> str:
    """A code block of the section, its example stack name made ``new_name()``."""
    (body,) = re.findall(rf"^```{language}\n(.*?)^```", section(), re.M | re.S)
    return re.sub(rf"\b{documented_name()}\b", new_name(), str(body))


def recipe(target: str) -> str:
    """The commands of a Makefile target (its tab-indented lines)."""
    match = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)*)", MAKEFILE, re.M)
    assert match, f"no make target {target}"
    return match.group(1)


def run(cwd: Path, *args: str) -> str:
    """``python ARGS`` in ``cwd``, which must succeed; returns its stdout."""
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout


# What each documented `make` target runs, as its recipe in the Makefile says.
MAKE: dict[str, list[list[str]]] = {
    "render": [["-m", "render", "--all", "-o", "rendered"]],
    "snapshot": [["-m", "tests.snapshot"]],
    "test": [
        ["-m", "render", "check", "--all"],
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_snapshots.py"],
    ],
}


def test_the_make_targets_run_what_this_test_runs() -> None:
    assert "$(PY) -m render --all -o rendered" in recipe("render")
    assert "$(PY) -m tests.snapshot" in recipe("snapshot")
    assert re.search(r"^test: .*\bunit\b", MAKEFILE, re.M)
    assert "$(PY) -m pytest" in recipe("unit")


def repository_copy(tmp_path: Path) -> Path:
    """The tracked files of the working tree, as a fresh clone has them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    copy = tmp_path / "repo"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def edit(path: Path, changes: dict[str, Any]) -> None:
    """Set the documented keys in the copied stack file, keeping its comments."""
    yaml = YAML()
    data = yaml.load(path.read_text())
    data["config"].update(changes)
    with path.open("w") as out:
        yaml.dump(data, out)


def follow(repo: Path) -> tuple[str, str]:
    """Each documented command in order: the new stack's name, what they printed."""
    changes = YAML(typ="safe").load(block("yaml"))["config"]
    name, printed = "", ""
    key = f"cryptoKeys/portfolio-{new_name()}"
    for line in block("sh").replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["cp"]:
            _, source, target = words
            shutil.copy(repo / source, repo / target)
            edit(repo / target, changes)
            name = target.removeprefix("Pulumi.").removesuffix(".yaml")
        elif words[:4] == ["gcloud", "kms", "keys", "create"]:
            assert words[4] == key.rsplit("/", 1)[1], line  # the stack's own key
        elif words[:3] == ["pulumi", "stack", "init"]:
            assert words[3:5] == [name, "--secrets-provider"], line
            assert words[5].startswith("gcpkms://") and words[5].endswith(key), line
        elif words[:1] == ["make"]:
            for args in MAKE[words[1]]:
                printed += run(repo, *args)
        else:
            pytest.fail(f"{DOC.name}: a step this test does not follow: {line}")
    assert name == new_name()
    return name, printed


def test_a_stack_added_the_documented_way_checks_renders_and_is_its_own(
    tmp_path: Path,
) -> None:
    repo = repository_copy(tmp_path)
    name, printed = follow(repo)
    # make test ran check --all, and make render wrote rendered/<stack>/.
    assert f"ok: {name}" in printed.splitlines()
    manifests = (repo / "rendered" / name / "kubernetes.yaml").read_text()
    resources = (repo / "rendered" / name / "resources.yaml").read_text()
    for own in (
        f"portfolio.{name}.hugecat.net",
        f"portfolio-{name}-db",
        f"portfolio-{name}-database",
        f"portfolio-{name}-user",
        f"namespace: {name}\n",
    ):
        assert own in manifests + resources, own
    for theirs in ("portfolio.dev.", "portfolio-dev-", "namespace: dev\n"):
        assert theirs not in manifests + resources, theirs
    # make snapshot wrote the new stack's snapshot and left the others as they are.
    assert (repo / "tests" / "snapshots" / name / "resources.yaml").is_file()
    snapshots = repo / "tests" / "snapshots"
    for path in snapshots.glob("*/*.yaml"):
        if path.parent.name != name:
            committed = ROOT / path.relative_to(repo)
            assert path.read_text() == committed.read_text(), path


def own_names(settings: PortfolioSettings) -> dict[str, str]:
    return {
        "portfolio:host": settings.host,
        "portfolio:sqlInstanceName": settings.sql_instance,
        "portfolio:sqlDatabaseName": settings.sql_database,
        "portfolio:sqlUserName": settings.sql_user,
    }


def test_the_documented_keys_are_the_ones_a_stack_must_own() -> None:
    changes = YAML(typ="safe").load(block("yaml"))["config"]
    assert set(own_names(stack_settings(STACKS[0]))) <= set(changes)


def test_no_two_stack_files_share_a_host_or_database() -> None:
    # `check` reads one stack at a time; a copied stack file that keeps its
    # source's host or database would serve or write into the other stack's.
    seen: dict[tuple[str, str], str] = {}
    for stack in STACKS:
        for key, value in own_names(stack_settings(stack)).items():
            other = seen.setdefault((key, value), stack)
            assert other == stack, (
                f"Pulumi.{stack}.yaml: {key}: {value} is also Pulumi.{other}.yaml's; "
                "set this stack's own (docs/delivery.md, 'Add a stack')"
            )
