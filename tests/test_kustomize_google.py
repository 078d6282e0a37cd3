"""Each overlay's Config Connector objects against the Google resources replacing them.

Cloud SQL, the DNS records and the shared zone and address, matched by their
Google names in each stack's ``resources.yaml``; every object kustomize
deployed is compared, matched or listed with its reason.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from render.fakes import fake_address
from tests.conftest import OVERLAY_STACKS, rendered_stack
from tests.test_kustomize_parity import (
    FIXTURES,
    HOSTS,
    NOT_OURS,
    PROJECT,
    SHARED,
    by_key,
    is_config_connector,
    key,
    kustomize,
    ours,
)
from tests.test_stacks import ADDRESS, OWNER


def google(stack: str) -> list[dict[str, Any]]:
    """Every Google resource the stack registers or reads, from resources.yaml."""
    return [
        r
        for r in yaml.safe_load_all(rendered_stack(stack).resources)
        if r["type"].startswith("gcp:")
    ]


def named(stack: str, type_: str) -> dict[str, dict[str, Any]]:
    """The stack's Google resources of one type, by their Google name."""
    return {r["inputs"]["name"]: r for r in google(stack) if r["type"] == type_}


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_the_cloud_sql_objects_are_native_resources_with_the_overlays_values(
    stack: str,
) -> None:
    docs = by_key(kustomize(stack))
    (sql,) = [d for k, d in docs.items() if k[0] == "SQLInstance"]
    instance = named(stack, "gcp:sql/databaseInstance:DatabaseInstance")[
        sql["metadata"]["name"]
    ]
    wanted = sql["spec"]
    inputs, settings = instance["inputs"], instance["inputs"]["settings"]
    assert inputs["databaseVersion"] == wanted["databaseVersion"]
    assert inputs["region"] == wanted["region"]
    for field in ("tier", "diskSize", "diskType", "backupConfiguration"):
        assert settings[field] == wanted["settings"][field], field
    assert settings["maintenanceWindow"] == wanted["settings"]["maintenanceWindow"]
    assert settings["availabilityType"] == wanted["settings"].get(
        "availabilityType", "ZONAL"
    )
    ip = wanted["settings"]["ipConfiguration"]
    # requireSsl: true is TRUSTED_CLIENT_CERTIFICATE_REQUIRED (Cloud SQL Admin API).
    assert ip["requireSsl"] is True
    assert settings["ipConfiguration"] == {
        "sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        "authorizedNetworks": ip["authorizedNetworks"],
    }
    # Config Connector's deletion-policy abandon becomes protection, twice over.
    assert sql["metadata"]["annotations"]["cnrm.cloud.google.com/deletion-policy"]
    assert inputs["deletionProtection"] and settings["deletionProtectionEnabled"]
    assert instance["options"]["protect"] is True

    (db,) = [d for k, d in docs.items() if k[0] == "SQLDatabase"]
    (user,) = [d for k, d in docs.items() if k[0] == "SQLUser"]
    database = named(stack, "gcp:sql/database:Database")[db["metadata"]["name"]]
    sql_user = named(stack, "gcp:sql/user:User")[user["metadata"]["name"]]
    assert database["inputs"]["charset"] == db["spec"]["charset"]
    assert database["inputs"]["collation"] == db["spec"]["collation"]
    # The overlays renamed the instance but not their references to it
    # (instanceRef portfolio-db-base); the program refers to the real one.
    assert db["spec"]["instanceRef"]["name"] == "portfolio-db-base"
    for child in (database, sql_user):
        assert child["inputs"]["instance"] == sql["metadata"]["name"]
    assert sql_user["inputs"]["password"] == "[secret]"


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_dns_records_point_at_the_managed_address_for_the_stacks_hosts(
    stack: str,
) -> None:
    overlay = [d for d in kustomize(stack) if d["kind"] == "DNSRecordSet"]
    records = named(stack, "gcp:dns/recordSet:RecordSet")
    (address,) = [r for r in google(stack) if r["type"] == ADDRESS]
    ip = fake_address("istio-gateway-ip")
    # The overlays' names (dev's and staging's are their own hosts already).
    assert sorted(records) == sorted(d["spec"]["name"] for d in overlay)
    assert sorted(records) == sorted(f"{h}." for h in HOSTS[stack])
    for record in overlay:
        mine = records[record["spec"]["name"]]["inputs"]
        assert (mine["type"], mine["ttl"]) == (record["spec"]["type"], 300)
        assert mine["managedZone"] == record["spec"]["managedZoneRef"]["name"]
        # Not the overlays' literal addresses (dev's was 0.0.0.0).
        assert mine["rrdatas"] == [ip] != record["spec"]["rrdatas"]
    if stack == OWNER:
        assert address["inputs"]["name"] == "istio-gateway-ip"
        assert address["options"]["protect"] is True
    else:  # read, never created
        assert address["options"] == {
            "id": f"projects/{PROJECT}/regions/us-central1/addresses/istio-gateway-ip"
        }


@pytest.mark.parametrize("stack", OVERLAY_STACKS)
def test_shared_objects_have_one_owner(stack: str) -> None:
    zone = named(stack, "gcp:dns/managedZone:ManagedZone")
    kinds = {(d["kind"], d["metadata"]["name"]) for d in ours(stack)}
    owns = stack == OWNER
    assert bool(zone) is owns
    assert (("Service", "istio-ingressgateway") in kinds) is owns
    if owns:
        (overlay_zone,) = [d for d in kustomize(stack) if d["kind"] == "DNSManagedZone"]
        inputs = zone["hugecat-net-zone"]["inputs"]
        assert inputs["dnsName"] == overlay_zone["spec"]["dnsName"]
        assert inputs["description"] == overlay_zone["spec"]["description"]
        assert inputs["visibility"] == overlay_zone["spec"]["visibility"]
        (patch,) = [
            d for d in ours(stack) if d["metadata"]["name"] == "istio-ingressgateway"
        ]
        assert patch["metadata"]["namespace"] == "istio-system"
        assert patch["spec"] == {"loadBalancerIP": fake_address("istio-gateway-ip")}


def test_every_overlay_object_is_accounted_for() -> None:
    # Each object is compared above, matched to a Google resource, or listed
    # with its reason: nothing kustomize deployed is silently dropped.
    compared = {"SQLInstance", "SQLDatabase", "SQLUser", "DNSRecordSet"}
    for stack in OVERLAY_STACKS:
        for doc in yaml.safe_load_all((FIXTURES / f"{stack}.yaml").read_text()):
            accounted = (
                key(doc) in NOT_OURS
                or key(doc) in SHARED
                or doc["kind"] in compared
                or not is_config_connector(doc)
            )
            assert accounted, (stack, key(doc))
