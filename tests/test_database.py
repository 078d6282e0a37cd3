"""The stack's Cloud SQL instance, database and user.

The instance replaces Config Connector's SQLInstance: the overlays' values,
the overrides, deletion protection, the names, and the connection name the
app reads. The secrets they feed are in ``test_database_secrets.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from render import output
from render.harness import Registration
from tests.conftest import (
    everything_rendered,
    find,
    make_settings,
    manifests,
    one,
    run_component,
)

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
DATABASE = "gcp:sql/database:Database"
USER = "gcp:sql/user:User"


def instance(regs: list[Registration]) -> dict[str, Any]:
    return dict(output.redact(one(regs, INSTANCE).inputs))


def test_the_instance_has_the_base_values() -> None:
    found = instance(run_component(make_settings()))
    assert found["databaseVersion"] == "POSTGRES_15"
    assert found["region"] == "us-central1"
    assert found["project"] == "test-project"
    settings = found["settings"]
    assert settings["tier"] == "db-f1-micro"
    assert settings["diskSize"] == 10
    assert settings["diskType"] == "PD_HDD"
    assert settings["availabilityType"] == "ZONAL"
    assert settings["backupConfiguration"] == {"enabled": True, "startTime": "03:00"}
    assert settings["maintenanceWindow"] == {"day": 7, "hour": 2}
    assert settings["ipConfiguration"]["sslMode"] == (
        "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    )
    assert settings["ipConfiguration"].get("authorizedNetworks", []) == []


def test_the_overrides_reach_the_instance() -> None:
    found = instance(
        run_component(
            make_settings(
                sqlTier="db-g1-small",
                sqlDiskSize=50,
                sqlDiskType="PD_SSD",
                sqlAvailabilityType="REGIONAL",
            )
        )
    )
    settings = found["settings"]
    assert settings["tier"] == "db-g1-small"
    assert settings["diskSize"] == 50
    assert settings["diskType"] == "PD_SSD"
    assert settings["availabilityType"] == "REGIONAL"


def test_the_instance_has_deletion_protection_twice() -> None:
    found = instance(run_component(make_settings()))
    assert found["deletionProtection"] is True
    assert found["settings"]["deletionProtectionEnabled"] is True


def test_the_instance_and_the_database_are_protected() -> None:
    regs = run_component(make_settings())
    assert one(regs, INSTANCE).options.get("protect") is True
    assert one(regs, DATABASE).options.get("protect") is True


def test_names_default_to_the_stack_pattern() -> None:
    regs = run_component(make_settings("staging"))
    assert one(regs, INSTANCE).inputs["name"] == "portfolio-staging-db"
    assert one(regs, DATABASE).inputs["name"] == "portfolio-staging-database"
    assert one(regs, USER).inputs["name"] == "portfolio-staging-user"


def test_config_overrides_the_names() -> None:
    regs = run_component(
        make_settings(
            sqlInstanceName="legacy-db",
            sqlDatabaseName="legacy_database",
            sqlUserName="legacy_user",
        )
    )
    assert one(regs, INSTANCE).inputs["name"] == "legacy-db"
    assert one(regs, DATABASE).inputs["name"] == "legacy_database"
    assert one(regs, USER).inputs["name"] == "legacy_user"


@pytest.mark.parametrize("overrides", [{}, {"sqlInstanceName": "legacy-db"}])
def test_database_and_user_live_on_the_stack_instance(
    overrides: dict[str, str],
) -> None:
    # The overlays referred to an instance portfolio-db-base that never existed.
    regs = run_component(make_settings(**overrides))
    name = one(regs, INSTANCE).inputs["name"]
    instance_urn = one(regs, INSTANCE).urn
    for type_ in (DATABASE, USER):
        registration = one(regs, type_)
        assert registration.inputs["instance"] == name
        assert instance_urn in registration.depends_on
    assert "portfolio-db-base" not in everything_rendered(regs)


def test_the_config_map_gets_the_instance_connection_name() -> None:
    regs = run_component(make_settings(sqlInstanceName="legacy-db"))
    config = find(manifests(regs), "ConfigMap", "portfolio-config")
    assert config["data"]["CLOUD_SQL_CONNECTION_NAME"] == (
        "test-project:us-central1:legacy-db"
    )
