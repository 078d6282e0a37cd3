"""``python -m render`` and ``check`` on bad input: a line per problem, nothing written.

Stack files with a bad value of each kind name the file and the key; invalid
YAML, a missing file, one bad stack among ``--all``, usage errors, a failing
program, an output place that cannot be written and an owner without its
consumers' stack files are each one ``error:`` line, and leave nothing behind.
"""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from render.cli import main
from tests.conftest import ROOT, python_m_render


def fake_ciphertext(text: str) -> str:
    """The shape of a passphrase ciphertext (v1:<nonce>:<sealed>), plainly fake."""
    encode = base64.b64encode
    return f"v1:{encode(b'FAKE-NONCE-1').decode()}:{encode(text.encode()).decode()}"


def render_seeded(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    """``python -m render ARGS`` with a fixed hash seed."""
    return python_m_render(*args, env={**os.environ, "PYTHONHASHSEED": seed})


def stack_file(tmp_path: Path, changes: dict[str, Any], name: str = "bad") -> Path:
    """Pulumi.dev.yaml with changes; a value of None removes the key."""
    document = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    for key, value in changes.items():
        if value is None:
            document["config"].pop(key, None)
        else:
            document["config"][key] = value
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"portfolio:replica": 2}, "portfolio:replica: is not declared in Pulumi.yaml"),
        ({"portfolio:replicas": "two"}, "portfolio:replicas: must be of type integer"),
        (
            {"portfolio:zoneSpread": "maybe"},
            "portfolio:zoneSpread: must be of type boolean",
        ),
        (
            {"portfolio:environmentLabels": "a=b"},
            "portfolio:environmentLabels: must be a list",
        ),
        (
            {"portfolio:cpuLimit": "1GB"},
            "portfolio:cpuLimit: '1GB' is not a Kubernetes quantity",
        ),
        (
            {"portfolio:image": "Not An Image"},
            "portfolio:image: 'Not An Image' is not an image",
        ),
        (
            {"portfolio:nextauthSecret": "hunter2-plaintext"},
            "portfolio:nextauthSecret: is a plain value; set it with pulumi config "
            "set --secret",
        ),
        (
            {"portfolio:host": None},
            "portfolio:host: is required but not set",
        ),
        (
            {"portfolio:host": "portfolio.example.com"},
            "portfolio:host: portfolio.example.com is not in the DNS zone's domain",
        ),
        (
            {"portfolio:databaseUrl": {"secure": fake_ciphertext("FAKE-url-0000003")}},
            "portfolio:databaseUrl: was removed: DATABASE_URL is composed",
        ),
        (
            {"portfolio:proxyImage": "gcr.io/x/y:1"},
            "portfolio:proxyImage: is a setting no more: its value is a constant",
        ),
        (
            {"portfolio:cpuRequest": "900m"},
            "portfolio:cpuRequest: '900m' is above the limit",
        ),
        (
            {"kubernetes:enableSecretMutable": "false"},
            "kubernetes:enableSecretMutable: has no effect",
        ),
        (
            {"kubernetes:context": None},
            "kubernetes:context: is required (or kubernetes:kubeconfig) but not set",
        ),
        ({"gcp:project": None}, "gcp:project: is required but not set"),
        (
            {"portfolio:databasePassword": {"secure": "hunter2"}},
            "portfolio:databasePassword: secure: is not a Pulumi ciphertext",
        ),
        (
            {"portfolo:replicas": 3},
            "portfolo:replicas: is not a key of this program's namespaces",
        ),
        ({"aws:region": "us-east-1"}, "aws:region: is not a key of this program's"),
        (
            {"pulumi:tags": {"team": "web"}, "portfolo:replicas": 3},
            "portfolo:replicas: is not a key",  # the engine's own keys pass
        ),
        (
            {"gcp:region": "mars-north9"},
            "gcp:region: 'mars-north9' is not a Google Cloud region",
        ),
        (
            {"portfolio:replicas": 2**31},
            "portfolio:replicas: 2147483648 is above the maximum, 2147483647",
        ),
        ({"portfolio:cpuRequest": "-1"}, "portfolio:cpuRequest: '-1' is negative"),
    ],
)
def test_bad_stack_file_names_file_and_key_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    expected: str,
) -> None:
    path = stack_file(tmp_path, changes)
    out = tmp_path / "out"
    assert main([str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    (line,) = err.splitlines()
    assert line.startswith(f"error: Pulumi.bad.yaml: {expected}")
    assert "hunter2" not in err
    assert not out.exists()


def test_every_problem_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = stack_file(
        tmp_path,
        {
            "portfolio:replica": 2,
            "portfolio:cpuLimit": "1GB",
            "portfolio:image": "X Y",
        },
    )
    assert main([str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("error: Pulumi.bad.yaml: portfolio:") for line in lines)


def test_invalid_yaml_and_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "Pulumi.broken.yaml"
    broken.write_text("config:\n  portfolio:replicas: [1\n")
    assert main([str(broken)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: Pulumi.broken.yaml: invalid YAML: line ")

    assert main([str(tmp_path / "Pulumi.gone.yaml")]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: Pulumi.gone.yaml: file not found")

    # Any other name: the stack's name would be made up from it.
    for name in ("real.yaml", "Pulumi..yaml", "Pulumi.yaml"):
        (tmp_path / name).write_text((ROOT / "Pulumi.dev.yaml").read_text())
        assert main(["check", str(tmp_path / name)]) == 1
        (line,) = capsys.readouterr().err.splitlines()
        assert line.endswith(
            f"{name}: a stack file is named Pulumi.<stack>.yaml, its stack's name"
        )


def test_one_bad_stack_in_all_writes_nothing_for_any(tmp_path: Path) -> None:
    config_dir = tmp_path / "stacks"
    config_dir.mkdir()
    stack_file(config_dir, {}, name="good")
    stack_file(config_dir, {"portfolio:replicas": "two"})
    out = tmp_path / "out"
    result = render_seeded(
        "--all", "--stack-config-dir", str(config_dir), "-o", str(out)
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: Pulumi.bad.yaml: portfolio:replicas: must be of type integer, got 'two'"
    ]
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [[], ["dev", "--all", "-o", "x"], ["--all"], ["check"], ["check", "dev", "--all"],
     ["dev", "-o", ""], ["dev", "-o", "-"], ["--bogus"],
     ["check", "--stack-config-dir"]],
)  # fmt: skip
def test_a_usage_mistake_is_one_line_and_exit_2(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # an -o "" would write here
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("error: python -m render") and "(see --help)" in line
    assert not list(tmp_path.iterdir())


def test_check_reports_like_render(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = stack_file(tmp_path, {"portfolio:replicas": "two"})
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: Pulumi.bad.yaml: portfolio:replicas: must be of type integer, got 'two'"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Pulumi.bad.yaml"]


def test_a_program_failure_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("provider exploded\nsecond line")

    monkeypatch.setattr("render.harness.run_program", broken)
    assert main(["dev", "-o", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: Pulumi.dev.yaml: the program failed: RuntimeError: provider exploded"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("argv", "blocker", "named"),
    [
        # -o names a file, not a folder.
        (["dev", "-o", "{out}"], "out", "out"),
        # A folder on the way is a file.
        (["dev", "-o", "{out}/sub"], "out", "out"),
        # --all: one stack's folder is a file; no other stack is written either.
        (["--all", "-o", "{out}"], "out/prod", "out/prod"),
    ],
)
def test_output_that_cannot_be_written_is_one_line_and_leaves_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    blocker: str,
    named: str,
) -> None:
    (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocker).write_text("not a folder")
    before = sorted(tmp_path.rglob("*"))
    args = [a.format(out=tmp_path / "out") for a in argv]
    assert main(args) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"error: {tmp_path / named}: exists and is not a folder"
    assert sorted(tmp_path.rglob("*")) == before
    assert (tmp_path / blocker).read_text() == "not a folder"


def test_an_unwritable_place_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    # /proc refuses new entries even to root, whom file modes do not stop.
    assert main(["dev", "-o", "/proc/portfolio-render-test"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: /proc/portfolio-render-test: cannot write under /")


def test_an_owner_without_its_consumer_stack_files_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # prod reads what dev and staging run; offline, from their stack files.
    alone = tmp_path / "Pulumi.prod.yaml"
    alone.write_text((ROOT / "Pulumi.prod.yaml").read_text())
    assert main(["check", str(alone)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: Pulumi.prod.yaml: portfolio:registryConsumerStacks: {stack!r} is no "
        f"stack checked here (there is no Pulumi.{stack}.yaml)"
        for stack in ("dev", "staging")
    ]
