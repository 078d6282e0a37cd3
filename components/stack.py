"""The edge: read this stack's config from the Pulumi runtime, once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pulumi

from components.parsing import SettingsError, parse_settings
from components.sdk_internals import all_config, secret_config_keys
from components.settings import CONFIG_NAMESPACE, PortfolioSettings


def split_config(config: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """``portfolio:*`` values by short key, and every other namespace's by full key."""
    prefix = f"{CONFIG_NAMESPACE}:"
    own = {k.removeprefix(prefix): v for k, v in config.items() if k.startswith(prefix)}
    other = {k: v for k, v in config.items() if not k.startswith(prefix)}
    return own, other


def load_settings() -> PortfolioSettings:
    """Parse the running stack's config; the namespace is the stack's name.

    Every ``portfolio:*`` key is read, not only the known ones, so a misspelt key
    fails the deployment instead of being ignored.
    """
    stack = pulumi.get_stack()
    own, other = split_config({k: str(v) for k, v in all_config().items()})
    try:
        return parse_settings(
            stack, own, other, secret_short_keys(secret_config_keys())
        )
    except SettingsError as error:
        raise SettingsError(error.problems, source=f"Pulumi.{stack}.yaml") from None


def secret_short_keys(keys: Iterable[str]) -> set[str]:
    """The ``portfolio:*`` keys among secret config keys, by short key."""
    prefix = f"{CONFIG_NAMESPACE}:"
    return {k.removeprefix(prefix) for k in keys if k.startswith(prefix)}
