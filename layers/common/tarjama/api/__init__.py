"""tarjama.api."""
