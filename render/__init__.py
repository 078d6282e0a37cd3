"""Offline renderer: the real program and stack files under the Pulumi mock engine."""
