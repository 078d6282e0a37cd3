"""Stack settings: the typed, frozen form of every ``portfolio:*`` config key.

``components.parsing`` builds a ``PortfolioSettings`` from config strings.
Defaults are not repeated here: they live in ``Pulumi.yaml``, which the Pulumi
CLI (and ``python -m render``) merges under each stack's values, so every key
arrives set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictInt,
)
from pydantic.alias_generators import to_camel

from components import validators

CONFIG_NAMESPACE = "portfolio"

Quantity = Annotated[str, AfterValidator(validators.quantity)]
Image = Annotated[str, AfterValidator(validators.image_reference)]
PullPolicy = Annotated[str, Field(pattern=r"^(Always|IfNotPresent|Never)$")]
Port = Annotated[StrictInt, Field(ge=1, le=65535)]
# Kubernetes' counts and durations are int32 fields: the API refuses larger ones.
INT32_MAX = 2**31 - 1
Count = Annotated[StrictInt, Field(ge=0, le=INT32_MAX)]
Seconds = Count
Threshold = Annotated[StrictInt, Field(ge=1, le=INT32_MAX)]
Region = Annotated[str, AfterValidator(validators.gcp_region)]
# Linux UIDs the kubelet accepts are 0..2^31-1; below 10000 they may be the node's.
HighUid = Annotated[StrictInt, Field(ge=10000, le=INT32_MAX)]

_Item = TypeVar("_Item")
# A list in which no value is given twice (each would repeat a rule or a name).
Unique = Annotated[list[_Item], AfterValidator(validators.unique)]


def _non_empty(value: SecretStr) -> SecretStr:
    if not value.get_secret_value():
        raise ValueError("must not be empty")
    return value


Secret = Annotated[SecretStr, AfterValidator(_non_empty)]


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


def _not_empty(pairs: dict[str, str]) -> dict[str, str]:
    if not pairs:
        raise ValueError("must not be empty: an empty selector selects everything")
    return pairs


Selector = Annotated[Labels, AfterValidator(_not_empty)]
Annotations = Annotated[dict[str, str], BeforeValidator(_pairs)]
Probe = Annotated[ProbeTiming, BeforeValidator(_probe_pairs)]
DnsLabel = Annotated[str, AfterValidator(validators.dns_label)]


def _empty_is_none(value: Any) -> Any:
    """An optional string key declares ``default: ""``; empty means not set."""
    return None if value == "" else value


def _optional_secret(value: Any) -> Any:
    """An optional secret declares ``default: ""``; empty means generate one."""
    if isinstance(value, SecretStr) and not value.get_secret_value():
        return None
    return _empty_is_none(value)


OptionalSecret = Annotated[SecretStr | None, BeforeValidator(_optional_secret)]
Hostname = Annotated[str, AfterValidator(validators.hostname)]
SqlName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.]*$", max_length=63)]


def _when_set(check: Callable[[str], str]) -> Callable[[str | None], str | None]:
    """``check`` for an optional key's value; an unset (None) value passes."""
    return lambda value: None if value is None else check(value)


RestartTime = Annotated[
    str | None,
    BeforeValidator(_empty_is_none),
    AfterValidator(_when_set(validators.rfc3339)),
]
SqlInstanceName = Annotated[
    str | None,
    BeforeValidator(_empty_is_none),
    AfterValidator(_when_set(validators.sql_instance_name)),
]
OptionalDnsLabel = Annotated[
    str | None,
    BeforeValidator(_empty_is_none),
    AfterValidator(_when_set(validators.dns_label)),
]


Digest = Annotated[str, AfterValidator(validators.sha256_digest)]
ArtifactImage = Annotated[Image, AfterValidator(validators.artifact_registry_image)]
# Service-account IDs are 6-30 characters; the stack name makes them unique.
PULL_ACCOUNT_PREFIX = "portfolio-pull-"
PROXY_ACCOUNT_PREFIX = "portfolio-sql-"


