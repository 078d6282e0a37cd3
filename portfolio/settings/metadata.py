"""Checks for Kubernetes object metadata: label and annotation keys and values.

The rules are apimachinery's (``pkg/util/validation/validation.go``,
``pkg/api/validation/objectmeta.go``): a key is ``[prefix/]name``, the prefix a
DNS subdomain, the name a qualified name; a label value at most 63 characters;
an object's annotations 256 KiB in all. A stack's labels leave the program's
own (``portfolio.names``) alone.
"""

from __future__ import annotations

import re

from portfolio.names import COMMON_LABELS, POD_SECURITY_LABELS, SELECTOR
from portfolio.settings import validators

_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$")
# apimachinery validation.go IsDNS1123Subdomain: labels joined by dots, at most
# 253 characters in all (no limit of a label's own).
_DNS_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
_DNS_SUBDOMAIN_MAX = 253
# apimachinery ValidateAnnotationsSize: an object's annotations, keys and values,
# take at most 256 KiB; the program's own on the namespace take well under 1 KiB.
ANNOTATIONS_MAX_BYTES = 255 * 1024
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")
# The labels every object or the namespace carries from the program.
PROGRAM_LABELS = frozenset({*COMMON_LABELS, *SELECTOR, *POD_SECURITY_LABELS})
# kubernetes pkg/registry/core/namespace/strategy.go (Canonicalize) sets it.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


def key(value: str) -> str:
    """Accept a label or annotation key: ``[prefix/]name``."""
    prefix, _, name = value.rpartition("/")
    subdomain = _DNS_SUBDOMAIN.fullmatch(prefix) and len(prefix) <= _DNS_SUBDOMAIN_MAX
    if ("/" in value and not subdomain) or _QUALIFIED_NAME.fullmatch(name) is None:
        raise ValueError(
            f"{validators.shown(value)} is not a valid label or annotation key"
        )
    return value


def annotations_size(annotations: dict[str, str]) -> dict[str, str]:
    """Accept annotations the API takes: keys and values, 255 KiB in all."""
    size = sum(len(k.encode()) + len(v.encode()) for k, v in annotations.items())
    if size > ANNOTATIONS_MAX_BYTES:
        raise ValueError(
            f"take {size} bytes; at most {ANNOTATIONS_MAX_BYTES} may: the API's "
            "256 KiB for all of an object's, less room for the program's own"
        )
    return annotations


def own_labels_kept(labels: dict[str, str]) -> dict[str, str]:
    """Accept a stack's labels that leave the program's own alone."""
    taken = sorted(set(labels) & set(PROGRAM_LABELS))
    if taken:
        raise ValueError(
            f"{validators.shown(taken[0])} is a label the program sets itself "
            f"(one of {', '.join(sorted(PROGRAM_LABELS))})"
        )
    if NAMESPACE_NAME_LABEL in labels:
        raise ValueError(
            f"{NAMESPACE_NAME_LABEL!r} is set by the API server to the namespace's "
            "name, whatever a stack gives it"
        )
    return labels


def label_value(value: str) -> str:
    """Accept a label value: at most 63 characters of [A-Za-z0-9-_.]."""
    if _LABEL_VALUE.fullmatch(value) is None:
        raise ValueError(f"{validators.shown(value)} is not a valid label value")
    return value
