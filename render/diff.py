"""What a change does to one stack: two offline renders, compared resource by resource.

``python -m render diff STACK --base REV`` renders the stack at ``REV`` and in
the working tree (``render.worktree``) and hands both ``resources.yaml`` and
``kubernetes.yaml`` texts to ``report``, which prints one line per resource
that changes, then the unified diff of the Kubernetes manifests:

    created  kubernetes:core/v1:ConfigMap portfolio-extra
    updated  kubernetes:apps/v1:Deployment portfolio: spec.replicas
    replaced gcp:sql/user:User portfolio-sql-user: name (forces replacement)
    deleted  gcp:dns/recordSet:RecordSet portfolio-dns-old.hugecat.net

Resources match by URN, as the engine matches them with the stack's state,
aliases included: a renamed or re-parented resource that carries an alias to
its old URN is the same resource (pulumi/pulumi
``pkg/resource/deploy/step_generator.go``, ``collapseAliasToUrn`` and
``inheritedChildAlias``; ``sdk/go/common/resource/alias.go``, ``CreateURN``).
A matched resource whose inputs differ is updated, or replaced when a changed
field is one its provider cannot change in place (``FORCE_NEW``). Secret
values are redacted in both renders, so a changed secret value does not show;
a value that becomes or stops being secret does.

The renders run the program under mocks, so this is what the program asks
for, not what the cloud holds: drift, and what a provider computes, are
``pulumi preview``'s to show.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from render.compare import GOOGLE_KINDS, KUBERNETES_FORCE_NEW, covered

VERBS = ("created", "updated", "replaced", "deleted")
PROVIDER = "provider"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"
NO_CHANGES = "no changes"
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
EVERY_INPUT = frozenset({""})
"""Every input of the resource forces replacement (matches every path)."""

# The inputs a provider cannot change in place, by resource type.
# - gcp: the ForceNew fields of each pulumi-gcp resource's Google schema
#   (render.compare.GOOGLE_KINDS); every argument of the IAM member resources
#   and of a service account key is ForceNew.
# - random: every argument of RandomPassword and RandomBytes requires
#   replacement (a new value is a new resource).
# - pulumi:providers:kubernetes: pulumi-kubernetes provider/pkg/provider/
#   provider.go, DiffConfig: another cluster, or another render directory,
#   replaces the provider and every object it manages.
FORCE_NEW: dict[str, frozenset[str]] = {
    **{kind.type: kind.force_new for kind in GOOGLE_KINDS.values()},
    "gcp:projects/iAMMember:IAMMember": EVERY_INPUT,
    "gcp:serviceaccount/iAMMember:IAMMember": EVERY_INPUT,
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": EVERY_INPUT,
    "gcp:serviceaccount/key:Key": EVERY_INPUT,
    "random:index/randomPassword:RandomPassword": EVERY_INPUT,
    "random:index/randomBytes:RandomBytes": EVERY_INPUT,
    "pulumi:providers:kubernetes": frozenset(
        {
            "kubeconfig",
            "context",
            "cluster",
            "clusterIdentifier",
            "renderYamlToDirectory",
        }
    ),
}
# pulumi-kubernetes provider/pkg/provider/diff.go: an object's name and
# namespace always; then its kind's own fields (render.compare). A patch
# resource (ServicePatch) changes someone else's object: only its name and
# namespace say which.
_KUBERNETES_ALWAYS = ("metadata.name", "metadata.namespace")
# Options compared as fields: they change what `pulumi up` does to the resource.
# aliases only say where it was; dependsOn only orders the steps.
_COMPARED_OPTIONS = (
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "ignoreChanges",
    "replaceOnChanges",
    "additionalSecretOutputs",
    "customTimeouts",
    "import",
    "id",
)


class DiffError(Exception):
    """A render that cannot be read as ``resources.yaml``."""


@dataclass(frozen=True)
class Step:
    """What happens to one resource."""

    verb: str
    type: str
    name: str
    urn: str
    paths: tuple[str, ...] = ()
    forcing: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diff:
    """The steps, in ``VERBS`` order, and the manifests' unified diff."""

    steps: list[Step] = field(default_factory=list)
    manifest: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to create, update, replace or delete, and the same manifests."""
        return not self.steps and not self.manifest


def records(text: str, label: str) -> list[dict[str, Any]]:
    """The records of a rendered ``resources.yaml``; ``DiffError`` if it is not one."""
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as error:
        raise DiffError(f"{label}: not YAML: {str(error).splitlines()[0]}") from None
    for doc in documents:
        if not (
            isinstance(doc, dict)
            and isinstance(doc.get("urn"), str)
            and isinstance(doc.get("type"), str)
            and isinstance(doc.get("name"), str)
        ):
            raise DiffError(f"{label}: a record without urn, type and name")
    return documents


def diff(
    base: Iterable[Mapping[str, Any]],
    head: Iterable[Mapping[str, Any]],
    manifest: list[str] | None = None,
) -> Diff:
    """The steps from ``base``'s records to ``head``'s, and the manifest diff.

    ``DiffError`` where ``pulumi up`` would stop: two resources claiming one
    old URN.
    """
    olds = {record["urn"]: record for record in base}
    news = {record["urn"]: record for record in head}
    matched = _match(olds, news)
    steps: dict[str, Step] = {}
    for urn, new in news.items():
        old_urn = matched.get(urn)
        if old_urn is None:
            steps[urn] = _step("created", new, notes=_created_notes(new))
        elif (step := _change(olds[old_urn], new)) is not None:
            steps[urn] = step
    _replace_with_provider(steps, news, matched)
    claimed = set(matched.values())
    deleted = [
        _step("deleted", old, notes=_deleted_notes(old))
        for urn, old in olds.items()
        if urn not in claimed
    ]
    order = {verb: index for index, verb in enumerate(VERBS)}
    ordered = sorted(
        [*steps.values(), *deleted],
        key=lambda step: (order[step.verb], step.type, step.name, step.urn),
    )
    return Diff(steps=ordered, manifest=manifest or [])


def _replace_with_provider(
    steps: dict[str, Step],
    news: Mapping[str, Mapping[str, Any]],
    matched: Mapping[str, str],
) -> None:
    """A replaced provider replaces every resource it manages.

    The new provider has a new ID, and a resource whose provider reference
    changes is diffed against it anew (pulumi/pulumi ``step_generator.go``,
    ``providerChanged``; ``pkg/resource/deploy/providers/registry.go``,
    ``Create``): ``pulumi up`` makes every one of its objects again.
    """
    replaced = {
        urn
        for urn, step in steps.items()
        if step.verb == "replaced" and step.type.startswith(PROVIDER_TYPE_PREFIX)
    }
    for urn, new in news.items():
        if urn not in matched or new.get("provider") not in replaced:
            continue
        step = steps.get(urn) or _step("updated", new)
        paths = step.paths if PROVIDER in step.paths else (*step.paths, PROVIDER)
        steps[urn] = replace(
            step, verb="replaced", paths=paths, forcing=step.forcing | {PROVIDER}
        )


def manifest_diff(base: str, head: str, before: str, after: str) -> list[str]:
    """Two manifests' unified diff, its sides labelled ``before`` and ``after``."""
    return list(
        difflib.unified_diff(
            base.splitlines(), head.splitlines(), before, after, lineterm=""
        )
    )


