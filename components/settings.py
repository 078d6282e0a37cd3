"""Stack settings: every ``portfolio:*`` config key, parsed and checked once.

Pulumi hands a program its config as strings (arrays as JSON); ``parse_settings``
turns those strings into a frozen ``PortfolioSettings`` or raises
``SettingsError`` with one problem per key. Defaults are not repeated here: they
live in ``Pulumi.yaml``, which the Pulumi CLI (and ``python -m render``) merges
under each stack's values, so every key arrives set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictInt,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from components import validators

CONFIG_NAMESPACE = "portfolio"

Quantity = Annotated[str, AfterValidator(validators.quantity)]
Image = Annotated[str, AfterValidator(validators.image_reference)]
PullPolicy = Annotated[str, Field(pattern=r"^(Always|IfNotPresent|Never)$")]
Port = Annotated[StrictInt, Field(ge=1, le=65535)]
Seconds = Annotated[StrictInt, Field(ge=0)]
Threshold = Annotated[StrictInt, Field(ge=1)]


def _non_empty(value: SecretStr) -> SecretStr:
    if not value.get_secret_value():
        raise ValueError("must not be empty")
    return value


Secret = Annotated[SecretStr, AfterValidator(_non_empty)]


class SettingsError(ValueError):
    """Stack config that cannot be deployed; one ``(key, message)`` per problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{key}: {message}" for key, message in problems))


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
    )


class ProbeTiming(_Frozen):
    """One probe's timing, in the keys of a Kubernetes Probe."""

    initial_delay_seconds: Seconds
    period_seconds: Threshold
    timeout_seconds: Threshold
    failure_threshold: Threshold


def _pairs(values: Any) -> Any:
    """``["key=value", ...]`` (kustomize's literal form) to a dict."""
    if not isinstance(values, list):
        return values  # pydantic reports the wrong type
    pairs: dict[str, str] = {}
    for item in values:
        if not isinstance(item, str):
            raise ValueError(f"{item!r} is not a key=value string")
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"{item!r} is not of the form key=value")
        if key in pairs:
            raise ValueError(f"{key!r} is given twice")
        pairs[validators.metadata_key(key)] = value
    return pairs


def _label_values(pairs: dict[str, str]) -> dict[str, str]:
    for value in pairs.values():
        validators.label_value(value)
    return pairs


def _probe_pairs(values: Any) -> Any:
    pairs = _pairs(values)
    if not isinstance(pairs, dict):
        return pairs
    try:
        return {key: int(value) for key, value in pairs.items()}
    except ValueError:
        raise ValueError(f"{values!r}: every value must be a whole number") from None


Labels = Annotated[
    dict[str, str], BeforeValidator(_pairs), AfterValidator(_label_values)
]
Annotations = Annotated[dict[str, str], BeforeValidator(_pairs)]
Probe = Annotated[ProbeTiming, BeforeValidator(_probe_pairs)]
DnsLabel = Annotated[str, AfterValidator(validators.dns_label)]


