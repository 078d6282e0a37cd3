"""The policy pack: its rules, the offline checks that run them, the CrossGuard pack.

The rules are plain functions (``policy/rules.py``); ``python -m render`` and
``check`` run them on every registration, and ``policy/__main__.py`` runs them
at ``pulumi preview --policy-pack policy``. Both must refuse the same things.
"""

from __future__ import annotations

import copy
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResourceOptions,
    ResourceValidationArgs,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policy import rules
from render import policies
from render.cli import main
from render.harness import run_program
from render.stackfile import load_stack
from tests.conftest import ROOT, STACKS, make_settings, project, run_component

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
DIGEST = "@sha256:" + "ab" * 32


def good_container(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "image": f"registry.example/{name}:1{DIGEST}",
        "imagePullPolicy": "Always",
        "resources": {
            "requests": {"cpu": "10m", "memory": "16Mi"},
            "limits": {"cpu": "20m", "memory": "32Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": 10001,
        },
    }


def good_deployment() -> dict[str, Any]:
    return {
        "spec": {
            "template": {
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                    "initContainers": [good_container("sidecar")],
                    "containers": [good_container("app")],
                }
            }
        }
    }


def broken(change: Any) -> list[tuple[str, str]]:
    """Violations of the good Deployment after ``change`` edits its props."""
    props = good_deployment()
    change(props)
    return rules.violations(rules.Resource(DEPLOYMENT, "app", props))


