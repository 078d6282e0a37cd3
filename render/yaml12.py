"""Read a YAML file the way the Pulumi CLI's parser (Go ``gopkg.in/yaml.v3``) does.

A maintained parser (ruamel.yaml, pure Python) with yaml.v3's reading of plain
scalars (``render.go_scalars``: ``yes`` is text, ``017`` octal 15, an unquoted
time refused) whatever the file's ``%YAML`` directive, and yaml.v3's rules:

- the only ``%YAML`` it takes is ``1.1`` ("found incompatible YAML document"
  for any other, 1.2 included), besides ``%TAG``; another directive is
  "found unknown directive name";
- a key given twice in one mapping is an error (yaml.v3's ``uniqueKeys``); an
  anchor given twice names the later node, silently;
- alias expansion is bounded with yaml.v3's own rule ("document contains
  excessive aliasing", ``decode.go``), and an alias inside itself is refused;
- the file must be UTF-8 text.

Every problem is raised as ``YamlError``: one line, naming the file.
"""

from __future__ import annotations

import re
import stat
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, nodes
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from render import go_scalars, yaml_nodes

# yaml.v3 decode.go: allowedAliasRatio and the counts below which it never fails.
_RATIO_LOW, _RATIO_HIGH = 400_000, 4_000_000
_MIN_ALIASES, _MIN_DECODES = 100, 1000
# Whatever the ratio, no stack file needs more nodes than this once expanded.
_MAX_DECODES = 1_000_000
# A project or stack file is a few kilobytes; anything above this is refused
# before it is read, let alone parsed.
MAX_BYTES = 1 << 20


_DUPLICATE = re.compile(r'^found duplicate key (?P<key>".*?"|\S+)')


class YamlError(Exception):
    """A file that is not the YAML the Pulumi CLI would read; one line."""


class _Implicit(Tag):
    """A tag the resolver gave a node, not one written in the file."""


class _Resolver(VersionedResolver):
    """Plain scalars tagged as yaml.v3 tags them, whatever the ``%YAML`` version."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is nodes.ScalarNode and implicit[0]:
            return _Implicit(suffix=go_scalars.tag_of(value))
        return _Implicit(suffix=str(super().resolve(kind, value, implicit)))


class _Constructor(SafeConstructor):
    """Safe construction, with yaml.v3's numbers; a Go time is refused."""

    def construct_go_number(self, node: nodes.ScalarNode) -> int | float:
        return go_scalars.construct(str(node.tag), self.construct_scalar(node))

    def construct_go_time(self, node: nodes.ScalarNode) -> Any:
        line = node.start_mark.line + 1
        raise YamlError(
            f"line {line}: an unquoted text that starts like a date, which the "
            "Pulumi CLI may read as a time and hand the program in Go's spelling "
            "(2001-12-14 00:00:00 +0000 UTC); quote it"
        )


_Constructor.add_constructor(go_scalars.INT, _Constructor.construct_go_number)
_Constructor.add_constructor(go_scalars.FLOAT, _Constructor.construct_go_number)
_Constructor.add_constructor(go_scalars.GO_TIME, _Constructor.construct_go_time)


def _parser() -> YAML:
    parser = YAML(typ="safe", pure=True)
    parser.Resolver = _Resolver
    parser.Constructor = _Constructor
    return parser


def _children(node: nodes.Node) -> list[nodes.Node]:
    if isinstance(node, nodes.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, nodes.SequenceNode):
        return list(node.value)
    return []


def _mark_aliases(root: nodes.Node) -> dict[tuple[int, int], bool]:
    """Which edges (parent id, child index) are aliases, in document order."""
    aliases: dict[tuple[int, int], bool] = {}
    seen: set[int] = set()
    stack = [root]
    seen.add(id(root))
    while stack:
        node = stack.pop()
        for index, child in enumerate(_children(node)):
            alias = id(child) in seen
            aliases[(id(node), index)] = alias
            if not alias:
                seen.add(id(child))
                stack.append(child)
    return aliases


def _expansion(root: nodes.Node) -> tuple[int, int]:
    """``(decodes, aliases)`` yaml.v3 would count decoding the whole document."""
    aliases = _mark_aliases(root)
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def count(node: nodes.Node) -> tuple[int, int]:
        if id(node) in memo:
            return memo[id(node)]
        if id(node) in active:
            raise YamlError("an alias refers to the node that contains it")
        active.add(id(node))
        decodes, alias_count = 1, 0
        for index, child in enumerate(_children(node)):
            child_decodes, child_aliases = count(child)
            extra = 1 if aliases[(id(node), index)] else 0
            decodes += child_decodes + extra
            alias_count += child_aliases + extra
            if decodes > _MAX_DECODES:
                raise YamlError("document contains excessive aliasing")
        active.discard(id(node))
        memo[id(node)] = (decodes, alias_count)
        return memo[id(node)]

    return count(root)


