"""The portfolio stack: read this stack's settings, build the deployment, export."""

import pulumi

from components import providers
from components.portfolio import PortfolioDeployment, PortfolioDeploymentArgs
from components.stack import load_settings

settings = load_settings()
portfolio = PortfolioDeployment(
    "portfolio",
    PortfolioDeploymentArgs(settings=settings, providers=providers.create(settings)),
)

pulumi.export("namespace", portfolio.namespace)
pulumi.export("deploymentName", portfolio.deployment_name)
pulumi.export("serviceName", portfolio.service_name)
pulumi.export("image", settings.image)
pulumi.export("repositoryUrl", portfolio.repository_url)
pulumi.export("pullServiceAccount", portfolio.pull_service_account)
pulumi.export("proxyServiceAccount", portfolio.proxy_service_account)
