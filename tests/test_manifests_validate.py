"""Rendered manifests pass ``kubernetes-validate --strict`` for 1.33 and the newest.

kubernetes-validate knows the built-in kinds only. The Istio and cert-manager
objects are custom resources whose schemas come with their CRDs, which no
package here ships; their specs are checked field by field in
``tests/test_mesh.py``, and here only that they are exactly those kinds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from kubernetes_validate import utils

from tests.conftest import STACKS, rendered_stack

VALIDATOR = Path(sys.executable).parent / "kubernetes-validate"
VERSIONS = ("1.33.0", utils.latest_version())
CUSTOM_KINDS = {
    ("networking.istio.io/v1beta1", "Gateway"),
    ("networking.istio.io/v1beta1", "VirtualService"),
    ("security.istio.io/v1beta1", "AuthorizationPolicy"),
    ("cert-manager.io/v1", "Certificate"),
}


def built_in(text: str) -> list[dict[str, object]]:
    """The documents of kinds Kubernetes itself defines."""
    return [
        d
        for d in yaml.safe_load_all(text)
        if (d["apiVersion"], d["kind"]) not in CUSTOM_KINDS
    ]


def validate(path: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VALIDATOR), "--strict", "--kubernetes-version", version, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_newest_schema_is_newer_than_1_33() -> None:
    assert tuple(map(int, VERSIONS[1].split("."))) > (1, 33, 0)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("stack", STACKS)
def test_rendered_stack_is_valid_kubernetes(
    tmp_path: Path, stack: str, version: str
) -> None:
    documents = built_in(rendered_stack(stack).kubernetes)
    path = tmp_path / "kubernetes.yaml"
    path.write_text(yaml.safe_dump_all(documents))
    result = validate(path, version)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" passed for resource ") == len(documents)


@pytest.mark.parametrize("stack", STACKS)
def test_the_only_custom_resources_are_istio_and_cert_manager(stack: str) -> None:
    documents = list(yaml.safe_load_all(rendered_stack(stack).kubernetes))
    custom = {(d["apiVersion"], d["kind"]) for d in documents} - {
        (d["apiVersion"], d["kind"]) for d in built_in(rendered_stack(stack).kubernetes)
    }
    assert custom == CUSTOM_KINDS


def test_strict_validation_rejects_an_unknown_field(tmp_path: Path) -> None:
    docs = list(yaml.safe_load_all(rendered_stack("dev").kubernetes))
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(deployment))
    assert validate(path, VERSIONS[0]).returncode != 0
