"""The secrets Cloud SQL feeds: the user's password, DATABASE_URL, NEXTAUTH_SECRET.

Each is generated (or carried along as a Pulumi secret) and must never reach
a rendered file in clear; a new secret rolls the pods through a checksum
keyed by a generated key. The instance itself is in ``test_database.py``.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from portfolio.database import database_specs
from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import SettingsError, parse_settings
from portfolio.workload import app_specs
from render import output, sdk_internals
from render.fakes import FAKE_GENERATED_MARKER, FakeCloud
from render.harness import Registration
from tests.conftest import (
    FAKE_PROVIDER,
    deployed_stack_outputs,
    everything_rendered,
    find,
    make_settings,
    manifests,
    of_type,
    one,
    plain,
    raw_config,
    run_component,
)

USER = "gcp:sql/user:User"
PASSWORD = "random:index/randomPassword:RandomPassword"
CONFIG_CHECKSUM = "checksum/config"
SECRETS_CHECKSUM = "checksum/secrets"
# Obviously fake values a stack could carry along with --secret.
CARRIED_PASSWORD = "FAKE-carried/pass@word:1"
CARRIED_NEXTAUTH = "FAKE-carried-nextauth-secret-value"


class StateRecorder(FakeCloud):
    """The fake cloud, keeping each resource's state (outputs included) by name."""

    def __init__(self) -> None:
        super().__init__(stacks=deployed_stack_outputs)
        self.states: dict[str, dict[str, Any]] = {}

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        """Create as the fake cloud does and remember the state."""
        resource_id, state = super().new_resource(args)
        self.states[args.name] = state
        return resource_id, state


def with_secrets(
    namespace: str = "test", secret: frozenset[str] = frozenset(), **overrides: Any
) -> PortfolioSettings:
    """Settings where the keys in ``secret`` were set with ``--secret``."""
    return parse_settings(namespace, raw_config(**overrides), FAKE_PROVIDER, secret)


def carried(namespace: str = "test", **overrides: Any) -> PortfolioSettings:
    """A stack carrying an existing password and NEXTAUTH_SECRET along."""
    return with_secrets(
        namespace,
        frozenset({"databasePassword", "nextauthSecret"}),
        databasePassword=CARRIED_PASSWORD,
        nextauthSecret=CARRIED_NEXTAUTH,
        **overrides,
    )


def secret_value(regs: list[Registration], name: str, key: str) -> str:
    """A Secret's value in clear, as the cluster would get it."""
    (secret,) = [
        r
        for r in of_type(regs, "kubernetes:core/v1:Secret")
        if plain(r.inputs)["metadata"]["name"] == name
    ]
    return str(plain(secret.inputs)["stringData"][key])


def template_annotations(regs: list[Registration]) -> dict[str, str]:
    deployment = find(manifests(regs), "Deployment", "portfolio")
    return dict(deployment["spec"]["template"]["metadata"]["annotations"])


def problems(namespace: str, raw: dict[str, str], secret: frozenset[str]) -> Any:
    with pytest.raises(SettingsError) as raised:
        parse_settings(namespace, raw, FAKE_PROVIDER, secret)
    return raised.value.problems


def test_the_user_password_is_a_secret_input() -> None:
    for settings in (make_settings(), carried()):
        user = one(run_component(settings), USER)
        assert sdk_internals.is_secret(user.inputs["password"])
        assert output.redact(user.inputs)["password"] == output.REDACTED


def test_a_password_is_generated_only_when_none_is_carried_along() -> None:
    generated = of_type(run_component(make_settings()), PASSWORD)
    assert "portfolio-sql-password" in {r.name for r in generated}
    carried_along = of_type(run_component(carried()), PASSWORD)
    assert carried_along == []


def test_the_generated_password_is_the_user_password() -> None:
    regs = run_component(make_settings())
    password = plain(one(regs, USER).inputs)["password"]
    assert password.startswith(f"{FAKE_GENERATED_MARKER}-portfolio-sql-password-")
    url = secret_value(regs, "portfolio-db-secret", "DATABASE_URL")
    assert url == (
        f"postgresql://portfolio-test-user:{password}"
        "@localhost:5432/portfolio-test-database"
    )


def test_the_database_url_percent_encodes_each_part() -> None:
    url = database_specs.database_url("us@r", "p@ss/w:rd?#", "db/name", 6543)
    assert url == "postgresql://us%40r:p%40ss%2Fw%3Ard%3F%23@localhost:6543/db%2Fname"


