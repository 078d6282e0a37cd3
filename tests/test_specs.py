"""Pure spec builders: what each one puts in the manifest, without an harness."""

from __future__ import annotations

import base64
import hashlib
import json

from portfolio import names
from portfolio.deployment import pod_shape
from portfolio.identities import identity_specs
from portfolio.images import repository_specs
from portfolio.workload import app_specs, pod_specs, proxy_specs
from tests.conftest import make_settings

IMAGE = "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio@sha256:" + (
    "ab" * 32
)


def test_app_container_matches_the_base() -> None:
    c = pod_specs.app_container(pod_shape(make_settings()), IMAGE)
    assert (c.name, c.image_pull_policy) == ("portfolio", "Always")
    assert c.image == IMAGE
    assert [(p.container_port, p.name) for p in c.ports] == [(3000, "http")]
    assert [e.config_map_ref.name for e in c.env_from if e.config_map_ref] == [
        "portfolio-config"
    ]
    assert [e.secret_ref.name for e in c.env_from if e.secret_ref] == [
        "portfolio-secrets",
        "portfolio-db-secret",
    ]


def test_containers_are_restricted_with_read_only_roots_and_high_uids() -> None:
    shape = pod_shape(make_settings())
    app = pod_specs.app_container(shape, IMAGE)
    proxy = proxy_specs.proxy_container()
    for c, uid in ((app, 10001), (proxy, 65532)):
        sc = c.security_context
        assert sc.allow_privilege_escalation is False
        assert sc.run_as_non_root is True
        assert sc.capabilities.drop == ["ALL"]
        assert sc.read_only_root_filesystem is True
        assert (sc.run_as_user, sc.run_as_group) == (uid, uid)
    spec = pod_specs.pod_spec(shape, IMAGE)
    pod = spec.security_context
    assert pod.run_as_non_root is True
    assert pod.seccomp_profile.type == "RuntimeDefault"
    assert pod.fs_group == 10001
    assert spec.automount_service_account_token is False


def test_spread_and_anti_affinity_only_when_configured() -> None:
    plain = pod_specs.pod_spec(pod_shape(make_settings()), IMAGE)
    assert plain.topology_spread_constraints is None
    assert plain.affinity is None

    spread = pod_specs.pod_spec(
        pod_shape(make_settings(zoneSpread=True, hostAntiAffinity=True)), IMAGE
    )
    (constraint,) = spread.topology_spread_constraints
    assert (constraint.topology_key, constraint.when_unsatisfiable) == (
        "topology.kubernetes.io/zone",
        "DoNotSchedule",
    )
    (preferred,) = (
        spread.affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution
    )
    assert preferred.weight == 100
    assert preferred.pod_affinity_term.topology_key == "kubernetes.io/hostname"


def test_dockerconfigjson_escapes_the_key_and_round_trips() -> None:
    key = '{"private_key": "-----BEGIN FAKE-----\\nabc\\n", "quote": "\\""}'
    document = json.loads(
        identity_specs.dockerconfigjson("us-central1-docker.pkg.dev", key)
    )
    entry = document["auths"]["us-central1-docker.pkg.dev"]
    assert entry["username"] == "_json_key"
    assert entry["password"] == key
    assert base64.b64decode(entry["auth"]).decode() == f"_json_key:{key}"


def test_checksum_is_stable_and_changes_with_any_value() -> None:
    a = app_specs.checksum("k", {"A": "1"}, {"B": "2"})
    assert a == app_specs.checksum("k", {"A": "1"}, {"B": "2"})
    assert a != app_specs.checksum("k", {"A": "1"}, {"B": "3"})
    assert a != app_specs.checksum("k", {"A": "1", "B": "2"})
    assert len(a) == 64


def test_checksum_cannot_be_checked_against_a_guess_without_the_key() -> None:
    # The old annotation was sha256 of the data: anyone could hash a guess and
    # compare. Keyed, the same data under another key gives an unrelated value.
    data = {"NEXTAUTH_SECRET": "guess"}
    keyed = app_specs.checksum("stack key", data)
    unkeyed = hashlib.sha256(
        json.dumps([data], sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert keyed != unkeyed
    assert keyed != app_specs.checksum("another key", data)


def test_network_policy_follows_the_base_rules() -> None:
    spec = app_specs.network_policy_spec()
    assert spec.policy_types == ["Ingress", "Egress"]
    sources = [
        rule.from_[0].namespace_selector.match_labels if rule.from_ else None
        for rule in spec.ingress
    ]
    assert sources == [{"name": "istio-system"}, {"name": "gke-managed-system"}, None]
    assert all(rule.ports[0].port == 3000 for rule in spec.ingress)
    (egress,) = spec.egress
    assert egress.to == []
    assert [(p.port, p.protocol) for p in egress.ports] == [
        (443, "TCP"),
        (80, "TCP"),
        (53, "UDP"),
        (3307, "TCP"),
    ]


def test_namespace_carries_the_environment_labels_and_pod_security() -> None:
    s = make_settings(
        "dev", environmentLabels=["env=dev"], namespaceAnnotations=["a=b"]
    )
    meta = names.namespace_metadata(
        s.namespace, s.environment_labels, s.namespace_annotations
    )
    restricted = {
        f"pod-security.kubernetes.io/{mode}": "restricted"
        for mode in ("enforce", "audit", "warn")
    }
    assert (meta.name, meta.labels, meta.annotations) == (
        "dev",
        {"env": "dev", **restricted},
        {"a": "b"},
    )


def test_cleanup_policies_keep_the_given_digests_by_name() -> None:
    digest = "sha256:" + "cd" * 32
    policies = repository_specs.cleanup_policies([digest])
    assert [(p.id, p.action) for p in policies] == [
        ("keep-most-recent", "KEEP"),
        ("keep-pinned-digests", "KEEP"),
        ("delete-old-untagged", "DELETE"),
    ]
    recent, pinned, old = policies
    assert recent.most_recent_versions is not None
    assert recent.most_recent_versions.keep_count == 20
    assert pinned.condition is not None and old.condition is not None
    assert pinned.condition.version_name_prefixes == [digest]
    assert (old.condition.tag_state, old.condition.older_than) == (
        "UNTAGGED",
        f"{30 * 86_400}s",
    )
    assert repository_specs.docker_config().immutable_tags is False
