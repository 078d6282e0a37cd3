"""Settings: parsed once, every problem reported against its config key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from portfolio.images.repository_specs import kept_digests
from portfolio.settings.model import secret_keys
from portfolio.settings.parsing import SettingsError, config_keys, parse_settings
from tests.conftest import (
    FAKE_PROVIDER,
    make_settings,
    project,
    raw_config,
)


def problems_of(
    namespace: str = "test", provider: dict[str, str] | None = None, **overrides: Any
) -> dict[str, str]:
    with pytest.raises(SettingsError) as caught:
        parse_settings(namespace, raw_config(**overrides), provider or FAKE_PROVIDER)
    return dict(caught.value.problems)


def test_every_declared_key_is_read_and_every_read_key_declared() -> None:
    read = [k.removeprefix("portfolio:") for k in config_keys() if "portfolio:" in k]
    assert sorted(read) == sorted(project().declarations)
    assert len(read) <= 35


def test_secret_keys_are_optional_overrides_the_cli_accepts() -> None:
    # A `secret: true` declaration must have a value in every stack (it cannot
    # have a default), so the overrides are declared as strings that default to
    # empty; the program refuses a non-empty one that is not a secret.
    declarations = project().declarations
    assert not [k for k, d in declarations.items() if d.secret]
    assert sorted(secret_keys()) == ["databasePassword", "nextauthSecret"]
    for key in secret_keys():
        assert declarations[key].default == ""


@pytest.mark.parametrize("key", ["nextauthSecret", "databasePassword"])
def test_a_plain_secret_value_is_refused_and_an_empty_one_means_generate(
    key: str,
) -> None:
    plain: dict[str, Any] = {key: "FAKE-plain-text-not-real"}
    problems = problems_of(**plain)
    assert list(problems) == [f"portfolio:{key}"]
    assert "pulumi config set --secret" in problems[f"portfolio:{key}"]
    secret = parse_settings(
        "dev", raw_config(**{key: "FAKE-not-real"}), FAKE_PROVIDER, {key}
    )
    field = {
        "nextauthSecret": "nextauth_secret",
        "databasePassword": "database_password",
    }
    assert getattr(secret, field[key]).get_secret_value() == "FAKE-not-real"
    assert getattr(make_settings(**{key: ""}), field[key]) is None


@pytest.mark.parametrize(
    "key", ["nextauthUrl", "cloudSqlConnectionName", "databaseUrl"]
)
def test_a_removed_key_says_what_replaced_it(key: str) -> None:
    removed: dict[str, Any] = {key: "x"}
    assert problems_of(**removed)[f"portfolio:{key}"].startswith("was removed: ")


def test_pulumi_yaml_defaults_mirror_the_kustomize_base() -> None:
    s = make_settings()
    assert s.image == (
        "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio:latest"
    )
    assert (s.cpu_request, s.memory_request, s.cpu_limit, s.memory_limit) == (
        "100m",
        "256Mi",
        "500m",
        "512Mi",
    )
    assert s.replicas == 1
    assert not s.zone_spread
    assert not s.host_anti_affinity


def test_secrets_are_held_as_secret_strings_and_never_printed() -> None:
    value = "FAKE-nextauth-secret-not-real"
    s = make_settings(nextauthSecret=value, databasePassword=value)
    assert isinstance(s.nextauth_secret, SecretStr)
    assert s.nextauth_secret.get_secret_value() == value
    assert value not in repr(s)
    assert value not in str(s)


def test_settings_are_frozen() -> None:
    s = make_settings()
    with pytest.raises(ValidationError, match="frozen"):
        s.replicas = 3


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("cpuRequest", "100 millicores", "not a Kubernetes quantity"),
        ("memoryLimit", "1GB", "not a Kubernetes quantity"),
        # A limit of 0 is no limit; m is milli, not mebibytes; a few bytes is a typo.
        ("cpuLimit", "0", "'0' is 0: give the container some CPU"),
        ("cpuRequest", "0m", "'0m' is 0"),
        ("memoryLimit", "0", "'0' is 0 bytes, too little for any container"),
        ("memoryLimit", "256m", "'256m' is 0.256 bytes, too little"),
        ("memoryRequest", "0.5", "0.5 bytes"),
        ("memoryRequest", "500Ki", "'500Ki' is 512000 bytes, too little"),
        (
            "image",
            "us-central1-docker.pkg.dev/kame-457417/kame-house-images/"
            + "p" * 200
            + ":latest",
            "its name is 257 characters, over 255 (without tag or digest)",
        ),
        ("image", "Portfolio:Latest", "not an image reference"),
        ("replicas", "two", "is not a whole number"),
        ("replicas", -1, "is not a whole number (digits only)"),
        ("replicas", 2**31, "2147483648 is above the maximum, 2147483647"),
        ("zoneSpread", "yes", "is not true or false"),
        ("host", "Portfolio.Example.com", "is not a host name"),
        ("host", "portfolio.example.com.", "is not a host name"),
        ("redirectHosts", ["example.org"], "not in the DNS zone's domain hugecat.net"),
        ("sqlInstanceName", "1-db", "not a Cloud SQL instance name"),
        ("sqlDiskSize", 5, "below the minimum, 10"),
        ("sqlDiskType", "SSD", "'SSD' is not one of 'PD_SSD' or 'PD_HDD'"),
        (
            "image",
            "docker.io/library/nginx:1",
            "not in an Artifact Registry repository",
        ),
        ("registryOwnerStack", "Prod", "not a DNS label"),
        ("pullKeyRotation", "", "at least 1 character"),
        ("nodeEnv", "a b", "does not match"),
        ("registryConsumerStacks", ["dev", "dev"], "is given twice"),
        ("environmentLabels", ["env=has space"], "not a valid label value"),
    ],
)
def test_bad_value_is_reported_against_its_key(
    key: str, value: Any, message: str
) -> None:
    problems = problems_of(**{key: value})
    assert list(problems) == [f"portfolio:{key}"]
    assert message in problems[f"portfolio:{key}"]


def test_request_above_limit_is_rejected() -> None:
    problems = problems_of(cpuRequest="600m", cpuLimit="500m")
    assert problems == {"portfolio:cpuRequest": "'600m' is above the limit '500m'"}


def test_a_huge_request_is_shown_cut_in_its_one_line() -> None:
    problems = problems_of(cpuRequest="9" * 5000, cpuLimit="500m")
    message = problems["portfolio:cpuRequest"]
    assert message == "is longer than 64 characters"


def test_missing_required_key_is_named() -> None:
    raw = raw_config()
    del raw["host"]
    with pytest.raises(SettingsError) as caught:
        parse_settings("dev", raw, FAKE_PROVIDER)
    assert caught.value.problems == [("portfolio:host", "is required but not set")]


def test_unknown_key_is_rejected_not_ignored() -> None:
    problems = problems_of(replica=3)
    assert problems == {
        "portfolio:replica": "is not a known setting (did you mean portfolio:replicas?)"
    }


def test_every_problem_is_reported_at_once() -> None:
    problems = problems_of(cpuRequest="x", image="BAD", replicas="many")
    assert set(problems) == {
        "portfolio:cpuRequest",
        "portfolio:image",
        "portfolio:replicas",
    }
    assert str(SettingsError(list(problems.items()))).count("\n") == 2


def test_namespace_must_be_a_dns_label() -> None:
    assert "namespace" in problems_of(namespace="Prod_1")


def test_values_arrive_as_pulumi_strings() -> None:
    s = parse_settings(
        "dev",
        raw_config()
        | {
            "replicas": "3",
            "zoneSpread": "true",
            "environmentLabels": json.dumps(["a=b"]),
        },
        FAKE_PROVIDER,
    )
    assert (s.replicas, s.zone_spread, s.environment_labels) == (3, True, {"a": "b"})


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("kubernetes:context", "", "is required (or kubernetes:kubeconfig)"),
        ("gcp:project", "Not A Project", "not a Google Cloud project ID"),
        ("gcp:region", "us central", "is not a Google Cloud region"),
        # Every resource uses the program's explicit providers, which set these
        # themselves: in a stack file they would silently do nothing.
        ("kubernetes:enableSecretMutable", "false", "has no effect"),
        ("kubernetes:namespace", "default", "has no effect"),
        ("gcp:zone", "us-central1-a", "has no effect"),
    ],
)
def test_provider_settings_the_design_relies_on_are_enforced(
    key: str, value: str, message: str
) -> None:
    problems = problems_of(provider={**FAKE_PROVIDER, key: value})
    assert list(problems) == [key]
    assert message in problems[key]


@pytest.mark.parametrize("key", ["gcp:project", "gcp:region"])
def test_a_missing_provider_setting_names_the_key_a_user_sets(key: str) -> None:
    provider = dict(FAKE_PROVIDER)
    del provider[key]
    assert problems_of(provider=provider) == {key: "is required but not set"}


def test_a_kubeconfig_of_its_own_may_stand_in_for_the_context() -> None:
    provider = {**FAKE_PROVIDER, "kubernetes:kubeconfig": "FAKE-kubeconfig"}
    del provider["kubernetes:context"]
    secret = ["kubernetes:kubeconfig"]
    assert parse_settings("dev", raw_config(), provider, secret).namespace == "dev"


def test_stack_name_must_leave_room_in_service_account_ids() -> None:
    assert make_settings("a" * 15).pull_account_id == "portfolio-pull-" + "a" * 15
    assert "at most 15 characters" in problems_of(namespace="a" * 16)["namespace"]


def test_only_the_named_stack_owns_the_registry() -> None:
    assert make_settings("prod").owns_registry
    assert not make_settings("dev").owns_registry
    assert make_settings("dev", registryOwnerStack="dev").owns_registry


def test_kept_digests_are_every_running_digest_once_sorted() -> None:
    running = "sha256:" + "1" * 64
    other = "sha256:" + "2" * 64
    assert kept_digests([other, None, running, other]) == [running, other]
    assert kept_digests([None]) == []
