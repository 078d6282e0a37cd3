"""The pulumi-random stand-in: ``RandomPassword`` and ``RandomBytes``.

Values come from ``secrets`` (the OS's random source), as
terraform-provider-random's do from ``crypto/rand``; the ID of both is
``none``, as upstream sets it. A password honours ``length``, the character
classes (``lower``, ``upper``, ``numeric`` or its deprecated alias
``number``, ``special`` with ``overrideSpecial``) and the ``min*`` counts;
``result`` is secret. ``bcryptHash`` is left out: no bcrypt library is
installed, and a hash that does not verify would be worse than none. Bytes
give ``base64`` and ``hex``, both secret. Every input change replaces the
resource (upstream marks each attribute ``RequiresReplace``). An import ID
is the value itself, as upstream imports: a password's ``result``, the
bytes' ``base64``.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import string

import grpc  # type: ignore[import-untyped]

from e2e.standin.lifecycle import Behaviour, Ctx, ProviderError
from e2e.standin.schema import ResourceSchema
from e2e.standin.values import Props

PASSWORD = "random:index/randomPassword:RandomPassword"
BYTES = "random:index/randomBytes:RandomBytes"
# terraform-provider-random's default special characters.
SPECIAL = "!@#$%&*()-_=+[]{}<>:?"
_CLASSES = (
    ("lower", "minLower", string.ascii_lowercase),
    ("upper", "minUpper", string.ascii_uppercase),
    ("numeric", "minNumeric", string.digits),
)


def _flags(inputs: Props) -> Props:
    """The password's settings with upstream's defaults filled in."""
    numeric = inputs.get("numeric", inputs.get("number", True))
    out: Props = {
        "lower": inputs.get("lower", True),
        "upper": inputs.get("upper", True),
        "numeric": numeric,
        "number": numeric,
        "special": inputs.get("special", True),
    }
    for key in ("minLower", "minUpper", "minNumeric", "minSpecial"):
        out[key] = int(inputs.get(key, 0))
    return out


def password(inputs: Props) -> str:
    """A password as terraform-provider-random makes one."""
    flags = _flags(inputs)
    length = int(inputs["length"])
    special = str(inputs.get("overrideSpecial") or SPECIAL)
    classes = [(flag, least, chars) for flag, least, chars in _CLASSES]
    classes.append(("special", "minSpecial", special))
    pool = "".join(chars for flag, _, chars in classes if flags[flag])
    minimum = sum(flags[least] for _, least, _ in classes)
    if length < minimum:
        raise ProviderError(
            f"length ({length}) must be >= min_upper + min_lower + min_numeric + "
            f"min_special ({minimum})",
            grpc.StatusCode.INVALID_ARGUMENT,
        )
    if not pool:
        raise ProviderError("at least one character class must be enabled")
    chars = [secrets.choice(c) for _, least, c in classes for _ in range(flags[least])]
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    for i in range(len(chars) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


class RandomBehaviour(Behaviour):
    """pulumi-random's password and bytes; every change replaces."""

    package = "random"
    import_keeps_id = False

    def computed(self, resource: ResourceSchema, ctx: Ctx) -> Props:
        """A fresh value on create; the old one on an update (never a new one)."""
        if resource.token == PASSWORD:
            result = ctx.stable("result", None) or password(ctx.inputs)
            return {**_flags(ctx.inputs), "result": result}
        if resource.token == BYTES:
            raw = base64.b64decode(ctx.stable("base64", "")) or secrets.token_bytes(
                int(ctx.inputs["length"])
            )
            return {"base64": base64.b64encode(raw).decode(), "hex": raw.hex()}
        return {}

    def resource_id(self, resource: ResourceSchema, ctx: Ctx, outs: Props) -> str:
        """``none``, as upstream sets for both."""
        return "none"

    def parse_id(self, resource: ResourceSchema, resource_id: str) -> Props:
        """The inputs an imported value implies (its length)."""
        if resource.token == PASSWORD:
            return {"length": len(resource_id)}
        if resource.token == BYTES:
            try:
                return {"length": len(base64.b64decode(resource_id, validate=True))}
            except binascii.Error:
                raise ProviderError(
                    f"error decoding ID: {resource_id!r} is not base64"
                ) from None
        return super().parse_id(resource, resource_id)

    def imported(self, resource: ResourceSchema, resource_id: str) -> Props:
        """The imported value: the ID is the password, or the bytes in base64."""
        key = "result" if resource.token == PASSWORD else "base64"
        return {key: resource_id}

    def replaces(self, key: str) -> bool:
        """Every input forces a replacement."""
        return True
