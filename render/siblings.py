"""What the other stacks of the project export, as their offline render would.

The image repository's owner reads the running digest of every stack in
``registryConsumerStacks`` through a stack reference. Offline, the fake cloud
answers that read from the referenced stack's file beside the rendered one:
the digest that stack's own render runs (``exports``), without running it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from portfolio.images import plan as images
from portfolio.images.repository import RUNNING_DIGEST_OUTPUT
from portfolio.settings import validators
from portfolio.settings.model import PortfolioSettings
from portfolio.settings.parsing import SettingsError, parse_settings
from portfolio.stack import split_config
from render.fakes import stand_in_digest
from render.stackfile import (
    STACK_FILE_PREFIX,
    STACK_FILE_SUFFIX,
    Project,
    StackConfig,
    StackFileError,
    check_stack,
    load_stack,
)


def exports(settings: PortfolioSettings) -> dict[str, Any]:
    """The stack outputs a stack's offline render has that others read."""
    plan = images.plan(settings.image, settings.pin_image_digest)
    if plan.mode == "digest":
        return {RUNNING_DIGEST_OUTPUT: validators.image_digest(plan.reference)}
    if plan.mode == "resolve":
        looked_up = f"{plan.repository.url}/{plan.image_name}"
        return {RUNNING_DIGEST_OUTPUT: stand_in_digest(looked_up)}
    return {}


def sibling_outputs(project: Project, folder: Path) -> Callable[[str], dict[str, Any]]:
    """Answer a stack reference ``ORG/PROJECT/STACK`` from ``folder``'s stack files."""

    def outputs(qualified: str) -> dict[str, Any]:
        parts = qualified.split("/")
        stack = parts[-1]
        path = folder / f"{STACK_FILE_PREFIX}{stack}{STACK_FILE_SUFFIX}"
        if len(parts) != 3 or parts[1] != project.name or not path.is_file():
            raise LookupError(f"stack {qualified}: no {path.name} beside this stack")
        try:
            checked = load_stack(project, path)
            config = split_config(checked.config)
            secret = checked.secret_keys
            return exports(parse_settings(stack, *config, secret))
        except (StackFileError, SettingsError) as error:
            first = str(error).splitlines()[0]
            raise LookupError(f"stack {qualified} cannot be read: {first}") from None

    return outputs


def consumer_problems(
    project: Project, stack: StackConfig, settings: PortfolioSettings
) -> list[str]:
    """The problems of the consumer stacks' files the owner's render reads.

    Each is named by its own file, as ``check --all`` names it; a consumer
    with no file is ``ownership.unknown_consumers``'.
    """
    problems: list[str] = []
    consumers = settings.registry_consumer_stacks if settings.owns_registry else []
    for consumer in consumers:
        path = stack.path.parent / f"{STACK_FILE_PREFIX}{consumer}{STACK_FILE_SUFFIX}"
        if path.name != stack.path.name and (path.exists() or path.is_symlink()):
            try:
                check_stack(project, path)
            except StackFileError as error:
                problems += error.problems
    return problems
