"""Resource IDs as templates: rendered after a create, parsed for an import.

A template is the Terraform provider's own ``{{field}}`` import format with
single braces and wire (camelCase) field names, e.g.
``projects/{project}/regions/{region}/addresses/{name}``. Most fields are one
path segment; a few hold slashes or spaces of their own and have their own
patterns (an IAM ``role`` such as ``roles/cloudsql.client``, a member such as
``serviceAccount:p.svc.id.goog[ns/sa]``, a service account's full name).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

_FIELD = re.compile(r"\{(\w+)\}")
_SEGMENT = r"[^/ ]+"
_PATTERNS = {
    "role": r"(?:(?:projects|organizations)/[^/ ]+/)?roles/[^/ ]+",
    "member": r".+",
    "serviceAccountId": r"projects/[^/ ]+/serviceAccounts/[^/ ]+",
    "host": r"[^/ ]*",
}


@functools.cache
def _compiled(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    last = 0
    for match in _FIELD.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        field = match.group(1)
        parts.append(f"(?P<{field}>{_PATTERNS.get(field, _SEGMENT)})")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts))


def parse(templates: Iterable[str], resource_id: str) -> dict[str, str] | None:
    """The fields of the first template ``resource_id`` matches, else None."""
    for template in templates:
        match = _compiled(template).fullmatch(resource_id)
        if match:
            return match.groupdict()
    return None


def render(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each field replaced by its value (missing: empty)."""
    return _FIELD.sub(lambda m: str(values.get(m.group(1)) or ""), template)


def last_segment(path: str) -> str:
    """``projects/p/locations/l/repositories/r`` is ``r``; ``r`` is ``r``."""
    return path.rsplit("/", 1)[-1]
