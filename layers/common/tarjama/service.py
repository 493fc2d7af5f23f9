"""The composition root: settings -> clients -> adapters -> `Digester`. Handlers and the CLI call this.

Building is cheap and lazy: no model is loaded and no AWS call is made until a request needs one.
"""

from __future__ import annotations

from tarjama.config import Settings, get_settings
from tarjama.pipeline import Digester, Ports
from tarjama.text.glossary_file import Glossary


def build_digester(settings: Settings | None = None, *, glossary: Glossary | None = None) -> Digester:
    """`glossary`: applied to every article that names none (`--glossary FILE` of the CLI)."""
    settings = settings or get_settings()
    from tarjama.nlp.models import ModelProvider

    ports = Ports(models=ModelProvider(settings))
    if settings.table:
        # The cache and translation memory; boto3 is imported only when a table is configured.
        from tarjama.store import build_store

        ports.cache, ports.memory = build_store(settings)
        from tarjama.store.clients import dynamodb_client
        from tarjama.store.glossaries import GlossaryStore

        ports.glossaries = GlossaryStore(dynamodb_client(), settings.table)
    return Digester(settings, ports, glossary=glossary)
