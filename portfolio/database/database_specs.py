"""Pure builders of the stack's Cloud SQL instance and the app's DATABASE_URL.

The values are the kustomize base's ``cloudsql-instance.yaml`` (Config
Connector's SQLInstance) with the overlays' patches, as stack config.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pulumi_gcp.sql import (
    DatabaseInstanceSettingsArgs,
    DatabaseInstanceSettingsBackupConfigurationArgs,
    DatabaseInstanceSettingsIpConfigurationArgs,
    DatabaseInstanceSettingsIpConfigurationAuthorizedNetworkArgs,
    DatabaseInstanceSettingsMaintenanceWindowArgs,
)

# The base's backups and maintenance window (UTC); TLS with a client
# certificate, what the base's requireSsl: true is for PostgreSQL; no network
# allowed in without the proxy.
SQL_BACKUPS_ENABLED = True
SQL_BACKUP_START_TIME = "03:00"
SQL_MAINTENANCE_DAY = 7
SQL_MAINTENANCE_HOUR = 2
SQL_SSL_MODE = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
SQL_AUTHORIZED_NETWORKS: tuple[str, ...] = ()

# The Auth Proxy listens on the pod's loopback interface (base DATABASE_URL).
PROXY_HOST = "localhost"
# A generated password's length; letters and digits only, so it needs no
# escaping in a URL and survives every client's parser.
PASSWORD_LENGTH = 32


@dataclass(frozen=True)
class InstanceShape:
    """What a stack chooses of its instance (``portfolio:sqlTier`` and so on)."""

    tier: str
    disk_size: int
    """GB."""
    disk_type: str
    availability_type: str


def instance_settings(shape: InstanceShape) -> DatabaseInstanceSettingsArgs:
    """The instance's ``settings`` block; deletion protection always on.

    ``sslMode`` replaces the API's deprecated ``requireSsl`` (pulumi-gcp has no
    ``require_ssl`` since v6); the Cloud SQL Admin API documents
    ``requireSsl: true`` as ``TRUSTED_CLIENT_CERTIFICATE_REQUIRED`` for
    PostgreSQL (``IpConfiguration.SslMode``).
    """
    return DatabaseInstanceSettingsArgs(
        tier=shape.tier,
        disk_size=shape.disk_size,
        disk_type=shape.disk_type,
        availability_type=shape.availability_type,
        deletion_protection_enabled=True,
        backup_configuration=DatabaseInstanceSettingsBackupConfigurationArgs(
            enabled=SQL_BACKUPS_ENABLED, start_time=SQL_BACKUP_START_TIME
        ),
        maintenance_window=DatabaseInstanceSettingsMaintenanceWindowArgs(
            day=SQL_MAINTENANCE_DAY, hour=SQL_MAINTENANCE_HOUR
        ),
        ip_configuration=DatabaseInstanceSettingsIpConfigurationArgs(
            ssl_mode=SQL_SSL_MODE,
            authorized_networks=[
                DatabaseInstanceSettingsIpConfigurationAuthorizedNetworkArgs(
                    value=network
                )
                for network in SQL_AUTHORIZED_NETWORKS
            ],
        ),
    )


def database_url(user: str, password: str, database: str, port: int) -> str:
    """``DATABASE_URL``: the user and database through the proxy on localhost.

    The base's form, ``postgresql://USER:PASSWORD@localhost:PORT/DATABASE``,
    each part percent-encoded so any password is a valid URL.
    """
    return (
        f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}"
        f"@{PROXY_HOST}:{port}/{quote(database, safe='')}"
    )
