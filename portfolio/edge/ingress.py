"""``IngressAddress``: the static IP of the shared Istio ingress gateway.

One stack (``ingressAddressOwnerStack``) creates the regional address,
protected and retained on delete, and pins the gateway's Service to it. The
other stacks read the same address by its ID (``Address.get``: a read, never
a create, update or delete), so every A record points at the address the
program manages, never at a literal IP.

The ``istio-ingressgateway`` Service belongs to the Istio installation in
``istio-system``, which creates it with its ports and selector and keeps them
in step with the gateway's Deployment. The overlays instead put a copy of it
in every stack's namespace (kustomize's ``namespace:`` moves it), where it
selects no pod and competes for the same IP. Here the owner stack manages one
field of the real Service, ``spec.loadBalancerIP``, through a server-side
apply patch (``ServicePatch``): Pulumi owns that field only, the installation
keeps the rest, and the patch is retained on delete so the gateway keeps its
address if the stack goes away.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

# From its own module, which needs nothing else of ``pulumi_gcp.compute``: the
# package (every compute resource and type, about a second) stays unloaded.
# The other Google classes come from their packages, as documented: their
# modules load the whole package anyway, and one imported before its package
# would leave the package without its classes (tests/test_gcp_classes.py).
from pulumi_gcp.compute.address import Address

from portfolio import adoption

# The regional static IP (base istio-static-ip.yaml), and the Istio
# installation's LoadBalancer Service pinned to it (base
# istio-ingressgateway-service.yaml), in the gateway's namespace, where the
# TLS certificates live too.
INGRESS_ADDRESS_NAME = "istio-gateway-ip"
INGRESS_NAMESPACE = "istio-system"
INGRESS_SERVICE_NAME = "istio-ingressgateway"

TYPE_TOKEN = "portfolio:index:IngressAddress"
# Shared by every stack: never deleted by Pulumi, not even with this stack.
KEEP = pulumi.ResourceOptions(protect=True, retain_on_delete=True)


@dataclass(frozen=True)
class IngressAddressArgs:
    """Where the address is, whether this stack owns it, and the providers."""

    project: str
    region: str
    owner: bool
    """Whether this stack creates it (``portfolio:ingressAddressOwnerStack``)."""
    adopt: bool
    """Import the live address (``portfolio:adopt``), owner only."""
    gcp_provider: gcp.Provider
    kubernetes_provider: k8s.Provider


def address_id(project: str, region: str) -> str:
    """The address's ID, as ``Address.get`` and ``pulumi import`` take it."""
    return adoption.address_id(project, region, INGRESS_ADDRESS_NAME)


class IngressAddress(pulumi.ComponentResource):
    """The ingress gateway's address: created by its owner, read by the others."""

    address: pulumi.Output[str]
    """The IPv4 address."""

    def __init__(
        self,
        name: str,
        args: IngressAddressArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register ``<name>-ingress-address`` (and the owner's Service patch)."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.gcp_provider)
        live_id = address_id(args.project, args.region)
        if args.owner:
            address = Address(
                f"{name}-ingress-address",
                project=args.project,
                region=args.region,
                name=INGRESS_ADDRESS_NAME,
                address_type="EXTERNAL",
                ip_version="IPV4",
                description="Static IP for Istio ingress gateway",
                opts=pulumi.ResourceOptions.merge(
                    pulumi.ResourceOptions.merge(child, KEEP),
                    adoption.options(args.adopt, live_id),
                ),
            )
            # A patch is never imported: it applies its fields to the live
            # Service, over Flux's field manager while adopting (providers.py).
            k8s.core.v1.ServicePatch(
                f"{name}-ingress-service",
                metadata=k8s.meta.v1.ObjectMetaPatchArgs(
                    name=INGRESS_SERVICE_NAME, namespace=INGRESS_NAMESPACE
                ),
                spec=k8s.core.v1.ServiceSpecPatchArgs(load_balancer_ip=address.address),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    provider=args.kubernetes_provider,
                    retain_on_delete=True,
                ),
            )
        else:
            address = Address.get(f"{name}-ingress-address", live_id, opts=child)
        self.address = address.address
        self.register_outputs({"address": self.address})
