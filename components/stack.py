"""The edge: read this stack's config from the Pulumi runtime, once."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi.runtime import config as runtime_config

from components.parsing import parse_settings
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
    # The language host passes config in PULUMI_CONFIG; mocks and the renderer
    # set it in-process. Either way these are the values `pulumi config` shows.
    every = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    own, other = split_config({k: str(v) for k, v in every.items()})
    return parse_settings(pulumi.get_stack(), own, other)
