"""Property-based tests over the settings model (hypothesis).

Valid settings, drawn from the ranges the Kubernetes and Google APIs accept,
render objects that pass ``kubernetes-validate --strict`` and every rule of the
policy pack. Invalid values, drawn from outside those ranges, are refused with
their key named, and nothing is registered.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kubernetes_validate import utils

from components.parsing import SettingsError
from components.settings import INT32_MAX
from render import policies
from tests.conftest import make_settings, manifests, run_component
from tests.test_manifests_validate import CUSTOM_KINDS

LABEL = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\Z")
CPU = st.integers(min_value=1, max_value=4000).map(lambda m: f"{m}m")
MEMORY = st.integers(min_value=16, max_value=8192).map(lambda m: f"{m}Mi")
PATH = st.lists(LABEL, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
PORT = st.integers(min_value=1, max_value=65535)


def probe() -> st.SearchStrategy[list[str]]:
    seconds = st.integers(min_value=1, max_value=INT32_MAX)
    return st.tuples(
        st.integers(min_value=0, max_value=INT32_MAX), seconds, seconds, seconds
    ).map(
        lambda t: [
            f"initialDelaySeconds={t[0]}",
            f"periodSeconds={t[1]}",
            f"timeoutSeconds={t[2]}",
            f"failureThreshold={t[3]}",
        ]
    )


@st.composite
def valid_config(draw: st.DrawFn) -> dict[str, Any]:
    """A set of overrides the program must accept and deploy."""
    ports = draw(st.lists(PORT, min_size=3, max_size=3, unique=True))
    cpu = sorted(draw(st.lists(CPU, min_size=2, max_size=2)), key=lambda c: int(c[:-1]))
    memory = sorted(
        draw(st.lists(MEMORY, min_size=2, max_size=2)), key=lambda m: int(m[:-2])
    )
    grace = draw(st.integers(min_value=2, max_value=3600))
    return {
        "replicas": draw(st.integers(min_value=0, max_value=INT32_MAX)),
        "containerPort": ports[0],
        "proxyPort": ports[1],
        "proxyHealthPort": ports[2],
        "servicePort": draw(PORT),
        "cpuRequest": cpu[0],
        "cpuLimit": cpu[1],
        "memoryRequest": memory[0],
        "memoryLimit": memory[1],
        "runAsUser": draw(st.integers(min_value=10000, max_value=INT32_MAX)),
        "healthPath": draw(PATH),
        "writablePaths": draw(st.lists(PATH, max_size=3, unique=True)),
        "livenessProbe": draw(probe()),
        "readinessProbe": draw(probe()),
        "minReadySeconds": draw(st.integers(min_value=0, max_value=INT32_MAX)),
        "terminationGracePeriodSeconds": grace,
        "preStopSleepSeconds": draw(st.integers(min_value=1, max_value=grace - 1)),
        "networkPolicyIngressNamespaces": draw(
            st.lists(LABEL, max_size=3, unique=True)
        ),
        "networkPolicyEgressPorts": draw(
            st.lists(
                st.tuples(PORT, st.sampled_from(["TCP", "UDP", "SCTP"])).map(
                    lambda p: f"{p[0]}/{p[1]}"
                ),
                max_size=4,
                unique=True,
            )
        ),
        "environmentLabels": draw(
            st.lists(st.tuples(LABEL, LABEL), max_size=2, unique_by=lambda p: p[0]).map(
                lambda pairs: [f"x.example/{k}={v}" for k, v in pairs]
            )
        ),
        "zoneSpread": draw(st.booleans()),
        "hostAntiAffinity": draw(st.booleans()),
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(config=valid_config())
def test_valid_settings_render_valid_objects_that_keep_every_rule(
    config: dict[str, Any],
) -> None:
    regs = run_component(make_settings("dev", **config))
    assert policies.problems(regs) == []
    for document in manifests(regs):
        if (document["apiVersion"], document["kind"]) in CUSTOM_KINDS:
            continue
        utils.validate(document, utils.latest_version(), strict=True)


# One strategy of wrong values per key: each is what some API would refuse.
INVALID: dict[str, st.SearchStrategy[Any]] = {
    "replicas": st.one_of(
        st.integers(max_value=-1), st.integers(min_value=INT32_MAX + 1)
    ),
    "containerPort": st.one_of(st.integers(max_value=0), st.integers(min_value=65536)),
    "proxyPort": st.just(3000),  # the app's port
    "cpuRequest": st.integers(min_value=1, max_value=10**6).map(lambda n: f"-{n}m"),
    "memoryLimit": st.sampled_from(["lots", "1 Gi", "1GB", "-1Gi"]),
    "runAsUser": st.one_of(
        st.integers(max_value=9999), st.integers(min_value=INT32_MAX + 1)
    ),
    "healthPath": st.sampled_from(["health", "/with space", "/a?b\n"]),
    "livenessProbe": st.integers(min_value=INT32_MAX + 1).map(
        lambda n: [
            "initialDelaySeconds=0",
            f"periodSeconds={n}",
            "timeoutSeconds=1",
            "failureThreshold=1",
        ]
    ),
    "registryKeepDigests": st.from_regex(r"\A[0-9a-f]{32}\Z").map(
        lambda hex32: [f"sha256:{hex32}"]
    ),
    "networkPolicyEgressPorts": st.sampled_from(
        [["0/TCP"], ["65536/TCP"], ["53/ICMP"], ["53/TCP", "53/TCP"]]
    ),
    "ingressGatewaySelector": st.just([]),
    "writablePaths": st.sampled_from([["tmp"], ["/"], ["/a/../etc"], ["/x", "/x"]]),
    "commonLabels": st.sampled_from([["bad key=x"], ["k=bad value"], ["novalue"]]),
    "proxyImage": st.sampled_from(
        ["gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0", "not an image"]
    ),
    "sqlRegion": st.sampled_from(["mars-north9", "us-central", "US-CENTRAL1"]),
    "tlsClusterIssuer": st.sampled_from(["Bad Issuer", "-x", ""]),
}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_an_invalid_value_is_refused_with_its_key_named(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(INVALID)))
    value = data.draw(INVALID[key])
    with pytest.raises(SettingsError) as error:
        make_settings("dev", **{key: value})
    assert f"portfolio:{key}" in {
        problem_key for problem_key, _ in error.value.problems
    }
