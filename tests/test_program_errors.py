"""How a stack file's problems reach the engine: one line each, no traceback.

Under the real engine (``make e2e``, scenario ``refused``) a plain exception
from the program is printed with its traceback; a ``pulumi.RunError`` is
printed as its message alone.
"""

from __future__ import annotations

import pulumi
import pytest

from portfolio.settings.parsing import SettingsError
from portfolio.stack import load_settings


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str, dict[str, object]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, object], list[tuple[str, str]] | None]:
        return {}, None


def test_a_bad_stack_file_is_a_run_error_of_one_line_per_problem() -> None:
    pulumi.runtime.set_mocks(_Mocks(), project="portfolio", stack="qa", preview=False)
    pulumi.runtime.set_all_config(
        {"portfolio:nodeEnvv": "production", "portfolio:replicas": "many"}
    )
    try:
        with pytest.raises(pulumi.RunError) as raised:
            load_settings()
    finally:
        pulumi.runtime.set_all_config({})
    lines = str(raised.value).splitlines()
    assert any("portfolio:nodeEnvv" in line for line in lines)
    assert any("portfolio:replicas" in line for line in lines)
    assert all(line.startswith("Pulumi.qa.yaml: ") for line in lines)


def test_a_key_holding_a_newline_cannot_forge_a_line_under_the_engine() -> None:
    error = SettingsError(
        [("portfolio:a\nerror: forged", "is not a known setting")],
        source="Pulumi.dev.yaml",
    )
    (line,) = str(error).splitlines()
    assert line == (
        "Pulumi.dev.yaml: portfolio:a\\nerror: forged: is not a known setting"
    )
