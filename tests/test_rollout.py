"""Rollouts and restarts: strategy, PDB, restartedAt, and the proxy as a sidecar."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from portfolio.names import CONTAINER_PORT
from portfolio.settings.parsing import SettingsError
from portfolio.workload.pod_specs import (
    PRE_STOP_SLEEP_SECONDS,
    TERMINATION_GRACE_PERIOD_SECONDS,
)
from portfolio.workload.proxy_specs import PROXY_HEALTH_PORT, PROXY_IMAGE, PROXY_PORT
from tests.conftest import (
    ROOT,
    container,
    find,
    make_settings,
    manifests,
    of_type,
    run_component,
)

RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
PDB = "kubernetes:policy/v1:PodDisruptionBudget"


def docs(**overrides: Any) -> list[dict[str, Any]]:
    return manifests(run_component(make_settings("dev", **overrides)))


def deployment(**overrides: Any) -> dict[str, Any]:
    return find(docs(**overrides), "Deployment", "portfolio")


def template_annotations(**overrides: Any) -> dict[str, str]:
    return dict(deployment(**overrides)["spec"]["template"]["metadata"]["annotations"])


def problems(**overrides: Any) -> dict[str, str]:
    with pytest.raises(SettingsError) as raised:
        make_settings("dev", **overrides)
    return dict(raised.value.problems)


def test_rollouts_surge_one_pod_and_never_go_below_the_replicas() -> None:
    spec = deployment()["spec"]
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    assert spec["minReadySeconds"] == 10


def test_the_app_pauses_before_sigterm_within_its_grace_period() -> None:
    pod = deployment()["spec"]["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] == 45
    (app,) = pod["containers"]
    assert app["lifecycle"] == {"preStop": {"sleep": {"seconds": 10}}}
    # The pause leaves the app time to shut down within the grace period.
    assert PRE_STOP_SLEEP_SECONDS < TERMINATION_GRACE_PERIOD_SECONDS


def test_restarted_at_sets_the_restart_annotation() -> None:
    annotations = template_annotations(restartedAt="2026-11-23T10:00:00Z")
    assert annotations[RESTARTED_AT] == "2026-11-23T10:00:00Z"


def test_without_restarted_at_there_is_no_restart_annotation() -> None:
    assert RESTARTED_AT not in template_annotations()


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-11-23 10:00:00Z", "2026-02-30T10:00:00Z", "1"]
)
def test_a_restart_time_that_is_not_rfc3339_is_refused(value: str) -> None:
    assert "portfolio:restartedAt" in problems(restartedAt=value)


def test_the_deployment_ignores_no_changes() -> None:
    # Deliberate (docs/delivery.md, "Images, rollouts and restarts"):
    # ignoreChanges on the restart annotation would freeze portfolio:restartedAt
    # and, under server-side apply, not keep a manual restart's value either.
    (registration,) = of_type(run_component(make_settings("dev")), DEPLOYMENT)
    assert "ignoreChanges" not in registration.options


def test_no_disruption_budget_for_a_single_replica() -> None:
    assert of_type(run_component(make_settings("dev", replicas=1)), PDB) == []


def test_a_disruption_budget_above_one_replica() -> None:
    (budget,) = [d for d in docs(replicas=3) if d["kind"] == "PodDisruptionBudget"]
    assert budget["metadata"]["name"] == "portfolio"
    assert budget["metadata"]["namespace"] == "dev"
    assert budget["spec"] == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {"app": "portfolio"}},
    }


def test_the_proxy_is_a_native_sidecar_that_starts_before_the_app() -> None:
    pod = deployment()["spec"]["template"]["spec"]
    assert [c["name"] for c in pod["initContainers"]] == ["cloudsql-proxy"]
    assert [c["name"] for c in pod["containers"]] == ["portfolio"]
    assert pod["initContainers"][0]["restartPolicy"] == "Always"


def test_the_proxy_is_probed_on_its_health_port_and_never_for_readiness() -> None:
    proxy = container(docs(), "cloudsql-proxy")
    assert proxy["startupProbe"] == {
        "httpGet": {"path": "/startup", "port": 9090},
        "initialDelaySeconds": 0,
        "periodSeconds": 1,
        "timeoutSeconds": 5,
        "failureThreshold": 20,
    }
    assert proxy["livenessProbe"]["httpGet"] == {"path": "/liveness", "port": 9090}
    assert "readinessProbe" not in proxy
    assert proxy["args"] == [
        "--structured-logs",
        "--port=5432",
        "--health-check",
        "--http-address=0.0.0.0",
        "--http-port=9090",
        "--exit-zero-on-sigterm",
        "$(CLOUD_SQL_CONNECTION_NAME)",
    ]


def test_ports_in_the_pod_never_collide() -> None:
    # The pod's containers share one network: each port has one listener.
    ports = [CONTAINER_PORT, PROXY_PORT, PROXY_HEALTH_PORT]
    assert len(set(ports)) == len(ports)


def test_the_proxy_is_pinned_by_digest() -> None:
    image = container(docs(), "cloudsql-proxy")["image"]
    assert image == PROXY_IMAGE
    assert re.fullmatch(r"[^@]+:2\.8\.0@sha256:[0-9a-f]{64}", image)


def test_consumer_stacks_are_for_the_owner_only_and_never_itself() -> None:
    found = problems(registryConsumerStacks=["staging"])
    assert "only the owner stack (prod)" in found["portfolio:registryConsumerStacks"]
    with pytest.raises(SettingsError, match="lists this stack itself"):
        make_settings("prod", registryConsumerStacks=["prod"])


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_restart_sets_now_and_runs_pulumi_up_for_the_stack() -> None:
    dry = make("-n", "restart", "STACK=staging")
    assert dry.returncode == 0, dry.stderr
    commands = dry.stdout.splitlines()[1:]
    assert commands == [
        'pulumi config set portfolio:restartedAt "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
        '--stack "staging"',
        'pulumi up --stack "staging"',
    ]


@pytest.mark.parametrize("stack", ["", "nope"])
def test_make_restart_refuses_a_stack_that_does_not_exist(stack: str) -> None:
    result = make("restart", f"STACK={stack}")
    assert result.returncode != 0
    assert "usage: make restart STACK=<stack>" in result.stderr
