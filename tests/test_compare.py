"""``python -m migration compare STACK OVERLAY_DIR``: grouping, exit status, bad input.

The small overlays under ``fixtures/compare/`` run through the real
``kubectl kustomize``; the seed's three overlays are checked through their
committed builds (``fixtures/kustomize/``), which need no reference tree.
The command runs in this process (``migration_compare``), as its ``main``;
one test runs ``python -m migration compare`` itself, end to end.
"""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml

from migration.__main__ import main
from migration.changes import Report
from migration.compare import compare
from migration.fields import SECRET_VALUE
from migration.report import format_report
from tests.conftest import OVERLAY_STACKS, ROOT, make_settings, rendered_stack

FIXTURES = Path(__file__).parent / "fixtures"
OVERLAYS = FIXTURES / "compare"


@pytest.fixture(autouse=True)
def in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative overlay paths are the repository's, as for a user running it there."""
    monkeypatch.chdir(ROOT)


def migration_compare(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m migration compare ARGS`` run in this process: status and output."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            status = main(["compare", *args])
        except SystemExit as error:  # argparse's usage error
            assert isinstance(error.code, int)
            status = error.code
    return subprocess.CompletedProcess(
        args, status, stdout.getvalue(), stderr.getvalue()
    )


def python_m_migration_compare(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m migration compare ARGS`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "migration", "compare", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def section(output: str, title: str) -> list[str]:
    """The lines of one group, without its heading."""
    lines = output.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.startswith(f"{title}:")]
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        body.append(line.strip())
    return body


def test_an_overlay_that_keeps_everything_exits_0_and_groups_its_objects() -> None:
    result = migration_compare("dev", str(OVERLAYS / "kept"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert section(out, "would force replacement") == []
    changed = section(out, "would change")
    # The generator's hash-named ConfigMap matches the program's fixed name.
    assert "ConfigMap dev/portfolio-config" in changed
    assert any(line.startswith('metadata.name: "portfolio-config-') for line in changed)
    assert 'metadata.labels.app.kubernetes.io/managed-by: "flux" -> "pulumi"' in changed
    (leftover,) = section(out, "only in kustomize (left alone)")
    assert leftover.startswith("ConfigMap dev/something-else: ")
    assert "delete it after migration" in leftover
    program_only = section(out, "only in the program")
    assert "Service dev/portfolio: will be created" in program_only
    assert "Namespace dev: will be created" in program_only


def test_an_overlay_that_would_be_replaced_exits_1_and_says_why() -> None:
    # End to end: `python -m migration compare` as a user runs it.
    result = python_m_migration_compare("dev", str(OVERLAYS / "replaced"))
    assert result.returncode == 1
    replaced = section(result.stdout, "would force replacement")
    assert replaced[0] == "Deployment dev/portfolio"
    assert 'spec.selector.matchLabels.tier: "web" -> (not set)' in replaced
    sql = replaced.index(
        "SQLInstance dev/portfolio-dev-db -> "
        "gcp:sql/databaseInstance:DatabaseInstance portfolio-sql-instance"
    )
    assert replaced[sql + 1] == 'region: "europe-west1" -> "us-central1"'
    assert result.stderr == (
        "error: Pulumi.dev.yaml: taking over "
        f"{OVERLAYS / 'replaced'} would replace something\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dev", "tests/fixtures/compare/absent"], "not a directory"),
        (["dev", "tests/fixtures"], "no kustomization.yaml"),
        (["dev", "tests/fixtures/compare/broken"], "kubectl kustomize: "),
        (["nosuchstack", "tests/fixtures/compare/kept"], "Pulumi.nosuchstack.yaml"),
        (["dev", "tests/fixtures/compare/malformed"], "spec is not a mapping"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = migration_compare(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert message in line


def test_a_missing_kubectl_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    result = migration_compare("dev", str(OVERLAYS / "kept"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: kubectl not found on PATH: compare runs `kubectl kustomize`; "
        "install kubectl"
    ]


@pytest.mark.parametrize(
    ("printed", "problem"),
    [
        ("a: [1, 2\nb: 3\n", "line 2: expected ',' or ']'"),
        ("a: 1\na: 2\n", 'line 2: key "a" is given twice in one mapping'),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("a: " + "9" * 5000 + "\n", "a value that cannot be read"),
    ],
)
def test_a_build_that_is_not_yaml_is_one_line_with_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, printed: str, problem: str
) -> None:
    (out := tmp_path / "out.yaml").write_text(printed)
    kubectl = tmp_path / "kubectl"  # prints what a broken kubectl might
    kubectl.write_text(f"#!{sys.executable}\nprint(open({str(out)!r}).read())\n")
    kubectl.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = migration_compare("dev", str(OVERLAYS / "kept"))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: "), line
    assert f"kubectl kustomize printed: {problem}" in line


def test_usage_errors_exit_2() -> None:
    assert migration_compare("dev").returncode == 2


def seed_build(stack: str) -> list[dict[str, Any]]:
    """The seed overlay's build, as committed (generator hashes stripped)."""
    text = (FIXTURES / "kustomize" / f"{stack}.yaml").read_text()
    return [d for d in yaml.safe_load_all(text) if d]


def resources(stack: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all(rendered_stack(stack).resources))


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_nothing_of_the_seed_overlays_would_be_replaced(stack: str) -> None:
    settings = make_settings(stack, host=f"portfolio.{stack}.hugecat.net")
    report = compare(seed_build(stack), resources(stack), settings)
    assert not report.forces_replacement, [
        (m.label, [c for c in m.changes if c.forces_replacement])
        for m in report.matched
        if m.replaced
    ]
    # Every overlay object is accounted for: matched, or left with advice.
    assert len(report.matched) + len(report.only_kustomize) == len(seed_build(stack))
    assert all(advice for _, advice in report.only_kustomize)


def test_the_overlays_unresolved_sql_references_are_changes_not_replacements() -> None:
    report = compare(seed_build("prod"), resources("prod"), make_settings("prod"))
    (database,) = [m for m in report.matched if m.label.startswith("SQLDatabase")]
    (change,) = database.changes
    assert change.path == "instanceRef.name"
    assert (change.before, change.after) == ("portfolio-db-base", "portfolio-prod-db")
    assert not change.forces_replacement
    assert "does not define" in change.note


def test_shared_objects_are_left_to_their_owner() -> None:
    report = compare(seed_build("dev"), resources("dev"), make_settings("dev"))
    advice = dict(report.only_kustomize)
    assert "owned by prod" in advice["DNSManagedZone dev/hugecat-net-zone"]
    assert "owned by prod" in advice["ComputeAddress dev/istio-gateway-ip"]
    assert "superseded" in advice["IAMServiceAccountKey dev/portfolio-cloudsql-key"]


def test_secret_values_are_never_compared_or_shown() -> None:
    report = compare(seed_build("dev"), resources("dev"), make_settings("dev"))
    text = format_report(report, "dev", Path("overlay"))
    assert "change-me" not in text
    for matched in report.matched:
        for change in matched.changes:
            if matched.label.startswith("Secret") and change.path.startswith("data."):
                assert SECRET_VALUE in (change.before, change.after)


def dev_compare(*docs: dict[str, Any]) -> Report:
    return compare(list(docs), resources("dev"), make_settings("dev"))


def test_plain_passwords_in_an_overlay_are_never_shown() -> None:
    user = {
        "apiVersion": "sql.cnrm.cloud.google.com/v1beta1",
        "kind": "SQLUser",
        "metadata": {"name": "portfolio-dev-user", "namespace": "dev"},
        "spec": {"password": {"value": "FAKE-plain-password"}},
    }
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "portfolio-secrets",
            "namespace": "dev",
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": (
                    '{"data": {"NEXTAUTH_SECRET": "FAKE-in-an-annotation"}}'
                )
            },
        },
        "data": {"NEXTAUTH_SECRET": "RkFLRQ=="},
    }
    text = format_report(dev_compare(user, secret), "dev", Path("o"))
    assert "FAKE-plain-password" not in text
    assert "FAKE-in-an-annotation" not in text
    assert "RkFLRQ==" not in text


def test_a_secret_without_a_type_is_opaque_not_a_replacement() -> None:
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "portfolio-secrets", "namespace": "dev"},
        "data": {"NEXTAUTH_SECRET": "RkFLRQ=="},
    }
    assert not dev_compare(secret).forces_replacement


def test_records_match_on_their_type_and_objects_on_their_api_group() -> None:
    txt = {
        "apiVersion": "dns.cnrm.cloud.google.com/v1beta1",
        "kind": "DNSRecordSet",
        "metadata": {"name": "txt", "namespace": "dev"},
        "spec": {"name": "portfolio.dev.hugecat.net.", "type": "TXT"},
    }
    gateway_api = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": "portfolio-gateway", "namespace": "dev"},
        "spec": {},
    }
    report = dev_compare(txt, gateway_api)
    assert report.matched == []
    assert [label for label, _ in report.only_kustomize] == [
        "DNSRecordSet dev/txt",
        "Gateway dev/portfolio-gateway",
    ]


def test_a_replacing_field_the_overlay_leaves_unset_is_flagged() -> None:
    address = {
        "apiVersion": "compute.cnrm.cloud.google.com/v1beta1",
        "kind": "ComputeAddress",
        "metadata": {"name": "istio-gateway-ip", "namespace": "prod"},
        "spec": {
            "addressType": "EXTERNAL",
            "ipVersion": "IPV4",
            "location": "us-central1",
        },
    }
    settings = make_settings("prod")
    report = compare([address], resources("prod"), settings)
    assert report.forces_replacement
    (matched,) = report.matched
    assert [c.path for c in matched.changes if c.forces_replacement] == ["description"]
