"""Pure builders both containers share: resources, HTTP probes, security."""

from __future__ import annotations

from dataclasses import dataclass

from pulumi_kubernetes.core.v1 import (
    CapabilitiesArgs,
    HTTPGetActionArgs,
    ProbeArgs,
    ResourceRequirementsArgs,
    SecurityContextArgs,
)

from portfolio.names import HTTP_PORT_NAME


@dataclass(frozen=True)
class ProbeTiming:
    """One probe's timing, in the keys of a Kubernetes Probe."""

    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int


def resources(
    cpu_request: str, memory_request: str, cpu_limit: str, memory_limit: str
) -> ResourceRequirementsArgs:
    """Requests and limits of one container."""
    return ResourceRequirementsArgs(
        requests={"cpu": cpu_request, "memory": memory_request},
        limits={"cpu": cpu_limit, "memory": memory_limit},
    )


def http_probe(
    path: str, timing: ProbeTiming, port: int | str = HTTP_PORT_NAME
) -> ProbeArgs:
    """An HTTP GET probe, by default on the app's named port."""
    return ProbeArgs(
        http_get=HTTPGetActionArgs(path=path, port=port),
        initial_delay_seconds=timing.initial_delay_seconds,
        period_seconds=timing.period_seconds,
        timeout_seconds=timing.timeout_seconds,
        failure_threshold=timing.failure_threshold,
    )


def container_security(run_as_user: int) -> SecurityContextArgs:
    """Pod Security "restricted", and more: a read-only root filesystem.

    No privilege escalation, no capabilities, never root, a UID and GID of its
    own; the pod sets the RuntimeDefault seccomp profile for every container.
    """
    return SecurityContextArgs(
        allow_privilege_escalation=False,
        capabilities=CapabilitiesArgs(drop=["ALL"]),
        read_only_root_filesystem=True,
        run_as_non_root=True,
        run_as_user=run_as_user,
        run_as_group=run_as_user,
    )
