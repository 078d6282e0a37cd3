"""Which config keys hold secrets, and that no message shows a secret's value.

Only ``SECRET_KEYS`` and ``SECRET_EDGE_KEYS`` may be ``secure:``, in any
namespace (``pulumi:tags`` too), and they must be. Under ``pulumi up`` the
program sees the decrypted value, so a message that quoted it would print it
in plain text in CI logs: every problem is masked with the secrets' values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from portfolio.settings import validators
from portfolio.settings.model import SECRET_EDGE_KEYS, SECRET_KEYS


def meant(key: str) -> bool:
    """Whether ``key`` is one that holds a secret."""
    return key in SECRET_KEYS or key in SECRET_EDGE_KEYS


# Any run of this many characters of a secret token is masked wherever it
# stands (a prefix pasted into another key too); a shorter secret, or a
# document such as a kubeconfig (whose words are any message's), only where it
# is quoted whole, or messages would lose their words.
MASKED_RUN = 8


# A passphrase or cloud KMS ciphertext (``v1:<base64 12-byte nonce>:<base64>``,
# pulumi/pulumi sdk/go/common/resource/config/crypt.go), wherever it was pasted.
_CIPHERTEXT = re.compile(r"v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{4,}={0,2}")


def without_ciphertexts(text: str) -> str:
    """``text`` with every ``v1:`` Pulumi ciphertext in it shown as ``[ciphertext]``."""
    return _CIPHERTEXT.sub("[ciphertext]", text)


def masked(message: str, secret_values: list[str]) -> str:
    """``message`` with no secret's value, or a run of it, in it."""
    for value in secret_values:
        message = hidden(message, value, secret=True)
    runs = {
        value[i : i + MASKED_RUN]
        for value in secret_values
        if not any(c.isspace() for c in value)  # a token, not a document
        for i in range(len(value) - MASKED_RUN + 1)
    }
    covered = [False] * len(message)
    for start in range(len(message) - MASKED_RUN + 1):
        if message[start : start + MASKED_RUN] in runs:
            covered[start : start + MASKED_RUN] = [True] * MASKED_RUN
    shown, index = [], 0
    while index < len(message):
        if not covered[index]:
            shown.append(message[index])
            index += 1
            continue
        shown.append("its value")
        while index < len(message) and covered[index]:
            index += 1
    return "".join(shown)


_NOT_SECRET = "is a secret (secure:) but holds no secret: set it in plain text"
_NOT_PLAIN = (
    "is a plain value; set it with pulumi config set --secret "
    "(and rotate it: it has been stored in clear)"
)


def problems(given: Mapping[str, str], secret: set[str]) -> list[tuple[str, str]]:
    """Only the secret keys may be secrets (in any namespace), and they must be.

    Nor may a plain value hold a secret's value (or, offline, its ciphertext):
    the engine would store it in clear.
    """
    unmeant = [(key, _NOT_SECRET) for key in secret if not meant(key)]
    plain = [
        (key, _NOT_PLAIN)
        for key, text in given.items()
        if meant(key) and text and key not in secret
    ]
    values = {key: given[key] for key in secret if meant(key) and key in given}
    pasted = [
        (key, f"holds the value of the secret {name}; it would be stored in clear")
        for key, text in given.items()
        if key not in secret
        for name, value in sorted(values.items())
        if value and _holds(text, value)
    ]
    return sorted(unmeant + plain + pasted)


def _holds(text: str, value: str) -> bool:
    """Whether a plain value holds a secret: whole, or inside it when not short.

    A list or map reaches the program as JSON, the secret in it escaped.
    """
    if text == value:
        return True
    if len(value) < MASKED_RUN:
        return False
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]
    go = escaped.replace("<", "\\u003c").replace(">", "\\u003e")
    return any(form in text for form in (value, escaped, go.replace("&", "\\u0026")))


def hidden(message: str, value: str, secret: bool) -> str:
    """``message`` without the value, when the value is a secret."""
    if not secret or not value:
        return message
    message = message.replace(validators.shown(value), "its value")
    return message.replace(value, "its value") if len(value) >= MASKED_RUN else message
