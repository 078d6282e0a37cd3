"""``python -m migration compare STACK OVERLAY``: what taking over an overlay does.

``kubectl kustomize OVERLAY_DIR`` is what Flux applied; the stack's offline
render is what ``pulumi up`` would leave. Each object is matched with its
counterpart and the differences are grouped by what Pulumi would do:

- **would force replacement**: a field the provider cannot change in place
  differs, so the object would be deleted and made again;
- **would change**: updated in place, field by field;
- **only in kustomize**: the program leaves it alone; each says what to do;
- **only in the program**: created, or imported while the stack adopts.

Kubernetes objects match by kind, namespace and name; a generator's
hash-suffixed name (``portfolio-config-<hash>``) matches its fixed-name
counterpart. Config Connector objects match the program's Google resources by
their Google names. Which fields force a replacement is the providers' own
rule: pulumi-kubernetes ``provider/pkg/provider/diff.go`` (``forceNew``, with
the program's mutable ConfigMaps and Secrets) and the ``ForceNew`` fields of
the Google provider's schema each pulumi-gcp resource is built from.
Secret values are never compared or printed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portfolio.edge.dns import DNS_ZONE_NAME
from portfolio.edge.ingress import (
    INGRESS_ADDRESS_NAME,
    INGRESS_NAMESPACE,
    INGRESS_SERVICE_NAME,
)
from portfolio.settings.model import PortfolioSettings
from render import yaml12

CONFIG_CONNECTOR = ".cnrm.cloud.google.com"
SECRET_VALUE = "(secret value, not compared)"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# kustomize's name hash: ten characters of its vowel-free alphabet after a
# dash (kustomize api/hasher, encode).
_HASH_SUFFIX = re.compile(r"^(?P<base>.+)-[bcdfghkmt2-9]{10}$")
# Fields whose values are never compared or shown, at any depth.
_SENSITIVE = re.compile(r"(?i)password|secret|token|privatekey|credential")
KUSTOMIZE_TIMEOUT_SECONDS = 300
_GENERATED_KINDS = {"ConfigMap", "Secret"}
_KUBECTL_ERROR = re.compile(r'err="(?P<err>.*)"$')

# pulumi-kubernetes provider/pkg/provider/diff.go: the fields whose change
# replaces the object (besides its name and namespace). ConfigMap and Secret
# data are replaced only when not mutable; the program's provider makes both
# mutable (portfolio/providers.py), which leaves a Secret's type.
KUBERNETES_FORCE_NEW: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec.selector",),
    "Service": ("spec.clusterIP",),
    "Secret": ("type",),
}


@dataclass(frozen=True)
class GoogleKind:
    """A Config Connector kind, the pulumi-gcp type it becomes, and its rules."""

    type: str
    name_input: str
    """The input holding the Google name (the CC object's resourceID or name)."""
    force_new: frozenset[str]
    """Inputs whose change replaces the resource (the schema's ForceNew)."""
    renamed: Mapping[str, str] = field(default_factory=dict)
    """CC spec field -> the program's input, where the names differ."""
    name_from_spec: str | None = None
    """The spec field that is the Google name, when it is not metadata.name."""


GOOGLE_KINDS: dict[str, GoogleKind] = {
    "SQLInstance": GoogleKind(
        "gcp:sql/databaseInstance:DatabaseInstance",
        "name",
        frozenset(
            {"name", "region", "project", "encryptionKeyName", "settings.collation"}
        ),
    ),
    "SQLDatabase": GoogleKind(
        "gcp:sql/database:Database", "name", frozenset({"name", "instance", "project"})
    ),
    "SQLUser": GoogleKind(
        "gcp:sql/user:User",
        "name",
        frozenset({"name", "instance", "host", "type", "project"}),
    ),
    "DNSManagedZone": GoogleKind(
        "gcp:dns/managedZone:ManagedZone",
        "name",
        frozenset({"name", "dnsName", "visibility", "project"}),
    ),
    "DNSRecordSet": GoogleKind(
        "gcp:dns/recordSet:RecordSet",
        "name",
        frozenset({"name", "managedZone", "project"}),
        name_from_spec="name",
    ),
    "ComputeAddress": GoogleKind(
        "gcp:compute/address:Address",
        "name",
        frozenset(
            {
                "name",
                "address",
                "addressType",
                "description",
                "ipVersion",
                "networkTier",
                "prefixLength",
                "purpose",
                "region",
                "subnetwork",
                "network",
                "project",
            }
        ),
        renamed={"location": "region"},
    ),
    "ArtifactRegistryRepository": GoogleKind(
        "gcp:artifactregistry/repository:Repository",
        "repositoryId",
        frozenset({"format", "repositoryId", "location", "mode", "kmsKeyName"}),
    ),
    "IAMServiceAccount": GoogleKind(
        "gcp:serviceaccount/account:Account",
        "accountId",
        frozenset({"accountId", "project"}),
    ),
}


class CompareError(Exception):
    """Bad input: one line naming what is wrong."""


@dataclass(frozen=True)
class Change:
    """One field that differs: kustomize's value, then the program's."""

    path: str
    before: Any
    after: Any
    forces_replacement: bool = False
    note: str = ""


@dataclass(frozen=True)
class Matched:
    """An object both sides have, and what differs."""

    label: str
    changes: list[Change]

    @property
    def replaced(self) -> bool:
        """Whether any difference forces a replacement."""
        return any(change.forces_replacement for change in self.changes)


@dataclass(frozen=True)
class Report:
    """The four groups, ready to print."""

    matched: list[Matched]
    only_kustomize: list[tuple[str, str]]
    """(object, what to do with it)."""
    only_program: list[tuple[str, str]]
    """(object, created or imported)."""
    adopting: bool
    """Whether the stack imports live objects (``portfolio:adopt``)."""

    @property
    def forces_replacement(self) -> bool:
        """Whether taking the overlay over would replace anything."""
        return any(m.replaced for m in self.matched)


def kustomize_build(overlay: Path) -> list[dict[str, Any]]:
    """``kubectl kustomize overlay``'s objects; ``CompareError`` if it cannot run."""
    if not overlay.is_dir():
        raise CompareError(f"{overlay}: not a directory")
    if not any((overlay / name).is_file() for name in KUSTOMIZATION_FILES):
        raise CompareError(f"{overlay}: no kustomization.yaml")
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise CompareError(
            "kubectl not found on PATH: compare runs `kubectl kustomize`; "
            "install kubectl"
        )
    # Flux's kustomize-controller builds with no load restrictions.
    command = [kubectl, "kustomize", "--load-restrictor", "LoadRestrictionsNone"]
    try:
        built = subprocess.run(
            [*command, str(overlay)],
            capture_output=True,
            text=True,
            check=False,
            timeout=KUSTOMIZE_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise CompareError(
            f"{overlay}: kubectl kustomize took over {KUSTOMIZE_TIMEOUT_SECONDS} s"
        ) from None
    if built.returncode != 0:
        lines = built.stderr.strip().splitlines() or ["failed"]
        # kubectl logs `E1123 ... "command failed" err="<why>"`: keep the why.
        why = _KUBECTL_ERROR.search(lines[-1])
        raise CompareError(
            f"{overlay}: kubectl kustomize: {why['err'] if why else lines[-1]}"
        )
    try:
        docs = yaml12.load_all_text(built.stdout)
    except yaml12.YamlError as error:
        raise CompareError(f"{overlay}: kubectl kustomize printed: {error}") from None
    return [_well_formed(overlay, doc) for doc in docs if doc is not None]


def _well_formed(overlay: Path, doc: Any) -> dict[str, Any]:
    """An object with the shape compare reads, names as text; else one line."""
    if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
        raise CompareError(f"{overlay}: kubectl kustomize printed a non-object")
    meta = doc.get("metadata")
    if not isinstance(meta, dict) or meta.get("name") in (None, ""):
        raise CompareError(f"{overlay}: a {doc['kind']} has no metadata.name")
    doc["metadata"] = meta = dict(meta)
    for key in ("name", "namespace"):
        if meta.get(key) is not None:
            meta[key] = str(meta[key])
    for key in ("spec", "data", "stringData"):
        if doc.get(key) is not None and not isinstance(doc[key], dict):
            raise CompareError(
                f"{overlay}: {doc['kind']} {meta['name']}: {key} is not a mapping"
            )
    return doc


def is_config_connector(doc: Mapping[str, Any]) -> bool:
    """A Config Connector object, which becomes a native Google resource."""
    group = str(doc.get("apiVersion", "")).split("/")[0]
    return group.endswith(CONFIG_CONNECTOR)


def compare(
    kustomize: list[dict[str, Any]],
    resources: list[dict[str, Any]],
    settings: PortfolioSettings,
) -> Report:
    """Match the overlay's objects with the stack's ``resources.yaml`` records."""
    kubernetes = [r for r in resources if _is_kubernetes_object(r)]
    google = [r for r in resources if r["type"].startswith("gcp:")]
    matched: list[Matched] = []
    only_kustomize: list[tuple[str, str]] = []
    used: set[str] = set()
    cc_names = _config_connector_names(kustomize)
    for doc in kustomize:
        if is_config_connector(doc):
            mine = _google_counterpart(doc, google, used)
            compared = _compare_google(doc, mine, cc_names) if mine else None
        else:
            mine = _kubernetes_counterpart(doc, kubernetes, used)
            compared = _compare_kubernetes(doc, mine, settings.adopt) if mine else None
        if mine is None or compared is None:
            only_kustomize.append((_label(doc), _advice(doc, settings)))
            continue
        used.add(mine["urn"])
        matched.append(compared)
    only_program = [
        (_record_label(r), _fate(r))
        for r in kubernetes + google
        if r["urn"] not in used and "id" not in r["options"]
    ]
    return Report(matched, only_kustomize, only_program, settings.adopt)


def _is_kubernetes_object(record: Mapping[str, Any]) -> bool:
    return record["type"].startswith("kubernetes:") and "kind" in record["inputs"]


def _key(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    meta = doc.get("metadata") or {}
    return doc["kind"], meta.get("namespace") or "", meta.get("name") or ""


def _api_group(doc: Mapping[str, Any]) -> str:
    """The API group: ``apps`` of ``apps/v1``, empty for the core group."""
    api_version = str(doc.get("apiVersion", ""))
    return api_version.split("/", maxsplit=1)[0] if "/" in api_version else ""


def _kubernetes_counterpart(
    doc: dict[str, Any], kubernetes: list[dict[str, Any]], used: set[str]
) -> dict[str, Any] | None:
    """The program's object of the same group, kind, namespace and name.

    A generator's hash-named object matches its fixed-name counterpart only
    when no object has its exact name.
    """
    by_key = {
        (_api_group(r["inputs"]), *_key(r["inputs"])): r
        for r in kubernetes
        if not _is_patch(r) and r["urn"] not in used
    }
    group = _api_group(doc)
    kind, namespace, name = _key(doc)
    if (group, kind, namespace, name) in by_key:
        return by_key[(group, kind, namespace, name)]
    hashed = _HASH_SUFFIX.match(name)
    if kind in _GENERATED_KINDS and hashed:
        return by_key.get((group, kind, namespace, hashed["base"]))
    return None


def _is_patch(record: Mapping[str, Any]) -> bool:
    return str(record["type"]).endswith("Patch")


def _google_name(doc: Mapping[str, Any], kind: GoogleKind) -> str:
    spec = doc.get("spec") or {}
    if kind.name_from_spec is not None:
        return str(spec.get(kind.name_from_spec, ""))
    return str(spec.get("resourceID") or doc["metadata"]["name"])


def _config_connector_names(kustomize: list[dict[str, Any]]) -> dict[str, str]:
    """Each CC object's metadata.name -> its Google name, for resolving refs."""
    names = {}
    for doc in kustomize:
        kind = GOOGLE_KINDS.get(doc["kind"])
        if is_config_connector(doc) and kind is not None:
            names[f"{doc['kind']}/{doc['metadata']['name']}"] = _google_name(doc, kind)
    return names


def _google_counterpart(
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


# A reference field's kind, where its name says it (instanceRef -> SQLInstance).
_REFERENCE_KINDS = {
    "instanceRef": "SQLInstance",
    "managedZoneRef": "DNSManagedZone",
    "serviceAccountRef": "IAMServiceAccount",
}


def _compare_google(
    doc: dict[str, Any], record: dict[str, Any], cc_names: Mapping[str, str]
) -> Matched | None:
    kind = GOOGLE_KINDS[doc["kind"]]
    label = _label(doc)
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
    return Matched(f"{label} -> {record['type']} {record['name']}", changes)


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
        after = _get(inputs, name)
        if after is _ABSENT or name in overlay_fields:
            continue
        note = "the overlay leaves it unset: any other live value replaces it"
        changes.append(Change(name, _ABSENT, after, forces_replacement=True, note=note))
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
    after = _get(inputs, ours_path)
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
    after = _get(inputs, ours_path)
    referred_kind = _REFERENCE_KINDS.get(reference)
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


def _compare_kubernetes(
    doc: dict[str, Any], record: dict[str, Any], adopting: bool
) -> Matched:
    mine = record["inputs"]
    kind = doc["kind"]
    ignored = tuple(record["options"].get("ignoreChanges", []))
    theirs_leaves = dict(leaves(_comparable(doc)))
    mine_leaves = dict(leaves(_comparable(mine)))
    changes = []
    # A hash-named object is not taken over: the program's is a new one.
    same_object = _key(doc) == _key(mine)
    for path in sorted(set(theirs_leaves) | set(mine_leaves)):
        before = theirs_leaves.get(path, _ABSENT)
        after = mine_leaves.get(path, _ABSENT)
        if before == after or covered(path, ignored):
            continue
        forces = same_object and covered(path, KUBERNETES_FORCE_NEW.get(kind, ()))
        changes.append(Change(path, before, after, forces_replacement=forces))
    if adopting and same_object and "import" not in record["options"]:
        note = "exists under this name but is not adopted: creating it fails"
        name = _key(doc)[2]
        changes.insert(0, Change("metadata.name", name, name, note=note))
    if not same_object:
        note = "a new object under the fixed name, beside the hash-named one"
        changes.insert(
            0, Change("metadata.name", _key(doc)[2], _key(mine)[2], note=note)
        )
    return Matched(_label(mine), changes)


class _Absent:
    def __repr__(self) -> str:
        return "(not set)"


_ABSENT = _Absent()


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


def covered(path: str, prefixes: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or lies under one."""
    return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in prefixes)


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(dotted.path[index], leaf)`` of every scalar and empty container."""
    if isinstance(value, dict) and value:
        for key in value:
            yield from leaves(value[key], f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from leaves(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def _get(inputs: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path with [index] parts; ``_ABSENT`` when missing."""
    value: Any = inputs
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(value, list) or index >= len(value):
                return _ABSENT
            value = value[index]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return _ABSENT
    return value


def _label(doc: Mapping[str, Any]) -> str:
    kind, namespace, name = _key(doc)
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def _record_label(record: Mapping[str, Any]) -> str:
    if _is_kubernetes_object(record):
        return _label(record["inputs"])
    return f"{record['type']} {record['name']}"


def _fate(record: Mapping[str, Any]) -> str:
    options = record["options"]
    if "import" in options:
        return f"imported from {options['import']} (portfolio:adopt)"
    if _is_patch(record):
        return "patched in place: the program applies only these fields"
    return "will be created"


_SUPERSEDED = {
    "IAMServiceAccount",
    "IAMServiceAccountKey",
    "IAMPolicy",
    "IAMPolicyMember",
}


def _advice(doc: Mapping[str, Any], settings: PortfolioSettings) -> str:
    """What to do with an object the program does not make here."""
    kind, _, name = _key(doc)
    shared = _shared_owner(kind, name, settings)
    if shared is not None:
        return shared
    if kind in _SUPERSEDED:
        return (
            "superseded by the stack's own proxy identity (no key, no "
            "project-wide policy): delete it after migration"
        )
    hashed = _HASH_SUFFIX.match(name)
    if kind == "Secret" and "portfolio-db-password" in (
        name,
        hashed and hashed["base"],
    ):
        return (
            "the hand-kept database password: the program keeps it in Pulumi "
            "state; delete it after migration"
        )
    if kind == "Certificate":
        return (
            f"the program's certificate lives in {INGRESS_NAMESPACE}, where "
            "Istio reads it; delete this one after migration"
        )
    if is_config_connector(doc):
        return "no counterpart in the program: delete it after migration"
    return "not made by the program: delete it after migration if nothing uses it"


def _shared_owner(kind: str, name: str, settings: PortfolioSettings) -> str | None:
    owners = {
        ("DNSManagedZone", DNS_ZONE_NAME): (
            settings.dns_zone_owner_stack,
            "portfolio:dnsZoneOwnerStack",
        ),
        ("ComputeAddress", INGRESS_ADDRESS_NAME): (
            settings.ingress_address_owner_stack,
            "portfolio:ingressAddressOwnerStack",
        ),
        ("Service", INGRESS_SERVICE_NAME): (
            settings.ingress_address_owner_stack,
            "portfolio:ingressAddressOwnerStack",
        ),
    }
    found = owners.get((kind, name))
    if found is None:
        return None
    owner, key = found
    if kind == "Service":
        return (
            f"a copy the overlay's namespace put here; the gateway's Service is "
            f"{INGRESS_NAMESPACE}/{name}, which the {owner} stack ({key}) "
            "patches: delete this copy after migration"
        )
    if owner == settings.namespace:
        return f"owned by this stack ({key}); see its counterpart"
    return f"shared by every stack and owned by {owner} ({key}): leave it to {owner}"


def format_report(report: Report, stack: str, overlay: Path) -> str:
    """The report as text, one group after another."""
    lines = [f"compare stack {stack} with `kubectl kustomize {overlay}`", ""]
    if report.matched and not report.adopting:
        lines += [
            "portfolio:adopt is not set: the objects matched below exist, and "
            "`pulumi up` would fail creating them (AlreadyExists); set it first "
            '(README, "Runbook, per stack").',
            "",
        ]
    replaced = [m for m in report.matched if m.replaced]
    changed = [
        m for m in report.matched if any(not c.forces_replacement for c in m.changes)
    ]
    lines += _group("would force replacement", replaced, only_replacing=True)
    lines += _group("would change", changed, only_replacing=False)
    unchanged = [m.label for m in report.matched if not m.changes]
    lines.append(f"unchanged: {len(unchanged)}")
    lines += [f"  {label}" for label in unchanged]
    lines.append("")
    lines.append(f"only in kustomize (left alone): {len(report.only_kustomize)}")
    lines += [f"  {label}: {advice}" for label, advice in report.only_kustomize]
    lines.append("")
    lines.append(f"only in the program: {len(report.only_program)}")
    lines += [f"  {label}: {fate}" for label, fate in report.only_program]
    return "\n".join(lines) + "\n"


def _group(title: str, matched: list[Matched], *, only_replacing: bool) -> list[str]:
    lines = [f"{title}: {len(matched)}"]
    for item in matched:
        lines.append(f"  {item.label}")
        lines += [
            f"    {_describe(change)}"
            for change in item.changes
            if change.forces_replacement == only_replacing
        ]
    lines.append("")
    return lines


def _describe(change: Change) -> str:
    text = f"{change.path}: {_show(change.before)} -> {_show(change.after)}"
    return f"{text} ({change.note})" if change.note else text


def _show(value: Any) -> str:
    if value is _ABSENT or value == SECRET_VALUE:
        return str(value)
    return json.dumps(value, sort_keys=True)
