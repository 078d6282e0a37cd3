"""Plain YAML scalars as the Pulumi CLI's parser (Go ``gopkg.in/yaml.v3``) reads them.

yaml.v3 ``resolve.go`` (``resolve``), checked against the real CLI 3.274.0
with ``pulumi config --json`` (docs/design.md, "Stack files"):

- ``null``/``~``/empty, ``true``/``false`` in three spellings, ``.inf``/``.nan``
  come from a fixed table; ``yes``, ``on``, ``<<`` (as a value) are text;
- a scalar starting with a digit or a sign is a time when it parses as one,
  else an integer by Go's ``strconv.ParseInt(s, 0, 64)`` once every ``_`` is
  removed (so ``017`` is octal 15, ``0x1F`` and ``0B101`` count too), else an
  unsigned one, else a float when it looks like one and is finite, else text;
- a scalar starting with ``.`` is a float when Go parses it, else text.

A time is refused (``GO_TIME``): the CLI hands the program Go's spelling of it
(``2001-12-14 00:00:00 +0000 UTC``), which nobody means.
"""

from __future__ import annotations

import math
import re

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
STR = "tag:yaml.org,2002:str"
GO_TIME = "tag:yaml.org,2002:timestamp"

_INFINITIES = [f"{sign}.{w}" for sign in ("", "+", "-") for w in ("inf", "Inf", "INF")]
_TABLE = {
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], NULL),
    **dict.fromkeys(["true", "True", "TRUE", "false", "False", "FALSE"], BOOL),
    **dict.fromkeys(_INFINITIES, FLOAT),
    **dict.fromkeys([".nan", ".NaN", ".NAN"], FLOAT),
}
# yaml.v3's allowedTimestampFormats, loosely: a refusal may cover a little more.
_TIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?", re.DOTALL)
# yaml.v3's yamlStyleFloat.
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NUMBER_START = re.compile(r"[0-9+-]")
# strconv.ParseFloat on a scalar starting with ".": underscores between digits.
_DOT_FLOAT = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")
_DIGITS = {16: "[0-9a-fA-F]+", 10: "[0-9]+", 8: "[0-7]+", 2: "[01]+"}
_PREFIXES = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}


def go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, else ``ParseUint``; None if neither."""
    sign = text[:1] if text[:1] in ("+", "-") else ""
    body = text[len(sign) :]
    base = _PREFIXES.get(body[:2])
    if base is not None:
        body = body[2:]
    elif body.startswith("0") and len(body) > 1:
        base, body = 8, body[1:]
    else:
        base = 10
    if not re.fullmatch(_DIGITS[base], body, re.ASCII):
        return None
    value = int(body, base) * (-1 if sign == "-" else 1)
    if -(2**63) <= value < 2**63 or (not sign and value < 2**64):
        return value
    return None


def go_float(text: str) -> float | None:
    """``strconv.ParseFloat`` on a YAML-style float; None if it overflows."""
    value = float(text)
    return value if math.isfinite(value) else None


def tag_of(value: str) -> str:
    """The tag yaml.v3 gives a plain scalar."""
    if value in _TABLE:
        return _TABLE[value]
    if value[:1] == ".":
        fine = _DOT_FLOAT.fullmatch(value) and go_float(value) is not None
        return FLOAT if fine else STR
    return _number_tag(value) if _NUMBER_START.match(value) else STR


def _number_tag(value: str) -> str:
    """A scalar starting with a digit or a sign: a time, a number or text."""
    if _TIME.fullmatch(value):
        return GO_TIME
    plain = value.replace("_", "")
    if go_int(plain) is not None:
        return INT
    fine = _FLOAT.fullmatch(plain) and go_float(plain) is not None
    return FLOAT if fine else STR


def construct(tag: str, value: str) -> int | float:
    """The number a scalar tagged ``INT`` or ``FLOAT`` stands for, as Go reads it."""
    plain = value.replace("_", "")
    if tag == INT:
        number: int | float | None = go_int(plain)
    elif value in _TABLE:  # .inf, -.Inf, .NaN: Python spells them without the dot
        number = float(value.replace(".", "", 1))
    elif _FLOAT.fullmatch(plain):
        number = go_float(plain)
    else:
        number = None
    if number is None:
        raise ValueError(f"not a number yaml.v3 reads as {tag.rsplit(':', 1)[-1]}")
    return number
