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

from portfolio.settings.fields import INT32_MAX
from portfolio.settings.parsing import SettingsError
from render import policies
from tests.conftest import make_settings, manifests, run_component
from tests.test_manifests_validate import CUSTOM_KINDS

LABEL = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\Z")
CPU = st.integers(min_value=1, max_value=4000).map(lambda m: f"{m}m")
MEMORY = st.integers(min_value=16, max_value=8192).map(lambda m: f"{m}Mi")


@st.composite
def valid_config(draw: st.DrawFn) -> dict[str, Any]:
    """A set of overrides the program must accept and deploy."""
    cpu = sorted(draw(st.lists(CPU, min_size=2, max_size=2)), key=lambda c: int(c[:-1]))
    memory = sorted(
        draw(st.lists(MEMORY, min_size=2, max_size=2)), key=lambda m: int(m[:-2])
    )
    return {
        "replicas": draw(st.integers(min_value=0, max_value=INT32_MAX)),
        "cpuRequest": cpu[0],
        "cpuLimit": cpu[1],
        "memoryRequest": memory[0],
        "memoryLimit": memory[1],
        "sqlDiskSize": draw(st.integers(min_value=10, max_value=65536)),
        "environmentLabels": draw(
            st.lists(st.tuples(LABEL, LABEL), max_size=2, unique_by=lambda p: p[0]).map(
                lambda pairs: [f"x.example/{k}={v}" for k, v in pairs]
            )
        ),
        "zoneSpread": draw(st.booleans()),
        "hostAntiAffinity": draw(st.booleans()),
    }


@settings(
    max_examples=10,
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
    "cpuRequest": st.integers(min_value=1, max_value=10**6).map(lambda n: f"-{n}m"),
    "memoryLimit": st.sampled_from(["lots", "1 Gi", "1GB", "-1Gi"]),
    "sqlDiskSize": st.one_of(st.integers(max_value=9), st.integers(min_value=65537)),
    "sqlDiskType": st.sampled_from(["PD_X", "pd_ssd", ""]),
    "host": st.sampled_from(["Portfolio.hugecat.net", "a..hugecat.net", "x.example"]),
    "environmentLabels": st.sampled_from([["bad key=x"], ["k=bad value"], ["novalue"]]),
    "registryConsumerStacks": st.sampled_from([["Dev"], ["dev", "dev"]]),
    "nodeEnv": st.sampled_from(["", "a b", "x" * 64]),
    "restartedAt": st.sampled_from(
        ["yesterday", "2026-02-30T10:00:00Z", "2026-01-01T00:00:00+00:60"]
    ),
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
