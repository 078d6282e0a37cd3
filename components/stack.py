"""The edge: read this stack's ``portfolio:*`` config from the Pulumi runtime."""

from __future__ import annotations

import pulumi
from pulumi.runtime import config as runtime_config

from components.settings import CONFIG_NAMESPACE, PortfolioSettings, parse_settings


def load_settings() -> PortfolioSettings:
    """Parse the running stack's config; the namespace is the stack's name.

    Every ``portfolio:*`` key is read, not only the known ones, so a misspelt key
    fails the deployment instead of being ignored.
    """
    prefix = f"{CONFIG_NAMESPACE}:"
    # The language host passes config in PULUMI_CONFIG; mocks and the renderer
    # set it in-process. Either way these are the values `pulumi config` shows.
    every = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    raw = {
        key.removeprefix(prefix): str(value)
        for key, value in every.items()
        if key.startswith(prefix)
    }
    return parse_settings(pulumi.get_stack(), raw)
