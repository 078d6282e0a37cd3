"""The mesh: Istio Gateway, VirtualService, AuthorizationPolicy, the certificate."""
