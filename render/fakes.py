"""The fake cloud the mock engine deploys into: deterministic, obviously fake.

Every resource's state is its inputs plus the fields its provider would
compute (emails, keys, names), made up from the inputs so that renders are
byte-identical between runs. Nothing here is a real credential.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from typing import Any

import pulumi

# The type token of pulumi-gcp's ``compute.Address`` and the token of
# ``artifactregistry.get_docker_image``, as the generated code sends them.
ADDRESS_TYPE = "gcp:compute/address:Address"
GET_DOCKER_IMAGE = "gcp:artifactregistry/getDockerImage:getDockerImage"

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


def _fake_instance(inputs: dict[str, Any]) -> dict[str, Any]:
    name = f"{inputs['project']}:{inputs['region']}:{inputs['name']}"
    return {"connectionName": name, "publicIpAddress": fake_address(name)}


def fake_address(name: str) -> str:
    """An address in TEST-NET-2 (RFC 5737, documentation only), made from a name."""
    return f"198.51.100.{int(hashlib.sha256(name.encode()).hexdigest(), 16) % 254 + 1}"


def _fake_ingress_address(inputs: dict[str, Any]) -> dict[str, Any]:
    return {"address": fake_address(str(inputs["name"]))}


# Generated values are plainly fake, and secrets in the program, so never shown.
FAKE_GENERATED_MARKER = "FAKE-GENERATED"


def _generated(inputs: dict[str, Any], name: str) -> str:
    """A fake value per resource and inputs: new keepers give a new value."""
    canonical = json.dumps(inputs, sort_keys=True, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    return f"{FAKE_GENERATED_MARKER}-{name}-{digest}"


def _fake_password(inputs: dict[str, Any], name: str) -> dict[str, Any]:
    value = _generated(inputs, name)
    return {"result": value, "bcryptHash": f"$2a$10$FAKE-BCRYPT-{name}"}


def _fake_bytes(inputs: dict[str, Any], name: str) -> dict[str, Any]:
    raw = _generated(inputs, name).encode()
    return {"hex": raw.hex(), "base64": base64.b64encode(raw).decode()}


# A stand-in digest is 24 zero hex digits, then 40 from the image reference: a
# real sha256 starts so with odds of 1 in 2**96, so a stand-in is recognisable.
STAND_IN_DIGEST_PREFIX = "sha256:" + "0" * 24
STACK_REFERENCE = "pulumi:pulumi:StackReference"
# What the provider says when no image has the tag (terraform-provider-google,
# data_source_artifact_registry_docker_image.go, retrieveAndFilterImages).
IMAGE_NOT_FOUND = "Requested image was not found."


def stand_in_digest(reference: str) -> str:
    """The digest the fake registry says ``reference`` (image:tag) points at."""
    derived = hashlib.sha256(f"stand-in for {reference}".encode()).hexdigest()
    return STAND_IN_DIGEST_PREFIX + derived[:40]


def image_reference(args: Mapping[str, Any]) -> str:
    """The ``LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/NAME:TAG`` a lookup asks for."""
    return (
        f"{args['location']}-docker.pkg.dev/{args['project']}/"
        f"{args['repositoryId']}/{args['imageName']}"
    )


# Outputs the Google provider computes, keyed by type token.
_COMPUTED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gcp:serviceaccount/account:Account": _fake_account,
    "gcp:serviceaccount/key:Key": _fake_key,
    "gcp:sql/databaseInstance:DatabaseInstance": _fake_instance,
    ADDRESS_TYPE: _fake_ingress_address,
}
# Generated values, made from the resource's name and inputs, so a changed
# keeper (a rotation) gives a new value, as the real provider would.
_GENERATED: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "random:index/randomPassword:RandomPassword": _fake_password,
    "random:index/randomBytes:RandomBytes": _fake_bytes,
}


class FakeCloud(pulumi.runtime.Mocks):
    """Echo inputs back as state, plus the fields the providers would compute.

    ``missing_images`` are image references (``…/NAME:TAG``) the fake registry
    has no image for; ``stacks`` answers a stack reference with that stack's
    outputs, or raises ``LookupError`` for a stack that was never deployed.
    """

    def __init__(
        self,
        *,
        missing_images: Collection[str] = (),
        stacks: Callable[[str], Mapping[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self._missing_images = frozenset(missing_images)
        self._stacks = stacks

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, Any]]:
        """Return a deterministic id and the inputs, with computed outputs added."""
        if args.typ == STACK_REFERENCE:
            return self._stack_reference(str(args.inputs["name"]))
        metadata = args.inputs.get("metadata")
        if args.typ.startswith("kubernetes:") and isinstance(metadata, dict):
            namespace = metadata.get("namespace")
            name = metadata.get("name", args.name)
            return (f"{namespace}/{name}" if namespace else str(name)), args.inputs
        if args.resource_id and args.typ == ADDRESS_TYPE:  # a read, by its ID
            name = args.resource_id.rsplit("/", 1)[-1]
            return args.resource_id, {
                "name": name,
                **_fake_ingress_address({"name": name}),
            }
        computed = _COMPUTED.get(args.typ)
        state = {**args.inputs, **(computed(args.inputs) if computed else {})}
        generated = _GENERATED.get(args.typ)
        if generated:
            state.update(generated(args.inputs, args.name))
        return f"{args.name}-id", state

    def _stack_reference(self, name: str) -> tuple[str, dict[str, Any]]:
        if self._stacks is None:
            raise LookupError(f"stack {name} was never deployed")
        outputs = dict(self._stacks(name))
        return name, {"name": name, "outputs": outputs, "secretOutputNames": []}

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        """Answer an image lookup with a stand-in digest, or as not found."""
        if args.token != GET_DOCKER_IMAGE:
            raise NotImplementedError(f"unexpected call to {args.token}")
        reference = image_reference(args.args)
        if reference in self._missing_images:
            return {}, [("imageName", IMAGE_NOT_FOUND)]
        name, _, tag = reference.rpartition(":")
        return {
            **args.args,
            "selfLink": f"{name}@{stand_in_digest(reference)}",
            "tags": [tag],
        }
