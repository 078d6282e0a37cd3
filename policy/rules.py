"""The policy pack's rules: pure functions over one resource's inputs.

Each rule takes a ``Resource`` (its Pulumi type, name, inputs with camelCase
keys as the engine sends them, and whether it is protected) and yields one
message per violation. Nothing here imports Pulumi: the CrossGuard pack
(``policy/__main__.py``) runs these rules at ``pulumi preview``/``up``, and
``python -m render`` and ``check`` run them on every registration of every
stack, so the offline tools and the real engine refuse the same things.

A value the engine cannot know during a preview arrives as ``UNKNOWN``; a rule
never fails on it (the update, when it is known, checks it again).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UNKNOWN: Any = object()
"""Stands in for a value the engine cannot know yet (during a preview)."""

# The Kubernetes types that carry a pod template, and where it is.
_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": (
        "spec",
        "jobTemplate",
        "spec",
        "template",
        "spec",
    ),
}
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
# Resources whose loss loses data or a name others depend on.
MUST_SURVIVE = {
    "gcp:sql/databaseInstance:DatabaseInstance": "the database",
    "gcp:dns/managedZone:ManagedZone": "the DNS zone",
    "gcp:artifactregistry/repository:Repository": "the image repository",
    "gcp:compute/address:Address": "the ingress address",
}
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
# Names of settings that hold credentials, and URLs that carry a password.
_SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|DATABASE_URL)",
    re.IGNORECASE,
)
_URL_WITH_PASSWORD = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
_SECCOMP_TYPES = ("RuntimeDefault", "Localhost")


@dataclass(frozen=True)
class Resource:
    """What a rule sees of one resource."""

    type: str
    name: str
    props: Mapping[str, Any]
    protect: bool = False


@dataclass(frozen=True)
class Rule:
    """One policy: its name (as ``pulumi preview`` prints it) and its check."""

    name: str
    description: str
    check: Callable[[Resource], Iterator[str]] = field(repr=False)


def _get(value: Any, *path: str | int) -> Any:
    """``value[path[0]][path[1]]...``, or None where a step is missing."""
    for step in path:
        if isinstance(step, int):
            ok = isinstance(value, Sequence) and not isinstance(value, str)
            value = value[step] if ok and step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
        if value is None or value is UNKNOWN:
            return value
    return value


def _items(value: Any) -> list[Any]:
    """A list input's items; none when it is unset or unknown."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return []


def pod_spec(resource: Resource) -> Mapping[str, Any] | None:
    """The pod spec a workload resource runs, or None."""
    path = _POD_SPEC_PATHS.get(resource.type)
    spec = _get(resource.props, *path) if path else None
    return spec if isinstance(spec, Mapping) else None


