"""Checks for the names of a stack's Cloud SQL instance, database and user.

Cloud SQL's rules: an instance ID is lowercase letters, digits and '-',
starting with a letter, and ``project:instance`` takes at most 98 characters;
``postgres``, ``template0``, ``template1`` and ``cloudsqladmin`` are databases
every instance has; ``postgres`` and the ``cloudsql*`` roles are Cloud SQL's,
``pg_*`` roles PostgreSQL's.
"""

from __future__ import annotations

import re

from portfolio.settings.validators import shown

_SQL_INSTANCE = re.compile(r"^[a-z](?:[-a-z0-9]{0,96}[a-z0-9])?$")
CONNECTION_NAME_MAX = 98
RESERVED_DATABASES = frozenset({"postgres", "template0", "template1", "cloudsqladmin"})
RESERVED_USER_PREFIXES = ("cloudsql", "pg_")


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
        value == "postgres" or value.startswith(RESERVED_USER_PREFIXES)
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