def format_diff(result: Diff) -> str:
    """The resource lines, a blank line, the manifest diff; or ``no changes``."""
    if result.empty:
        return f"{NO_CHANGES}\n"
    labels = _labels(result.steps)
    lines = [_line(step, labels[step.urn]) for step in result.steps]
    if result.manifest:
        if lines:
            lines.append("")
        lines.extend(result.manifest)
    return "\n".join(lines) + "\n"


# --- matching, as the engine does -------------------------------------------


def _match(
    olds: Mapping[str, Mapping[str, Any]], news: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    """New URN -> the old URN it continues: the same URN first, then an alias."""
    matched: dict[str, str] = {}

    def old_urn(urn: str) -> str | None:
        """The old URN of ``urn``, parents first; ``None`` for a new resource."""
        if urn in matched or urn not in news:
            return matched.get(urn)
        if urn in olds:
            matched[urn] = urn
            return urn
        for alias in _aliases(news[urn], old_urn):
            if alias not in olds:
                continue
            if alias in news or alias in matched.values():
                raise DiffError(
                    f"{urn}: its alias {alias} is another resource's too "
                    "(pulumi up stops: a duplicate alias)"
                )
            matched[urn] = alias
            return alias
        return None

    for urn in news:
        old_urn(urn)
    return matched


def _aliases(
    record: Mapping[str, Any], old_urn: Callable[[str], str | None]
) -> list[str]:
    """Every old URN the record may have had (``generateAliases``).

    ``old_urn`` gives a resource's old URN; where that differs from its URN the
    resource was matched through an alias, and its children inherit it.
    """
    parent = record.get("parent") or ""
    options = record.get("options") or {}

    def aliased(urn: str) -> str | None:
        old = old_urn(urn) if urn else None
        return old if old and old != urn else None

    own = [
        _collapse(alias, record, aliased)
        for alias in options.get("aliases") or []
        if isinstance(alias, dict)
    ]
    parent_old = aliased(parent)
    if parent_old is None:
        return own
    children = [(record["type"], record["name"])]
    children += [(_urn_type(alias), _urn_name(alias)) for alias in own]
    return own + [
        _inherited(child_type, child_name, parent, parent_old)
        for child_type, child_name in children
    ]


def _collapse(
    alias: Mapping[str, Any],
    record: Mapping[str, Any],
    aliased: Callable[[str], str | None],
) -> str:
    """One alias as a URN (``collapseAliasToUrn``).

    An empty ``parentUrn`` is the resource's own parent (the Python SDK sends
    one for "unchanged": pulumi/pulumi ``pkg/resource/deploy/source_eval.go``).
    """
    if alias.get("urn"):
        return str(alias["urn"])
    stack, project = _stack_and_project(record["urn"])
    spec = alias.get("spec") or {}
    parent = spec.get("parentUrn") or record.get("parent") or ""
    if spec.get("parentUrn"):
        parent = aliased(parent) or parent
    if spec.get("noParent") or _urn_type(parent) == ROOT_STACK_TYPE:
        parent = ""
    return _create_urn(
        spec.get("name") or record["name"],
        spec.get("type") or record["type"],
        parent,
        spec.get("project") or project,
        spec.get("stack") or stack,
    )


def _inherited(child_type: str, child_name: str, parent: str, parent_old: str) -> str:
    """A child's URN under its parent's old URN (``inheritedChildAlias``)."""
    parent_name = _urn_name(parent)
    if child_name.startswith(parent_name):
        child_name = _urn_name(parent_old) + child_name[len(parent_name) :]
    return _create_urn(child_name, child_type, parent_old, "", "")


def _create_urn(name: str, type_: str, parent: str, project: str, stack: str) -> str:
    """``CreateURN``: under the parent's type chain, or at the top of the stack."""
    if parent:
        return f"{parent[: parent.rindex('::')]}${type_}::{name}"
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def _stack_and_project(urn: str) -> tuple[str, str]:
    parts = urn.split("::")
    return parts[0].removeprefix("urn:pulumi:"), parts[1]


def _urn_type(urn: str) -> str:
    """The resource's own type: the last of the URN's type chain."""
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) > 3 else ""


