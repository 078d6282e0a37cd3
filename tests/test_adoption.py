"""``portfolio:adopt``: the live objects are imported by their IDs, never created.

Each expected ID is written out here, in the provider's documented form, so a
change to how the program names or finds an object fails this file.
"""

from __future__ import annotations

import dataclasses

import pytest

from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import SettingsError
from render import harness
from render.harness import Registration
from render.stackfile import load_stack
from tests.conftest import ROOT, make_settings, project, run_component

PROJECT = "kame-457417"
LIVE_PASSWORD = "FAKE-live-password"


def adopting(stack: str) -> PortfolioSettings:
    return make_settings(stack, adopt=True, databasePassword=LIVE_PASSWORD)


def committed_adopting(stack: str) -> list[Registration]:
    """The real program on the committed stack file, with adoption switched on."""
    committed = load_stack(project(), ROOT / f"Pulumi.{stack}.yaml")
    config = {
        **committed.config,
        "portfolio:adopt": "true",
        "portfolio:databasePassword": LIVE_PASSWORD,
    }
    secret = (*committed.secret_keys, "portfolio:databasePassword")
    adopting_stack = dataclasses.replace(committed, config=config, secret_keys=secret)
    run = harness.run_program(ROOT / "__main__.py", project(), adopting_stack)
    return run.registrations


def by_name(registrations: list[Registration]) -> dict[str, Registration]:
    return {r.name: r for r in registrations}


def imports(registrations: list[Registration]) -> dict[str, str]:
    return {r.name: r.options["import"] for r in registrations if "import" in r.options}


def expected_imports(stack: str, hosts: list[str], sql: str) -> dict[str, str]:
    """Every object the overlays, Flux or a person made, by its import ID."""
    ns = stack
    instance = f"portfolio-{sql}-db"
    wanted = {
        "portfolio-namespace": ns,
        "portfolio-regcred": f"{ns}/regcred",
        "portfolio-service-account": f"{ns}/portfolio-workload-identity",
        "portfolio-deployment": f"{ns}/portfolio",
        "portfolio-service": f"{ns}/portfolio",
        "portfolio-network-policy": f"{ns}/portfolio-network-policy",
        "portfolio-gateway": f"{ns}/portfolio-gateway",
        "portfolio-virtual-service": f"{ns}/portfolio-virtualservice",
        "portfolio-authorization-policy": f"{ns}/portfolio-allow-all",
        "portfolio-sql-instance": f"projects/{PROJECT}/instances/{instance}",
        "portfolio-sql-database": (
            f"projects/{PROJECT}/instances/{instance}/databases/"
            f"portfolio-{sql}-database"
        ),
        "portfolio-sql-user": f"{PROJECT}/{instance}/portfolio-{sql}-user",
    }
    for host in hosts:
        wanted[f"portfolio-dns-{host}"] = (
            f"projects/{PROJECT}/managedZones/hugecat-net-zone/rrsets/{host}./A"
        )
    return wanted


OWNER_IMPORTS = {
    "portfolio-repository": (
        f"projects/{PROJECT}/locations/us-central1/repositories/kame-house-images"
    ),
    "portfolio-dns-zone": f"projects/{PROJECT}/managedZones/hugecat-net-zone",
    "portfolio-ingress-address": (
        f"projects/{PROJECT}/regions/us-central1/addresses/istio-gateway-ip"
    ),
}


@pytest.mark.parametrize("stack", ["dev", "staging"])
def test_a_reader_stack_imports_each_live_object_by_its_id(stack: str) -> None:
    hosts = [f"portfolio.{stack}.hugecat.net"]
    assert imports(committed_adopting(stack)) == expected_imports(stack, hosts, stack)


def test_the_owner_also_imports_the_repository_zone_and_address() -> None:
    hosts = ["portfolio.hugecat.net", "hugecat.net", "www.hugecat.net"]
    assert imports(committed_adopting("prod")) == {
        **expected_imports("prod", hosts, "prod"),
        **OWNER_IMPORTS,
    }


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_everything_adopted_is_protected_while_adopting(stack: str) -> None:
    for registration in run_component(adopting(stack)):
        if "import" in registration.options:
            assert registration.options.get("protect") is True, registration.name


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_what_never_existed_is_created(stack: str) -> None:
    registrations = by_name(run_component(adopting(stack)))
    # The per-stack identities and their grants, the generated secrets, the
    # Certificate in the gateway's namespace, and the gateway's IP patch.
    never_live = {
        "portfolio-pull",
        "portfolio-proxy",
        "portfolio-pull-key",
        "portfolio-pull-reader",
        "portfolio-proxy-sql-client",
        "portfolio-proxy-workload-identity",
        "portfolio-checksum-key",
        "portfolio-nextauth-secret",
        "portfolio-certificate",
        # kustomize's generators named the live ones <name>-<hash>.
        "portfolio-config",
        "portfolio-secrets",
        "portfolio-db-secret",
    }
    if stack == "prod":
        never_live.add("portfolio-ingress-service")
    assert never_live <= set(registrations)
    for name in never_live:
        assert "import" not in registrations[name].options, name


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_normal_runs_import_nothing_and_never_force(stack: str) -> None:
    registrations = run_component(make_settings(stack))
    assert not [r.name for r in registrations if "import" in r.options]
    (provider,) = [r for r in registrations if r.type == "pulumi:providers:kubernetes"]
    assert "enablePatchForce" not in provider.inputs


def test_patch_force_only_while_adopting() -> None:
    registrations = run_component(adopting("dev"))
    (provider,) = [r for r in registrations if r.type == "pulumi:providers:kubernetes"]
    assert provider.inputs["enablePatchForce"] == "true"


def test_the_service_ignores_the_ip_the_cluster_assigned() -> None:
    # An adopted Service's imported inputs hold the live clusterIP, a field
    # pulumi-kubernetes replaces the Service over.
    for settings in (make_settings("dev"), adopting("dev")):
        service = by_name(run_component(settings))["portfolio-service"]
        assert service.options["ignoreChanges"] == ["spec.clusterIP", "spec.clusterIPs"]


@pytest.mark.parametrize("adopt", [False, True])
def test_no_object_claims_flux_owns_it(adopt: bool) -> None:
    settings = adopting("prod") if adopt else make_settings("prod")
    for registration in run_component(settings):
        if not registration.type.startswith("kubernetes:"):
            continue
        text = repr(registration.inputs)
        assert "flux" not in text, registration.name
        labels = registration.inputs["metadata"].get("labels", {})
        if "app.kubernetes.io/managed-by" in labels:
            assert labels["app.kubernetes.io/managed-by"] == "pulumi"


def test_adopting_without_the_live_password_is_refused() -> None:
    with pytest.raises(SettingsError) as raised:
        make_settings("dev", adopt=True)
    (problem,) = raised.value.problems
    assert problem[0] == "portfolio:adopt"
    assert "portfolio:databasePassword" in problem[1]


def test_adopting_carries_the_live_password_to_the_user_and_the_app() -> None:
    registrations = by_name(run_component(adopting("dev")))
    user = registrations["portfolio-sql-user"].inputs
    assert LIVE_PASSWORD in repr(user["password"])
    assert not [
        r
        for r in registrations.values()
        if r.type.startswith("random:index/randomPassword")
        and r.name == "portfolio-sql-password"
    ]
