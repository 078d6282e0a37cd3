"""What the installed SDKs say each resource and function takes and returns.

Nothing here is a hand-kept list of properties: every name comes from the
generated ``pulumi_gcp``/``pulumi_random`` code in the virtualenv, found by
introspection and cached per token.

- Token to class: the package's ``__init__.py`` registers its resource
  modules and provider with ``_utilities.register(resource_modules=...,
  resource_packages=...)``, JSON naming each token's module and class.
- Inputs: the resource's ``<Class>Args`` (``@pulumi.input_type``); each
  property's wire name is its ``@pulumi.getter(name=...)``; the required ones
  are the ``__init__`` parameters without a default. Nested objects are the
  ``*Args`` input types in the property annotations, read the same way.
- Outputs: the resource class's ``@pulumi.getter`` properties.
- Secrets: what ``_internal_init`` wraps in ``pulumi.Output.secret`` or lists
  in ``additional_secret_outputs``.
- Functions: ``<module>.<snake_name>``'s ``__args__['wireName']`` lines and
  its result type's getters.
"""

from __future__ import annotations

import ast
import collections.abc
import functools
import importlib
import importlib.util
import inspect
import json
import re
import textwrap
import types
import typing
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pulumi import _types

Kind = Literal["scalar", "object", "list", "map"]


@dataclass(frozen=True)
class Shape:
    """A property's shape: a scalar, an input type's object, a list or a map."""

    kind: Kind
    of: Shape | None = None
    """The element (list) or value (map) shape."""
    cls: type | None = None
    """The ``@pulumi.input_type`` class of an object."""


SCALAR = Shape("scalar")


@dataclass(frozen=True)
class ResourceSchema:
    """A resource type (or provider) as its generated SDK class declares it."""

    token: str
    inputs: dict[str, Shape]
    """Wire (camelCase) input names and their shapes."""
    required: frozenset[str]
    outputs: frozenset[str]
    secrets: frozenset[str]
    """Wire names the SDK marks secret, inputs and outputs alike."""
    python_names: dict[str, str]
    """Wire name to the SDK's (Terraform's) snake_case name."""


@dataclass(frozen=True)
class FunctionSchema:
    """A provider function as its generated SDK function declares it."""

    token: str
    args: frozenset[str]
    results: frozenset[str]


def _is_ignorable(arg: Any) -> bool:
    """``None``, ``Awaitable[...]`` and ``Output[...]`` members of an ``Input``."""
    origin = typing.get_origin(arg)
    return (
        arg is type(None)
        or origin is collections.abc.Awaitable
        or getattr(origin, "__name__", "") == "Output"
    )


def shape_of(hint: Any) -> Shape:
    """The shape an annotation such as ``Input[Sequence[Input[XArgs]]]`` names."""
    if isinstance(hint, type) and _types.is_input_type(hint):
        return Shape("object", cls=hint)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        members = [shape_of(a) for a in args if not _is_ignorable(a)]
        structured = [m for m in members if m.kind != "scalar"]
        return (structured or members or [SCALAR])[0]
    if origin in (collections.abc.Sequence, list) and args:
        return Shape("list", of=shape_of(args[0]))
    if origin in (collections.abc.Mapping, dict) and len(args) == 2:
        return Shape("map", of=shape_of(args[1]))
    return SCALAR


@functools.cache
def fields(cls: type) -> dict[str, Shape]:
    """An input type's properties: wire name to shape."""
    hints = _types._raw_return_hints(cls)
    return {name: shape_of(hint) for name, hint in hints.items()}


@functools.cache
def python_names(cls: type) -> dict[str, str]:
    """An input type's wire names to its Python names."""
    return {w: p for p, w in _types.input_type_py_to_pulumi_names(cls).items()}


@functools.cache
def required(cls: type) -> frozenset[str]:
    """An input type's required properties: ``__init__`` parameters sans default."""
    to_wire = _types.input_type_py_to_pulumi_names(cls)
    params = inspect.signature(cls).parameters.values()
    return frozenset(
        to_wire[p.name]
        for p in params
        if p.default is inspect.Parameter.empty
        and p.kind is inspect.Parameter.KEYWORD_ONLY
        and p.name in to_wire
    )


