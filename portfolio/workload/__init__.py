"""The app's Kubernetes objects: the Deployment, its pod, Service, config, secrets."""
