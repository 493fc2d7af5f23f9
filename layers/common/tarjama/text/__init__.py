"""tarjama.text."""