def package_of(token: str) -> str:
    """The Python package of a token's provider: ``gcp:...`` is ``pulumi_gcp``."""
    if token.startswith("pulumi:providers:"):
        return "pulumi_" + token.removeprefix("pulumi:providers:")
    return "pulumi_" + token.split(":", 1)[0]


def _registered(source: str, keyword: str) -> list[dict[str, Any]]:
    match = re.search(keyword + r'="""(.*?)"""', source, re.DOTALL)
    return list(json.loads(match.group(1))) if match else []


@functools.cache
def _classes(package: str) -> dict[str, tuple[str, str]]:
    """Token to (module, class) from the package's ``_utilities.register`` call."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise LookupError(f"package {package} is not installed")
    source = Path(spec.origin).read_text()
    found: dict[str, tuple[str, str]] = {}
    for module in _registered(source, "resource_modules"):
        for token, name in module["classes"].items():
            found[token] = (module["fqn"], name)
    for provider in _registered(source, "resource_packages"):
        found[provider["token"]] = (provider["fqn"], provider["class"])
    return found


def _secret_names(cls: Any, to_wire: dict[str, str]) -> frozenset[str]:
    """What ``_internal_init`` marks secret, by wire name."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls._internal_init)))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "additional_secret_outputs":
            names.update(ast.literal_eval(node.value))
        if isinstance(node, ast.Assign) and "Output.secret(" in ast.unparse(node):
            target = node.targets[0]
            if isinstance(target, ast.Subscript):
                key = ast.literal_eval(target.slice)
                names.add(to_wire.get(key, key))
    return frozenset(names)


def _member(module: str, name: str) -> Any:
    """``module.name`` of an SDK, None if absent.

    The SDK's modules load lazily, on first attribute access; that is when
    their deprecated classes warn, which would be noise here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return getattr(importlib.import_module(module), name, None)


@functools.cache
def resource(token: str) -> ResourceSchema:
    """The schema of a resource type or provider token; ``LookupError`` if none."""
    located = _classes(package_of(token)).get(token)
    if located is None:
        raise LookupError(f"unknown resource type {token}")
    cls = _member(located[0], located[1])
    args = _member(located[0], located[1] + "Args")
    if cls is None or args is None:
        raise LookupError(f"no SDK class for {token} in {located[0]}")
    to_wire = _types.input_type_py_to_pulumi_names(args)
    outputs = _types.resource_pulumi_to_py_names(cls)
    return ResourceSchema(
        token=token,
        inputs=fields(args),
        required=required(args),
        outputs=frozenset(outputs),
        secrets=_secret_names(cls, to_wire),
        python_names={**{w: p for p, w in to_wire.items()}, **outputs},
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@functools.cache
def function(token: str) -> FunctionSchema:
    """The schema of a function token such as ``gcp:m/getX:getX``."""
    pkg, mod_name, name = token.split(":")
    mod = mod_name.split("/", 1)[0]
    package = package_of(token)
    modules = {fqn for fqn, _ in _classes(package).values()}
    fqn = package if mod == "index" else f"{package}.{mod}"
    if fqn not in modules:
        raise LookupError(f"unknown function {token}")
    func = _member(fqn, _snake(name))
    source = inspect.getsource(func) if callable(func) else ""
    if f"'{token}'" not in source:
        raise LookupError(f"unknown function {token} (no {pkg} SDK function)")
    tree = ast.parse(textwrap.dedent(source))
    args: set[str] = set()
    result_cls = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "__args__":
            args.add(ast.literal_eval(node.slice))
        if isinstance(node, ast.keyword) and node.arg == "typ":
            result_cls = getattr(inspect.getmodule(func), ast.unparse(node.value))
    props = _types._py_properties(result_cls) if result_cls else ()
    results = frozenset(wire for _, wire, _ in props)
    return FunctionSchema(token=token, args=frozenset(args), results=results)
