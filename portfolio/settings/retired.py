"""Keys the program no longer reads, and what a user who sets one is told."""

# Keys earlier versions read, and what took their place.
REMOVED = {
    "nextauthUrl": "was removed: NEXTAUTH_URL is https://<portfolio:host>; "
    "set portfolio:host",
    "cloudSqlConnectionName": "was removed: CLOUD_SQL_CONNECTION_NAME comes from "
    "the stack's Cloud SQL instance (portfolio:sqlInstanceName)",
    "databaseUrl": "was removed: DATABASE_URL is composed from the stack's Cloud SQL "
    "instance, database and user; to keep an existing password, set "
    "portfolio:databasePassword with --secret",
}


# Keys that set what the kustomize base fixed: constants now (docs/configuration.md).
MOVED = frozenset(
    {
        "commonAnnotations",
        "commonLabels",
        "containerPort",
        "dnsDomain",
        "dnsRecordTtl",
        "dnsZoneDescription",
        "dnsZoneName",
        "healthPath",
        "imagePullPolicy",
        "ingressAddressName",
        "ingressGatewaySelector",
        "ingressNamespace",
        "ingressServiceName",
        "livenessProbe",
        "minReadySeconds",
        "networkPolicyEgressPorts",
        "networkPolicyIngressNamespaces",
        "networkPolicyOpenIngress",
        "preStopSleepSeconds",
        "proxyCpuLimit",
        "proxyCpuRequest",
        "proxyHealthPort",
        "proxyImage",
        "proxyImagePullPolicy",
        "proxyLivenessProbe",
        "proxyMemoryLimit",
        "proxyMemoryRequest",
        "proxyPort",
        "proxyStartupProbe",
        "readinessProbe",
        "registryKeepCount",
        "registryKeepDigests",
        "registryUntaggedRetentionDays",
        "runAsUser",
        "serviceAnnotations",
        "servicePort",
        "sqlAuthorizedNetworks",
        "sqlBackupStartTime",
        "sqlBackupsEnabled",
        "sqlCharset",
        "sqlCollation",
        "sqlDatabaseVersion",
        "sqlMaintenanceDay",
        "sqlMaintenanceHour",
        "sqlRegion",
        "sqlSslMode",
        "startupProbe",
        "terminationGracePeriodSeconds",
        "tlsClusterIssuer",
        "writablePaths",
    }
)


def message(key: str) -> str | None:
    """What a user who sets ``key`` (no namespace) is told, if it was a setting."""
    if key in REMOVED:
        return REMOVED[key]
    if key in MOVED:
        return (
            "is a setting no more: its value is a constant in the code "
            '(docs/configuration.md, "What moved")'
        )
    return None
