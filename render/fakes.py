"""The fake cloud the mock engine deploys into: deterministic, obviously fake.

Every resource's state is its inputs plus the fields its provider would
compute (emails, keys, names), made up from the inputs so that renders are
byte-identical between runs. Nothing here is a real credential.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pulumi

# An obviously fake service-account key: the shape of a real one, no real key.
FAKE_KEY_MARKER = "FAKE-KEY-FROM-THE-MOCK-ENGINE"


def _fake_key(inputs: dict[str, Any]) -> dict[str, Any]:
    account = str(inputs.get("serviceAccountId", ""))
    email = account.rsplit("/", 1)[-1]
    key = {
        "type": "service_account",
        "client_email": email,
        "private_key_id": "0" * 40,
        "private_key": f"-----BEGIN PRIVATE KEY-----\n{FAKE_KEY_MARKER}\n"
        "-----END PRIVATE KEY-----\n",
    }
    encoded = base64.b64encode(json.dumps(key).encode()).decode()
    return {"privateKey": encoded, "name": f"{account}/keys/{'0' * 40}"}


def _fake_account(inputs: dict[str, Any]) -> dict[str, Any]:
    email = f"{inputs['accountId']}@{inputs['project']}.iam.gserviceaccount.com"
    return {
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": f"projects/{inputs['project']}/serviceAccounts/{email}",
        "uniqueId": "100000000000000000000",
    }


# Outputs the Google provider computes, keyed by type token.
_COMPUTED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gcp:serviceaccount/account:Account": _fake_account,
    "gcp:serviceaccount/key:Key": _fake_key,
}


class FakeCloud(pulumi.runtime.Mocks):
    """Echo inputs back as state, plus the fields the providers would compute."""

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        """Return a deterministic id and the inputs, with computed outputs added."""
        metadata = args.inputs.get("metadata")
        if args.typ.startswith("kubernetes:") and isinstance(metadata, dict):
            namespace = metadata.get("namespace")
            name = metadata.get("name", args.name)
            return (f"{namespace}/{name}" if namespace else str(name)), args.inputs
        computed = _COMPUTED.get(args.typ)
        state = {**args.inputs, **(computed(args.inputs) if computed else {})}
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        """The program makes no provider function calls."""
        raise NotImplementedError(f"unexpected call to {args.token}")
