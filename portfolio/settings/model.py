"""Stack settings: the pydantic model of every ``portfolio:*`` key a stack sets.

Frozen, no extra field, strict types: ``portfolio.settings.parsing`` turns the config
strings Pulumi passes into Python values once, at the edge, and this model
checks them. Field ``foo_bar`` is ``portfolio:fooBar`` (its alias); the edge
fields are the stack name and the providers' keys. Defaults are not repeated
here: they live in ``Pulumi.yaml``, which the Pulumi CLI (and ``python -m
render``) merges under each stack's values, so every key arrives set. Each
domain check is a function of ``portfolio.settings.validators``, ``metadata``
or ``sql_names`` (the value, or a ``ValueError`` saying what is wrong), run as
an ``AfterValidator``; the fields' value types are in ``fields``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    model_validator,
)
from pydantic.alias_generators import to_camel as _to_camel

from portfolio.settings import metadata, sql_names, validators
from portfolio.settings.fields import (
    Annotations,
    Count,
    CpuQuantity,
    DnsLabel,
    Hostname,
    Labels,
    MemoryQuantity,
    Rotation,
    SqlName,
    Unique,
    check,
    dns_label_or_none,
    empty_is_none,
    not_system,
    rfc3339_or_none,
    sql_instance_or_none,
    trimmed,
)

CONFIG_NAMESPACE = "portfolio"
# The provider namespaces whose keys the program reads itself (EDGE_KEYS); any
# other key of theirs would reach no provider, as every resource has an
# explicit one.
PROVIDER_NAMESPACES = ("gcp", "kubernetes")
# Service-account IDs are 6-30 characters; the stack name makes them unique.
PULL_ACCOUNT_PREFIX = "portfolio-pull-"
PROXY_ACCOUNT_PREFIX = "portfolio-sql-"
EDGE_KEYS = {
    "namespace": "namespace",
    "gcp_project": "gcp:project",
    "gcp_region": "gcp:region",
    "kube_context": "kubernetes:context",
    "kubeconfig": "kubernetes:kubeconfig",
}
# The keys whose values must be Pulumi secrets, and only these may be.
SECRET_KEYS = ("portfolio:nextauthSecret", "portfolio:databasePassword")
SECRET_EDGE_KEYS = ("kubernetes:kubeconfig",)


class CrossFieldError(ValueError):
    """Cross-field problems, one ``(key, message)`` each (short keys)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


class PortfolioSettings(BaseModel):
    """Everything one stack deploys; field ``foo_bar`` is ``portfolio:fooBar``."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        alias_generator=_to_camel,
        validate_by_name=True,
        hide_input_in_errors=True,
    )

    namespace: Annotated[str, check(validators.dns_label), check(not_system)]
    gcp_project: Annotated[str, check(validators.project_id)] = Field(
        alias="gcp:project"
    )
    gcp_region: Annotated[str, check(validators.gcp_region)] = Field(alias="gcp:region")
    kube_context: Annotated[str, Field(max_length=253), check(trimmed)] | None = Field(
        default=None, alias="kubernetes:context"
    )
    kubeconfig: SecretStr | None = Field(default=None, alias="kubernetes:kubeconfig")

    # The portfolio container and its rollouts.
    image: Annotated[
        str,
        Field(max_length=512),
        check(validators.image_reference),
        check(validators.artifact_registry_image),
    ]
    pin_image_digest: bool
    replicas: Count
    cpu_request: CpuQuantity
    memory_request: MemoryQuantity
    cpu_limit: CpuQuantity
    memory_limit: MemoryQuantity
    restarted_at: Annotated[
        str | None, BeforeValidator(empty_is_none), check(rfc3339_or_none)
    ]

    # Application config (ConfigMap portfolio-config) and generated secrets.
    node_env: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    nextauth_secret: SecretStr | None
    nextauth_secret_rotation: Rotation
    database_password: SecretStr | None

    # Cloud SQL: the stack's instance, database and user.
    sql_instance_name: Annotated[
        str | None, BeforeValidator(empty_is_none), check(sql_instance_or_none)
    ]
    sql_database_name: Annotated[SqlName, AfterValidator(sql_names.database)]
    sql_user_name: Annotated[SqlName, AfterValidator(sql_names.user)]
    sql_tier: Annotated[str, Field(max_length=63), AfterValidator(sql_names.tier)]
    sql_disk_size: Annotated[int, Field(ge=10, le=65536)]
    sql_disk_type: Literal["PD_SSD", "PD_HDD"]
    sql_availability_type: Literal["ZONAL", "REGIONAL"]

    # Hosts, owners of the shared things, the certificate.
    host: Hostname
    # Let's Encrypt: at most 100 names on a certificate, host included.
    redirect_hosts: Annotated[list[Hostname], Unique, Field(max_length=99)]
    dns_zone_owner_stack: DnsLabel
    ingress_address_owner_stack: DnsLabel
    tls_certificate_name: Annotated[
        str | None, BeforeValidator(empty_is_none), check(dns_label_or_none)
    ]
    registry_owner_stack: DnsLabel
    registry_consumer_stacks: Annotated[list[DnsLabel], Unique]
    pull_key_rotation: Rotation

    # Scheduling, metadata, protection, adoption.
    zone_spread: bool
    host_anti_affinity: bool
    environment_labels: Annotated[Labels, AfterValidator(metadata.own_labels_kept)]
    namespace_annotations: Annotations
    protect_namespace: bool
    adopt: bool

    @model_validator(mode="after")
    def _cross_field(self) -> PortfolioSettings:
        """The rules between keys (``portfolio.settings.rules``), all at once."""
        # Imported here: the rules read the model, and their constants' modules.
        from portfolio.settings.rules import problems  # noqa: PLC0415

        found = problems(self)
        if found:
            raise CrossFieldError(found)
        return self

    @property
    def owns_dns_zone(self) -> bool:
        """Whether this stack creates the DNS zone; the others add records to it."""
        return self.namespace == self.dns_zone_owner_stack

    @property
    def owns_ingress_address(self) -> bool:
        """Whether this stack creates the ingress address and pins the gateway to it."""
        return self.namespace == self.ingress_address_owner_stack

    @property
    def owns_registry(self) -> bool:
        """Whether this stack creates the repository; the others only refer to it."""
        return self.namespace == self.registry_owner_stack

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
    def pull_account_id(self) -> str:
        """ID of the Google service account that pulls this stack's images."""
        return PULL_ACCOUNT_PREFIX + self.namespace

    @property
    def proxy_account_id(self) -> str:
        """ID of the Google service account the Cloud SQL proxy runs as."""
        return PROXY_ACCOUNT_PREFIX + self.namespace


def secret_keys() -> list[str]:
    """The ``portfolio:*`` keys whose values must be Pulumi secrets, short."""
    return [key.removeprefix(f"{CONFIG_NAMESPACE}:") for key in SECRET_KEYS]
