"""Which image the Deployment runs, and that the registry keeps it.

Under the mock engine the fake registry answers ``getDockerImage`` with a
stand-in digest derived from the image reference (``render.fakes``).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from portfolio.images.plan import ImageNotFoundError
from render.fakes import (
    GET_DOCKER_IMAGE,
    STAND_IN_DIGEST_PREFIX,
    FakeCloud,
    stand_in_digest,
)
from render.harness import Registration
from tests.conftest import (
    container,
    deployed_stack_outputs,
    make_settings,
    manifests,
    of_type,
    run_component,
)

REPOSITORY_URL = "us-central1-docker.pkg.dev/kame-457417/kame-house-images"
REPOSITORY = "gcp:artifactregistry/repository:Repository"
EXPLICIT = "sha256:" + "ab" * 32


class LookupRecorder(FakeCloud):
    """The fake cloud, remembering every image lookup and who answered it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lookups: list[tuple[dict[str, Any], str]] = []

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        """Record the lookup, then answer it as the fake cloud does."""
        self.lookups.append((dict(args.args), args.provider))
        return super().call(args)


class PushedAgain(FakeCloud):
    """A registry where the tag has moved on to a new build."""

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        """Answer with a digest other than the first build's."""
        answer = dict(super().call(args))
        answer["selfLink"] = answer["selfLink"].replace("@sha256:0", "@sha256:1", 1)
        return answer


def app_image(regs: list[Registration]) -> str:
    return str(container(manifests(regs), "portfolio")["image"])


def kept(regs: list[Registration]) -> list[str]:
    (repository,) = of_type(regs, REPOSITORY)
    policies = {p["id"]: p for p in repository.inputs["cleanupPolicies"]}
    pinned = policies.get("keep-pinned-digests", {"condition": {}})
    return list(pinned["condition"].get("versionNamePrefixes", []))


