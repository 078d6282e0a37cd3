"""Pure builders of the Istio and cert-manager objects, from the stack's hosts.

The specs are the kustomize base's (``istio-gateway.yaml``,
``istio-virtualservice.yaml``, ``istio-authorizationpolicy.yaml``,
``istio-certificate.yaml``) with every host from ``host`` and
``redirectHosts`` instead of prod's names written out in each file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portfolio.names import GATEWAY, SELECTOR, SERVICE, SERVICE_PORT

# Labels of the ingress gateway pods, the Gateway's selector (base istio-gateway.yaml).
INGRESS_GATEWAY_SELECTOR = {"istio": "ingressgateway"}
# The ClusterIssuer that issues the certificate (base istio-certificate.yaml).
TLS_CLUSTER_ISSUER = "letsencrypt-prod"

# The API versions the base used; the cluster serves them today.
GATEWAY_API = "networking.istio.io/v1beta1"
VIRTUAL_SERVICE_API = GATEWAY_API
AUTHORIZATION_POLICY_API = "security.istio.io/v1beta1"
CERTIFICATE_API = "cert-manager.io/v1"
REDIRECT_CODE = 301


def gateway_spec(hosts: Sequence[str], certificate: str) -> dict[str, Any]:
    """Plain HTTP and TLS on the shared ingress gateway, for the stack's hosts.

    ``credentialName`` is the certificate's Secret, which Istio reads in the
    gateway's own namespace (``ingressNamespace``).
    """
    return {
        "selector": dict(INGRESS_GATEWAY_SELECTOR),
        "servers": [
            {
                "port": {"number": 80, "name": "http", "protocol": "HTTP"},
                "hosts": list(hosts),
            },
            {
                "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                "tls": {
                    "mode": "SIMPLE",
                    "credentialName": certificate,
                },
                "hosts": list(hosts),
            },
        ],
    }


def service_host(namespace: str) -> str:
    """The app Service's cluster name.

    The base wrote ``portfolio.svc.cluster.local``, which Istio reads as
    Service ``portfolio`` in a namespace called ``svc``; this names the
    stack's namespace.
    """
    return f"{SERVICE}.{namespace}.svc.cluster.local"


def virtual_service_spec(
    host: str, redirect_hosts: Sequence[str], namespace: str
) -> dict[str, Any]:
    """Each redirected host answers 301 to ``host``; ``host`` routes to the app."""
    redirects = [
        {
            "match": [{"headers": {"host": {"exact": redirected}}}],
            "redirect": {"authority": host, "redirectCode": REDIRECT_CODE},
        }
        for redirected in redirect_hosts
    ]
    route = {
        "match": [{"uri": {"prefix": "/"}}],
        "route": [
            {
                "destination": {
                    "host": service_host(namespace),
                    "port": {"number": SERVICE_PORT},
                }
            }
        ],
    }
    return {
        "hosts": [host, *redirect_hosts],
        "gateways": [GATEWAY],
        "http": [*redirects, route],
    }


def authorization_policy_spec() -> dict[str, Any]:
    """The base's policy: the app is public, every request to it is allowed."""
    return {
        "selector": {"matchLabels": dict(SELECTOR)},
        "action": "ALLOW",
        "rules": [{}],
    }


def certificate_spec(hosts: Sequence[str], certificate: str) -> dict[str, Any]:
    """A certificate for every host of the stack, from the cluster issuer."""
    return {
        "secretName": certificate,
        "issuerRef": {"name": TLS_CLUSTER_ISSUER, "kind": "ClusterIssuer"},
        "dnsNames": list(hosts),
    }
