"""tarjama: Arabic news articles cleaned, translated to English and summarized in both languages."""

__version__ = "0.1.0"

# Bumped whenever a change alters results for the same input and models: it is part of every cache key,
# so stale results simply stop matching instead of being served.
PIPELINE_VERSION = "1"
