"""Deterministic fake values: addresses, numbers and timestamps from names.

Everything derived from a name is the same on every run, so a stand-in
restarted between two ``pulumi up`` runs answers as the same cloud would.
Addresses come from the documentation ranges of RFC 5737 (203.0.113.0/24 for
reserved addresses, 198.51.100.0/24 for Cloud SQL) and 10.0.0.0/8 for
private ones, so a fake can never be mistaken for a reachable host.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

# The stand-in cloud's epoch: fake creation and upload times count from here.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def digest(*parts: str) -> bytes:
    """SHA-256 of the parts, NUL-separated."""
    return hashlib.sha256("\0".join(parts).encode()).digest()


def number(*parts: str, digits: int) -> str:
    """A decimal number of exactly ``digits`` digits, never starting with 0."""
    value = int.from_bytes(digest(*parts), "big")
    low = 10 ** (digits - 1)
    return str(low + value % (9 * low))


def hexstr(*parts: str, length: int) -> str:
    """``length`` lowercase hex characters."""
    return digest(*parts).hex()[:length]


def ipv4(prefix: str, *parts: str) -> str:
    """An address in ``prefix`` (``203.0.113``), host part 1-254, from the parts."""
    return f"{prefix}.{1 + digest(*parts)[0] % 254}"


def private_ipv4(*parts: str) -> str:
    """A 10.x.y.z address from the parts (host part 1-254)."""
    raw = digest(*parts)
    return f"10.{raw[0]}.{raw[1]}.{1 + raw[2] % 254}"


def rfc3339(moment: datetime, *, fraction: bool = False) -> str:
    """``2026-01-01T00:00:00Z``, or with nanoseconds ``…:00.123456000Z``."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond:06d}000Z" if fraction else "Z")


def timestamp(*parts: str) -> str:
    """A fixed creation time within the stand-in epoch's first year."""
    seconds = int.from_bytes(digest(*parts)[:4], "big") % (365 * 86400)
    return rfc3339(EPOCH + timedelta(seconds=seconds))


def now() -> str:
    """The current time, as Google's APIs write it."""
    return rfc3339(datetime.now(UTC), fraction=True)