class PortfolioSettings(_Frozen):
    """Everything one stack deploys; field ``foo_bar`` is ``portfolio:fooBar``."""

    namespace: DnsLabel

    # The portfolio container.
    image: Image
    image_pull_policy: PullPolicy
    replicas: Annotated[StrictInt, Field(ge=0)]
    cpu_request: Quantity
    memory_request: Quantity
    cpu_limit: Quantity
    memory_limit: Quantity
    container_port: Port
    service_port: Port
    run_as_user: Annotated[StrictInt, Field(ge=1)]
    health_path: Annotated[str, Field(pattern=r"^/")]
    liveness_probe: Probe
    readiness_probe: Probe
    startup_probe: Probe

    # The Cloud SQL Auth Proxy sidecar.
    proxy_image: Image
    proxy_image_pull_policy: PullPolicy
    proxy_port: Port
    proxy_cpu_request: Quantity
    proxy_memory_request: Quantity
    proxy_cpu_limit: Quantity
    proxy_memory_limit: Quantity

    # Application config (ConfigMap portfolio-config) and secrets.
    node_env: Annotated[str, Field(min_length=1)]
    nextauth_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")]
    cloud_sql_connection_name: Annotated[
        str, Field(pattern=r"^[a-z][-a-z0-9.:]*:[a-z0-9-]+:[a-z][-a-z0-9]*$")
    ]
    nextauth_secret: Secret
    database_url: Secret
    registry_json_key: Secret

    # Identity, scheduling, metadata and network.
    workload_identity_service_account: Annotated[
        str, Field(pattern=r"^[a-z][-a-z0-9]*@[-a-z0-9.]+\.iam\.gserviceaccount\.com$")
    ]
    zone_spread: StrictBool
    host_anti_affinity: StrictBool
    common_labels: Labels
    common_annotations: Annotations
    environment_labels: Labels
    namespace_annotations: Annotations
    service_annotations: Annotations
    network_policy_ingress_namespaces: list[DnsLabel]
    network_policy_open_ingress: StrictBool
    network_policy_egress_ports: list[
        Annotated[str, Field(pattern=r"^\d{1,5}/(TCP|UDP|SCTP)$")]
    ]


# Pulumi passes every non-string config value as JSON text.
_RAW_STRING_TYPES = (str, SecretStr)


def config_keys() -> list[str]:
    """Every ``portfolio:*`` key the program reads, without the namespace."""
    return [key for key, _ in _config_fields()]


def secret_keys() -> list[str]:
    """The keys whose values must be Pulumi secrets."""
    return [key for key, field in _config_fields() if field.annotation is SecretStr]


def _config_fields() -> list[tuple[str, Any]]:
    return [
        (field.alias or name, field)
        for name, field in PortfolioSettings.model_fields.items()
        if name != "namespace"
    ]


def parse_settings(namespace: str, raw: Mapping[str, str]) -> PortfolioSettings:
    """Parse config strings (short keys, as Pulumi passes them) into settings."""
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {"namespace": namespace}
    for key, field in _config_fields():
        if key not in raw:
            continue
        value: object = raw[key]
        if field.annotation not in _RAW_STRING_TYPES:
            try:
                value = json.loads(raw[key])
            except json.JSONDecodeError:
                problems.append((_qualified(key), _not_json(field.annotation, value)))
                continue
        values[key] = value
    unknown = sorted(set(raw) - {key for key, _ in _config_fields()})
    problems.extend((_qualified(key), "is not a known setting") for key in unknown)
    try:
        settings = PortfolioSettings.model_validate(values)
    except ValidationError as error:
        reported = {key for key, _ in problems}
        problems.extend(p for p in _problems(error) if p[0] not in reported)
    else:
        problems.extend(_limit_problems(settings))
    if problems:
        raise SettingsError(problems)
    return settings


def _limit_problems(settings: PortfolioSettings) -> list[tuple[str, str]]:
    """Requests above limits are rejected by the API server at apply time."""
    problems = []
    for prefix in ("", "proxy_"):
        for kind in ("cpu", "memory"):
            request = getattr(settings, f"{prefix}{kind}_request")
            limit = getattr(settings, f"{prefix}{kind}_limit")
            if validators.to_number(request) > validators.to_number(limit):
                key = to_camel(f"{prefix}{kind}_request")
                problems.append(
                    (_qualified(key), f"{request} is above the limit {limit}")
                )
    return problems


def _not_json(annotation: Any, value: object) -> str:
    expected = {int: "a whole number", bool: "true or false"}.get(annotation, "a list")
    return f"{value!r} is not {expected}"


def _qualified(key: str) -> str:
    return key if key == "namespace" else f"{CONFIG_NAMESPACE}:{key}"


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for detail in error.errors(include_url=False, include_input=False):
        location = detail["loc"]
        key = str(location[0]) if location else "settings"
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing" and len(location) == 1:
            message = "is required but not set"
        elif len(location) > 1:
            message = f"{'.'.join(str(part) for part in location[1:])}: {message}"
        problems.append((_qualified(key), message))
    return problems
