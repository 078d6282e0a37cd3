"""``Database``: the stack's Cloud SQL instance, its database and its user.

Replaces Config Connector's SQLInstance, SQLDatabase and SQLUser and the
hand-kept ``portfolio-db-password`` Secret. The instance and the database are
protected (a ``pulumi destroy`` or a replacing change stops instead of losing
data) and the instance also has the API's deletion protection. The user's
password is generated unless ``databasePassword`` carries an existing one
along; either way it exists only as a secret, in Pulumi state and in
``DATABASE_URL``, which is composed from the real resources' names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random
from pulumi_gcp.sql import Database as SqlDatabase
from pulumi_gcp.sql import DatabaseInstance, User
from pulumi_random import RandomPassword
from pydantic import SecretStr

from portfolio import adoption
from portfolio.database import database_specs
from portfolio.database.database_specs import InstanceShape
from portfolio.workload.proxy_specs import PROXY_PORT

# The base's Cloud SQL instance and database.
SQL_REGION = "us-central1"
SQL_DATABASE_VERSION = "POSTGRES_15"
SQL_CHARSET = "UTF8"
SQL_COLLATION = "en_US.UTF8"

TYPE_TOKEN = "portfolio:index:Database"


@dataclass(frozen=True)
class DatabaseArgs:
    """The stack's instance, database and user, and the providers."""

    project: str
    instance: str
    """The instance's name (``portfolio:sqlInstanceName``, or the stack's own)."""
    database: str
    user: str
    password: SecretStr | None
    """``portfolio:databasePassword`` (a secret); None: a generated one."""
    shape: InstanceShape
    adopt: bool
    """Import the live instance, database and user (``portfolio:adopt``)."""
    gcp_provider: gcp.Provider
    random_provider: random.Provider


class Database(pulumi.ComponentResource):
    """The instance, database and user the app reaches through the proxy."""

    connection_name: pulumi.Output[str]
    """``project:region:instance``, the proxy's argument."""
    database_url: pulumi.Output[str]
    """``DATABASE_URL``, a secret."""

    def __init__(
        self,
        name: str,
        args: DatabaseArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register the instance, database, user and password as ``<name>-sql-*``."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.gcp_provider)
        keep = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(protect=True))
        project, instance_name = args.project, args.instance

        instance = DatabaseInstance(
            f"{name}-sql-instance",
            project=project,
            name=instance_name,
            region=SQL_REGION,
            database_version=SQL_DATABASE_VERSION,
            deletion_protection=True,
            settings=database_specs.instance_settings(args.shape),
            opts=pulumi.ResourceOptions.merge(
                keep,
                adoption.options(
                    args.adopt, adoption.sql_instance_id(project, instance_name)
                ),
            ),
        )
        database = SqlDatabase(
            f"{name}-sql-database",
            project=project,
            instance=instance.name,
            name=args.database,
            charset=SQL_CHARSET,
            collation=SQL_COLLATION,
            opts=pulumi.ResourceOptions.merge(
                keep,
                adoption.options(
                    args.adopt,
                    adoption.sql_database_id(project, instance_name, args.database),
                ),
            ),
        )
        password = self._password(name, args)
        user = User(
            f"{name}-sql-user",
            project=project,
            instance=instance.name,
            name=args.user,
            password=password,
            # A PostgreSQL role that owns tables cannot be dropped; removing the
            # user from the program leaves it in the database instead of failing.
            deletion_policy="ABANDON",
            opts=pulumi.ResourceOptions.merge(
                child,
                adoption.options(
                    args.adopt, adoption.sql_user_id(project, instance_name, args.user)
                ),
            ),
        )

        self.connection_name = instance.connection_name
        self.database_url = pulumi.Output.secret(
            pulumi.Output.all(user.name, password, database.name).apply(
                lambda parts: database_specs.database_url(
                    parts[0], parts[1], parts[2], PROXY_PORT
                )
            )
        )
        self.register_outputs(
            {
                "instance": instance.name,
                "database": database.name,
                "user": user.name,
                "connectionName": self.connection_name,
            }
        )

    def _password(self, name: str, args: DatabaseArgs) -> pulumi.Output[str]:
        """The user's password: the configured one, or a generated one."""
        configured = args.password
        if configured is not None:
            return pulumi.Output.secret(configured.get_secret_value())
        generated = RandomPassword(
            f"{name}-sql-password",
            length=database_specs.PASSWORD_LENGTH,
            special=False,
            opts=pulumi.ResourceOptions(parent=self, provider=args.random_provider),
        )
        return pulumi.Output.secret(generated.result)