def containers(resource: Resource) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(label, container)`` for every container and init container."""
    spec = pod_spec(resource)
    if spec is None:
        return
    for kind in ("initContainers", "containers"):
        for container in _items(spec.get(kind)):
            if isinstance(container, Mapping):
                yield f"{kind}[{container.get('name')}]", container


def _pull_always(resource: Resource) -> Iterator[str]:
    for label, container in containers(resource):
        policy = container.get("imagePullPolicy")
        if policy is not UNKNOWN and policy != "Always":
            yield f"{label}: imagePullPolicy is {policy!r}, not Always"


def _pinned(resource: Resource) -> Iterator[str]:
    for label, container in containers(resource):
        image = container.get("image")
        if image is UNKNOWN:
            continue
        if not isinstance(image, str) or not _DIGEST.search(image):
            yield f"{label}: image {image!r} is not pinned by @sha256 digest"


def _resources(resource: Resource) -> Iterator[str]:
    for label, container in containers(resource):
        for kind in ("requests", "limits"):
            given = _get(container, "resources", kind)
            if given is UNKNOWN:
                continue
            for name in ("cpu", "memory"):
                if _get(given, name) is None:
                    yield f"{label}: no {name} in resources.{kind}"


def _unknown(*values: Any) -> bool:
    """Whether any value cannot be known yet: then a rule passes it."""
    return any(value is UNKNOWN for value in values)


def _pod_level(spec: Mapping[str, Any]) -> Iterator[str]:
    for host in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(host) is True:
            yield f"{host} is true"
    token = spec.get("automountServiceAccountToken")
    if token is not False and not _unknown(token):
        yield "automountServiceAccountToken is not false"
    for volume in _items(spec.get("volumes")):
        if isinstance(volume, Mapping) and volume.get("hostPath") is not None:
            yield f"volume {volume.get('name')} is a hostPath"


def _effective(context: Any, pod: Any, *path: str) -> Any:
    """A container's setting, or the pod's when the container leaves it unset."""
    own = _get(context, *path)
    return own if own is not None else _get(pod, *path)


def _container_level(
    spec: Mapping[str, Any], label: str, container: Mapping[str, Any]
) -> Iterator[str]:
    pod = spec.get("securityContext")
    context = container.get("securityContext")
    if _unknown(context, pod):
        return
    yield from (f"{label}: {problem}" for problem in _privileges(context))
    checks = (
        ("readOnlyRootFilesystem", _get(context, "readOnlyRootFilesystem"), True),
        ("runAsNonRoot", _effective(context, pod, "runAsNonRoot"), True),
    )
    for name, value, wanted in checks:
        if value is not wanted and not _unknown(value):
            yield f"{label}: {name} is not {str(wanted).lower()}"
    if _effective(context, pod, "runAsUser") == 0:
        yield f"{label}: runs as UID 0"
    seccomp = _effective(context, pod, "seccompProfile", "type")
    if seccomp not in _SECCOMP_TYPES and not _unknown(seccomp):
        yield f"{label}: seccompProfile is not RuntimeDefault"


def _privileges(context: Any) -> Iterator[str]:
    """No escalation, not privileged, every capability dropped but binding ports."""
    escalation = _get(context, "allowPrivilegeEscalation")
    if escalation is not False and not _unknown(escalation):
        yield "allowPrivilegeEscalation is not false"
    if _get(context, "privileged") is True:
        yield "privileged"
    drop = _get(context, "capabilities", "drop")
    if "ALL" not in _items(drop) and not _unknown(drop):
        yield "capabilities.drop does not include ALL"
    for added in _items(_get(context, "capabilities", "add")):
        if added != "NET_BIND_SERVICE" and not _unknown(added):
            yield f"adds capability {added}"


def _restricted(resource: Resource) -> Iterator[str]:
    spec = pod_spec(resource)
    if spec is None:
        return
    yield from _pod_level(spec)
    for label, container in containers(resource):
        yield from _container_level(spec, label, container)


def _plain_secrets(resource: Resource) -> Iterator[str]:
    for label, container in containers(resource):
        for env in _items(container.get("env")):
            if not isinstance(env, Mapping) or env.get("value") in (None, UNKNOWN):
                continue
            if _SECRET_NAME.search(str(env.get("name"))) or _URL_WITH_PASSWORD.search(
                str(env.get("value"))
            ):
                yield f"{label}: env {env.get('name')} holds a secret in plain text"
    if resource.type == CONFIG_MAP:
        data = resource.props.get("data")
        for key, value in data.items() if isinstance(data, Mapping) else ():
            if _SECRET_NAME.search(key) or _URL_WITH_PASSWORD.search(str(value)):
                yield f"data.{key} holds a secret; a ConfigMap is not secret"


def _protected(resource: Resource) -> Iterator[str]:
    what = MUST_SURVIVE.get(resource.type)
    if what and not resource.protect:
        yield f"{what} is not protected: a destroy or a replacement would delete it"


RULES: tuple[Rule, ...] = (
    Rule(
        "image-pull-always",
        "Every container pulls its image on every start (imagePullPolicy Always).",
        _pull_always,
    ),
    Rule(
        "images-pinned-by-digest",
        "Every container's image names its @sha256 digest.",
        _pinned,
    ),
    Rule(
        "resources-on-every-container",
        "Every container requests and limits its CPU and memory.",
        _resources,
    ),
    Rule(
        "restricted-security-context",
        "Pods meet Pod Security 'restricted', with read-only roots and no API token.",
        _restricted,
    ),
    Rule(
        "no-plain-text-secrets",
        "No credential in a plain env value or in a ConfigMap.",
        _plain_secrets,
    ),
    Rule(
        "data-must-survive",
        "The database, the DNS zone, the repository and the address are protected.",
        _protected,
    ),
)


def violations(resource: Resource) -> list[tuple[str, str]]:
    """``(rule name, message)`` for every rule the resource breaks."""
    return [(rule.name, message) for rule in RULES for message in rule.check(resource)]
