"""``Mesh``: the stack's Istio routing and its TLS certificate.

Gateway, VirtualService and AuthorizationPolicy in the stack's namespace; the
cert-manager Certificate in the ingress gateway's namespace, where Istio reads
a Gateway's ``credentialName`` (Istio's cert-manager integration guide: "The
Certificate should be created in the same namespace as the
istio-ingressgateway deployment"). All are ``CustomResource`` objects built by
``portfolio.mesh.mesh_specs``; the cluster must have Istio's and cert-manager's
CRDs installed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.apiextensions import CustomResource

from portfolio import adoption, names
from portfolio.edge.ingress import INGRESS_NAMESPACE
from portfolio.mesh import mesh_specs

TYPE_TOKEN = "portfolio:index:Mesh"


@dataclass(frozen=True)
class MeshArgs:
    """The stack's hosts and certificate, its namespace, the Kubernetes provider."""

    host: str
    redirect_hosts: Sequence[str]
    """Hosts answered with a redirect to ``host``."""
    certificate: str
    """The Certificate and its Secret, in the gateway's namespace."""
    namespace_name: str
    """The stack's namespace: the Service's cluster host, the import IDs."""
    namespace: pulumi.Input[str]
    """The same, as the Namespace object's output, so the objects wait for it."""
    environment_labels: Mapping[str, str]
    adopt: bool
    """Import the live Istio objects (``portfolio:adopt``)."""
    provider: k8s.Provider


class Mesh(pulumi.ComponentResource):
    """How requests for the stack's hosts reach the app."""

    hosts: list[str]
    """Every host the Gateway, VirtualService and certificate serve."""

    def __init__(
        self,
        name: str,
        args: MeshArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register the four objects as ``<name>-gateway`` and so on."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        hosts = [args.host, *args.redirect_hosts]
        objects = [
            ("gateway", mesh_specs.GATEWAY_API, "Gateway", names.GATEWAY,
             args.namespace, mesh_specs.gateway_spec(hosts, args.certificate)),
            ("virtual-service", mesh_specs.VIRTUAL_SERVICE_API, "VirtualService",
             names.VIRTUAL_SERVICE, args.namespace,
             mesh_specs.virtual_service_spec(
                 args.host, args.redirect_hosts, args.namespace_name)),
            ("authorization-policy", mesh_specs.AUTHORIZATION_POLICY_API,
             "AuthorizationPolicy", names.AUTHORIZATION_POLICY, args.namespace,
             mesh_specs.authorization_policy_spec()),
            ("certificate", mesh_specs.CERTIFICATE_API, "Certificate",
             args.certificate, INGRESS_NAMESPACE,
             mesh_specs.certificate_spec(hosts, args.certificate)),
        ]  # fmt: skip
        for part, api_version, kind, object_name, namespace, spec in objects:
            CustomResource(
                f"{name}-{part}",
                api_version=api_version,
                kind=kind,
                metadata=names.metadata(
                    object_name,
                    namespace=namespace,
                    environment_labels=args.environment_labels,
                    labels=names.SELECTOR,
                ),
                spec=spec,
                opts=pulumi.ResourceOptions.merge(
                    child, _adopted(args, kind, object_name)
                ),
            )
        self.hosts = hosts
        self.register_outputs({"hosts": self.hosts})


def _adopted(args: MeshArgs, kind: str, name: str) -> pulumi.ResourceOptions:
    """Import the overlays' live object while adopting: all but the Certificate.

    The overlays put the Certificate in the stack's namespace, where Istio
    never read it; the program's lives in the gateway's namespace, so it is a
    new object, and the old one is left for the runbook to delete.
    """
    if kind == "Certificate":
        return pulumi.ResourceOptions()
    return adoption.options(
        args.adopt, adoption.kubernetes_id(name, args.namespace_name)
    )
