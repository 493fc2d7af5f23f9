"""Fixtures for tiny models built once per test session. Filled by the models work."""
