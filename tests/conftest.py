"""Shared test helpers: settings factory, mock-engine runner, rendered stacks.

Config defaults come from the committed ``Pulumi.yaml`` through the renderer's
own loader, so the tests exercise the values users deploy, not a copy of them.
The mock engine is ``render.engine``'s: the same ``FakeCloud`` mocks the
renderer uses, run in a fresh SDK context per call, so no reset is needed.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings as hypothesis_settings

from portfolio import providers
from portfolio.deployment import PortfolioDeployment, PortfolioDeploymentArgs
from portfolio.settings.model import SECRET_KEYS, PortfolioSettings
from portfolio.settings.parsing import parse_settings
from render import cli, harness, output, sdk_internals
from render.config_values import to_config_string
from render.fakes import FakeCloud
from render.harness import Registration
from render.stackfile import (
    Project,
    check_stack,
    load_project,
    stack_files,
    stack_name,
)

ROOT = Path(__file__).resolve().parent.parent

# The property tests draw the same examples on every machine and every run, and
# keep no example database, so a red run is reproducible and a green one stays
# green.
hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
hypothesis_settings.load_profile("deterministic")
# Every Pulumi.<stack>.yaml of the repository: what "every stack" means, so a
# stack added the documented way (docs/delivery.md, "Add a stack") is tested too.
STACKS = tuple(stack_name(path) for path in stack_files(ROOT))
# The stacks that had a kustomize overlay: parity with kustomize is theirs only.
OVERLAY_STACKS = ("dev", "staging", "prod")

# Obviously fake values for the keys a stack must set; never real credentials.
FAKE_REQUIRED: dict[str, Any] = {"host": "portfolio.test.hugecat.net"}
# The provider settings every stack carries (see portfolio.providers).
FAKE_PROVIDER: dict[str, str] = {
    "gcp:project": "test-project",
    "gcp:region": "us-central1",
    "kubernetes:context": "test-context",
}


def python_m_render(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m render ARGS`` in ``cwd``, as a user runs it; never raises."""
    return subprocess.run(
        [sys.executable, "-m", "render", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@functools.cache
def project() -> Project:
    """The committed Pulumi.yaml."""
    return load_project(ROOT / "Pulumi.yaml")


def raw_config(**overrides: Any) -> dict[str, str]:
    """Pulumi.yaml defaults, the fake required values, then overrides, as strings."""
    values: dict[str, Any] = {
        key: d.default for key, d in project().declarations.items() if d.has_default
    }
    values.update(FAKE_REQUIRED)
    values.update(overrides)
    return {key: to_config_string(value) for key, value in values.items()}


def make_settings(namespace: str = "test", **overrides: Any) -> PortfolioSettings:
    """Settings as a stack with these config values (short keys) would get them.

    Values of secret keys count as set with ``--secret``.
    """
    return parse_settings(
        namespace, raw_config(**overrides), FAKE_PROVIDER, SECRET_KEYS
    )


def deploy(settings: PortfolioSettings) -> PortfolioDeployment:
    """What ``__main__.py`` does: the providers, then the component."""
    return PortfolioDeployment(
        "portfolio",
        PortfolioDeploymentArgs(
            settings=settings, providers=providers.create(settings)
        ),
    )


def deployed_stack_outputs(qualified: str) -> dict[str, Any]:
    """Outputs of another deployed stack: each runs a digest made from its name."""
    digest = hashlib.sha256(qualified.encode()).hexdigest()
    return {"imageDigest": f"sha256:{digest}"}


def run_component(
    settings: PortfolioSettings, fake: FakeCloud | None = None
) -> list[Registration]:
    """Register a PortfolioDeployment under mocks; return every registration.

    Stack references read ``deployed_stack_outputs`` unless ``fake`` says else.
    """
    return harness.run(
        lambda: deploy(settings),
        project="portfolio",
        stack=settings.namespace,
        config={},
        fake=fake or FakeCloud(stacks=deployed_stack_outputs),
    ).registrations


def of_type(registrations: list[Registration], type_: str) -> list[Registration]:
    """The registrations of one Pulumi type token."""
    return [r for r in registrations if r.type == type_]


def manifests(registrations: list[Registration]) -> list[dict[str, Any]]:
    """The Kubernetes objects, as the renderer writes them (secrets redacted)."""
    return [
        output.redact(r.inputs) for r in registrations if output.is_kubernetes_object(r)
    ]


def one(regs: list[Registration], type_: str) -> Registration:
    """The one registration of a Pulumi type token."""
    (registration,) = of_type(regs, type_)
    return registration


def plain(value: Any) -> Any:
    """Registration inputs with secrets unwrapped: tests may read fake values."""
    if sdk_internals.is_secret(value):
        return plain(sdk_internals.unwrap_secret(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def everything_rendered(regs: list[Registration]) -> str:
    """Every manifest and every registration's redacted inputs and outputs."""
    dumps = [yaml.safe_dump_all(manifests(regs))]
    for r in regs:
        dumps.append(yaml.safe_dump(output.redact(r.inputs)))
        dumps.append(yaml.safe_dump(output.redact(r.outputs or {})))
    dumps.append(output.resources_yaml(regs))
    dumps.append(output.kubernetes_yaml(regs))
    return "\n".join(dumps)


def find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    """The one object of a kind and name."""
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def container(docs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """A container of Deployment portfolio, the app or the proxy sidecar."""
    pod = find(docs, "Deployment", "portfolio")["spec"]["template"]["spec"]
    every = pod["containers"] + pod.get("initContainers", [])
    (match,) = [c for c in every if c["name"] == name]
    return dict(match)


@functools.cache
def rendered_stack(stack: str) -> cli.Rendered:
    """A committed stack rendered exactly as ``python -m render`` does it."""
    checked = check_stack(project(), ROOT / f"Pulumi.{stack}.yaml")
    return cli.render_stack(project(), checked)


@pytest.fixture(scope="session")
def committed_stacks() -> list[str]:
    """Every Pulumi.<stack>.yaml in the repository."""
    return [path.name for path in stack_files(ROOT)]
