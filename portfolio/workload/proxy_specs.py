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

from portfolio.names import CONFIG_MAP, CONNECTION_NAME_ENV, PROXY_CONTAINER
from portfolio.workload.container_specs import (
    ProbeTiming,
    container_security,
    http_probe,
    resources,
)

# The Cloud SQL Auth Proxy, pinned by digest (base deployment.yaml named the
# 2.8.0 tag); its resources as the base gave them.
PROXY_IMAGE = (
    "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0"
    "@sha256:9c84401d9c31d18809b02155e74920d0434a7d8780d2b63b8de7a690fea6f1bf"
)
PROXY_IMAGE_PULL_POLICY = "Always"
PROXY_CPU_REQUEST = "50m"
PROXY_MEMORY_REQUEST = "64Mi"
PROXY_CPU_LIMIT = "100m"
PROXY_MEMORY_LIMIT = "128Mi"
# The local port the app connects to, --port (base deployment.yaml), and the
# health checks' port (--http-port, the proxy's default).
PROXY_PORT = 5432
PROXY_HEALTH_PORT = 9090
# The proxy's k8s-health-check example: the app starts once /startup passes.
PROXY_STARTUP_PROBE = ProbeTiming(0, 1, 5, 20)
PROXY_LIVENESS_PROBE = ProbeTiming(0, 60, 30, 5)

# The proxy image is distroless and runs as its "nonroot" user, 65532; it writes
# no file, so its root filesystem is read-only.
PROXY_UID = 65532
# The proxy's health-check endpoints (cloud-sql-proxy --health-check).
STARTUP_PATH = "/startup"
LIVENESS_PATH = "/liveness"


def proxy_args() -> list[str]:
    """The proxy's flags; every one exists since cloud-sql-proxy 2.8.0.

    ``--health-check`` serves /startup, /liveness and /readiness on
    ``--http-address``:``--http-port`` (all interfaces, so the kubelet can
    probe them); ``--exit-zero-on-sigterm`` makes the stop the kubelet sends
    once the app has exited a clean one.
    """
    return [
        "--structured-logs",
        f"--port={PROXY_PORT}",
        "--health-check",
        "--http-address=0.0.0.0",
        f"--http-port={PROXY_HEALTH_PORT}",
        "--exit-zero-on-sigterm",
        f"$({CONNECTION_NAME_ENV})",
    ]


def proxy_container() -> ContainerArgs:
    """The Cloud SQL Auth Proxy as a native sidecar; the app reaches it on localhost.

    A startup probe (the app starts once it passes) and a liveness probe; no
    readiness probe, which the proxy's own docs advise against (a database
    blip would take the pod out of service).
    """
    return ContainerArgs(
        name=PROXY_CONTAINER,
        image=PROXY_IMAGE,
        image_pull_policy=PROXY_IMAGE_PULL_POLICY,
        restart_policy="Always",
        args=proxy_args(),
        startup_probe=http_probe(STARTUP_PATH, PROXY_STARTUP_PROBE, PROXY_HEALTH_PORT),
        liveness_probe=http_probe(
            LIVENESS_PATH, PROXY_LIVENESS_PROBE, PROXY_HEALTH_PORT
        ),
        security_context=container_security(PROXY_UID),
        resources=resources(
            PROXY_CPU_REQUEST,
            PROXY_MEMORY_REQUEST,
            PROXY_CPU_LIMIT,
            PROXY_MEMORY_LIMIT,
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
