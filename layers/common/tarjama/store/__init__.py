"""tarjama.store."""
