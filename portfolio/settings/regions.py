"""The Google Cloud regions ``gcp:region`` may name."""

# Google Cloud regions (cloud.google.com/about/locations, November 2026). A region
# Google opens later goes here; until then the API would refuse nothing here.
GCP_REGIONS = frozenset(
    {
        "africa-south1",
        *(f"asia-east{n}" for n in (1, 2)),
        *(f"asia-northeast{n}" for n in (1, 2, 3)),
        *(f"asia-south{n}" for n in (1, 2)),
        *(f"asia-southeast{n}" for n in (1, 2, 3)),
        *(f"australia-southeast{n}" for n in (1, 2)),
        "europe-central2",
        *(f"europe-north{n}" for n in (1, 2)),
        "europe-southwest1",
        *(f"europe-west{n}" for n in (1, 2, 3, 4, 6, 8, 9, 10, 12)),
        *(f"me-central{n}" for n in (1, 2)),
        "me-west1",
        *(f"northamerica-northeast{n}" for n in (1, 2)),
        "northamerica-south1",
        "southamerica-east1",
        "southamerica-west1",
        "us-central1",
        *(f"us-east{n}" for n in (1, 4, 5)),
        "us-south1",
        *(f"us-west{n}" for n in (1, 2, 3, 4)),
    }
)
# Artifact Registry's multi-regions, beside the regions (cloud.google.com/
# artifact-registry/docs/repositories/repo-locations).
MULTI_REGIONS = frozenset({"us", "europe", "asia"})
