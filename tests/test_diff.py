"""``render.diff``: what a change does to a stack, resource by resource.

The records are the renderer's own ``resources.yaml`` of the committed
stacks, changed the way a pull request would change them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from render import diff
from render.diff import NO_CHANGES, format_diff
from tests.conftest import STACKS, rendered_stack

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
ACCOUNT = "gcp:serviceaccount/account:Account"


def records(stack: str = "prod") -> list[dict[str, Any]]:
    """A fresh copy of the stack's rendered records."""
    return copy.deepcopy(list(yaml.safe_load_all(rendered_stack(stack).resources)))


def record(docs: list[dict[str, Any]], type_: str, name: str) -> dict[str, Any]:
    (found,) = [d for d in docs if d["type"] == type_ and d["name"] == name]
    return found


def lines(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> list[str]:
    return format_diff(diff.diff(base, head)).splitlines()


@pytest.mark.parametrize("stack", STACKS)
def test_the_same_records_are_no_changes(stack: str) -> None:
    result = diff.diff(records(stack), records(stack))
    assert result.empty
    assert format_diff(result) == f"{NO_CHANGES}\n"


def test_a_changed_image_is_an_update_naming_the_field() -> None:
    head = records()
    deployment = record(head, DEPLOYMENT, "portfolio-deployment")
    deployment["inputs"]["spec"]["template"]["spec"]["containers"][0]["image"] = (
        "example.invalid/portfolio@sha256:" + "0" * 64
    )
    assert lines(records(), head) == [
        f"updated  {DEPLOYMENT} portfolio-deployment: "
        "spec.template.spec.containers[0].image"
    ]


def test_a_changed_selector_replaces_the_deployment() -> None:
    head = records()
    deployment = record(head, DEPLOYMENT, "portfolio-deployment")
    deployment["inputs"]["spec"]["selector"]["matchLabels"]["app"] = "other"
    deployment["inputs"]["spec"]["replicas"] = 7
    (line,) = lines(records(), head)
    assert line == (
        f"replaced {DEPLOYMENT} portfolio-deployment: spec.replicas, "
        "spec.selector.matchLabels.app (forces replacement)"
    )


@pytest.mark.parametrize(
    ("type_", "name", "path", "value"),
    [
        # Every Kubernetes object: its name and namespace.
        ("kubernetes:core/v1:ConfigMap", "portfolio-config", "metadata.name", "x"),
        ("kubernetes:core/v1:Service", "portfolio-service", "metadata.namespace", "x"),
        # The Google schema's ForceNew fields.
        (ACCOUNT, "portfolio-proxy", "accountId", "portfolio-other"),
        ("gcp:sql/databaseInstance:DatabaseInstance", "portfolio-sql-instance",
         "region", "europe-west1"),
        # Every argument of an IAM member.
        ("gcp:projects/iAMMember:IAMMember", "portfolio-proxy-sql-client",
         "role", "roles/viewer"),
        # A new generated value is a new resource.
        ("random:index/randomPassword:RandomPassword", "portfolio-sql-password",
         "length", 12),
    ],
)  # fmt: skip
def test_fields_the_provider_cannot_change_replace(
    type_: str, name: str, path: str, value: Any
) -> None:
    head = records()
    target = record(head, type_, name)["inputs"]
    *parents, leaf = path.split(".")
    for key in parents:
        target = target[key]
    target[leaf] = value
    (step,) = diff.diff(records(), head).steps
    assert (step.verb, step.type, step.name) == ("replaced", type_, name)
    assert step.forcing == {path}


def test_a_patch_resource_is_updated_in_place() -> None:
    head = records("prod")
    patch = record(head, "kubernetes:core/v1:ServicePatch", "portfolio-ingress-service")
    patch["inputs"]["spec"]["loadBalancerIP"] = "192.0.2.10"
    (step,) = diff.diff(records("prod"), head).steps
    assert step.verb == "updated"


def test_replace_on_changes_is_honoured() -> None:
    head = records()
    config = record(head, "kubernetes:core/v1:ConfigMap", "portfolio-config")
    config["options"]["replaceOnChanges"] = ["data"]
    config["inputs"]["data"]["NODE_ENV"] = "test"
    (step,) = diff.diff(records(), head).steps
    assert step.verb == "replaced"
    assert step.paths == ("data.NODE_ENV", "options.replaceOnChanges")


def test_created_and_deleted_in_verb_order_then_type_and_name() -> None:
    base, head = records(), records()
    gone = record(base, "kubernetes:core/v1:ConfigMap", "portfolio-config")
    new = copy.deepcopy(gone)
    new["name"] = "portfolio-extra"
    new["urn"] = gone["urn"].replace("::portfolio-config", "::portfolio-extra")
    head = [r for r in head if r["urn"] != gone["urn"]] + [new]
    deployment = record(head, DEPLOYMENT, "portfolio-deployment")
    deployment["inputs"]["spec"]["minReadySeconds"] = 99
    assert lines(base, head) == [
        "created  kubernetes:core/v1:ConfigMap portfolio-extra",
        f"updated  {DEPLOYMENT} portfolio-deployment: spec.minReadySeconds",
        "deleted  kubernetes:core/v1:ConfigMap portfolio-config",
    ]


def test_a_whole_new_container_is_one_path_not_one_per_field() -> None:
    head = records()
    spec = record(head, DEPLOYMENT, "portfolio-deployment")["inputs"]["spec"]
    containers = spec["template"]["spec"]["containers"]
    containers.append(copy.deepcopy(containers[0]))
    (step,) = diff.diff(records(), head).steps
    assert step.paths == (f"spec.template.spec.containers[{len(containers) - 1}]",)


def test_an_alias_to_the_old_urn_is_the_same_resource() -> None:
    """The program's accounts carry aliases from their old type token."""
    head = records()
    account = record(head, ACCOUNT, "portfolio-proxy")
    old_type = account["options"]["aliases"][0]["spec"]["type"]
    assert old_type != ACCOUNT
    base = records()
    old = record(base, ACCOUNT, "portfolio-proxy")
    old["urn"] = old["urn"].replace(f"${ACCOUNT}::", f"${old_type}::")
    old["type"] = old_type
    assert diff.diff(base, head).empty


def test_without_the_alias_it_is_a_create_and_a_delete() -> None:
    head = records()
    account = record(head, ACCOUNT, "portfolio-proxy")
    old_type = account["options"]["aliases"][0]["spec"]["type"]
    del account["options"]["aliases"]
    base = records()
    old = record(base, ACCOUNT, "portfolio-proxy")
    old["urn"] = old["urn"].replace(f"${ACCOUNT}::", f"${old_type}::")
    assert [step.verb for step in diff.diff(base, head).steps] == [
        "created",
        "deleted",
    ]


def retyped_root(alias: bool) -> list[dict[str, Any]]:
    """The records with the top component's type renamed, every URN under it too."""
    old, new = "portfolio:index:PortfolioDeployment", "portfolio:index:Portfolio"
    head = records()
    for doc in head:
        for key in ("urn", "parent"):
            if doc.get(key):
                doc[key] = doc[key].replace(f"::{old}", f"::{new}")
        if doc["type"] == old:
            doc["type"] = new
            if alias:
                doc["options"]["aliases"] = [{"spec": {"type": old, "parentUrn": ""}}]
    return head


def test_children_inherit_their_parent_alias() -> None:
    """Only the component has an alias; its descendants follow it, at any depth.

    pulumi/pulumi ``inheritedChildAlias``.
    """
    base = records()
    head = retyped_root(alias=True)
    assert {r["urn"] for r in head}.isdisjoint(
        r["urn"] for r in base if "Portfolio" in r["urn"]
    )
    assert diff.diff(base, head).empty
    unaliased = diff.diff(base, retyped_root(alias=False))
    verbs = {step.verb for step in unaliased.steps}
    assert verbs == {"created", "deleted"}


def test_a_read_is_not_something_made_in_the_cloud() -> None:
    base = records()
    reference = "pulumi:pulumi:StackReference"
    head = records()
    base = [r for r in base if r["type"] != reference]
    (line, _) = [line for line in lines(base, head) if reference in line]
    assert line.startswith(f"created  {reference} portfolio-runs-dev")
    assert line.endswith("(read only: nothing is made in the cloud)")


def test_a_protected_resource_deleted_says_so() -> None:
    base = records()
    head = [r for r in records() if r["type"] != "gcp:dns/managedZone:ManagedZone"]
    (line,) = lines(base, head)
    assert line.startswith("deleted  gcp:dns/managedZone:ManagedZone ")
    assert line.endswith(
        "(protected: pulumi up refuses until it is unprotected)"
        " (retained: it stays in the cloud, only the stack forgets it)"
    )


def test_secret_values_are_never_in_the_lines() -> None:
    base, head = records(), records()
    secret = record(head, "kubernetes:core/v1:Secret", "portfolio-secrets")
    secret["inputs"]["stringData"]["FAKE_NEW_KEY"] = "FAKE-SECRET-VALUE-0001"
    output = format_diff(diff.diff(base, head))
    assert "stringData.FAKE_NEW_KEY" in output
    assert "FAKE-SECRET-VALUE-0001" not in output


def test_manifest_diff_follows_the_resource_lines() -> None:
    before = rendered_stack("dev").kubernetes
    after = before.replace("replicas: 1", "replicas: 2", 1)
    manifest = diff.manifest_diff(before, after, "dev (base)", "dev (head)")
    text = format_diff(diff.Diff(manifest=manifest))
    assert text.startswith("--- dev (base)\n+++ dev (head)\n@@")
    assert "\n-  replicas: 1\n+  replicas: 2\n" in text


@pytest.mark.parametrize(
    "text",
    ["{", "- just a list\n", "urn: x\ntype: y\n"],
)
def test_records_that_are_not_a_render_are_an_error(text: str) -> None:
    with pytest.raises(diff.DiffError, match=r"^base: "):
        diff.records(text, "base")


def test_another_cluster_replaces_every_object_on_it() -> None:
    """A replaced provider has a new ID: its objects are made again."""
    head = records("dev")
    provider = record(head, "pulumi:providers:kubernetes", "kubernetes")
    provider["inputs"]["context"] = "gke_other-project_europe-west1_other"
    steps = diff.diff(records("dev"), head).steps
    replaced = {(step.type, step.name): step for step in steps}
    assert all(step.verb == "replaced" for step in steps)
    objects = [r for r in head if r.get("provider") == provider["urn"]]
    assert objects
    for obj in objects:
        step = replaced[(obj["type"], obj["name"])]
        assert step.paths == ("provider",)
        assert step.forcing == {"provider"}
    assert replaced[("pulumi:providers:kubernetes", "kubernetes")].paths == ("context",)
    assert len(steps) == len(objects) + 1  # nothing of Google's


def test_a_changed_gcp_provider_setting_replaces_nothing() -> None:
    head = records("dev")
    record(head, "pulumi:providers:gcp", "gcp")["inputs"]["region"] = "us-east1"
    assert [step.verb for step in diff.diff(records("dev"), head).steps] == ["updated"]


def test_two_resources_claiming_one_old_urn_is_an_error() -> None:
    base = records()
    head = records()
    account = record(head, ACCOUNT, "portfolio-proxy")
    twin = copy.deepcopy(account)
    twin["name"] = "portfolio-proxy-twin"
    twin["urn"] = account["urn"] + "-twin"
    twin["options"]["aliases"] = [{"urn": account["urn"]}]
    with pytest.raises(diff.DiffError, match=r"-twin: its alias .* another resource"):
        diff.diff(base, [*head, twin])


@pytest.mark.parametrize(
    "ignore",
    [
        "spec.replicas",
        "spec",
        'spec["replicas"]',
        "*",
        "spec.template.spec.containers[*].image",
    ],
)
def test_ignored_paths_never_change(ignore: str) -> None:
    head = records()
    deployment = record(head, DEPLOYMENT, "portfolio-deployment")
    deployment["options"]["ignoreChanges"] = [ignore]
    base = copy.deepcopy(records())
    record(base, DEPLOYMENT, "portfolio-deployment")["options"]["ignoreChanges"] = [
        ignore
    ]
    spec = deployment["inputs"]["spec"]
    if "replicas" in ignore or ignore in ("spec", "*"):
        spec["replicas"] = 9
    else:
        spec["template"]["spec"]["containers"][0]["image"] = "example.invalid/x:1"
    assert diff.diff(base, head).empty


def test_an_ignored_path_leaves_the_others_compared() -> None:
    head = records()
    deployment = record(head, DEPLOYMENT, "portfolio-deployment")
    deployment["options"]["ignoreChanges"] = ["spec.replicas"]
    deployment["inputs"]["spec"]["replicas"] = 9
    deployment["inputs"]["spec"]["minReadySeconds"] = 99
    (step,) = diff.diff(records(), head).steps
    assert step.paths == ("spec.minReadySeconds", "options.ignoreChanges")
