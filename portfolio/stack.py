"""The edge: read this stack's config from the Pulumi runtime, once."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi import runtime

from portfolio.settings.model import CONFIG_NAMESPACE, PortfolioSettings
from portfolio.settings.parsing import SettingsError, parse_settings


def split_config(config: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """``portfolio:*`` values by short key, and every other namespace's by full key."""
    prefix = f"{CONFIG_NAMESPACE}:"
    own = {k.removeprefix(prefix): v for k, v in config.items() if k.startswith(prefix)}
    other = {k: v for k, v in config.items() if not k.startswith(prefix)}
    return own, other


def all_config() -> dict[str, str]:
    """Every config value of the running stack, by full key, unknown keys too.

    ``pulumi.Config`` reads one known key at a time and cannot list them. The
    language host passes config in ``PULUMI_CONFIG`` (``get_config_env``);
    the Automation API and the mocks set the context's map
    (``set_all_config``), which ``get_config`` reads first: pulumi
    ``sdk/python/lib/pulumi/runtime/config.py``.
    """
    values = {**runtime.get_config_env(), **runtime.config.CONFIG.get()}
    return {key: str(value) for key, value in values.items()}


def secret_config_keys() -> list[str]:
    """The full keys of the running stack's config whose values are secrets."""
    return sorted(key for key in all_config() if runtime.is_config_secret(key))


def load_settings() -> PortfolioSettings:
    """Parse the running stack's config; the namespace is the stack's name.

    Every ``portfolio:*`` key is read, not only the known ones, so a misspelt key
    fails the deployment instead of being ignored.
    """
    stack = pulumi.get_stack()
    own, other = split_config({k: str(v) for k, v in all_config().items()})
    try:
        return parse_settings(stack, own, other, secret_config_keys())
    except SettingsError as error:
        raise SettingsError(error.problems, source=f"Pulumi.{stack}.yaml") from None