class PortfolioSettings(_Frozen):
    """Everything one stack deploys; field ``foo_bar`` is ``portfolio:fooBar``.

    The fields in ``EDGE_FIELDS`` come from the edge, not from ``portfolio:*``
    keys: ``namespace`` is the stack name, the others the provider settings the
    program's explicit providers are created with.
    """

    namespace: DnsLabel
    gcp_project: Annotated[str, AfterValidator(validators.project_id)]
    gcp_region: Region
    kube_context: Annotated[str, Field(min_length=1)] | None = None
    kubeconfig: Secret | None = None

    # The portfolio container.
    image: ArtifactImage
    pin_image_digest: StrictBool
    image_pull_policy: PullPolicy
    replicas: Count
    cpu_request: Quantity
    memory_request: Quantity
    cpu_limit: Quantity
    memory_limit: Quantity
    container_port: Port
    service_port: Port
    run_as_user: HighUid
    writable_paths: Unique[Annotated[str, AfterValidator(validators.mount_path)]]
    health_path: Annotated[str, AfterValidator(validators.http_path)]
    liveness_probe: Probe
    readiness_probe: Probe
    startup_probe: Probe

    # Rollouts and restarts.
    restarted_at: RestartTime
    min_ready_seconds: Seconds
    termination_grace_period_seconds: Threshold
    pre_stop_sleep_seconds: Threshold

    # The Cloud SQL Auth Proxy sidecar.
    proxy_image: Annotated[str, AfterValidator(validators.pinned_image)]
    proxy_image_pull_policy: PullPolicy
    proxy_port: Port
    proxy_health_port: Port
    proxy_startup_probe: Probe
    proxy_liveness_probe: Probe
    proxy_cpu_request: Quantity
    proxy_memory_request: Quantity
    proxy_cpu_limit: Quantity
    proxy_memory_limit: Quantity

    # Application config (ConfigMap portfolio-config) and generated secrets.
    node_env: Annotated[str, Field(min_length=1)]
    nextauth_secret: OptionalSecret
    nextauth_secret_rotation: Annotated[str, Field(min_length=1, max_length=63)]
    database_password: OptionalSecret

    # Cloud SQL: the stack's instance, database and user.
    sql_instance_name: SqlInstanceName
    sql_database_name: Annotated[SqlName | None, BeforeValidator(_empty_is_none)]
    sql_user_name: Annotated[SqlName | None, BeforeValidator(_empty_is_none)]
    sql_database_version: Annotated[str, Field(pattern=r"^POSTGRES_[0-9]+$")]
    sql_region: Region
    sql_tier: Annotated[str, Field(pattern=r"^db-[a-z0-9-]+$")]
    sql_disk_size: Annotated[StrictInt, Field(ge=10, le=65536)]
    sql_disk_type: Annotated[str, Field(pattern=r"^(PD_SSD|PD_HDD)$")]
    sql_availability_type: Annotated[str, Field(pattern=r"^(ZONAL|REGIONAL)$")]
    sql_backups_enabled: StrictBool
    sql_backup_start_time: Annotated[str, AfterValidator(validators.hour_minute)]
    sql_maintenance_day: Annotated[StrictInt, Field(ge=1, le=7)]
    sql_maintenance_hour: Annotated[StrictInt, Field(ge=0, le=23)]
    sql_ssl_mode: Annotated[
        str,
        Field(
            pattern=r"^(ALLOW_UNENCRYPTED_AND_ENCRYPTED|ENCRYPTED_ONLY"
            r"|TRUSTED_CLIENT_CERTIFICATE_REQUIRED)$"
        ),
    ]
    sql_authorized_networks: Unique[
        Annotated[str, AfterValidator(validators.ipv4_cidr)]
    ]
    sql_charset: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")]
    sql_collation: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@-]+$")]

    # Hosts, DNS, the ingress address, Istio and the certificate.
    host: Hostname
    redirect_hosts: Unique[Hostname]
    dns_zone_owner_stack: DnsLabel
    dns_zone_name: DnsLabel
    dns_domain: Hostname
    dns_zone_description: Annotated[str, Field(min_length=1, max_length=1024)]
    dns_record_ttl: Annotated[StrictInt, Field(ge=0, le=2147483647)]
    ingress_address_owner_stack: DnsLabel
    ingress_address_name: DnsLabel
    ingress_namespace: DnsLabel
    ingress_service_name: DnsLabel
    ingress_gateway_selector: Selector
    tls_certificate_name: OptionalDnsLabel
    tls_cluster_issuer: Annotated[str, AfterValidator(validators.dns_subdomain)]

    # The Artifact Registry repository of `image`, and the identity that pulls.
    registry_owner_stack: DnsLabel
    registry_keep_count: Threshold
    registry_keep_digests: Unique[Digest]
    registry_consumer_stacks: Unique[DnsLabel]
    # Artifact Registry takes olderThan in seconds: at most 100 years of days.
    registry_untagged_retention_days: Annotated[StrictInt, Field(ge=1, le=36500)]
    pull_key_rotation: Annotated[str, Field(min_length=1, max_length=63)]

    # Scheduling, metadata and network.
    zone_spread: StrictBool
    host_anti_affinity: StrictBool
    common_labels: Labels
    common_annotations: Annotations
    environment_labels: Labels
    namespace_annotations: Annotations
    protect_namespace: StrictBool
    service_annotations: Annotations
    network_policy_ingress_namespaces: Unique[DnsLabel]
    network_policy_open_ingress: StrictBool
    network_policy_egress_ports: Unique[
        Annotated[str, AfterValidator(validators.port_protocol)]
    ]

    # Taking over the running environment.
    adopt: StrictBool

    @property
    def owns_dns_zone(self) -> bool:
        """Whether this stack creates the DNS zone; the others add records to it."""
        return self.namespace == self.dns_zone_owner_stack

    @property
    def owns_ingress_address(self) -> bool:
        """Whether this stack creates the ingress address and pins the gateway to it."""
        return self.namespace == self.ingress_address_owner_stack

    @property
    def hosts(self) -> list[str]:
        """Every host the stack serves: ``host`` first, then the redirected ones."""
        return [self.host, *self.redirect_hosts]

    @property
    def nextauth_url(self) -> str:
        """NEXTAUTH_URL: the app's public URL, from ``host``."""
        return f"https://{self.host}"

    @property
    def tls_certificate(self) -> str:
        """The Certificate and its Secret; by default ``portfolio-<stack>-tls-cert``.

        All stacks' certificates share the ingress gateway's namespace, so the
        default name is the stack's own.
        """
        return self.tls_certificate_name or f"portfolio-{self.namespace}-tls-cert"

    @property
    def sql_instance(self) -> str:
        """The Cloud SQL instance's name; by default ``portfolio-<stack>-db``."""
        return self.sql_instance_name or f"portfolio-{self.namespace}-db"

    @property
    def sql_database(self) -> str:
        """The database's name; by default ``portfolio-<stack>-database``."""
        return self.sql_database_name or f"portfolio-{self.namespace}-database"

    @property
    def sql_user(self) -> str:
        """The database user's name; by default ``portfolio-<stack>-user``."""
        return self.sql_user_name or f"portfolio-{self.namespace}-user"

    @property
    def owns_registry(self) -> bool:
        """Whether this stack creates the repository; the others only refer to it."""
        return self.namespace == self.registry_owner_stack

    @property
    def pull_account_id(self) -> str:
        """ID of the Google service account that pulls this stack's images."""
        return PULL_ACCOUNT_PREFIX + self.namespace

    @property
    def proxy_account_id(self) -> str:
        """ID of the Google service account the Cloud SQL proxy runs as."""
        return PROXY_ACCOUNT_PREFIX + self.namespace


def config_keys() -> list[str]:
    """Every ``portfolio:*`` key the program reads, without the namespace."""
    return [key for key, _ in config_fields()]


def secret_keys() -> list[str]:
    """The keys whose values must be Pulumi secrets."""
    secret_types = (SecretStr, SecretStr | None)
    return [key for key, field in config_fields() if field.annotation in secret_types]


def config_fields() -> list[tuple[str, Any]]:
    """``(key, pydantic field)`` of every ``portfolio:*`` setting."""
    return [
        (field.alias or name, field)
        for name, field in PortfolioSettings.model_fields.items()
        if name not in EDGE_FIELDS
    ]


# Settings that come from outside the portfolio namespace, by their config key.
EDGE_FIELDS = {
    "namespace": "namespace",
    "gcp_project": "gcp:project",
    "gcp_region": "gcp:region",
    "kube_context": "kubernetes:context",
    "kubeconfig": "kubernetes:kubeconfig",
}
# The provider namespaces whose keys the program reads itself: a key of theirs
# that is not in EDGE_FIELDS would reach no provider, as every resource is
# created with an explicit one.
PROVIDER_NAMESPACES = ("gcp", "kubernetes")