def by_name(docs: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    """Objects by kind and name: registration order may vary between runs."""
    return {(d["kind"], d["metadata"]["name"]): d for d in docs}


def component_outputs(regs: list[Registration]) -> dict[str, Any]:
    (top,) = [r for r in regs if r.type == "portfolio:index:PortfolioDeployment"]
    assert top.outputs is not None
    return top.outputs


def test_the_tag_is_resolved_to_its_digest_through_the_gcp_provider() -> None:
    fake = LookupRecorder()
    regs = run_component(make_settings("dev"), fake)
    digest = stand_in_digest(f"{REPOSITORY_URL}/portfolio:latest")
    assert app_image(regs) == f"{REPOSITORY_URL}/portfolio@{digest}"
    assert container(manifests(regs), "portfolio")["imagePullPolicy"] == "Always"
    ((args, provider),) = fake.lookups
    assert args == {
        "project": "kame-457417",
        "location": "us-central1",
        "repositoryId": "kame-house-images",
        "imageName": "portfolio:latest",
    }
    assert provider.startswith("urn:pulumi:dev::portfolio::pulumi:providers:gcp::gcp::")
    outputs = component_outputs(regs)
    assert outputs["imageDigest"] == digest
    assert outputs["image"] == app_image(regs)


def test_the_stand_in_digest_is_recognisable_and_stable() -> None:
    digest = stand_in_digest(f"{REPOSITORY_URL}/portfolio:latest")
    assert digest.startswith(STAND_IN_DIGEST_PREFIX)
    assert len(digest) == len("sha256:") + 64
    assert digest == stand_in_digest(f"{REPOSITORY_URL}/portfolio:latest")
    assert digest != stand_in_digest(f"{REPOSITORY_URL}/portfolio:v2")


def test_an_image_without_a_tag_is_looked_up_as_latest() -> None:
    fake = LookupRecorder()
    run_component(make_settings("dev", image=f"{REPOSITORY_URL}/team/web"), fake)
    ((args, _),) = fake.lookups
    assert args["imageName"] == "team/web:latest"


def test_a_new_push_changes_the_deployment_and_nothing_else_changes() -> None:
    settings = make_settings("dev")
    first = run_component(settings)
    again = run_component(settings)
    pushed = run_component(settings, PushedAgain())
    assert app_image(again) == app_image(first)
    assert app_image(pushed) != app_image(first)
    assert by_name(manifests(again)) == by_name(manifests(first))


def test_an_explicit_digest_runs_exactly_that_without_a_lookup() -> None:
    image = f"{REPOSITORY_URL}/portfolio@{EXPLICIT}"
    fake = LookupRecorder()
    regs = run_component(make_settings("prod", image=image), fake)
    assert fake.lookups == []
    assert app_image(regs) == image
    assert component_outputs(regs)["imageDigest"] == EXPLICIT
    assert EXPLICIT in kept(regs)


def test_tag_mode_runs_the_plain_tag_and_exports_no_digest() -> None:
    fake = LookupRecorder()
    regs = run_component(make_settings("prod", pinImageDigest=False), fake)
    assert fake.lookups == []
    assert app_image(regs) == f"{REPOSITORY_URL}/portfolio:latest"
    assert component_outputs(regs).get("imageDigest") is None
    assert kept(regs) == []


def test_a_missing_tag_fails_with_one_line_naming_image_and_tag() -> None:
    reference = f"{REPOSITORY_URL}/portfolio:nope"
    fake = FakeCloud(missing_images={reference})
    with pytest.raises(ImageNotFoundError) as raised:
        run_component(make_settings("dev", image=reference), fake)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("portfolio:image: tag 'nope' of ")
    assert f"{REPOSITORY_URL}/portfolio was not found" in message
    assert isinstance(raised.value, pulumi.RunError)  # printed without a traceback


def test_the_owner_keeps_what_it_and_every_consumer_stack_run() -> None:
    settings = make_settings("prod", registryConsumerStacks=["dev", "staging"])
    regs = run_component(settings)
    own = stand_in_digest(f"{REPOSITORY_URL}/portfolio:latest")
    theirs = [
        deployed_stack_outputs(f"organization/portfolio/{stack}")["imageDigest"]
        for stack in ("dev", "staging")
    ]
    assert kept(regs) == sorted([own, *theirs])


def test_a_consumer_running_a_plain_tag_adds_nothing() -> None:
    fake = FakeCloud(stacks=lambda name: {})
    settings = make_settings("prod", registryConsumerStacks=["dev"])
    own = stand_in_digest(f"{REPOSITORY_URL}/portfolio:latest")
    assert kept(run_component(settings, fake)) == [own]


def test_a_consumer_exporting_something_else_fails_the_owner() -> None:
    fake = FakeCloud(stacks=lambda name: {"imageDigest": "latest"})
    settings = make_settings("prod", registryConsumerStacks=["dev"])
    with pytest.raises(pulumi.RunError, match="stack dev exports imageDigest 'latest'"):
        run_component(settings, fake)


def test_a_consumer_that_was_never_deployed_fails_the_owner() -> None:
    settings = make_settings("prod", registryConsumerStacks=["dev"])
    with pytest.raises(LookupError, match="organization/portfolio/dev"):
        run_component(settings, FakeCloud())


def test_lookups_answer_only_get_docker_image() -> None:
    fake = FakeCloud()
    with pytest.raises(NotImplementedError):
        fake.call(pulumi.runtime.MockCallArgs("gcp:other/getThing:getThing", {}, ""))
    answer = fake.call(
        pulumi.runtime.MockCallArgs(
            GET_DOCKER_IMAGE,
            {
                "project": "p-123456",
                "location": "us-central1",
                "repositoryId": "r",
                "imageName": "app:v1",
            },
            "",
        )
    )
    assert answer["selfLink"].startswith("us-central1-docker.pkg.dev/p-123456/r/app@")
    assert answer["tags"] == ["v1"]
