"""The types of ``Pulumi.yaml``'s top-level keys, as the Pulumi CLI checks them.

The CLI validates a project file against pulumi/pulumi's JSON schema
``sdk/go/common/workspace/project.json`` (``loaders.go``, ``project.go``
``ValidateProject``) before it reads it: ``description``, ``author``,
``website``, ``license``, ``main`` and ``stackConfigDir`` are strings or null;
``backend`` takes only ``url``, ``options`` only ``refresh: always``,
``template`` only its six keys; ``plugins`` lists plugins by ``name`` and
``path``; a package is a source or a mapping with a ``source``.
Keys the schema does not name are allowed, as the CLI allows them.
``render.projectfile`` checks ``name``, ``runtime`` and ``config`` closely.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Open(BaseModel):
    """A mapping the schema types some keys of and leaves open to others."""

    model_config = ConfigDict(extra="allow", strict=True)


class _Backend(_Shape):
    url: str = ""


class _Options(_Shape):
    refresh: Literal["always"] = "always"


class _TemplateConfig(_Open):
    description: str | None = None
    secret: bool | None = None


class _Template(_Shape):
    displayName: str | None = None  # noqa: N815 - the file's key
    description: str | None = None
    quickstart: str | None = None
    important: bool | None = None
    metadata: dict[str, str] | None = None
    config: dict[str, _TemplateConfig] | None = None


class _Plugin(_Shape):
    name: str
    path: str
    version: str = ""


class _Plugins(_Open):
    providers: list[_Plugin] = []
    analyzers: list[_Plugin] = []
    languages: list[_Plugin] = []


class _Package(_Open):
    """A package's spec: its ``source`` is required; the rest is the CLI's."""

    source: str


class _TopLevel(_Open):
    """``Pulumi.yaml``'s top level; other keys are the CLI's to allow."""

    description: str | None = None
    author: str | None = None
    website: str | None = None
    license: str | None = None
    main: str | None = None
    stackConfigDir: str | None = None  # noqa: N815 - the file's key
    backend: _Backend | None = None
    options: _Options | None = None
    template: _Template | None = None
    plugins: _Plugins = _Plugins()
    packages: dict[str, _Package | str] = {}


# pydantic's error types, in the words of the other problems here.
_SHAPE_MESSAGES = {
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "literal_error": "must be {expected}",
    "extra_forbidden": "is not a key the CLI reads here",
}


def _where(document: dict[str, Any], location: tuple[Any, ...]) -> str:
    """The part of an error's location that is the file's own keys and items."""
    shown: list[str] = []
    value: Any = document
    for part in location:
        if (isinstance(value, dict) and part in value) or (
            isinstance(value, list) and isinstance(part, int) and part < len(value)
        ):
            shown.append(str(part))
            value = value[part]
        else:
            break
    return ": ".join(shown)


def shape_problems(document: dict[Any, Any]) -> list[str]:
    """One line per top-level key whose value ``project.json`` refuses."""
    if any(not isinstance(key, str) for key in document):
        return ["a project file's keys must be strings"]
    try:
        _TopLevel.model_validate(document)
    except ValidationError as error:
        problems: dict[Any, str] = {}  # the first problem of each top-level key
        for item in error.errors(include_url=False):
            template = _SHAPE_MESSAGES.get(item["type"])
            message = (
                template.format(**(item.get("ctx") or {}))
                if template
                else str(item["msg"]).lower()
            )
            where = _where(document, item["loc"])
            if item["type"] == "missing":
                where, message = f"{where}: {item['loc'][-1]}", "is required"
            problems.setdefault(item["loc"][0], f"{where}: {message}")
        return list(problems.values())
    return []
