"""The Config Connector kinds the program makes as pulumi-gcp resources.

For each: the pulumi-gcp type, the input holding the Google name, and the
inputs whose change replaces the resource: the ``ForceNew`` fields of the
Google provider's schema each pulumi-gcp resource is built from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GoogleKind:
    """A Config Connector kind, the pulumi-gcp type it becomes, and its rules."""

    type: str
    name_input: str
    """The input holding the Google name (the CC object's resourceID or name)."""
    force_new: frozenset[str]
    """Inputs whose change replaces the resource (the schema's ForceNew)."""
    renamed: Mapping[str, str] = field(default_factory=dict)
    """CC spec field -> the program's input, where the names differ."""
    name_from_spec: str | None = None
    """The spec field that is the Google name, when it is not metadata.name."""


GOOGLE_KINDS: dict[str, GoogleKind] = {
    "SQLInstance": GoogleKind(
        "gcp:sql/databaseInstance:DatabaseInstance",
        "name",
        frozenset(
            {"name", "region", "project", "encryptionKeyName", "settings.collation"}
        ),
    ),
    "SQLDatabase": GoogleKind(
        "gcp:sql/database:Database", "name", frozenset({"name", "instance", "project"})
    ),
    "SQLUser": GoogleKind(
        "gcp:sql/user:User",
        "name",
        frozenset({"name", "instance", "host", "type", "project"}),
    ),
    "DNSManagedZone": GoogleKind(
        "gcp:dns/managedZone:ManagedZone",
        "name",
        frozenset({"name", "dnsName", "visibility", "project"}),
    ),
    "DNSRecordSet": GoogleKind(
        "gcp:dns/recordSet:RecordSet",
        "name",
        frozenset({"name", "managedZone", "project"}),
        name_from_spec="name",
    ),
    "ComputeAddress": GoogleKind(
        "gcp:compute/address:Address",
        "name",
        frozenset(
            {
                "name",
                "address",
                "addressType",
                "description",
                "ipVersion",
                "networkTier",
                "prefixLength",
                "purpose",
                "region",
                "subnetwork",
                "network",
                "project",
            }
        ),
        renamed={"location": "region"},
    ),
    "ArtifactRegistryRepository": GoogleKind(
        "gcp:artifactregistry/repository:Repository",
        "repositoryId",
        frozenset({"format", "repositoryId", "location", "mode", "kmsKeyName"}),
    ),
    "IAMServiceAccount": GoogleKind(
        "gcp:serviceaccount/account:Account",
        "accountId",
        frozenset({"accountId", "project"}),
    ),
}

# A reference field's kind, where its name says it (instanceRef -> SQLInstance).
REFERENCE_KINDS = {
    "instanceRef": "SQLInstance",
    "managedZoneRef": "DNSManagedZone",
    "serviceAccountRef": "IAMServiceAccount",
}
