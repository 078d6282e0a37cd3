"""A manifest object's identity: its kind, namespace, name and API group.

The overlay's objects and the program's records (``resources.yaml``) are
matched and labelled by these; a record is a Kubernetes object when its
inputs carry a ``kind``, else a Google (or other) resource.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

CONFIG_CONNECTOR = ".cnrm.cloud.google.com"
# kustomize's name hash: ten characters of its vowel-free alphabet after a
# dash (kustomize api/hasher, encode).
HASH_SUFFIX = re.compile(r"^(?P<base>.+)-[bcdfghkmt2-9]{10}$")


def is_config_connector(doc: Mapping[str, Any]) -> bool:
    """A Config Connector object, which becomes a native Google resource."""
    group = str(doc.get("apiVersion", "")).split("/")[0]
    return group.endswith(CONFIG_CONNECTOR)


def is_kubernetes_object(record: Mapping[str, Any]) -> bool:
    """A record of the program that is a whole Kubernetes object."""
    return record["type"].startswith("kubernetes:") and "kind" in record["inputs"]


def is_patch(record: Mapping[str, Any]) -> bool:
    """A record that patches fields of an object it does not own."""
    return str(record["type"]).endswith("Patch")


def identity(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    """Kind, namespace (empty if none) and name."""
    meta = doc.get("metadata") or {}
    return doc["kind"], meta.get("namespace") or "", meta.get("name") or ""


def api_group(doc: Mapping[str, Any]) -> str:
    """The API group: ``apps`` of ``apps/v1``, empty for the core group."""
    api_version = str(doc.get("apiVersion", ""))
    return api_version.split("/", maxsplit=1)[0] if "/" in api_version else ""


def label(doc: Mapping[str, Any]) -> str:
    """``Kind namespace/name``, or ``Kind name`` without a namespace."""
    kind, namespace, name = identity(doc)
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def record_label(record: Mapping[str, Any]) -> str:
    """A record's label: its object's, or its type and resource name."""
    if is_kubernetes_object(record):
        return label(record["inputs"])
    return f"{record['type']} {record['name']}"
