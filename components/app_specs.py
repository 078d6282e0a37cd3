"""Pure builders of the app's config, secrets, Service and NetworkPolicy."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from pulumi_kubernetes.core.v1 import ServicePortArgs, ServiceSpecArgs
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs
from pulumi_kubernetes.networking.v1 import (
    NetworkPolicyEgressRuleArgs,
    NetworkPolicyIngressRuleArgs,
    NetworkPolicyPeerArgs,
    NetworkPolicyPortArgs,
    NetworkPolicySpecArgs,
)

from components.names import CONNECTION_NAME_ENV, SELECTOR, SERVICE_PORT_NAME
from components.settings import PortfolioSettings


def config_data(settings: PortfolioSettings) -> dict[str, str]:
    """The ``portfolio-config`` ConfigMap: what configMapGenerator made."""
    return {
        "NODE_ENV": settings.node_env,
        "NEXTAUTH_URL": settings.nextauth_url,
        CONNECTION_NAME_ENV: settings.cloud_sql_connection_name,
    }


def app_secret_data(settings: PortfolioSettings) -> dict[str, str]:
    """The ``portfolio-secrets`` Secret's plaintext; wrap it before use."""
    return {"NEXTAUTH_SECRET": settings.nextauth_secret.get_secret_value()}


def db_secret_data(settings: PortfolioSettings) -> dict[str, str]:
    """The ``portfolio-db-secret`` Secret's plaintext; wrap it before use."""
    return {"DATABASE_URL": settings.database_url.get_secret_value()}


def checksum(*data: Mapping[str, str]) -> str:
    """A stable digest of one or more data maps, for a pod template annotation."""
    canonical = json.dumps(list(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def service_spec(settings: PortfolioSettings) -> ServiceSpecArgs:
    """ClusterIP service: port ``web`` to the app's container port."""
    return ServiceSpecArgs(
        type="ClusterIP",
        selector=SELECTOR,
        ports=[
            ServicePortArgs(
                name=SERVICE_PORT_NAME,
                port=settings.service_port,
                target_port=settings.container_port,
                protocol="TCP",
            )
        ],
    )


def network_policy_spec(settings: PortfolioSettings) -> NetworkPolicySpecArgs:
    """The base's policy: app port in from the listed namespaces, listed ports out."""
    app_port = [NetworkPolicyPortArgs(protocol="TCP", port=settings.container_port)]
    ingress = [
        NetworkPolicyIngressRuleArgs(
            from_=[
                NetworkPolicyPeerArgs(
                    namespace_selector=LabelSelectorArgs(match_labels={"name": name})
                )
            ],
            ports=app_port,
        )
        for name in settings.network_policy_ingress_namespaces
    ]
    if settings.network_policy_open_ingress:
        # An empty `from` admits every source: the base's in-namespace and
        # load-balancer rule.
        ingress.append(NetworkPolicyIngressRuleArgs(from_=[], ports=app_port))
    egress_ports = []
    for entry in settings.network_policy_egress_ports:
        port, _, protocol = entry.partition("/")
        egress_ports.append(NetworkPolicyPortArgs(protocol=protocol, port=int(port)))
    return NetworkPolicySpecArgs(
        pod_selector=LabelSelectorArgs(match_labels=SELECTOR),
        policy_types=["Ingress", "Egress"],
        ingress=ingress,
        egress=[NetworkPolicyEgressRuleArgs(to=[], ports=egress_ports)],
    )
