"""Pure builders of the Kubernetes specs the portfolio deployment registers.

Each function maps settings to pulumi-kubernetes ``*Args`` and nothing else: no
resources, no config reads. Object names are the ones the kustomize base used,
so ``kubectl rollout restart deployment/portfolio -n <env>`` keeps working and
the live objects can be adopted.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping

import pulumi
from pulumi_kubernetes.apps.v1 import DeploymentSpecArgs
from pulumi_kubernetes.core.v1 import (
    AffinityArgs,
    CapabilitiesArgs,
    ConfigMapEnvSourceArgs,
    ConfigMapKeySelectorArgs,
    ContainerArgs,
    ContainerPortArgs,
    EnvFromSourceArgs,
    EnvVarArgs,
    EnvVarSourceArgs,
    HTTPGetActionArgs,
    LocalObjectReferenceArgs,
    PodAffinityTermArgs,
    PodAntiAffinityArgs,
    PodSecurityContextArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    ProbeArgs,
    ResourceRequirementsArgs,
    SeccompProfileArgs,
    SecretEnvSourceArgs,
    SecurityContextArgs,
    ServicePortArgs,
    ServiceSpecArgs,
    TopologySpreadConstraintArgs,
    WeightedPodAffinityTermArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs
from pulumi_kubernetes.networking.v1 import (
    NetworkPolicyEgressRuleArgs,
    NetworkPolicyIngressRuleArgs,
    NetworkPolicyPeerArgs,
    NetworkPolicyPortArgs,
    NetworkPolicySpecArgs,
)

from components.settings import PortfolioSettings, ProbeTiming

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
HTTP_PORT_NAME = "http"
SERVICE_PORT_NAME = "web"
CONNECTION_NAME_ENV = "CLOUD_SQL_CONNECTION_NAME"
# Pod template annotations whose change rolls the pods, as kustomize's
# content-hashed ConfigMap and Secret names did.
CONFIG_CHECKSUM = "checksum/config"
SECRETS_CHECKSUM = "checksum/secrets"
# Artifact Registry's username for a service-account JSON key.
JSON_KEY_USER = "_json_key"


def metadata(
    settings: PortfolioSettings,
    name: str,
    *,
    namespace: pulumi.Input[str],
    annotations: Mapping[str, pulumi.Input[str]] | None = None,
) -> ObjectMetaArgs:
    """Metadata of a namespaced object: the base's labels and annotations."""
    return ObjectMetaArgs(
        name=name,
        namespace=namespace,
        labels={**settings.common_labels, **settings.environment_labels},
        annotations={**settings.common_annotations, **(annotations or {})},
    )


def namespace_metadata(settings: PortfolioSettings) -> ObjectMetaArgs:
    """The Namespace carries only the overlay's labels, as in the prod overlay."""
    return ObjectMetaArgs(
        name=settings.namespace,
        labels=dict(settings.environment_labels),
        annotations=dict(settings.namespace_annotations),
    )


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


def dockerconfigjson(server: str, json_key: str) -> str:
    """A ``.dockerconfigjson`` that logs in to ``server`` with a JSON key.

    ``json.dumps`` escapes the key's quotes and newlines, which string
    formatting would not.
    """
    auth = base64.b64encode(f"{JSON_KEY_USER}:{json_key}".encode()).decode()
    entry = {"username": JSON_KEY_USER, "password": json_key, "auth": auth}
    return json.dumps({"auths": {server: entry}}, sort_keys=True)


