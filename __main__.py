"""The portfolio stack: read this stack's settings, build the deployment, export."""

import pulumi

from portfolio import providers
from portfolio.deployment import PortfolioDeployment, PortfolioDeploymentArgs
from portfolio.images.repository import RUNNING_DIGEST_OUTPUT
from portfolio.stack import load_settings

settings = load_settings()
portfolio = PortfolioDeployment(
    "portfolio",
    PortfolioDeploymentArgs(settings=settings, providers=providers.create(settings)),
)

pulumi.export("namespace", portfolio.namespace)
pulumi.export("deploymentName", portfolio.deployment_name)
pulumi.export("serviceName", portfolio.service_name)
pulumi.export("image", portfolio.image)
# What the stack runs; the image repository's owner keeps it (registryConsumerStacks).
pulumi.export(RUNNING_DIGEST_OUTPUT, portfolio.image_digest)
pulumi.export("repositoryUrl", portfolio.repository_url)
pulumi.export("pullServiceAccount", portfolio.pull_service_account)
pulumi.export("proxyServiceAccount", portfolio.proxy_service_account)
pulumi.export("sqlConnectionName", portfolio.sql_connection_name)
pulumi.export("ingressAddress", portfolio.ingress_address)
pulumi.export("url", portfolio.url)
