"""Names and metadata every feature shares, in one place.

Object names are the ones the kustomize base used, so
``kubectl rollout restart deployment/portfolio -n <env>`` keeps working and the
live objects can be adopted.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

# The base's labels, managed-by now pulumi, not flux (base kustomization.yaml).
COMMON_LABELS = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/created-by": "hobby-cluster",
}
# The base's annotations, without fluxcd.io/automated (base kustomization.yaml).
COMMON_ANNOTATIONS = {"policy.kubernetes.io/validate": "true"}
# The port the app listens on, named http (base deployment.yaml).
CONTAINER_PORT = 3000
# Service portfolio's port, named web, to CONTAINER_PORT (base service.yaml).
SERVICE_PORT = 80

APP = "portfolio"
SELECTOR = {"app": APP}
DEPLOYMENT = APP
SERVICE = APP
APP_CONTAINER = APP
PROXY_CONTAINER = "cloudsql-proxy"
SERVICE_ACCOUNT = "portfolio-workload-identity"
CONFIG_MAP = "portfolio-config"
APP_SECRET = "portfolio-secrets"
DB_SECRET = "portfolio-db-secret"
PULL_SECRET = "regcred"
NETWORK_POLICY = "portfolio-network-policy"
DISRUPTION_BUDGET = APP
HTTP_PORT_NAME = "http"
SERVICE_PORT_NAME = "web"
CONNECTION_NAME_ENV = "CLOUD_SQL_CONNECTION_NAME"
NEXTAUTH_SECRET_ENV = "NEXTAUTH_SECRET"
DATABASE_URL_ENV = "DATABASE_URL"
# Istio and cert-manager objects (base istio-*.yaml).
GATEWAY = "portfolio-gateway"
VIRTUAL_SERVICE = "portfolio-virtualservice"
AUTHORIZATION_POLICY = "portfolio-allow-all"


def metadata(
    name: str,
    *,
    namespace: pulumi.Input[str],
    environment_labels: Mapping[str, str],
    annotations: Mapping[str, pulumi.Input[str]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> ObjectMetaArgs:
    """Metadata of a namespaced object: the base's labels and annotations.

    ``environment_labels``: the stack's own (``portfolio:environmentLabels``).
    """
    return ObjectMetaArgs(
        name=name,
        namespace=namespace,
        labels={**(labels or {}), **COMMON_LABELS, **environment_labels},
        annotations={**COMMON_ANNOTATIONS, **(annotations or {})},
    )


# Pod Security Admission refuses (enforce), records (audit) and reports to the
# client (warn) any pod of the namespace that is not "restricted".
POD_SECURITY_LABELS = {
    f"pod-security.kubernetes.io/{mode}": "restricted"
    for mode in ("enforce", "audit", "warn")
}
# checkov's in-manifest skips: checkov.io/skip<n>: <check>=<why>
# (docs/security.md, "Scanners").
CHECKOV_SKIPS = {
    "checkov.io/skip1": "CKV_K8S_35=The app reads NEXTAUTH_SECRET and DATABASE_URL "
    "from its environment; they come from Secrets by envFrom, never as literals",
}


def namespace_metadata(
    namespace: str,
    environment_labels: Mapping[str, str],
    annotations: Mapping[str, str],
) -> ObjectMetaArgs:
    """The overlay's labels and the Pod Security Standard, as in the prod overlay."""
    return ObjectMetaArgs(
        name=namespace,
        labels={**environment_labels, **POD_SECURITY_LABELS},
        annotations=dict(annotations),
    )
