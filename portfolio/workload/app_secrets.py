"""``AppSecrets``: the app's generated secrets, kept only in Pulumi state.

- ``NEXTAUTH_SECRET``: generated per stack unless ``nextauthSecret`` sets it;
  changing ``nextauthSecretRotation`` generates a new one (the keeper replaces
  the generator; the Secret is updated in place and the pods roll).
- The checksum key: random bytes that key the pod template's checksums, so an
  annotation changes whenever config or secrets do but cannot be checked
  against a guessed secret (``portfolio.workload.app_specs.checksum``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_random as random
from pulumi_random import RandomBytes, RandomPassword
from pydantic import SecretStr

TYPE_TOKEN = "portfolio:index:AppSecrets"
# 48 letters and digits: about 285 bits, above NextAuth's advice of 32 bytes.
NEXTAUTH_SECRET_LENGTH = 48
CHECKSUM_KEY_BYTES = 32


@dataclass(frozen=True)
class AppSecretsArgs:
    """The configured NEXTAUTH_SECRET, its rotation, and the provider."""

    nextauth_secret: SecretStr | None
    """``portfolio:nextauthSecret`` (a secret); None: a generated one."""
    rotation: str
    """``portfolio:nextauthSecretRotation``: a new value generates a new one."""
    provider: random.Provider


class AppSecrets(pulumi.ComponentResource):
    """NEXTAUTH_SECRET and the checksum key, both secrets."""

    nextauth_secret: pulumi.Output[str]
    checksum_key: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: AppSecretsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Register the generators as ``<name>-nextauth-secret``/``-checksum-key``."""
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        if args.nextauth_secret is not None:
            nextauth = pulumi.Output.from_input(args.nextauth_secret.get_secret_value())
        else:
            nextauth = RandomPassword(
                f"{name}-nextauth-secret",
                length=NEXTAUTH_SECRET_LENGTH,
                special=False,
                keepers={"rotation": args.rotation},
                opts=child,
            ).result
        key = RandomBytes(f"{name}-checksum-key", length=CHECKSUM_KEY_BYTES, opts=child)
        self.nextauth_secret = pulumi.Output.secret(nextauth)
        self.checksum_key = pulumi.Output.secret(key.hex)
        self.register_outputs(
            {"nextauthSecret": self.nextauth_secret, "checksumKey": self.checksum_key}
        )
