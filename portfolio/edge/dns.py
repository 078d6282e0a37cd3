"""``DnsRecords``: the shared DNS zone and the stack's A records.

One stack (``dnsZoneOwnerStack``) creates the Cloud DNS zone, protected and
retained on delete: deleting it would take every stack's names down. Every
stack adds an A record for each of its hosts to the zone, by name, pointing at
the ingress address the program manages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp.dns import ManagedZone, RecordSet

from portfolio import adoption

# The managed zone (base dns-zone.yaml); every host must be in its domain.
DNS_ZONE_NAME = "hugecat-net-zone"
DNS_DOMAIN = "hugecat.net"
DNS_ZONE_DESCRIPTION = "DNS zone for hugecat.net domain"
# TTL of the stack's A records (the overlays' dns-record.yaml).
DNS_RECORD_TTL = 300

TYPE_TOKEN = "portfolio:index:DnsRecords"
# Shared by every stack: never deleted by Pulumi, not even with this stack.
KEEP = pulumi.ResourceOptions(protect=True, retain_on_delete=True)


@dataclass(frozen=True)
class DnsRecordsArgs:
    """The stack's hosts, whether it owns the zone, the address, the provider."""

    project: str
    hosts: Sequence[str]
    """Every host the stack serves (``portfolio:host``, ``redirectHosts``)."""
    owner: bool
    """Whether this stack creates the zone (``portfolio:dnsZoneOwnerStack``)."""
    adopt: bool
    """Import the live zone and records (``portfolio:adopt``)."""
    address: pulumi.Input[str]
    provider: gcp.Provider


def fqdn(host: str) -> str:
    """A host as Cloud DNS writes names: absolute, with the trailing dot."""
    return f"{host}."


class DnsRecords(pulumi.ComponentResource):
    """The zone (in its owner stack) and one A record per host of the stack."""

    zone: pulumi.Output[str]
    """The managed zone's name."""

    def __init__(
        self,
        name: str,
        args: DnsRecordsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register ``<name>-dns-zone`` (owner only) and ``<name>-dns-<host>``."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        self.zone = pulumi.Output.from_input(DNS_ZONE_NAME)
        if args.owner:
            zone = ManagedZone(
                f"{name}-dns-zone",
                project=args.project,
                name=DNS_ZONE_NAME,
                dns_name=fqdn(DNS_DOMAIN),
                description=DNS_ZONE_DESCRIPTION,
                visibility="public",
                opts=pulumi.ResourceOptions.merge(
                    pulumi.ResourceOptions.merge(child, KEEP),
                    adoption.options(
                        args.adopt, adoption.dns_zone_id(args.project, DNS_ZONE_NAME)
                    ),
                ),
            )
            self.zone = zone.name
        for host in args.hosts:
            RecordSet(
                f"{name}-dns-{host}",
                project=args.project,
                managed_zone=self.zone,
                name=fqdn(host),
                type="A",
                ttl=DNS_RECORD_TTL,
                rrdatas=[args.address],
                opts=pulumi.ResourceOptions.merge(
                    child,
                    adoption.options(
                        args.adopt,
                        adoption.dns_record_id(
                            args.project, DNS_ZONE_NAME, fqdn(host), "A"
                        ),
                    ),
                ),
            )
        self.register_outputs({"zone": self.zone})
