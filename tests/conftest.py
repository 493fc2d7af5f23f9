"""Shared fixtures live in tests/plugins/, one module per kind of real part (AWS endpoint, models)."""

pytest_plugins = ["tests.plugins.aws", "tests.plugins.models"]
