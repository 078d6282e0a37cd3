"""Config Connector objects: the program's Google resource for each, and what differs.

A CC object matches the resource of its pulumi-gcp type and Google name
(``google_kinds.GOOGLE_KINDS``). A reference (``instanceRef.name``) is
compared by the Google name it resolves to in the overlay; a sensitive field
is never compared or printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from migration.changes import Change, Matched
from migration.fields import ABSENT, SECRET_VALUE, leaves, value_at
from migration.google_kinds import GOOGLE_KINDS, REFERENCE_KINDS, GoogleKind
from migration.objects import is_config_connector, label

# Fields whose values are never compared or shown, at any depth.
_SENSITIVE = re.compile(r"(?i)password|secret|token|privatekey|credential")


def _google_name(doc: Mapping[str, Any], kind: GoogleKind) -> str:
    spec = doc.get("spec") or {}
    if kind.name_from_spec is not None:
        return str(spec.get(kind.name_from_spec, ""))
    return str(spec.get("resourceID") or doc["metadata"]["name"])


def config_connector_names(kustomize: list[dict[str, Any]]) -> dict[str, str]:
    """Each CC object's metadata.name -> its Google name, for resolving refs."""
    names = {}
    for doc in kustomize:
        kind = GOOGLE_KINDS.get(doc["kind"])
        if is_config_connector(doc) and kind is not None:
            names[f"{doc['kind']}/{doc['metadata']['name']}"] = _google_name(doc, kind)
    return names


def google_counterpart(
    doc: dict[str, Any], google: list[dict[str, Any]], used: set[str]
) -> dict[str, Any] | None:
    """The program's resource of the CC object's type and Google name.

    A record set is also matched on its record type, as its ID is.
    """
    kind = GOOGLE_KINDS.get(doc["kind"])
    if kind is None:
        return None
    wanted = _google_name(doc, kind)
    record_type = (doc.get("spec") or {}).get("type")
    for record in google:
        if record["urn"] in used or record["type"] != kind.type:
            continue
        if _record_google_name(record, kind) != wanted:
            continue
        if kind.name_from_spec and record["inputs"].get("type") != record_type:
            continue
        return record
    return None


def _record_google_name(record: Mapping[str, Any], kind: GoogleKind) -> str:
    if "id" in record["options"]:  # read, not managed: the ID's last part
        return str(record["options"]["id"]).rsplit("/", 1)[-1]
    return str(record["inputs"].get(kind.name_input, ""))


def compare_google(
    doc: dict[str, Any], record: dict[str, Any], cc_names: Mapping[str, str]
) -> Matched | None:
    """The CC object's spec beside the resource's inputs; None for a read one."""
    kind = GOOGLE_KINDS[doc["kind"]]
    doc_label = label(doc)
    if "id" in record["options"]:
        return None  # read from its owner stack: not this stack's to take over
    inputs = record["inputs"]
    spec = doc.get("spec") or {}
    changes = []
    for path, before in leaves(spec):
        if path in ("", "resourceID", kind.name_from_spec):
            continue
        change = _google_change(path, before, inputs, kind, cc_names)
        if change is not None and change not in changes:
            changes.append(change)
    changes += _unset_in_overlay(spec, inputs, kind)
    return Matched(f"{doc_label} -> {record['type']} {record['name']}", changes)


def _unset_in_overlay(
    spec: Mapping[str, Any], inputs: Mapping[str, Any], kind: GoogleKind
) -> list[Change]:
    """Replacing inputs the program sets and the overlay left to the default."""
    overlay_fields = {kind.renamed.get(path, path) for path, _ in leaves(spec)}
    overlay_fields |= {
        path.split(".", maxsplit=1)[0].removesuffix("Ref") for path in overlay_fields
    }
    changes = []
    for name in sorted(kind.force_new - {kind.name_input, "project"}):
        after = value_at(inputs, name)
        if after is ABSENT or name in overlay_fields:
            continue
        note = "the overlay leaves it unset: any other live value replaces it"
        changes.append(Change(name, ABSENT, after, forces_replacement=True, note=note))
    return changes


def _google_change(
    path: str,
    before: Any,
    inputs: Mapping[str, Any],
    kind: GoogleKind,
    cc_names: Mapping[str, str],
) -> Change | None:
    top = path.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    if _SENSITIVE.search(path) or ".valueFrom." in f".{path}.":
        return Change(top, SECRET_VALUE, SECRET_VALUE, note="never compared")
    if top.endswith("Ref"):
        return _reference_change(path, before, inputs, kind, cc_names)
    ours_path = kind.renamed.get(path, path)
    after = value_at(inputs, ours_path)
    if after == before:
        return None
    return Change(path, before, after, forces_replacement=ours_path in kind.force_new)


def _reference_change(
    path: str,
    before: Any,
    inputs: Mapping[str, Any],
    kind: GoogleKind,
    cc_names: Mapping[str, str],
) -> Change | None:
    """``instanceRef.name`` -> the program's ``instance``, by Google names."""
    reference = path.split(".", maxsplit=1)[0]
    ours_path = reference.removesuffix("Ref")
    after = value_at(inputs, ours_path)
    referred_kind = REFERENCE_KINDS.get(reference)
    if path.endswith(".external"):
        target = str(before).rsplit("/", 1)[-1]
    else:
        resolved = cc_names.get(f"{referred_kind}/{before}")
        if resolved is None:
            note = (
                f"the overlay refers to {referred_kind or 'an object'} {before}, "
                "which it does not define: Config Connector could not have made "
                "this under it; the program refers to the real one"
            )
            return Change(path, before, after, note=note)
        target = resolved
    if target == after:
        return None
    forces = ours_path in kind.force_new
    return Change(path, before, after, forces_replacement=forces)
