"""The CrossGuard policy pack; its rules (``policy.rules``) are plain functions."""
