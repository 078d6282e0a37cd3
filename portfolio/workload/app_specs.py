"""Pure builders of the app's config, secrets, Service and NetworkPolicy."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

import pulumi
from pulumi_kubernetes.core.v1 import ServicePortArgs, ServiceSpecArgs
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs
from pulumi_kubernetes.networking.v1 import (
    NetworkPolicyEgressRuleArgs,
    NetworkPolicyIngressRuleArgs,
    NetworkPolicyPeerArgs,
    NetworkPolicyPortArgs,
    NetworkPolicySpecArgs,
)

from portfolio.names import (
    CONNECTION_NAME_ENV,
    CONTAINER_PORT,
    SELECTOR,
    SERVICE_PORT,
    SERVICE_PORT_NAME,
)

# The base's NetworkPolicy (base networkpolicy.yaml): who may reach the app's
# port, the base's open "from - []" rule, and the ports open to anywhere.
NETWORK_POLICY_INGRESS_NAMESPACES = ("istio-system", "gke-managed-system")
NETWORK_POLICY_OPEN_INGRESS = True
NETWORK_POLICY_EGRESS_PORTS = ("443/TCP", "80/TCP", "53/UDP", "3307/TCP")


def config_data(
    node_env: str, url: str, connection_name: pulumi.Input[str]
) -> dict[str, pulumi.Input[str]]:
    """The ``portfolio-config`` ConfigMap: what configMapGenerator made.

    NEXTAUTH_URL is the app's ``url`` (from ``host``); the connection name
    comes from the instance.
    """
    return {
        "NODE_ENV": node_env,
        "NEXTAUTH_URL": url,
        CONNECTION_NAME_ENV: connection_name,
    }


def checksum(key: str, *data: Mapping[str, str]) -> str:
    """A keyed digest of data maps, for a pod template annotation.

    HMAC-SHA256 under the stack's generated checksum key: it changes whenever
    the data does, but without the key (a secret in state) nobody can check a
    guessed secret against it, as they could an unsalted hash.
    """
    canonical = json.dumps(list(data), sort_keys=True, separators=(",", ":"))
    return hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def service_spec() -> ServiceSpecArgs:
    """ClusterIP service: port ``web`` to the app's container port."""
    return ServiceSpecArgs(
        type="ClusterIP",
        selector=SELECTOR,
        ports=[
            ServicePortArgs(
                name=SERVICE_PORT_NAME,
                port=SERVICE_PORT,
                target_port=CONTAINER_PORT,
                protocol="TCP",
            )
        ],
    )


def network_policy_spec() -> NetworkPolicySpecArgs:
    """The base's policy: app port in from the listed namespaces, listed ports out."""
    app_port = [NetworkPolicyPortArgs(protocol="TCP", port=CONTAINER_PORT)]
    ingress = [
        NetworkPolicyIngressRuleArgs(
            from_=[
                NetworkPolicyPeerArgs(
                    namespace_selector=LabelSelectorArgs(match_labels={"name": name})
                )
            ],
            ports=app_port,
        )
        for name in NETWORK_POLICY_INGRESS_NAMESPACES
    ]
    if NETWORK_POLICY_OPEN_INGRESS:
        # An empty `from` admits every source: the base's in-namespace and
        # load-balancer rule.
        ingress.append(NetworkPolicyIngressRuleArgs(from_=[], ports=app_port))
    egress_ports = []
    for entry in NETWORK_POLICY_EGRESS_PORTS:
        port, _, protocol = entry.partition("/")
        egress_ports.append(NetworkPolicyPortArgs(protocol=protocol, port=int(port)))
    # A rule with no ports allows every port: no listed port means no rule,
    # which with policyTypes Egress allows nothing out.
    egress = [NetworkPolicyEgressRuleArgs(to=[], ports=egress_ports)]
    return NetworkPolicySpecArgs(
        pod_selector=LabelSelectorArgs(match_labels=SELECTOR),
        policy_types=["Ingress", "Egress"],
        ingress=ingress,
        egress=egress if egress_ports else [],
    )
