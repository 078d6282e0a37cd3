"""The notes beside unmatched objects: what to do with each after migration.

``advice`` is for an overlay object the program does not make here (left to
its owner stack, superseded, or to delete); ``fate`` is for a program
resource the overlay does not have (imported, patched or created).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migration.objects import HASH_SUFFIX, identity, is_config_connector, is_patch
from portfolio.edge.dns import DNS_ZONE_NAME
from portfolio.edge.ingress import (
    INGRESS_ADDRESS_NAME,
    INGRESS_NAMESPACE,
    INGRESS_SERVICE_NAME,
)
from portfolio.settings.model import PortfolioSettings

_SUPERSEDED = {
    "IAMServiceAccount",
    "IAMServiceAccountKey",
    "IAMPolicy",
    "IAMPolicyMember",
}


def fate(record: Mapping[str, Any]) -> str:
    """What ``pulumi up`` does with a resource only the program has."""
    options = record["options"]
    if "import" in options:
        return f"imported from {options['import']} (portfolio:adopt)"
    if is_patch(record):
        return "patched in place: the program applies only these fields"
    return "will be created"


def advice(doc: Mapping[str, Any], settings: PortfolioSettings) -> str:
    """What to do with an object the program does not make here."""
    kind, _, name = identity(doc)
    shared = _shared_owner(kind, name, settings)
    if shared is not None:
        return shared
    if kind in _SUPERSEDED:
        return (
            "superseded by the stack's own proxy identity (no key, no "
            "project-wide policy): delete it after migration"
        )
    hashed = HASH_SUFFIX.match(name)
    if kind == "Secret" and "portfolio-db-password" in (
        name,
        hashed and hashed["base"],
    ):
        return (
            "the hand-kept database password: the program keeps it in Pulumi "
            "state; delete it after migration"
        )
    if kind == "Certificate":
        return (
            f"the program's certificate lives in {INGRESS_NAMESPACE}, where "
            "Istio reads it; delete this one after migration"
        )
    if is_config_connector(doc):
        return "no counterpart in the program: delete it after migration"
    return "not made by the program: delete it after migration if nothing uses it"


def _shared_owner(kind: str, name: str, settings: PortfolioSettings) -> str | None:
    owners = {
        ("DNSManagedZone", DNS_ZONE_NAME): (
            settings.dns_zone_owner_stack,
            "portfolio:dnsZoneOwnerStack",
        ),
        ("ComputeAddress", INGRESS_ADDRESS_NAME): (
            settings.ingress_address_owner_stack,
            "portfolio:ingressAddressOwnerStack",
        ),
        ("Service", INGRESS_SERVICE_NAME): (
            settings.ingress_address_owner_stack,
            "portfolio:ingressAddressOwnerStack",
        ),
    }
    found = owners.get((kind, name))
    if found is None:
        return None
    owner, key = found
    if kind == "Service":
        return (
            f"a copy the overlay's namespace put here; the gateway's Service is "
            f"{INGRESS_NAMESPACE}/{name}, which the {owner} stack ({key}) "
            "patches: delete this copy after migration"
        )
    if owner == settings.namespace:
        return f"owned by this stack ({key}); see its counterpart"
    return f"shared by every stack and owned by {owner} ({key}): leave it to {owner}"
