"""Fixtures for a real local AWS endpoint (moto's server on 127.0.0.1). Filled by the store work."""
