"""Kubernetes quantities (``100m``, ``256Mi``): which are valid, and their sizes.

``portfolio.settings.fields`` runs ``quantity`` as a pydantic check;
``portfolio.settings.rules`` compares requests with limits by ``to_number``.
"""

from __future__ import annotations

import re
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
    Underflow,
    localcontext,
)

from portfolio.settings.validators import shown

# Kubernetes resource.Quantity: a signed decimal number with an optional binary
# (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
_QUANTITY = re.compile(
    r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$",
    re.ASCII,  # \d and \w: ASCII only, as every API here reads them
)
# k8s.io/apimachinery pkg/api/resource/quantity.go (type Quantity, ParseQuantity):
# parsing caps a binary-suffixed quantity at 2^63-1 and rounds one finer than 1n
# up, silently; the int64 accessors the scheduler and kubelet use overflow above
# 2^63-1. So a quantity here is at most 2^63-1 and a whole number of nano-units.
QUANTITY_MAX = Decimal(2**63 - 1)
QUANTITY_STEP = Decimal("1e-9")
# Exact or refused: a product rounded to 28 digits, or one below the default
# exponent range, would slip past the bounds (a quantity has at most 64
# characters, so 200 digits always do).
_EXACT = Context(
    prec=200,
    Emin=MIN_EMIN,
    Emax=MAX_EMAX,
    traps=[Inexact, InvalidOperation, Overflow, Underflow],
)
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}


def quantity(value: str) -> str:
    """Accept a non-negative Kubernetes quantity such as ``100m``, ``256Mi`` or ``1``.

    The API server refuses negative requests and limits
    (``ValidateNonnegativeQuantity``); see ``QUANTITY_MAX`` for the rest.
    """
    number = to_number(value)
    if number < 0:
        raise ValueError(
            f"{shown(value)} is negative; requests and limits are at least 0"
        )
    if number > QUANTITY_MAX:
        raise ValueError(
            f"{shown(value)} is over 2^63-1, the most a Kubernetes quantity holds "
            "(the API would cap it or overflow)"
        )
    with localcontext(_EXACT):  # at most 2^63-1 here: the remainder is exact
        finer = number % QUANTITY_STEP != 0
    if finer:
        raise ValueError(
            f"{shown(value)} is finer than 1n (1e-9), the least step of a "
            "Kubernetes quantity (the API would round it up)"
        )
    return value


def cpu(value: str) -> str:
    """A CPU request or limit: a quantity above 0 (a limit of 0 is no limit)."""
    if to_number(quantity(value)) == 0:
        raise ValueError(f"{shown(value)} is 0: give the container some CPU")
    return value


# Below a million bytes a memory size is a unit mistake (256m is 0.256 bytes,
# 512 is 512 bytes): no container starts in it.
MEMORY_MIN = _DECIMAL["M"]


def memory(value: str) -> str:
    """A memory request or limit: at least 1M (10^6 bytes)."""
    number = to_number(quantity(value))
    if number < MEMORY_MIN:
        raise ValueError(
            f"{shown(value)} is {number.normalize():f} bytes, too little for any "
            "container (m is milli: did you mean Mi?)"
        )
    return value


def to_number(value: str) -> Decimal:
    """Return the size a quantity stands for, so requests and limits compare."""
    match = _QUANTITY.fullmatch(value)  # "$" alone would allow a final newline
    if match is None:
        problem = "is not a Kubernetes quantity (examples: 100m, 0.5, 256Mi, 1Gi)"
        raise ValueError(f"{shown(value)} {problem}")
    number = Decimal(match["number"])
    suffix = match["suffix"] or ""
    with localcontext(_EXACT):
        try:
            if suffix in _BINARY:
                return number * _BINARY[suffix]
            if suffix in _DECIMAL:
                return number * _DECIMAL[suffix]
            return number * Decimal(10) ** int(suffix[1:])
        except (ArithmeticError, ValueError):  # an exponent beyond any range
            raise ValueError(
                f"{shown(value)} is out of a Kubernetes quantity's range"
            ) from None
