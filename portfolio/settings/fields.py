"""The value types of the settings' fields: each a type with its checks.

``portfolio.settings.model`` declares its fields with these; every check is a
function of ``portfolio.settings.validators``, ``metadata`` or
``sql_names``, run by pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from portfolio.settings import metadata, quantities, sql_names, validators

# Kubernetes' counts are int32 fields: the API refuses larger ones.
INT32_MAX = 2**31 - 1
# Namespaces the cluster and its platforms own: a stack of one of these names
# would take it over. Kubernetes (default, kube-*), GKE, Istio and Anthos Service
# Mesh, Knative, Managed Prometheus, Config Connector, cert-manager; "*-system"
# is how operators name theirs (flux-system, gatekeeper-system, ...).
SYSTEM_NAMESPACES = frozenset({"default", "cert-manager"})
SYSTEM_PREFIXES = (
    "kube-", "gke-", "istio-", "asm-", "anthos-", "knative-", "gmp-", "cnrm-",
)  # fmt: skip
SYSTEM_SUFFIXES = ("-system",)


def check(
    check: Callable[[str], str] | Callable[[str | None], str | None],
) -> AfterValidator:
    """A check of ``validators``, run after pydantic's own type check."""
    return AfterValidator(check)


def empty_is_none(value: object) -> object:
    """An optional key's empty text (Pulumi.yaml's default) as unset."""
    return None if value == "" else value


def not_system(name: str) -> str:
    """Accept a stack name that is no namespace of the cluster's platforms."""
    if (
        name in SYSTEM_NAMESPACES
        or name.startswith(SYSTEM_PREFIXES)
        or name.endswith(SYSTEM_SUFFIXES)
    ):
        raise ValueError(
            f"{validators.shown(name)} is a system namespace: a stack of that "
            "name would take it over"
        )
    return name


def trimmed(value: str) -> str:
    """Accept text with no surrounding spaces or control characters."""
    if value != value.strip() or not value.isprintable():
        raise ValueError("must not have surrounding spaces or control characters")
    return value


def _pairs(
    key: Callable[[str], str], value: Callable[[str], str] | None = None
) -> BeforeValidator:
    """``["key=value", ...]``, kustomize's literal form, as a dict."""

    def read(given: object) -> dict[str, str]:
        if not isinstance(given, list):
            raise ValueError("must be a list of key=value strings")
        result: dict[str, str] = {}
        for item in given:
            if not isinstance(item, str) or "=" not in item:
                raise ValueError(
                    f"{validators.shown(item)} is not of the form key=value"
                )
            name, _, entry = item.partition("=")
            if name in result:
                raise ValueError(f"{validators.shown(name)} is given twice")
            result[key(name)] = value(entry) if value else entry
        return result

    return BeforeValidator(read)


def _or_none(check: Callable[[str], str]) -> Callable[[str | None], str | None]:
    return lambda value: None if value is None else check(value)


rfc3339_or_none = _or_none(validators.rfc3339)
sql_instance_or_none = _or_none(sql_names.instance)
dns_label_or_none = _or_none(validators.dns_label)

Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
CpuQuantity = Annotated[str, Field(max_length=64), check(quantities.cpu)]
MemoryQuantity = Annotated[str, Field(max_length=64), check(quantities.memory)]
DnsLabel = Annotated[str, check(validators.dns_label)]
Hostname = Annotated[str, check(validators.hostname)]
Rotation = Annotated[str, Field(min_length=1, max_length=63), check(trimmed)]
SqlName = Annotated[
    Annotated[str, Field(pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.]*$", max_length=63)]
    | None,
    BeforeValidator(empty_is_none),
]
Unique = AfterValidator(validators.unique)
Labels = Annotated[dict[str, str], _pairs(metadata.key, metadata.label_value)]
Annotations = Annotated[
    dict[str, str], _pairs(metadata.key), AfterValidator(metadata.annotations_size)
]
