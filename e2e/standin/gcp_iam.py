"""Google service accounts, their keys, and IAM members, as the stand-in fakes them.

A service account's ``email`` is ``ACCOUNT_ID@PROJECT.iam.gserviceaccount.com``
and its ``name`` ``projects/PROJECT/serviceAccounts/EMAIL``; a key's
``privateKey`` is base64 of a service-account credentials JSON whose key
material is the word FAKE (marked secret, as the SDK marks it); an IAM
member's ``etag`` is a fixed fake per binding.
"""

from __future__ import annotations

import base64
import json
import secrets
from urllib.parse import quote

from e2e.standin import fake, ids
from e2e.standin.lifecycle import Ctx
from e2e.standin.values import Props


def _etag(ctx: Ctx) -> str:
    raw = fake.digest(ctx.token, json.dumps(ctx.inputs, sort_keys=True))[:8]
    return "BwY" + base64.b64encode(raw).decode()


def iam_member(ctx: Ctx) -> Props:
    """An IAM member binding's computed ``etag``."""
    return {"etag": _etag(ctx)}


def service_account(ctx: Ctx, given: str) -> str:
    """A service account as ``projects/P/serviceAccounts/EMAIL``, from any form."""
    if given.startswith("projects/"):
        return given
    project = ctx.setting("project")
    email = given if "@" in given else f"{given}@{project}.iam.gserviceaccount.com"
    return f"projects/{project}/serviceAccounts/{email}"


def account(ctx: Ctx) -> Props:
    """A service account's ``email``, ``member``, ``name`` and ``uniqueId``."""
    project = ctx.setting("project")
    account_id = str(ctx.inputs.get("accountId") or ctx.name)
    email = f"{account_id}@{project}.iam.gserviceaccount.com"
    return {
        "accountId": account_id,
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": f"projects/{project}/serviceAccounts/{email}",
        "uniqueId": fake.number(email, digits=21),
        "disabled": False,
    }


def _credentials(account: str, key_id: str) -> str:
    email = ids.last_segment(account)
    project = account.split("/")[1]
    pem = "-----BEGIN PRIVATE KEY-----\nFAKE\n-----END PRIVATE KEY-----\n"
    blob = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": email,
        "client_id": fake.number(email, digits=21),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
        + quote(email),
        "universe_domain": "googleapis.com",
    }
    return base64.b64encode(json.dumps(blob, indent=2).encode()).decode()


def key(ctx: Ctx) -> Props:
    """A key's ``name``, fake ``privateKey`` and certificate (the ID kept on update)."""
    account = service_account(ctx, str(ctx.inputs.get("serviceAccountId", "")))
    known = str(ctx.old.get("name") or ctx.old.get("id") or "")
    key_id = ids.last_segment(known) if "/keys/" in known else secrets.token_hex(20)
    certificate = "-----BEGIN CERTIFICATE-----\nFAKE\n-----END CERTIFICATE-----\n"
    return {
        "name": f"{account}/keys/{key_id}",
        "privateKey": _credentials(account, key_id),
        "publicKey": base64.b64encode(certificate.encode()).decode(),
        "validAfter": ctx.stable("validAfter", fake.rfc3339(fake.EPOCH)),
        "validBefore": "9999-12-31T23:59:59Z",
        "keyAlgorithm": "KEY_ALG_RSA_2048",
        "privateKeyType": "TYPE_GOOGLE_CREDENTIALS_FILE",
        "publicKeyType": "TYPE_X509_PEM_FILE",
    }


def account_from_id(fields: Props) -> Props:
    """An account's import ID fields as inputs: the email gives ``accountId``."""
    return {**fields, "accountId": str(fields.pop("email", "")).split("@")[0]}


def key_from_id(fields: Props) -> Props:
    """A key's import ID fields as inputs: its ``serviceAccountId``."""
    account = f"projects/{fields['project']}/serviceAccounts/{fields['email']}"
    return {"serviceAccountId": account}


def key_id_values(values: Props) -> Props:
    """A key's ID fields, from its ``name``."""
    _, project, _, email, _, key_id = str(values["name"]).split("/")
    return {"project": project, "email": email, "keyId": key_id}
