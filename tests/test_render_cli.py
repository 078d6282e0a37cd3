"""``python -m render``: outputs, determinism, redaction and bad input."""

from __future__ import annotations

import base64
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
from tests.conftest import ROOT, STACKS, python_m_render


def fake_ciphertext(text: str) -> str:
    """The shape of a passphrase ciphertext (v1:<nonce>:<sealed>), plainly fake."""
    encode = base64.b64encode
    return f"v1:{encode(b'FAKE-NONCE-1').decode()}:{encode(text.encode()).decode()}"


FAKE_SECURE = {
    "portfolio:nextauthSecret": fake_ciphertext("FAKE-SECURE-nextauth-0001"),
    "portfolio:databasePassword": fake_ciphertext("FAKE-SECURE-database-0002"),
}


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


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    # Another process, another hash seed: the same bytes as the committed
    # snapshots, which test_snapshots compares with this process's render.
    result = render_seeded("--all", "-o", str(tmp_path), seed="1")
    assert result.returncode == 0, result.stderr
    for stack in STACKS:
        for name in ("kubernetes.yaml", "resources.yaml"):
            snapshot = ROOT / "tests" / "snapshots" / stack / name
            rendered = (tmp_path / stack / name).read_bytes()
            assert rendered == snapshot.read_bytes(), f"{stack}/{name}"


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
            "portfolio:databaseUrl: is not declared in Pulumi.yaml",
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


def test_usage_errors_exit_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["dev", "--all", "-o", "x"], ["--all"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
    capsys.readouterr()


def test_check_validates_every_stack_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--all"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"ok: {s}" for s in sorted(STACKS)]
    assert main(["check", "dev"]) == 0
    assert list(tmp_path.iterdir()) == []


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


def test_render_works_from_any_working_directory(tmp_path: Path) -> None:
    # No PYTHONPATH: `uv sync` installs the project into .venv, editable.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-m", "render", "dev", "-o", "relative"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "relative" / "kubernetes.yaml").read_text()
    assert written == (ROOT / "tests/snapshots/dev/kubernetes.yaml").read_text()


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
