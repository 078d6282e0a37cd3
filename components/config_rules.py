"""Rules that read one config value into a setting, or say what is wrong with it.

``components.settings`` declares each setting as a field of a frozen dataclass
whose metadata holds its ``Rule``; ``components.parsing`` applies them. A rule
says whether it takes the config string as it is (``text``) or as JSON (numbers,
booleans, lists: Pulumi passes every non-string value as JSON), and raises
``RuleError`` with a message a person can act on, located inside a list or map by
``path``. Types are strict: ``true`` is not a number and ``3`` is not a string.

(These were pydantic models; importing pydantic and building the models was
about 60 ms of every renderer process's start, so ``make bench`` missed its
targets: see README, "Speed".)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from components import validators
from components.validators import shown

Check = Callable[[str], str]
"""A validator of ``components.validators``: the value, maybe normalised
(``ipv4_cidr`` writes ``10.0.0.0/255.0.0.0`` as ``10.0.0.0/8``), or
``ValueError`` with the problem."""


class RuleError(ValueError):
    """A value a rule refuses; ``path`` is where inside a list or map."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)

    def within(self, *outer: str | int) -> RuleError:
        """The same problem, seen from the list or map that holds the value."""
        return RuleError(self.message, (*outer, *self.path))


class SecretStr:
    """A secret setting: ``repr`` and ``str`` hide it; ``get_secret_value`` reads it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """The secret itself."""
        return self._value

    def __repr__(self) -> str:
        """Stars, never the secret."""
        return "SecretStr('**********')"

    def __str__(self) -> str:
        """Stars, never the secret."""
        return "**********"

    def __eq__(self, other: object) -> bool:
        """Secrets are equal when their values are."""
        return isinstance(other, SecretStr) and other._value == self._value

    def __hash__(self) -> int:
        """Hash of the value, so equal secrets hash alike."""
        return hash(self._value)


@dataclass(frozen=True)
class Rule:
    """How one setting is read from its config value."""

    read: Callable[[Any], Any]
    text: bool = False
    """Takes the config string as it is; otherwise the string is JSON."""
    expected: str = ""
    """What the JSON should be, for a value that is not JSON at all."""
    secret: bool = False
    """The value must be a Pulumi secret (``pulumi config set --secret``)."""


def text(
    *checks: Check,
    pattern: str | None = None,
    min_length: int = 0,
    max_length: int | None = None,
    empty_is_none: bool = False,
) -> Rule:
    """A string, as it is; ``pattern`` must match all of it.

    ``empty_is_none``: an optional key declares ``default: ""``; empty means not set.
    """
    compiled = re.compile(pattern) if pattern else None

    def read(given: Any) -> str | None:
        value = _string(given)
        if empty_is_none and value == "":
            return None
        if len(value) < min_length:
            raise RuleError(
                "must not be empty"
                if min_length == 1
                else f"must have at least {min_length} characters"
            )
        if max_length is not None and len(value) > max_length:
            raise RuleError(f"must have at most {max_length} characters")
        if compiled and not compiled.fullmatch(value):
            raise RuleError(f"{shown(value)} should match pattern '{pattern}'")
        checked: str = _checked(value, checks)
        return checked

    return Rule(read, text=True)


def choice(*options: str) -> Rule:
    """One of ``options``, exactly."""

    def read(value: Any) -> str:
        if _string(value) not in options:
            raise RuleError(f"{shown(value)} is not one of {', '.join(options)}")
        return str(value)

    return Rule(read, text=True)


def integer(minimum: int, maximum: int) -> Rule:
    """A whole number from ``minimum`` to ``maximum``."""

    def read(value: Any) -> int:
        number = whole_number(value)
        if number < minimum:
            raise RuleError(f"{number} is below the minimum, {minimum}")
        if number > maximum:
            raise RuleError(f"{number} is above the maximum, {maximum}")
        return number

    return Rule(read, expected="a whole number")


def whole_number(value: Any) -> int:
    """``value`` if it is an int (``true`` is not), else ``RuleError``."""
    if type(value) is not int:
        raise RuleError(f"{shown(value)} is not a whole number")
    return value


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise RuleError(f"{shown(value)} is not true or false")
    return value


BOOLEAN = Rule(_boolean, expected="true or false")


def secret(*, optional: bool) -> Rule:
    """A secret string; ``optional``: empty means not set (generate one)."""

    def read(given: Any) -> SecretStr | None:
        value = _string(given)
        if not value:
            if optional:
                return None
            raise RuleError("must not be empty")
        return SecretStr(value)

    return Rule(read, text=True, secret=True)


def items(item: Rule, *, unique: bool = True) -> Rule:
    """A list, each item read by ``item``; ``unique``: none given twice."""

    def read(value: Any) -> list[Any]:
        values = [
            _within(item.read, entry, index) for index, entry in enumerate(_list(value))
        ]
        return _checked(values, [validators.unique]) if unique else values

    return Rule(read, expected="a list")


def pairs(
    *, key: Check, value: Check | None = None, non_empty: str | None = None
) -> Rule:
    """``["key=value", ...]``, kustomize's literal form, as a dict.

    Each key passes ``key`` and each value ``value``; ``non_empty`` is the
    problem with an empty list, if that is one.
    """

    def read(given: Any) -> dict[str, str]:
        result = key_values(given, key)
        if value is not None:
            result = {
                name: _within(lambda v: _checked(v, [value]), entry, name)
                for name, entry in result.items()
            }
        if non_empty and not result:
            raise RuleError(non_empty)
        return result

    return Rule(read, expected="a list")


def key_values(given: Any, key: Check) -> dict[str, str]:
    """``["key=value", ...]`` as a dict; no key twice, each passing ``key``."""
    result: dict[str, str] = {}
    for index, item in enumerate(_list(given)):
        if not isinstance(item, str):
            raise RuleError(f"{shown(item)} is not a key=value string", (index,))
        name, sep, entry = item.partition("=")
        if not sep:
            raise RuleError(f"{shown(item)} is not of the form key=value", (index,))
        if name in result:
            raise RuleError(f"{shown(name)} is given twice", (index,))
        result[_within(lambda n: _checked(n, [key]), name, index)] = entry
    return result


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise RuleError(f"{shown(value)} is not a string")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise RuleError(f"{shown(value)} is not a list")
    return value


def _checked(value: Any, checks: Sequence[Callable[[Any], Any]]) -> Any:
    """``value`` through every check in turn; a ``ValueError`` is ``RuleError``."""
    for check in checks:
        try:
            value = check(value)
        except RuleError:
            raise
        except ValueError as error:
            raise RuleError(str(error)) from None
    return value


def _within(read: Callable[[Any], Any], value: Any, where: str | int) -> Any:
    try:
        return read(value)
    except RuleError as error:
        raise error.within(where) from None