def _urn_name(urn: str) -> str:
    return urn.split("::", 3)[3] if urn.count("::") >= 3 else ""


# --- what changes -------------------------------------------------------------


def _change(old: Mapping[str, Any], new: Mapping[str, Any]) -> Step | None:
    """Updated or replaced, with the changed paths; ``None`` if nothing changed."""
    ignored = _ignore_patterns(new)
    inputs = [
        path
        for path in _changes(old.get("inputs") or {}, new.get("inputs") or {})
        if not any(pattern.fullmatch(path) for pattern in ignored)
    ]
    options = [f"options.{path}" for path in _changes(_options(old), _options(new))]
    provider = _provider_name(old.get(PROVIDER)) != _provider_name(new.get(PROVIDER))
    if not (inputs or options or provider):
        return None
    rules = _force_new(new)
    forcing = frozenset(
        path
        for path in inputs
        if not _is_read(new) and (rules >= EVERY_INPUT or _overlaps(path, rules))
    )
    paths = tuple(inputs + options + ([PROVIDER] if provider else []))
    return _step(
        "replaced" if forcing else "updated", new, paths=paths, forcing=forcing
    )


def _changes(before: Any, after: Any, prefix: str = "") -> Iterator[str]:
    """The paths where ``after`` differs from ``before``, each as high as it can be.

    A key or list item only one side has is one path, not one per leaf inside.
    """
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            if key in before and key in after:
                yield from _changes(before[key], after[key], path)
            else:
                yield path
    elif isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            path = f"{prefix}[{index}]"
            if index < len(before) and index < len(after):
                yield from _changes(before[index], after[index], path)
            else:
                yield path
    else:
        yield prefix