def test_a_carried_password_reaches_database_url_encoded() -> None:
    regs = run_component(carried())
    assert plain(one(regs, USER).inputs)["password"] == CARRIED_PASSWORD
    url = secret_value(regs, "portfolio-db-secret", "DATABASE_URL")
    assert url == (
        "postgresql://portfolio-test-user:FAKE-carried%2Fpass%40word%3A1"
        "@localhost:5432/portfolio-test-database"
    )
    assert secret_value(regs, "portfolio-secrets", "NEXTAUTH_SECRET") == (
        CARRIED_NEXTAUTH
    )


def test_generated_secrets_are_never_rendered_in_clear() -> None:
    regs = run_component(make_settings())
    # The values exist (so the search below can find them if they leak) ...
    assert FAKE_GENERATED_MARKER in secret_value(
        regs, "portfolio-secrets", "NEXTAUTH_SECRET"
    )
    assert FAKE_GENERATED_MARKER in secret_value(
        regs, "portfolio-db-secret", "DATABASE_URL"
    )
    # ... but no rendered form shows them.
    assert FAKE_GENERATED_MARKER not in everything_rendered(regs)
    for name, key in (
        ("portfolio-secrets", "NEXTAUTH_SECRET"),
        ("portfolio-db-secret", "DATABASE_URL"),
    ):
        assert find(manifests(regs), "Secret", name)["stringData"] == {
            key: output.REDACTED
        }


def test_carried_secrets_are_never_rendered_in_clear() -> None:
    rendered = everything_rendered(run_component(carried()))
    assert CARRIED_NEXTAUTH not in rendered
    assert CARRIED_PASSWORD not in rendered
    assert "FAKE-carried%2Fpass" not in rendered


def test_rotation_changes_the_secret_and_rolls_the_pods() -> None:
    before = run_component(make_settings())
    after = run_component(make_settings(nextauthSecretRotation="2026-01"))
    assert secret_value(after, "portfolio-secrets", "NEXTAUTH_SECRET") != (
        secret_value(before, "portfolio-secrets", "NEXTAUTH_SECRET")
    )
    old, new = template_annotations(before), template_annotations(after)
    assert new[SECRETS_CHECKSUM] != old[SECRETS_CHECKSUM]
    assert new[CONFIG_CHECKSUM] == old[CONFIG_CHECKSUM]


def test_the_same_settings_give_the_same_checksums() -> None:
    first = template_annotations(run_component(make_settings()))
    again = template_annotations(run_component(make_settings()))
    assert first[CONFIG_CHECKSUM] == again[CONFIG_CHECKSUM]
    assert first[SECRETS_CHECKSUM] == again[SECRETS_CHECKSUM]


def test_the_checksums_are_keyed_by_the_generated_key() -> None:
    fake = StateRecorder()
    regs = run_component(make_settings(), fake)
    key = str(fake.states["portfolio-checksum-key"]["hex"])
    config = find(manifests(regs), "ConfigMap", "portfolio-config")["data"]
    secrets = [
        {"NEXTAUTH_SECRET": secret_value(regs, "portfolio-secrets", "NEXTAUTH_SECRET")},
        {"DATABASE_URL": secret_value(regs, "portfolio-db-secret", "DATABASE_URL")},
    ]
    annotations = template_annotations(regs)
    assert annotations[CONFIG_CHECKSUM] == app_specs.checksum(key, config)
    assert annotations[SECRETS_CHECKSUM] == app_specs.checksum(key, *secrets)
    # Without the key nobody can check a guessed secret against the annotation.
    assert annotations[SECRETS_CHECKSUM] != app_specs.checksum("", *secrets)


def test_another_instance_changes_the_config_checksum() -> None:
    old = template_annotations(run_component(make_settings()))
    new = template_annotations(run_component(make_settings(sqlInstanceName="other")))
    assert new[CONFIG_CHECKSUM] != old[CONFIG_CHECKSUM]


def test_a_carried_nextauth_secret_generates_none() -> None:
    regs = run_component(carried())
    assert "portfolio-nextauth-secret" not in {r.name for r in regs}


@pytest.mark.parametrize("key", ["nextauthSecret", "databasePassword"])
def test_a_plain_secret_value_is_refused(key: str) -> None:
    found = dict(problems("test", raw_config(**{key: "FAKE-in-clear"}), frozenset()))
    assert "is a plain value" in found[f"portfolio:{key}"]
    assert "--secret" in found[f"portfolio:{key}"]


@pytest.mark.parametrize(
    "key", ["nextauthUrl", "cloudSqlConnectionName", "databaseUrl"]
)
def test_a_removed_key_is_refused_as_removed(key: str) -> None:
    found = dict(problems("test", raw_config(**{key: "FAKE-old"}), frozenset()))
    assert found[f"portfolio:{key}"].startswith("was removed")