def app(props: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = props["spec"]["template"]["spec"]["containers"][0]
    return container


def test_a_compliant_deployment_breaks_no_rule() -> None:
    assert broken(lambda props: None) == []


@pytest.mark.parametrize(
    ("change", "rule", "says"),
    [
        (
            lambda p: app(p).update(imagePullPolicy="IfNotPresent"),
            "image-pull-always",
            "containers[app]: imagePullPolicy is 'IfNotPresent'",
        ),
        (
            lambda p: app(p).update(image="registry.example/app:latest"),
            "images-pinned-by-digest",
            "not pinned by @sha256 digest",
        ),
        (
            lambda p: app(p)["resources"].pop("limits"),
            "resources-on-every-container",
            "no cpu in resources.limits",
        ),
        (
            lambda p: app(p)["securityContext"].update(readOnlyRootFilesystem=False),
            "restricted-security-context",
            "readOnlyRootFilesystem is not true",
        ),
        (
            lambda p: app(p)["securityContext"].update(allowPrivilegeEscalation=True),
            "restricted-security-context",
            "allowPrivilegeEscalation is not false",
        ),
        (
            lambda p: app(p)["securityContext"].update(runAsNonRoot=None),
            "restricted-security-context",
            "runAsNonRoot is not true",
        ),
        (
            lambda p: p["spec"]["template"]["spec"].pop("securityContext"),
            "restricted-security-context",
            "seccompProfile is not RuntimeDefault",
        ),
        (
            lambda p: p["spec"]["template"]["spec"].update(
                automountServiceAccountToken=True
            ),
            "restricted-security-context",
            "automountServiceAccountToken is not false",
        ),
        (
            lambda p: app(p).update(env=[{"name": "API_TOKEN", "value": "FAKE"}]),
            "no-plain-text-secrets",
            "env API_TOKEN holds a secret",
        ),
        (
            lambda p: app(p).update(
                env=[{"name": "DB", "value": "postgres://u:FAKE@localhost/db"}]
            ),
            "no-plain-text-secrets",
            "env DB holds a secret",
        ),
    ],
)
def test_each_rule_names_what_breaks_it(change: Any, rule: str, says: str) -> None:
    found = broken(change)
    assert any(name == rule and says in message for name, message in found), found


def test_the_sidecar_is_held_to_the_same_rules() -> None:
    def tag_the_sidecar(props: dict[str, Any]) -> None:
        props["spec"]["template"]["spec"]["initContainers"][0]["image"] = "x:1"

    ((rule, message),) = broken(tag_the_sidecar)
    assert (rule, message.split(":")[0]) == (
        "images-pinned-by-digest",
        "initContainers[sidecar]",
    )


def test_an_env_var_from_a_secret_is_not_plain_text() -> None:
    def by_reference(props: dict[str, Any]) -> None:
        reference = {"secretKeyRef": {"name": "s", "key": "PASSWORD"}}
        app(props)["env"] = [{"name": "PASSWORD", "valueFrom": reference}]

    assert broken(by_reference) == []


def test_a_config_map_holds_no_credential() -> None:
    def config_map(data: dict[str, str]) -> list[tuple[str, str]]:
        return rules.violations(
            rules.Resource("kubernetes:core/v1:ConfigMap", "c", {"data": data})
        )

    assert config_map({"NODE_ENV": "production", "URL": "https://x.example/"}) == []
    assert [rule for rule, _ in config_map({"NEXTAUTH_SECRET": "FAKE"})] == [
        "no-plain-text-secrets"
    ]
    assert config_map({"DB": "postgres://user:FAKE@db/x"})


@pytest.mark.parametrize("type_", sorted(rules.MUST_SURVIVE))
def test_what_must_survive_is_protected(type_: str) -> None:
    assert rules.violations(rules.Resource(type_, "x", {}, protect=True)) == []
    ((rule, _),) = rules.violations(rules.Resource(type_, "x", {}, protect=False))
    assert rule == "data-must-survive"


def test_an_unknown_value_breaks_no_rule() -> None:
    def unknown_values(props: dict[str, Any]) -> None:
        app(props)["image"] = rules.UNKNOWN
        app(props)["securityContext"]["readOnlyRootFilesystem"] = rules.UNKNOWN
        props["spec"]["template"]["spec"]["automountServiceAccountToken"] = (
            rules.UNKNOWN
        )

    assert broken(unknown_values) == []


def test_a_containers_own_setting_wins_over_the_pods() -> None:
    def container_runs_as_root(props: dict[str, Any]) -> None:
        props["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] = True
        app(props)["securityContext"]["runAsNonRoot"] = False

    assert (
        "restricted-security-context",
        "containers[app]: runAsNonRoot is not true",
    ) in (broken(container_runs_as_root))


@pytest.mark.parametrize("stack", STACKS)
def test_every_registration_of_every_stack_keeps_every_rule(stack: str) -> None:
    checked = load_stack(project(), ROOT / f"Pulumi.{stack}.yaml")
    regs = run_program(ROOT / "__main__.py", project(), checked).registrations
    assert policies.problems(regs) == []
    # The rules saw the objects they are about.
    kinds = {r.type for r in regs}
    assert DEPLOYMENT in kinds
    assert "gcp:sql/databaseInstance:DatabaseInstance" in kinds


def test_a_tag_instead_of_a_digest_is_refused_offline() -> None:
    regs = run_component(make_settings("dev", pinImageDigest=False))
    (line,) = policies.problems(regs)
    assert line.startswith(
        f"policy images-pinned-by-digest: {DEPLOYMENT} portfolio-deployment: "
        "containers[portfolio]"
    )


def test_render_refuses_a_stack_that_breaks_a_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "Pulumi.dev.yaml").read_text()
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(text + "  portfolio:pinImageDigest: false\n")
    assert main(["check", str(path)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: Pulumi.dev.yaml: policy images-pinned-by-digest: ")


# The CrossGuard pack itself, loaded as the CLI loads it but not served.


@pytest.fixture(scope="module")
def pack() -> dict[str, Any]:
    folder = str(ROOT / "policy")
    sys.path.insert(0, folder)
    try:
        return runpy.run_path(folder, run_name="policy_pack")
    finally:
        sys.path.remove(folder)


def validate(pack: dict[str, Any], name: str, props: dict[str, Any]) -> list[str]:
    """What one of the pack's policies reports for a Deployment with ``props``."""
    (policy,) = [
        p for p in (pack["policy"](r) for r in pack["rules"].RULES) if p.name == name
    ]
    options = PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )
    args = ResourceValidationArgs(
        resource_type=DEPLOYMENT,
        props=unknown_checking_proxy(copy.deepcopy(props)),
        urn=f"urn:pulumi:dev::portfolio::{DEPLOYMENT}::app",
        name="app",
        opts=options,
        provider=None,
    )
    reported: list[str] = []
    assert policy.validate is not None
    policy.validate(args, lambda message, urn=None: reported.append(message))
    return reported


def test_the_pack_has_one_mandatory_policy_per_rule(pack: dict[str, Any]) -> None:
    built = [pack["policy"](rule) for rule in pack["rules"].RULES]
    assert [p.name for p in built] == [rule.name for rule in rules.RULES]
    assert {str(p.enforcement_level.value) for p in built} == {"mandatory"}


def test_the_pack_reports_what_the_offline_check_reports(pack: dict[str, Any]) -> None:
    props = good_deployment()
    assert validate(pack, "images-pinned-by-digest", props) == []
    app(props)["image"] = "registry.example/app:latest"
    offline = [m for _, m in rules.violations(rules.Resource(DEPLOYMENT, "a", props))]
    assert validate(pack, "images-pinned-by-digest", props) == offline


def test_the_pack_passes_over_values_unknown_during_preview(
    pack: dict[str, Any],
) -> None:
    props = good_deployment()
    app(props)["image"] = UNKNOWN_STRING_VALUE
    assert validate(pack, "images-pinned-by-digest", props) == []
