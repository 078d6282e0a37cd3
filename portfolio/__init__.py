"""The portfolio Pulumi program: ``PortfolioDeployment`` and one package per feature.

``deployment`` composes the features; ``stack`` is the edge that reads the
running stack's config; ``settings`` parses it once; ``providers`` makes the
explicit providers. Each feature package holds its component and its pure
spec builders: ``workload`` (the app's Kubernetes objects and pod), ``images``
(the Artifact Registry repository and which image runs), ``identities`` (the
Google service accounts), ``database`` (Cloud SQL), ``edge`` (DNS and the
ingress address), ``mesh`` (Istio routing and the certificate).
"""
