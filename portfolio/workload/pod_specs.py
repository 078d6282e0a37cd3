"""Pure builders of the Deployment: both containers, the pod, the rollout.

Each function maps settings to pulumi-kubernetes ``*Args`` and nothing else: no
resources, no config reads.

The Cloud SQL Auth Proxy is a native sidecar (an init container with
``restartPolicy: Always``, Kubernetes 1.29+): the kubelet starts the app only
once the proxy's startup probe passes, and stops the proxy only after the app
has exited. The app pauses before SIGTERM with the kubelet's ``sleep`` preStop
action (Kubernetes 1.30+), so the cluster minimum is 1.30.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_kubernetes.apps.v1 import (
    DeploymentSpecArgs,
    DeploymentStrategyArgs,
    RollingUpdateDeploymentArgs,
)
from pulumi_kubernetes.core.v1 import (
    AffinityArgs,
    ConfigMapEnvSourceArgs,
    ContainerArgs,
    ContainerPortArgs,
    EmptyDirVolumeSourceArgs,
    EnvFromSourceArgs,
    LifecycleArgs,
    LifecycleHandlerArgs,
    LocalObjectReferenceArgs,
    PodAffinityTermArgs,
    PodAntiAffinityArgs,
    PodSecurityContextArgs,
    PodSpecArgs,
    PodTemplateSpecArgs,
    SeccompProfileArgs,
    SecretEnvSourceArgs,
    SleepActionArgs,
    TopologySpreadConstraintArgs,
    VolumeArgs,
    VolumeMountArgs,
    WeightedPodAffinityTermArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs
from pulumi_kubernetes.policy.v1 import PodDisruptionBudgetSpecArgs

from portfolio.names import (
    APP_CONTAINER,
    APP_SECRET,
    COMMON_ANNOTATIONS,
    CONFIG_MAP,
    CONTAINER_PORT,
    DB_SECRET,
    HTTP_PORT_NAME,
    PULL_SECRET,
    SELECTOR,
    SERVICE_ACCOUNT,
)
from portfolio.workload import proxy_specs
from portfolio.workload.container_specs import (
    ProbeTiming,
    container_security,
    http_probe,
    resources,
)

# The app container, as the base ran it (base deployment.yaml) unless said.
IMAGE_PULL_POLICY = "Always"
HEALTH_PATH = "/api/health"
LIVENESS_PROBE = ProbeTiming(30, 30, 5, 3)
READINESS_PROBE = ProbeTiming(5, 10, 3, 3)
STARTUP_PROBE = ProbeTiming(10, 10, 3, 30)
# UID, GID and the pod's fsGroup: 10000 and above matches no user of the node
# (checkov CKV_K8S_40).
RUN_AS_USER = 10001
# emptyDir volumes; the rest of the root filesystem is read-only. Next.js
# writes its image and fetch cache under .next/cache.
WRITABLE_PATHS = ("/tmp", "/app/.next/cache")
# Seconds a new pod stays ready before the rollout counts it available.
MIN_READY_SECONDS = 10
# Seconds a pod gets to shut down, the preStop pause included; the pause lets
# endpoints and load balancers stop sending it requests before SIGTERM.
TERMINATION_GRACE_PERIOD_SECONDS = 45
PRE_STOP_SLEEP_SECONDS = 10

# Pod template annotations whose change rolls the pods, as kustomize's
# content-hashed ConfigMap and Secret names did.
CONFIG_CHECKSUM = "checksum/config"
SECRETS_CHECKSUM = "checksum/secrets"
# The annotation `kubectl rollout restart` sets; portfolio:restartedAt sets it too.
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


@dataclass(frozen=True)
class PodShape:
    """What a stack chooses of its pods: ``portfolio:replicas``, sizes, spread."""

    replicas: int
    cpu_request: str
    memory_request: str
    cpu_limit: str
    memory_limit: str
    zone_spread: bool
    """At most one pod more in any zone than in another."""
    host_anti_affinity: bool
    """Prefer pods on different nodes."""
    restarted_at: str | None
    """``portfolio:restartedAt``: a new time rolls every pod."""


def app_container(shape: PodShape, image: pulumi.Input[str]) -> ContainerArgs:
    """The Next.js server, running ``image``; it pauses before SIGTERM."""
    s = shape
    return ContainerArgs(
        name=APP_CONTAINER,
        image=image,
        image_pull_policy=IMAGE_PULL_POLICY,
        ports=[ContainerPortArgs(container_port=CONTAINER_PORT, name=HTTP_PORT_NAME)],
        resources=resources(
            s.cpu_request, s.memory_request, s.cpu_limit, s.memory_limit
        ),
        security_context=container_security(RUN_AS_USER),
        volume_mounts=[
            VolumeMountArgs(name=name, mount_path=path)
            for name, path in writable_volumes().items()
        ]
        or None,
        liveness_probe=http_probe(HEALTH_PATH, LIVENESS_PROBE),
        readiness_probe=http_probe(HEALTH_PATH, READINESS_PROBE),
        startup_probe=http_probe(HEALTH_PATH, STARTUP_PROBE),
        lifecycle=LifecycleArgs(
            pre_stop=LifecycleHandlerArgs(
                sleep=SleepActionArgs(seconds=PRE_STOP_SLEEP_SECONDS)
            )
        ),
        env_from=[
            EnvFromSourceArgs(config_map_ref=ConfigMapEnvSourceArgs(name=CONFIG_MAP)),
            EnvFromSourceArgs(secret_ref=SecretEnvSourceArgs(name=APP_SECRET)),
            EnvFromSourceArgs(secret_ref=SecretEnvSourceArgs(name=DB_SECRET)),
        ],
    )


def writable_volumes() -> dict[str, str]:
    """Volume name to mount path: an emptyDir for each of ``WRITABLE_PATHS``."""
    return {
        f"writable-{index}": path for index, path in enumerate(WRITABLE_PATHS, start=1)
    }


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


def pod_spec(shape: PodShape, image: pulumi.Input[str]) -> PodSpecArgs:
    """The proxy sidecar, the app, the pull secret, prod's spread when configured.

    No Kubernetes API token is mounted: nothing in the pod calls the API, and
    GKE Workload Identity does not need one (the node's GKE metadata server
    gets the Google token for the pod's ServiceAccount).
    """
    return PodSpecArgs(
        service_account_name=SERVICE_ACCOUNT,
        automount_service_account_token=False,
        image_pull_secrets=[LocalObjectReferenceArgs(name=PULL_SECRET)],
        security_context=PodSecurityContextArgs(
            run_as_non_root=True,
            fs_group=RUN_AS_USER,
            seccomp_profile=SeccompProfileArgs(type="RuntimeDefault"),
        ),
        volumes=[
            VolumeArgs(name=name, empty_dir=EmptyDirVolumeSourceArgs())
            for name in writable_volumes()
        ]
        or None,
        init_containers=[proxy_specs.proxy_container()],
        containers=[app_container(shape, image)],
        termination_grace_period_seconds=TERMINATION_GRACE_PERIOD_SECONDS,
        topology_spread_constraints=zone_spread() if shape.zone_spread else None,
        affinity=host_anti_affinity() if shape.host_anti_affinity else None,
    )


def rolling_update() -> DeploymentStrategyArgs:
    """One extra pod at a time, never one fewer than asked for."""
    return DeploymentStrategyArgs(
        type="RollingUpdate",
        rolling_update=RollingUpdateDeploymentArgs(max_surge=1, max_unavailable=0),
    )


def pod_annotations(
    restarted_at: str | None,
    config_checksum: pulumi.Input[str],
    secrets_checksum: pulumi.Input[str],
) -> dict[str, pulumi.Input[str]]:
    """The base's annotations, the checksums, and the restart time when set."""
    annotations: dict[str, pulumi.Input[str]] = {
        **COMMON_ANNOTATIONS,
        CONFIG_CHECKSUM: config_checksum,
        SECRETS_CHECKSUM: secrets_checksum,
    }
    if restarted_at is not None:
        annotations[RESTARTED_AT] = restarted_at
    return annotations


def deployment_spec(
    shape: PodShape,
    *,
    image: pulumi.Input[str],
    config_checksum: pulumi.Input[str],
    secrets_checksum: pulumi.Input[str],
) -> DeploymentSpecArgs:
    """The Deployment; the checksums roll the pods when config or secrets change."""
    return DeploymentSpecArgs(
        replicas=shape.replicas,
        selector=LabelSelectorArgs(match_labels=SELECTOR),
        strategy=rolling_update(),
        min_ready_seconds=MIN_READY_SECONDS,
        template=PodTemplateSpecArgs(
            metadata=ObjectMetaArgs(
                labels=SELECTOR,
                annotations=pod_annotations(
                    shape.restarted_at, config_checksum, secrets_checksum
                ),
            ),
            spec=pod_spec(shape, image),
        ),
    )


def disruption_budget_spec() -> PodDisruptionBudgetSpecArgs:
    """At most one pod evicted at a time (drains, node upgrades)."""
    return PodDisruptionBudgetSpecArgs(
        max_unavailable=1, selector=LabelSelectorArgs(match_labels=SELECTOR)
    )
