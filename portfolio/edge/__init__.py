"""The edge: the DNS zone and records, the ingress gateway's static address."""
