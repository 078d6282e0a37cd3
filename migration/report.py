"""The printed report: one group after another, each change on its own line.

``path: kustomize's value -> the program's`` (JSON), with a note in
parentheses; secret values and unset fields are shown as placeholders.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from migration.changes import Change, Matched, Report
from migration.fields import ABSENT, SECRET_VALUE


def format_report(report: Report, stack: str, overlay: Path) -> str:
    """The report as text, one group after another."""
    lines = [f"compare stack {stack} with `kubectl kustomize {overlay}`", ""]
    if report.matched and not report.adopting:
        lines += [
            "portfolio:adopt is not set: the objects matched below exist, and "
            "`pulumi up` would fail creating them (AlreadyExists); set it first "
            '(docs/migration.md, "Runbook, per stack").',
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
    if value is ABSENT or value == SECRET_VALUE:
        return str(value)
    return json.dumps(value, sort_keys=True)
