"""What must survive: a destroy of dev touches nothing of prod's and nothing shared.

``pulumi destroy`` deletes what the stack's state holds, and the state holds
what the program registers, less what it only reads. So dev's registrations
are checked: every object it manages is dev's own, and the shared ones (the
repository, the DNS zone, the ingress address) are reads there. Where losing a
thing loses data, it is protected in the stack that owns it.
"""

from __future__ import annotations

from typing import Any

import yaml

from policy.rules import MUST_SURVIVE
from tests.conftest import rendered_stack


def managed(stack: str) -> list[dict[str, Any]]:
    """What a destroy of ``stack`` deletes: its resources, not its reads."""
    return [
        r
        for r in yaml.safe_load_all(rendered_stack(stack).resources)
        if not r["type"].startswith("portfolio:")  # components hold nothing
        and "id" not in r.get("options", {})
        and not r["type"].startswith("pulumi:providers:")
    ]


def identity(resource: dict[str, Any]) -> str:
    """The inputs that name what a resource is in the cloud or cluster."""
    inputs = resource["inputs"]
    meta = inputs.get("metadata", {})
    fields = [meta.get("name"), meta.get("namespace")]
    fields += [inputs.get(k) for k in ("name", "accountId", "member", "instance")]
    return " ".join(str(f) for f in fields if f)


def test_a_destroy_of_dev_touches_nothing_of_prod_or_shared() -> None:
    resources = managed("dev")
    assert len(resources) > 20
    for resource in resources:
        assert resource["type"] not in MUST_SURVIVE or resource["inputs"]["name"] == (
            "portfolio-dev-db"
        ), resource["name"]
        assert "prod" not in identity(resource), resource["name"]
        if resource["type"].startswith("kubernetes:"):
            meta = resource["inputs"]["metadata"]
            where = meta.get("namespace", meta["name"])  # a Namespace is its own
            own_certificate = where == "istio-system" and "-dev-" in meta["name"]
            assert where == "dev" or own_certificate, resource["name"]
        if resource["type"] == "gcp:dns/recordSet:RecordSet":
            assert resource["inputs"]["name"].endswith(".dev.hugecat.net.")


def test_dev_only_reads_the_shared_things() -> None:
    reads = {
        r["type"]
        for r in yaml.safe_load_all(rendered_stack("dev").resources)
        if "id" in r.get("options", {})
    }
    assert "gcp:compute/address:Address" in reads
    managed_types = {r["type"] for r in managed("dev")}
    for shared in (
        "gcp:artifactregistry/repository:Repository",
        "gcp:dns/managedZone:ManagedZone",
        "gcp:compute/address:Address",
    ):
        assert shared not in managed_types


def test_what_loses_data_is_protected_where_it_is_owned() -> None:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for stack in ("dev", "staging", "prod"):
        for r in managed(stack):
            by_type.setdefault(r["type"], []).append(r)
    for type_ in MUST_SURVIVE:
        assert by_type[type_], type_
        assert all(r["options"].get("protect") for r in by_type[type_]), type_
    # Each SQL instance also has the API's own deletion protection.
    for instance in by_type["gcp:sql/databaseInstance:DatabaseInstance"]:
        assert instance["inputs"]["deletionProtection"] is True


def test_prods_namespace_is_protected_and_retained_the_others_are_not() -> None:
    def namespace(stack: str) -> dict[str, Any]:
        (match,) = [
            r for r in managed(stack) if r["type"] == "kubernetes:core/v1:Namespace"
        ]
        return dict(match["options"])

    assert namespace("prod") == {"protect": True, "retainOnDelete": True}
    assert namespace("dev") == namespace("staging") == {}
