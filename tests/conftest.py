"""Shared fixtures live in tests/plugins/, one module per kind of real part (AWS endpoint, models)."""

import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.plugins.api", "tests.plugins.aws", "tests.plugins.bulk", "tests.plugins.models"]

# Hypothesis profiles. "ci" (used when HYPOTHESIS_PROFILE is unset) is derandomized: every run draws the same
# examples, so the suite cannot fail on a run where nothing changed. "dev" draws new random examples on each
# run, to hunt for bugs (HYPOTHESIS_PROFILE=dev pytest tests/unit/text); pin what it finds as a regression
# test. Example counts come from the tests' own @settings (else hypothesis' 100); a test's @settings wins
# for the keys it sets, so no test may set derandomize. Loaded here, before any test module builds its
# settings (a settings object copies the active profile when it is created).
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", parent=settings.get_profile("default"), print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