def _ignore_patterns(record: Mapping[str, Any]) -> list[re.Pattern[str]]:
    """The ``ignoreChanges`` paths: never changed, the engine keeps the old value.

    pulumi/pulumi ``step_generator.go``, ``processIgnoreChanges``. Property
    paths as the engine writes them: ``a.b``, ``a["b.c"]``, ``a[0]``, ``a[*]``
    and ``*``; a path covers everything under it.
    """
    options = record.get("options") or {}
    patterns = []
    for raw in options.get("ignoreChanges") or []:
        path = re.sub(r'\["([^"]*)"\]', r".\1", str(raw)).lstrip(".")
        regex = re.escape(path).replace(r"\[\*\]", r"\[\d+\]")
        regex = regex.replace(r"\*", r"[^.\[]+")
        patterns.append(re.compile(rf"{regex}(?:[.\[].*)?"))
    return patterns


def _overlaps(path: str, rules: frozenset[str]) -> bool:
    """Whether ``path`` is a rule's field, lies under one, or holds one."""
    return covered(path, rules) or any(covered(rule, (path,)) for rule in rules)


def _options(record: Mapping[str, Any]) -> dict[str, Any]:
    """The options compared as fields."""
    options = record.get("options") or {}
    return {name: options[name] for name in _COMPARED_OPTIONS if name in options}


def _provider_name(urn: Any) -> Any:
    """Which provider, by type and name: a provider's URN moves with the stack's."""
    if not isinstance(urn, str):
        return urn
    return f"{_urn_type(urn)}::{_urn_name(urn)}"


def _force_new(record: Mapping[str, Any]) -> frozenset[str]:
    """The input paths whose change replaces this resource."""
    type_ = record["type"]
    options = record.get("options") or {}
    rules = set(FORCE_NEW.get(type_, frozenset()))
    replace_on = options.get("replaceOnChanges") or []
    rules |= {"" if path == "*" else str(path) for path in replace_on}
    if type_.startswith("kubernetes:"):
        rules |= set(_KUBERNETES_ALWAYS)
        kind = type_.rsplit(":", 1)[-1]
        rules |= set(KUBERNETES_FORCE_NEW.get(kind, ()))
    return frozenset(rules)


def _is_read(record: Mapping[str, Any]) -> bool:
    """Read from the cloud (``get``, a StackReference), never written."""
    options = record.get("options") or {}
    return "id" in options or record["type"] == "pulumi:pulumi:StackReference"


def _created_notes(record: Mapping[str, Any]) -> tuple[str, ...]:
    options = record.get("options") or {}
    if _is_read(record):
        return ("read only: nothing is made in the cloud",)
    if "import" in options:
        return ("imported: adopts what exists, creates nothing",)
    return ()


def _deleted_notes(record: Mapping[str, Any]) -> tuple[str, ...]:
    options = record.get("options") or {}
    if _is_read(record):
        return ("read only: nothing is deleted in the cloud",)
    notes = []
    if options.get("protect"):
        notes.append("protected: pulumi up refuses until it is unprotected")
    if options.get("retainOnDelete"):
        notes.append("retained: it stays in the cloud, only the stack forgets it")
    return tuple(notes)


def _step(
    verb: str,
    record: Mapping[str, Any],
    *,
    paths: tuple[str, ...] = (),
    forcing: frozenset[str] = frozenset(),
    notes: tuple[str, ...] = (),
) -> Step:
    return Step(
        verb=verb,
        type=record["type"],
        name=record["name"],
        urn=record["urn"],
        paths=paths,
        forcing=forcing,
        notes=notes,
    )


# --- output -------------------------------------------------------------------


def _labels(steps: list[Step]) -> dict[str, str]:
    """``type name``, or the URN where two resources would read the same."""
    counts: dict[tuple[str, str], int] = {}
    for step in steps:
        counts[(step.type, step.name)] = counts.get((step.type, step.name), 0) + 1
    return {
        step.urn: step.urn
        if counts[(step.type, step.name)] > 1
        else f"{step.type} {step.name}"
        for step in steps
    }


def _line(step: Step, label: str) -> str:
    line = f"{step.verb:<8} {label}"
    if step.paths:
        line += ": " + ", ".join(_paths(step))
    for note in step.notes:
        line += f" ({note})"
    return line


def _paths(step: Step) -> Iterator[str]:
    for path in step.paths:
        shown = path.removeprefix("inputs.")
        yield f"{shown} (forces replacement)" if path in step.forcing else shown
