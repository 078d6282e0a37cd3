"""How requests for the stack's hosts reach the app: Istio and the certificate.

Every host comes from ``host`` and ``redirectHosts``; nothing of prod's names
is written out, so another stack never claims prod's hosts.
"""

from __future__ import annotations

from typing import Any

import yaml

from render import output
from tests.conftest import find, make_settings, manifests, run_component

PROD_HOST = "portfolio.hugecat.net"
REDIRECTS = ["hugecat.net", "www.hugecat.net"]
MESH_KINDS = ("Gateway", "VirtualService", "AuthorizationPolicy", "Certificate")


def docs(namespace: str = "test", **overrides: Any) -> list[dict[str, Any]]:
    return manifests(run_component(make_settings(namespace, **overrides)))


def gateway(found: list[dict[str, Any]]) -> dict[str, Any]:
    return find(found, "Gateway", "portfolio-gateway")


def virtual_service(found: list[dict[str, Any]]) -> dict[str, Any]:
    return find(found, "VirtualService", "portfolio-virtualservice")


def certificate(
    found: list[dict[str, Any]], name: str = "portfolio-test-tls-cert"
) -> dict[str, Any]:
    return find(found, "Certificate", name)


def redirects(service: dict[str, Any]) -> list[dict[str, Any]]:
    return [rule for rule in service["spec"]["http"] if "redirect" in rule]


def test_istio_objects_live_in_the_stack_namespace() -> None:
    found = docs("staging")
    assert gateway(found)["metadata"]["namespace"] == "staging"
    assert virtual_service(found)["metadata"]["namespace"] == "staging"
    policy = find(found, "AuthorizationPolicy", "portfolio-allow-all")
    assert policy["metadata"]["namespace"] == "staging"


def test_the_certificate_lives_where_the_gateway_reads_it() -> None:
    found = docs()
    assert certificate(found)["metadata"]["namespace"] == "istio-system"
    assert gateway(found)["metadata"]["namespace"] == "test"


def test_the_gateway_serves_the_certificate_secret() -> None:
    found = docs(tlsCertificateName="portfolio-test-tls")
    cert = certificate(found, "portfolio-test-tls")
    assert cert["spec"]["secretName"] == "portfolio-test-tls"
    (https,) = [s for s in gateway(found)["spec"]["servers"] if "tls" in s]
    assert https["port"]["number"] == 443
    assert https["tls"] == {"mode": "SIMPLE", "credentialName": "portfolio-test-tls"}


def test_each_stack_names_its_certificate_apart_by_default() -> None:
    # Every stack's certificate sits in the one ingress namespace.
    for stack in ("dev", "staging"):
        name = f"portfolio-{stack}-tls-cert"
        assert certificate(docs(stack), name)["spec"]["secretName"] == name


def test_the_certificate_comes_from_the_cluster_issuer() -> None:
    spec = certificate(docs())["spec"]
    assert spec["secretName"] == "portfolio-test-tls-cert"
    assert spec["issuerRef"] == {"name": "letsencrypt-prod", "kind": "ClusterIssuer"}


def test_the_gateway_selects_the_ingress_gateway_pods() -> None:
    assert gateway(docs())["spec"]["selector"] == {"istio": "ingressgateway"}


def test_every_host_is_served_routed_and_certified() -> None:
    found = docs("prod", host=PROD_HOST, redirectHosts=REDIRECTS)
    hosts = [PROD_HOST, *REDIRECTS]
    servers = gateway(found)["spec"]["servers"]
    assert {s["port"]["number"] for s in servers} == {80, 443}
    for server in servers:
        assert server["hosts"] == hosts
    assert virtual_service(found)["spec"]["hosts"] == hosts
    assert certificate(found, "portfolio-prod-tls-cert")["spec"]["dnsNames"] == hosts


def test_the_virtual_service_binds_to_the_stack_gateway() -> None:
    found = docs()
    assert virtual_service(found)["spec"]["gateways"] == [
        gateway(found)["metadata"]["name"]
    ]


def test_each_redirect_host_answers_301_to_the_host_then_the_app() -> None:
    found = docs("prod", host=PROD_HOST, redirectHosts=REDIRECTS)
    http = virtual_service(found)["spec"]["http"]
    assert http[:2] == [
        {
            "match": [{"headers": {"host": {"exact": redirected}}}],
            "redirect": {"authority": PROD_HOST, "redirectCode": 301},
        }
        for redirected in REDIRECTS
    ]
    assert http[2:] == [
        {
            "match": [{"uri": {"prefix": "/"}}],
            "route": [
                {
                    "destination": {
                        "host": "portfolio.prod.svc.cluster.local",
                        "port": {"number": 80},
                    }
                }
            ],
        }
    ]


def test_without_redirect_hosts_everything_routes_to_the_app() -> None:
    service = virtual_service(docs("staging"))
    assert redirects(service) == []
    (route,) = service["spec"]["http"]
    (destination,) = route["route"]
    assert destination["destination"] == {
        "host": "portfolio.staging.svc.cluster.local",
        "port": {"number": 80},
    }


def test_the_app_is_public_to_every_request() -> None:
    policy = find(docs(), "AuthorizationPolicy", "portfolio-allow-all")
    assert policy["spec"] == {
        "selector": {"matchLabels": {"app": "portfolio"}},
        "action": "ALLOW",
        "rules": [{}],
    }


def test_another_stack_never_mentions_prod_hosts() -> None:
    regs = run_component(make_settings("staging", host="portfolio.staging.hugecat.net"))
    mesh = [d for d in manifests(regs) if d["kind"] in MESH_KINDS]
    assert len(mesh) == len(MESH_KINDS)
    rendered = yaml.safe_dump_all(mesh) + output.resources_yaml(regs)
    assert "portfolio.staging.hugecat.net" in rendered
    assert PROD_HOST not in rendered
    assert "www.hugecat.net" not in rendered
