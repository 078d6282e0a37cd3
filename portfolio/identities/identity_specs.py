"""Pure builders of the Google identities: roles, IAM members, the pull secret."""

from __future__ import annotations

import base64
import json

READER_ROLE = "roles/artifactregistry.reader"
SQL_CLIENT_ROLE = "roles/cloudsql.client"
WORKLOAD_IDENTITY_ROLE = "roles/iam.workloadIdentityUser"
# Artifact Registry's username for a service-account JSON key.
JSON_KEY_USER = "_json_key"


def service_account_member(email: str) -> str:
    """An IAM member string for a Google service account."""
    return f"serviceAccount:{email}"


def workload_identity_member(project: str, namespace: str, service_account: str) -> str:
    """The IAM member a Kubernetes ServiceAccount acts as under Workload Identity."""
    return f"serviceAccount:{project}.svc.id.goog[{namespace}/{service_account}]"


def dockerconfigjson(server: str, json_key: str) -> str:
    """A ``.dockerconfigjson`` that logs in to ``server`` with a JSON key.

    ``json.dumps`` escapes the key's quotes and newlines, which string
    formatting would not.
    """
    auth = base64.b64encode(f"{JSON_KEY_USER}:{json_key}".encode()).decode()
    entry = {"username": JSON_KEY_USER, "password": json_key, "auth": auth}
    return json.dumps({"auths": {server: entry}}, sort_keys=True)
