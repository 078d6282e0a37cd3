"""The e2e stand-in providers, called directly with the engine's requests.

No server, no network: each test builds the protobuf request the engine
would send and calls the servicer method with a fake gRPC context.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, NoReturn

import pytest
from pulumi.runtime.proto import provider_pb2

from e2e.standin import StandIn, schema, values
from e2e.standin.calls import Recorder
from e2e.standin.gcp import GET_DOCKER_IMAGE, GcpBehaviour
from e2e.standin.rand import RandomBehaviour
from e2e.standin.registry import push
from e2e.standin.servicer import Servicer

STACK = "urn:pulumi:e2e::portfolio::"
INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
ADDRESS = "gcp:compute/address:Address"
IMAGE = "europe-west1-docker.pkg.dev/proj-e2e/portfolio/app"

# The stand-in reads each type from the installed SDK once per process;
# importing pulumi_gcp.compute alone takes about a second, so it happens here,
# at collection, rather than inside the first test that needs it.
for _token in (INSTANCE, ADDRESS):
    schema.resource(_token)


class AbortedError(Exception):
    """What ``context.abort`` raises, as grpc's does."""

    def __init__(self, code: Any, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


class Context:
    """The parts of ``grpc.ServicerContext`` the servicer uses."""

    def peer(self) -> str:
        """One connection, as if one provider instance."""
        return "ipv4:127.0.0.1:40000"

    def abort(self, code: Any, details: str) -> NoReturn:
        """End the call, as grpc does: by raising."""
        raise AbortedError(code, details)


def urn(token: str, name: str) -> str:
    return f"{STACK}{token}::{name}"


@pytest.fixture
def gcp(tmp_path: Path) -> Servicer:
    """A configured gcp stand-in logging to ``calls.jsonl`` in ``tmp_path``."""
    behaviour = GcpBehaviour(tmp_path / "registry.json")
    servicer = Servicer(behaviour, Recorder(tmp_path / "calls.jsonl"))
    config = {"project": "proj-e2e", "region": "europe-west1", "version": "10.2.0"}
    servicer.Configure(
        provider_pb2.ConfigureRequest(
            args=values.to_struct(config), type="pulumi:providers:gcp"
        ),
        Context(),
    )
    return servicer


def check(servicer: Servicer, token: str, news: dict[str, Any]) -> Any:
    request = provider_pb2.CheckRequest(
        urn=urn(token, "db"), name="db", type=token, news=values.to_struct(news)
    )
    return servicer.Check(request, Context())


def create(servicer: Servicer, token: str, props: dict[str, Any], **kw: Any) -> Any:
    request = provider_pb2.CreateRequest(
        urn=urn(token, "r"), name="r", type=token, properties=values.to_struct(props)
    )
    request.preview = bool(kw.get("preview", False))
    return servicer.Create(request, Context())


def failures(response: Any) -> dict[str, str]:
    return {f.property: f.reason for f in response.failures}


def test_an_unknown_property_is_refused_by_name_at_any_depth(gcp: Servicer) -> None:
    news = {
        "databaseVersion": "POSTGRES_15",
        "settings": {"tier": "db-f1-micro", "ipConfiguration": {"sslMod": "x"}},
        "regoin": "europe-west1",
    }
    found = failures(check(gcp, INSTANCE, news))
    assert found["regoin"] == "Invalid or unknown key. Examine values at 'db.regoin'."
    assert "'db.settings.ipConfiguration.sslMod'" in found["settings"]


def test_a_missing_required_property_is_refused(gcp: Servicer) -> None:
    found = failures(check(gcp, INSTANCE, {"settings": {"diskSize": 10}}))
    assert '"database_version" is required' in found["databaseVersion"]
    assert "'db.settings.tier'" in found["settings"]
    assert not failures(check(gcp, INSTANCE, {"databaseVersion": "POSTGRES_15"}))


def test_an_instance_has_googles_connection_name_and_self_link(gcp: Servicer) -> None:
    props = {"name": "portfolio-db", "databaseVersion": "POSTGRES_15"}
    created = create(gcp, INSTANCE, props)
    outs = values.from_struct(created.properties)
    assert created.id == "portfolio-db"
    assert outs["connectionName"] == "proj-e2e:europe-west1:portfolio-db"
    assert outs["selfLink"] == (
        "https://sqladmin.googleapis.com/sql/v1beta4/projects/proj-e2e"
        "/instances/portfolio-db"
    )
    assert outs["publicIpAddress"].startswith("198.51.100.")
    planned = create(gcp, INSTANCE, props, preview=True)
    assert planned.id == ""
    assert values.from_struct(planned.properties)["connectionName"] == values.UNKNOWN


def invoke(servicer: Servicer, image_name: str) -> Any:
    args = {
        "location": "europe-west1",
        "repositoryId": "portfolio",
        "imageName": image_name,
    }
    request = provider_pb2.InvokeRequest(
        tok=GET_DOCKER_IMAGE, args=values.to_struct(args)
    )
    return values.from_struct(getattr(servicer.Invoke(request, Context()), "return"))


def test_a_push_changes_what_get_docker_image_returns(
    gcp: Servicer, tmp_path: Path
) -> None:
    first = push(tmp_path / "registry.json", f"{IMAGE}:v1")
    assert invoke(gcp, "app:v1")["selfLink"] == f"{IMAGE}@{first}"
    second = push(tmp_path / "registry.json", f"{IMAGE}:v1")
    assert second != first
    assert second.startswith("sha256:")
    assert len(second) == 71
    result = invoke(gcp, "app:v1")
    assert result["selfLink"] == f"{IMAGE}@{second}"
    assert result["tags"] == ["v1"]
    with pytest.raises(AbortedError, match="Requested image was not found"):
        invoke(gcp, "app:v2")


def test_secrets_stay_secret_and_out_of_the_calls_log(
    gcp: Servicer, tmp_path: Path
) -> None:
    user = create(
        gcp,
        "gcp:sql/user:User",
        {"instance": "db", "name": "app", "password": values.secret("hunter22")},
    )
    assert values.is_secret(values.from_struct(user.properties)["password"])
    key = create(gcp, "gcp:serviceaccount/key:Key", {"serviceAccountId": "pull"})
    private = values.from_struct(key.properties)["privateKey"]
    assert values.is_secret(private)
    blob = json.loads(base64.b64decode(private["value"]))
    assert "FAKE" in blob["private_key"]
    assert blob["client_email"] == "pull@proj-e2e.iam.gserviceaccount.com"
    rand = Servicer(RandomBehaviour(), Recorder(tmp_path / "calls.jsonl"))
    props = {"length": 48, "special": False}
    generated = create(rand, "random:index/randomPassword:RandomPassword", props)
    result = values.from_struct(generated.properties)["result"]
    assert generated.id == "none"
    assert values.is_secret(result)
    assert len(result["value"]) == 48
    assert result["value"].isalnum()
    log = (tmp_path / "calls.jsonl").read_text()
    for secret in ("hunter22", result["value"], private["value"]):
        assert secret not in log


def test_a_change_is_an_update_and_keepers_replace(gcp: Servicer) -> None:
    olds = {"databaseVersion": "POSTGRES_15", "settings": {"tier": "db-f1-micro"}}
    news = {"databaseVersion": "POSTGRES_15", "settings": {"tier": "db-g1-small"}}

    def diff(servicer: Servicer, token: str, old: Any, new: Any) -> Any:
        request = provider_pb2.DiffRequest(
            id="x",
            urn=urn(token, "r"),
            type=token,
            old_inputs=values.to_struct(old),
            news=values.to_struct(new),
        )
        return servicer.Diff(request, Context())

    same = diff(gcp, INSTANCE, olds, olds)
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
    changed = diff(gcp, INSTANCE, olds, news)
    assert changed.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(changed.diffs) == ["settings"]
    assert not changed.replaces
    kind = changed.detailedDiff["settings.tier"].kind
    assert kind == provider_pb2.PropertyDiff.UPDATE
    rotated = diff(
        gcp,
        "gcp:serviceaccount/key:Key",
        {"serviceAccountId": "a", "keepers": {"rotation": "1"}},
        {"serviceAccountId": "a", "keepers": {"rotation": "2"}},
    )
    assert list(rotated.replaces) == ["keepers"]


def test_an_address_read_by_id_has_its_fixed_ip(gcp: Servicer) -> None:
    token = ADDRESS
    request = provider_pb2.ReadRequest(
        id="projects/proj-e2e/regions/europe-west1/addresses/ingress",
        urn=urn(token, "a"),
        type=token,
    )
    read = gcp.Read(request, Context())
    first = values.from_struct(read.properties)["address"]
    assert first.startswith("203.0.113.")
    assert values.from_struct(read.inputs)["name"] == "ingress"
    again = values.from_struct(gcp.Read(request, Context()).properties)["address"]
    assert again == first


def test_the_standin_helper_exposes_the_attach_env(tmp_path: Path) -> None:
    standin = StandIn(tmp_path)
    standin.ports = {"gcp": 1, "random": 2}
    assert standin.env == {"PULUMI_DEBUG_PROVIDERS": "gcp:1,random:2"}
    assert standin.push(f"{IMAGE}:v1") != standin.push(f"{IMAGE}:v1")
    assert standin.calls() == []
