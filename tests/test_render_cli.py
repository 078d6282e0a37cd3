"""``python -m render``: outputs, determinism, redaction, ``check`` and any folder.

The stack's ``kubernetes.yaml`` on stdout or written with ``resources.yaml``
for every stack, the same bytes in every process, no secure value in any
output, ``check`` writing nothing, and the render working from any working
directory; a stdout that cannot be written is one line. Bad input is in
``test_render_errors.py``.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from render.cli import main
from render.fakes import FAKE_KEY_MARKER
from render.output import REDACTED
from tests.conftest import ROOT, STACKS
from tests.test_render_errors import fake_ciphertext, stack_file

FAKE_SECURE = {
    "portfolio:nextauthSecret": fake_ciphertext("FAKE-SECURE-nextauth-0001"),
    "portfolio:databasePassword": fake_ciphertext("FAKE-SECURE-database-0002"),
}


def test_stdout_is_the_kubernetes_yaml_of_the_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dev"]) == 0
    printed = capsys.readouterr().out
    assert main(["dev", "-o", str(tmp_path)]) == 0
    assert printed == (tmp_path / "kubernetes.yaml").read_text()
    kinds = [d["kind"] for d in yaml.safe_load_all(printed)]
    assert kinds[0] == "Namespace"
    assert "Deployment" in kinds


def test_a_stack_file_path_works_like_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dev"]) == 0
    by_name = capsys.readouterr().out
    assert main([str(ROOT / "Pulumi.dev.yaml")]) == 0
    assert capsys.readouterr().out == by_name


def test_all_writes_both_files_for_every_stack(tmp_path: Path) -> None:
    assert main(["--all", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(STACKS)
    for stack in STACKS:
        resources = list(
            yaml.safe_load_all((tmp_path / stack / "resources.yaml").read_text())
        )
        record = ["urn", "type", "name", "parent", "provider", "dependsOn"]
        for doc in resources:
            fields = [*record, "inputs", "options"]
            if doc["type"].startswith("portfolio:index:"):
                fields.append("outputs")  # components list what they registered
            assert list(doc) == fields, doc["urn"]
        types = {doc["type"] for doc in resources}
        assert "portfolio:index:PortfolioDeployment" in types
        assert "kubernetes:apps/v1:Deployment" in types
        manifests = list(
            yaml.safe_load_all((tmp_path / stack / "kubernetes.yaml").read_text())
        )
        kubernetes = [d for d in resources if d["type"].startswith("kubernetes:")]
        assert [d["inputs"] for d in kubernetes] == manifests


def test_secure_values_never_reach_the_output(tmp_path: Path) -> None:
    path = stack_file(
        tmp_path, {k: {"secure": v} for k, v in FAKE_SECURE.items()}, name="fake"
    )
    assert main([str(path), "-o", str(tmp_path / "out")]) == 0
    for name in ("kubernetes.yaml", "resources.yaml"):
        text = (tmp_path / "out" / name).read_text()
        for value in FAKE_SECURE.values():
            assert value not in text
        assert FAKE_KEY_MARKER not in text  # the pull key the fake engine made
        assert REDACTED in text


def test_check_validates_every_stack_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--all"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"ok: {s}" for s in sorted(STACKS)]
    assert main(["check", "dev"]) == 0
    assert list(tmp_path.iterdir()) == []


def test_render_from_any_folder_gives_the_snapshots_bytes(tmp_path: Path) -> None:
    # Another process, another hash seed, another working folder, no
    # PYTHONPATH (`uv sync` installs the project into .venv, editable): the
    # same bytes as the committed snapshots, which test_snapshots compares with
    # this process's render. With warnings as errors, nothing on stderr either.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-m", "render", "--all", "-o", "relative"],
        cwd=tmp_path,
        env={**env, "PYTHONHASHSEED": "1", "PYTHONWARNINGS": "error"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    for stack in STACKS:
        for name in ("kubernetes.yaml", "resources.yaml"):
            snapshot = ROOT / "tests" / "snapshots" / stack / name
            rendered = (tmp_path / "relative" / stack / name).read_bytes()
            assert rendered == snapshot.read_bytes(), f"{stack}/{name}"


class _FullDevice(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize(("stdout", "problem"), [
    (None, "standard output is closed: give -o DIR"),
    (_FullDevice(), f"standard output: {os.strerror(errno.ENOSPC)}"),
])  # fmt: skip
def test_a_stdout_that_cannot_be_written_is_one_line(
    stdout: Any, problem: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["dev"]) == 1
    assert capsys.readouterr().err == f"error: {problem}\n"
    # check has only its report to print: a closed stdout loses nothing else.
    assert main(["check", "dev"]) == (0 if stdout is None else 1)
    assert capsys.readouterr().err == ("" if stdout is None else f"error: {problem}\n")


@pytest.mark.parametrize(("stdout", "problem"), [
    (None, "standard output is closed: the help is not shown"),
    (_FullDevice(), f"standard output: {os.strerror(errno.ENOSPC)}"),
])  # fmt: skip
@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"]])
def test_help_that_cannot_be_shown_is_one_line_and_exit_1(
    stdout: Any, problem: str, argv: list[str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(argv) == 1
    assert capsys.readouterr().err == f"error: {problem}\n"
