"""Checks for the names of a stack's Cloud SQL instance, database and user.

Cloud SQL's rules: an instance ID is lowercase letters, digits and '-',
starting with a letter, and ``project:instance`` takes at most 98 characters;
``postgres``, ``template0``, ``template1`` and ``cloudsqladmin`` are databases
every instance has; ``postgres`` and the ``cloudsql*`` roles are Cloud SQL's, ``pg_*``,
``public`` and ``none`` roles PostgreSQL's. A tier of the instance's edition
and disks is shared-core or custom (see ``tier``).
"""

from __future__ import annotations

import re

from portfolio.settings.validators import shown

_SQL_INSTANCE = re.compile(r"^[a-z](?:[-a-z0-9]{0,96}[a-z0-9])?$")
CONNECTION_NAME_MAX = 98
RESERVED_DATABASES = frozenset({"postgres", "template0", "template1", "cloudsqladmin"})
RESERVED_USER_PREFIXES = ("cloudsql", "pg_")
# PostgreSQL's CreateRole: "role name \"%s\" is reserved" for these two.
RESERVED_USERS = frozenset({"postgres", "public", "none"})


# Cloud SQL for PostgreSQL, "About instance settings" (Machine type) and "Machine
# series overview" (cloud.google.com/sql/docs/postgres): with the Enterprise
# edition (POSTGRES_15's default, which the program keeps) on PD_SSD or PD_HDD,
# a tier is shared-core (db-f1-micro, db-g1-small) or custom, db-custom-CPUS-MiB:
# 1 or an even 2-96 vCPUs; memory a multiple of 256 MiB, at least 3840 MiB, and
# 0.9-6.5 GiB per vCPU. (N4 needs Hyperdisk; db-perf-optimized-*, Enterprise Plus.)
SHARED_CORE_TIERS = ("db-f1-micro", "db-g1-small")
_CUSTOM_TIER = re.compile(r"db-custom-(?P<cpus>[1-9][0-9]?)-(?P<mib>[1-9][0-9]{3,5})")
_MIB_PER_CPU = (9216, 66560)  # 0.9 and 6.5 GiB, in tenths of a MiB
_TIER_RULE = (
    "is not a Cloud SQL tier for PostgreSQL (db-f1-micro, db-g1-small, or "
    "db-custom-CPUS-MiB: 1 or an even 2-96 vCPUs, memory a multiple of 256 MiB, "
    "at least 3840 and 0.9-6.5 GiB per vCPU)"
)


def tier(value: str) -> str:
    """Accept a machine tier an Enterprise-edition PostgreSQL instance can have."""
    if value in SHARED_CORE_TIERS:
        return value
    match = _CUSTOM_TIER.fullmatch(value)
    if match is None:
        raise ValueError(f"{shown(value)} {_TIER_RULE}")
    cpus, mib = int(match["cpus"]), int(match["mib"])
    if (
        (cpus == 1 or cpus % 2 == 0)
        and cpus <= 96
        and mib % 256 == 0
        and mib >= 3840
        and _MIB_PER_CPU[0] * cpus <= mib * 10 <= _MIB_PER_CPU[1] * cpus
    ):
        return value
    raise ValueError(f"{shown(value)} {_TIER_RULE}")


def instance(value: str) -> str:
    """Accept a Cloud SQL instance ID."""
    if _SQL_INSTANCE.fullmatch(value) is None:
        raise ValueError(
            f"{shown(value)} is not a Cloud SQL instance name (lowercase letters, "
            "digits and '-', starting with a letter, at most 98 characters)"
        )
    return value


def database(value: str | None) -> str | None:
    """Accept a database name that is not one Cloud SQL has already."""
    if value in RESERVED_DATABASES:
        raise ValueError(f"{shown(value)} is a database Cloud SQL keeps for itself")
    return value


def user(value: str | None) -> str | None:
    """Accept a user name that is not Cloud SQL's or PostgreSQL's own."""
    if value is not None and (
        value in RESERVED_USERS or value.startswith(RESERVED_USER_PREFIXES)
    ):
        raise ValueError(f"{shown(value)} is a role Cloud SQL or PostgreSQL keeps")
    return value


def connection_problem(project: str, instance_name: str) -> str | None:
    """Why ``project:instance`` is too long for Cloud SQL, or None."""
    name = f"{project}:{instance_name}"
    if len(name) <= CONNECTION_NAME_MAX:
        return None
    return (
        f"makes {len(name)} characters with gcp:project; Cloud SQL allows "
        f"{CONNECTION_NAME_MAX} for project:instance"
    )
