"""Every Pulumi SDK internal the project uses, exercised on its own.

``render/sdk_internals.py`` is the one place that touches them; when an
SDK upgrade moves or changes one, the test named after it fails here, with the
installed version in the message, instead of deep inside a render.
"""

from __future__ import annotations

from importlib.metadata import version

import pulumi
import pytest

from portfolio import stack
from render import harness, sdk_internals

SDK = f"pulumi {version('pulumi')}"


def test_all_config_lists_every_key_the_stack_sets() -> None:
    seen: dict[str, object] = {}

    def program() -> None:
        seen.update(stack.all_config())

    config = {"portfolio:unknownKey": "1", "gcp:project": "p"}
    harness.run(program, project="p", stack="s", config=config)
    assert seen == config, f"{SDK}: pulumi.runtime.config.CONFIG changed"


def test_mock_monitor_has_the_methods_the_harness_overrides() -> None:
    for method in (
        "make_urn",
        "RegisterResource",
        "ReadResource",
        "RegisterResourceOutputs",
    ):
        assert callable(getattr(sdk_internals.MockMonitor, method, None)), (
            f"{SDK}: MockMonitor.{method} is gone"
        )


def test_secrets_round_trip_through_the_wire_format() -> None:
    def program() -> None:
        inputs = {"plain": "a", "hidden": pulumi.Output.secret("b")}
        pulumi.CustomResource("test:index:Thing", "thing", inputs)

    (thing,) = harness.run(program, project="p", stack="s", config={}).registrations
    values = thing.inputs
    assert values["plain"] == "a"
    assert sdk_internals.is_secret(values["hidden"]), f"{SDK}: secret marker changed"
    assert sdk_internals.unwrap_secret(values["hidden"]) == "b"
    assert not sdk_internals.is_secret(values["plain"])


def test_a_program_runs_to_completion_and_its_exports_are_read() -> None:
    def program() -> None:
        pulumi.export("answer", pulumi.Output.from_input(42).apply(lambda v: v + 1))

    outputs = harness.run(program, project="p", stack="s", config={}).outputs
    assert outputs == {"answer": 43}, f"{SDK}: run_pulumi_func or Stack.outputs"


def test_custom_timeouts_are_read_from_the_request_message() -> None:
    registrations = harness.run(
        lambda: pulumi.CustomResource(
            "test:index:Thing",
            "thing",
            {},
            opts=pulumi.ResourceOptions(
                custom_timeouts=pulumi.CustomTimeouts(create="5m")
            ),
        ),
        project="p",
        stack="s",
        config={},
    ).registrations
    (thing,) = registrations
    assert thing.options == {"customTimeouts": {"create": "5m"}}, SDK


@pytest.mark.parametrize(
    ("option", "recorded"),
    [
        (pulumi.ResourceOptions(protect=True), {"protect": True}),
        (pulumi.ResourceOptions(retain_on_delete=True), {"retainOnDelete": True}),
        (pulumi.ResourceOptions(import_="ns/name"), {"import": "ns/name"}),
        (
            pulumi.ResourceOptions(ignore_changes=["b", "a"]),
            {"ignoreChanges": ["a", "b"]},
        ),
        (pulumi.ResourceOptions(replace_on_changes=["x"]), {"replaceOnChanges": ["x"]}),
        (
            pulumi.ResourceOptions(delete_before_replace=True),
            {"deleteBeforeReplace": True},
        ),
        (
            pulumi.ResourceOptions(additional_secret_outputs=["s"]),
            {"additionalSecretOutputs": ["s"]},
        ),
        (
            pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old")]),
            {"aliases": [{"spec": {"name": "old", "parentUrn": ""}}]},
        ),
    ],
)
def test_every_resource_option_is_recorded(
    option: pulumi.ResourceOptions, recorded: dict[str, object]
) -> None:
    registrations = harness.run(
        lambda: pulumi.CustomResource("test:index:Thing", "thing", {}, opts=option),
        project="p",
        stack="s",
        config={},
    ).registrations
    assert registrations[0].options == recorded, SDK


def test_a_failed_run_leaves_the_next_run_unaffected() -> None:
    # A resource input that fails (a consumer's digest refused, say): the SDK
    # keeps the failed output where the next run in this process awaits it.
    def failing() -> None:
        refused = pulumi.Output.from_input("latest").apply(_refuse)
        pulumi.CustomResource("test:index:Thing", "thing", {"value": refused})

    with pytest.raises(RuntimeError, match="the provider said no"):
        harness.run(failing, project="p", stack="s", config={})
    run = harness.run(
        lambda: pulumi.export("y", "fine"), project="p", stack="s", config={}
    )
    assert run.outputs == {"y": "fine"}, f"{SDK}: a failed run leaked into the next"


def _refuse(_: str) -> str:
    raise RuntimeError("the provider said no")


def test_secret_config_keys_are_the_ones_set_as_secrets() -> None:
    seen: list[str] = []

    def program() -> None:
        seen.extend(stack.secret_config_keys())

    config = {"portfolio:nextauthSecret": "v1:FAKE", "portfolio:host": "h"}
    harness.run(
        program,
        project="p",
        stack="s",
        config=config,
        secret_keys=["portfolio:nextauthSecret"],
    )
    assert seen == ["portfolio:nextauthSecret"], f"{SDK}: secret keys moved"
