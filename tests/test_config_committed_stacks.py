"""Each committed stack's own ``portfolio:*`` values appear in its manifests.

The stack file is rendered as ``python -m render`` renders it; every key it
sets is looked up in ``test_config_reaches_manifest.FIELDS``, the table of
where each key lands.
"""

from __future__ import annotations

import pytest
import yaml

from render import harness
from render.stackfile import load_stack
from tests.conftest import ROOT, STACKS, project
from tests.test_config_reaches_manifest import FIELDS, docs_of, matches


@pytest.mark.parametrize("stack", STACKS)
def test_committed_stack_values_reach_their_fields(stack: str) -> None:
    path = ROOT / f"Pulumi.{stack}.yaml"
    checked = load_stack(project(), path)
    regs = harness.run_program(ROOT / "__main__.py", project(), checked).registrations
    docs = docs_of(regs)
    own = yaml.safe_load(path.read_text())["config"]
    checked_keys = 0
    for full_key, value in own.items():
        if not full_key.startswith("portfolio:"):
            continue
        field = FIELDS[full_key.removeprefix("portfolio:")]
        # A secure value's ciphertext stands in for the value under render.
        expected = value["secure"] if isinstance(value, dict) else value
        assert matches(field.extract(docs), field.manifest(expected)), full_key
        checked_keys += 1
    assert checked_keys >= 10
