"""Pure builders of the Deployment: both containers, the pod, the rollout.

Each function maps settings to pulumi-kubernetes ``*Args`` and nothing else: no
resources, no config reads.
"""

from __future__ import annotations

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
    TopologySpreadConstraintArgs,
    WeightedPodAffinityTermArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs

from components.names import (
    APP_CONTAINER,
    APP_SECRET,
    CONFIG_MAP,
    CONNECTION_NAME_ENV,
    DB_SECRET,
    HTTP_PORT_NAME,
    PROXY_CONTAINER,
    PULL_SECRET,
    SELECTOR,
    SERVICE_ACCOUNT,
)
from components.settings import PortfolioSettings, ProbeTiming

# Pod template annotations whose change rolls the pods, as kustomize's
# content-hashed ConfigMap and Secret names did.
CONFIG_CHECKSUM = "checksum/config"
SECRETS_CHECKSUM = "checksum/secrets"


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


def zone_spread() -> list[TopologySpreadConstraintArgs]:
    """At most one pod more in any zone than in another (prod overlay)."""
    return [
        TopologySpreadConstraintArgs(
            max_skew=1,
            topology_key="topology.kubernetes.io/zone",
            when_unsatisfiable="DoNotSchedule",
            label_selector=LabelSelectorArgs(match_labels=SELECTOR),
        )
    ]


def host_anti_affinity() -> AffinityArgs:
    """Prefer pods on different nodes (prod overlay)."""
    term = PodAffinityTermArgs(
        label_selector=LabelSelectorArgs(match_labels=SELECTOR),
        topology_key="kubernetes.io/hostname",
    )
    return AffinityArgs(
        pod_anti_affinity=PodAntiAffinityArgs(
            preferred_during_scheduling_ignored_during_execution=[
                WeightedPodAffinityTermArgs(weight=100, pod_affinity_term=term)
            ]
        )
    )


def pod_spec(settings: PortfolioSettings) -> PodSpecArgs:
    """Both containers, the pull secret, and prod's spread when configured."""
    return PodSpecArgs(
        service_account_name=SERVICE_ACCOUNT,
        image_pull_secrets=[LocalObjectReferenceArgs(name=PULL_SECRET)],
        security_context=PodSecurityContextArgs(
            run_as_non_root=True,
            seccomp_profile=SeccompProfileArgs(type="RuntimeDefault"),
        ),
        containers=[app_container(settings), proxy_container(settings)],
        topology_spread_constraints=zone_spread() if settings.zone_spread else None,
        affinity=host_anti_affinity() if settings.host_anti_affinity else None,
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
