"""Slack listeners, one package per kind, each with ``register(app, services)``."""
