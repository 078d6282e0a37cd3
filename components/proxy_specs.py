"""Pure builder of the Cloud SQL Auth Proxy, a native sidecar of the app's pod.

An init container with ``restartPolicy: Always`` (Kubernetes 1.29+): the
kubelet starts the app only once the proxy's startup probe passes, and sends
the proxy SIGTERM only after the app has exited. Every flag used exists since
cloud-sql-proxy 2.8.0, the version the seed pins (GoogleCloudPlatform/
cloud-sql-proxy ``cmd/root.go`` at v2.8.0).
"""

from __future__ import annotations

from pulumi_kubernetes.core.v1 import (
    ConfigMapKeySelectorArgs,
    ContainerArgs,
    EnvVarArgs,
    EnvVarSourceArgs,
)

from components.container_specs import container_security, http_probe, resources
from components.names import CONFIG_MAP, CONNECTION_NAME_ENV, PROXY_CONTAINER
from components.settings import PortfolioSettings

# The proxy image is distroless and runs as its "nonroot" user, 65532; it writes
# no file, so its root filesystem is read-only.
PROXY_UID = 65532
# The proxy's health-check endpoints (cloud-sql-proxy --health-check).
STARTUP_PATH = "/startup"
LIVENESS_PATH = "/liveness"


def proxy_args(settings: PortfolioSettings) -> list[str]:
    """The proxy's flags; every one exists since cloud-sql-proxy 2.8.0.

    ``--health-check`` serves /startup, /liveness and /readiness on
    ``--http-address``:``--http-port`` (all interfaces, so the kubelet can
    probe them); ``--exit-zero-on-sigterm`` makes the stop the kubelet sends
    once the app has exited a clean one.
    """
    return [
        "--structured-logs",
        f"--port={settings.proxy_port}",
        "--health-check",
        "--http-address=0.0.0.0",
        f"--http-port={settings.proxy_health_port}",
        "--exit-zero-on-sigterm",
        f"$({CONNECTION_NAME_ENV})",
    ]


def proxy_container(settings: PortfolioSettings) -> ContainerArgs:
    """The Cloud SQL Auth Proxy as a native sidecar; the app reaches it on localhost.

    A startup probe (the app starts once it passes) and a liveness probe; no
    readiness probe, which the proxy's own docs advise against (a database
    blip would take the pod out of service).
    """
    s = settings
    return ContainerArgs(
        name=PROXY_CONTAINER,
        image=s.proxy_image,
        image_pull_policy=s.proxy_image_pull_policy,
        restart_policy="Always",
        args=proxy_args(s),
        startup_probe=http_probe(
            STARTUP_PATH, s.proxy_startup_probe, s.proxy_health_port
        ),
        liveness_probe=http_probe(
            LIVENESS_PATH, s.proxy_liveness_probe, s.proxy_health_port
        ),
        security_context=container_security(PROXY_UID),
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
