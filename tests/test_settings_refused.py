"""Settings the platform would refuse or that would leak: refused, named by key.

A secure value where no secret is meant (never shown, in any namespace), stack
names of the platforms' namespaces, labels that would replace the program's,
annotations over the API's size, and the certificate's and Cloud SQL's limits.
"""

from __future__ import annotations

from typing import Any

import pytest

from portfolio.settings.parsing import SettingsError, parse_settings
from tests.conftest import FAKE_PROVIDER, make_settings, raw_config
from tests.test_settings import problems_of


@pytest.mark.parametrize(
    ("overrides", "secure"),
    [
        # As `pulumi up` hands them over: decrypted. A rule across keys that read
        # a secure value would quote it in the other key's message.
        ({"cpuRequest": "50m", "cpuLimit": "10m"}, "portfolio:cpuLimit"),
        ({"cpuRequest": "20000m"}, "portfolio:cpuRequest"),
        (
            {"registryOwnerStack": "qa-FAKE", "registryConsumerStacks": ["prod"]},
            "portfolio:registryOwnerStack",
        ),
    ],
)
def test_a_secure_value_where_none_is_meant_is_refused_and_never_shown(
    overrides: dict[str, Any], secure: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings("test", raw_config(**overrides), FAKE_PROVIDER, {secure})
    problems = dict(caught.value.problems)
    assert "holds no secret" in problems[secure]
    value = raw_config(**overrides)[secure.removeprefix("portfolio:")]
    assert value not in str(caught.value)


@pytest.mark.parametrize("key", ["pulumi:tags", "gcp:zone", "kubernetes:namespace"])
def test_a_secure_value_is_refused_in_every_namespace(key: str) -> None:
    provider = {**FAKE_PROVIDER, key: "FAKE-decrypted-value"}
    with pytest.raises(SettingsError) as caught:
        parse_settings("test", raw_config(), provider, {key})
    assert "holds no secret" in dict(caught.value.problems)[key]
    assert "FAKE-decrypted-value" not in str(caught.value)


@pytest.mark.parametrize(
    "stack",
    ["default", "kube-system", "kube-public", "istio-system", "istio-ingress",
     "cert-manager", "flux-system", "asm-system", "knative-serving", "gmp-public",
     "gke-managed-x", "cnrm-system"],
)  # fmt: skip
def test_a_stack_named_like_a_system_namespace_is_refused(stack: str) -> None:
    problem = problems_of(stack)["namespace"]
    assert "is a system namespace" in problem


@pytest.mark.parametrize("stack", ["dev", "qa", "systems", "kubeflow-demo"])
def test_other_stack_names_are_namespaces_of_their_own(stack: str) -> None:
    assert make_settings(stack).namespace == stack


@pytest.mark.parametrize(
    "label", ["app=evil", "app.kubernetes.io/managed-by=flux",
              "pod-security.kubernetes.io/enforce=privileged"],
)  # fmt: skip
def test_a_stack_label_may_not_replace_the_programs_own(label: str) -> None:
    problem = problems_of(environmentLabels=[label])["portfolio:environmentLabels"]
    assert "is a label the program sets itself" in problem


def test_namespace_annotations_stay_within_the_apis_total_size() -> None:
    big = ["a=" + "x" * (128 * 1024), "b=" + "x" * (128 * 1024)]
    problem = problems_of(namespaceAnnotations=big)["portfolio:namespaceAnnotations"]
    assert "at most 261120 may: the API's 256 KiB" in problem
    assert make_settings(namespaceAnnotations=big[:1]).namespace_annotations


def test_a_certificate_takes_at_most_100_names() -> None:
    hosts = [f"h{n}.hugecat.net" for n in range(100)]
    assert "portfolio:redirectHosts" in problems_of(redirectHosts=hosts)
    assert make_settings(redirectHosts=hosts[:99]).redirect_hosts == hosts[:99]


def test_the_instance_and_project_take_at_most_98_characters() -> None:
    name = "i" + "x" * 97  # a valid instance ID of 98 characters
    problem = problems_of(sqlInstanceName=name)["portfolio:sqlInstanceName"]
    assert "Cloud SQL allows 98 for project:instance" in problem


def test_a_secret_pasted_into_another_key_is_masked_in_its_message() -> None:
    secret = "FAKE-SECRET-NOT-REAL-0123456789-abcdefghij"
    config = raw_config(nextauthSecret=secret, tlsCertificateName=secret[:30])
    with pytest.raises(SettingsError) as caught:
        parse_settings("test", config, FAKE_PROVIDER, {"nextauthSecret"})
    problem = dict(caught.value.problems)["portfolio:tlsCertificateName"]
    assert "its value" in problem
    assert "FAKE-SECRET-NOT" not in str(caught.value)


def test_a_kubeconfigs_words_stay_in_other_messages() -> None:
    # A kubeconfig is a document whose words ("namespace", ...) any message may
    # use: only where it stands whole is it masked.
    kubeconfig = "apiVersion: v1\ncontexts:\n- context: {namespace: default}\n"
    provider = {**FAKE_PROVIDER, "kubernetes:kubeconfig": kubeconfig}
    given = {"kubernetes:kubeconfig"}
    with pytest.raises(SettingsError) as caught:
        parse_settings("kube-system", raw_config(), provider, given)
    assert "is a system namespace" in dict(caught.value.problems)["namespace"]


@pytest.mark.parametrize("key", ["portfolio:nodeEnv", "kubernetes:namespace"])
def test_a_secret_pasted_whole_into_a_plain_key_is_refused(key: str) -> None:
    # Under `pulumi up` the engine would keep the plain key's value in clear.
    secret = "FAKE-SECRET-NOT-REAL-0123456789"
    config = raw_config(nextauthSecret=secret)
    provider = dict(FAKE_PROVIDER)
    if key.startswith("portfolio:"):
        config[key.removeprefix("portfolio:")] = f"x{secret}"
    else:
        provider[key] = secret
    with pytest.raises(SettingsError) as caught:
        parse_settings("test", config, provider, {"nextauthSecret"})
    problem = dict(caught.value.problems)[key]
    assert problem.startswith("holds the value of the secret portfolio:nextauthSecret")
    assert "FAKE-SECRET" not in str(caught.value)


def test_the_label_the_api_server_sets_on_a_namespace_is_refused() -> None:
    labels = ["kubernetes.io/metadata.name=prod"]
    problem = problems_of(environmentLabels=labels)["portfolio:environmentLabels"]
    assert "is set by the API server to the namespace's name" in problem


@pytest.mark.parametrize(
    ("secret", "key", "pasted"),
    [
        # A list reaches the program as JSON: the secret in it escaped.
        ('FAKE"&<pass>\\1', "namespaceAnnotations", ['note=FAKE"&<pass>\\1']),
        # A short secret, where it stands whole.
        ("FAKE", "nextauthSecretRotation", "FAKE"),
    ],
)
def test_a_secret_pasted_into_a_list_or_whole_is_refused(
    secret: str, key: str, pasted: Any
) -> None:
    config = raw_config(databasePassword=secret, **{key: pasted})
    with pytest.raises(SettingsError) as caught:
        parse_settings("test", config, FAKE_PROVIDER, {"databasePassword"})
    problem = dict(caught.value.problems)[f"portfolio:{key}"]
    assert problem.startswith("holds the value of the secret portfolio:databasePass")
