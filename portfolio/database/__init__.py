"""The stack's Cloud SQL instance, database and user."""
