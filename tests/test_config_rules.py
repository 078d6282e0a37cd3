"""The rules that read config values: every malformed value is one problem, by key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.config_rules import SecretStr
from components.parsing import SettingsError, parse_settings
from components.settings import config_fields, to_camel, to_snake
from tests.conftest import FAKE_PROVIDER, raw_config


def problems_of(key: str, text: str) -> list[tuple[str, str]]:
    """The problems of a stack whose ``portfolio:<key>`` is the string ``text``."""
    raw = raw_config() | {key: text}
    with pytest.raises(SettingsError) as caught:
        parse_settings("dev", raw, FAKE_PROVIDER)
    return caught.value.problems


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        # Numbers are strict: not a boolean, a fraction, a string or nothing.
        ("replicas", True, "true is not a whole number"),
        ("replicas", 1.5, "1.5 is not a whole number"),
        ("replicas", '"2"', "'2' is not a whole number"),
        ("replicas", None, "null is not a whole number"),
        ("replicas", [1], "[1] is not a whole number"),
        # Booleans too.
        ("zoneSpread", 1, "1 is not true or false"),
        ("zoneSpread", '"true"', "'true' is not true or false"),
        # Lists, and what is in them.
        ("redirectHosts", "www.hugecat.net", "'www.hugecat.net' is not a list"),
        ("redirectHosts", {"a": 1}, '{"a": 1} is not a list'),
        ("redirectHosts", [1], "0: 1 is not a string"),
        ("redirectHosts", ["www.hugecat.net", None], "1: null is not a string"),
        ("writablePaths", ["/tmp", "/tmp"], "'/tmp' is given twice"),
        # kustomize's key=value lists.
        ("commonLabels", [7], "0: 7 is not a key=value string"),
        ("commonLabels", ["a=1", "a=2"], "1: 'a' is given twice"),
        ("commonLabels", {"a": "b"}, "is not a list"),
        ("environmentLabels", ["env=has space"], "env: "),
        ("ingressGatewaySelector", [], "must not be empty"),
        # Probes: every key, once, each a number in range.
        ("livenessProbe", ["initialDelaySeconds=1"], "periodSeconds: is required"),
        (
            "livenessProbe",
            [
                "initialDelaySeconds=0",
                "periodSeconds=0",
                "timeoutSeconds=1",
                "failureThreshold=1",
            ],
            "periodSeconds: 0 is below the minimum, 1",
        ),
        (
            "startupProbe",
            ["initialDelaySecond=1"],
            "initialDelaySecond: is not a probe setting (did you mean "
            "initialDelaySeconds?)",
        ),
        ("readinessProbe", ["periodSeconds=1.5"], "periodSeconds: '1.5' is not"),
        # Strings with a pattern or a fixed set of values match all of it.
        ("sqlTier", "db-custom-1\n", "should match pattern"),
        ("sqlDatabaseName", "x" * 64, "must have at most 63 characters"),
        ("sqlAvailabilityType", "zonal", "'zonal' is not one of ZONAL, REGIONAL"),
        # Two spellings of one network are one network.
        ("sqlAuthorizedNetworks", ["10.0.0.0/8", "10.0.0.0/255.0.0.0"], "given twice"),
        # Anchored at both ends: a trailing newline is not part of a valid value.
        ("cpuRequest", "100m\n", "not a Kubernetes quantity"),
        ("ingressNamespace", "istio-system\n", "not a DNS label"),
        ("commonLabels", ["a\n=b"], "not a valid label or annotation key"),
        # Digits are ASCII digits.
        ("cpuRequest", "\u0663\u0660\u0660m", "not a Kubernetes quantity"),
        ("sqlBackupStartTime", "\u0660\u0663:00", "not a 24-hour HH:MM time"),
        ("cpuRequest", "1e99999999", "out of a Kubernetes quantity's range"),
        # Keys inside a value are named so that the problem stays one line.
        ("livenessProbe", ["foo\nbar=1"], "'foo\\nbar': is not a probe setting"),
        ("livenessProbe", ["=1"], "'': is not a probe setting"),
        ("environmentLabels", ["env=a\nb"], "env: 'a\\nb' is not a valid label"),
    ],
)
def test_a_malformed_value_is_one_problem_named_by_its_key(
    key: str, value: Any, message: str
) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    problems = problems_of(key, text)
    assert [k for k, _ in problems] == [f"portfolio:{key}"]
    assert message in problems[0][1]


def test_a_checked_value_is_kept_as_its_check_writes_it() -> None:
    raw = raw_config() | {"sqlAuthorizedNetworks": '["10.0.0.0/255.0.0.0"]'}
    settings = parse_settings("dev", raw, FAKE_PROVIDER)
    assert settings.sql_authorized_networks == ["10.0.0.0/8"]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("replicas", "9" * 5000),  # more digits than Python turns into an int
        ("replicas", "[" * 900 + "]" * 900),
        ("replicas", "[" * 100_000 + "]" * 100_000),
        ("redirectHosts", "[" * 100_000),
        ("livenessProbe", json.dumps([f"periodSeconds={'9' * 5000}"])),
        ("commonLabels", json.dumps([f"a={'x' * 5000}"])),
    ],
)
def test_a_huge_or_deep_value_is_one_short_problem(key: str, text: str) -> None:
    ((problem_key, message),) = problems_of(key, text)
    assert problem_key == f"portfolio:{key}"
    assert "\n" not in message
    assert len(message) < 200


def test_a_value_that_is_not_json_says_what_was_expected() -> None:
    assert problems_of("replicas", "two") == [
        ("portfolio:replicas", "'two' is not a whole number")
    ]
    assert problems_of("redirectHosts", "[www") == [
        ("portfolio:redirectHosts", "'[www' is not a list")
    ]


def test_a_secret_never_shows_its_value() -> None:
    value = SecretStr("FAKE-not-real")
    assert value.get_secret_value() == "FAKE-not-real"
    assert "FAKE" not in repr(value) + str(value) + f"{value}"
    assert value == SecretStr("FAKE-not-real") != SecretStr("FAKE-other")


@pytest.mark.parametrize("key", [s.key for s in config_fields()])
def test_field_names_and_config_keys_map_both_ways(key: str) -> None:
    assert to_camel(to_snake(key)) == key


# Values that broke hand-written parsers before: newlines, empty keys and
# values, non-ASCII digits, huge and deeply nested numbers and lists.
TRICKY = [
    "a\n",
    "=",
    '["=1"]',
    '["a\\n=b"]',
    '["initialDelaySeconds=1\\n"]',
    "\u0663",
    "9" * 5000,
    "[" * 2000 + "]" * 2000,
    "1e99999999",
    '"x"',
    "",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from([s.key for s in config_fields()]),
    value=JSON | st.text(max_size=12) | st.sampled_from(TRICKY),
)
def test_any_value_of_any_key_is_accepted_or_refused_by_name(
    key: str, value: Any
) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    try:
        parse_settings("dev", raw_config() | {key: text}, FAKE_PROVIDER, {key})
    except SettingsError as error:
        assert error.problems
        assert all(k.startswith(("portfolio:", "namespace")) for k, _ in error.problems)
        assert all("\n" not in message for _, message in error.problems)
        assert all(len(message) < 400 for _, message in error.problems)
