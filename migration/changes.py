"""What a comparison finds: each field that differs, per object, and the report.

``compare.compare`` builds a ``Report``; ``report.format_report`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
