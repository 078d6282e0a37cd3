"""Google resources registered by their type tokens, without pulumi-gcp's classes.

Each class here is the same resource of the same provider as the generated
class it names (same type token, same properties, same secret outputs), so
``pulumi up`` sees no difference. What it skips is the generated package: a
``pulumi_gcp.<module>`` import runs its ``__init__``, which loads every
resource of the module and its generated input and output types, whatever one
resource is used. ``pulumi_gcp.compute`` takes over a second; ``dns`` and
``projects`` about 20 ms each, a tenth of an offline render of three stacks
(README, "Speed"). Only flat resources are registered so: Cloud SQL and
Artifact Registry, whose nested settings the generated input types check, keep
their classes.

Properties are the provider's (camelCase) names; each constructor takes, typed,
the ones the program sets. ``id`` in ``opts`` reads an existing resource, as the
generated ``get`` does.
"""

from __future__ import annotations

from typing import Any

import pulumi

ADDRESS_TYPE = "gcp:compute/address:Address"
MANAGED_ZONE_TYPE = "gcp:dns/managedZone:ManagedZone"
RECORD_SET_TYPE = "gcp:dns/recordSet:RecordSet"
PROJECT_IAM_MEMBER_TYPE = "gcp:projects/iAMMember:IAMMember"

# Both generated classes mark the labels the provider computes as secret
# (pulumi_gcp/compute/address.py, pulumi_gcp/dns/managed_zone.py).
_SECRET_LABELS = pulumi.ResourceOptions(
    additional_secret_outputs=["effectiveLabels", "pulumiLabels"]
)


class ComputeAddress(pulumi.CustomResource):
    """``gcp.compute.Address`` (``pulumi_gcp/compute/address.py``)."""

    address: pulumi.Output[str]
    """The reserved IPv4 address, computed by Google."""

    def __init__(
        self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions
    ) -> None:
        super().__init__(
            ADDRESS_TYPE,
            name,
            {**props, "address": None},
            pulumi.ResourceOptions.merge(opts, _SECRET_LABELS),
        )


class DnsManagedZone(pulumi.CustomResource):
    """``gcp.dns.ManagedZone`` (``pulumi_gcp/dns/managed_zone.py``)."""

    name: pulumi.Output[str]
    """The zone's name, which records refer to."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        name: str,
        dns_name: str,
        description: str,
        visibility: str,
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "name": name,
            "dnsName": dns_name,
            "description": description,
            "visibility": visibility,
        }
        super().__init__(
            MANAGED_ZONE_TYPE,
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, _SECRET_LABELS),
        )


class DnsRecordSet(pulumi.CustomResource):
    """``gcp.dns.RecordSet`` (``pulumi_gcp/dns/record_set.py``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        managed_zone: pulumi.Input[str],
        name: str,
        type: str,
        ttl: int,
        rrdatas: pulumi.Input[list[pulumi.Input[str]]],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {
            "project": project,
            "managedZone": managed_zone,
            "name": name,
            "type": type,
            "ttl": ttl,
            "rrdatas": rrdatas,
        }
        super().__init__(RECORD_SET_TYPE, resource_name, props, opts)


class ProjectIamMember(pulumi.CustomResource):
    """``gcp.projects.IAMMember`` (``pulumi_gcp/projects/iam_member.py``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: str,
        role: str,
        member: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props = {"project": project, "role": role, "member": member}
        super().__init__(PROJECT_IAM_MEMBER_TYPE, resource_name, props, opts)
