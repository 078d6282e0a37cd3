"""``Diff``: which inputs changed, and whether that is an update or a replace.

The stand-ins know none of Google's replacement rules (Terraform's
``ForceNew``, which the Python SDK does not carry), so every changed Google
property is an in-place update, with one exception: ``keepers``, whose only
purpose in every provider that has it (``serviceaccount.Key`` here) is to
force a new resource when it changes. For pulumi-random every input forces a
replacement, as terraform-provider-random declares (``RequiresReplace`` on
each attribute). Values compare with secrets unwrapped; an unknown new value
is a change. Paths in ``detailedDiff`` are the bridge's: ``settings.tier``,
``rrdatas[0]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi.runtime.proto import provider_pb2

from e2e.standin import values

_KINDS = {
    (False, "add"): provider_pb2.PropertyDiff.ADD,
    (False, "delete"): provider_pb2.PropertyDiff.DELETE,
    (False, "update"): provider_pb2.PropertyDiff.UPDATE,
    (True, "add"): provider_pb2.PropertyDiff.ADD_REPLACE,
    (True, "delete"): provider_pb2.PropertyDiff.DELETE_REPLACE,
    (True, "update"): provider_pb2.PropertyDiff.UPDATE_REPLACE,
}


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def changes(old: Any, new: Any, path: str, out: dict[str, str]) -> None:
    """Record in ``out`` each changed path under ``path``: add, delete, update."""
    old, new = values.reveal(old), values.reveal(new)
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            changes(old.get(key), new.get(key), f"{path}.{key}", out)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (before, after) in enumerate(zip(old, new, strict=True)):
            changes(before, after, f"{path}[{i}]", out)
    elif old is None:
        out[path] = "add"
    elif new is None:
        out[path] = "delete"
    else:
        out[path] = "update"


def diff(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    replaces: Callable[[str], bool],
    ignore: Iterable[str] = (),
) -> provider_pb2.DiffResponse:
    """The ``DiffResponse`` between old and new inputs."""
    ignored = set(ignore)
    paths: dict[str, str] = {}
    for key in sorted(set(olds) | set(news)):
        if key not in ignored:
            changes(olds.get(key), news.get(key), key, paths)
    detailed = {
        path: provider_pb2.PropertyDiff(
            kind=_KINDS[(replaces(_top(path)), kind)], inputDiff=True
        )
        for path, kind in paths.items()
    }
    tops = sorted({_top(path) for path in paths})
    return provider_pb2.DiffResponse(
        changes=(
            provider_pb2.DiffResponse.DIFF_SOME
            if paths
            else provider_pb2.DiffResponse.DIFF_NONE
        ),
        diffs=tops,
        replaces=[key for key in tops if replaces(key)],
        detailedDiff=detailed,
        hasDetailedDiff=True,
        deleteBeforeReplace=False,
    )