def checksum(*data: Mapping[str, str]) -> str:
    """A stable digest of one or more data maps, for a pod template annotation."""
    canonical = json.dumps(list(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def resources(
    cpu_request: str, memory_request: str, cpu_limit: str, memory_limit: str
) -> ResourceRequirementsArgs:
    """Requests and limits of one container."""
    return ResourceRequirementsArgs(
        requests={"cpu": cpu_request, "memory": memory_request},
        limits={"cpu": cpu_limit, "memory": memory_limit},
    )


def http_probe(path: str, timing: ProbeTiming) -> ProbeArgs:
    """An HTTP GET probe on the app's named port."""
    return ProbeArgs(
        http_get=HTTPGetActionArgs(path=path, port=HTTP_PORT_NAME),
        initial_delay_seconds=timing.initial_delay_seconds,
        period_seconds=timing.period_seconds,
        timeout_seconds=timing.timeout_seconds,
        failure_threshold=timing.failure_threshold,
    )


def container_security(run_as_user: int | None = None) -> SecurityContextArgs:
    """No privilege escalation, no capabilities, never root."""
    return SecurityContextArgs(
        allow_privilege_escalation=False,
        capabilities=CapabilitiesArgs(drop=["ALL"]),
        run_as_non_root=True,
        run_as_user=run_as_user,
    )


def app_container(settings: PortfolioSettings) -> ContainerArgs:
    """The Next.js server."""
    s = settings
    return ContainerArgs(
        name=APP_CONTAINER,
        image=s.image,
        image_pull_policy=s.image_pull_policy,
        ports=[ContainerPortArgs(container_port=s.container_port, name=HTTP_PORT_NAME)],
        resources=resources(
            s.cpu_request, s.memory_request, s.cpu_limit, s.memory_limit
        ),
        security_context=container_security(s.run_as_user),
        liveness_probe=http_probe(s.health_path, s.liveness_probe),
        readiness_probe=http_probe(s.health_path, s.readiness_probe),
        startup_probe=http_probe(s.health_path, s.startup_probe),
        env_from=[
            EnvFromSourceArgs(config_map_ref=ConfigMapEnvSourceArgs(name=CONFIG_MAP)),
            EnvFromSourceArgs(secret_ref=SecretEnvSourceArgs(name=APP_SECRET)),
            EnvFromSourceArgs(secret_ref=SecretEnvSourceArgs(name=DB_SECRET)),
        ],
    )


def proxy_container(settings: PortfolioSettings) -> ContainerArgs:
    """The Cloud SQL Auth Proxy sidecar; the app reaches it on localhost."""
    s = settings
    return ContainerArgs(
        name=PROXY_CONTAINER,
        image=s.proxy_image,
        image_pull_policy=s.proxy_image_pull_policy,
        args=[
            "--structured-logs",
            f"--port={s.proxy_port}",
            f"$({CONNECTION_NAME_ENV})",
        ],
        security_context=container_security(),
        resources=resources(
            s.proxy_cpu_request,
            s.proxy_memory_request,
            s.proxy_cpu_limit,
            s.proxy_memory_limit,
        ),
        env=[
            EnvVarArgs(
                name=CONNECTION_NAME_ENV,
                value_from=EnvVarSourceArgs(
                    config_map_key_ref=ConfigMapKeySelectorArgs(
                        name=CONFIG_MAP, key=CONNECTION_NAME_ENV
                    )
                ),
            )
        ],
    )


def pod_spec(settings: PortfolioSettings) -> PodSpecArgs:
    """Both containers, the pull secret, and prod's spread when configured."""
    spread = None
    if settings.zone_spread:
        spread = [
            TopologySpreadConstraintArgs(
                max_skew=1,
                topology_key="topology.kubernetes.io/zone",
                when_unsatisfiable="DoNotSchedule",
                label_selector=LabelSelectorArgs(match_labels=SELECTOR),
            )
        ]
    affinity = None
    if settings.host_anti_affinity:
        term = PodAffinityTermArgs(
            label_selector=LabelSelectorArgs(match_labels=SELECTOR),
            topology_key="kubernetes.io/hostname",
        )
        affinity = AffinityArgs(
            pod_anti_affinity=PodAntiAffinityArgs(
                preferred_during_scheduling_ignored_during_execution=[
                    WeightedPodAffinityTermArgs(weight=100, pod_affinity_term=term)
                ]
            )
        )
    return PodSpecArgs(
        service_account_name=SERVICE_ACCOUNT,
        image_pull_secrets=[LocalObjectReferenceArgs(name=PULL_SECRET)],
        security_context=PodSecurityContextArgs(
            run_as_non_root=True,
            seccomp_profile=SeccompProfileArgs(type="RuntimeDefault"),
        ),
        containers=[app_container(settings), proxy_container(settings)],
        topology_spread_constraints=spread,
        affinity=affinity,
    )


def deployment_spec(
    settings: PortfolioSettings,
    *,
    config_checksum: pulumi.Input[str],
    secrets_checksum: pulumi.Input[str],
) -> DeploymentSpecArgs:
    """The Deployment; the checksums roll the pods when config or secrets change."""
    return DeploymentSpecArgs(
        replicas=settings.replicas,
        selector=LabelSelectorArgs(match_labels=SELECTOR),
        template=PodTemplateSpecArgs(
            metadata=ObjectMetaArgs(
                labels=SELECTOR,
                annotations={
                    **settings.common_annotations,
                    CONFIG_CHECKSUM: config_checksum,
                    SECRETS_CHECKSUM: secrets_checksum,
                },
            ),
            spec=pod_spec(settings),
        ),
    )


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
