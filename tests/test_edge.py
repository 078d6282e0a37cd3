"""The shared DNS zone, the ingress gateway's address, and the stack's A records.

One stack owns the zone and the address (both protected and retained on
delete); every stack points its records at the address the program manages.
"""

from __future__ import annotations

from typing import Any

import pytest

from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import SettingsError
from render import output
from render.fakes import fake_address
from render.harness import Registration
from tests.conftest import make_settings, of_type, run_component

ZONE = "gcp:dns/managedZone:ManagedZone"
ADDRESS = "gcp:compute/address:Address"
RECORD = "gcp:dns/recordSet:RecordSet"
SERVICE_PATCH = "kubernetes:core/v1:ServicePatch"
REDIRECTS = ["hugecat.net", "www.hugecat.net"]
GATEWAY_IP = fake_address("istio-gateway-ip")
ADDRESS_ID = "projects/test-project/regions/us-central1/addresses/istio-gateway-ip"

# Both ways a stack becomes the owner: by name, or by naming it owner.
OWNERS = [
    pytest.param(("prod", {}), id="prod"),
    pytest.param(
        ("test", {"dnsZoneOwnerStack": "test", "ingressAddressOwnerStack": "test"}),
        id="named-owner",
    ),
]
EVERY_STACK = [
    *OWNERS,
    pytest.param(("test", {}), id="non-owner"),
    pytest.param(("staging", {}), id="staging"),
]


def run(case: tuple[str, dict[str, Any]], **overrides: Any) -> list[Registration]:
    namespace, owner = case
    return run_component(make_settings(namespace, **owner, **overrides))


def inputs(registration: Registration) -> dict[str, Any]:
    return dict(output.redact(registration.inputs))


def one(regs: list[Registration], type_: str) -> Registration:
    (registration,) = of_type(regs, type_)
    return registration


def records(regs: list[Registration]) -> dict[str, list[dict[str, Any]]]:
    """The A records' inputs by record name, every record of a name kept."""
    found: dict[str, list[dict[str, Any]]] = {}
    for registration in of_type(regs, RECORD):
        record = inputs(registration)
        found.setdefault(record["name"], []).append(record)
    return found


def inputs_of_records(regs: list[Registration]) -> list[dict[str, Any]]:
    return [inputs(r) for r in of_type(regs, RECORD)]


def problems(namespace: str = "test", **overrides: Any) -> list[tuple[str, str]]:
    with pytest.raises(SettingsError) as raised:
        make_settings(namespace, **overrides)
    return raised.value.problems


@pytest.mark.parametrize("case", OWNERS)
def test_the_owner_creates_the_zone_protected_and_retained(
    case: tuple[str, dict[str, Any]],
) -> None:
    zone = one(run(case), ZONE)
    assert inputs(zone)["dnsName"] == "hugecat.net."
    assert inputs(zone)["name"] == "hugecat-net-zone"
    assert zone.options.get("protect") is True
    assert zone.options.get("retainOnDelete") is True


@pytest.mark.parametrize("case", OWNERS)
def test_the_owner_creates_the_address_protected_and_retained(
    case: tuple[str, dict[str, Any]],
) -> None:
    address = one(run(case), ADDRESS)
    assert "id" not in address.options  # created, not read
    assert inputs(address)["addressType"] == "EXTERNAL"
    assert inputs(address)["ipVersion"] == "IPV4"
    assert inputs(address)["name"] == "istio-gateway-ip"
    assert inputs(address)["region"] == "us-central1"
    assert address.options.get("protect") is True
    assert address.options.get("retainOnDelete") is True


@pytest.mark.parametrize("case", OWNERS)
def test_the_owner_pins_the_istio_gateway_service_to_the_address(
    case: tuple[str, dict[str, Any]],
) -> None:
    regs = run(case)
    patch = one(regs, SERVICE_PATCH)
    found = inputs(patch)
    assert found["metadata"]["namespace"] == "istio-system"
    assert found["metadata"]["name"] == "istio-ingressgateway"
    # The patch owns this one field; the Istio installation keeps the rest.
    assert found["spec"] == {"loadBalancerIP": GATEWAY_IP}
    assert patch.options.get("retainOnDelete") is True
    assert one(regs, ADDRESS).urn in patch.depends_on


def test_a_non_owner_creates_no_zone_and_no_patch() -> None:
    regs = run_component(make_settings("test"))
    assert of_type(regs, ZONE) == []
    assert of_type(regs, SERVICE_PATCH) == []
    assert [r for r in regs if r.type.endswith(":ServicePatch")] == []


def test_a_non_owner_reads_the_address_by_its_id() -> None:
    address = one(run_component(make_settings("test")), ADDRESS)
    assert address.options == {"id": ADDRESS_ID}


@pytest.mark.parametrize("case", EVERY_STACK)
def test_each_host_gets_one_a_record_at_the_address(
    case: tuple[str, dict[str, Any]],
) -> None:
    regs = run(case, redirectHosts=REDIRECTS)
    settings: PortfolioSettings = make_settings(case[0], **case[1])
    hosts = [settings.host, *REDIRECTS]
    found = records(regs)
    assert sorted(found) == sorted(f"{host}." for host in hosts)
    for host in hosts:
        (record,) = found[f"{host}."]
        assert record["type"] == "A"
        assert record["rrdatas"] == [GATEWAY_IP]
        assert record["managedZone"] == "hugecat-net-zone"
        assert record["ttl"] == 300


@pytest.mark.parametrize("case", EVERY_STACK)
def test_records_point_at_the_managed_address_not_a_literal(
    case: tuple[str, dict[str, Any]],
) -> None:
    regs = run(case, redirectHosts=REDIRECTS)
    address_urn = one(regs, ADDRESS).urn
    for registration in of_type(regs, RECORD):
        assert inputs(registration)["rrdatas"] == [GATEWAY_IP]
        assert address_urn in registration.depends_on


def test_the_owner_records_wait_for_the_zone() -> None:
    regs = run_component(make_settings("prod"))
    zone_urn = one(regs, ZONE).urn
    for registration in of_type(regs, RECORD):
        assert zone_urn in registration.depends_on


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"host": "portfolio.example.com"}, "portfolio:host"),
        ({"host": "portfolio.nothugecat.net"}, "portfolio:host"),
        ({"redirectHosts": ["example.com"]}, "portfolio:redirectHosts"),
    ],
)
def test_a_host_outside_the_domain_is_refused(
    overrides: dict[str, Any], key: str
) -> None:
    found = problems(**overrides)
    assert any(
        k == key and "is not in the DNS zone's domain hugecat.net" in message
        for k, message in found
    ), found


@pytest.mark.parametrize(
    "redirects",
    [["portfolio.test.hugecat.net"], ["www.hugecat.net", "www.hugecat.net"]],
)
def test_a_host_given_twice_is_refused(redirects: list[str]) -> None:
    found = problems(redirectHosts=redirects)
    assert any(
        k == "portfolio:redirectHosts" and "is given twice" in message
        for k, message in found
    ), found
