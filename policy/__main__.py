"""The CrossGuard pack: every rule of ``rules`` as a mandatory resource policy.

The CLI runs this file with ``runpy.run_path(<pack dir>)``, which puts the
pack's directory first on ``sys.path``, so ``rules`` imports as a top-level
module (pulumi/pulumi ``sdk/python/lib/pulumi/policy/__main__.py``). Building
``PolicyPack`` starts the gRPC server the engine talks to and never returns,
so it happens only when this file runs as the program.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import rules  # type: ignore[import-not-found]
from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError


def plain(value: Any) -> Any:
    """Inputs as plain dicts and lists; a value unknown during preview is UNKNOWN."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {key: _item(value, key) for key in value}
    if isinstance(value, Sequence):
        return [_item(value, index) for index in range(len(value))]
    return value


def _item(container: Any, key: Any) -> Any:
    try:
        return plain(container[key])
    except UnknownValueError:
        return rules.UNKNOWN


def policy(rule: Any) -> ResourceValidationPolicy:
    """One rule as a mandatory policy; each violation is reported on its own."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        resource = rules.Resource(
            type=args.resource_type,
            name=args.name,
            props=plain(args.props),
            protect=bool(args.opts.protect),
        )
        for message in rule.check(resource):
            report(message, None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
    )


if __name__ == "__main__":
    PolicyPack(name="portfolio", policies=[policy(rule) for rule in rules.RULES])
