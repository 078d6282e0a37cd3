"""The registration contract: parents, providers, component outputs, URNs.

Each rule guards a URN or a deployment target: a resource that loses its
parent changes its URN (a replacement once deployed), a default provider
deploys to whatever cluster or project the machine happens to point at, and a
component without outputs hides what it made from ``pulumi stack``.
"""

from __future__ import annotations

import pytest

from portfolio.deployment import TYPE_TOKEN
from render import harness
from render.fakes import STACK_REFERENCE
from render.harness import STACK_TYPE, Registration, engine_urn
from render.stackfile import load_stack
from tests.conftest import ROOT, STACKS, project

PROVIDERS = {
    "pulumi:providers:kubernetes": "kubernetes",
    "pulumi:providers:gcp": "gcp",
    "pulumi:providers:random": "random",
}


def stack_registrations(stack: str) -> list[Registration]:
    checked = load_stack(project(), ROOT / f"Pulumi.{stack}.yaml")
    return harness.run_program(ROOT / "__main__.py", project(), checked).registrations


@pytest.fixture(scope="module", params=STACKS)
def regs(request: pytest.FixtureRequest) -> list[Registration]:
    return stack_registrations(request.param)


def by_urn(regs: list[Registration]) -> dict[str, Registration]:
    return {r.urn: r for r in regs}


def test_only_the_deployment_and_the_providers_sit_at_the_top(
    regs: list[Registration],
) -> None:
    assert all(r.parent is not None for r in regs), "every resource has a parent"
    top = sorted(
        r.type for r in regs if r.parent and r.parent.split("::")[2] == STACK_TYPE
    )
    assert top == sorted([TYPE_TOKEN, *PROVIDERS])


def test_every_resource_has_a_component_of_the_program_as_parent(
    regs: list[Registration],
) -> None:
    components = {r.urn for r in regs if not r.custom}
    for r in regs:
        if r.custom and not r.is_provider:
            assert r.parent in components, f"{r.urn} has parent {r.parent}"


def test_every_component_registers_outputs(regs: list[Registration]) -> None:
    for r in regs:
        if not r.custom:
            assert r.outputs, f"{r.urn} registered no outputs"


def test_no_resource_uses_a_default_provider(regs: list[Registration]) -> None:
    explicit = {r.urn for r in regs if r.is_provider}
    assert {urn.rsplit("::", 1)[1] for urn in explicit} == set(PROVIDERS.values())
    for r in regs:
        if r.type == STACK_REFERENCE:
            # Read by the engine's own builtin provider; no plugin involved.
            assert r.provider is None and r.options == {"id": r.inputs["name"]}
        elif r.custom and not r.is_provider:
            assert r.provider in explicit, f"{r.urn} uses provider {r.provider}"
            assert r.provider is not None
            package = r.type.split(":", 1)[0]
            assert r.provider.split("::")[2] == f"pulumi:providers:{package}"


def test_the_kubernetes_provider_targets_the_stack_cluster_and_updates_in_place(
    regs: list[Registration],
) -> None:
    (provider,) = [r for r in regs if r.type == "pulumi:providers:kubernetes"]
    assert provider.inputs["context"] == "gke_kame-457417_us-central1_hobby-cluster"
    # The SDK sends provider settings as JSON strings.
    for flag in (
        "enableConfigMapMutable",
        "enableSecretMutable",
        "enableServerSideApply",
    ):
        assert provider.inputs[flag] == "true", flag


def test_the_gcp_provider_targets_the_stack_project(regs: list[Registration]) -> None:
    (provider,) = [r for r in regs if r.type == "pulumi:providers:gcp"]
    assert (provider.inputs["project"], provider.inputs["region"]) == (
        "kame-457417",
        "us-central1",
    )


def test_dependencies_and_parents_name_registered_resources(
    regs: list[Registration],
) -> None:
    known = by_urn(regs)
    for r in regs:
        assert set(r.depends_on) <= set(known), r.urn
        if r.provider is not None:
            assert r.provider in known, r.urn


def test_urns_carry_the_whole_parent_chain() -> None:
    # pulumi/pulumi pkg/resource/deploy/deployment.go, generateURN.
    stack = engine_urn("dev", "p", "", STACK_TYPE, "p-dev")
    outer = engine_urn("dev", "p", stack, "a:index:Outer", "o")
    inner = engine_urn("dev", "p", outer, "a:index:Inner", "i")
    leaf = engine_urn("dev", "p", inner, "k:core/v1:Secret", "s")
    assert outer == "urn:pulumi:dev::p::a:index:Outer::o"
    assert leaf == "urn:pulumi:dev::p::a:index:Outer$a:index:Inner$k:core/v1:Secret::s"


def test_the_deployment_waits_for_everything_its_pods_reference() -> None:
    regs = stack_registrations("dev")
    (deployment,) = [r for r in regs if r.type == "kubernetes:apps/v1:Deployment"]
    waited = {by_urn(regs)[urn].type.rsplit(":", 1)[1] for urn in deployment.depends_on}
    assert waited >= {"Namespace", "ServiceAccount", "ConfigMap", "Secret"}
