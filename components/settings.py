"""Stack settings: the typed, frozen form of every ``portfolio:*`` config key.

``components.parsing`` builds a ``PortfolioSettings`` from config strings.
Defaults are not repeated here: they live in ``Pulumi.yaml``, which the Pulumi
CLI (and ``python -m render``) merges under each stack's values, so every key
arrives set.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from components import validators
from components.config_rules import (
    BOOLEAN,
    Rule,
    RuleError,
    SecretStr,
    choice,
    integer,
    items,
    key_values,
    pairs,
    secret,
    text,
    whole_number,
)

CONFIG_NAMESPACE = "portfolio"
RULE = "rule"


def setting(rule: Rule, default: Any = dataclasses.MISSING) -> Any:
    """A settings field read by ``rule``; without ``default`` it is required."""
    return dataclasses.field(default=default, metadata={RULE: rule})


# Kubernetes' counts and durations are int32 fields: the API refuses larger ones.
INT32_MAX = 2**31 - 1
COUNT = integer(0, INT32_MAX)
SECONDS = COUNT
THRESHOLD = integer(1, INT32_MAX)
PORT = integer(1, 65535)
# Linux UIDs the kubelet accepts are 0..2^31-1; below 10000 they may be the node's.
HIGH_UID = integer(10000, INT32_MAX)
QUANTITY = text(validators.quantity)
PULL_POLICY = choice("Always", "IfNotPresent", "Never")
REGION = text(validators.gcp_region)
DNS_LABEL = text(validators.dns_label)
HOSTNAME = text(validators.hostname)
SQL_NAME = text(
    pattern=r"[A-Za-z0-9][-A-Za-z0-9_.]*", max_length=63, empty_is_none=True
)
LABELS = pairs(key=validators.metadata_key, value=validators.label_value)
ANNOTATIONS = pairs(key=validators.metadata_key)
SELECTOR = pairs(
    key=validators.metadata_key,
    value=validators.label_value,
    non_empty="must not be empty: an empty selector selects everything",
)
OPTIONAL_SECRET = secret(optional=True)
# Service-account IDs are 6-30 characters; the stack name makes them unique.
PULL_ACCOUNT_PREFIX = "portfolio-pull-"
PROXY_ACCOUNT_PREFIX = "portfolio-sql-"


@dataclass(frozen=True)
class ProbeTiming:
    """One probe's timing, in the keys of a Kubernetes Probe."""

    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int


# A probe's keys (as in a Kubernetes Probe) and the rule for each.
_PROBE_KEYS = {
    "initialDelaySeconds": SECONDS,
    "periodSeconds": THRESHOLD,
    "timeoutSeconds": THRESHOLD,
    "failureThreshold": THRESHOLD,
}


def _probe(given: Any) -> ProbeTiming:
    """``["initialDelaySeconds=30", ...]``: every key of ``_PROBE_KEYS``, once."""
    timing: dict[str, int] = {}
    for key, value in key_values(given, lambda key: key).items():
        rule = _PROBE_KEYS.get(key)
        if rule is None:
            hint = validators.did_you_mean(key, _PROBE_KEYS)
            raise RuleError(f"is not a probe setting{hint}", (key,))
        try:
            timing[to_snake(key)] = rule.read(whole_number(_number(value)))
        except RuleError as error:
            raise error.within(key) from None
    missing = [key for key in _PROBE_KEYS if to_snake(key) not in timing]
    if missing:
        raise RuleError("is required but not set", (missing[0],))
    return ProbeTiming(**timing)


def _number(value: str) -> Any:
    """A probe value's digits as a number; anything else is left to say so."""
    if re.fullmatch(r"-?[0-9]{1,30}", value):  # longer is no int32 anyway
        return int(value)
    return value


PROBE = Rule(_probe, expected="a list")