def _allowed_ratio(decodes: int) -> float:
    if decodes <= _RATIO_LOW:
        return 0.99
    if decodes >= _RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decodes - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW)


def _check_aliasing(root: nodes.Node) -> None:
    decodes, alias_count = _expansion(root)
    if (
        alias_count > _MIN_ALIASES
        and decodes > _MIN_DECODES
        and alias_count / decodes > _allowed_ratio(decodes)
    ):
        raise YamlError("document contains excessive aliasing")


def _describe(error: YAMLError) -> str:
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = error.problem or error.context or "not valid YAML"
        duplicate = _DUPLICATE.match(problem)
        if duplicate:
            # Never echo the values: one of them may be a secret.
            problem = f"key {duplicate['key']} is given twice in one mapping"
        elif "another document" in problem:
            problem = "more than one YAML document; the Pulumi CLI reads one"
        return f"{line}{problem}"
    return str(error).splitlines()[0] if str(error) else "not valid YAML"


def _read(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; nothing else is opened."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise YamlError(f"{path.name}: file not found ({path})") from None
    except OSError as error:
        raise YamlError(f"{path.name}: cannot read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(f"{path.name}: is not a regular file; it is not read")
    if info.st_size > MAX_BYTES:
        raise YamlError(f"{path.name}: is {info.st_size} bytes; at most 1 MiB is read")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise YamlError(f"{path.name}: cannot read: {error.strerror}") from None
    if len(data) > MAX_BYTES:  # it grew after the check
        raise YamlError(f"{path.name}: is over 1 MiB; at most 1 MiB is read")
    return data


def _directive_problem(text: str) -> str | None:
    """What yaml.v3 (``parserc.go``) refuses in the directives before ``---``."""
    versions = 0
    for line in text.removeprefix("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith("%"):
            return None
        words = line.split()
        if words[0] == "%YAML":
            versions += 1
            if versions > 1:
                return "found duplicate %YAML directive"
            if words[1:2] != ["1.1"]:
                return (
                    "found incompatible YAML document: the Pulumi CLI reads "
                    "only %YAML 1.1 (with its own rules) or no directive"
                )
        elif words[0] != "%TAG":
            return "found unknown directive name (the CLI takes %YAML and %TAG)"
    return None


def _parse(text: str) -> Any:
    """Compose, check as yaml.v3 would, then construct."""
    parser = _parser()
    # ruamel.yaml warns of a reused anchor with the file's text: never shown.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root = parser.compose(text)
        if root is None:
            return None
        problem = yaml_nodes.problem(root, text, _Implicit)
        if problem:
            raise YamlError(problem)
        _check_aliasing(root)
        return parser.constructor.construct_document(root)


def load(path: Path) -> Any:
    """The first document of ``path`` as plain Python values; None when empty."""
    data = _read(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlError(
            f"{path.name}: is not UTF-8 text (line {line}, byte {error.start})"
        ) from None
    directive = _directive_problem(text) or yaml_nodes.text_problem(text)
    if directive:
        raise YamlError(f"{path.name}: invalid YAML: {directive}")
    try:
        return _parse(text)
    except YamlError as error:
        raise YamlError(f"{path.name}: invalid YAML: {error}") from None
    except YAMLError as error:
        raise YamlError(f"{path.name}: invalid YAML: {_describe(error)}") from None
    except RecursionError:
        raise YamlError(f"{path.name}: invalid YAML: nested too deeply") from None
    except ValueError as error:
        # Python's int() refuses more than 4300 digits (sys.get_int_max_str_digits).
        problem = (
            "a number too long to be a config value"
            if "digits" in str(error)
            else "a value that cannot be read"
        )
        raise YamlError(f"{path.name}: invalid YAML: {problem}") from None


class _ToolConstructor(SafeConstructor):
    """YAML 1.2 safe construction, timestamps kept as their text."""


for _tag in ("timestamp", "value"):  # a plain `=` is YAML 1.1's "value" tag
    _ToolConstructor.add_constructor(
        f"tag:yaml.org,2002:{_tag}", SafeConstructor.construct_yaml_str
    )


def load_all_text(text: str) -> list[Any]:
    """Every document of a YAML 1.2 text (a tool's output) as plain values.

    Raises ``YamlError`` with one line; timestamps stay text.
    """
    parser = YAML(typ="safe", pure=True)
    parser.Constructor = _ToolConstructor
    try:
        return list(parser.load_all(text))
    except YAMLError as error:
        raise YamlError(_describe(error)) from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
