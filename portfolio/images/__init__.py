"""The Artifact Registry repository and the image plan: which reference the pods run."""
