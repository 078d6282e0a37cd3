"""Kubernetes objects: the program's counterpart of each, and what differs.

Objects match by API group, kind, namespace and name; a generator's
hash-suffixed ConfigMap or Secret (``portfolio-config-<hash>``) matches its
fixed-name counterpart. Which differences force a replacement is
pulumi-kubernetes' rule (``KUBERNETES_FORCE_NEW``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migration.changes import Change, Matched
from migration.fields import ABSENT, SECRET_VALUE, covered, leaves
from migration.objects import HASH_SUFFIX, api_group, identity, is_patch, label

GENERATED_KINDS = {"ConfigMap", "Secret"}

# pulumi-kubernetes provider/pkg/provider/diff.go: the fields whose change
# replaces the object (besides its name and namespace). ConfigMap and Secret
# data are replaced only when not mutable; the program's provider makes both
# mutable (portfolio/providers.py), which leaves a Secret's type.
KUBERNETES_FORCE_NEW: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec.selector",),
    "Service": ("spec.clusterIP",),
    "Secret": ("type",),
}


def kubernetes_counterpart(
    doc: dict[str, Any], kubernetes: list[dict[str, Any]], used: set[str]
) -> dict[str, Any] | None:
    """The program's object of the same group, kind, namespace and name.

    A generator's hash-named object matches its fixed-name counterpart only
    when no object has its exact name.
    """
    by_key = {
        (api_group(r["inputs"]), *identity(r["inputs"])): r
        for r in kubernetes
        if not is_patch(r) and r["urn"] not in used
    }
    group = api_group(doc)
    kind, namespace, name = identity(doc)
    if (group, kind, namespace, name) in by_key:
        return by_key[(group, kind, namespace, name)]
    hashed = HASH_SUFFIX.match(name)
    if kind in GENERATED_KINDS and hashed:
        return by_key.get((group, kind, namespace, hashed["base"]))
    return None


def compare_kubernetes(
    doc: dict[str, Any], record: dict[str, Any], adopting: bool
) -> Matched:
    """The overlay's object beside the program's, field by field."""
    mine = record["inputs"]
    kind = doc["kind"]
    ignored = tuple(record["options"].get("ignoreChanges", []))
    theirs_leaves = dict(leaves(_comparable(doc)))
    mine_leaves = dict(leaves(_comparable(mine)))
    changes = []
    # A hash-named object is not taken over: the program's is a new one.
    same_object = identity(doc) == identity(mine)
    for path in sorted(set(theirs_leaves) | set(mine_leaves)):
        before = theirs_leaves.get(path, ABSENT)
        after = mine_leaves.get(path, ABSENT)
        if before == after or covered(path, ignored):
            continue
        forces = same_object and covered(path, KUBERNETES_FORCE_NEW.get(kind, ()))
        changes.append(Change(path, before, after, forces_replacement=forces))
    if adopting and same_object and "import" not in record["options"]:
        note = "exists under this name but is not adopted: creating it fails"
        name = identity(doc)[2]
        changes.insert(0, Change("metadata.name", name, name, note=note))
    if not same_object:
        note = "a new object under the fixed name, beside the hash-named one"
        changes.insert(
            0, Change("metadata.name", identity(doc)[2], identity(mine)[2], note=note)
        )
    return Matched(label(mine), changes)


def _comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The object without its name, and a Secret's values as keys only."""
    doc = dict(doc)
    meta = dict(doc.get("metadata") or {})
    meta.pop("name", None)
    doc["metadata"] = meta
    if doc.get("kind") == "Secret":
        keys = {**(doc.pop("data", None) or {}), **(doc.pop("stringData", None) or {})}
        doc["data"] = dict.fromkeys(keys, SECRET_VALUE)
        doc.setdefault("type", "Opaque")  # the API server's default
        # An annotation such as last-applied-configuration can hold the data.
        if meta.get("annotations"):
            meta["annotations"] = dict.fromkeys(meta["annotations"], SECRET_VALUE)
    return doc