@dataclass(frozen=True, kw_only=True)
class PortfolioSettings:
    """Everything one stack deploys; field ``foo_bar`` is ``portfolio:fooBar``.

    The fields in ``EDGE_FIELDS`` come from the edge, not from ``portfolio:*``
    keys: ``namespace`` is the stack name, the others the provider settings the
    program's explicit providers are created with. Each field's rule
    (``components.config_rules``) reads its config value.
    """

    namespace: str = setting(DNS_LABEL)
    gcp_project: str = setting(text(validators.project_id))
    gcp_region: str = setting(REGION)
    kube_context: str | None = setting(text(min_length=1), default=None)
    kubeconfig: SecretStr | None = setting(secret(optional=False), default=None)

    # The portfolio container.
    image: str = setting(
        text(validators.image_reference, validators.artifact_registry_image)
    )
    pin_image_digest: bool = setting(BOOLEAN)
    image_pull_policy: str = setting(PULL_POLICY)
    replicas: int = setting(COUNT)
    cpu_request: str = setting(QUANTITY)
    memory_request: str = setting(QUANTITY)
    cpu_limit: str = setting(QUANTITY)
    memory_limit: str = setting(QUANTITY)
    container_port: int = setting(PORT)
    service_port: int = setting(PORT)
    run_as_user: int = setting(HIGH_UID)
    writable_paths: list[str] = setting(items(text(validators.mount_path)))
    health_path: str = setting(text(validators.http_path))
    liveness_probe: ProbeTiming = setting(PROBE)
    readiness_probe: ProbeTiming = setting(PROBE)
    startup_probe: ProbeTiming = setting(PROBE)

    # Rollouts and restarts.
    restarted_at: str | None = setting(text(validators.rfc3339, empty_is_none=True))
    min_ready_seconds: int = setting(SECONDS)
    termination_grace_period_seconds: int = setting(THRESHOLD)
    pre_stop_sleep_seconds: int = setting(THRESHOLD)

    # The Cloud SQL Auth Proxy sidecar.
    proxy_image: str = setting(text(validators.pinned_image))
    proxy_image_pull_policy: str = setting(PULL_POLICY)
    proxy_port: int = setting(PORT)
    proxy_health_port: int = setting(PORT)
    proxy_startup_probe: ProbeTiming = setting(PROBE)
    proxy_liveness_probe: ProbeTiming = setting(PROBE)
    proxy_cpu_request: str = setting(QUANTITY)
    proxy_memory_request: str = setting(QUANTITY)
    proxy_cpu_limit: str = setting(QUANTITY)
    proxy_memory_limit: str = setting(QUANTITY)

    # Application config (ConfigMap portfolio-config) and generated secrets.
    node_env: str = setting(text(min_length=1))
    nextauth_secret: SecretStr | None = setting(OPTIONAL_SECRET)
    nextauth_secret_rotation: str = setting(text(min_length=1, max_length=63))
    database_password: SecretStr | None = setting(OPTIONAL_SECRET)

    # Cloud SQL: the stack's instance, database and user.
    sql_instance_name: str | None = setting(
        text(validators.sql_instance_name, empty_is_none=True)
    )
    sql_database_name: str | None = setting(SQL_NAME)
    sql_user_name: str | None = setting(SQL_NAME)
    sql_database_version: str = setting(text(pattern=r"POSTGRES_[0-9]+"))
    sql_region: str = setting(REGION)
    sql_tier: str = setting(text(pattern=r"db-[a-z0-9-]+"))
    sql_disk_size: int = setting(integer(10, 65536))
    sql_disk_type: str = setting(choice("PD_SSD", "PD_HDD"))
    sql_availability_type: str = setting(choice("ZONAL", "REGIONAL"))
    sql_backups_enabled: bool = setting(BOOLEAN)
    sql_backup_start_time: str = setting(text(validators.hour_minute))
    sql_maintenance_day: int = setting(integer(1, 7))
    sql_maintenance_hour: int = setting(integer(0, 23))
    sql_ssl_mode: str = setting(
        choice(
            "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
            "ENCRYPTED_ONLY",
            "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        )
    )
    sql_authorized_networks: list[str] = setting(items(text(validators.ipv4_cidr)))
    sql_charset: str = setting(text(pattern=r"[A-Za-z0-9_]+"))
    sql_collation: str = setting(text(pattern=r"[A-Za-z0-9_.@-]+"))

    # Hosts, DNS, the ingress address, Istio and the certificate.
    host: str = setting(HOSTNAME)
    redirect_hosts: list[str] = setting(items(HOSTNAME))
    dns_zone_owner_stack: str = setting(DNS_LABEL)
    dns_zone_name: str = setting(DNS_LABEL)
    dns_domain: str = setting(HOSTNAME)
    dns_zone_description: str = setting(text(min_length=1, max_length=1024))
    dns_record_ttl: int = setting(integer(0, 2147483647))
    ingress_address_owner_stack: str = setting(DNS_LABEL)
    ingress_address_name: str = setting(DNS_LABEL)
    ingress_namespace: str = setting(DNS_LABEL)
    ingress_service_name: str = setting(DNS_LABEL)
    ingress_gateway_selector: dict[str, str] = setting(SELECTOR)
    tls_certificate_name: str | None = setting(
        text(validators.dns_label, empty_is_none=True)
    )
    tls_cluster_issuer: str = setting(text(validators.dns_subdomain))

    # The Artifact Registry repository of `image`, and the identity that pulls.
    registry_owner_stack: str = setting(DNS_LABEL)
    registry_keep_count: int = setting(THRESHOLD)
    registry_keep_digests: list[str] = setting(items(text(validators.sha256_digest)))
    registry_consumer_stacks: list[str] = setting(items(DNS_LABEL))
    # Artifact Registry takes olderThan in seconds: at most 100 years of days.
    registry_untagged_retention_days: int = setting(integer(1, 36500))
    pull_key_rotation: str = setting(text(min_length=1, max_length=63))

    # Scheduling, metadata and network.
    zone_spread: bool = setting(BOOLEAN)
    host_anti_affinity: bool = setting(BOOLEAN)
    common_labels: dict[str, str] = setting(LABELS)
    common_annotations: dict[str, str] = setting(ANNOTATIONS)
    environment_labels: dict[str, str] = setting(LABELS)
    namespace_annotations: dict[str, str] = setting(ANNOTATIONS)
    protect_namespace: bool = setting(BOOLEAN)
    service_annotations: dict[str, str] = setting(ANNOTATIONS)
    network_policy_ingress_namespaces: list[str] = setting(items(DNS_LABEL))
    network_policy_open_ingress: bool = setting(BOOLEAN)
    network_policy_egress_ports: list[str] = setting(
        items(text(validators.port_protocol))
    )

    # Taking over the running environment.
    adopt: bool = setting(BOOLEAN)

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


@dataclass(frozen=True)
class Setting:
    """One field of ``PortfolioSettings``: its name, config key and rule."""

    name: str
    key: str
    """The short config key (``portfolio:<key>``), or the edge key (``gcp:project``)."""
    rule: Rule
    required: bool


def settings_fields() -> list[Setting]:
    """Every field of ``PortfolioSettings``, edge fields included."""
    return [
        Setting(
            name=field.name,
            key=EDGE_FIELDS.get(field.name) or to_camel(field.name),
            rule=field.metadata[RULE],
            required=field.default is dataclasses.MISSING,
        )
        for field in dataclasses.fields(PortfolioSettings)
    ]


def config_fields() -> list[Setting]:
    """The ``portfolio:*`` settings, by their short keys."""
    return [s for s in settings_fields() if s.name not in EDGE_FIELDS]


def config_keys() -> list[str]:
    """Every ``portfolio:*`` key the program reads, without the namespace."""
    return [s.key for s in config_fields()]


def secret_keys() -> list[str]:
    """The keys whose values must be Pulumi secrets."""
    return [s.key for s in config_fields() if s.rule.secret]


def to_camel(name: str) -> str:
    """A field's config key: ``sql_disk_size`` is ``sqlDiskSize``."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def to_snake(key: str) -> str:
    """A config key's field: ``sqlDiskSize`` is ``sql_disk_size``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


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
