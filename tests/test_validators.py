"""Value formats: Kubernetes quantities, Cloud SQL tiers, image references, names."""

import re
from decimal import Decimal

import pytest

from portfolio.settings import metadata, quantities, sql_names, validators


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("100m", Decimal("0.1")),
        ("1", Decimal(1)),
        ("0.5", Decimal("0.5")),
        ("1000m", Decimal(1)),
        ("256Mi", Decimal(256 * 2**20)),
        ("1Gi", Decimal(2**30)),
        ("128M", Decimal(128 * 10**6)),
        ("1e3", Decimal(1000)),
    ],
)
def test_quantity_accepts_kubernetes_forms(text: str, number: Decimal) -> None:
    assert quantities.quantity(text) == text
    assert quantities.to_number(text) == number


@pytest.mark.parametrize("text", ["", "100 m", "1GB", "256mi", "one", "m", "1.2.3"])
def test_quantity_rejects_what_the_api_server_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a Kubernetes quantity"):
        quantities.quantity(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("8Ei", "over 2^63-1"),  # parsed as 2^63-1, silently
        ("9223372036854775808", "over 2^63-1"),  # overflows Value()
        ("1e19", "over 2^63-1"),
        ("0.5n", "finer than 1n"),  # rounded up to 1n, silently
        ("1e-10", "finer than 1n"),
        # Beyond 28 digits, or below Decimal's usual exponents: still exact.
        ("9223372036854775807.0000000001", "over 2^63-1"),
        ("1.0000000000000000000000000001", "finer than 1n"),
        ("1e-1000030", "finer than 1n"),
    ],
)
def test_quantity_rejects_what_the_api_would_change(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        quantities.quantity(text)


@pytest.mark.parametrize("text", ["7Ei", "9223372036854775807", "100n", "1e-9"])
def test_quantity_accepts_its_whole_range(text: str) -> None:
    assert quantities.quantity(text) == text


@pytest.mark.parametrize("text", ["1.2Gi", "0.5Gi", "100.5Mi", "1M", "1e6", "128Mi"])
def test_memory_takes_any_size_from_a_million_bytes(text: str) -> None:
    # Fractions of a byte are the API's to round; only a size no container
    # starts in (a unit mistake: 256m is 0.256 bytes) is refused.
    assert quantities.memory(text) == text


@pytest.mark.parametrize(
    "tier",
    [
        "db-f1-micro",
        "db-g1-small",
        "db-custom-1-3840",
        "db-custom-2-13312",
        "db-custom-96-88576",
        "db-custom-4-15360",
    ],
)
def test_sql_tier_accepts_shared_core_and_custom_tiers(tier: str) -> None:
    assert sql_names.tier(tier) == tier


@pytest.mark.parametrize(
    "tier",
    [
        "db-n1-standard-1",  # MySQL's; PostgreSQL takes custom tiers only
        "db-perf-optimized-N-2",  # Enterprise Plus, which the program does not ask for
        "db-custom-3-7680",  # odd vCPUs other than 1
        "db-custom-98-100352",  # over 96 vCPUs
        "db-custom-1-3584",  # under 3840 MiB
        "db-custom-2-7000",  # not a multiple of 256 MiB
        "db-custom-2-13568",  # over 6.5 GiB per vCPU
        "db-custom-96-88320",  # under 0.9 GiB per vCPU
        "db-custom-01-3840",
        "db-custom-1-3840\n",
        "DB-F1-MICRO",
    ],
)
def test_sql_tier_rejects_what_cloud_sql_refuses(tier: str) -> None:
    with pytest.raises(ValueError, match="not a Cloud SQL tier for PostgreSQL"):
        sql_names.tier(tier)


@pytest.mark.parametrize(
    "image",
    [
        "us-central1-docker.pkg.dev/kame-457417/kame-house-images/portfolio:latest",
        "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0",
        "nginx",
        "localhost:5000/app:1",
        "us-central1-docker.pkg.dev/p/r/portfolio@sha256:" + "a" * 64,
        "us-central1-docker.pkg.dev/p/r/portfolio:v1@sha256:" + "0" * 64,
    ],
)
def test_image_reference_accepts_tags_and_digests(image: str) -> None:
    assert validators.image_reference(image) == image


@pytest.mark.parametrize(
    "image",
    [
        "",
        "Portfolio:latest",
        "registry/app:",
        "registry/app:tag with space",
        "registry/app@sha256:short",
        "https://gcr.io/app:1",
    ],
)
def test_image_reference_rejects_malformed(image: str) -> None:
    with pytest.raises(ValueError, match="not an image reference"):
        validators.image_reference(image)


@pytest.mark.parametrize(
    "key",
    # apimachinery IsDNS1123Subdomain has no limit of a label's own: 253 in all.
    ["app", "app.kubernetes.io/name", "iam.gke.io/x-y", "a" * 70 + ".io/k"],
)
def test_metadata_key_accepts_prefixed_names(key: str) -> None:
    assert metadata.key(key) == key


@pytest.mark.parametrize(
    "key",
    ["", "-app", "Bad_Prefix/x", "a/b/c", "x" * 64, "a..b/k", "a-.b/k", ".a/k",
     "a./k", "a" * 254 + "/k", "/k"],
)  # fmt: skip
def test_metadata_key_rejects_invalid(key: str) -> None:
    with pytest.raises(ValueError, match="not a valid label or annotation key"):
        metadata.key(key)


def test_dns_label_rejects_uppercase_and_long_names() -> None:
    assert validators.dns_label("dev") == "dev"
    for bad in ("Dev", "a" * 64, "-dev", "dev_1"):
        with pytest.raises(ValueError, match="not a DNS label"):
            validators.dns_label(bad)


@pytest.mark.parametrize(
    "host", ["xn--bcher-kva.hugecat.net", "xn--fa-hia.hugecat.net", "a-b.hugecat.net"]
)
def test_a_hostname_may_hold_valid_idna_labels(host: str) -> None:
    assert validators.hostname(host) == host


@pytest.mark.parametrize("host", ["xn--zz.hugecat.net", "ab--cd.hugecat.net"])
def test_a_hostname_label_with_dashes_in_places_3_and_4_must_be_idna(host: str) -> None:
    with pytest.raises(ValueError, match=r"'--' in its third and fourth places"):
        validators.hostname(host)


@pytest.mark.parametrize(
    ("image", "problem"),
    [
        ("moon-docker.pkg.dev/kame-457417/r/a:v1", "not an Artifact Registry location"),
        ("us-central99-docker.pkg.dev/kame-457417/r/a:v1", "not an Artifact Registry"),
        (f"us-docker.pkg.dev/kame-457417/{'r' * 64}/app:v1", "not in an Artifact"),
    ],
)  # fmt: skip
def test_an_image_must_be_in_a_repository_google_can_have(
    image: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        validators.artifact_registry_parts(image)
    assert validators.artifact_registry_parts(f"us-docker.pkg.dev/p-1234/{'r' * 63}/a")


@pytest.mark.parametrize(
    "name", ["postgres", "template0", "template1", "cloudsqladmin"]
)
def test_a_database_cloud_sql_has_already_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="keeps for itself"):
        sql_names.database(name)


@pytest.mark.parametrize(
    "name",
    ["postgres", "cloudsqlsuperuser", "cloudsqladmin", "pg_x", "public", "none"],
)
def test_a_role_cloud_sql_or_postgresql_keeps_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="a role Cloud SQL or PostgreSQL keeps"):
        sql_names.user(name)
    assert sql_names.user("portfolio-dev-user") == "portfolio-dev-user"
